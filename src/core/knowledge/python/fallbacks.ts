import type { PyKnowledge } from './schema';
import { READ, SYNC_LIFECYCLE, SYNC_READ, SYNC_WRITE, WRITE, each } from './schema';
import { REDIS_READ_COMMANDS, REDIS_WRITE_COMMANDS } from './redis';
import { asyncSession } from './sqlalchemy';

/**
 * Last resort when a receiver cannot be resolved (an unannotated `db` parameter, a `self.session`
 * set from an untyped argument): well-known names, and only with a method that such an object has.
 * Awaited calls pick the async type, plain calls the sync one. The sync types are narrower than the
 * real ones (no `get`: `session.get(url)` is as likely `requests`).
 */
export interface NameFallback {
  names: RegExp;
  awaited?: string;
  sync?: string;
}

export const RECEIVER_NAME_FALLBACKS: NameFallback[] = [
  { names: /^(db|session|db_session|async_session|asession|sess|dbsession|async_db)$/, awaited: 'fallback:AsyncSession', sync: 'fallback:Session' },
  { names: /^(conn|connection|con|db_conn|pg_conn|pg)$/, awaited: 'fallback:asyncpg.Connection' },
  { names: /^(pool|db_pool|pg_pool)$/, awaited: 'fallback:asyncpg.Pool' },
  { names: /^(redis|redis_client|redis_conn|rds|rdb|aioredis|redis_pool)$/, awaited: 'fallback:redis.asyncio', sync: 'fallback:redis' },
  { names: /^(cur|cursor)$/, awaited: 'fallback:AsyncCursor', sync: 'fallback:cursor' },
];

const STATEMENT = { index: 0, keyword: 'statement' };
const SQL = { index: 0, keyword: 'query' };

export const fallbacks: PyKnowledge = {
  modules: {},
  types: {
    // An async session known only by its name behaves like the real one.
    'fallback:AsyncSession': asyncSession,
    // The sync one is narrower (no `get`: `session.get(url)` is as likely `requests`).
    'fallback:Session': {
      library: 'sqlalchemy',
      display: 'Session',
      connection: true,
      methods: {
        ...each(['execute', 'scalars', 'scalar', 'exec'], { ...SYNC_READ, statementArg: STATEMENT }),
        query: { returns: 'sqlalchemy.Query', builds: 'read' },
        ...each(['commit', 'flush', 'refresh'], SYNC_LIFECYCLE),
        merge: SYNC_WRITE,
      },
    },
    'fallback:asyncpg.Connection': {
      library: 'asyncpg',
      display: 'Connection',
      connection: true,
      methods: {
        ...each(['fetch', 'fetchrow', 'fetchval'], { ...READ, statementArg: SQL }),
        ...each(['execute', 'executemany'], { ...WRITE, statementArg: SQL }),
      },
    },
    'fallback:asyncpg.Pool': {
      library: 'asyncpg',
      display: 'Pool',
      methods: {
        ...each(['fetch', 'fetchrow', 'fetchval'], { ...READ, statementArg: SQL }),
        ...each(['execute', 'executemany'], { ...WRITE, statementArg: SQL }),
      },
    },
    'fallback:redis.asyncio': {
      library: 'redis',
      display: 'Redis',
      store: 'redis',
      methods: { ...each(REDIS_READ_COMMANDS, READ), ...each(REDIS_WRITE_COMMANDS, WRITE) },
    },
    'fallback:redis': {
      library: 'redis',
      display: 'Redis',
      store: 'redis',
      methods: { ...each(REDIS_READ_COMMANDS, SYNC_READ), ...each(REDIS_WRITE_COMMANDS, SYNC_WRITE) },
    },
    'fallback:AsyncCursor': {
      library: 'psycopg',
      display: 'AsyncCursor',
      connection: true,
      methods: { execute: { ...READ, statementArg: SQL }, executemany: { ...WRITE, statementArg: SQL } },
    },
    'fallback:cursor': {
      library: 'db-api',
      display: 'cursor',
      connection: true,
      methods: {
        execute: { ...SYNC_READ, statementArg: SQL },
        executemany: { ...SYNC_WRITE, statementArg: SQL },
        ...each(['fetchone', 'fetchall', 'fetchmany'], { op: 'read' }),
      },
    },
  },
};
