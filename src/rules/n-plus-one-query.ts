import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { Related } from '../core/finding';
import type { CallFact, FileFacts, LoopFact, Span } from '../core/model';
import type { TextEdit } from '../core/finding';
import { isTsFixSyntax, mergeInsertions } from '../frontends/typescript/fix-syntax-api';
import type { TsCall, TsFixSyntax, TsLoop, TsObject } from '../frontends/typescript/fix-syntax-api';
import { TS_BATCH_LOOKUPS, TS_BULK_WRITES, TS_SQL_ANY } from '../core/knowledge/typescript/batching';
import { PY_EXECUTEMANY, PY_GATHER_SAFE_LIBRARIES, PY_ONE_SHOT_CALLS, PY_SQLALCHEMY_LOOKUPS } from '../core/knowledge/python/batching';
import { isPythonSyntax } from '../frontends/python/fix-syntax-api';
import type { PythonFixSyntax } from '../frontends/python/fix-syntax-api';
import type { PyNode } from '../frontends/python/tree';
import { field } from '../frontends/python/tree';

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
    fixSafety: [
      'Batching changes the order of results and how missing rows show up (a `Map` lookup yields `undefined` instead of a query returning null), so batched rewrites are unsafe fixes: review them. Eager loading with `include`/`selectinload` is also offered as unsafe.',
      'TypeScript/JavaScript: a lookup by one key in a for-of loop or array callback — Prisma `findUnique`/`findFirst({ where: { k: x.f } })`, TypeORM `findOneBy({ k: x.f })`/`findOne({ where: { k: x.f } })`, Sequelize `findByPk(x.f)` — becomes one `findMany({ where: { k: { in: xs.map(…) } } })`, `findBy({ k: In(…) })` (importing `In`) or `findAll({ where: { id: […] } })` before the loop and a `Map` lookup in its place, `?? null` keeping the null a missing row gave. Unsafe: every row is read before the loop (even if it would have stopped early), for `findFirst` the last row per key wins, and Sequelize\'s primary key is assumed to be `id` — the title says which. It is offered only when the key reads nothing but the loop variable and the loop is not nested in another per-element loop. Where the loop only sets `x.rel = await prisma.rel.findUnique({ where: { id: x.relId } })` over rows that `prisma.m.findMany` loaded just before, the relation is loaded with them instead (`include: { rel: true }`) and the loop goes — unsafe, as the relation field is assumed to be named like the model. TypeORM likewise: a lookup of a row’s relation by its foreign key (`findOneBy({ id: post.authorId })`, `findOne({ where: { id: post.authorId } })`, `manager.findOneBy(Author, …)`) over rows that `find`/`findBy` loaded just before becomes `relations: { author: true }` on that find (`relations: [\'author\']` in files that write arrays) and `post.author` in the lookup’s place — unsafe, as the relation is read when the rows are, in the same query; offered only where an entity class of the file or of another file of the project declares both `authorId` and an `@ManyToOne`/`@OneToOne` property `author` (otherwise the lookup is batched). A pg `query(\'SELECT … WHERE k = $1\', [x.f])` destructured as `{ rows }` becomes one query with `k = ANY($1)` and the array of keys, its rows grouped by `k` in a `Map` (a plain SELECT of `*` or the key only, without LIMIT, ORDER BY, GROUP BY or DISTINCT, whose meaning would change over all keys). A loop whose only statement writes the row of one key (Knex `where(k, x.f)…update/del/increment`, Sequelize static `update`/`destroy` with `where: { k: x.f }`) becomes one write for all keys (`whereIn(k, …)`, `where: { k: […] }`), when the values written do not depend on the element: unsafe, since one statement writes all rows or none where the loop stopped at the first error. Otherwise a for-of loop of reads may become `await Promise.all(xs.map(async (x) => { … }))`: still N queries, so the finding stays, and iterations interleave; it is never offered on a transaction or connection, for loops that break, return, write, take locks, use MikroORM\'s unit of work, or fill a collection declared outside them (whose order would follow completion).',
      'Python: a lookup by key in a `for` loop (`await session.get(M, v.f)`, `await session.scalar(select(M).where(M.k == v.f))`) becomes one `select(M).where(M.k.in_([…]))` before the loop and a dict lookup whose `.get` returns `None` for a missing row, as the query did; `session.get` is batched on `M.id`, which the title says. A one-to-many lookup (`(await session.scalars(select(M).where(M.k == v.f))).all()`) is grouped into a dict of lists. `await v.awaitable_attrs.rel` over rows loaded by `select(M)` in the same function becomes `selectinload(M.rel)` on that query. A loop whose only statement is an asyncpg `execute` of an INSERT becomes one `executemany`, which asyncpg applies atomically (the loop did not). All of these are unsafe: rows come back in another order, several rows per key collapse to one, and the loop’s collection is read twice. A list comprehension of awaits, or a `for` loop whose only statement awaits a query (or appends its result to a list), on a pool-backed client (an asyncpg pool, Redis, httpx) may run them with `asyncio.gather` — still N queries, so the finding stays, and the first error propagates; it is never offered on one AsyncSession or connection, which cannot run queries concurrently, nor through project helpers that may share one.',
    ].join('\n\n'),
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
  return ctx.spellFixes(() => (ctx.facts.language === 'python' ? pythonFixes(ctx, call, loop) : typescriptFixes(ctx, call, loop)));
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
  const bulk = tsBulkWrite(syntax, call, l);
  if (bulk) return [bulk];
  const eager = tsPrismaInclude(syntax, call, l) ?? tsTypeormRelations(ctx.facts, syntax, call, l);
  if (eager) fixes.push(eager);
  const any = tsSqlAny(syntax, call, l);
  if (any) fixes.push(any);
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
  // The same lookup in another loop of this function would get the same names: batch the first only.
  if (facts.calls.some((x) => x !== call && x.functionId === call.functionId && x.loopIds.length > 0 && x.calleeText === call.calleeText && x.span.start < call.span.start)) return undefined;
  // Names for the rows and the map, from the model (`prisma.customer`, `this.products`, `Customer`).
  // `usersRepository` → `user`; a bare `repo` names nothing, so its rows are `rows`.
  const named = (call.resource ?? c.receiver.text.split('.').pop() ?? '').replace(/_?(Repository|Repo|repository|repo)$/, '');
  const model = (named || 'row').replace(/^[A-Z]/, (ch) => ch.toLowerCase());
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
    `${indent}const ${byKey} = new Map(${rows}.map((${singular}) => [${lookup.keyRead === 'get' ? `${singular}.get('${key}')` : `${singular}.${key}`}, ${singular}]))${semi}${syntax.eol}${indent}`;
  edits.push({ span: { start: l.statement.start, end: l.statement.start }, newText: before });
  // `findUnique` resolves to null for a missing row; `Map.get` to undefined.
  const lookupText = `${byKey}.get(${keyValue.text}) ?? null`;
  edits.push({ span: c.awaitSpan, newText: c.standsAlone ? lookupText : `(${lookupText})` });
  const what = lookup.keysAs === 'prisma-in' ? `one \`${lookup.batchMethod}\` with \`in\`` : lookup.keysAs === 'typeorm-In' ? `one \`${lookup.batchMethod}\` with \`In\`` : `one \`${lookup.batchMethod}\``;
  const caveat = lookup.firstOfMany ? 'the last row per key wins' : lookup.keysAs === 'array' ? 'assumes the primary key is `id`' : 'rows are read before the loop';
  return { title: `Batch into ${what} and a \`Map\` lookup (${caveat})`, applicability: 'unsafe', edits: mergeInsertions(edits) };
}

/**
 * Prisma eager loading: `for (const o of orders) o.customer = await prisma.customer.findUnique({
 * where: { id: o.customerId } })` over `orders` loaded by `prisma.order.findMany(…)` in the same
 * function → `include: { customer: true }` on that `findMany`, and the loop goes. Offered only for
 * that exact shape, where the relation field is named like the model and its key is `<field>Id`.
 */
function tsPrismaInclude(syntax: TsFixSyntax, call: CallFact, l: TsLoop): Fix | undefined {
  const c = syntax.callAt(call.span);
  if (call.effect?.library !== 'prisma' || !c?.receiver || (c.method !== 'findUnique' && c.method !== 'findFirst') || !c.awaitSpan) return undefined;
  if (l.kind !== 'for-of' || l.isAwait || !l.variable || !/^[A-Za-z_$][\w$]*$/.test(l.iterable.text) || l.bodyStatements.length !== 1) return undefined;
  const st = syntax.statementAt(call.span.start);
  const rel = c.receiver.text.split('.').pop()!;
  if (!st?.assignment || st.span.start !== l.bodyStatements[0].start || st.assignment.target.text !== `${l.variable}.${rel}` || st.awaited?.start !== call.span.start) return undefined;
  const where = c.args.length === 1 && c.args[0].object?.properties.length === 1 && c.args[0].object.properties[0].name === 'where' ? c.args[0].object.properties[0].value?.object : undefined;
  if (!where || where.properties.length !== 1 || where.properties[0].name !== 'id' || where.properties[0].value?.text !== `${l.variable}.${rel}Id`) return undefined;
  const decl = syntax.declarationBefore(l.span.start, l.iterable.text);
  const load = decl?.awaited && syntax.callAt(decl.awaited);
  if (!decl?.sameBlock || !load || load.method !== 'findMany' || !load.receiver || load.args.length > 1) return undefined;
  const receiverRoot = c.receiver.text.slice(0, -rel.length - 1);
  if (load.receiver.text.slice(0, load.receiver.text.lastIndexOf('.')) !== receiverRoot) return undefined;
  const include = `include: { ${rel}: true }`;
  let edit: TextEdit;
  if (load.args.length === 0) edit = { span: load.argsInner, newText: `{ ${include} }` };
  else {
    const o = load.args[0].object;
    if (!o || o.multiline || o.properties.some((p) => !p.name || p.name === 'include' || p.name === 'select')) return undefined;
    const inner = syntax.text.slice(o.span.start + 1, o.span.end - 1).replace(/\s+$/, '');
    const end = o.span.start + 1 + inner.length;
    edit = o.properties.length ? { span: { start: end, end }, newText: `, ${include}` } : { span: { start: o.span.start, end: o.span.end }, newText: `{ ${include} }` };
  }
  // The loop goes, with its line(s).
  const from = syntax.lineStart(l.span.start);
  const nl = syntax.text.indexOf('\n', l.span.end);
  const to = nl < 0 ? syntax.text.length : nl + 1;
  if (syntax.text.slice(from, l.span.start).trim() || syntax.text.slice(l.span.end, nl < 0 ? undefined : nl).trim()) return undefined;
  return {
    title: `Load \`${rel}\` with \`include\` in the \`findMany\` of \`${l.iterable.text}\` (assumes the relation field is \`${rel}\`)`,
    applicability: 'unsafe',
    edits: [edit, { span: { start: from, end: to }, newText: '' }],
  };
}

/**
 * TypeORM eager loading: in a loop over rows that `find(…)`/`findBy(…)` loaded just before in the
 * same block, a lookup of a row's relation by its foreign key (`repo.findOneBy({ id: post.authorId })`,
 * `findOne({ where: { id: post.authorId } })`, `manager.findOneBy(Author, { id: post.authorId })`)
 * becomes `relations: { author: true }` on that find (`relations: ['author']` where the file
 * writes arrays) and `post.author` in its place; a statement that only assigned `post.author`
 * goes (and the loop, when that was all it did). Offered only where the relation's name is known:
 * an entity class of the file or of the project declares `authorId` and an `@ManyToOne`/`@OneToOne`
 * property `author`.
 */
function tsTypeormRelations(facts: FileFacts, syntax: TsFixSyntax, call: CallFact, l: TsLoop): Fix | undefined {
  const c = syntax.callAt(call.span);
  const lookup = c?.method ? TS_BATCH_LOOKUPS.typeorm[c.method] : undefined;
  if (call.effect?.library !== 'typeorm' || !c?.receiver || !c.awaitSpan || !lookup) return undefined;
  if (!l.variable || l.isAwait || (l.kind !== 'for-of' && l.kind !== 'callback') || !/^[A-Za-z_$][\w$]*$/.test(l.iterable.text)) return undefined;
  // `findOneBy({ id: v.relId })` / `findOne({ where: { id: v.relId } })`, after the entity on an EntityManager.
  const optionsAt = c.args.length - 1;
  if (optionsAt > 1 || optionsAt < 0) return undefined;
  let criteria = c.args[optionsAt].object;
  if (lookup.keyIn === 'where') criteria = criteria?.properties.length === 1 && criteria.properties[0].name === 'where' ? criteria.properties[0].value?.object : undefined;
  const key = criteria?.properties.length === 1 ? criteria.properties[0] : undefined;
  const rel = key?.name === 'id' && key.value ? new RegExp(`^${l.variable.replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)Id$`).exec(key.value.text)?.[1] : undefined;
  if (!rel) return undefined;
  // The entity is declared in this file, or in another file of the project (its summary names the relation).
  const declaredHere = Object.values(facts.classes ?? {}).some((k) => k.relations?.includes(rel));
  if (!declaredHere && !facts.projectRelations?.includes(rel)) return undefined;
  // The rows: `const posts = await repo.find(…)` in the block of the loop.
  const decl = syntax.declarationBefore(l.span.start, l.iterable.text);
  const load = decl?.awaited && syntax.callAt(decl.awaited);
  const loadFact = load && facts.calls.find((x) => x.span.start === load.span.start && x.span.end === load.span.end);
  if (!decl?.sameBlock || !load?.receiver || !load.method || loadFact?.effect?.library !== 'typeorm' || (load.method !== 'find' && load.method !== 'findBy')) return undefined;
  // `manager.find(Post, …)` names the entity first.
  const entityFirst = load.args.length > 0 && !load.args[0].object && /^[A-Z][\w$]*$/.test(load.args[0].text) ? 1 : 0;
  const options = load.args.slice(entityFirst);
  if (options.length > 1 || (options.length === 1 && !options[0].object)) return undefined;
  const arrays = /\brelations\s*:\s*\[/.test(syntax.text);
  const relations = arrays ? `relations: [${syntax.quote}${rel}${syntax.quote}]` : `relations: { ${rel}: true }`;
  const edits: TextEdit[] = [];
  const o = options[0]?.object;
  if (load.method === 'findBy') {
    if (options.length !== 1) return undefined;
    const method = { start: load.callee.span.end - load.method.length, end: load.callee.span.end };
    edits.push({ span: method, newText: 'find' }, { span: options[0].span, newText: `{ where: ${options[0].text}, ${relations} }` });
  } else if (!o) {
    edits.push(entityFirst ? { span: { start: load.args[0].span.end, end: load.args[0].span.end }, newText: `, { ${relations} }` } : { span: load.argsInner, newText: `{ ${relations} }` });
  } else {
    if (o.multiline || o.properties.some((p) => !p.name || p.name === 'relations' || p.name === 'select' || p.name === 'loadRelationIds')) return undefined;
    const last = o.properties[o.properties.length - 1];
    edits.push(last ? { span: { start: last.span.end, end: last.span.end }, newText: `, ${relations}` } : { span: o.span, newText: `{ ${relations} }` });
  }
  // In the loop: the relation in place of the lookup; `v.rel = …` alone goes, and a loop that did only that.
  const st = syntax.statementAt(call.span.start);
  const assignsRel = st?.assignment?.target.text === `${l.variable}.${rel}` && st.span.start <= c.awaitSpan.start && c.awaitSpan.end <= st.span.end;
  const drop = (from: number, end: number): TextEdit | undefined => {
    const start = syntax.lineStart(from);
    const nl = syntax.text.indexOf('\n', end);
    const to = nl < 0 ? syntax.text.length : nl + 1;
    return syntax.text.slice(start, from).trim() || syntax.text.slice(end, nl < 0 ? undefined : nl).trim() ? undefined : { span: { start, end: to }, newText: '' };
  };
  let inLoop: TextEdit | undefined;
  if (assignsRel && l.kind === 'for-of' && l.bodyStatements.length === 1) inLoop = drop(l.span.start, l.span.end);
  else if (assignsRel && l.kind === 'for-of') inLoop = drop(st!.fullStart, st!.endWithComment);
  else if (!assignsRel) inLoop = { span: c.awaitSpan, newText: `${l.variable}.${rel}` };
  if (!inLoop) return undefined;
  edits.push(inLoop);
  return {
    title: `Load \`${rel}\` with \`relations\` in the \`find\` of \`${l.iterable.text}\` (one query with a join instead of one per row)`,
    applicability: 'unsafe',
    edits,
  };
}

/**
 * pg: `const { rows } = await pool.query('SELECT … WHERE k = $1', [x.f])` in a for-of loop → one
 * query with `k = ANY($1)` and the array of keys before the loop, its rows grouped by `k` in a
 * `Map`, and `const rows = byK.get(x.f) ?? []` in the loop. Only a plain SELECT with that one
 * parameter and no LIMIT, ORDER BY, GROUP BY, DISTINCT or OFFSET (which would mean something else
 * over all keys), selecting `*` or the key column.
 */
function tsSqlAny(syntax: TsFixSyntax, call: CallFact, l: TsLoop): Fix | undefined {
  const driver = call.effect ? TS_SQL_ANY[call.effect.library] : undefined;
  const c = syntax.callAt(call.span);
  if (!driver || !c?.method || !driver.methods.includes(c.method) || !c.receiver || !c.awaitSpan || c.args.length !== 2) return undefined;
  if (l.kind !== 'for-of' || l.isAwait || !l.variable || !l.iterable.simple || !syntax.awaitAllowedAt(l.statement.start)) return undefined;
  if (call.loopIds.length > 1) return undefined;
  const [sqlArg, valuesArg] = c.args;
  const quote = sqlArg.text[0];
  if (!/^['"`]$/.test(quote) || sqlArg.text.includes('${') || !sqlArg.text.endsWith(quote)) return undefined;
  const sql = sqlArg.text.slice(1, -1);
  const where = /\bWHERE\s+((?:\w+\.)?(\w+))\s*=\s*\$1(?!\d)/i.exec(sql);
  const select = /^\s*SELECT\s+([\s\S]*?)\s+FROM\s+(\w+)/i.exec(sql);
  if (!where || !select || (sql.match(/\$\d+/g) ?? []).length !== 1 || /\b(LIMIT|ORDER\s+BY|GROUP\s+BY|DISTINCT|OFFSET|FOR\s+UPDATE|UNION)\b|;/i.test(sql)) return undefined;
  const column = where[2];
  if (select[1].trim() !== '*' && !new RegExp(`(^|[\\s,.])${column}(\\s*,|\\s*$)`).test(select[1])) return undefined;
  const value = /^\[\s*([\w$.?]+)\s*\]$/.exec(valuesArg.text)?.[1];
  if (!value || value.split(/[.?]+/)[0] !== l.variable) return undefined;
  const st = syntax.statementAt(call.span.start);
  const pattern = st?.declaration && new RegExp(`^\\{\\s*${driver.rowsProperty}(?:\\s*:\\s*([A-Za-z_$][\\w$]*))?\\s*\\}$`).exec(st.declaration.name.text);
  if (!st?.declaration || !pattern || st.declaration.type || st.awaited?.start !== call.span.start || st.awaited.end !== call.span.end) return undefined;
  const local = pattern[1] ?? driver.rowsProperty;
  const table = select[2].replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase());
  const key = column.replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase());
  const all = [table, `all${tsCapital(table)}`].find((n) => syntax.isNameFree(n));
  const byKey = `${table}By${tsCapital(key)}`;
  if (!all || !syntax.isNameFree(byKey)) return undefined;
  const keys = value === l.variable ? l.iterable.text : `${l.iterable.text}.map((${l.variable}) => ${value})`;
  const batchedSql = sqlArg.text.slice(0, 1 + where.index) + sql.slice(where.index, where.index + where[0].length).replace(/=\s*\$1$/, '= ANY($1)') + sql.slice(where.index + where[0].length) + quote;
  const indent = syntax.indentAt(l.statement.start);
  const semi = syntax.semicolons ? ';' : '';
  const eol = syntax.eol;
  const mapType = syntax.language === 'typescript' ? `<unknown, typeof ${all}>` : '';
  const before =
    `const { ${driver.rowsProperty}: ${all} } = await ${c.receiver.text}.${c.method}(${batchedSql}, [${keys}])${semi}${eol}` +
    `${indent}const ${byKey} = new Map${mapType}()${semi}${eol}` +
    `${indent}for (const row of ${all}) {${eol}` +
    `${indent}${syntax.indentUnit}if (!${byKey}.has(row.${column})) ${byKey}.set(row.${column}, [])${semi}${eol}` +
    `${indent}${syntax.indentUnit}${byKey}.get(row.${column})${syntax.language === 'typescript' ? '!' : ''}.push(row)${semi}${eol}` +
    `${indent}}${eol}${indent}`;
  return {
    title: `Batch into one query with \`${column} = ANY($1)\` and group the rows by \`${column}\` (all rows are read before the loop)`,
    applicability: 'unsafe',
    edits: [
      { span: { start: l.statement.start, end: l.statement.start }, newText: before },
      { span: { start: st.span.start, end: st.span.end }, newText: `${st.declaration.keyword} ${local} = ${byKey}.get(${value}) ?? []${semi}` },
    ],
  };
}

/**
 * A loop whose only statement writes the row of one key (`await knex('t').where('id', id).update(v)`,
 * `await M.update(v, { where: { id } })`) becomes one write for all keys (`whereIn`, `where: { id: ids }`).
 */
function tsBulkWrite(syntax: TsFixSyntax, call: CallFact, l: TsLoop): Fix | undefined {
  const library = call.effect?.library;
  if (l.kind !== 'for-of' || l.isAwait || !l.variable || !l.iterable.simple || l.bodyStatements.length !== 1) return undefined;
  const st = syntax.statementAt(call.span.start);
  if (!st || st.kind !== 'expression' || st.assignment || st.span.start !== l.bodyStatements[0].start || st.awaited?.start !== call.span.start || st.awaited.end !== call.span.end) return undefined;
  if (!syntax.awaitAllowedAt(l.span.start)) return undefined;
  const v = l.variable;
  const keysOf = (value: { text: string }) => (value.text === v ? l.iterable.text : `${l.iterable.text}.map((${v}) => ${value.text})`);
  const readsOnlyV = (names: string[]) => names.length > 0 && names.every((n) => n === v);
  const semi = syntax.semicolons ? ';' : '';
  if (library === 'knex') {
    const chain = syntax.chainAt(call.span);
    const { keyFilters, listFilter, writes } = TS_BULK_WRITES.knex;
    if (!chain || chain.root.names.includes(v) || chain.links.length < 2 || !(writes as readonly string[]).includes(chain.links[chain.links.length - 1].name)) return undefined;
    const reading = chain.links.filter((k) => k.args.some((a) => a.names.includes(v)));
    const key = reading.length === 1 ? reading[0] : undefined;
    if (!key || !(keyFilters as readonly string[]).includes(key.name)) return undefined;
    let column: string | undefined;
    let value: { text: string; names: string[] } | undefined;
    const [a0, a1, a2] = key.args;
    if (key.args.length === 1 && a0.object?.properties.length === 1) {
      const p = a0.object.properties[0];
      column = p.name && `${syntax.quote}${p.name}${syntax.quote}`;
      value = p.value;
    } else if (key.args.length === 2 && !a0.names.length) [column, value] = [a0.text, a1];
    else if (key.args.length === 3 && !a0.names.length && /^['"]=['"]$/.test(a1.text)) [column, value] = [a0.text, a2];
    if (!column || !value || !readsOnlyV(value.names) || !/^[\w$.?]+$/.test(value.text)) return undefined;
    const links = chain.links.map((k) => (k === key ? `.${listFilter}(${column}, ${keysOf(value!)})` : `.${k.name}(${k.args.map((a) => a.text).join(', ')})`));
    return {
      title: `Write all rows in one statement with \`${listFilter}\` (all rows or none, instead of one by one)`,
      applicability: 'unsafe',
      edits: [{ span: l.span, newText: `await ${chain.root.text}${links.join('')}${semi}` }],
    };
  }
  const c = syntax.callAt(call.span);
  const spec = library === 'sequelize' && c?.method ? TS_BULK_WRITES.sequelize[c.method] : undefined;
  if (!c || !spec || !c.receiver || c.args.length !== spec.optionsArg + 1) return undefined;
  const where = c.args[spec.optionsArg].object?.properties.find((p) => p.name === 'where')?.value?.object;
  const keyProp = where?.properties.length === 1 ? where.properties[0] : undefined;
  if (!keyProp?.name || !keyProp.value || !readsOnlyV(keyProp.value.names) || !/^[\w$.?]+$/.test(keyProp.value.text)) return undefined;
  const keyText = keyProp.shorthand ? `${keyProp.name}: ${keysOf(keyProp.value)}` : keysOf(keyProp.value);
  const keySpan = keyProp.shorthand ? keyProp.span : keyProp.value.span;
  // Nothing but the key may read the loop variable (the values written must be the same for every row).
  const rest = syntax.text.slice(st.span.start, keySpan.start) + syntax.text.slice(keySpan.end, st.span.end);
  if (new RegExp(`(^|[^\\w$.])${v.replace(/\$/g, '\\$')}($|[^\\w$])`).test(rest)) return undefined;
  const statement = syntax.text.slice(st.span.start, keySpan.start) + keyText + syntax.text.slice(keySpan.end, st.span.end);
  return {
    title: `Write all rows in one \`${c.method}\` with a list of keys (all rows or none, instead of one by one)`,
    applicability: 'unsafe',
    edits: [{ span: l.span, newText: statement }],
  };
}

/**
 * `for (const x of xs) { … }` → `await Promise.all(xs.map(async (x) => { … }))`: the iterations
 * overlap, which still sends N queries (the finding stays) and needs a pool that can take them.
 * Not offered on one transaction or connection, for loops that break, return or carry state
 * from one iteration to the next, or where `await` is not allowed.
 */
function tsPromiseAllLoop(facts: FileFacts, syntax: TsFixSyntax, call: CallFact, loop: LoopFact, l: TsLoop): Fix | undefined {
  if (l.kind !== 'for-of' || l.isAwait || !l.variable || !l.iterable.simple || !l.body.block || l.bodyExits || l.mutatesOuter || call.connectionKey) return undefined;
  // Only reads: concurrent writes can deadlock or depend on their order, and a unit of work
  // (MikroORM's `em`) must not flush concurrently.
  const inBody = (x: CallFact) => x.span.start >= l.body.span.start && x.span.end <= l.body.span.end;
  if (facts.calls.some((x) => inBody(x) && x.effect?.kind === 'query' && (x.operation !== 'read' || x.effect.library === 'mikroorm' || x.connectionKey))) return undefined;
  // Locks (`pg_advisory_lock`, `FOR UPDATE`, `.forUpdate()`) taken concurrently on pooled connections are not the same locks.
  if (/lock|for\s+update/i.test(syntax.text.slice(l.body.span.start, l.body.span.end))) return undefined;
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
function pythonFixes(ctx: RuleContext, call: CallFact, loop: LoopFact): Fix[] {
  const syntax = ctx.syntax;
  if (!isPythonSyntax(syntax) || call.effect?.via) return [];
  const node = syntax.nodeAt(call.span);
  if (!node) return [];
  const fixes = [
    ...pySelectinload(syntax, call, node, loop),
    ...pyBatchedLookup(syntax, call, node, loop),
    ...pyGroupedLookup(syntax, call, node, loop),
    ...pyExecutemany(syntax, call, node, loop),
    ...pyGather(syntax, call, node, loop),
  ];
  return fixes.slice(0, 1);
}

/** A `for v in xs:` statement whose iterable can be read a second time (a name or attribute). */
interface PyForLoop {
  node: PyNode;
  variable: string;
  iterable: string;
}

function pyForLoop(syntax: PythonFixSyntax, loop: LoopFact): PyForLoop | undefined {
  const node = syntax.nodeAt(loop.span, 'for_statement');
  if (!node || node.children.some((c) => c.type === 'async')) return undefined;
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (left?.type !== 'identifier' || !right || !/^(identifier|attribute)$/.test(right.type) || pyIdentifiers(syntax, right).some((n) => n === syntax.src(left))) return undefined;
  if (right.type === 'identifier' && !pyReiterable(syntax, node, syntax.src(right))) return undefined;
  return { node, variable: syntax.src(left), iterable: syntax.src(right) };
}

/**
 * The collection a batched rewrite reads twice (for the keys, then in the loop) must not be a
 * one-shot iterator: a generator, `map`/`filter`/`zip`, or a SQLAlchemy result that was not
 * turned into a list (`await session.scalars(…)` without `.all()`), nor a parameter annotated as one.
 */
function pyReiterable(syntax: PythonFixSyntax, loopNode: PyNode, name: string): boolean {
  const fn = syntax.ancestor(loopNode, 'function_definition');
  if (!fn) return false;
  const value = pyLastAssignment(syntax, fn, name, loopNode.start);
  if (value) {
    let v: PyNode | undefined = value;
    while (v && (v.type === 'parenthesized_expression' || v.type === 'await')) v = v.children.find((c) => c.named && c.type !== 'comment');
    if (!v || v.type === 'generator_expression') return false;
    const callee = v.type === 'call' ? field(v, 'function') : undefined;
    const called = callee ? syntax.src(callee).split('.').pop() ?? '' : '';
    if (callee && PY_ONE_SHOT_CALLS.has(called)) return false;
    return true;
  }
  const params = field(fn, 'parameters');
  const param = params?.children.find((p) => { const id = syntax.paramName(p); return !!id && syntax.src(id) === name; });
  const annotation = param ? field(param, 'type') : undefined;
  return !annotation || !/\b(Iterator|Iterable|Generator|AsyncIterator|AsyncIterable|AsyncGenerator|ScalarResult|Result)\b/.test(syntax.src(annotation));
}

/** Root names an expression reads (not attribute names or keyword-argument names). */
function pyIdentifiers(syntax: PythonFixSyntax, n: PyNode): string[] {
  const out: string[] = [];
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'identifier' && !(x.parent?.type === 'attribute' && x.field === 'attribute') && !(x.parent?.type === 'keyword_argument' && x.field === 'name')) out.push(syntax.src(x));
    for (const c of x.children) stack.push(c);
  }
  return out;
}

function pyArgs(n: PyNode): PyNode[] {
  const args = field(n, 'arguments');
  return args?.type === 'argument_list' ? args.children.filter((c) => c.named && c.type !== 'comment') : [];
}

function pySnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A name not used anywhere in the file: `base`, else `base_2`, … */
function pyFreshName(syntax: PythonFixSyntax, base: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (!syntax.identifiers.has(name)) return name;
  }
}

/**
 * `x = await s.get(M, v.f)` or `await s.scalar(select(M).where(M.k == v.f))` in `for v in xs:` →
 * one `select(M).where(M.k.in_([v.f for v in xs]))` before the loop, a dict by key, and
 * `by_k.get(v.f)` in the loop. The key may read only the loop variable (it is evaluated for every
 * element before the loop).
 */
function pyBatchedLookup(syntax: PythonFixSyntax, call: CallFact, node: PyNode, loop: LoopFact): Fix[] {
  if (call.effect!.library !== 'sqlalchemy' || node.type !== 'call') return [];
  const forLoop = pyForLoop(syntax, loop);
  const callee = field(node, 'function');
  const method = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
  const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
  if (!forLoop || !method || !receiver) return [];
  const args = pyArgs(node);
  let model: PyNode | undefined;
  let column: string | undefined;
  let key: PyNode | undefined;
  if (PY_SQLALCHEMY_LOOKUPS.byPrimaryKey.has(syntax.src(method)) && args.length === 2 && args[0].type === 'identifier') {
    // The primary key is assumed to be `id` (said in the title).
    [model, key] = args;
    column = 'id';
  } else if (PY_SQLALCHEMY_LOOKUPS.byStatement.has(syntax.src(method)) && args.length === 1) {
    const lookup = pyWhereEquals(syntax, args[0]);
    if (!lookup) return [];
    ({ model, column, key } = lookup);
  }
  if (!model || !column || !key || key.type === 'keyword_argument') return [];
  if (pyIdentifiers(syntax, key).some((n) => n !== forLoop.variable)) return [];
  const awaitNode = node.parent?.type === 'await' ? node.parent : undefined;
  const M = syntax.src(model);
  const select = syntax.fromImport(PY_SQLALCHEMY_LOOKUPS.select.module, PY_SQLALCHEMY_LOOKUPS.select.name, [...PY_SQLALCHEMY_LOOKUPS.select.alsoFrom]);
  // A name `select` of the file's own would be shadowed by the import.
  if (select.edit && syntax.identifiers.has('select')) return [];
  if (pyIdentifiers(syntax, receiver).includes(forLoop.variable)) return [];
  const rows = pyFreshName(syntax, `${pySnake(M)}_rows`);
  const byKey = pyFreshName(syntax, `${pySnake(M)}_by_${column}`);
  const item = pySnake(M);
  const indent = syntax.indentAt(forLoop.node.start);
  const eol = syntax.eol;
  const keyText = syntax.src(key);
  const keys = keyText === forLoop.variable ? forLoop.iterable : `[${keyText} for ${forLoop.variable} in ${forLoop.iterable}]`;
  const statement = `${select.name}(${M}).where(${M}.${column}.in_(${keys}))`;
  const fetch = `${indent}${rows} = ${awaitNode ? 'await ' : ''}${syntax.src(receiver)}.scalars(`;
  const before =
    (fetch.length + statement.length + 1 <= 100 ? `${fetch}${statement})${eol}` : `${fetch}${eol}${indent}${syntax.indentUnit}${statement}${eol}${indent})${eol}`) +
    `${indent}${byKey} = {${item}.${column}: ${item} for ${item} in ${rows}}${eol}`;
  const replaced = awaitNode ?? node;
  const at = syntax.lineStart(forLoop.node.start);
  return [{
    title: `Batch into one \`select(${M})\` with \`${M}.${column}.in_(…)\` before the loop and a dict lookup${column === 'id' && PY_SQLALCHEMY_LOOKUPS.byPrimaryKey.has(syntax.src(method)) ? ` (assumes the primary key is \`${M}.id\`)` : ' (one row per key: the last one wins)'}`,
    applicability: 'unsafe',
    edits: [
      { span: { start: at, end: at }, newText: before },
      { span: { start: replaced.start, end: replaced.end }, newText: `${byKey}.get(${keyText})` },
      ...(select.edit ? [select.edit] : []),
    ],
  }];
}

/**
 * `(await s.scalars(select(M).where(M.k == v.f))).all()` (or `(await s.execute(…)).scalars().all()`)
 * in `for v in xs:` → the rows of all keys in one query before the loop, grouped by `M.k` in a
 * dict of lists, and `by_k.get(v.f, [])` in the loop.
 */
function pyGroupedLookup(syntax: PythonFixSyntax, call: CallFact, node: PyNode, loop: LoopFact): Fix[] {
  if (call.effect!.library !== 'sqlalchemy' || node.type !== 'call') return [];
  const forLoop = pyForLoop(syntax, loop);
  const callee = field(node, 'function');
  const method = callee?.type === 'attribute' ? syntax.src(field(callee, 'attribute') ?? callee) : '';
  const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
  const args = pyArgs(node);
  const readers = PY_SQLALCHEMY_LOOKUPS.allRows[method];
  if (!forLoop || !receiver || !readers || args.length !== 1) return [];
  const lookup = pyWhereEquals(syntax, args[0]);
  if (!lookup || pyIdentifiers(syntax, lookup.key).some((n) => n !== forLoop.variable) || pyIdentifiers(syntax, receiver).includes(forLoop.variable)) return [];
  // The whole expression that yields the list of rows.
  const awaitNode = node.parent?.type === 'await' ? node.parent : undefined;
  let rowsExpr: PyNode | undefined = awaitNode?.parent?.type === 'parenthesized_expression' ? awaitNode.parent : undefined;
  for (const name of readers) {
    const attr: PyNode | null | undefined = rowsExpr?.parent;
    const next = attr?.type === 'attribute' && rowsExpr!.field === 'object' && syntax.src(field(attr, 'attribute') ?? attr) === name ? attr.parent : undefined;
    rowsExpr = next?.type === 'call' && pyArgs(next).length === 0 ? next : undefined;
  }
  if (!awaitNode || !rowsExpr) return [];
  const { model, column, key } = lookup;
  const M = syntax.src(model);
  const select = syntax.fromImport(PY_SQLALCHEMY_LOOKUPS.select.module, PY_SQLALCHEMY_LOOKUPS.select.name, [...PY_SQLALCHEMY_LOOKUPS.select.alsoFrom]);
  if (select.edit && syntax.identifiers.has('select')) return [];
  // A loop variable leaks into the function: it must not rebind a name in use.
  const item = pyFreshName(syntax, pySnake(M));
  const rows = pyFreshName(syntax, `${pySnake(M)}_rows`);
  const byKey = pyFreshName(syntax, `${pySnake(M)}s_by_${column}`);
  const indent = syntax.indentAt(forLoop.node.start);
  const unit = syntax.indentUnit;
  const eol = syntax.eol;
  const keyText = syntax.src(key);
  const keys = keyText === forLoop.variable ? forLoop.iterable : `[${keyText} for ${forLoop.variable} in ${forLoop.iterable}]`;
  const statement = `${select.name}(${M}).where(${M}.${column}.in_(${keys}))`;
  const fetch = `${indent}${rows} = await ${syntax.src(receiver)}.scalars(`;
  const before =
    (fetch.length + statement.length + 1 <= 100 ? `${fetch}${statement})${eol}` : `${fetch}${eol}${indent}${unit}${statement}${eol}${indent})${eol}`) +
    `${indent}${byKey}: dict = {}${eol}` +
    `${indent}for ${item} in ${rows}:${eol}` +
    `${indent}${unit}${byKey}.setdefault(${item}.${column}, []).append(${item})${eol}`;
  const at = syntax.lineStart(forLoop.node.start);
  return [{
    title: `Batch into one \`select(${M})\` with \`${M}.${column}.in_(…)\` before the loop, grouped by \`${column}\` in a dict (row order within a group may change)`,
    applicability: 'unsafe',
    edits: [
      { span: { start: at, end: at }, newText: before },
      { span: { start: rowsExpr.start, end: rowsExpr.end }, newText: `${byKey}.get(${keyText}, [])` },
      ...(select.edit ? [select.edit] : []),
    ],
  }];
}

/** `select(M).where(M.k == v)`: the model, the column and the compared value. */
function pyWhereEquals(syntax: PythonFixSyntax, stmt: PyNode): { model: PyNode; column: string; key: PyNode } | undefined {
  if (stmt.type !== 'call') return undefined;
  const where = field(stmt, 'function');
  if (where?.type !== 'attribute' || syntax.src(field(where, 'attribute') ?? where) !== 'where') return undefined;
  const sel = field(where, 'object');
  const conds = pyArgs(stmt);
  if (sel?.type !== 'call' || !/^(select|\w+\.select)$/.test(syntax.src(field(sel, 'function') ?? sel)) || conds.length !== 1) return undefined;
  const models = pyArgs(sel);
  const cmp = conds[0];
  if (models.length !== 1 || models[0].type !== 'identifier' || cmp.type !== 'comparison_operator') return undefined;
  const ops = cmp.children.filter((c) => c.field === 'operator');
  const sides = cmp.children.filter((c) => c.named && c.field !== 'operator' && c.type !== 'comment');
  if (ops.length !== 1 || sides.length !== 2 || !/^\s*==\s*$/.test(syntax.text.slice(sides[0].end, sides[1].start))) return undefined;
  const [left, right] = sides;
  const M = syntax.src(models[0]);
  const col = left.type === 'attribute' && syntax.src(field(left, 'object') ?? left) === M ? field(left, 'attribute') : undefined;
  return col ? { model: models[0], column: syntax.src(col), key: right } : undefined;
}

/**
 * `await v.awaitable_attrs.rel` in a loop over rows loaded by `select(M)` in the same function:
 * load the relation with the rows (`select(M).options(selectinload(M.rel))`) and read `v.rel`.
 */
function pySelectinload(syntax: PythonFixSyntax, call: CallFact, node: PyNode, loop: LoopFact): Fix[] {
  if (call.effect!.library !== 'sqlalchemy' || node.type !== 'attribute' || node.parent?.type !== 'await') return [];
  const rel = field(node, 'attribute');
  const attrs = field(node, 'object');
  const owner = attrs?.type === 'attribute' && syntax.src(field(attrs, 'attribute') ?? attrs) === PY_SQLALCHEMY_LOOKUPS.awaitableAttrs ? field(attrs, 'object') : undefined;
  if (!rel || owner?.type !== 'identifier') return [];
  // The loop variable and the collection it walks.
  const loopNode = syntax.nodeAt(loop.span);
  const clause = loopNode?.type === 'for_statement' ? loopNode : loopNode?.children.find((c) => c.type === 'for_in_clause');
  const left = clause ? field(clause, 'left') : undefined;
  const right = clause ? field(clause, 'right') : undefined;
  if (!left || !right || syntax.src(left) !== syntax.src(owner) || right.type !== 'identifier') return [];
  // `users = (await db.scalars(select(User)…)).all()`: the assignment of the collection in this function.
  const fn = syntax.ancestor(node, 'function_definition');
  const assignment = fn ? pyLastAssignment(syntax, fn, syntax.src(right), right.start) : undefined;
  const selectCall = assignment ? pyFind(assignment, (n) => n.type === 'call' && syntax.src(field(n, 'function') ?? n) === 'select') : undefined;
  const models = selectCall ? pyArgs(selectCall) : [];
  if (!selectCall || models.length !== 1 || models[0].type !== 'identifier') return [];
  const M = syntax.src(models[0]);
  const loader = syntax.fromImport(PY_SQLALCHEMY_LOOKUPS.eagerLoader.module, PY_SQLALCHEMY_LOOKUPS.eagerLoader.name);
  return [{
    title: `Load \`${M}.${syntax.src(rel)}\` with the rows: \`selectinload\` (one more query in all, instead of one per row)`,
    applicability: 'unsafe',
    edits: [
      { span: { start: selectCall.end, end: selectCall.end }, newText: `.options(${loader.name}(${M}.${syntax.src(rel)}))` },
      { span: { start: node.parent.start, end: node.parent.end }, newText: `${syntax.src(owner)}.${syntax.src(rel)}` },
      ...(loader.edit ? [loader.edit] : []),
    ],
  }];
}

/** The right-hand side of the last `name = …` in `fn` before `before` (not inside nested functions). */
function pyLastAssignment(syntax: PythonFixSyntax, fn: PyNode, name: string, before: number): PyNode | undefined {
  let found: PyNode | undefined;
  const stack = [...fn.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.start >= before) continue;
    if (n.type === 'assignment') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (left && right && syntax.src(left) === name && (!found || n.start > found.start)) found = right;
    }
    stack.push(...n.children);
  }
  return found;
}

function pyFind(n: PyNode, test: (n: PyNode) => boolean): PyNode | undefined {
  const stack = [n];
  while (stack.length) {
    const x = stack.shift()!;
    if (test(x)) return x;
    stack.push(...x.children);
  }
  return undefined;
}

/**
 * asyncpg: a loop (or nested loops) whose whole body is `await c.execute(SQL, a, b)` →
 * `await c.executemany(SQL, [(a, b) for … in …])`: one round trip; asyncpg runs it atomically.
 */
function pyExecutemany(syntax: PythonFixSyntax, call: CallFact, node: PyNode, loop: LoopFact): Fix[] {
  const many = PY_EXECUTEMANY[call.effect!.library];
  const callee = node.type === 'call' ? field(node, 'function') : undefined;
  const method = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
  const target = method ? many?.[syntax.src(method)] : undefined;
  if (!target || !callee || !method || node.parent?.type !== 'await') return [];
  const args = pyArgs(node);
  if (args.length < 2 || args.some((a) => /^(keyword_argument|list_splat|dictionary_splat)$/.test(a.type)) || !/^INSERT\b/i.test(pyStringValue(syntax, args[0]) ?? '')) return [];
  // The statement must be the only statement of the loop body, through any nested single-statement loops.
  const stmt = syntax.statementOf(node);
  if (!stmt || stmt.type !== 'expression_statement' || pyUnparenthesised(stmt) !== node.parent) return [];
  const clauses: string[] = [];
  const loops: { left: PyNode; right: PyNode }[] = [];
  let outer: PyNode = stmt;
  for (let p = stmt.parent; p?.type === 'block' && p.parent?.type === 'for_statement'; p = outer.parent) {
    const forNode: PyNode = p.parent;
    if (p.children.filter((c) => c.named && c.type !== 'comment').length !== 1 || forNode.children.some((c) => c.type === 'async' || c.field === 'alternative')) break;
    const left = field(forNode, 'left');
    const right = field(forNode, 'right');
    if (!left || !right) return [];
    clauses.unshift(`for ${syntax.src(left)} in ${syntax.src(right)}`);
    loops.unshift({ left, right });
    outer = forNode;
  }
  if (outer === stmt || outer.start > loop.span.start) return [];
  const row = args.slice(1).map((a) => syntax.src(a));
  const tuple = row.length === 1 ? `(${row[0]},)` : `(${row.join(', ')})`;
  const indent = syntax.indentAt(outer.start);
  const inner = `${indent}${syntax.indentUnit}`;
  const head = `${indent}await ${syntax.src(field(callee, 'object') ?? callee)}.${target}(`;
  // `for a, b in pairs: execute(sql, a, b)`: the rows are `pairs` as they are.
  // (Only for a tuple target: the rows must be sequences, never the bare values.)
  const same = loops.length === 1 && row.length > 1 && /^(pattern_list|tuple_pattern)$/.test(loops[0].left.type) && syntax.src(loops[0].left).replace(/[()\s]/g, '') === row.join(',').replace(/\s/g, '');
  const rows = same ? syntax.src(loops[0].right) : `[${tuple} ${clauses.join(' ')}]`;
  const oneLine = `${head}${syntax.src(args[0])}, ${rows})`;
  const call_ = oneLine.length <= 100 && !oneLine.includes('\n') ? oneLine : `${head}${syntax.eol}${inner}${syntax.src(args[0])},${syntax.eol}${inner}${rows},${syntax.eol}${indent})`;
  // Comments inside the loops stay, above the call.
  const comments = pyCommentsIn(outer).map((c) => `${indent}${syntax.src(c).replace(/\s+$/, '')}${syntax.eol}`).join('');
  const text = `${comments}${call_}`;
  return [{
    title: `Send all rows in one \`${target}\` (one round trip; asyncpg applies them atomically)`,
    applicability: 'unsafe',
    edits: [{ span: { start: syntax.lineStart(outer.start), end: pyTrimmedEnd(syntax, outer) }, newText: text }],
  }];
}

/**
 * `for v in xs: await q(v)` or `for v in xs: out.append(await q(v))` (the loop's only statement) →
 * `await asyncio.gather(*[q(v) for v in xs])` / `out.extend(await asyncio.gather(*[…]))`.
 */
function pyGatherLoop(syntax: PythonFixSyntax, node: PyNode, awaitNode: PyNode, loop: LoopFact): Fix[] {
  const forNode = syntax.nodeAt(loop.span, 'for_statement');
  const body = forNode ? field(forNode, 'body') : undefined;
  const stmt = syntax.statementOf(node);
  if (!forNode || !body || !stmt || stmt.parent !== body || forNode.children.some((c) => c.type === 'async' || c.field === 'alternative')) return [];
  if (body.children.filter((c) => c.named && c.type !== 'comment').length !== 1 || stmt.type !== 'expression_statement') return [];
  const left = field(forNode, 'left');
  const right = field(forNode, 'right');
  const fn = syntax.ancestor(forNode, 'function_definition');
  if (!left || !right || !fn || !syntax.awaitLegalAt(forNode, fn)) return [];
  const expr = pyUnparenthesised(stmt);
  let target: string | undefined;
  if (expr === awaitNode) target = '';
  else if (expr?.type === 'call' && awaitNode.parent?.type === 'argument_list' && pyArgs(expr).length === 1) {
    const callee = field(expr, 'function');
    const list = callee?.type === 'attribute' && syntax.src(field(callee, 'attribute') ?? callee) === 'append' ? field(callee, 'object') : undefined;
    if (list && !pyIdentifiers(syntax, list).some((n) => pyIdentifiers(syntax, left).includes(n))) target = syntax.src(list);
  }
  if (target === undefined) return [];
  const asyncio = syntax.moduleName('asyncio');
  const indent = syntax.indentAt(forNode.start);
  const each = `*[${syntax.src(node)} for ${syntax.src(left)} in ${syntax.src(right)}]`;
  const short = `${indent}${target ? `${target}.extend(` : ''}await ${asyncio.name}.gather(${each})${target ? ')' : ''}`.length <= 100;
  const gather = short ? `await ${asyncio.name}.gather(${each})` : `await ${asyncio.name}.gather(${syntax.eol}${indent}${syntax.indentUnit}${each},${syntax.eol}${indent})`;
  const comments = pyCommentsIn(forNode).map((c) => `${indent}${syntax.src(c).replace(/\s+$/, '')}${syntax.eol}`).join('');
  const text = `${comments}${indent}${target ? `${target}.extend(${gather})` : gather}`;
  return [{
    title: `Run the queries concurrently with \`${asyncio.name}.gather\` (still one query per element; first error propagates)`,
    applicability: 'unsafe',
    keepsFinding: true,
    edits: [{ span: { start: syntax.lineStart(forNode.start), end: pyTrimmedEnd(syntax, forNode) }, newText: text }, ...(asyncio.edit ? [asyncio.edit] : [])],
  }];
}

/** The end of a node without trailing whitespace (a trailing comment node holds the `\r` of a CRLF line). */
function pyTrimmedEnd(syntax: PythonFixSyntax, n: PyNode): number {
  let end = n.end;
  while (end > n.start && /\s/.test(syntax.text[end - 1])) end--;
  return end;
}

function pyCommentsIn(n: PyNode): PyNode[] {
  const out: PyNode[] = [];
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'comment') out.push(x);
    stack.push(...x.children);
  }
  return out.sort((a, b) => a.start - b.start);
}

function pyUnparenthesised(stmt: PyNode): PyNode | undefined {
  const inner = stmt.children.filter((c) => c.named && c.type !== 'comment');
  return inner.length === 1 ? inner[0] : undefined;
}

/** The text of a plain string literal (no f-string interpolation), or undefined. */
function pyStringValue(syntax: PythonFixSyntax, n: PyNode): string | undefined {
  if (n.type !== 'string' || n.children.some((c) => c.type === 'interpolation')) return undefined;
  return n.children.filter((c) => c.type === 'string_content').map((c) => syntax.src(c)).join('').trim();
}

/**
 * `[await q(v) for v in xs]` on a pool-backed client → `await asyncio.gather(*[q(v) for v in xs])`:
 * the queries run at once but are still N (the finding stays). Never on one connection or
 * session (an AsyncSession cannot run two queries at once), nor through project helpers.
 */
function pyGather(syntax: PythonFixSyntax, call: CallFact, node: PyNode, loop: LoopFact): Fix[] {
  if (call.connectionKey || !PY_GATHER_SAFE_LIBRARIES.has(call.effect!.library) || node.type !== 'call') return [];
  const awaitNode = node.parent;
  const comp = awaitNode?.parent;
  if (awaitNode?.type === 'await' && comp?.type !== 'list_comprehension') return pyGatherLoop(syntax, node, awaitNode, loop);
  if (awaitNode?.type !== 'await' || comp?.type !== 'list_comprehension' || awaitNode.field !== 'body' || comp.start !== loop.span.start) return [];
  if (comp.children.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause').length !== 1) return [];
  const fn = syntax.ancestor(comp, 'function_definition');
  if (!fn || !syntax.awaitLegalAt(comp, fn)) return [];
  const asyncio = syntax.moduleName('asyncio');
  const inner = `[${syntax.src(node)} ${syntax.src(comp.children.find((c) => c.type === 'for_in_clause')!)}]`;
  const p = comp.parent;
  const operand = p && ((p.type === 'attribute' && comp.field === 'object') || (p.type === 'subscript' && comp.field === 'value') || (p.type === 'call' && comp.field === 'function'));
  const text = `await ${asyncio.name}.gather(*${inner})`;
  return [{
    title: `Run the queries concurrently with \`${asyncio.name}.gather\` (still one query per element; first error propagates)`,
    applicability: 'unsafe',
    keepsFinding: true,
    edits: [{ span: { start: comp.start, end: comp.end }, newText: operand ? `(${text})` : text }, ...(asyncio.edit ? [asyncio.edit] : [])],
  }];
}
