import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { CallFact, FileFacts, StatementFact } from '../core/model';
import { isPythonSyntax } from '../frontends/python/fix-syntax-api';
import type { PythonFixSyntax } from '../frontends/python/fix-syntax-api';
import type { PyNode } from '../frontends/python/tree';
import { isTsFixSyntax } from '../frontends/typescript/fix-syntax-api';
import type { TsFixSyntax, TsStatement } from '../frontends/typescript/fix-syntax-api';

/**
 * sequential-awaits: two or more awaits in consecutive statements of one block that do not depend
 * on each other. One finding per group, over the group; each member is related.
 */
export default defineRule({
  id: 'sequential-awaits',
  languages: ['typescript', 'javascript', 'python'],
  defaultSeverity: 'info',
  docs: {
    summary: 'Independent awaits run one after another instead of concurrently.',
    whatItDoes:
      'Reports groups of two or more awaits in consecutive statements of one block where no later await uses a result of an earlier one, and nothing orders them: not on one connection, session or transaction (a SQLAlchemy `AsyncSession`, a pg client from `pool.connect()`, Prisma’s `tx`, a TypeORM query runner, Knex’s `trx`), not lifecycle steps (connect, begin, commit, refresh, release), not sleeps, not a write followed by more work, and with no guard (`if (!user) throw …`) between them. It prefers fewer, certain groups to many doubtful ones. Python: reads on one SQLAlchemy `AsyncSession` cannot be gathered, but where they are clearly one query in two it says so instead — the same entity by the same key (`await db.get(User, a)` then `await db.get(User, b)`; two `select(User).where(User.email == …)`: one query with `.in_(…)`), or a count and a page of the same select (`select(func.count()).select_from(stmt.subquery())` and `stmt.offset(…)`: one query with `func.count().over()`). Different entities, reads that depend on each other, a guard between them or a statement built in an `if` branch stay silent.',
    whyIsThisBad:
      'Each await waits for the previous one to finish. Three independent 40 ms queries awaited in sequence take 120 ms; started together they take about 40 ms. Dashboards and detail pages that gather several independent reads are where response-time budgets are most often lost.',
    example: {
      typescript: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function dashboard() {
  const users = await prisma.user.count();
  const orders = await prisma.order.count();
  const revenue = await prisma.order.aggregate({ _sum: { total: true } });
  return { users, orders, revenue };
}`,
      python: `import httpx

async def profile(client: httpx.AsyncClient, user_id: int):
    user = await client.get(f"/users/{user_id}")
    settings = await client.get(f"/settings/{user_id}")
    return user.json(), settings.json()`,
    },
    useInstead: {
      typescript: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function dashboard() {
  const [users, orders, revenue] = await Promise.all([
    prisma.user.count(),
    prisma.order.count(),
    prisma.order.aggregate({ _sum: { total: true } }),
  ]);
  return { users, orders, revenue };
}`,
      python: `import asyncio
import httpx

async def profile(client: httpx.AsyncClient, user_id: int):
    user, settings = await asyncio.gather(client.get(f"/users/{user_id}"), client.get(f"/settings/{user_id}"))
    return user.json(), settings.json()`,
    },
    fixSafety: [
      '`Promise.all` rejects as soon as one promise rejects while the others keep running, and `asyncio.gather` behaves likewise; side effects may interleave. The rewrite is therefore unsafe: review it.',
      'TypeScript/JavaScript: the group becomes one `const [a, b] = await Promise.all([x(), y()])`, keeping the declaration keyword (`const`, `let`, `var`), type annotations as a tuple type (`: [A, B]`), destructuring patterns as elements, discarded results as holes (or a bare `await Promise.all([…])`), and assignment targets (`[this.a, b] = …`) when no member declares. Comments stay with their await inside the array. Statements between the awaits move before the `Promise.all` when a later await reads what they write, after it otherwise; no fix when one must go both ways, when declarations and assignments or different keywords mix, or when only some members are annotated. Unsafe for the reason above.',
      'Python: `a, b = await asyncio.gather(x(), y())` replaces the group. Annotated targets keep their type as a bare declaration before it (`a: T`); statements between the awaits that use one of the results move after the gather, the others before it; comments are kept. It is offered for plain `x = await …` and `await …` statements only (not `+=`, chained targets or `return await …`), and never across one AsyncSession, which the rule does not group. Unsafe for the reason above: the first exception propagates from `gather` while the other awaitables keep running.',
    ].join('\n\n'),
  },
  check(ctx) {
    const { facts } = ctx;
    for (const block of facts.blocks) {
      for (const group of groupsOf(facts, block.statements)) {
        const first = group[0];
        const last = group[group.length - 1];
        const names = group.map((m) => `\`${shorten(m.call.calleeText)}\``);
        const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
        ctx.report({
          message: `${group.length} independent awaits (${list}) run one after another; none needs another's result, so they could run concurrently.`,
          span: { start: first.stmt.await!.span.start, end: last.stmt.await!.span.end },
          related: group.map((m, i) => ({ span: m.stmt.await!.span, message: `await ${i + 1} of ${group.length}` })),
          fixes: fixesFor(ctx, group),
        });
      }
    }
    if (facts.language === 'python') reportOneQueryReads(ctx);
  },
});

interface Member {
  stmt: StatementFact;
  call: CallFact;
}

/** Splits a statement list into maximal groups of independent awaits. */
function groupsOf(facts: FileFacts, statements: StatementFact[]): Member[][] {
  const groups: Member[][] = [];
  let group: Member[] = [];
  let tainted = new Set<string>();
  const flush = () => {
    if (group.length >= 2) groups.push(group);
    group = [];
    tainted = new Set();
  };
  for (const stmt of statements) {
    const aw = stmt.await;
    if (!aw) {
      if (stmt.otherAwait || stmt.exits) {
        flush();
        continue;
      }
      // A plain statement that derives from a group result passes the dependency on.
      if (stmt.namesRead.some((n) => tainted.has(n))) for (const n of stmt.namesWritten) tainted.add(n);
      continue;
    }
    const call = aw.callId !== undefined ? facts.calls[aw.callId] : undefined;
    if (!call || stmt.otherAwait || !isGroupable(call) || isBarrier(stmt, call)) {
      flush();
      continue;
    }
    if (group.length && conflicts(group, stmt, call, tainted)) flush();
    group.push({ stmt, call });
    for (const n of stmt.namesWritten) tainted.add(n);
    // `await config.loadKeys()`: awaited for what it does to `config`, which later calls may read.
    const receiver = discardedReceiver(stmt, call);
    if (receiver) tainted.add(receiver);
    if (stmt.exits) flush();
  }
  flush();
  return groups;
}

/** Only awaits we understand: known reads/writes, or helpers named like reads. */
function isGroupable(call: CallFact): boolean {
  const op = call.operation;
  if (op === 'sleep' || op === 'lifecycle') return false;
  if (op === 'read' || op === 'write') return true;
  return false;
}

/**
 * An await whose result is dropped and whose name says it waits or makes sure of something
 * (`await manager.isReloading()`, `await this.ensureRolesExist()`): an ordering point.
 */
function isBarrier(stmt: StatementFact, call: CallFact): boolean {
  return stmt.namesWritten.length === 0 && /(^|\.)(is|wait|ensure|until)([A-Z_]\w*)?$/.test(call.calleeText);
}

/** The object a dropped-result await was called on (`config` in `await config.loadKeys()`), unless it is `this`. */
function discardedReceiver(stmt: StatementFact, call: CallFact): string | undefined {
  if (stmt.namesWritten.length !== 0) return undefined;
  const parts = call.calleeText.split('.');
  return parts.length > 1 && parts[0] !== 'this' ? parts[0] : undefined;
}

function conflicts(group: Member[], stmt: StatementFact, call: CallFact, tainted: Set<string>): boolean {
  if (stmt.namesRead.some((n) => tainted.has(n))) return true;
  if (call.connectionKey && group.some((m) => m.call.connectionKey === call.connectionKey)) return true;
  // A write orders what comes after it; a read then a write of the same resource is ordered too.
  if (group.some((m) => m.call.operation === 'write')) return true;
  if (call.operation === 'write' && group.some((m) => !m.call.resource || !call.resource || m.call.resource === call.resource)) return true;
  return false;
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}…` : one;
}

// ── Reads on one session that could be one query (Python) ─────────────────────────────────────
// Awaits on one AsyncSession cannot be gathered (concurrent use of a session raises), so the
// rule does not group them. Where the reads are clearly one query in two — the same entity by the
// same key, or a count and a page of the same select — it says so instead. Only shapes read from
// the source are trusted: `db.get(User, …)` twice, `select(User).where(User.email == …)` twice,
// `select(func.count()).select_from(stmt.subquery())` and `stmt.offset(…)`. Anything else on one
// session (different entities, helpers, conditional statements) stays silent.

interface SessionRead {
  stmt: StatementFact;
  call: CallFact;
  shape: ReadShape;
}

type ReadShape =
  | { kind: 'get'; model: string; receiver: string }
  | { kind: 'select-by'; model: string; column: string; extra: string }
  | { kind: 'count'; base: string }
  | { kind: 'page'; bases: Set<string> }
  | { kind: 'other' };

const EXECUTE_METHODS = new Set(['execute', 'scalar', 'scalars', 'exec', 'stream', 'stream_scalars']);
/** Expressions inside which an await does not run exactly once with its statement. */
const NOT_ONCE = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'lambda', 'conditional_expression', 'boolean_operator']);

function reportOneQueryReads(ctx: RuleContext): void {
  const { facts } = ctx;
  const awaitedCalls = facts.calls.filter((c) => c.awaited && c.connectionKey && c.operation === 'read' && c.effect?.kind === 'query' && c.effect.library === 'sqlalchemy');
  if (awaitedCalls.length < 2) return;
  const syntax = ctx.syntax;
  if (!isPythonSyntax(syntax)) return;
  awaitedCalls.sort((a, b) => a.span.start - b.span.start);
  const assignments = new Map<PyNode, Assignment[]>();
  const nodes = callNodes(syntax, awaitedCalls);
  for (const block of facts.blocks) {
    // Only the reads inside this block's span: blocks are many, reads few.
    const from = firstAtOrAfter(awaitedCalls, block.span.start);
    let to = from;
    while (to < awaitedCalls.length && awaitedCalls[to].span.start < block.span.end) to++;
    if (to - from < 2) continue;
    for (const run of sessionRuns(syntax, block.statements, awaitedCalls.slice(from, to), nodes, assignments)) {
      for (const group of oneQueryGroups(run)) {
        const first = group.members[0].stmt.span;
        const last = group.members[group.members.length - 1].stmt.span;
        ctx.report({
          message: group.message,
          span: { start: first.start, end: last.end },
          related: group.members.map((m, i) => ({ span: m.call.span, message: `query ${i + 1} of ${group.members.length}` })),
          fixes: [],
        });
      }
    }
  }
}

/**
 * Consecutive statements of a block that each await one read on the same session, none using
 * what an earlier one produced. Guards, other awaits and writes end a run.
 */
function firstAtOrAfter(calls: CallFact[], pos: number): number {
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (calls[mid].span.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The `call` nodes of the given call facts: a descent by position (children are in source order), not a walk of the tree. */
function callNodes(syntax: PythonFixSyntax, calls: CallFact[]): Map<CallFact, PyNode> {
  const out = new Map<CallFact, PyNode>();
  for (const c of calls) {
    let n: PyNode = syntax.root;
    for (let depth = 0; depth < 10_000; depth++) {
      if (n.start === c.span.start && n.end === c.span.end && n.type === 'call') {
        out.set(c, n);
        break;
      }
      const kids = n.children;
      let lo = 0;
      let hi = kids.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (kids[mid].end <= c.span.start) lo = mid + 1;
        else hi = mid;
      }
      // The first child ending after the start; a zero-width or unnamed one may precede the real container.
      let next: PyNode | undefined;
      for (let i = lo; i < kids.length && kids[i].start <= c.span.start; i++) {
        if (kids[i].named && kids[i].start <= c.span.start && c.span.end <= kids[i].end && kids[i].end > kids[i].start) {
          next = kids[i];
          break;
        }
      }
      if (!next) break;
      n = next;
    }
  }
  return out;
}

function sessionRuns(syntax: PythonFixSyntax, statements: StatementFact[], calls: CallFact[], nodes: Map<CallFact, PyNode>, assignments: Map<PyNode, Assignment[]>): SessionRead[][] {
  const runs: SessionRead[][] = [];
  let run: SessionRead[] = [];
  let tainted = new Set<string>();
  const flush = () => {
    if (run.length >= 2) runs.push(run);
    run = [];
    tainted = new Set();
  };
  // Only the statements from the one holding the first read to the one holding the last.
  const first = statementIndex(statements, calls[0].span.start);
  const last = statementIndex(statements, calls[calls.length - 1].span.start);
  if (first < 0 || last <= first) return [];
  for (let i = first; i <= last; i++) {
    const stmt = statements[i];
    const call = stmt.await || stmt.otherAwait ? onlyAwaitedRead(syntax, stmt, calls, nodes) : undefined;
    if (!call) {
      if (stmt.await || stmt.otherAwait || stmt.exits) flush();
      else if (stmt.namesRead.some((n) => tainted.has(n))) for (const n of stmt.namesWritten) tainted.add(n);
      continue;
    }
    if (run.length && (run[0].call.connectionKey !== call.connectionKey || stmt.namesRead.some((n) => tainted.has(n)))) flush();
    run.push({ stmt, call, shape: { kind: 'other' } });
    for (const n of stmt.namesWritten) tainted.add(n);
  }
  flush();
  // Reading shapes from the source costs; only runs that facts say could hold a pair pay for it.
  const worth = runs.filter(mayBeOneQuery);
  for (const r of worth) {
    for (const m of r) {
      const node = nodes.get(m.call);
      if (node) m.shape = readShape(syntax, node, assignments);
    }
  }
  return worth;
}

/** The index of the statement whose span holds `pos`, or of the first one after it; -1 past the end. */
function statementIndex(statements: StatementFact[], pos: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid].span.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < statements.length ? lo : -1;
}

/**
 * From the facts alone: two `get`s of one model, two executions reading one model, or a count
 * (`select(func.count())…`, whose resource is `func`, not a model) beside another execution.
 */
function mayBeOneQuery(run: SessionRead[]): boolean {
  const gets = new Set<string>();
  const executes = new Set<string>();
  let counts = 0;
  let executions = 0;
  for (const m of run) {
    const method = m.call.calleeText.slice(m.call.calleeText.lastIndexOf('.') + 1);
    const resource = m.call.resource ?? '';
    if (method === 'get') {
      if (gets.has(resource)) return true;
      gets.add(resource);
    } else if (EXECUTE_METHODS.has(method)) {
      executions++;
      // A count's resource is the root of `func.count()` (`func`, `sa`…), not a model class.
      if (!/^[A-Z]/.test(resource)) counts++;
      else if (executes.has(resource)) return true;
      else executes.add(resource);
    }
  }
  return counts > 0 && executions >= 2;
}

/**
 * The one awaited session read a simple statement runs exactly once: `x = await db.get(…)`, or
 * `rows = (await db.execute(stmt)).scalars().all()`. Not inside a comprehension, lambda or
 * conditional expression, and not in an if/with/for statement.
 */
function onlyAwaitedRead(syntax: PythonFixSyntax, stmt: StatementFact, calls: CallFact[], nodes: Map<CallFact, PyNode>): CallFact | undefined {
  const from = firstAtOrAfter(calls, stmt.span.start);
  const inside: CallFact[] = [];
  for (let i = from; i < calls.length && calls[i].span.start < stmt.span.end; i++) if (calls[i].span.end <= stmt.span.end) inside.push(calls[i]);
  if (inside.length !== 1) return undefined;
  const call = inside[0];
  if (stmt.await) return stmt.await.callId === call.id ? call : undefined;
  const node = nodes.get(call);
  const top = node ? syntax.statementOf(node) : undefined;
  if (!node || !top || top.type !== 'expression_statement' || top.start !== stmt.span.start) return undefined;
  // Exactly one await in the statement, and it is this call's (an explicit stack: statements may nest deeply).
  let awaits = 0;
  for (const stack = [top]; stack.length; ) {
    const n = stack.pop()!;
    if (n.type === 'await') awaits++;
    for (const c of n.children) stack.push(c);
  }
  if (awaits !== 1 || node.parent?.type !== 'await') return undefined;
  for (let p: PyNode | null = node.parent; p && p !== top; p = p.parent) if (NOT_ONCE.has(p.type)) return undefined;
  return call;
}

function oneQueryGroups(run: SessionRead[]): { members: SessionRead[]; message: string }[] {
  const out: { members: SessionRead[]; message: string }[] = [];
  const session = run[0].call.connectionKey!;
  const byKey = new Map<string, SessionRead[]>();
  for (const m of run) {
    const s = m.shape;
    const key = s.kind === 'get' ? `get ${s.model}` : s.kind === 'select-by' ? `select ${s.model} ${s.column} ${s.extra}` : undefined;
    if (!key) continue;
    const list = byKey.get(key) ?? [];
    list.push(m);
    byKey.set(key, list);
  }
  for (const members of byKey.values()) {
    if (members.length < 2) continue;
    const s = members[0].shape;
    const times = members.length === 2 ? 'twice' : `${members.length} times`;
    if (s.kind === 'get') {
      out.push({ members, message: `\`${s.receiver}.get(${s.model}, …)\` runs ${times} in a row on one session (\`${session}\`); one query with \`${s.model}.id.in_(…)\` would read these rows together.` });
    } else if (s.kind === 'select-by') {
      out.push({ members, message: `\`select(${s.model}).where(${s.model}.${s.column} == …)\` runs ${times} in a row on one session (\`${session}\`); one query with \`${s.model}.${s.column}.in_(…)\` would read these rows together.` });
    }
  }
  // A count of a select and a page of the same select, in either order.
  const used = new Set<SessionRead>();
  for (const count of run) {
    if (count.shape.kind !== 'count') continue;
    const base = count.shape.base;
    const page = run.find((m) => m !== count && !used.has(m) && m.shape.kind === 'page' && m.shape.bases.has(base));
    if (!page) continue;
    used.add(page);
    const members = count.stmt.span.start < page.stmt.span.start ? [count, page] : [page, count];
    const name = base.split('@')[0];
    out.push({ members, message: `A count over \`${name}\` and a page of \`${name}\` run as two queries on one session (\`${session}\`); one query with \`func.count().over()\` would return the total with the page.` });
  }
  return out.sort((a, b) => a.members[0].stmt.span.start - b.members[0].stmt.span.start);
}

interface Assignment {
  node: PyNode;
  name: string;
  value: PyNode;
}

function readShape(syntax: PythonFixSyntax, call: PyNode, assignments: Map<PyNode, Assignment[]>): ReadShape {
  const callee = pyField(call, 'function');
  if (!callee || callee.type !== 'attribute') return { kind: 'other' };
  const method = syntax.src(pyField(callee, 'attribute') ?? callee);
  const args = pyArgs(call);
  if (method === 'get') {
    const model = args.positional[0];
    if (args.positional.length >= 2 && model?.type === 'identifier' && /^[A-Z]/.test(syntax.src(model)) && !args.keywords.length) {
      return { kind: 'get', model: syntax.src(model), receiver: syntax.src(pyField(callee, 'object') ?? callee).replace(/\s+/g, '') };
    }
    return { kind: 'other' };
  }
  if (!EXECUTE_METHODS.has(method) || !args.positional[0]) return { kind: 'other' };
  const chain = expandChain(syntax, args.positional[0], 0, assignments);
  if (!chain) return { kind: 'other' };
  return selectBy(syntax, chain) ?? countOf(syntax, chain, assignments) ?? pageOf(chain) ?? { kind: 'other' };
}

interface Chain {
  /** `select(User)` (a call of a plain name), or undefined when the chain starts at a name we could not follow. */
  root?: PyNode;
  links: { name: string; call: PyNode }[];
  /** Names followed to their assignment, each as `name@position of the value` (or `name@?` when unassigned). */
  bases: Set<string>;
  /** A name was followed to an assignment in another block (an `if` branch): the shape is not certain. */
  conditional: boolean;
}

/** `stmt.offset(x).limit(y)` with `stmt = select(User).where(…)` → root `select(User)`, links where, offset, limit. */
function expandChain(syntax: PythonFixSyntax, node: PyNode, depth: number, assignments: Map<PyNode, Assignment[]>): Chain | undefined {
  // List endpoints build their select in many steps (`if q: stmt = stmt.where(…)` …): past this
  // depth the start is unknown, but the names followed so far still identify the select.
  if (depth > 40) return { links: [], bases: new Set(), conditional: true };
  const n = pyUnparen(node);
  if (n.type === 'identifier') {
    const assigned = assignmentBefore(syntax, n, assignments);
    const key = `${syntax.src(n)}@${assigned ? assigned.value.start : '?'}`;
    if (!assigned) return { links: [], bases: new Set([key]), conditional: false };
    const inner = expandChain(syntax, assigned.value, depth + 1, assignments);
    if (!inner) return undefined;
    inner.bases.add(key);
    if (assigned.conditional) inner.conditional = true;
    return inner;
  }
  if (n.type !== 'call') return undefined;
  const callee = pyField(n, 'function');
  if (callee?.type === 'identifier' || isModuleSelect(syntax, callee)) return { root: n, links: [], bases: new Set(), conditional: false };
  if (callee?.type !== 'attribute') return undefined;
  const obj = pyField(callee, 'object');
  const inner = obj ? expandChain(syntax, obj, depth + 1, assignments) : undefined;
  if (!inner) return undefined;
  inner.links.push({ name: syntax.src(pyField(callee, 'attribute') ?? callee), call: n });
  return inner;
}

/** The value of the last `name = value` in the same function before `id`, and whether it sits in another block. */
function assignmentBefore(syntax: PythonFixSyntax, id: PyNode, assignments: Map<PyNode, Assignment[]>): { value: PyNode; conditional: boolean } | undefined {
  const name = syntax.src(id);
  const fn = syntax.ancestor(id, 'function_definition');
  if (!fn) return undefined;
  let best: Assignment | undefined;
  for (const a of assignmentsOf(syntax, fn, assignments)) {
    if (a.node.start >= id.start) break;
    if (a.node.end <= id.start && a.name === name) best = a;
  }
  if (!best) return undefined;
  return { value: best.value, conditional: syntax.statementOf(best.node)?.parent !== syntax.statementOf(id)?.parent };
}

/** `name = value` assignments of a function (not of nested functions or classes), in source order; computed once per function. */
function assignmentsOf(syntax: PythonFixSyntax, fn: PyNode, cache: Map<PyNode, Assignment[]>): Assignment[] {
  const cached = cache.get(fn);
  if (cached) return cached;
  const out: Assignment[] = [];
  for (const stack = [fn]; stack.length; ) {
    const n = stack.pop()!;
    if (n !== fn && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) continue;
    if (n.type === 'assignment') {
      const left = pyField(n, 'left');
      const value = pyField(n, 'right');
      if (left?.type === 'identifier' && value) out.push({ node: n, name: syntax.src(left), value });
    }
    for (const c of n.children) stack.push(c);
  }
  out.sort((a, b) => a.node.start - b.node.start);
  cache.set(fn, out);
  return out;
}

/** `select(User).where(User.email == x)` (also `.filter(…)`, `.filter_by(email=x)`, `.limit(…)`, `.options(…)`). */
function selectBy(syntax: PythonFixSyntax, chain: Chain): ReadShape | undefined {
  if (!chain.root || chain.conditional || pyCalleeName(syntax, chain.root) !== 'select') return undefined;
  const rootArgs = pyArgs(chain.root);
  const model = rootArgs.positional[0];
  if (rootArgs.positional.length !== 1 || rootArgs.keywords.length || model.type !== 'identifier' || !/^[A-Z]/.test(syntax.src(model))) return undefined;
  const m = syntax.src(model);
  let column: string | undefined;
  const extra: string[] = [];
  for (const link of chain.links) {
    const args = pyArgs(link.call);
    if (link.name === 'where' || link.name === 'filter') {
      if (column || args.positional.length !== 1 || args.keywords.length) return undefined;
      const cmp = pyUnparen(args.positional[0]);
      if (cmp.type !== 'comparison_operator' || !/^[^=<>!]*==[^=]*$/.test(syntax.src(cmp).replace(/(["']).*?\1/g, ''))) return undefined;
      const left = pyUnparen(cmp.children.find((c) => c.named)!);
      const obj = left.type === 'attribute' ? pyField(left, 'object') : undefined;
      if (!obj || syntax.src(obj) !== m) return undefined;
      column = syntax.src(pyField(left, 'attribute') ?? left);
    } else if (link.name === 'filter_by') {
      if (column || args.positional.length || args.keywords.length !== 1) return undefined;
      column = syntax.src(pyField(args.keywords[0], 'name') ?? args.keywords[0]);
    } else if (link.name === 'options' || link.name === 'limit') {
      extra.push(`${link.name}(${syntax.src(link.call).slice(syntax.src(link.call).indexOf('(') + 1)}`);
    } else return undefined;
  }
  return column ? { kind: 'select-by', model: m, column, extra: extra.join('.') } : undefined;
}

/** `select(func.count()).select_from(stmt.subquery())`: a count of the rows of `stmt`. */
function countOf(syntax: PythonFixSyntax, chain: Chain, assignments: Map<PyNode, Assignment[]>): ReadShape | undefined {
  if (!chain.root || pyCalleeName(syntax, chain.root) !== 'select' || chain.links.length !== 1 || chain.links[0].name !== 'select_from') return undefined;
  const counted = pyArgs(chain.root).positional;
  if (counted.length !== 1 || !/^(sa\.|sqlalchemy\.)?func\.count\(\s*\)$/.test(syntax.src(counted[0]))) return undefined;
  const from = pyArgs(chain.links[0].call).positional;
  const sub = from.length === 1 ? pyUnparen(from[0]) : undefined;
  const subCallee = sub?.type === 'call' ? pyField(sub, 'function') : undefined;
  const base = subCallee?.type === 'attribute' && syntax.src(pyField(subCallee, 'attribute') ?? subCallee) === 'subquery' ? pyField(subCallee, 'object') : undefined;
  if (!base || base.type !== 'identifier') return undefined;
  const assigned = assignmentBefore(syntax, base, assignments);
  return { kind: 'count', base: `${syntax.src(base)}@${assigned ? assigned.value.start : '?'}` };
}

/** `stmt.offset(…).limit(…)` (or a name assigned from it): a page of `stmt`. */
function pageOf(chain: Chain): ReadShape | undefined {
  if (!chain.bases.size || !chain.links.some((l) => l.name === 'offset' || l.name === 'limit')) return undefined;
  return { kind: 'page', bases: chain.bases };
}

function pyField(n: PyNode, name: string): PyNode | undefined {
  return n.children.find((c) => c.field === name);
}

function pyArgs(call: PyNode): { positional: PyNode[]; keywords: PyNode[] } {
  const list = pyField(call, 'arguments');
  const all = list ? list.children.filter((c) => c.named && c.type !== 'comment') : [];
  return { positional: all.filter((a) => a.type !== 'keyword_argument'), keywords: all.filter((a) => a.type === 'keyword_argument') };
}

function pyCalleeName(syntax: PythonFixSyntax, call: PyNode): string | undefined {
  const callee = pyField(call, 'function');
  if (callee?.type === 'identifier') return syntax.src(callee);
  return isModuleSelect(syntax, callee) ? 'select' : undefined;
}

/** `sa.select`, `sqlalchemy.select`, `sqlmodel.select`: the module-qualified statement builder. */
function isModuleSelect(syntax: PythonFixSyntax, callee: PyNode | undefined): boolean {
  if (callee?.type !== 'attribute') return false;
  const obj = pyField(callee, 'object');
  return obj?.type === 'identifier' && /^(sa|sqlalchemy|sqlmodel)$/.test(syntax.src(obj)) && syntax.src(pyField(callee, 'attribute') ?? callee) === 'select';
}

// ── Fixes ─────────────────────────────────────────────────────────────────────────────────────
// The decision (which repair, its title and applicability) and its spelling per language live
// here; `ctx.syntax` answers questions about the source (see core/fix-syntax.ts).

function fixesFor(ctx: RuleContext, group: Member[]): Fix[] {
  return ctx.spellFixes(() => (ctx.facts.language === 'python' ? pythonFixes(ctx, group) : typescriptFixes(ctx, group)));
}

/**
 * TypeScript/JavaScript: `const [a, b] = await Promise.all([…])`. Keeps the declaration keyword
 * and type annotations (as a tuple type), drops discarded results as holes, assigns targets
 * (`[this.a, b] = …`) when no member declares, and keeps the statements that sat between the
 * awaits: before the `Promise.all` when a later await reads what they write, after it otherwise.
 * Comments stay with their await inside the array. Mixed shapes get no fix.
 */
function typescriptFixes(ctx: RuleContext, group: Member[]): Fix[] {
  const syntax = ctx.syntax;
  if (!isTsFixSyntax(syntax)) return [];
  const block = ctx.facts.blocks.find((b) => b.statements.includes(group[0].stmt));
  if (!block) return [];
  const first = block.statements.indexOf(group[0].stmt);
  const last = block.statements.indexOf(group[group.length - 1].stmt);
  const members: TsStatement[] = [];
  const between: TsStatement[] = [];
  for (const st of block.statements.slice(first, last + 1)) {
    const t = syntax.statementAt(st.span.start);
    if (!t || t.span.start !== st.span.start) return [];
    if (group.some((m) => m.stmt === st)) {
      if (!t.awaited) return [];
      members.push(t);
    } else between.push(t);
  }
  const head = tsPromiseAllHead(syntax, members);
  if (head === undefined) return [];
  const order = tsOrderBetween(members, between);
  if (!order) return [];
  const indent = syntax.indentAt(members[0].span.start);
  const inner = indent + syntax.indentUnit;
  const eol = syntax.eol;
  const semi = syntax.semicolons ? ';' : '';
  const lines: string[] = [];
  members.forEach((m, i) => {
    if (i > 0) for (const c of m.leadingComments) lines.push(inner + c);
    const expr = syntax.text.slice(m.awaited!.start, m.awaited!.end).split(/\r?\n/).join(eol + syntax.indentUnit);
    lines.push(`${inner}${expr},${m.trailingComment ? ` ${m.trailingComment}` : ''}`);
  });
  const asi = !syntax.semicolons && head.startsWith('[') ? ';' : '';
  const all = `${asi}${head}await Promise.all([${eol}${lines.join(eol)}${eol}${indent}])${semi}`;
  const moved = (sts: TsStatement[]) => sts.map((st) => syntax.text.slice(st.fullStart, st.endWithComment).replace(/^[ \t]*/, (ws) => ws) + eol).join('');
  // The first member keeps its place (and the comments above it); what was between follows.
  const before = moved(order.before);
  const after = moved(order.after);
  const start = members[0].span.start;
  const end = members[members.length - 1].endWithComment;
  const newText = (before ? before.replace(/^[ \t]*/, '') + indent : '') + all + (after ? eol + after.replace(/\r?\n$/, '') : '');
  return [{ title: 'Run concurrently with `Promise.all` (first error rejects all)', applicability: 'unsafe', edits: [{ span: { start, end }, newText }] }];
}

/** `const [a, b]: [A, B] = `, `[this.a, b] = ` or nothing (all results discarded); undefined for mixed shapes. */
function tsPromiseAllHead(syntax: TsFixSyntax, members: TsStatement[]): string | undefined {
  const decls = members.filter((m) => m.declaration);
  const assigns = members.filter((m) => m.assignment);
  if (decls.length && assigns.length) return undefined;
  if (members.every((m) => !m.declaration && !m.assignment)) return '';
  const elements = members.map((m) => (m.declaration ? m.declaration.name.text : m.assignment ? m.assignment.target.text : ''));
  while (elements.length && elements[elements.length - 1] === '') elements.pop();
  const pattern = `[${elements.join(', ')}]`;
  if (assigns.length) return `${pattern} = `;
  const keywords = new Set(decls.map((d) => d.declaration!.keyword));
  if (keywords.size !== 1) return undefined;
  const typed = decls.filter((d) => d.declaration!.type);
  let type = '';
  if (typed.length) {
    if (typed.length !== decls.length || syntax.language !== 'typescript') return undefined;
    type = `: [${members.slice(0, elements.length).map((m) => m.declaration?.type ?? 'unknown').join(', ')}]`;
  }
  return `${[...keywords][0]} ${pattern}${type} = `;
}

/**
 * Statements between the awaits: before the `Promise.all` when a later await reads what they
 * write, after it when they read a result; both at once, or an order that breaks, gets no fix.
 */
function tsOrderBetween(members: TsStatement[], between: TsStatement[]): { before: TsStatement[]; after: TsStatement[] } | undefined {
  const results = new Set(members.flatMap((m) => m.namesWritten));
  // Assigning to members (`this.total = await …`) hides what a statement between might read.
  if (between.length && members.some((m) => m.assignment && !/^[A-Za-z_$][\w$]*$/.test(m.assignment.target.text))) return undefined;
  const before: TsStatement[] = [];
  const after: TsStatement[] = [];
  const afterWrites = new Set<string>();
  for (const st of between) {
    const later = members.filter((m) => m.span.start > st.span.start);
    const feedsLater = st.namesWritten.some((n) => later.some((m) => m.namesRead.includes(n)));
    const readsResult = st.namesRead.some((n) => results.has(n) || afterWrites.has(n));
    if (feedsLater && readsResult) return undefined;
    if (feedsLater) before.push(st);
    else {
      after.push(st);
      for (const n of st.namesWritten) afterWrites.add(n);
    }
  }
  if (before.some((st) => st.namesRead.some((n) => afterWrites.has(n)))) return undefined;
  return { before, after };
}

/** Python: `a, b = await asyncio.gather(…)`. */
function pythonFixes(ctx: RuleContext, group: Member[]): Fix[] {
  const syntax = ctx.syntax;
  if (!isPythonSyntax(syntax)) return [];
  const block = ctx.facts.blocks.find((b) => b.statements.includes(group[0].stmt));
  const first = syntax.nodeAt(group[0].stmt.span);
  const last = syntax.nodeAt(group[group.length - 1].stmt.span);
  const parent = first?.parent;
  if (!block || !first || !last || !parent || last.parent !== parent) return [];
  const members = new Map(group.map((m) => [m.stmt, m]));
  const factOf = (n: PyNode) => block.statements.find((st) => st.span.start === n.start && st.span.end === n.end);

  // Everything the rewrite replaces: the lines from the first member to the last, as statements
  // and comments (a comment on a statement's line stays with it).
  const trailingEnd = last.end + pyTrailing(syntax, last).length;
  const nodes = parent.children.filter((c) => c.named && c.start >= first.start && (c.end <= last.end || (c.type === 'comment' && c.start < trailingEnd)));
  const items: { node: PyNode; comments: string[]; fact?: StatementFact }[] = [];
  let pending: string[] = [];
  for (const n of nodes) {
    if (n.type === 'comment') {
      const prev = items[items.length - 1];
      const sameLine = prev && !/\n/.test(syntax.text.slice(prev.node.end, n.start));
      const text = syntax.src(n).replace(/\s+$/, '');
      if (sameLine) prev.comments.push(text);
      else pending.push(text);
      continue;
    }
    const fact = factOf(n);
    // Two statements on one line (`a = 1; b = 2`) or a statement the facts do not know: leave it.
    if (!fact || (items.length && !/\n/.test(syntax.text.slice(items[items.length - 1].node.end, n.start)))) return [];
    items.push({ node: n, comments: [], fact });
    items[items.length - 1].comments.unshift(...pending.map((c) => `\u0000${c}`));
    pending = [];
  }
  if (pending.length) return [];

  const targets: string[] = [];
  const declarations: string[] = [];
  const awaited: string[] = [];
  for (const m of group) {
    const node = syntax.nodeAt(m.stmt.span);
    const parts = node ? pyAwaitStatement(syntax, node) : undefined;
    if (!parts) return [];
    targets.push(parts.target ?? '_');
    if (parts.declaration) declarations.push(parts.declaration);
    awaited.push(parts.expr);
  }
  const discards = targets.filter((t) => t === '_').length;
  // `_` may be gettext's `_` in this file; several discarded results would need `_` twice anyway.
  if (discards > 0 && discards < targets.length && syntax.identifiers.has('_')) return [];

  // Plain statements between the awaits: those that use a result of the group run after the
  // gather, the others before it. A "before" statement that rebinds a name read earlier in the
  // range would change what that code sees: no rewrite then.
  const tainted = new Set(group.flatMap((m) => m.stmt.namesWritten));
  const before: typeof items = [];
  const after: typeof items = [];
  const memberComments: string[] = [];
  const readSoFar = new Set<string>();
  for (const [i, item] of items.entries()) {
    const fact = item.fact!;
    if (members.has(fact)) {
      memberComments.push(...item.comments);
    } else if (fact.namesRead.some((n) => tainted.has(n))) {
      // Moved after the gather, it would see what a later await of the group binds.
      const laterWrites = new Set(items.slice(i + 1).filter((x) => members.has(x.fact!)).flatMap((x) => x.fact!.namesWritten));
      if (fact.namesRead.some((n) => laterWrites.has(n))) return [];
      for (const n of fact.namesWritten) tainted.add(n);
      after.push(item);
    } else {
      if (fact.namesWritten.some((n) => readSoFar.has(n) || tainted.has(n))) return [];
      before.push(item);
    }
    for (const n of fact.namesRead) readSoFar.add(n);
  }

  const indent = syntax.indentAt(first.start);
  const eol = syntax.eol;
  const asyncio = syntax.moduleName('asyncio');
  const lhs = targets.every((t) => t === '_') ? '' : `${targets.join(', ')} = `;
  const head = `${indent}${lhs}await ${asyncio.name}.gather(`;
  const oneLine = `${head}${awaited.join(', ')})`;
  const gather = oneLine.length <= 100 && !awaited.some((a) => /\n/.test(a))
    ? oneLine
    : `${head}${eol}${awaited.map((a) => `${indent}${syntax.indentUnit}${pyIndentMore(a, syntax.indentUnit)},${eol}`).join('')}${indent})`;
  const comment = (c: string) => `${indent}${c.replace(/^\u0000/, '')}`;
  const render = (item: (typeof items)[number]) => {
    const leading = item.comments.filter((c) => c.startsWith('\u0000')).map(comment);
    const trailing = item.comments.filter((c) => !c.startsWith('\u0000'));
    const code = syntax.text.slice(syntax.lineStart(item.node.start), item.node.end);
    return [...leading, trailing.length ? `${code}  ${trailing.join(' ')}` : code];
  };
  const lines = [
    ...before.flatMap(render),
    ...memberComments.map(comment),
    ...declarations.map((d) => `${indent}${d}`),
    gather,
    ...after.flatMap(render),
  ];
  const lastItem = items[items.length - 1];
  const end = lastItem.comments.length && !lastItem.comments[lastItem.comments.length - 1].startsWith('\u0000') ? nodes[nodes.length - 1].start + syntax.src(nodes[nodes.length - 1]).replace(/\s+$/, '').length : last.end;
  return [{
    title: `Run concurrently with \`${asyncio.name}.gather\` (the first error propagates while the other awaits keep running)`,
    applicability: 'unsafe',
    edits: [{ span: { start: syntax.lineStart(first.start), end }, newText: lines.join(eol) }, ...(asyncio.edit ? [asyncio.edit] : [])],
  }];
}

/** Continuation lines of a multi-line argument one level deeper (unless a triple-quoted string spans them). */
function pyIndentMore(text: string, unit: string): string {
  if (!/\n/.test(text) || /"""|'''/.test(text)) return text;
  return text.replace(/\n(?=[ \t]*\S)/g, `\n${unit}`);
}

/** A comment after the statement on its line (`x = await f()  # why`), or ''. */
function pyTrailing(syntax: PythonFixSyntax, stmt: PyNode): string {
  const rest = syntax.text.slice(stmt.end, syntax.text.indexOf('\n', stmt.end) < 0 ? syntax.text.length : syntax.text.indexOf('\n', stmt.end));
  return /^\s*#/.test(rest) ? rest.replace(/\r$/, '') : '';
}

/**
 * `x = await f()`, `x: T = await f()`, `self.x = await f()`, `a, b = await f()` or `await f()`:
 * the target as a gather target, a bare annotation to keep the type (`x: T`), and the awaited
 * expression. Anything else (`x += await f()`, `a = b = await f()`, `return await f()`) is not split.
 */
function pyAwaitStatement(syntax: PythonFixSyntax, stmt: PyNode): { target?: string; declaration?: string; expr: string } | undefined {
  if (stmt.type !== 'expression_statement' || stmt.children.filter((c) => c.named && c.type !== 'comment').length !== 1) return undefined;
  const inner = stmt.children.find((c) => c.named && c.type !== 'comment')!;
  const awaitExpr = (n: PyNode | undefined) => {
    const a = n ? pyUnparen(n) : undefined;
    const e = a?.type === 'await' ? a.children.find((c) => c.named && c.type !== 'comment') : undefined;
    return e ? syntax.src(e) : undefined;
  };
  if (inner.type === 'await' || inner.type === 'parenthesized_expression') {
    const expr = awaitExpr(inner);
    return expr ? { expr } : undefined;
  }
  if (inner.type !== 'assignment') return undefined;
  const left = inner.children.find((c) => c.field === 'left');
  const type = inner.children.find((c) => c.field === 'type');
  const expr = awaitExpr(inner.children.find((c) => c.field === 'right'));
  if (!left || !expr) return undefined;
  if (!/^(identifier|attribute|subscript|pattern_list|tuple_pattern)$/.test(left.type)) return undefined;
  const target = left.type === 'pattern_list' ? `(${syntax.src(left)})` : syntax.src(left);
  return { target, expr, declaration: type ? `${syntax.src(left)}: ${syntax.src(type)}` : undefined };
}

function pyUnparen(n: PyNode): PyNode {
  let x = n;
  while (x.type === 'parenthesized_expression') {
    const inner = x.children.filter((c) => c.named && c.type !== 'comment');
    if (inner.length !== 1) break;
    x = inner[0];
  }
  return x;
}
