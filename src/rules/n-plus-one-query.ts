import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { Related } from '../core/finding';
import type { CallFact, FileFacts, LoopFact, Span } from '../core/model';
import type { TextEdit } from '../core/finding';
import { isTsFixSyntax, mergeInsertions } from '../frontends/typescript/fix-syntax-api';
import type { TsCall, TsFixSyntax, TsLoop, TsObject } from '../frontends/typescript/fix-syntax-api';
import { TS_BATCH_LOOKUPS } from '../core/knowledge/typescript/batching';

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

/**
 * TypeScript/JavaScript: a lookup by one key becomes one query for every key before the loop
 * plus a `Map` lookup in its place (Prisma `findMany` with `in`, TypeORM `findBy` with `In`,
 * Sequelize `findAll`); otherwise a for-of loop may run its iterations with `Promise.all`, which
 * is still N queries (the finding stays). Both change behaviour, so both are unsafe.
 */
function typescriptFixes(ctx: RuleContext, call: CallFact, loop: LoopFact): Fix[] {
  const syntax = ctx.syntax;
  if (!isTsFixSyntax(syntax)) return [];
  const l = syntax.loopAt(loop.span);
  const c = syntax.callAt(call.span);
  if (!l || !c) return [];
  const fixes: Fix[] = [];
  const batch = tsBatchLookup(ctx.facts, syntax, call, loop, c, l);
  if (batch) fixes.push(batch);
  const concurrent = tsPromiseAllLoop(ctx.facts, syntax, call, loop, l);
  if (concurrent) fixes.push(concurrent);
  return fixes;
}

/** `const customers = await prisma.customer.findMany({ where: { id: { in: keys } } })` + a `Map`, before the loop. */
function tsBatchLookup(facts: FileFacts, syntax: TsFixSyntax, call: CallFact, loop: LoopFact, c: TsCall, l: TsLoop): Fix | undefined {
  const lookup = c.method && call.effect ? TS_BATCH_LOOKUPS[call.effect.library]?.[c.method] : undefined;
  if (!lookup || !c.receiver || !c.awaitSpan || !l.variable || !l.iterable.simple || l.isAwait) return undefined;
  if (l.kind !== 'for-of' && l.kind !== 'callback') return undefined;
  // Inside another per-element loop the batched query would run once per outer element: no gain.
  if (call.loopIds.some((id) => id !== loop.id && facts.loops[id] && facts.loops[id].span.start < loop.span.start)) return undefined;
  // The key: `{ where: { k: v } }`, `{ k: v }` or `v`, where `v` reads only the loop variable.
  let key: string;
  let keyValue: { span: Span; text: string; names: string[] } | undefined;
  if (lookup.keyIn === 'primaryKey') {
    if (c.args.length !== 1) return undefined;
    key = 'id';
    const root = /^[A-Za-z_$][\w$]*/.exec(c.args[0].text)?.[0];
    keyValue = { ...c.args[0], names: root ? [root] : [] };
  } else {
    if (c.args.length !== 1 || !c.args[0].object) return undefined;
    let criteria: TsObject | undefined = c.args[0].object;
    if (lookup.keyIn === 'where') {
      if (criteria.properties.length !== 1 || criteria.properties[0].name !== 'where') return undefined;
      criteria = criteria.properties[0].value?.object;
    }
    if (!criteria || criteria.properties.length !== 1) return undefined;
    const prop = criteria.properties[0];
    if (!prop.name || !prop.value || prop.value.object) return undefined;
    key = prop.name;
    keyValue = prop.value;
  }
  if (!keyValue.names.length || keyValue.names.some((n) => n !== l.variable)) return undefined;
  if (!/^[A-Za-z_$][\w$.?]*$/.test(keyValue.text)) return undefined;
  if (syntax.text.slice(c.receiver.span.start, c.receiver.span.end).split(/\W+/).includes(l.variable)) return undefined;
  if (!syntax.awaitAllowedAt(l.statement.start)) return undefined;
  // Names for the rows and the map, from the model (`prisma.customer`, `this.products`, `Customer`).
  const model = (call.resource ?? c.receiver.text.split('.').pop() ?? '').replace(/^[A-Z]/, (ch) => ch.toLowerCase());
  if (!/^[a-z][\w$]*$/.test(model)) return undefined;
  const singular = model.endsWith('s') && !model.endsWith('ss') ? model.slice(0, -1) : model;
  const rows = [tsPlural(singular), `found${tsCapital(tsPlural(singular))}`].find((n) => syntax.isNameFree(n));
  const byKey = `${singular}By${tsCapital(key)}`;
  // `singular` only names the parameter of the `Map` callback, so it may shadow; the others are new declarations.
  if (!rows || !syntax.isNameFree(byKey) || singular === l.variable) return undefined;
  const keys = keyValue.text === l.variable ? l.iterable.text : `${l.iterable.text}.map((${l.variable}) => ${keyValue.text})`;
  const edits: TextEdit[] = [];
  let criteria: string;
  if (lookup.keysAs === 'prisma-in') criteria = `{ where: { ${key}: { in: ${keys} } } }`;
  else if (lookup.keysAs === 'array') criteria = `{ where: { ${key}: ${keys} } }`;
  else {
    const inOp = syntax.imports.ensure('typeorm', 'In');
    if (!inOp) return undefined;
    edits.push(...inOp.edits);
    criteria = `{ ${key}: ${inOp.expr}(${keys}) }`;
  }
  const indent = syntax.indentAt(l.statement.start);
  const semi = syntax.semicolons ? ';' : '';
  const before =
    `const ${rows} = await ${c.receiver.text}.${lookup.batchMethod}(${criteria})${semi}${syntax.eol}` +
    `${indent}const ${byKey} = new Map(${rows}.map((${singular}) => [${singular}.${key}, ${singular}]))${semi}${syntax.eol}${indent}`;
  edits.push({ span: { start: l.statement.start, end: l.statement.start }, newText: before });
  // `findUnique` resolves to null for a missing row; `Map.get` to undefined.
  const lookupText = `${byKey}.get(${keyValue.text}) ?? null`;
  edits.push({ span: c.awaitSpan, newText: c.standsAlone ? lookupText : `(${lookupText})` });
  const what = lookup.keysAs === 'prisma-in' ? `one \`${lookup.batchMethod}\` with \`in\`` : lookup.keysAs === 'typeorm-In' ? `one \`${lookup.batchMethod}\` with \`In\`` : `one \`${lookup.batchMethod}\``;
  const caveat = lookup.firstOfMany ? 'the last row per key wins' : lookup.keysAs === 'array' ? 'assumes the primary key is `id`' : 'rows are read before the loop';
  return { title: `Batch into ${what} and a \`Map\` lookup (${caveat})`, applicability: 'unsafe', edits: mergeInsertions(edits) };
}

/**
 * `for (const x of xs) { … }` → `await Promise.all(xs.map(async (x) => { … }))`: the iterations
 * overlap, which still sends N queries (the finding stays) and needs a pool that can take them.
 * Not offered on one transaction or connection, for loops that break, return or carry state
 * from one iteration to the next, or where `await` is not allowed.
 */
function tsPromiseAllLoop(facts: FileFacts, syntax: TsFixSyntax, call: CallFact, loop: LoopFact, l: TsLoop): Fix | undefined {
  if (l.kind !== 'for-of' || l.isAwait || !l.variable || !l.iterable.simple || !l.body.block || l.bodyExits || call.connectionKey) return undefined;
  // Only reads: concurrent writes can deadlock or depend on their order, and a unit of work
  // (MikroORM's `em`) must not flush concurrently.
  const inBody = (x: CallFact) => x.span.start >= l.body.span.start && x.span.end <= l.body.span.end;
  if (facts.calls.some((x) => inBody(x) && x.effect?.kind === 'query' && (x.operation !== 'read' || x.effect.library === 'mikroorm' || x.connectionKey))) return undefined;
  if (!syntax.awaitAllowedAt(l.span.start)) return undefined;
  // State carried across iterations (`total += …`, `last = row`) makes the order matter.
  if (loop.carriedNames.length) return undefined;
  const semi = syntax.semicolons ? ';' : '';
  const newText = `await Promise.all(${l.iterable.text}.map(async (${l.variable}) => ${l.body.text}))${semi}`;
  return {
    title: 'Run the iterations concurrently with `Promise.all` (still N queries; side effects interleave)',
    applicability: 'unsafe',
    keepsFinding: true,
    edits: [{ span: l.span, newText }],
  };
}

function tsPlural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

function tsCapital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Python: `.in_()` + dict, `selectinload`, `executemany`, or `asyncio.gather`. */
function pythonFixes(_ctx: RuleContext, _call: CallFact, _loop: LoopFact): Fix[] {
  return [];
}
