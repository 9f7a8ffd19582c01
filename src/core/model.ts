/**
 * The language-neutral fact model. A front-end (TypeScript compiler API, tree-sitter for Python)
 * turns one source file into `FileFacts`; rules read only these facts, so one rule file serves
 * every language. Offsets are indices into the JavaScript string of the file text, i.e. UTF-16
 * code units — the unit VS Code, the TypeScript compiler and our JSON output use.
 */

export type Language = 'typescript' | 'javascript' | 'python';

/** Half-open range `[start, end)` of UTF-16 offsets into the file text. */
export interface Span {
  start: number;
  end: number;
}

/** What calling something does, as far as performance is concerned. */
export type EffectKind = 'query' | 'blocking';

/**
 * How an awaited operation relates to others, for `sequential-awaits`:
 * reads can run together; a write orders later work on the same resource; lifecycle steps
 * (connect, begin, commit, release, refresh…) and sleeps are ordering points.
 */
export type OperationKind = 'read' | 'write' | 'lifecycle' | 'sleep' | 'unknown';

export interface Effect {
  kind: EffectKind;
  /** Library or protocol, e.g. `prisma`, `pg`, `fs`, `redis`, `sqlalchemy`; `project` for helpers. */
  library: string;
  /** Human name of the API for messages, e.g. `prisma.user.findUnique`, `fs.readFileSync`. */
  api: string;
  /** Prisma's dataloader batches these when issued in the same tick (findUnique). */
  sameTickBatched?: boolean;
  /**
   * When the effect comes through a same-project helper: where the underlying query or blocking
   * call is, for related information ("`loadUser` runs `db.query` here").
   */
  via?: { file: string; span: Span; api: string; helper: string };
  /** Redis round trips are reported as N+1 too, but named as Redis. */
  store?: 'database' | 'redis';
  /** A helper's queries include a write (so awaiting it orders later work). */
  writes?: boolean;
  /**
   * The query runs only if the caller awaits what it returns: a helper that returns a Knex/Drizzle
   * builder or a raw fragment (`return knex.raw('…')`) composes SQL; it does not run it.
   */
  lazy?: boolean;
}

export interface FunctionFact {
  id: number;
  /** Name for messages and summaries (`loadUser`, `UserService.findById`); undefined when anonymous. */
  name?: string;
  span: Span;
  /** Where to point a related span at (the header / name). */
  headerSpan: Span;
  isAsync: boolean;
  /** A request handler (Express/Fastify/Koa/Nest route) runs on the event loop even when sync. */
  isHandler: boolean;
  /** An arrow function or function expression (its effects count for the function that holds it). */
  isExpression?: boolean;
  /** Python FastAPI `def` routes run in a thread pool: never on the loop. */
  runsInThreadPool?: boolean;
  /** Innermost enclosing function, if any. */
  parent?: number;
  /**
   * A callback that runs synchronously as part of its caller (`xs.forEach(cb)`, a `new Promise`
   * executor): for the event loop it is the enclosing function's code, not a separate function.
   */
  runsInline?: boolean;
}

export type LoopKind =
  | 'for'
  | 'for-of'
  | 'for-in'
  | 'while'
  | 'do-while'
  | 'callback'
  | 'comprehension'
  | 'async-for';

export interface LoopFact {
  id: number;
  kind: LoopKind;
  /** The whole loop statement or the iteration call (`xs.map(...)`). */
  span: Span;
  /** The part that runs once per element (body / callback / comprehension element). */
  bodySpan: Span;
  /** Source text of what is iterated (`orders`, `user.posts`), for messages. */
  iterableText?: string;
  /** Innermost function that contains the loop statement itself. */
  functionId?: number;
  /**
   * True when the loop iterates a collection (for-of, callbacks, comprehensions, index loops over
   * `.length`, `while (queue.length) queue.shift()`); false for open-ended while/for(;;) loops,
   * which are polling, retry or pagination loops unless proven otherwise.
   */
  overCollection: boolean;
  /** The body ends in an unconditional break/return/throw and never continues. */
  exitsInFirstIteration: boolean;
  /** Number of elements when the loop walks an array/tuple literal. */
  literalSize?: number;
  /**
   * Names declared outside the loop and assigned inside it (or in a for-update clause). A query
   * that reads one of these is a pagination / polling step, not per-element work.
   */
  carriedNames: string[];
  /**
   * For callback loops: the callbacks start in the same tick (map/forEach/flatMap), so
   * operations before the first await run concurrently — relevant to Prisma's batching.
   */
  startsTogether: boolean;
  /** The loop's body contains a sleep/delay call: a polling loop. */
  sleeps: boolean;
}

export interface CallFact {
  id: number;
  span: Span;
  /** Span of the callee expression (`prisma.user.findMany`). */
  calleeSpan: Span;
  /** Dotted callee text as written, for messages and config patterns. */
  calleeText: string;
  /** Resolved effect; undefined when the call is not known to query or block. */
  effect?: Effect;
  /** Operation kind, when known (from knowledge tables). */
  operation?: OperationKind;
  /** Resource the operation touches (`user` model, table, file path text), when known. */
  resource?: string;
  /**
   * Identity of a single connection, session or transaction the call runs on (`tx`, `client`,
   * `session`): operations on one are serialised and must not be reported as parallelisable.
   */
  connectionKey?: string;
  /** Innermost enclosing function. */
  functionId?: number;
  /** Loops (innermost first) whose per-element part contains the call, within the same function. */
  loopIds: number[];
  /** An await precedes this call inside the innermost loop's body (so it is not in the first tick). */
  afterAwaitInLoop: boolean;
  /** Names (root identifiers) read by the arguments and the receiver. */
  namesRead: string[];
  awaited: boolean;
  /** The result is awaited, returned, yielded or `.then`-ed: a lazy builder it returns runs. */
  consumed?: boolean;
  /**
   * A function of this project the call runs: its effect comes from that function's summary,
   * filled in by linking (`src/core/link.ts`) once the summaries are known.
   */
  target?: CallTarget;
}

/** Where a call into the project's own code goes. */
export type CallTarget =
  | { kind: 'local'; functionId: number; guessedOp?: OperationKind }
  /** An import from another file of the project: the export `name`, and the `member` called on it. */
  | { kind: 'import'; specifier: string; name: string; member?: string; guessedOp?: OperationKind }
  /** A method of a project class known by name (a type annotation naming a class of the project). */
  | { kind: 'class'; className: string; member: string; guessedOp?: OperationKind };

/** What a file exports, in terms of its own function ids (summaries are filled in by linking). */
export interface ExportFact {
  functionId?: number;
  members?: Record<string, number>;
  typeId?: string;
  className?: string;
  instanceOf?: string;
  reexport?: { specifier: string; name: string };
}

export interface ClassFact {
  methods: Record<string, number>;
  bases?: { instance?: string; static?: string };
  /**
   * ORM entities: relations loadable with the row, named where the class also declares their
   * foreign key (`@ManyToOne() author` beside `authorId`), for eager-loading fixes in other files.
   */
  relations?: string[];
}

/** One awaited expression that is the whole of a statement (`await x`, `const a = await x`). */
export interface AwaitFact {
  span: Span;
  /** The call under the await, if it is a call. */
  callId?: number;
  /** Rendered text of the awaited expression (for fixes and messages). */
  exprText: string;
}

export interface StatementFact {
  span: Span;
  /** When the statement is a single top-level await (optionally bound to names). */
  await?: AwaitFact;
  /**
   * The statement awaits somewhere other than as its single top-level await (nested blocks,
   * inside conditions): it is an ordering barrier for grouping.
   */
  otherAwait: boolean;
  /** Root names read anywhere in the statement. */
  namesRead: string[];
  /** Names declared or assigned by the statement. */
  namesWritten: string[];
  /**
   * The statement may leave the block: it is, or contains outside nested functions, a
   * return/throw/break/continue (`if (!user) throw …` is a guard: what follows runs only if it passed).
   */
  exits: boolean;
}

/** A list of statements that run one after another (a function body, a block). */
export interface BlockFact {
  functionId?: number;
  span: Span;
  statements: StatementFact[];
}

export type OffsetStyle = 'property' | 'method' | 'sql' | 'keyword';

export interface OffsetFact {
  /** The `skip:` property, `.offset(` call, or `OFFSET` clause. */
  span: Span;
  style: OffsetStyle;
  /** What was written (`skip`, `.offset()`, `OFFSET`), for the message. */
  keyword: string;
  library: string;
  /** Source text of the offset value. */
  valueText: string;
  /** Literal number (or literal-only arithmetic): a fixed offset is not pagination. */
  constant: boolean;
  /** A cursor is given alongside (Prisma `cursor:`): `skip` only steps over the cursor row. */
  withCursor: boolean;
  /** The request/function parameter feeding the offset, when traced. */
  source?: { name: string; span: Span };
  functionId?: number;
}

/** A summary of what calling a function does; used for same-project helpers. */
export interface FunctionSummary {
  name: string;
  isAsync: boolean;
  query?: Effect;
  blocking?: Effect;
}

export interface FileFacts {
  file: string;
  language: Language;
  text: string;
  functions: FunctionFact[];
  loops: LoopFact[];
  calls: CallFact[];
  blocks: BlockFact[];
  offsets: OffsetFact[];
  /** Notes from the front-end (syntax errors that were tolerated, etc.). */
  notes: string[];
  /** Exports and classes, for the project summary (front-ends that link through `src/core/link.ts`). */
  exports?: Record<string, ExportFact>;
  classes?: Record<string, ClassFact>;
  /**
   * Imports of the project whose types the facts could not know without the project's summaries
   * (an exported client, a class that extends a library class): if the summaries give them a type,
   * the file is extracted again with the project index.
   */
  typeDependencies?: Array<{ specifier: string; name: string; fallback?: string }>;
  /** Entity relations (see ClassFact.relations) declared anywhere in the project, set by linking. */
  projectRelations?: readonly string[];
}
