import type { LibraryKnowledge } from '../types';
import { each, LIFECYCLE, QUERY_LIFECYCLE, READ, WRITE } from '../spec-helpers';

const STATIC_READS = ['findAll', 'findOne', 'findByPk', 'findAndCountAll', 'findOrCreate', 'findCreateFind', 'count', 'max', 'min', 'sum', 'aggregate'];
const STATIC_WRITES = ['create', 'bulkCreate', 'update', 'destroy', 'upsert', 'increment', 'decrement', 'truncate', 'restore', 'sync', 'drop'];

export const sequelize: LibraryKnowledge = {
  modules: { sequelize: 'sequelize.module', 'sequelize-typescript': 'sequelize.module' },
  types: {
    'sequelize.module': {
      library: 'sequelize',
      properties: { Sequelize: 'sequelize.SequelizeClass', Model: 'sequelize.ModelClass', Transaction: 'sequelize.TransactionClass' },
    },
    'sequelize.SequelizeClass': { library: 'sequelize', construct: 'sequelize.Sequelize', instance: 'sequelize.Sequelize' },
    'sequelize.TransactionClass': { library: 'sequelize', instance: 'sequelize.Transaction' },
    'sequelize.ModelClass': {
      library: 'sequelize',
      instance: 'sequelize.Instance',
      subclass: { static: 'sequelize.ModelStatic', instance: 'sequelize.Instance' },
    },
    'sequelize.Sequelize': {
      library: 'sequelize',
      methods: {
        query: { ...READ, sqlArg: true },
        define: { returns: 'sequelize.ModelStatic' },
        model: { returns: 'sequelize.ModelStatic' },
        transaction: { ...QUERY_LIFECYCLE, callbackParam: 'sequelize.Transaction', returns: 'sequelize.Transaction' },
        ...each(['authenticate', 'sync', 'close'], LIFECYCLE),
      },
      properties: { models: 'sequelize.Models' },
    },
    'sequelize.Models': { library: 'sequelize', anyProperty: 'sequelize.ModelStatic' },
    'sequelize.ModelStatic': {
      library: 'sequelize',
      construct: 'sequelize.Instance',
      methods: {
        ...each(STATIC_READS, { ...READ, pagingOptions: true, returns: 'sequelize.Instance' }),
        findAll: { ...READ, pagingOptions: true, returns: 'sequelize.InstanceList' },
        findAndCountAll: { ...READ, pagingOptions: true },
        ...each(STATIC_WRITES, WRITE),
        build: { returns: 'sequelize.Instance' },
      },
    },
    'sequelize.InstanceList': { library: 'sequelize', element: 'sequelize.Instance' },
    'sequelize.Instance': {
      library: 'sequelize',
      methods: {
        ...each(['save', 'update', 'destroy', 'increment', 'decrement', 'restore'], WRITE),
        reload: READ,
      },
    },
    'sequelize.Transaction': { library: 'sequelize', singleConnection: true, methods: each(['commit', 'rollback'], QUERY_LIFECYCLE) },
  },
};
