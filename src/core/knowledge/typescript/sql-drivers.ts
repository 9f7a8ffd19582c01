import type { LibraryKnowledge } from '../types';
import { each, LIFECYCLE, QUERY_LIFECYCLE, READ } from '../spec-helpers';

/** node-postgres and mysql2: raw SQL clients. The SQL text decides read or write. */
export const sqlDrivers: LibraryKnowledge = {
  modules: {
    pg: 'pg.module',
    'pg-pool': 'pg.module',
    mysql2: 'mysql2.module',
    'mysql2/promise': 'mysql2.module',
    mysql: 'mysql2.module',
    postgres: 'postgresjs.factory',
    'pg-promise': 'pgp.factory',
  },
  defaults: { 'pg-pool': 'pg.PoolClass', postgres: 'postgresjs.factory', 'pg-promise': 'pgp.factory' },
  types: {
    'pg.module': {
      library: 'pg',
      properties: { Pool: 'pg.PoolClass', Client: 'pg.ClientClass', PoolClient: 'pg.PoolClientClass', default: 'pg.module' },
    },
    'pg.PoolClass': { library: 'pg', construct: 'pg.Pool', instance: 'pg.Pool' },
    'pg.ClientClass': { library: 'pg', construct: 'pg.Client', instance: 'pg.Client' },
    'pg.PoolClientClass': { library: 'pg', instance: 'pg.PoolClient' },
    'pg.Pool': {
      library: 'pg',
      methods: {
        query: { ...READ, sqlArg: true },
        connect: { op: 'lifecycle', returns: 'pg.PoolClient' },
        end: LIFECYCLE,
      },
    },
    'pg.Client': {
      library: 'pg',
      singleConnection: true,
      methods: { query: { ...READ, sqlArg: true }, connect: LIFECYCLE, end: LIFECYCLE },
    },
    'pg.PoolClient': {
      library: 'pg',
      singleConnection: true,
      methods: { query: { ...READ, sqlArg: true }, release: LIFECYCLE },
    },
    'mysql2.module': {
      library: 'mysql2',
      methods: {
        createPool: { returns: 'mysql2.Pool' },
        createPoolCluster: { returns: 'mysql2.Pool' },
        createConnection: { returns: 'mysql2.Connection' },
      },
      properties: { Pool: 'mysql2.PoolClass', Connection: 'mysql2.ConnectionClass', PoolConnection: 'mysql2.ConnectionClass', default: 'mysql2.module' },
    },
    'mysql2.PoolClass': { library: 'mysql2', instance: 'mysql2.Pool' },
    'mysql2.ConnectionClass': { library: 'mysql2', instance: 'mysql2.Connection' },
    'mysql2.Pool': {
      library: 'mysql2',
      methods: {
        query: { ...READ, sqlArg: true },
        execute: { ...READ, sqlArg: true },
        getConnection: { op: 'lifecycle', returns: 'mysql2.Connection' },
        promise: { returns: 'mysql2.Pool' },
        end: LIFECYCLE,
      },
    },
    'mysql2.Connection': {
      library: 'mysql2',
      singleConnection: true,
      methods: {
        query: { ...READ, sqlArg: true },
        execute: { ...READ, sqlArg: true },
        promise: { returns: 'mysql2.Connection' },
        ...each(['beginTransaction', 'commit', 'rollback'], QUERY_LIFECYCLE),
        ...each(['release', 'end', 'destroy', 'connect'], LIFECYCLE),
      },
    },
    // postgres.js: `const sql = postgres(url)`; sql`select …` is a query when awaited.
    'postgresjs.factory': { library: 'postgres', callable: { returns: 'postgresjs.Sql' } },
    'postgresjs.Sql': {
      library: 'postgres',
      callable: { ...READ, sqlArg: true },
      methods: { unsafe: { ...READ, sqlArg: true }, begin: { ...QUERY_LIFECYCLE, callbackParam: 'postgresjs.Tx' }, end: LIFECYCLE },
    },
    'postgresjs.Tx': { library: 'postgres', singleConnection: true, callable: { ...READ, sqlArg: true } },
    // pg-promise: `const db = pgp(cn)`.
    'pgp.factory': { library: 'pg-promise', callable: { returns: 'pgp.Factory' } },
    'pgp.Factory': { library: 'pg-promise', callable: { returns: 'pgp.Db' } },
    'pgp.Db': {
      library: 'pg-promise',
      methods: {
        ...each(['query', 'any', 'many', 'one', 'oneOrNone', 'manyOrNone', 'none', 'result', 'map', 'each', 'multi'], { ...READ, sqlArg: true }),
        tx: { ...QUERY_LIFECYCLE, callbackParam: 'pgp.Tx' },
        task: { ...QUERY_LIFECYCLE, callbackParam: 'pgp.Tx' },
      },
    },
    'pgp.Tx': {
      library: 'pg-promise',
      singleConnection: true,
      methods: each(['query', 'any', 'many', 'one', 'oneOrNone', 'manyOrNone', 'none', 'result', 'map', 'each', 'batch'], { ...READ, sqlArg: true }),
    },
  },
};
