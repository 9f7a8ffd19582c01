import type { PyCallable, PyKnowledge, PyType } from './schema';
import { BLOCKING, LIFECYCLE, QUERY_LIFECYCLE, READ, SYNC_LIFECYCLE, SYNC_READ, SYNC_WRITE, WRITE, each, klass } from './schema';

/**
 * Database drivers: asyncpg, psycopg 3 (async and sync), the `databases` package, and the
 * synchronous DB-API drivers (psycopg2, sqlite3, pymysql, MySQLdb, mysql.connector) whose every
 * round trip blocks the thread. The first argument of the query methods is SQL text.
 */

const SQL = { index: 0, keyword: 'query' };
const sqlRead: PyCallable = { ...READ, statementArg: SQL };
const sqlWrite: PyCallable = { ...WRITE, statementArg: SQL };

/** asyncpg: a `Pool` hands each call its own connection; a `Connection` serialises its calls. */
const asyncpgQueries = {
  ...each(['fetch', 'fetchrow', 'fetchval', 'fetchmany'], sqlRead),
  // `execute` is usually a write; the SQL text decides when it is visible.
  execute: sqlWrite,
  executemany: sqlWrite,
  ...each(['copy_records_to_table', 'copy_to_table', 'copy_from_table', 'copy_from_query'], WRITE),
};

const asyncpgConnection: PyType = {
  library: 'asyncpg',
  display: 'Connection',
  connection: true,
  methods: {
    ...asyncpgQueries,
    prepare: { ...QUERY_LIFECYCLE, statementArg: SQL, returns: 'asyncpg.PreparedStatement' },
    cursor: { statementArg: SQL, returns: 'asyncpg.Cursor' },
    transaction: { op: 'lifecycle', returns: 'asyncpg.Transaction' },
    ...each(['close', 'reset', 'add_listener', 'remove_listener'], LIFECYCLE),
  },
};

const asyncpgPool: PyType = {
  library: 'asyncpg',
  display: 'Pool',
  methods: {
    ...asyncpgQueries,
    acquire: { op: 'lifecycle', returns: 'asyncpg.Connection' },
    ...each(['release', 'close', 'expire_connections', 'terminate'], LIFECYCLE),
  },
};

const psycopgAsyncConnection: PyType = {
  library: 'psycopg',
  display: 'AsyncConnection',
  connection: true,
  methods: {
    execute: { ...sqlRead, returns: 'psycopg.AsyncCursor' },
    cursor: { returns: 'psycopg.AsyncCursor' },
    commit: QUERY_LIFECYCLE,
    ...each(['rollback', 'close'], LIFECYCLE),
    transaction: { op: 'lifecycle', returns: 'psycopg.AsyncTransaction' },
  },
};

const psycopgAsyncCursor: PyType = {
  library: 'psycopg',
  display: 'AsyncCursor',
  connection: true,
  methods: {
    execute: { ...sqlRead, returns: 'psycopg.AsyncCursor' },
    executemany: sqlWrite,
    // Client-side cursors hold the whole result: fetching is not a round trip.
    ...each(['fetchone', 'fetchall', 'fetchmany'], { op: 'read' }),
    close: LIFECYCLE,
  },
};

/** A synchronous DB-API 2 connection/cursor (psycopg2, psycopg 3 sync, sqlite3, pymysql…). */
function dbapi(library: string): Record<string, PyType> {
  const syncSql: PyCallable = { ...SYNC_READ, statementArg: SQL };
  return {
    [`${library}.connection`]: {
      library,
      display: 'connection',
      connection: true,
      methods: {
        cursor: { returns: `${library}.cursor` },
        // sqlite3 and psycopg 3 connections execute directly.
        execute: { ...syncSql, returns: `${library}.cursor` },
        executemany: { ...SYNC_WRITE, statementArg: SQL },
        executescript: SYNC_WRITE,
        commit: SYNC_LIFECYCLE,
        ...each(['rollback', 'close'], LIFECYCLE),
      },
    },
    [`${library}.cursor`]: {
      library,
      display: 'cursor',
      connection: true,
      methods: {
        execute: { ...syncSql, returns: `${library}.cursor` },
        executemany: { ...SYNC_WRITE, statementArg: SQL },
        // Results are buffered by execute(): fetching is not another round trip.
        ...each(['fetchone', 'fetchall', 'fetchmany'], { op: 'read' }),
        callproc: SYNC_READ,
        close: LIFECYCLE,
      },
    },
    [`${library}.connection:class`]: klass(`${library}.connection`, { library }),
  };
}

const connect = (library: string): PyCallable => ({ ...BLOCKING, op: 'lifecycle', returns: `${library}.connection` });

export const sqlDrivers: PyKnowledge = {
  modules: {
    asyncpg: 'mod:asyncpg',
    'asyncpg.pool': 'mod:asyncpg',
    'asyncpg.connection': 'mod:asyncpg',
    psycopg: 'mod:psycopg',
    psycopg_pool: 'mod:psycopg_pool',
    databases: 'mod:databases',
    psycopg2: 'mod:psycopg2',
    'psycopg2.pool': 'mod:psycopg2.pool',
    'psycopg2.extras': 'mod:psycopg2.extras',
    sqlite3: 'mod:sqlite3',
    pymysql: 'mod:pymysql',
    MySQLdb: 'mod:MySQLdb',
    'mysql.connector': 'mod:mysql.connector',
    aiosql: 'mod:aiosql',
  },
  types: {
    'mod:asyncpg': {
      library: 'asyncpg',
      display: 'asyncpg',
      module: true,
      methods: {
        connect: { op: 'lifecycle', returns: 'asyncpg.Connection' },
        create_pool: { op: 'lifecycle', returns: 'asyncpg.Pool' },
      },
      attributes: { Connection: 'asyncpg.Connection:class', Pool: 'asyncpg.Pool:class', Record: 'asyncpg.Record:class' },
    },
    'asyncpg.Connection': asyncpgConnection,
    'asyncpg.Connection:class': klass('asyncpg.Connection'),
    'asyncpg.Pool': asyncpgPool,
    'asyncpg.Pool:class': klass('asyncpg.Pool'),
    'asyncpg.Record:class': { library: 'asyncpg', display: 'Record' },
    'asyncpg.Transaction': { library: 'asyncpg', display: 'Transaction', methods: each(['start', 'commit', 'rollback'], QUERY_LIFECYCLE) },
    'asyncpg.PreparedStatement': {
      library: 'asyncpg',
      display: 'PreparedStatement',
      methods: { ...each(['fetch', 'fetchrow', 'fetchval', 'fetchmany'], READ), executemany: WRITE },
    },
    'asyncpg.Cursor': { library: 'asyncpg', display: 'Cursor', iterRuns: READ, methods: each(['fetch', 'fetchrow', 'forward'], READ) },

    'mod:psycopg': {
      library: 'psycopg',
      display: 'psycopg',
      module: true,
      methods: { connect: connect('psycopg') },
      attributes: {
        AsyncConnection: 'psycopg.AsyncConnection:class',
        Connection: 'psycopg.connection:class',
        AsyncCursor: 'psycopg.AsyncCursor:class',
      },
    },
    'psycopg.AsyncConnection': psycopgAsyncConnection,
    'psycopg.AsyncConnection:class': {
      ...klass('psycopg.AsyncConnection'),
      methods: { connect: { op: 'lifecycle', returns: 'psycopg.AsyncConnection' } },
    },
    'psycopg.AsyncCursor': psycopgAsyncCursor,
    'psycopg.AsyncCursor:class': klass('psycopg.AsyncCursor'),
    'psycopg.AsyncTransaction': { library: 'psycopg', display: 'AsyncTransaction' },
    ...dbapi('psycopg'),
    'mod:psycopg_pool': {
      library: 'psycopg',
      display: 'psycopg_pool',
      module: true,
      attributes: { AsyncConnectionPool: 'psycopg.AsyncConnectionPool:class', ConnectionPool: 'psycopg.ConnectionPool:class' },
    },
    'psycopg.AsyncConnectionPool': {
      library: 'psycopg',
      display: 'AsyncConnectionPool',
      methods: { connection: { op: 'lifecycle', returns: 'psycopg.AsyncConnection' }, ...each(['open', 'close'], LIFECYCLE) },
    },
    'psycopg.AsyncConnectionPool:class': klass('psycopg.AsyncConnectionPool'),
    'psycopg.ConnectionPool': {
      library: 'psycopg',
      display: 'ConnectionPool',
      methods: { connection: { effect: 'sync-io', op: 'lifecycle', returns: 'psycopg.connection' } },
    },
    'psycopg.ConnectionPool:class': klass('psycopg.ConnectionPool'),

    'mod:databases': { library: 'databases', display: 'databases', module: true, attributes: { Database: 'databases.Database:class' } },
    'databases.Database': {
      library: 'databases',
      display: 'Database',
      methods: {
        ...each(['fetch_all', 'fetch_one', 'fetch_val'], sqlRead),
        ...each(['execute', 'execute_many'], sqlWrite),
        iterate: { statementArg: SQL, returns: 'databases.Iterator' },
        ...each(['connect', 'disconnect'], LIFECYCLE),
        transaction: { op: 'lifecycle', returns: 'databases.Transaction' },
        connection: { op: 'lifecycle', returns: 'databases.Database' },
      },
    },
    'databases.Database:class': klass('databases.Database'),
    'databases.Iterator': { library: 'databases', display: 'iterate', iterRuns: READ },
    'databases.Transaction': { library: 'databases', display: 'Transaction', methods: each(['start', 'commit', 'rollback'], QUERY_LIFECYCLE) },

    // aiosql: SQL files loaded as methods (`queries.get_user(conn, id=1)`); each call is a query.
    'mod:aiosql': {
      library: 'aiosql',
      display: 'aiosql',
      module: true,
      methods: each(['from_path', 'from_str'], { returns: 'aiosql.Queries' }),
    },
    'aiosql.Queries': { library: 'aiosql', display: 'Queries', otherMethods: READ },
    'mod:psycopg2': { library: 'psycopg2', display: 'psycopg2', module: true, methods: { connect: connect('psycopg2') } },
    'mod:psycopg2.pool': {
      library: 'psycopg2',
      display: 'psycopg2.pool',
      module: true,
      attributes: {
        SimpleConnectionPool: 'psycopg2.pool:class',
        ThreadedConnectionPool: 'psycopg2.pool:class',
      },
    },
    'psycopg2.pool:class': klass('psycopg2.pool', { library: 'psycopg2' }),
    'psycopg2.pool': { library: 'psycopg2', display: 'pool', methods: { getconn: { effect: 'sync-io', op: 'lifecycle', returns: 'psycopg2.connection' } } },
    'mod:psycopg2.extras': {
      library: 'psycopg2',
      display: 'psycopg2.extras',
      module: true,
      methods: each(['execute_values', 'execute_batch'], { ...SYNC_WRITE, statementArg: { index: 1, keyword: 'sql' } }),
    },
    ...dbapi('psycopg2'),
    'mod:sqlite3': { library: 'sqlite3', display: 'sqlite3', module: true, methods: { connect: connect('sqlite3') } },
    ...dbapi('sqlite3'),
    'mod:pymysql': { library: 'pymysql', display: 'pymysql', module: true, methods: { connect: connect('pymysql'), Connect: connect('pymysql') } },
    ...dbapi('pymysql'),
    'mod:MySQLdb': { library: 'MySQLdb', display: 'MySQLdb', module: true, methods: { connect: connect('MySQLdb') } },
    ...dbapi('MySQLdb'),
    'mod:mysql.connector': { library: 'mysql.connector', display: 'mysql.connector', module: true, methods: { connect: connect('mysql.connector') } },
    ...dbapi('mysql.connector'),
  },
};
