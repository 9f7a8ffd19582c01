import type { PyKnowledge, PyType } from './schema';
import { LIFECYCLE, QUERY_LIFECYCLE, READ, SYNC_LIFECYCLE, SYNC_READ, SYNC_WRITE, WRITE, each, klass } from './schema';

/**
 * SQLAlchemy 2.0 (async and sync) and SQLModel. `AsyncSession`/`AsyncConnection`/`Session`/
 * `Connection` are single connections: their operations are serialised (running two at once on one
 * `AsyncSession` raises), so sequential-awaits must not suggest gathering them. Statements built with
 * `select`/`insert`/`update`/`delete`/`text` decide whether `execute` reads or writes.
 */

const STATEMENT = { index: 0, keyword: 'statement' };

export const asyncSession: PyType = {
  library: 'sqlalchemy',
  display: 'AsyncSession',
  connection: true,
  methods: {
    ...each(['execute', 'scalars', 'scalar', 'stream', 'stream_scalars', 'exec'], { ...READ, statementArg: STATEMENT }),
    ...each(['get', 'get_one'], { ...READ, modelArg: 0 }),
    refresh: QUERY_LIFECYCLE,
    flush: QUERY_LIFECYCLE,
    commit: QUERY_LIFECYCLE,
    merge: WRITE,
    delete: WRITE,
    run_sync: QUERY_LIFECYCLE,
    ...each(['rollback', 'close', 'invalidate', 'reset'], LIFECYCLE),
    ...each(['begin', 'begin_nested'], { op: 'lifecycle', returns: 'sqlalchemy.AsyncSessionTransaction' }),
    connection: { op: 'lifecycle', returns: 'sqlalchemy.AsyncConnection' },
  },
};

const asyncConnection: PyType = {
  library: 'sqlalchemy',
  display: 'AsyncConnection',
  connection: true,
  methods: {
    ...each(['execute', 'scalars', 'scalar', 'stream', 'stream_scalars', 'exec_driver_sql'], { ...READ, statementArg: STATEMENT }),
    commit: QUERY_LIFECYCLE,
    run_sync: QUERY_LIFECYCLE,
    ...each(['rollback', 'close', 'invalidate'], LIFECYCLE),
    ...each(['begin', 'begin_nested'], { op: 'lifecycle', returns: 'sqlalchemy.AsyncTransaction' }),
  },
};

const session: PyType = {
  library: 'sqlalchemy',
  display: 'Session',
  connection: true,
  methods: {
    ...each(['execute', 'scalars', 'scalar', 'exec'], { ...SYNC_READ, statementArg: STATEMENT }),
    ...each(['get', 'get_one'], { ...SYNC_READ, modelArg: 0 }),
    query: { returns: 'sqlalchemy.Query', builds: 'read' },
    ...each(['commit', 'flush', 'refresh'], SYNC_LIFECYCLE),
    ...each(['merge', 'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings'], SYNC_WRITE),
    ...each(['rollback', 'close'], LIFECYCLE),
    ...each(['begin', 'begin_nested'], { op: 'lifecycle', returns: 'sqlalchemy.SessionTransaction' }),
    connection: { op: 'lifecycle', returns: 'sqlalchemy.Connection' },
  },
};

const connection: PyType = {
  library: 'sqlalchemy',
  display: 'Connection',
  connection: true,
  methods: {
    ...each(['execute', 'scalars', 'scalar', 'exec_driver_sql'], { ...SYNC_READ, statementArg: STATEMENT }),
    commit: SYNC_LIFECYCLE,
    ...each(['rollback', 'close'], LIFECYCLE),
    ...each(['begin', 'begin_nested'], { op: 'lifecycle', returns: 'sqlalchemy.Transaction' }),
  },
};

/** Legacy `session.query(User)…`: chaining builds, the terminal methods run the query. */
const query: PyType = {
  library: 'sqlalchemy',
  display: 'Query',
  otherMethods: { returns: 'sqlalchemy.Query' },
  methods: {
    ...each(['all', 'first', 'one', 'one_or_none', 'scalar', 'count', 'get'], SYNC_READ),
    ...each(['update', 'delete'], SYNC_WRITE),
    ...each(['offset', 'slice'], { returns: 'sqlalchemy.Query', offset: true }),
  },
  iterRuns: SYNC_READ,
};

function statement(display: string, id: string): PyType {
  return {
    library: 'sqlalchemy',
    display,
    otherMethods: { returns: id },
    methods: { offset: { returns: id, offset: true } },
  };
}

const sqlFunctions = {
  select: { returns: 'sqlalchemy.Select', builds: 'read' },
  insert: { returns: 'sqlalchemy.Insert', builds: 'write' },
  update: { returns: 'sqlalchemy.Update', builds: 'write' },
  delete: { returns: 'sqlalchemy.Delete', builds: 'write' },
  text: { returns: 'sqlalchemy.TextClause', statementArg: { index: 0, keyword: 'text' } },
} as const;

function moduleType(display: string, methods: PyType['methods'], attributes: Record<string, string>): PyType {
  return { library: 'sqlalchemy', display, module: true, methods, attributes };
}

const coreFunctions = {
  ...sqlFunctions,
  create_engine: { returns: 'sqlalchemy.Engine' },
};

const asyncioModule = {
  methods: {
    create_async_engine: { returns: 'sqlalchemy.AsyncEngine' },
    async_sessionmaker: { returns: 'sqlalchemy.async_sessionmaker' },
    async_scoped_session: { returns: 'sqlalchemy.async_sessionmaker' },
    async_session: { returns: 'sqlalchemy.AsyncSession' },
  },
  attributes: {
    AsyncSession: 'sqlalchemy.AsyncSession:class',
    AsyncEngine: 'sqlalchemy.AsyncEngine:class',
    AsyncConnection: 'sqlalchemy.AsyncConnection:class',
  },
};

const ormModule = {
  methods: {
    // SQLAlchemy 1.4's way to make async sessions: `sessionmaker(engine, class_=AsyncSession)`.
    sessionmaker: { returns: 'sqlalchemy.sessionmaker', returnsByKeyword: { keyword: 'class_', returns: { 'sqlalchemy.AsyncSession:class': 'sqlalchemy.async_sessionmaker' } } },
    scoped_session: { returns: 'sqlalchemy.sessionmaker' },
  },
  attributes: { Session: 'sqlalchemy.Session:class', Query: 'sqlalchemy.Query:class' },
};

export const sqlalchemy: PyKnowledge = {
  modules: {
    sqlalchemy: 'mod:sqlalchemy',
    'sqlalchemy.future': 'mod:sqlalchemy',
    'sqlalchemy.sql': 'mod:sqlalchemy',
    'sqlalchemy.sql.expression': 'mod:sqlalchemy',
    'sqlalchemy.engine': 'mod:sqlalchemy',
    'sqlalchemy.orm': 'mod:sqlalchemy.orm',
    'sqlalchemy.orm.session': 'mod:sqlalchemy.orm',
    'sqlalchemy.ext.asyncio': 'mod:sqlalchemy.ext.asyncio',
    'sqlalchemy.ext.asyncio.session': 'mod:sqlalchemy.ext.asyncio',
    'sqlalchemy.ext.asyncio.engine': 'mod:sqlalchemy.ext.asyncio',
    sqlmodel: 'mod:sqlmodel',
    'sqlmodel.ext.asyncio.session': 'mod:sqlmodel.ext.asyncio',
  },
  types: {
    'mod:sqlalchemy': moduleType('sqlalchemy', coreFunctions, {
      Engine: 'sqlalchemy.Engine:class',
      Connection: 'sqlalchemy.Connection:class',
      Select: 'sqlalchemy.Select:class',
    }),
    'mod:sqlalchemy.orm': moduleType('sqlalchemy.orm', ormModule.methods, ormModule.attributes),
    'mod:sqlalchemy.ext.asyncio': moduleType('sqlalchemy.ext.asyncio', asyncioModule.methods, asyncioModule.attributes),
    'mod:sqlmodel': moduleType('sqlmodel', { ...coreFunctions, ...ormModule.methods }, ormModule.attributes),
    'mod:sqlmodel.ext.asyncio': moduleType('sqlmodel.ext.asyncio', asyncioModule.methods, asyncioModule.attributes),

    'sqlalchemy.AsyncSession': asyncSession,
    'sqlalchemy.AsyncSession:class': klass('sqlalchemy.AsyncSession'),
    'sqlalchemy.AsyncConnection': asyncConnection,
    'sqlalchemy.AsyncConnection:class': klass('sqlalchemy.AsyncConnection'),
    'sqlalchemy.AsyncEngine': {
      library: 'sqlalchemy',
      display: 'AsyncEngine',
      methods: {
        ...each(['connect', 'begin'], { op: 'lifecycle', returns: 'sqlalchemy.AsyncConnection' }),
        dispose: LIFECYCLE,
      },
    },
    'sqlalchemy.AsyncEngine:class': klass('sqlalchemy.AsyncEngine'),
    'sqlalchemy.AsyncSessionTransaction': { library: 'sqlalchemy', display: 'AsyncSessionTransaction', methods: each(['commit', 'rollback'], QUERY_LIFECYCLE) },
    'sqlalchemy.AsyncTransaction': { library: 'sqlalchemy', display: 'AsyncTransaction', methods: each(['commit', 'rollback'], QUERY_LIFECYCLE) },
    'sqlalchemy.async_sessionmaker': {
      library: 'sqlalchemy',
      display: 'async_sessionmaker',
      callable: { returns: 'sqlalchemy.AsyncSession' },
      // `async with SessionLocal.begin() as session:` binds the session.
      methods: { begin: { op: 'lifecycle', returns: 'sqlalchemy.AsyncSession' } },
    },

    'sqlalchemy.Session': session,
    'sqlalchemy.Session:class': klass('sqlalchemy.Session'),
    'sqlalchemy.SessionTransaction': { library: 'sqlalchemy', display: 'SessionTransaction', methods: each(['commit', 'rollback'], SYNC_LIFECYCLE) },
    'sqlalchemy.sessionmaker': {
      library: 'sqlalchemy',
      display: 'sessionmaker',
      callable: { returns: 'sqlalchemy.Session' },
      methods: { begin: { op: 'lifecycle', returns: 'sqlalchemy.Session' } },
    },
    'sqlalchemy.Connection': connection,
    'sqlalchemy.Connection:class': klass('sqlalchemy.Connection'),
    'sqlalchemy.Transaction': { library: 'sqlalchemy', display: 'Transaction', methods: each(['commit', 'rollback'], SYNC_LIFECYCLE) },
    'sqlalchemy.Engine': {
      library: 'sqlalchemy',
      display: 'Engine',
      methods: {
        // Checking a connection out of a sync engine's pool may wait on the network.
        ...each(['connect', 'begin'], { effect: 'sync-io', op: 'lifecycle', returns: 'sqlalchemy.Connection' }),
        execute: { ...SYNC_READ, statementArg: STATEMENT },
        dispose: LIFECYCLE,
      },
    },
    'sqlalchemy.Engine:class': klass('sqlalchemy.Engine'),
    'sqlalchemy.Query': query,
    'sqlalchemy.Query:class': klass('sqlalchemy.Query'),
    'sqlalchemy.Select': statement('Select', 'sqlalchemy.Select'),
    'sqlalchemy.Select:class': klass('sqlalchemy.Select'),
    'sqlalchemy.Insert': statement('Insert', 'sqlalchemy.Insert'),
    'sqlalchemy.Update': statement('Update', 'sqlalchemy.Update'),
    'sqlalchemy.Delete': statement('Delete', 'sqlalchemy.Delete'),
    'sqlalchemy.TextClause': { library: 'sqlalchemy', display: 'TextClause', otherMethods: { returns: 'sqlalchemy.TextClause' } },
  },
};
