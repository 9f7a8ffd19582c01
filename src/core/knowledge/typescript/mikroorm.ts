import type { LibraryKnowledge } from '../types';
import { each, QUERY_LIFECYCLE, READ, WRITE } from '../spec-helpers';

const EM_READS = ['find', 'findOne', 'findOneOrFail', 'findAndCount', 'findAll', 'count', 'findByCursor', 'refresh', 'populate'];
const EM_WRITES = ['flush', 'persistAndFlush', 'removeAndFlush', 'nativeInsert', 'nativeUpdate', 'nativeDelete', 'insert', 'insertMany', 'upsert', 'upsertMany'];

export const mikroorm: LibraryKnowledge = {
  modules: {
    '@mikro-orm/core': 'mikroorm.module',
    '@mikro-orm/postgresql': 'mikroorm.module',
    '@mikro-orm/mysql': 'mikroorm.module',
    '@mikro-orm/sqlite': 'mikroorm.module',
    '@mikro-orm/mongodb': 'mikroorm.module',
    '@mikro-orm/knex': 'mikroorm.module',
    '@mikro-orm/nestjs': 'mikroorm.module',
  },
  types: {
    'mikroorm.module': {
      library: 'mikroorm',
      properties: {
        EntityManager: 'mikroorm.EntityManagerClass',
        SqlEntityManager: 'mikroorm.EntityManagerClass',
        EntityRepository: 'mikroorm.RepositoryClass',
        SqlEntityRepository: 'mikroorm.RepositoryClass',
        MikroORM: 'mikroorm.OrmClass',
      },
    },
    'mikroorm.OrmClass': { library: 'mikroorm', instance: 'mikroorm.Orm', methods: { init: { returns: 'mikroorm.Orm' } } },
    'mikroorm.Orm': { library: 'mikroorm', properties: { em: 'mikroorm.EntityManager' } },
    'mikroorm.EntityManagerClass': { library: 'mikroorm', instance: 'mikroorm.EntityManager' },
    'mikroorm.RepositoryClass': {
      library: 'mikroorm',
      instance: 'mikroorm.Repository',
      subclass: { static: 'mikroorm.RepositoryStatic', instance: 'mikroorm.Repository' },
    },
    'mikroorm.RepositoryStatic': { library: 'mikroorm' },
    'mikroorm.EntityManager': {
      library: 'mikroorm',
      methods: {
        ...each(EM_READS, { ...READ, pagingOptions: true }),
        ...each(EM_WRITES, WRITE),
        getRepository: { returns: 'mikroorm.Repository' },
        fork: { returns: 'mikroorm.EntityManager' },
        createQueryBuilder: { returns: 'mikroorm.QueryBuilder' },
        qb: { returns: 'mikroorm.QueryBuilder' },
        transactional: { ...QUERY_LIFECYCLE, callbackParam: 'mikroorm.TxManager' },
        execute: { ...READ, sqlArg: true },
        ...each(['persist', 'remove', 'create', 'assign', 'getReference', 'clear'], {}),
      },
    },
    'mikroorm.TxManager': {
      library: 'mikroorm',
      singleConnection: true,
      methods: { ...each(EM_READS, { ...READ, pagingOptions: true }), ...each(EM_WRITES, WRITE), execute: { ...READ, sqlArg: true } },
    },
    'mikroorm.Repository': {
      library: 'mikroorm',
      methods: {
        ...each(EM_READS, { ...READ, pagingOptions: true }),
        ...each(['nativeInsert', 'nativeUpdate', 'nativeDelete', 'upsert', 'upsertMany', 'insert', 'insertMany'], WRITE),
        createQueryBuilder: { returns: 'mikroorm.QueryBuilder' },
        qb: { returns: 'mikroorm.QueryBuilder' },
      },
      properties: { em: 'mikroorm.EntityManager' },
    },
    'mikroorm.QueryBuilder': {
      library: 'mikroorm',
      thenable: { op: 'read' },
      otherMethods: { returns: 'mikroorm.QueryBuilder' },
      methods: {
        offset: { returns: 'mikroorm.QueryBuilder', offset: true },
        ...each(['getResult', 'getResultList', 'getSingleResult', 'getCount', 'execute', 'getResultAndCount'], READ),
        ...each(['getQuery', 'getParams', 'getFormattedQuery'], {}),
      },
    },
  },
};
