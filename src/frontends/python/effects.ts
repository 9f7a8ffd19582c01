import type { Config } from '../../core/config';
import { matchCalleePattern } from '../../core/config';
import type { Effect, FunctionSummary, OperationKind, Span } from '../../core/model';
import { RECEIVER_NAME_FALLBACKS } from '../../core/knowledge/python';
import type { PyCallable, PyType } from '../../core/knowledge/python';
import type { FunctionInfo } from './scope';
import type { Resolver, Value } from './resolve';
import { qnameOf } from './resolve';
import type { PyNode } from './tree';
import { field, firstNamed, namedChildren, unparen, walkSameFunction } from './tree';
import { statementInfo } from './statements';

/** Everything the rules need to know about one call, independent of where it runs. */
export interface CallInfo {
  /** Calling this runs a query (or a Redis command). */
  query?: Effect;
  /** The query part applies to synchronous code only (Django's sync ORM raises in async code). */
  queryInSyncOnly?: boolean;
  /** Calling this blocks the thread. */
  blocking?: Effect;
  operation?: OperationKind;
  resource?: string;
  connectionKey?: string;
  /** `.offset(x)` paging on a query builder. */
  offset?: { library: string };
  /** The argument holding a SQL statement/string, and the library executing it. */
  statement?: { node: PyNode; library: string; sqlPositional: PyNode[] };
}

const NO_INFO: CallInfo = {};

/**
 * Helper names that only read, for grouping awaits on project helpers — but not `get_or_create_user`
 * and the like, which write (bots call them first thing in every handler).
 */
const READ_HELPER = /^(?!.*(_or_(create|insert|update|add|set|register)|Or(Create|Insert|Update|Add|Set|Register)|_and_(create|update|save|delete|mark|set)|And(Create|Update|Save|Delete|Mark|Set)))_*(get|fetch|list|load|find|count|read|search|lookup|query|select|retrieve|exists|has|is|check)(_|[A-Z]|$)/;

export class CallAnalyzer {
  private readonly memo = new Map<PyNode, CallInfo>();
  private readonly summaries = new Map<FunctionInfo, FunctionSummary>();

  constructor(
    readonly r: Resolver,
    readonly config: Config,
  ) {}

  calleeText(call: PyNode): string {
    const callee = call.type === 'call' ? field(call, 'function') : call;
    if (!callee) return '';
    // Generated chains can be enormous; messages only show the start anyway.
    if (callee.end - callee.start > 1000) return oneLine(`${this.text(callee.start, callee.start + 200)}…${this.text(callee.end - 200, callee.end)}`);
    return oneLine(this.r.src(callee));
  }

  private text(start: number, end: number): string {
    return this.r.text.slice(start, end);
  }

  analyze(call: PyNode): CallInfo {
    let info = this.memo.get(call);
    if (!info) {
      const before = this.r.fallbacks;
      // Keyed apart from the resolver's own questions about the same node (`valueOf(call)`).
      const key = this.keyOf(call);
      info = NO_INFO;
      if (this.r.enter(key)) {
        try {
          info = this.compute(call);
        } finally {
          this.r.leave(key);
        }
      }
      // Computed inside a cycle (`self.delete_model(…)` within `delete_model`, asked while its
      // summary is being made), the info lacks what the cycle cut off: asked again later, it is
      // complete. Remembering it made findings depend on which question came first.
      if (this.r.fallbacks === before) this.memo.set(call, info);
    }
    return info;
  }

  private readonly keys = new Map<PyNode, object>();

  private keyOf(call: PyNode): object {
    let key = this.keys.get(call);
    if (!key) this.keys.set(call, (key = {}));
    return key;
  }

  private compute(call: PyNode): CallInfo {
    if (call.type === 'attribute') return this.awaitableAttr(call);
    const callee = field(call, 'function');
    if (!callee) return NO_INFO;
    const r = this.r;
    const text = this.calleeText(call);
    const awaited = isAwaited(call);
    const iterated = iteration(call);
    const receiver = unparen(callee).type === 'attribute' ? field(unparen(callee), 'object') : undefined;
    const v = r.valueOf(callee);
    let info: CallInfo = {};

    switch (v.kind) {
      case 'member': {
        const owner = r.type(v.owner);
        const spec = r.memberSpec(v.owner, v.name);
        if (owner && spec) {
          // Module functions by qualified name (`time.sleep`); methods as written when the receiver
          // is a plain name (`db.execute`), else by type (`Path.read_text`).
          const simple = !receiver || /^[\w.]+$/.test(this.r.src(receiver));
          const api = owner.module ? v.qname.replace(/^builtins\./, '') : simple ? text : `${owner.display}.${v.name}`;
          info = this.fromSpec(call, spec, owner, api, receiver);
        }
        break;
      }
      case 'type': {
        const t = r.type(v.id);
        if (t?.callable) info = this.fromSpec(call, t.callable, t, text, undefined);
        break;
      }
      case 'function':
        info = this.fromSummary(call, this.summaryOf(v.fn), text, receiver);
        break;
      case 'projectFunction':
        info = this.fromSummary(call, v.summary, text, receiver);
        break;
      case 'unknown':
        if (receiver && callee.type === 'attribute') info = this.fallback(call, receiver, this.r.src(field(callee, 'attribute') ?? callee), awaited, text);
        break;
    }

    // An awaited call of something unknown that is handed a connection or session does database
    // work with it (query-file libraries, generated helpers): `await queries.get_user(conn, id)`.
    if (!info.query && !info.blocking && awaited && (v.kind === 'unknown' || v.kind === 'external')) {
      const conn = this.connectionArgument(call);
      if (conn) info = { ...info, query: { kind: 'query', library: conn.library, api: text, store: conn.store }, connectionKey: conn.key };
    }

    // A lazy queryset runs when awaited (Tortoise) or iterated (Django, legacy Query).
    if (!info.query && !info.blocking && (awaited || iterated)) {
      const result = r.valueOf(call);
      const t = result.kind === 'type' ? r.type(result.id) : undefined;
      const runs = t ? (awaited ? t.awaitRuns : iterated === 'async' ? t.asyncIterRuns : iterated === 'sync' ? t.iterRuns : undefined) : undefined;
      if (t && runs) info = { ...info, ...this.fromSpec(call, runs, t, text, receiver) };
    }

    if (!info.query && !info.blocking) info = { ...info, ...this.fromConfig(text, v) };
    return info;
  }

  /** `await user.awaitable_attrs.posts`: a lazy-load query of a relationship. */
  private awaitableAttr(attr: PyNode): CallInfo {
    const text = oneLine(this.r.src(attr));
    return { query: { kind: 'query', library: 'sqlalchemy', api: text, store: 'database' }, operation: 'read' };
  }

  private fromSpec(call: PyNode, spec: PyCallable, owner: PyType, api: string, receiver: PyNode | undefined): CallInfo {
    const info: CallInfo = { operation: spec.op };
    const library = owner.library;
    if (spec.effect && this.effectApplies(call, spec)) {
      const store = owner.store ?? 'database';
      if (spec.effect === 'query' || spec.effect === 'sync-io' || spec.effect === 'sync-orm') {
        info.query = { kind: 'query', library, api, store };
        if (spec.effect === 'sync-orm') info.queryInSyncOnly = true;
      }
      if (spec.effect === 'blocking' || spec.effect === 'sync-io') info.blocking = { kind: 'blocking', library, api };
    }
    if (spec.offset) info.offset = { library };
    if (spec.statementArg) {
      const arg = argument(this.r, call, spec.statementArg.index, spec.statementArg.keyword);
      if (arg) {
        const st = statementInfo(this.r, arg);
        info.statement = { node: arg, library, sqlPositional: positionalAfter(call, arg) };
        if (st.op && (spec.op === 'read' || spec.op === 'write' || spec.op === undefined)) info.operation = st.op;
        if (st.resource) info.resource = st.resource;
      }
    }
    if (spec.modelArg !== undefined) {
      const arg = argument(this.r, call, spec.modelArg);
      const root = arg ? rootName(arg, this.r) : undefined;
      if (root) info.resource = root;
    }
    if (spec.receiverModel && receiver) {
      const root = rootName(receiver, this.r);
      if (root && /^[A-Z]/.test(root)) info.resource = root;
    }
    if (owner.connection && receiver) info.connectionKey = this.r.src(receiver).replace(/\s+/g, '');
    else if (owner.sharedConnection) info.connectionKey = owner.sharedConnection;
    return info;
  }

  /** `psutil.cpu_percent(interval=1)` blocks; `cpu_percent()` does not. */
  private effectApplies(call: PyNode, spec: PyCallable): boolean {
    if (spec.notInMemory) {
      const arg = argument(this.r, call, spec.notInMemory.index, spec.notInMemory.keyword);
      const inner = arg ? unparen(arg) : undefined;
      const callee = inner?.type === 'call' ? field(inner, 'function') : undefined;
      if (callee && /(^|\.)(BytesIO|StringIO)$/.test(this.r.src(callee))) return false;
    }
    if (!spec.positiveArg) return true;
    const arg = argument(this.r, call, spec.positiveArg.index, spec.positiveArg.keyword);
    if (!arg) return false;
    const t = this.r.src(unparen(arg)).trim();
    return !/^(None|0+(\.0*)?|0?\.0+)$/.test(t);
  }

  private fromSummary(call: PyNode, summary: FunctionSummary, text: string, receiver: PyNode | undefined): CallInfo {
    const info: CallInfo = {};
    const helper = summary.name;
    const carry = (e: Effect): Effect => ({
      kind: e.kind,
      library: 'project',
      api: text,
      store: e.store,
      via: e.via ? { ...e.via, helper } : undefined,
    });
    if (summary.query) info.query = carry(summary.query);
    if (!summary.isAsync && summary.blocking) info.blocking = carry(summary.blocking);
    if (info.query) {
      const name = text.split('.').pop() ?? '';
      info.operation = READ_HELPER.test(name) ? 'read' : undefined;
      info.connectionKey = this.sessionArgument(call) ?? this.receiverSession(receiver) ?? this.sharedRequestSession(summary, receiver);
    }
    return info;
  }

  /**
   * A repository or service of another module whose methods query through a SQLAlchemy session it
   * holds (`users: UserRepo = Depends(get_user_repo)`): which session is not visible here, but
   * FastAPI builds one per request and hands the same one to every dependency, so awaits on two
   * such objects are treated as one session (never gathered).
   */
  private sharedRequestSession(summary: FunctionSummary, receiver: PyNode | undefined): string | undefined {
    if (!receiver || summary.query?.library !== 'sqlalchemy') return undefined;
    return this.r.valueOf(receiver).kind === 'projectInstance' ? 'sqlalchemy-session' : undefined;
  }

  private connectionArgument(call: PyNode): { library: string; store: 'database' | 'redis'; key?: string } | undefined {
    for (const expr of nameArguments(call)) {
      const v = this.r.valueOf(expr);
      const t = v.kind === 'type' ? this.r.type(v.id) : undefined;
      if (t && (t.connection || /\b(Pool|Database)\b/.test(t.display)) && t.library !== 'requests' && t.library !== 'httpx') {
        return { library: t.library, store: t.store ?? 'database', key: t.connection ? oneLine(this.r.src(expr)) : undefined };
      }
    }
    return undefined;
  }

  /** A helper that takes the session (`crud.get(db, id)`) runs on that session. */
  private sessionArgument(call: PyNode): string | undefined {
    for (const expr of nameArguments(call)) {
      const v = this.r.valueOf(expr);
      if (v.kind === 'type' && (this.r.type(v.id)?.connection || this.r.type(v.id)?.sharedConnection)) {
        return this.r.type(v.id)?.sharedConnection ?? this.r.src(expr).replace(/\s+/g, '');
      }
      if (v.kind === 'unknown' && expr.type === 'identifier' && /^(db|session|db_session|async_session|conn|connection|tx|transaction)$/.test(this.r.src(expr))) {
        return this.r.src(expr);
      }
    }
    return undefined;
  }

  /**
   * `self.repo.get(…)` where the repository holds a session: the receiver's session. A receiver
   * built by a constructor handed the session (`self.repo = CartRepository(db_session)`) runs on
   * that session, whatever file the class is in.
   */
  private receiverSession(receiver: PyNode | undefined): string | undefined {
    if (!receiver) return undefined;
    const ctor = this.r.constructorCall(receiver);
    const fromCtor = ctor ? this.sessionArgument(ctor) : undefined;
    if (fromCtor) return fromCtor;
    const v = this.r.valueOf(receiver);
    if (v.kind !== 'instance') return undefined;
    for (const [name, bindings] of v.cls.attrs) {
      for (const b of bindings) {
        const bv = b.annotation ? this.r.annotationValue(b.annotation, b.scope) : this.r.valueOf(b.value);
        if (bv.kind === 'type' && this.r.type(bv.id)?.connection) return `${this.r.src(receiver).replace(/\s+/g, '')}.${name}`;
      }
    }
    return undefined;
  }

  /** Unresolved receivers with a well-known name (`db`, `session`, `conn`, `redis`). */
  private fallback(call: PyNode, receiver: PyNode, method: string, awaited: boolean, text: string): CallInfo {
    const r = this.r;
    const rv = unparen(receiver);
    let name: string | undefined;
    if (rv.type === 'identifier') {
      const n = r.src(rv);
      if (r.isUntyped(n, r.scopeFor(rv)) || !hasBinding(r, rv)) name = n;
    } else if (rv.type === 'attribute') {
      const obj = field(rv, 'object');
      const attr = field(rv, 'attribute');
      if (obj?.type === 'identifier' && r.src(obj) === 'self' && attr) name = r.src(attr);
    }
    if (!name) return NO_INFO;
    const key = name.replace(/^_+/, '');
    for (const fb of RECEIVER_NAME_FALLBACKS) {
      if (!fb.names.test(key)) continue;
      const typeId = awaited ? fb.awaited : fb.sync;
      const t = typeId ? r.type(typeId) : undefined;
      const spec = t?.methods?.[method];
      if (t && spec) return this.fromSpec(call, spec, t, text, receiver);
      return NO_INFO;
    }
    return NO_INFO;
  }

  private fromConfig(text: string, v: Value): CallInfo {
    const { queryFunctions, blockingFunctions } = this.config;
    if (!queryFunctions.length && !blockingFunctions.length) return {};
    const names = [text];
    const q = qnameOf(v);
    if (q) names.push(q);
    if (queryFunctions.some((p) => names.some((n) => matchCalleePattern(p, n)))) {
      return { query: { kind: 'query', library: 'config', api: text, store: 'database' } };
    }
    if (blockingFunctions.some((p) => names.some((n) => matchCalleePattern(p, n)))) {
      return { blocking: { kind: 'blocking', library: 'config', api: text } };
    }
    return {};
  }

  /**
   * What calling a function of this file does: its first query and, for sync functions, its first
   * blocking call (direct or through other helpers), each pointing at the underlying call.
   */
  summaryOf(fn: FunctionInfo): FunctionSummary {
    const cached = this.summaries.get(fn);
    if (cached) return cached;
    const name = fn.name ?? '<lambda>';
    const empty: FunctionSummary = { name, isAsync: fn.isAsync };
    const before = this.r.fallbacks;
    return this.r.guard(fn, empty, () => {
      const summary: FunctionSummary = { name, isAsync: fn.isAsync };
      const body = fn.body;
      if (body) {
        walkSameFunction(body, (n) => {
          if (summary.query && (summary.blocking || fn.isAsync)) return false;
          if (n.type === 'class_definition') return false;
          const isCall = n.type === 'call' || (n.type === 'attribute' && isAwaitableAttr(n, this.r));
          if (!isCall) return;
          const info = this.analyze(n);
          const span = { start: n.start, end: n.end };
          if (!summary.query && info.query) summary.query = this.located(info.query, span, name);
          if (!fn.isAsync && !summary.blocking && info.blocking) summary.blocking = this.located(info.blocking, span, name);
        });
      }
      // As for calls (analyze): made across a cycle that was cut, the summary depends on where the
      // cycle was entered; remembering it made a helper's cited query depend on which caller was
      // analysed first (and the editor, which walks only some statements, differ from the CLI).
      if (this.r.fallbacks === before) this.summaries.set(fn, summary);
      return summary;
    });
  }

  private located(e: Effect, span: Span, helper: string): Effect {
    return {
      kind: e.kind,
      library: e.library,
      api: e.via ? e.via.api : e.api,
      store: e.store,
      via: e.via ? { ...e.via, helper } : { file: this.r.file, span, api: e.api, helper },
    };
  }
}

export function isAwaitableAttr(n: PyNode, r: Resolver): boolean {
  if (n.type !== 'attribute') return false;
  const obj = field(n, 'object');
  const parent = n.parent;
  return !!obj && obj.type === 'attribute' && r.src(field(obj, 'attribute') ?? obj) === 'awaitable_attrs' && parent?.type === 'await';
}

export function isAwaited(call: PyNode): boolean {
  let p = call.parent;
  while (p && p.type === 'parenthesized_expression') p = p.parent;
  return p?.type === 'await';
}

/** `for x in call()` / `async for x in call()` (statement or comprehension clause). */
function iteration(call: PyNode): 'sync' | 'async' | undefined {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p || n.field !== 'right' || (p.type !== 'for_statement' && p.type !== 'for_in_clause')) return undefined;
  return p.children.some((c) => c.type === 'async') ? 'async' : 'sync';
}

function hasBinding(r: Resolver, id: PyNode): boolean {
  return r.valueOf(id).kind !== 'unknown';
}

/** Positional or keyword argument of a call. */
export function argument(r: Resolver, call: PyNode, index: number, keyword?: string): PyNode | undefined {
  const args = field(call, 'arguments');
  if (!args) return undefined;
  let i = 0;
  for (const a of namedChildren(args)) {
    if (a.type === 'keyword_argument') {
      const name = field(a, 'name');
      if (keyword && name && r.src(name) === keyword) return field(a, 'value');
      continue;
    }
    if (a.type === 'dictionary_splat') continue;
    if (i === index && a.type !== 'list_splat') return a;
    i++;
  }
  return undefined;
}

/** Positional arguments after the SQL argument (asyncpg `$1`, `$2`…; psycopg `%s` params). */
function positionalAfter(call: PyNode, sqlArg: PyNode): PyNode[] {
  const args = field(call, 'arguments');
  if (!args) return [];
  const all = namedChildren(args);
  const idx = all.indexOf(sqlArg);
  return idx < 0 ? all.filter((a) => a.type !== 'keyword_argument') : all.slice(idx + 1);
}

/** `User` in `User.objects.filter(…)`, `select(User.id)`, `session.get(User, 1)`. */
export function rootName(node: PyNode, r: Resolver): string | undefined {
  let n: PyNode | undefined = unparen(node);
  for (let i = 0; n && i < 200; i++) {
    if (n.type === 'identifier') return r.src(n);
    if (n.type === 'attribute') n = field(n, 'object');
    else if (n.type === 'call') n = field(n, 'function');
    else if (n.type === 'subscript') n = field(n, 'value');
    else if (n.type === 'await') n = firstNamed(n);
    else return undefined;
  }
  return undefined;
}

/** Source text on one line: line breaks inside a chained call disappear, other runs of space shrink. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, '').replace(/\s+/g, ' ').trim();
}

/** The arguments of a call that are names or attributes (`db`, `self.session`), keyword values included. */
function nameArguments(call: PyNode): PyNode[] {
  const args = field(call, 'arguments');
  if (!args) return [];
  const out: PyNode[] = [];
  for (const a of namedChildren(args)) {
    const expr = a.type === 'keyword_argument' ? field(a, 'value') : a;
    if (expr && (expr.type === 'identifier' || expr.type === 'attribute')) out.push(expr);
  }
  return out;
}
