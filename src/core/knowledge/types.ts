import type { EffectKind, OperationKind } from '../model';

/**
 * Library knowledge as a tiny type system: each value a program can hold (a pg `Pool`, a Prisma
 * model delegate, a Knex builder, the `fs` module) has a type id; a type says what its methods do
 * and what they return. Front-ends resolve receivers to type ids and look calls up here, so adding
 * a library is adding data, not code.
 */
export interface MethodSpec {
  /** Calling this method queries the database or blocks the thread. */
  effect?: EffectKind;
  /** For sequential-awaits: read, write, lifecycle step or sleep. */
  op?: OperationKind;
  /** Type id of the value the call returns (or resolves to: awaiting passes types through). */
  returns?: string;
  /** Prisma batches these when issued in the same tick. */
  sameTickBatched?: boolean;
  /** `$transaction(async (tx) => …)`: the type of the callback's first parameter. */
  callbackParam?: string;
  /** `.offset(n)` / `.skip(n)`: OFFSET paging. */
  offset?: boolean;
  /** The first argument is SQL text (raw queries): scanned for OFFSET and read/write. */
  sqlArg?: boolean;
  /** The options argument may carry `skip`/`offset`/`cursor` (ORM finders). */
  pagingOptions?: boolean;
  /** `blocking` only when a numeric argument is > 0 (`psutil.cpu_percent(interval=1)`). */
  blockingArg?: { index: number; keyword?: string };
}

export interface TypeSpec {
  /** Library name for messages and effects (`pg`, `prisma`, `fs`). */
  library: string;
  /** Operations on one value of this type share one connection/session/transaction. */
  singleConnection?: boolean;
  /** Redis and other stores: N+1 is named after the store. */
  store?: 'database' | 'redis';
  methods?: Record<string, MethodSpec>;
  /** Any method not listed (builders: every method returns the builder). */
  otherMethods?: MethodSpec;
  /** Property name → type id. */
  properties?: Record<string, string>;
  /** Any property not listed and not starting with `$`/`_` (Prisma model delegates). */
  anyProperty?: string;
  /** Calling the value itself (`knex('users')`, `express()`). */
  callable?: MethodSpec;
  /** `new X()` gives this type. */
  construct?: string;
  /** A type annotation naming this value (`pool: Pool`) gives this type. */
  instance?: string;
  /** Awaiting or `.then`-ing a value of this type runs a query (lazy builders). */
  thenable?: { op?: OperationKind };
  /** Iterating a value of this type yields this type (result lists of documents/instances). */
  element?: string;
  /** `class User extends X`: the subclass's static side and instances get these types. */
  subclass?: { static: string; instance: string };
  /** Request-handler registration: functions passed to these methods are route handlers. */
  routeMethods?: readonly string[];
}

export interface LibraryKnowledge {
  /** Module specifier → type id of the module namespace (`import * as x`, `require`). */
  modules: Record<string, string>;
  /** Module specifier → type id of its default export when it differs from the namespace. */
  defaults?: Record<string, string>;
  types: Record<string, TypeSpec>;
}
