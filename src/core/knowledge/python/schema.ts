import type { OperationKind } from '../../model';

/**
 * Python library knowledge as a small type system. Every value a program can hold (an
 * `AsyncSession`, an asyncpg `Pool`, the `requests` module, a Django manager) has a type id; a type
 * says what its methods do and what they produce. The Python front-end resolves receivers to type
 * ids through imports, annotations and assignments and looks calls up here, so supporting another
 * library is adding a table, not code.
 */

/**
 * - `query`: an asynchronous round trip to a database or Redis (N+1 when repeated per element).
 * - `blocking`: stalls the thread (sleep, file/network I/O) — a problem on the event loop.
 * - `sync-io`: a synchronous database/Redis round trip: blocking inside `async def`, a query
 *   (N+1 candidate) in synchronous code.
 * - `sync-orm`: Django's synchronous ORM: a query in synchronous code; inside `async def` Django
 *   raises `SynchronousOnlyOperation` instead of blocking, so nothing is reported there.
 */
export type PyEffect = 'query' | 'blocking' | 'sync-io' | 'sync-orm';

export interface PyCallable {
  effect?: PyEffect;
  op?: OperationKind;
  /** Type id of the value produced (after `await` for coroutines). */
  returns?: string;
  /**
   * Where the statement is (`session.execute(stmt)`, `conn.fetch(sql, …)`): a SQLAlchemy statement
   * or SQL text that decides read/write and the resource, and is scanned for OFFSET.
   */
  statementArg?: { index: number; keyword?: string };
  /** The argument that names the model (`session.get(User, 1)`): the resource. */
  modelArg?: number;
  /** Only an effect when this argument (position or keyword) is given and not a literal 0/None (`psutil.cpu_percent(interval=1)`). */
  positiveArg?: { index: number; keyword: string };
  /** No effect when this argument is an in-memory buffer (`pd.read_csv(io.BytesIO(data))` parses, it does no I/O). */
  notInMemory?: { index: number; keyword: string };
  /** The receiver's model is the resource (`User.objects.aget`, `User.get`). */
  receiverModel?: boolean;
  /**
   * Builds a statement of this kind (`select(User)` reads, `update(User)` writes); the first
   * argument's root name is the resource. Executing the statement takes its kind and resource.
   */
  builds?: OperationKind;
  /** `.offset(n)`-style paging method. */
  offset?: boolean;
  /**
   * A different result when a keyword argument names a known type: `sessionmaker(engine,
   * class_=AsyncSession)` makes async sessions. Maps the type id the keyword's value resolves to
   * to the result type.
   */
  returnsByKeyword?: { keyword: string; returns: Record<string, string> };
}

export interface PyType {
  /** Library name for messages and effects (`sqlalchemy`, `asyncpg`, `requests`). */
  library: string;
  /** Name for messages (`AsyncSession`). */
  display: string;
  /** One connection, session or transaction: its operations are serialised (connectionKey). */
  connection?: boolean;
  /** Redis round trips are named as Redis. */
  store?: 'database' | 'redis';
  methods?: Record<string, PyCallable>;
  /** What any other method does (every Redis command is a round trip; builders chain). */
  otherMethods?: PyCallable;
  /** Attribute name → type id (`User.objects`, `obj.awaitable_attrs`, `path.parent`). */
  attributes?: Record<string, string>;
  /** Type of the value bound by `with x as v` / `async with x as v`; default: the same type. */
  enters?: string;
  /** Calling a value of this type (a session factory, a class object). */
  callable?: PyCallable;
  /** A class: an annotation naming it means an instance of this type. */
  instance?: string;
  /** A class users subclass (Django/Tortoise `Model`): the subclass object gets this type. */
  subclass?: string;
  /** Awaiting the value runs a query (lazy Tortoise querysets). */
  awaitRuns?: PyCallable;
  /** `for x in value` runs a query (Django querysets, a legacy SQLAlchemy `Query`). */
  iterRuns?: PyCallable;
  /** `async for x in value` runs a query (Django querysets, asyncpg cursors). */
  asyncIterRuns?: PyCallable;
  /**
   * All values of this type share one connection or thread, named by this key: Django's async
   * ORM runs every query through one thread (`sync_to_async(thread_sensitive=True)`), so
   * gathering them gains nothing.
   */
  sharedConnection?: string;
  /** Decorating with these methods registers a route handler (`@router.get(...)`). */
  routeMethods?: readonly string[];
  /** Any attribute of a value of this type (a module) is found by qualified name. */
  module?: boolean;
  /** `/` on a value of this type gives this type (`Path(x) / "y"`). */
  divides?: string;
}

export interface PyKnowledge {
  /** Qualified name of a module (`requests`, `sqlalchemy.ext.asyncio`) → its type id. */
  modules: Record<string, string>;
  types: Record<string, PyType>;
}

/** Many names that behave alike: `each(['get', 'post'], BLOCKING)`. */
export function each(names: readonly string[], spec: PyCallable): Record<string, PyCallable> {
  const out: Record<string, PyCallable> = {};
  for (const n of names) out[n] = spec;
  return out;
}

/** A class: calling it makes an instance, annotating with it means an instance. */
export function klass(instance: string, extra: Partial<PyType> = {}): PyType {
  return { library: instance.split('.')[0], display: instance.split('.').pop()!, callable: { returns: instance }, instance, ...extra };
}

export const READ: PyCallable = { effect: 'query', op: 'read' };
export const WRITE: PyCallable = { effect: 'query', op: 'write' };
export const QUERY_LIFECYCLE: PyCallable = { effect: 'query', op: 'lifecycle' };
export const LIFECYCLE: PyCallable = { op: 'lifecycle' };
export const BLOCKING: PyCallable = { effect: 'blocking' };
export const SYNC_READ: PyCallable = { effect: 'sync-io', op: 'read' };
export const SYNC_WRITE: PyCallable = { effect: 'sync-io', op: 'write' };
export const SYNC_LIFECYCLE: PyCallable = { effect: 'sync-io', op: 'lifecycle' };
