import type { BlockFact, CallFact, Effect, FileFacts, FunctionFact, LoopFact, Span, StatementFact } from '../../core/model';
import type { CallAnalyzer, CallInfo } from './effects';
import { isAwaitableAttr, isAwaited } from './effects';
import { namesOf } from './names';
import type { NameUse } from './names';
import { OffsetCollector } from './offsets';
import type { Resolver } from './resolve';
import { qnameOf } from './resolve';
import type { FunctionRoles } from './roles';
import type { FunctionInfo } from './scope';
import { lookup, targetNames } from './scope';
import type { PyNode } from './tree';
import { field, firstNamed, hasChild, namedChildren, unparen, walkSameFunction } from './tree';

/**
 * The fact walk: one pass over the tree producing functions, loops (for/async for/while and every
 * comprehension clause), calls with their effects in context, statement blocks and offsets.
 */

interface LoopCtx {
  id: number;
  body: Span;
}

interface Ctx {
  fn?: FunctionInfo;
  loops: LoopCtx[];
}

const LOOP_TYPES = new Set(['for_statement', 'while_statement']);
const NAME_BUDGET = 2000;

/** Builtins that call a function per element: where the function and the iterable are. */
const CALLBACK_BUILTINS: Record<string, { fn: number; iterable: number; keyword?: string }> = {
  map: { fn: 0, iterable: 1 },
  filter: { fn: 0, iterable: 1 },
  sorted: { fn: -1, iterable: 0, keyword: 'key' },
  min: { fn: -1, iterable: 0, keyword: 'key' },
  max: { fn: -1, iterable: 0, keyword: 'key' },
};

export class FactWalker {
  readonly functions: FunctionFact[] = [];
  readonly loops: LoopFact[] = [];
  readonly calls: CallFact[] = [];
  readonly blocks: BlockFact[] = [];
  private readonly callIds = new Map<PyNode, number>();
  private readonly awaits: { start: number; end: number; fn?: FunctionInfo }[] = [];
  private readonly offsets: OffsetCollector;
  private readonly onLoop = new Map<FunctionInfo, boolean>();

  constructor(
    private readonly r: Resolver,
    private readonly calls_: CallAnalyzer,
    private readonly roles: FunctionRoles,
  ) {
    this.offsets = new OffsetCollector(r);
    this.functionFacts();
  }

  facts(file: string, text: string, notes: string[]): FileFacts {
    return {
      file,
      language: 'python',
      text,
      functions: this.functions,
      loops: this.loops,
      calls: this.calls,
      blocks: this.blocks,
      offsets: [...this.offsets.offsets.values()].sort((a, b) => a.span.start - b.span.start),
      notes,
    };
  }

  private src(n: PyNode): string {
    return this.r.src(n);
  }

  private functionFacts(): void {
    const fns = [...this.r.tree.functions].sort((a, b) => a.node.start - b.node.start);
    fns.forEach((fn, i) => (fn.id = i));
    for (const fn of fns) {
      const route = this.roles.routes.has(fn) || this.roles.dependencies.has(fn);
      const threaded = this.roles.threaded.has(fn) || (route && !fn.isAsync);
      const header = fn.nameNode ?? fn.node;
      this.functions.push({
        id: fn.id,
        name: fn.name,
        span: { start: fn.node.start, end: fn.node.end },
        headerSpan: fn.nameNode ? { start: header.start, end: header.end } : { start: fn.node.start, end: Math.min(fn.node.end, fn.node.start + 6) },
        isAsync: fn.isAsync,
        // FastAPI runs `async def` routes and dependencies on the event loop.
        isHandler: route && fn.isAsync,
        runsInThreadPool: threaded || undefined,
        parent: fn.parent?.id,
      });
      this.onLoop.set(fn, fn.isAsync && !threaded);
    }
  }

  walk(root: PyNode): void {
    this.visit(root, { loops: [] });
  }

  /**
   * One top-level statement, as `walk` visits it (the module adds nothing around its statements):
   * the editor walks only the statements an edit may have changed (statement-reuse.ts).
   */
  walkStatement(stmt: PyNode): void {
    this.visit(stmt, { loops: [] });
  }

  /** Ids of the functions the walk found to run inline (a lambda handed to `map`), in order found. */
  readonly inlineMarks: number[] = [];

  /** How far the walk has got, to tell which facts one statement produced. */
  get progress(): { calls: number; loops: number; blocks: number; inline: number } {
    return { calls: this.calls.length, loops: this.loops.length, blocks: this.pendingBlocks.length, inline: this.inlineMarks.length };
  }

  /** After `finish`: the block fact built for each block the walk met (none when it has no await). */
  builtBlocks: (BlockFact | undefined)[] = [];

  private visit(node: PyNode, ctx: Ctx): void {
    // Keywords share type names with nodes (`lambda`, `await`): only named nodes count.
    if (!node.named) return;
    switch (node.type) {
      case 'function_definition':
      case 'lambda': {
        const fn = this.r.tree.functionOf.get(node);
        // A lambda handed to map/filter/sorted runs once per element, inside its caller.
        const callback = this.callbackLoops.get(node);
        for (let ci = 0, cs = node.children; ci < cs.length; ci++) {
          const c = cs[ci];
          if (c.field === 'body') this.visit(c, { fn, loops: callback ? [...ctx.loops, callback] : [] });
          else this.visit(c, ctx);
        }
        return;
      }
      case 'for_statement':
        return this.forStatement(node, ctx);
      case 'while_statement':
        return this.whileStatement(node, ctx);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(node, ctx);
      case 'call':
        this.call(node, node, ctx);
        this.callbackLoop(node, ctx);
        break;
      case 'await': {
        this.awaits.push({ start: node.start, end: node.end, fn: ctx.fn });
        const operand = firstNamed(node);
        const inner = operand ? unparen(operand) : undefined;
        if (inner && isAwaitableAttr(inner, this.r)) this.call(inner, inner, ctx);
        break;
      }
      case 'block':
        if (ctx.fn && this.r.scopeFor(node).fn === ctx.fn) this.block(node, ctx);
        break;
    }
    for (let ci = 0, cs = node.children; ci < cs.length; ci++) {
      const c = cs[ci];
      this.visit(c, ctx);
    }
  }

  private call(node: PyNode, at: PyNode, ctx: Ctx): void {
    const info = this.calls_.analyze(node);
    const id = this.calls.length;
    const callee = node.type === 'call' ? field(node, 'function') : node;
    const span = { start: at.start, end: at.end };
    const innermost = ctx.loops[ctx.loops.length - 1];
    const fact: CallFact = {
      id,
      span,
      calleeSpan: callee ? { start: callee.start, end: callee.end } : span,
      calleeText: this.calls_.calleeText(node),
      effect: this.effectInContext(info, ctx.fn),
      operation: info.operation,
      resource: info.resource,
      connectionKey: info.connectionKey,
      functionId: ctx.fn?.id,
      loopIds: ctx.loops.map((l) => l.id).reverse(),
      afterAwaitInLoop: innermost ? this.awaitBefore(innermost.body, node.start, ctx.fn) : false,
      // Only a rule about loops reads a call's names (carried names: pagination); most calls are
      // outside loops, and their names were a sixth of the facts' allocations.
      namesRead: ctx.loops.length ? this.callNames(node) : [],
      awaited: node.type === 'call' ? isAwaited(node) : true,
    };
    this.calls.push(fact);
    this.callIds.set(node, id);
    if (node.type === 'call') this.offsets.visitCall(node, info, ctx.fn);
  }

  private readonly callbackLoops = new Map<PyNode, LoopCtx>();

  /** `map(lambda u: …, users)`, `sorted(xs, key=lambda x: …)`: the lambda is a per-element callback. */
  private callbackLoop(call: PyNode, ctx: Ctx): void {
    const callee = field(call, 'function');
    const args = field(call, 'arguments');
    if (!callee || !args || callee.type !== 'identifier') return;
    const name = this.src(callee);
    const spec = CALLBACK_BUILTINS[name];
    if (!spec || lookup(this.r.scopeFor(callee), name)) return;
    const all = namedChildren(args);
    const positional = all.filter((a) => a.type !== 'keyword_argument');
    const keyword = all.find((a) => a.type === 'keyword_argument' && this.src(field(a, 'name') ?? a) === spec.keyword);
    const fnArg = spec.keyword ? (keyword ? field(keyword, 'value') : undefined) : positional[spec.fn];
    const iter = positional[spec.iterable];
    const lambda = fnArg ? unparen(fnArg) : undefined;
    if (!lambda || lambda.type !== 'lambda' || !iter) return;
    const info = this.r.tree.functionOf.get(lambda);
    if (info) {
      this.functions[info.id].runsInline = true;
      this.inlineMarks.push(info.id);
    }
    const body = field(lambda, 'body') ?? lambda;
    const loop = this.newLoop({
      kind: 'callback',
      span: spanOf(call),
      bodySpan: spanOf(body),
      iterableText: oneLine(this.src(iter)),
      functionId: ctx.fn?.id,
      overCollection: !this.openEndedIterable(iter),
      exitsInFirstIteration: false,
      literalSize: literalSize(iter),
      carriedNames: [],
      startsTogether: false,
      sleeps: false,
    });
    this.callbackLoops.set(lambda, { id: loop.id, body: loop.bodySpan });
  }

  /** On the event loop the blocking part matters; elsewhere the query part (N+1 in sync code too). */
  private effectInContext(info: CallInfo, fn: FunctionInfo | undefined): Effect | undefined {
    const onLoop = fn ? this.onLoop.get(fn) === true : false;
    if (onLoop) return info.blocking ?? (info.query && !info.queryInSyncOnly ? info.query : undefined);
    return info.query ?? info.blocking;
  }

  private awaitBefore(body: Span, pos: number, fn: FunctionInfo | undefined): boolean {
    for (let i = this.awaits.length - 1; i >= 0; i--) {
      const a = this.awaits[i];
      if (a.start < body.start) break;
      if (a.fn === fn && a.end <= pos) return true;
    }
    return false;
  }

  /**
   * Root names read by the receiver and the arguments. The walk has a budget: nested calls would
   * otherwise make it quadratic on generated code, and real arguments are far smaller.
   */
  private callNames(node: PyNode): string[] {
    const reads = new Set<string>();
    const use = { reads, writes: new Set<string>() };
    const src = (n: PyNode) => this.src(n);
    if (node.type === 'call') {
      const callee = field(node, 'function');
      const c = callee ? unparen(callee) : undefined;
      if (c?.type === 'attribute') {
        const obj = field(c, 'object');
        if (obj) namesOf(obj, src, use, undefined, NAME_BUDGET);
      }
      const args = field(node, 'arguments');
      if (args) namesOf(args, src, use, undefined, NAME_BUDGET);
    } else {
      namesOf(node, src, use, undefined, NAME_BUDGET);
    }
    return [...reads];
  }

  // ---------------------------------------------------------------------------------------------
  // Loops

  private newLoop(fact: Omit<LoopFact, 'id'>): LoopFact {
    const loop: LoopFact = { id: this.loops.length, ...fact };
    this.loops.push(loop);
    return loop;
  }

  private forStatement(node: PyNode, ctx: Ctx): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const body = field(node, 'body');
    const isAsync = hasChild(node, 'async');
    if (left) this.visit(left, ctx);
    if (right) this.visit(right, ctx);
    if (body) {
      const sleeps = this.sleeps(body);
      const loop = this.newLoop({
        kind: isAsync ? 'async-for' : 'for-of',
        span: spanOf(node),
        bodySpan: spanOf(body),
        iterableText: right ? oneLine(this.src(right)) : undefined,
        functionId: ctx.fn?.id,
        // `for attempt in range(5): … await asyncio.sleep(…)` retries or polls; it walks no collection.
        // `for chunk in chunked(ids, 500)` / `range(0, len(ids), 500)` walks batches: one query per
        // batch is the fix for N+1, not N+1.
        overCollection: right ? !this.openEndedIterable(right) && !(sleeps && isRange(right, this.r)) && !isBatchIterable(right, this.r) : true,
        exitsInFirstIteration: alwaysExits(body) && !continues(body),
        literalSize: right ? literalSize(right) : undefined,
        carriedNames: this.carriedNames(node, body, left, undefined, ctx.fn),
        startsTogether: false,
        sleeps,
      });
      this.visit(body, { fn: ctx.fn, loops: [...ctx.loops, { id: loop.id, body: loop.bodySpan }] });
    }
    const alt = field(node, 'alternative');
    if (alt) this.visit(alt, ctx);
  }

  private whileStatement(node: PyNode, ctx: Ctx): void {
    const cond = field(node, 'condition');
    const body = field(node, 'body');
    if (cond) this.visit(cond, ctx);
    if (body) {
      const queue = cond ? this.poppedQueue(cond, body) : undefined;
      const loop = this.newLoop({
        kind: 'while',
        span: spanOf(node),
        bodySpan: spanOf(body),
        iterableText: queue,
        functionId: ctx.fn?.id,
        overCollection: queue !== undefined,
        exitsInFirstIteration: alwaysExits(body) && !continues(body),
        carriedNames: this.carriedNames(node, body, undefined, cond, ctx.fn),
        startsTogether: false,
        sleeps: this.sleeps(body),
      });
      this.visit(body, { fn: ctx.fn, loops: [...ctx.loops, { id: loop.id, body: loop.bodySpan }] });
    }
    const alt = field(node, 'alternative');
    if (alt) this.visit(alt, ctx);
  }

  /**
   * `[f(x) for x in xs if p(x) for y in g(x)]`: each `for` clause is a loop; the first iterable
   * runs once, everything after a clause runs once per element of it.
   */
  private comprehension(node: PyNode, ctx: Ctx): void {
    const body = field(node, 'body');
    const parts = node.children.filter((c) => c.named && c.field !== 'body' && c.type !== 'comment');
    const together = this.startsTogether(node);
    let loops = ctx.loops;
    let first = true;
    for (const part of parts) {
      if (part.type === 'for_in_clause') {
        const right = field(part, 'right');
        if (right) this.visit(right, first ? ctx : { fn: ctx.fn, loops });
        const left = field(part, 'left');
        if (left) this.visit(left, { fn: ctx.fn, loops });
        const bodySpan = body ? spanOf(body) : spanOf(node);
        const loop = this.newLoop({
          kind: 'comprehension',
          span: spanOf(node),
          bodySpan,
          iterableText: right ? oneLine(this.src(right)) : undefined,
          functionId: ctx.fn?.id,
          overCollection: right ? !this.openEndedIterable(right) : true,
          exitsInFirstIteration: false,
          literalSize: right ? literalSize(right) : undefined,
          carriedNames: [],
          startsTogether: together,
          sleeps: false,
        });
        loops = [...loops, { id: loop.id, body: { start: part.end, end: node.end } }];
        first = false;
      } else {
        this.visit(part, { fn: ctx.fn, loops });
      }
    }
    if (body) this.visit(body, { fn: ctx.fn, loops });
  }

  /** A comprehension handed to `asyncio.gather(*[...])`: its coroutines start together. */
  private startsTogether(node: PyNode): boolean {
    let p = node.parent;
    if (p?.type === 'list_splat') p = p.parent;
    if (p?.type !== 'argument_list' && p?.type !== 'call') return false;
    const call = p.type === 'call' ? p : p.parent;
    if (!call || call.type !== 'call') return false;
    const q = qnameOf(this.r.valueOf(field(call, 'function')));
    return !!q && /^asyncio\.(gather|wait|as_completed)$/.test(q);
  }

  /** `itertools.count()`, `iter(f, sentinel)`: no collection behind the loop. */
  private openEndedIterable(iter: PyNode): boolean {
    const n = unparen(iter);
    if (n.type !== 'call') return false;
    const callee = field(n, 'function');
    const text = callee ? this.src(callee) : '';
    if (/^(itertools\.)?(count|cycle|repeat)$/.test(text)) return true;
    const args = field(n, 'arguments');
    return text === 'iter' && !!args && namedChildren(args).length === 2;
  }

  /** `while queue: item = queue.pop()` walks a collection; names the queue. */
  private poppedQueue(cond: PyNode, body: PyNode): string | undefined {
    const names = new Set<string>();
    namesOf(cond, (n) => this.src(n), { reads: names, writes: new Set() });
    let found: string | undefined;
    walkSameFunction(body, (n) => {
      if (found) return false;
      if (n.type !== 'call') return;
      const callee = field(n, 'function');
      if (callee?.type === 'attribute') {
        const obj = field(callee, 'object');
        const m = this.src(field(callee, 'attribute') ?? callee);
        if (obj?.type === 'identifier' && names.has(this.src(obj)) && /^(pop|popleft|popitem|get|get_nowait)$/.test(m)) found = this.src(obj);
      } else if (callee && /^(heapq\.)?heappop$/.test(this.src(callee))) {
        const arg = namedChildren(field(n, 'arguments') ?? n)[0];
        if (arg?.type === 'identifier' && names.has(this.src(arg))) found = this.src(arg);
      }
    });
    return found;
  }

  private sleeps(body: PyNode): boolean {
    let found = false;
    walkSameFunction(body, (n) => {
      if (found) return false;
      if (n.type === 'call' && this.calls_.analyze(n).operation === 'sleep') found = true;
    });
    return found;
  }

  /**
   * Names bound before the loop that the loop reassigns after reading them: the value flows from
   * one iteration to the next (a pagination cursor, a polling state).
   */
  private carriedNames(loop: PyNode, body: PyNode, target: PyNode | undefined, cond: PyNode | undefined, fn: FunctionInfo | undefined): string[] {
    const own = new Set(target ? targetNames(target).map((t) => this.src(t)) : []);
    const firstRead = new Map<string, number>();
    const firstWrite = new Map<string, number>();
    const record = (name: string, pos: number, write: boolean) => {
      const m = write ? firstWrite : firstRead;
      if (!m.has(name) || m.get(name)! > pos) m.set(name, pos);
    };
    const src = (n: PyNode) => this.src(n);
    if (cond) namesOf(cond, src, undefined, record);
    namesOf(body, src, undefined, record);
    const scope = fn ? fn.scope : this.r.tree.module;
    const out: string[] = [];
    for (const [name, w] of firstWrite) {
      if (own.has(name)) continue;
      const r = firstRead.get(name);
      if (r === undefined || r > w) continue;
      const found = lookup(scope, name);
      const before = !!found && (found.scope !== scope || scope.globals.has(name) || scope.nonlocals.has(name) || found.bindings.some((b) => b.pos < loop.start));
      if (before) out.push(name);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Statement blocks (sequential-awaits)

  private readonly pendingBlocks: { node: PyNode; functionId?: number }[] = [];

  private block(node: PyNode, ctx: Ctx): void {
    this.pendingBlocks.push({ node, functionId: ctx.fn?.id });
  }

  /**
   * Statement facts for every block, built innermost block first so that a compound statement
   * reuses what its nested statements read, bind, await and whether they leave.
   */
  private buildBlocks(): void {
    const memo = new Map<PyNode, StatementScan>();
    const built: (BlockFact | undefined)[] = new Array(this.pendingBlocks.length);
    const awaitStarts = this.awaits.map((a) => a.start).sort((a, b) => a - b);
    for (let i = this.pendingBlocks.length - 1; i >= 0; i--) {
      const { node, functionId } = this.pendingBlocks[i];
      // Statement facts serve the await rules only: a block without an await has nothing for
      // them, and scanning every statement of every block was the facts' largest allocation.
      if (!awaitWithin(awaitStarts, node)) continue;
      const statements: StatementFact[] = [];
      for (let stmti = 0, stmts = node.children; stmti < stmts.length; stmti++) {
        const stmt = stmts[stmti];
        if (!stmt.named || stmt.type === 'comment') continue;
        const scan = scanStatement(stmt, memo, (n) => this.src(n));
        memo.set(stmt, scan);
        const single = singleAwait(stmt);
        const fact: StatementFact = {
          span: spanOf(stmt),
          otherAwait: single ? scan.awaits > 1 : scan.awaits > 0,
          namesRead: [...scan.use.reads],
          namesWritten: [...scan.use.writes],
          exits: scan.returns || scan.breaks,
        };
        if (single) {
          const operand = firstNamed(single);
          const inner = operand ? unparen(operand) : undefined;
          const id = inner ? this.callIds.get(inner) : undefined;
          fact.await = { span: spanOf(single), callId: id, exprText: operand ? this.src(operand) : '' };
        }
        statements.push(fact);
      }
      built[i] = { functionId, span: spanOf(node), statements };
    }
    for (const b of built) if (b) this.blocks.push(b);
    this.builtBlocks = built;
  }

  /** Links awaits to call facts and builds the statement blocks (after the walk). */
  finish(): void {
    this.buildBlocks();
  }
}

/** Whether an await starts inside `node` (`starts` sorted). */
function awaitWithin(starts: readonly number[], node: PyNode): boolean {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < node.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < starts.length && starts[lo] < node.end;
}

interface StatementScan {
  use: NameUse;
  /** Awaits outside nested functions, `async for`/`async with` included (they await implicitly). */
  awaits: number;
  /** Contains a return or raise. */
  returns: boolean;
  /** Contains a break/continue of the loop around the block (not of a loop inside the statement). */
  breaks: boolean;
}

function scanStatement(stmt: PyNode, memo: Map<PyNode, StatementScan>, src: (n: PyNode) => string): StatementScan {
  const scan: StatementScan = { use: { reads: new Set(), writes: new Set() }, awaits: 0, returns: false, breaks: false };
  namesOf(stmt, src, scan.use, undefined, Infinity, memo);
  if (stmt.type === 'function_definition' || stmt.type === 'class_definition' || stmt.type === 'decorated_definition') return scan;
  const stack: [PyNode, boolean][] = [[stmt, false]];
  while (stack.length) {
    const [n, inLoop] = stack.pop()!;
    if (n !== stmt) {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
      const known = memo.get(n);
      if (known) {
        scan.awaits += known.awaits;
        scan.returns ||= known.returns;
        // A nested loop's own breaks stay inside it.
        if (!inLoop && !LOOP_TYPES.has(n.type)) scan.breaks ||= known.breaks;
        continue;
      }
    }
    if (!n.named) continue;
    switch (n.type) {
      case 'await':
        scan.awaits++;
        break;
      case 'for_statement':
      case 'with_statement':
      case 'for_in_clause':
        if (hasChild(n, 'async')) scan.awaits++;
        break;
      case 'return_statement':
      case 'raise_statement':
        scan.returns = true;
        break;
      case 'break_statement':
      case 'continue_statement':
        if (!inLoop) scan.breaks = true;
        break;
    }
    // break/continue inside a loop (the statement itself, or one within it) stay in that loop.
    const nested = inLoop || LOOP_TYPES.has(n.type);
    for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
      const c = cs[ci];
      stack.push([c, nested]);
    }
  }
  return scan;
}

/** `x = await f()`, `await f()`, `a, b = await g`, `return await f()`: the one top-level await. */
function singleAwait(stmt: PyNode): PyNode | undefined {
  let expr: PyNode | undefined;
  if (stmt.type === 'expression_statement') expr = firstNamed(stmt);
  else if (stmt.type === 'return_statement') expr = firstNamed(stmt);
  if (!expr) return undefined;
  expr = unparen(expr);
  while (expr && (expr.type === 'assignment' || expr.type === 'augmented_assignment')) {
    const right = field(expr, 'right');
    expr = right ? unparen(right) : undefined;
  }
  return expr?.type === 'await' ? expr : undefined;
}

/** The block always leaves (return/raise/break) before its end. */
export function alwaysExits(block: PyNode | undefined): boolean {
  if (!block) return false;
  const stmts = namedChildren(block);
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  switch (last.type) {
    case 'return_statement':
    case 'raise_statement':
    case 'break_statement':
      return true;
    case 'if_statement': {
      const alts = last.children.filter((c) => c.field === 'alternative');
      const hasElse = alts.some((a) => a.type === 'else_clause');
      if (!hasElse) return false;
      return alwaysExits(field(last, 'consequence')) && alts.every((a) => alwaysExits(field(a, a.type === 'else_clause' ? 'body' : 'consequence')));
    }
    case 'with_statement':
      return alwaysExits(field(last, 'body'));
    case 'try_statement': {
      const fin = last.children.find((c) => c.type === 'finally_clause');
      if (fin && alwaysExits(namedChildren(fin).find((c) => c.type === 'block'))) return true;
      // A retry loop (`try: return await op() except …: sleep`) leaves on the normal path;
      // it repeats only after a failure.
      return alwaysExits(field(last, 'body'));
    }
    default:
      return false;
  }
}

/** A `continue` of this loop (not of a nested one) in its body. */
function continues(body: PyNode): boolean {
  let found = false;
  walkSameFunction(body, (n) => {
    if (found) return false;
    if (n !== body && LOOP_TYPES.has(n.type)) return false;
    if (n.type === 'continue_statement') found = true;
  });
  return found;
}

/** `range(n)` (the builtin, not a local function of that name). */
/**
 * What a loop over it walks are batches: `chunked(ids, 500)`, `itertools.batched(…)`,
 * `more_itertools.chunked(…)`, a project helper named like one, or `range(0, len(xs), size)`
 * stepping by more than one.
 */
function isBatchIterable(iter: PyNode, r: Resolver): boolean {
  const n = unparen(iter);
  const callee = n.type === 'call' ? field(n, 'function') : undefined;
  if (!callee) return false;
  const name = r.src(callee.type === 'attribute' ? (field(callee, 'attribute') ?? callee) : callee);
  if (/^(chunk|chunks|chunked|chunkify|in_chunks|iter_chunks|batch|batches|batched|in_batches|iter_batches|grouper|split_every|sliced)$/.test(name)) return true;
  if (!isRange(n, r)) return false;
  const args = field(n, 'arguments');
  const positional = args ? namedChildren(args).filter((a) => a.type !== 'keyword_argument') : [];
  return positional.length === 3 && !/^[+]?1$/.test(r.src(positional[2]).trim());
}

function isRange(iter: PyNode, r: Resolver): boolean {
  const n = unparen(iter);
  const callee = n.type === 'call' ? field(n, 'function') : undefined;
  return !!callee && callee.type === 'identifier' && r.src(callee) === 'range' && !lookup(r.scopeFor(callee), 'range');
}

function literalSize(iter: PyNode): number | undefined {
  const n = unparen(iter);
  if (n.type !== 'list' && n.type !== 'tuple' && n.type !== 'set') return undefined;
  const items = namedChildren(n);
  if (items.some((i) => i.type === 'list_splat' || i.type === 'parenthesized_list_splat')) return undefined;
  return items.length;
}

function spanOf(n: PyNode): Span {
  return { start: n.start, end: n.end };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

