/**
 * How per-element Python queries batch, for the fixes of `n-plus-one-query`. Keyed by the effect's
 * library and the method called (the last part of the callee).
 */

/** SQLAlchemy session methods that look one row up: `get(M, pk)` by primary key, `scalar(select(M).where(M.k == v))` by column. */
export const PY_SQLALCHEMY_LOOKUPS = {
  byPrimaryKey: new Set(['get']),
  byStatement: new Set(['scalar']),
  /** Session methods whose result, read to a list by these calls, is all rows of a statement: `(await s.scalars(st)).all()`. */
  allRows: { scalars: ['all'], execute: ['scalars', 'all'] } as Record<string, string[]>,
  /** The lazy-loading accessor of `AsyncAttrs` models: `await user.awaitable_attrs.orders`. */
  awaitableAttrs: 'awaitable_attrs',
  /** Where a relation is loaded with its rows instead. */
  eagerLoader: { module: 'sqlalchemy.orm', name: 'selectinload' },
  /** The statement constructor and its homes (SQLModel re-exports it). */
  select: { module: 'sqlalchemy', name: 'select', alsoFrom: ['sqlmodel', 'sqlalchemy.future'] },
} as const;

/** Per-row writes with a many-rows twin taking a list of argument tuples: asyncpg `execute` → `executemany`. */
export const PY_EXECUTEMANY: Record<string, Record<string, string>> = {
  asyncpg: { execute: 'executemany' },
};

/**
 * Libraries whose clients are pools (or pool-backed), so that N awaits may run at once with
 * `asyncio.gather`. A single connection, session or transaction (a call with a connection key) never is.
 */
export const PY_GATHER_SAFE_LIBRARIES: ReadonlySet<string> = new Set(['asyncpg', 'databases', 'redis', 'httpx', 'aiohttp']);

/**
 * Calls whose result can be iterated only once: a batched rewrite reads the loop's collection twice,
 * so it is not offered over these (builtins that return iterators; SQLAlchemy results before `.all()`).
 */
export const PY_ONE_SHOT_CALLS: ReadonlySet<string> = new Set(['map', 'filter', 'zip', 'iter', 'reversed', 'enumerate', 'scalars', 'execute', 'stream', 'stream_scalars']);
