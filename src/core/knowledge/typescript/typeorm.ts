import type { LibraryKnowledge, MethodSpec } from '../types';
import { each, LIFECYCLE, QUERY_LIFECYCLE, READ, WRITE } from '../spec-helpers';

const FINDERS = ['find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findByIds', 'count', 'countBy', 'exist', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum'];
const WRITES = ['save', 'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment', 'decrement', 'clear', 'updateAll', 'deleteAll'];

function repositoryMethods(): Record<string, MethodSpec> {
  return {
    ...each(FINDERS, { ...READ, pagingOptions: true }),
    ...each(WRITES, WRITE),
    query: { ...READ, sqlArg: true },
    createQueryBuilder: { returns: 'typeorm.QueryBuilder' },
  };
}

const QB_TERMINALS = ['getMany', 'getOne', 'getOneOrFail', 'getRawMany', 'getRawOne', 'getRawAndEntities', 'getCount', 'getManyAndCount', 'getExists', 'stream'];

export const typeorm: LibraryKnowledge = {
  modules: { typeorm: 'typeorm.module', '@nestjs/typeorm': 'typeorm.module' },
  types: {
    'typeorm.module': {
      library: 'typeorm',
      properties: {
        DataSource: 'typeorm.DataSourceClass',
        Connection: 'typeorm.DataSourceClass',
        Repository: 'typeorm.RepositoryClass',
        TreeRepository: 'typeorm.RepositoryClass',
        MongoRepository: 'typeorm.RepositoryClass',
        EntityManager: 'typeorm.EntityManagerClass',
        QueryRunner: 'typeorm.QueryRunnerClass',
        SelectQueryBuilder: 'typeorm.QueryBuilderClass',
        QueryBuilder: 'typeorm.QueryBuilderClass',
        BaseEntity: 'typeorm.BaseEntityClass',
      },
      methods: { getRepository: { returns: 'typeorm.Repository' }, getManager: { returns: 'typeorm.EntityManager' }, createConnection: { returns: 'typeorm.DataSource' } },
    },
    'typeorm.DataSourceClass': { library: 'typeorm', construct: 'typeorm.DataSource', instance: 'typeorm.DataSource' },
    'typeorm.RepositoryClass': { library: 'typeorm', instance: 'typeorm.Repository' },
    'typeorm.EntityManagerClass': { library: 'typeorm', instance: 'typeorm.EntityManager' },
    'typeorm.QueryRunnerClass': { library: 'typeorm', instance: 'typeorm.QueryRunner' },
    'typeorm.QueryBuilderClass': { library: 'typeorm', instance: 'typeorm.QueryBuilder' },
    // `class User extends BaseEntity`: the class itself has the finder statics.
    'typeorm.BaseEntityClass': { library: 'typeorm', instance: 'typeorm.Entity', subclass: { static: 'typeorm.EntityStatic', instance: 'typeorm.Entity' } },
    'typeorm.EntityStatic': { library: 'typeorm', construct: 'typeorm.Entity', methods: repositoryMethods() },
    'typeorm.Entity': { library: 'typeorm', methods: { ...each(['save', 'remove', 'softRemove', 'recover', 'reload'], WRITE) } },
    'typeorm.DataSource': {
      library: 'typeorm',
      properties: { manager: 'typeorm.EntityManager' },
      methods: {
        query: { ...READ, sqlArg: true },
        getRepository: { returns: 'typeorm.Repository' },
        getTreeRepository: { returns: 'typeorm.Repository' },
        getMongoRepository: { returns: 'typeorm.Repository' },
        createQueryRunner: { returns: 'typeorm.QueryRunner' },
        createQueryBuilder: { returns: 'typeorm.QueryBuilder' },
        transaction: { ...QUERY_LIFECYCLE, callbackParam: 'typeorm.TxManager' },
        ...each(['initialize', 'destroy', 'synchronize', 'runMigrations'], LIFECYCLE),
      },
    },
    'typeorm.Repository': {
      library: 'typeorm',
      properties: { manager: 'typeorm.EntityManager' },
      methods: repositoryMethods(),
    },
    'typeorm.EntityManager': {
      library: 'typeorm',
      methods: {
        ...repositoryMethods(),
        getRepository: { returns: 'typeorm.Repository' },
        withRepository: { returns: 'typeorm.Repository' },
        transaction: { ...QUERY_LIFECYCLE, callbackParam: 'typeorm.TxManager' },
      },
    },
    // The manager handed to a transaction callback, or a query runner's: one connection.
    'typeorm.TxManager': {
      library: 'typeorm',
      singleConnection: true,
      methods: {
        ...repositoryMethods(),
        getRepository: { returns: 'typeorm.TxRepository' },
        withRepository: { returns: 'typeorm.TxRepository' },
      },
    },
    'typeorm.TxRepository': { library: 'typeorm', singleConnection: true, methods: repositoryMethods() },
    'typeorm.QueryRunner': {
      library: 'typeorm',
      singleConnection: true,
      properties: { manager: 'typeorm.TxManager' },
      methods: {
        query: { ...READ, sqlArg: true },
        ...each(['startTransaction', 'commitTransaction', 'rollbackTransaction'], QUERY_LIFECYCLE),
        ...each(['connect', 'release'], LIFECYCLE),
      },
    },
    'typeorm.QueryBuilder': {
      library: 'typeorm',
      otherMethods: { returns: 'typeorm.QueryBuilder' },
      methods: {
        ...each(QB_TERMINALS, READ),
        execute: WRITE,
        ...each(['skip', 'offset'], { returns: 'typeorm.QueryBuilder', offset: true }),
      },
    },
  },
};
