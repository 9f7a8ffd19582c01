import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { CallFact, FileFacts, StatementFact } from '../core/model';

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
      'Reports groups of two or more awaits in consecutive statements of one block where no later await uses a result of an earlier one, and nothing orders them: not on one connection, session or transaction (a SQLAlchemy `AsyncSession`, a pg client from `pool.connect()`, Prisma’s `tx`, a TypeORM query runner, Knex’s `trx`), not lifecycle steps (connect, begin, commit, refresh, release), not sleeps, not a write followed by more work, and with no guard (`if (!user) throw …`) between them. It prefers fewer, certain groups to many doubtful ones.',
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
    fixSafety:
      '`Promise.all` rejects as soon as one promise rejects while the others keep running, and `asyncio.gather` behaves likewise; side effects may interleave. The rewrite is therefore unsafe: review it.',
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

// ── Fixes ─────────────────────────────────────────────────────────────────────────────────────
// The decision (which repair, its title and applicability) and its spelling per language live
// here; `ctx.syntax` answers questions about the source (see core/fix-syntax.ts).

function fixesFor(ctx: RuleContext, group: Member[]): Fix[] {
  return ctx.facts.language === 'python' ? pythonFixes(ctx, group) : typescriptFixes(ctx, group);
}

/** TypeScript/JavaScript: `const [a, b] = await Promise.all([…])`. */
function typescriptFixes(_ctx: RuleContext, _group: Member[]): Fix[] {
  return [];
}

/** Python: `a, b = await asyncio.gather(…)`. */
function pythonFixes(_ctx: RuleContext, _group: Member[]): Fix[] {
  return [];
}
