import type { LibraryKnowledge, TypeSpec } from '../types';
import { each, LIFECYCLE, QUERY_LIFECYCLE, READ, WRITE } from '../spec-helpers';

/** Knex: builders are lazy; they run when awaited or `.then`-ed. */
const knexBuilder: TypeSpec = {
  library: 'knex',
  thenable: { op: 'read' },
  otherMethods: { returns: 'knex.Builder' },
  methods: {
    offset: { returns: 'knex.Builder', offset: true },
    ...each(['insert', 'update', 'del', 'delete', 'increment', 'decrement', 'upsert', 'truncate'], { returns: 'knex.WriteBuilder' }),
    ...each(['then', 'catch', 'finally'], { effect: 'query', op: 'read' }),
    stream: READ,
    toQuery: {},
    toSQL: {},
    toString: {},
    clone: { returns: 'knex.Builder' },
  },
};

const knexInstance = (single: boolean): TypeSpec => ({
  library: 'knex',
  singleConnection: single || undefined,
  callable: { returns: single ? 'knex.TrxBuilder' : 'knex.Builder' },
  properties: { schema: 'knex.Schema', fn: 'knex.Fn' },
  methods: {
    ...each(['select', 'from', 'table', 'with', 'withRecursive', 'queryBuilder', 'distinct', 'column', 'first', 'count', 'where', 'union', 'unionAll'], { returns: single ? 'knex.TrxBuilder' : 'knex.Builder' }),
    ...each(['insert', 'update', 'del', 'delete'], { returns: single ? 'knex.TrxWriteBuilder' : 'knex.WriteBuilder' }),
    raw: { returns: 'knex.Raw', sqlArg: true },
    transaction: { ...QUERY_LIFECYCLE, callbackParam: 'knex.Trx', returns: 'knex.Trx' },
    ...each(['commit', 'rollback'], QUERY_LIFECYCLE),
    ...each(['destroy', 'initialize'], LIFECYCLE),
  },
});

export const queryBuilders: LibraryKnowledge = {
  modules: {
    knex: 'knex.module',
    kysely: 'kysely.module',
    'drizzle-orm': 'drizzle.module',
    'drizzle-orm/node-postgres': 'drizzle.module',
    'drizzle-orm/postgres-js': 'drizzle.module',
    'drizzle-orm/mysql2': 'drizzle.module',
    'drizzle-orm/better-sqlite3': 'drizzle.module',
    'drizzle-orm/neon-http': 'drizzle.module',
    'drizzle-orm/neon-serverless': 'drizzle.module',
    'drizzle-orm/libsql': 'drizzle.module',
    'drizzle-orm/pg-core': 'drizzle.module',
    'drizzle-orm/vercel-postgres': 'drizzle.module',
    'drizzle-orm/planetscale-serverless': 'drizzle.module',
    'drizzle-orm/bun-sqlite': 'drizzle.module',
    'drizzle-orm/d1': 'drizzle.module',
  },
  defaults: { knex: 'knex.factory' },
  types: {
    'knex.module': { library: 'knex', callable: { returns: 'knex.Knex' }, properties: { knex: 'knex.factory', Knex: 'knex.namespace', default: 'knex.factory' } },
    'knex.factory': { library: 'knex', callable: { returns: 'knex.Knex' }, instance: 'knex.Knex' },
    'knex.namespace': { library: 'knex', instance: 'knex.Knex', properties: { Transaction: 'knex.TrxClass', QueryBuilder: 'knex.BuilderClass' } },
    'knex.TrxClass': { library: 'knex', instance: 'knex.Trx' },
    'knex.BuilderClass': { library: 'knex', instance: 'knex.Builder' },
    'knex.Knex': knexInstance(false),
    'knex.Trx': knexInstance(true),
    'knex.Builder': knexBuilder,
    'knex.TrxBuilder': {
      ...knexBuilder,
      singleConnection: true,
      otherMethods: { returns: 'knex.TrxBuilder' },
      // Writes on a transaction stay on it.
      methods: { ...knexBuilder.methods, ...each(['insert', 'update', 'del', 'delete', 'increment', 'decrement', 'upsert', 'truncate'], { returns: 'knex.TrxWriteBuilder' }), offset: { returns: 'knex.TrxBuilder', offset: true } },
    },
    'knex.WriteBuilder': { ...knexBuilder, thenable: { op: 'write' }, otherMethods: { returns: 'knex.WriteBuilder' } },
    'knex.TrxWriteBuilder': { ...knexBuilder, singleConnection: true, thenable: { op: 'write' }, otherMethods: { returns: 'knex.TrxWriteBuilder' } },
    'knex.Raw': { library: 'knex', thenable: { op: 'read' }, methods: each(['then', 'catch'], READ) },
    'knex.Schema': { library: 'knex', thenable: { op: 'lifecycle' }, otherMethods: { returns: 'knex.Schema' } },
    'knex.Fn': { library: 'knex' },

    // Kysely: builders are not thenable; `execute*` runs them.
    'kysely.module': { library: 'kysely', properties: { Kysely: 'kysely.KyselyClass', Transaction: 'kysely.TxClass', sql: 'kysely.sqlTag' } },
    'kysely.KyselyClass': { library: 'kysely', construct: 'kysely.Kysely', instance: 'kysely.Kysely' },
    'kysely.TxClass': { library: 'kysely', instance: 'kysely.Tx' },
    'kysely.Kysely': {
      library: 'kysely',
      methods: {
        ...each(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto', 'with', 'withRecursive', 'selectNoFrom'], { returns: 'kysely.Builder' }),
        transaction: { returns: 'kysely.TxBuilder' },
        destroy: LIFECYCLE,
      },
    },
    'kysely.TxBuilder': { library: 'kysely', methods: { execute: { ...QUERY_LIFECYCLE, callbackParam: 'kysely.Tx' } }, otherMethods: { returns: 'kysely.TxBuilder' } },
    'kysely.Tx': {
      library: 'kysely',
      singleConnection: true,
      methods: each(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto', 'with'], { returns: 'kysely.TxQuery' }),
    },
    'kysely.Builder': {
      library: 'kysely',
      otherMethods: { returns: 'kysely.Builder' },
      methods: {
        ...each(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream'], READ),
        offset: { returns: 'kysely.Builder', offset: true },
      },
    },
    'kysely.TxQuery': {
      library: 'kysely',
      singleConnection: true,
      otherMethods: { returns: 'kysely.TxQuery' },
      methods: { ...each(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow'], READ), offset: { returns: 'kysely.TxQuery', offset: true } },
    },
    'kysely.sqlTag': { library: 'kysely', callable: { returns: 'kysely.RawQuery', sqlArg: true } },
    'kysely.RawQuery': { library: 'kysely', methods: { execute: READ } },

    // Drizzle: `drizzle(client)`; select/insert/update/delete builders run when awaited.
    'drizzle.module': { library: 'drizzle', methods: { drizzle: { returns: 'drizzle.Db' } }, properties: { sql: 'drizzle.sqlTag' } },
    'drizzle.sqlTag': { library: 'drizzle' },
    'drizzle.Db': {
      library: 'drizzle',
      properties: { query: 'drizzle.Relational' },
      methods: {
        ...each(['select', 'selectDistinct', 'selectDistinctOn', 'with', '$with', '$count'], { returns: 'drizzle.Builder' }),
        ...each(['insert', 'update', 'delete'], { returns: 'drizzle.WriteBuilder' }),
        ...each(['execute', 'run', 'all', 'get', 'values'], { ...READ, sqlArg: true }),
        batch: READ,
        transaction: { ...QUERY_LIFECYCLE, callbackParam: 'drizzle.Tx' },
      },
    },
    'drizzle.Tx': {
      library: 'drizzle',
      singleConnection: true,
      properties: { query: 'drizzle.TxRelational' },
      methods: {
        ...each(['select', 'selectDistinct', 'with'], { returns: 'drizzle.TxBuilder' }),
        ...each(['insert', 'update', 'delete'], { returns: 'drizzle.TxBuilder' }),
        execute: { ...READ, sqlArg: true },
        rollback: QUERY_LIFECYCLE,
      },
    },
    'drizzle.Relational': { library: 'drizzle', anyProperty: 'drizzle.RelationalTable' },
    'drizzle.TxRelational': { library: 'drizzle', anyProperty: 'drizzle.TxRelationalTable' },
    'drizzle.RelationalTable': { library: 'drizzle', methods: each(['findMany', 'findFirst'], { ...READ, pagingOptions: true }) },
    'drizzle.TxRelationalTable': { library: 'drizzle', singleConnection: true, methods: each(['findMany', 'findFirst'], { ...READ, pagingOptions: true }) },
    'drizzle.Builder': {
      library: 'drizzle',
      thenable: { op: 'read' },
      otherMethods: { returns: 'drizzle.Builder' },
      methods: {
        offset: { returns: 'drizzle.Builder', offset: true },
        ...each(['execute', 'then', 'all', 'get', 'run', 'values'], READ),
        ...each(['toSQL', 'getSQL', 'prepare', 'as'], {}),
      },
    },
    'drizzle.WriteBuilder': {
      library: 'drizzle',
      thenable: { op: 'write' },
      otherMethods: { returns: 'drizzle.WriteBuilder' },
      methods: { ...each(['execute', 'then', 'run'], WRITE), ...each(['toSQL', 'getSQL', 'prepare'], {}) },
    },
    'drizzle.TxBuilder': {
      library: 'drizzle',
      singleConnection: true,
      thenable: { op: 'read' },
      otherMethods: { returns: 'drizzle.TxBuilder' },
      methods: { offset: { returns: 'drizzle.TxBuilder', offset: true }, execute: READ },
    },
  },
};
