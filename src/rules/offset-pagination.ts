import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { OffsetFact, Span } from '../core/model';
import type { TextEdit } from '../core/finding';
import { isTsFixSyntax, mergeInsertions } from '../frontends/typescript/fix-syntax-api';
import type { TsElement, TsFixSyntax, TsLiteral } from '../frontends/typescript/fix-syntax-api';
import type { Related } from '../core/finding';
import { isPythonSyntax } from '../frontends/python/fix-syntax-api';
import type { PythonFixSyntax } from '../frontends/python/fix-syntax-api';
import type { PyNode } from '../frontends/python/tree';
import { field } from '../frontends/python/tree';
import { INTERPOLATION, tokenizeSql } from '../core/sql-scan';
import type { SqlToken } from '../core/sql-scan';

/**
 * offset-pagination: OFFSET/skip paging whose cost grows with the page number. The finding sits
 * on the `skip:` / `.offset(` / `OFFSET`; the parameter feeding it is related.
 */
export default defineRule({
  id: 'offset-pagination',
  languages: ['typescript', 'javascript', 'python'],
  defaultSeverity: 'warning',
  docs: {
    summary: 'A query pages with OFFSET/skip, so deep pages read and discard every earlier row.',
    whatItDoes:
      'Reports variable offsets passed to queries: Prisma/TypeORM `skip:` without a `cursor`, TypeORM QueryBuilder `.skip()`/`.offset()`, Sequelize/MikroORM `offset:`, Knex/Kysely/Drizzle/SQLAlchemy `.offset()`, Mongoose `.skip()`, and `OFFSET` with a parameter in raw SQL passed to a query call. When the offset comes from a request or function parameter (`page`, `skip`, `offset`), that parameter is shown too. Constant offsets (`skip: 1` after a cursor, `.offset(0)`) are not reported.',
    whyIsThisBad:
      'The database cannot jump to row 10,000: it produces and throws away every row before the offset, so page 200 of a 50-row listing reads 10,000 rows. Latency grows with the page number, and rows inserted or deleted between requests shift pages, so users see duplicates or miss rows.',
    example: {
      typescript: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function listPosts(page: number) {
  return prisma.post.findMany({
    orderBy: { id: 'asc' },
    skip: (page - 1) * 50,
    take: 50,
  });
}`,
      python: `from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

async def list_posts(db: AsyncSession, skip: int = 0, limit: int = 50):
    return (await db.scalars(select(Post).order_by(Post.id).offset(skip).limit(limit))).all()`,
    },
    useInstead: {
      typescript: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function listPosts(after?: number) {
  return prisma.post.findMany({
    orderBy: { id: 'asc' },
    take: 50,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
}`,
      python: `from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

async def list_posts(db: AsyncSession, after: int = 0, limit: int = 50):
    return (await db.scalars(select(Post).where(Post.id > after).order_by(Post.id).limit(limit))).all()`,
    },
    fixSafety: [
      'Keyset pagination changes the API — clients pass the last key they saw instead of a page number — so the rewrite is always unsafe, and its title says which parameter becomes the key. The keyset needs an index on its columns: when the ORDER BY of raw SQL, a Prisma `orderBy`, a TypeORM `order`, a Knex/Kysely/QueryBuilder `.orderBy(…)` or a SQLAlchemy `.order_by(…)` is on one key other than `id`, the message names the index to add (`(created_at, id)`), and so do the titles of the raw-SQL and Prisma rewrites.',
      'TypeScript/JavaScript: for Prisma `skip: f(page)` fed by a parameter of the function that nothing else reads, the sketch pages with `cursor: { id: after }` and `skip: 1` past the cursor (`skip: 0` on the first page), keeps the ORDER BY and adds `id` as its tie-breaker (`orderBy: [{ createdAt: \'desc\' }, { id: \'desc\' }]`, or `orderBy: { id: \'asc\' }` when there was none), and turns the parameter into `after`, the last `id` the client saw (optional when it can be). TypeORM find options ordered by `id` alone (or not ordered) get `where: { …, id: MoreThan(after) }` (`LessThan` for DESC) in place of `skip`, the operator imported from `typeorm`. A Knex or Kysely chain ordered by `id` ascending with a `limit` gets `.where(\'id\', \'>\', after)` in place of `.offset(…)`, the parameter becoming `after = 0` (the first page); a TypeORM QueryBuilder ordered by `alias.id` gets `.andWhere(\'alias.id > :after\', { after })` the same way. Raw SQL in a string or tagged template passed to a query call, ordered by plain columns in one direction and ending in LIMIT/OFFSET, gets the key condition before its ORDER BY — `WHERE (created_at, id) < ($3, $4)` (DESC → `<`, ASC → `>`; `id > $n` for `id` alone), ANDed to an existing WHERE (parenthesised when it has an OR), `id` added to the ORDER BY as tie-breaker — and loses its OFFSET; the values follow the statement’s placeholders: `$n` (the OFFSET’s number is reused, new ones follow the highest), `?` (moved to where the condition is), `:name` replacements (Sequelize, Knex named bindings) and `${…}` of a tagged template (Prisma `$queryRaw`, the Kysely `sql` tag). The parameter that only fed the offset becomes `after`: the last `id` for a key on `id`, else the last row’s key as an object (`after.createdAt, after.id`). No rewrite for mixed directions, expressions, `NULLS`/`COLLATE`, GROUP BY, DISTINCT, UNION or a CTE, a plain template literal (its `${…}` splice text into the SQL), SQL held in a variable, or an offset that reads more than one otherwise unused parameter: each needs a decision the code does not show.',
      'Python: for a SQLAlchemy `.offset(skip)` in a chain with a `limit` and one ascending `order_by` key (or a `select(M)` without an order, then paged by `M.id`), the sketch replaces `.offset(skip)` with `.where(key > after)` and renames the parameter `skip` to `after`, the last key the client saw; it is offered only when that parameter feeds nothing else. Raw SQL in one plain string (`text("…")`, asyncpg, psycopg, `databases`) ordered by plain columns in one direction gets the same key condition as in TypeScript — `… WHERE (created_at, id) < (:after_created_at, :after_id) ORDER BY created_at DESC, id DESC LIMIT …` — with the placeholders it uses: `:name` and `%(name)s` (the binding `"skip": skip` or `skip=skip` is replaced), asyncpg `$n` (the call’s positional arguments) and psycopg `%s` (the tuple or list of values). The parameter becomes `after` for `id` ascending (default `0`, the first page), else one parameter per key column (`after_created_at, after_id`, without a default unless an earlier parameter has one). f-strings, concatenated strings and the shapes listed for TypeScript get no rewrite.',
    ].join('\n\n'),
  },
  check(ctx) {
    for (const off of ctx.facts.offsets) {
      if (off.constant || off.withCursor) continue;
      const related: Related[] = [];
      if (off.source) related.push({ span: off.source.span, message: `the offset comes from \`${off.source.name}\`` });
      const what = off.style === 'sql' ? `\`OFFSET ${shorten(off.valueText)}\`` : off.style === 'property' ? `\`${off.keyword}: ${shorten(off.valueText)}\`` : `\`${off.keyword.replace('()', `(${shorten(off.valueText)})`)}\``;
      // An index on the key is what makes keyset pages cheap. Found whether or not fixes are
      // spelled (the editor spells them later), so that the message is the same everywhere.
      const names = keysetKey(ctx, off)?.map(sqlIndexColumn) ?? [];
      const index = names.length > 1 || (names.length === 1 && names[0] !== 'id') ? `, with an index on \`(${names.join(', ')})\`` : '';
      ctx.report({
        message: `${what} pages with OFFSET, so each page reads and discards every row before it; page by a key (keyset pagination) instead${index}.`,
        span: off.span,
        related,
        fixes: fixesFor(ctx, off),
      });
    }
  },
});

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}…` : one;
}

// ── Fixes ─────────────────────────────────────────────────────────────────────────────────────
// The decision (which repair, its title and applicability) and its spelling per language live
// here; `ctx.syntax` answers questions about the source (see core/fix-syntax.ts).

function fixesFor(ctx: RuleContext, off: OffsetFact): Fix[] {
  return ctx.spellFixes(() => (ctx.facts.language === 'python' ? pythonFixes(ctx, off) : typescriptFixes(ctx, off)));
}

/**
 * The key a keyset page would be ordered by (`id` added as tie-breaker), as far as the code shows
 * it: the ORDER BY of raw SQL, Prisma's `orderBy` or TypeORM's `order` on one field. For the
 * message's index hint; a failure to find it costs the hint, never the finding.
 */
function keysetKey(ctx: RuleContext, off: OffsetFact): string[] | undefined {
  try {
    const syntax = ctx.syntax;
    if (off.style === 'sql') {
      if (isTsFixSyntax(syntax)) return tsSqlPlan(syntax, off)?.plan.keys;
      if (isPythonSyntax(syntax)) return pySqlPlan(syntax, off)?.plan.keys;
      return undefined;
    }
    if (off.style === 'method') {
      if (isTsFixSyntax(syntax)) return tsChainKey(syntax, off);
      if (isPythonSyntax(syntax)) return pyChainKey(syntax, off);
      return undefined;
    }
    if (off.style !== 'property' || off.keyword !== 'skip' || !isTsFixSyntax(syntax)) return undefined;
    const orderName = off.library === 'prisma' ? 'orderBy' : off.library === 'typeorm' ? 'order' : undefined;
    const prop = orderName ? syntax.propertyAt(off.span.start) : undefined;
    const order = prop && syntax.objectAt(prop.parent)?.properties.find((p) => p.name === orderName);
    const only = order?.value?.object?.properties.length === 1 ? order.value.object.properties[0] : undefined;
    if (!only?.name || !/^(asc|desc)$/i.test(only.value?.isStringLiteral ?? '')) return undefined;
    return only.name === 'id' ? ['id'] : [only.name, 'id'];
  } catch {
    return undefined;
  }
}

/** With `id` as tie-breaker: the key a keyset page orders by. */
function withTieBreaker(column: string | undefined): string[] | undefined {
  if (!column || !/^[A-Za-z_][\w$]*$/.test(column)) return undefined;
  return column === 'id' ? ['id'] : [column, 'id'];
}

/** Knex / Kysely / TypeORM QueryBuilder: the one `.orderBy('created_at', …)` of the chain. */
function tsChainKey(syntax: TsFixSyntax, off: OffsetFact): string[] | undefined {
  const orders = syntax.chainAround(off.span.start)?.links.filter((l) => l.name === 'orderBy') ?? [];
  const arg = orders.length === 1 ? orders[0].args[0]?.text : undefined;
  if (!arg || !/^['"][^'"]*['"]$/.test(arg)) return undefined;
  return withTieBreaker(arg.slice(1, -1).split('.').pop());
}

/** SQLAlchemy: the one `.order_by(M.created_at)` (or `.desc()`, `desc(M.created_at)`) of the chain. */
function pyChainKey(syntax: PythonFixSyntax, off: OffsetFact): string[] | undefined {
  const offCall = syntax.nodeAt(off.span, 'identifier')?.parent?.parent;
  if (offCall?.type !== 'call') return undefined;
  const orders = pyChainOf(syntax, offCall).methods.filter((m) => m.name === 'order_by');
  const keys = orders.length === 1 ? pyArgList(field(orders[0].call, 'arguments')) : [];
  const key = keys.length === 1 ? pyOrderKey(syntax, keys[0]) : undefined;
  return key ? withTieBreaker(syntax.src(field(key.column, 'attribute') ?? key.column)) : undefined;
}

/**
 * TypeScript/JavaScript: a keyset sketch for Prisma — `skip: f(page)` → a `cursor` on `id` with
 * `skip: 1` past it, the ORDER BY gaining `id` as tie-breaker, and the parameter `page` → `after`
 * (the last `id` the client saw). Offered only when the offset comes from a parameter of the
 * function used nowhere else and the order is one plain key (or none); always unsafe: the API changes.
 */
function typescriptFixes(ctx: RuleContext, off: OffsetFact): Fix[] {
  const syntax = ctx.syntax;
  if (!isTsFixSyntax(syntax)) return [];
  if (off.style === 'sql') return tsKeysetSql(syntax, off);
  if (!off.source) return [];
  if (off.style === 'method' && (off.library === 'knex' || off.library === 'kysely' || off.library === 'typeorm')) return tsKeysetChain(syntax, off);
  if (off.style === 'property' && off.library === 'typeorm' && off.keyword === 'skip') return tsTypeormFindKeyset(syntax, off);
  if (off.style !== 'property' || off.library !== 'prisma' || off.keyword !== 'skip') return [];
  const prop = syntax.propertyAt(off.span.start);
  const args = prop && syntax.objectAt(prop.parent);
  const param = syntax.parameterOf(off.span.start, off.source.name);
  if (!prop?.value || !args || !param || param.hasInitializer || syntax.text.slice(param.span.start, param.span.end).startsWith('...')) return [];
  if (param.span.start !== off.source.span.start) return [];
  // The parameter must feed only the offset: every other use would need a decision.
  const usesInValue = prop.value.names.filter((n) => n === param.name).length;
  if (usesInValue !== 1 || param.usesInBody !== 1 || !syntax.isNameFreeIn(off.span.start, 'after')) return [];
  if (!args.properties.some((p) => p.name === 'take') || args.properties.some((p) => p.name === 'cursor' || !p.name)) return [];
  const edits: TextEdit[] = [];
  const order = args.properties.find((p) => p.name === 'orderBy');
  let key = 'id';
  const sep = args.multiline ? `,${syntax.eol}${syntax.indentAt(prop.span.start)}` : ', ';
  if (order) {
    const o = order.value?.object;
    const only = o?.properties.length === 1 ? o.properties[0] : undefined;
    const dir = only?.value?.isStringLiteral;
    if (!only?.name || (dir !== 'asc' && dir !== 'desc')) return [];
    key = only.name;
    if (key !== 'id') edits.push({ span: order.value!.span, newText: `[{ ${key}: '${dir}' }, { id: '${dir}' }]` });
  }
  // Without an order there are no pages to speak of: order by `id`, written where `skip` was.
  const addOrder = order ? '' : `orderBy: { id: 'asc' }${sep}`;
  const type = syntax.language === 'typescript' ? (param.type ? `: ${param.type}` : '') : '';
  const optional = syntax.language === 'typescript' && !param.requiredAfter ? '?' : '';
  const declared = syntax.language === 'typescript' && param.requiredAfter && param.type ? `after: ${param.type} | undefined` : `after${optional}${type}`;
  edits.push({ span: param.span, newText: declared });
  edits.push({ span: prop.span, newText: `${addOrder}cursor: after === undefined ? undefined : { id: after }${sep}skip: after === undefined ? 0 : 1` });
  const index = key === 'id' ? '' : `; add an index on \`(${key}, id)\``;
  return [{
    title: `Page with a Prisma \`cursor\` on \`id\` (changes the API: \`${param.name}\` becomes \`after\`, the last \`id\` the client saw${index})`,
    applicability: 'unsafe',
    edits,
  }];
}

/** Python: keyset paging sketch (`where(M.id > after)` + `order_by` + `limit`). */
function pythonFixes(ctx: RuleContext, off: OffsetFact): Fix[] {
  const syntax = ctx.syntax;
  if (!isPythonSyntax(syntax)) return [];
  if (off.style === 'sql') return pyKeysetSql(syntax, off);
  if (!off.source) return [];
  if (off.style === 'method' && off.library === 'sqlalchemy') return pyKeysetChain(syntax, off);
  return [];
}

/** The plain string literal that holds the OFFSET, and the keyset plan of its SQL. */
function pySqlPlan(syntax: PythonFixSyntax, off: OffsetFact): { str: PyNode; content: PyNode; sql: string; plan: SqlKeysetPlan } | undefined {
  let str: PyNode | undefined = syntax.nodeAt(off.span);
  if (!str) {
    // The OFFSET keyword is inside a string literal: the innermost string that contains it.
    let n: PyNode = syntax.root;
    for (;;) {
      const next: PyNode | undefined = n.children.find((c) => c.named && c.start <= off.span.start && off.span.end <= c.end);
      if (!next) break;
      n = next;
    }
    str = syntax.ancestor(n, 'string');
  }
  if (str?.type !== 'string' || str.children.some((c) => c.type === 'interpolation' || c.type === 'escape_sequence')) return undefined;
  const contents = str.children.filter((c) => c.type === 'string_content');
  if (contents.length !== 1) return undefined;
  const content = contents[0];
  const sql = syntax.src(content);
  const plan = planSqlKeyset(sql, off.span.start - content.start);
  return plan && { str, content, sql, plan };
}

/**
 * Raw SQL in one plain string literal, ordered by plain columns in one direction: the key's
 * condition goes before the ORDER BY (`WHERE (created_at, id) < (:after_created_at, :after_id)`,
 * `id` added as tie-breaker), the OFFSET goes, and the parameter that fed it becomes the key's
 * values: renamed to `after` for `id` ascending (its default, `0`, is a first page), else one
 * parameter per key column. Placeholders follow the statement: `:name` and `%(name)s` (the
 * binding `"skip": skip` / `skip=skip` in the function is replaced), asyncpg's `$n` (the call's
 * positional arguments), psycopg's `%s` (the tuple or list of values).
 */
function pyKeysetSql(syntax: PythonFixSyntax, off: OffsetFact): Fix[] {
  const located = pySqlPlan(syntax, off);
  const fn = located && syntax.ancestor(located.str, 'function_definition');
  if (!located || !fn) return [];
  const { str, content, sql, plan } = located;
  const single = plan.keys.length === 1;
  const names = single ? ['after'] : plan.keys.map((k) => `after_${pySnake(sqlKeyName(k))}`);
  const v = plan.offsetValue.text;
  const edits: TextEdit[] = [];
  let offsetValue: PyNode | undefined;
  let placeholders: string[];
  const tokens = sqlTokens(sql);
  if (/^(:\w+|%\(\w+\)s)$/.test(v)) {
    // Where the placeholder is bound: `{"skip": skip}` or `skip=skip`, once in the function.
    const name = v.startsWith(':') ? v.slice(1) : v.slice(2, -2);
    const bindings: { node: PyNode; key: PyNode; value: PyNode }[] = [];
    const stack = [fn];
    while (stack.length) {
      const n = stack.pop()!;
      const k = n.type === 'pair' ? field(n, 'key') : n.type === 'keyword_argument' ? field(n, 'name') : undefined;
      const value = k ? field(n, 'value') : undefined;
      const keyText = k?.type === 'string' ? syntax.src(k).slice(1, -1) : k ? syntax.src(k) : undefined;
      if (k && value && keyText === name) bindings.push({ node: n, key: k, value });
      stack.push(...n.children);
    }
    if (bindings.length !== 1 || tokens.filter((t) => t.text === v).length !== 1) return [];
    const { node, key, value } = bindings[0];
    offsetValue = value;
    placeholders = names.map((x) => (v.startsWith(':') ? `:${x}` : `%(${x})s`));
    const quote = key.type === 'string' ? syntax.src(key)[0] : '';
    edits.push({ span: { start: node.start, end: node.end }, newText: names.map((x) => (node.type === 'pair' ? `${quote}${x}${quote}: ${x}` : `${x}=${x}`)).join(', ') });
  } else if (/^\$\d+$/.test(v) || v === '%s') {
    // The values are the call's arguments after the SQL (asyncpg), or a tuple or list (psycopg).
    const call = str.parent?.type === 'argument_list' && str.parent.parent?.type === 'call' ? str.parent.parent : undefined;
    const args = call ? pyArgList(field(call, 'arguments')) : [];
    if (!call || args[0] !== str || args.some((a) => /^(keyword_argument|list_splat|dictionary_splat)$/.test(a.type))) return [];
    if (v === '%s') {
      const values = args.length === 2 && /^(tuple|list)$/.test(args[1].type) ? pyArgList(args[1]) : undefined;
      const marks = tokens.filter((t) => t.text === '%s');
      const q = marks.findIndex((t) => t.start === plan.offsetValue.start);
      const w = marks.filter((t) => t.start < plan.whereAt).length;
      if (!values || values.length !== marks.length || q < 0 || values.some((x) => x.type === 'list_splat')) return [];
      offsetValue = values[q];
      const texts = values.map((x) => syntax.src(x));
      texts.splice(q, 1);
      texts.splice(w, 0, ...names);
      placeholders = names.map(() => '%s');
      const list = args[1].type === 'list' ? `[${texts.join(', ')}]` : texts.length === 1 ? `(${texts[0]},)` : `(${texts.join(', ')})`;
      edits.push({ span: { start: args[1].start, end: args[1].end }, newText: list });
    } else {
      const numbers = tokens.filter((t) => /^\$\d+$/.test(t.text)).map((t) => Number(t.text.slice(1)));
      const k = Number(v.slice(1));
      const max = Math.max(...numbers);
      if (args.length - 1 !== max || numbers.filter((n) => n === k).length !== 1) return [];
      offsetValue = args[k];
      placeholders = names.map((_, j) => (j === 0 ? v : `$${max + j}`));
      edits.push({ span: { start: args[k].start, end: args[k].end }, newText: names[0] });
      if (names.length > 1) edits.push({ span: { start: args[max].end, end: args[max].end }, newText: `, ${names.slice(1).join(', ')}` });
    }
  } else return [];
  // The parameter the offset comes from: read once there and nowhere else in the function.
  const params = pyArgList(field(fn, 'parameters'));
  // (`(page - 1) * size`: `page`, when `size` also sets the LIMIT.)
  const usesIn = (scope: PyNode | undefined, p: PyNode) => { const id = syntax.paramName(p); return id ? pyNameUses(syntax, scope, syntax.src(id)).length : 0; };
  const fed = params.filter((p) => usesIn(offsetValue, p) === 1 && usesIn(field(fn, 'body'), p) === 1);
  const param = fed.length === 1 ? fed[0] : undefined;
  const paramName = param ? syntax.paramName(param) : undefined;
  if (!param || !paramName) return [];
  if (names.some((x) => pyNameUses(syntax, fn, x).length > 0)) return [];
  for (const e of sqlKeysetEdits(plan, placeholders)) edits.push({ span: { start: content.start + e.start, end: content.start + e.end }, newText: e.text });
  const defaultValue = field(param, 'value');
  if (single && !plan.descending) {
    // `after = 0` is the first page; another default (`page: int = Query(1, ge=1)`) is not.
    const type = field(param, 'type');
    if (!defaultValue || syntax.src(defaultValue) === '0') edits.push({ span: { start: paramName.start, end: paramName.end }, newText: 'after' });
    else edits.push({ span: { start: param.start, end: param.end }, newText: `after${type ? `: ${syntax.src(type)}` : ''} = 0` });
  } else {
    // Keys have no default: the caller passes the last row's. Where Python would require one (an
    // earlier positional parameter has a default), no rewrite: `None` would compare as NULL and
    // silently make the first page empty.
    const before = params.slice(0, params.indexOf(param));
    const positional = before.findIndex((p) => p.type === 'list_splat_pattern' || p.type === 'keyword_separator' || syntax.src(p) === '*') < 0;
    if (positional && before.some((p) => /default_parameter$/.test(p.type))) return [];
    edits.push({ span: { start: param.start, end: param.end }, newText: names.join(', ') });
  }
  return [{ title: keysetTitle(plan.keys, syntax.src(paramName), single && !plan.descending ? 'after' : names.join('`, `')), applicability: 'unsafe', edits }];
}

function pyArgList(n: PyNode | undefined): PyNode[] {
  return n ? n.children.filter((c) => c.named && c.type !== 'comment') : [];
}

function pySnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The method names of a chain `select(M).where(…).order_by(…).offset(x).limit(n)`, with their calls. */
interface PyChain {
  methods: { name: string; call: PyNode }[];
  /** The expression the chain starts from: `select(M)`, `db.query(M)`, `stmt`. */
  root: PyNode;
}

function pyChainOf(syntax: PythonFixSyntax, inner: PyNode): PyChain {
  let top = inner;
  while (top.parent?.type === 'attribute' && top.field === 'object' && top.parent.parent?.type === 'call' && top.parent.field === 'function') top = top.parent.parent;
  const methods: PyChain['methods'] = [];
  let n: PyNode = top;
  for (;;) {
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const name = fn?.type === 'attribute' ? field(fn, 'attribute') : undefined;
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    if (!fn || !name || !obj || syntax.src(name) === 'query') break;
    methods.unshift({ name: syntax.src(name), call: n });
    n = obj;
  }
  return { methods, root: n };
}

/**
 * `.offset(skip)` → `.where(M.k > after)` on the ascending ORDER BY key (adding `.order_by(M.id)`
 * when the statement selects one model and has no order), and the parameter `skip` → `after`.
 * Offered only when the sketch is complete: a LIMIT in the chain, one ascending key, and an offset
 * that is a parameter used nowhere else (else the rewrite would need decisions only a person can make).
 */
function pyKeysetChain(syntax: PythonFixSyntax, off: OffsetFact): Fix[] {
  const name = syntax.nodeAt(off.span, 'identifier');
  const attr = name?.parent;
  const offCall = attr?.parent;
  if (!name || attr?.type !== 'attribute' || offCall?.type !== 'call' || attr.field !== 'function') return [];
  const args = field(offCall, 'arguments');
  const value = args ? args.children.filter((c) => c.named && c.type !== 'comment') : [];
  if (value.length !== 1 || value[0].type !== 'identifier' || syntax.src(value[0]) !== off.source!.name) return [];
  const param = syntax.nodeAt(off.source!.span);
  const paramName = param ? syntax.paramName(param) : undefined;
  const fn = syntax.ancestor(offCall, 'function_definition');
  if (!paramName || !fn || syntax.src(paramName) !== off.source!.name) return [];
  const oldName = off.source!.name;
  const uses = pyNameUses(syntax, field(fn, 'body'), oldName);
  const taken = pyNameUses(syntax, fn, 'after').length > 0;
  if (uses.length !== 1 || uses[0] !== value[0] || taken) return [];

  const chain = pyChainOf(syntax, offCall);
  if (!chain.methods.some((m) => m.name === 'limit')) return [];
  const orders = chain.methods.filter((m) => m.name === 'order_by');
  let key: string | undefined;
  let addOrder = false;
  if (orders.length === 1) {
    const keys = field(orders[0].call, 'arguments')?.children.filter((c) => c.named && c.type !== 'comment') ?? [];
    if (keys.length !== 1) return [];
    key = pyAscendingKey(syntax, keys[0]);
  } else if (orders.length === 0) {
    // `select(Hero)` / `db.query(Hero)`: page by the model's `id`.
    const model = chain.root.type === 'call' ? field(chain.root, 'arguments')?.children.filter((c) => c.named && c.type !== 'comment') : undefined;
    const callee = chain.root.type === 'call' ? field(chain.root, 'function') : undefined;
    if (callee && /(^|\.|_)(select|query)$/.test(syntax.src(callee)) && model?.length === 1 && model[0].type === 'identifier') {
      key = `${syntax.src(model[0])}.id`;
      addOrder = true;
    }
  }
  if (!key) return [];
  const where = /\.query$/.test(chain.root.type === 'call' ? syntax.src(field(chain.root, 'function') ?? chain.root) : '') ? 'filter' : 'where';
  const dot = syntax.text.lastIndexOf('.', name.start);
  const replacement = `.${where}(${key} > after)${addOrder ? `.order_by(${key})` : ''}`;
  return [{
    title: `Page by \`${key}\` (keyset): \`${oldName}\` becomes \`after\`, the last \`${key}\` the client saw (changes the API)`,
    applicability: 'unsafe',
    edits: [
      { span: { start: paramName.start, end: paramName.end }, newText: 'after' },
      { span: { start: dot, end: offCall.end }, newText: replacement },
    ],
  }];
}

/**
 * An `order_by` argument on one column: `M.k`, `M.k.asc()` / `M.k.desc()`, `asc(M.k)` / `desc(M.k)`
 * (also `sa.desc(…)`). Anything else (several columns, a string, an expression) is not a key.
 */
function pyOrderKey(syntax: PythonFixSyntax, n: PyNode): { column: PyNode; descending: boolean } | undefined {
  if (n.type === 'attribute') return { column: n, descending: false };
  if (n.type !== 'call') return undefined;
  const fn = field(n, 'function');
  const args = pyArgList(field(n, 'arguments'));
  const method = fn?.type === 'attribute' ? syntax.src(field(fn, 'attribute') ?? fn) : undefined;
  const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
  if (obj?.type === 'attribute' && args.length === 0 && (method === 'asc' || method === 'desc')) return { column: obj, descending: method === 'desc' };
  const wrapper = fn ? /^(?:(?:sa|sqlalchemy)\.)?(asc|desc)$/.exec(syntax.src(fn))?.[1] : undefined;
  if (wrapper && args.length === 1 && args[0].type === 'attribute') return { column: args[0], descending: wrapper === 'desc' };
  return undefined;
}

/** `M.k` or `M.k.asc()`: the key; anything else (descending, several columns, a string) is not sketched. */
function pyAscendingKey(syntax: PythonFixSyntax, n: PyNode): string | undefined {
  const key = pyOrderKey(syntax, n);
  return key && !key.descending ? syntax.src(key.column) : undefined;
}

/** Identifiers in `scope` that read or bind `name` (not attribute names or keyword-argument names). */
function pyNameUses(syntax: PythonFixSyntax, scope: PyNode | undefined, name: string): PyNode[] {
  const out: PyNode[] = [];
  const stack = scope ? [scope] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && syntax.src(n) === name && !(n.parent?.type === 'attribute' && n.field === 'attribute') && !(n.parent?.type === 'keyword_argument' && n.field === 'name')) out.push(n);
    for (const c of n.children) stack.push(c);
  }
  return out;
}

/**
 * Knex/Kysely: `.orderBy('id').limit(n).offset(f(page))` → `.where('id', '>', after)` (TypeORM's
 * QueryBuilder: `.orderBy('c.id')…skip(f(page))` → `.andWhere('c.id > :after', { after })`) with the
 * parameter `page` → `after = 0`, the last `id` the client saw (0 before the first page). Only for
 * an ascending order on `id` alone: other keys need a tie-breaker and a first-page decision.
 */
function tsKeysetChain(syntax: TsFixSyntax, off: OffsetFact): Fix[] {
  const chain = syntax.chainAround(off.span.start);
  // TypeORM's QueryBuilder pages with `.skip()` or `.offset()` and limits with `.take()` or `.limit()`.
  const typeorm = off.library === 'typeorm';
  const offsetLink = chain?.links.find((l) => (l.name === 'offset' || (typeorm && l.name === 'skip')) && l.span.start <= off.span.start && off.span.start < l.span.end);
  const param = syntax.parameterOf(off.span.start, off.source!.name);
  if (!chain || !offsetLink || offsetLink.args.length !== 1 || !param || param.span.start !== off.source!.span.start || param.hasInitializer) return [];
  if (syntax.text.slice(param.span.start, param.span.end).startsWith('...') || param.usesInBody !== 1 || !syntax.isNameFreeIn(off.span.start, 'after')) return [];
  if (offsetLink.args[0].names.filter((n) => n === param.name).length !== 1) return [];
  const orders = chain.links.filter((l) => l.name === 'orderBy');
  if (!chain.links.some((l) => l.name === 'limit' || (typeorm && l.name === 'take')) || orders.length !== 1) return [];
  const [key, dir] = orders[0].args.map((a) => a.text.replace(/^['"]|['"]$/g, ''));
  // TypeORM orders by `alias.id`; Knex and Kysely by `id`.
  const keyOk = typeorm ? /^\w+\.id$/.test(key ?? '') : key === 'id';
  if (!keyOk || (dir !== undefined && dir.toLowerCase() !== 'asc') || orders[0].args.some((a) => !/^['"][^'"]*['"]$/.test(a.text))) return [];
  const q = syntax.quote;
  const type = syntax.language === 'typescript' && param.type ? `: ${param.type}` : '';
  const condition = typeorm ? `.andWhere(${q}${key} > :after${q}, { after })` : `.where(${q}id${q}, ${q}>${q}, after)`;
  return [{
    title: `Page by \`${key}\` (keyset): \`${param.name}\` becomes \`after\`, the last \`id\` the client saw (changes the API)`,
    applicability: 'unsafe',
    edits: [
      { span: param.span, newText: `after${type} = 0` },
      { span: offsetLink.span, newText: condition },
    ],
  }];
}

// ── Raw SQL keyset, both languages ──────────────────────────────────────────────────────────────

/**
 * What turns `… ORDER BY k1 [DESC], k2 [DESC] LIMIT n OFFSET p` into a keyset page: where the
 * condition goes, the ORDER BY key (with `id` added as tie-breaker when it is not in it), and the
 * OFFSET to drop. Offsets are indices into the SQL text as given (the caller masks template
 * substitutions with characters of the same length, so indices are source offsets too).
 */
interface SqlKeysetPlan {
  /** The key columns as written (`created_at`, `o.id`), tie-breaker included. */
  keys: string[];
  descending: boolean;
  /** Where the condition goes (the end of the last token before ORDER BY) and how it starts. */
  whereAt: number;
  whereKeyword: 'WHERE' | 'AND';
  /** The existing WHERE condition has a top-level OR: parenthesise it (open at this index; close at `whereAt`). */
  wrapAt?: number;
  /** `, id DESC` after the last ORDER BY item, when `id` was not in the key. */
  tieBreaker?: { at: number; text: string };
  /** From the end of the token before OFFSET to the end of its value. */
  removeOffset: { start: number; end: number };
  /** The OFFSET's value token (`$2`, `?`, `:skip`, `%s`, a masked substitution). */
  offsetValue: SqlToken;
  /** The statement's keywords are lower case. */
  lower: boolean;
}

const SQL_NOT_PAGEABLE = /^(group|having|union|intersect|except|window|returning|fetch|for|distinct|with)$/i;
const SQL_RESERVED = /^(select|from|where|order|by|limit|offset|asc|desc|nulls|first|last|collate|using|and|or|not|null|case|when|then|else|end)$/i;

/** Pads a masked `${…}` to its source length (see `maskSubstitutions`). */
const SQL_PAD = '\u0001';

/** Template substitutions become one INTERPOLATION character padded to their length, so indices stay source offsets. */
function maskSubstitutions(content: string, spans: Span[]): string {
  let out = content;
  for (const s of spans) out = out.slice(0, s.start) + INTERPOLATION + SQL_PAD.repeat(s.end - s.start - 1) + out.slice(s.end);
  return out;
}

/** The SQL's tokens, a masked substitution and its padding as one token (new objects: the tokenizer's are cached). */
function sqlTokens(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  for (const t of tokenizeSql(sql)) {
    if (t.text === SQL_PAD && out[out.length - 1]?.text === INTERPOLATION) out[out.length - 1].end = t.end;
    else out.push({ ...t });
  }
  return out;
}

function planSqlKeyset(sql: string, offsetAt: number): SqlKeysetPlan | undefined {
  const tokens = sqlTokens(sql);
  const oi = tokens.findIndex((t) => t.start === offsetAt && /^offset$/i.test(t.text));
  const value = tokens[oi + 1];
  if (oi < 0 || !value || !/^(\$\d+|\?|:\w+|%s|%\(\w+\)s|\u0000)$/.test(value.text) || !/^select$/i.test(tokens[0]?.text ?? '')) return undefined;
  let depth = 0;
  let orderAt = -1;
  let whereAt = -1;
  const topOr: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(') depth++;
    else if (t === ')') depth--;
    else if (depth === 0) {
      if (SQL_NOT_PAGEABLE.test(t)) return undefined;
      if (/^order$/i.test(t) && /^by$/i.test(tokens[i + 1]?.text ?? '')) orderAt = i;
      else if (/^where$/i.test(t) && orderAt < 0) whereAt = i;
      else if (/^or$/i.test(t) && orderAt < 0) topOr.push(i);
      else if (t === ';' && i !== tokens.length - 1) return undefined;
    }
  }
  if (orderAt < 0 || orderAt > oi || depth !== 0) return undefined;
  // ORDER BY items: plain columns (`created_at`, `o.id`, `"createdAt"`), one direction for all.
  const keys: string[] = [];
  const dirs: string[] = [];
  let i = orderAt + 2;
  let lastItemEnd = -1;
  for (;;) {
    const col = tokens[i];
    if (!col || !(/^"[^"]+"$/.test(col.text) || (/^[A-Za-z_]\w*$/.test(col.text) && !SQL_RESERVED.test(col.text)))) return undefined;
    let column = col.text;
    let end = col.end;
    i++;
    if (tokens[i]?.text === '.' && tokens[i + 1] && /^("[^"]+"|[A-Za-z_]\w*)$/.test(tokens[i + 1].text)) {
      column = `${column}.${tokens[i + 1].text}`;
      end = tokens[i + 1].end;
      i += 2;
    }
    let dir = '';
    if (/^(asc|desc)$/i.test(tokens[i]?.text ?? '')) {
      dir = tokens[i].text;
      end = tokens[i].end;
      i++;
    }
    keys.push(column);
    dirs.push(dir);
    lastItemEnd = end;
    if (tokens[i]?.text !== ',') break;
    i++;
  }
  const descending = dirs.map((d) => /^desc$/i.test(d));
  if (descending.some((d) => d !== descending[0])) return undefined;
  // What follows: LIMIT n and OFFSET p, in either order, and nothing else.
  const tail = tokens.slice(i).map((t) => t.text);
  if (tail[tail.length - 1] === ';') tail.pop();
  const shape = tail.map((t, k) => (/^(limit|offset)$/i.test(t) ? t.toUpperCase() : k > 0 && /^(limit|offset)$/i.test(tail[k - 1]) ? 'v' : '?')).join(' ');
  if (!['OFFSET v', 'LIMIT v OFFSET v', 'OFFSET v LIMIT v'].includes(shape) || oi < i) return undefined;
  const hasId = keys.some((k) => /^(?:.*\.)?"?id"?$/i.test(k));
  const qualifier = /^(.*)\./.exec(keys[0])?.[1];
  const lower = tokens[orderAt].text === 'order';
  const dirText = dirs[0] ? ` ${dirs[0]}` : '';
  const idColumn = qualifier ? `${qualifier}.id` : 'id';
  return {
    keys: hasId ? keys : [...keys, idColumn],
    descending: descending[0],
    whereAt: tokens[orderAt - 1].end,
    whereKeyword: whereAt >= 0 ? 'AND' : 'WHERE',
    wrapAt: whereAt >= 0 && topOr.some((o) => o > whereAt) ? tokens[whereAt + 1]?.start : undefined,
    tieBreaker: hasId ? undefined : { at: lastItemEnd, text: `, ${idColumn}${dirText}` },
    removeOffset: { start: tokens[oi - 1].end, end: value.end },
    offsetValue: value,
    lower,
  };
}

/** The condition `(k1, k2) < (p1, p2)` / `id > p1`, and the SQL edits of a plan (in SQL indices). */
function sqlKeysetEdits(plan: SqlKeysetPlan, placeholders: string[]): Array<{ start: number; end: number; text: string }> {
  const op = plan.descending ? '<' : '>';
  const cond = plan.keys.length === 1 ? `${plan.keys[0]} ${op} ${placeholders[0]}` : `(${plan.keys.join(', ')}) ${op} (${placeholders.join(', ')})`;
  const kw = plan.lower ? plan.whereKeyword.toLowerCase() : plan.whereKeyword;
  const edits = [
    ...(plan.wrapAt !== undefined ? [{ start: plan.wrapAt, end: plan.wrapAt, text: '(' }] : []),
    { start: plan.whereAt, end: plan.whereAt, text: `${plan.wrapAt !== undefined ? ')' : ''} ${kw} ${cond}` },
  ];
  // `ORDER BY k OFFSET p LIMIT n`: the tie-breaker goes where the OFFSET was, in one edit (applyFixes
  // rejects a fix with an insertion at the start of its own deletion).
  const { tieBreaker, removeOffset } = plan;
  if (tieBreaker && tieBreaker.at === removeOffset.start) edits.push({ ...removeOffset, text: tieBreaker.text });
  else {
    if (tieBreaker) edits.push({ start: tieBreaker.at, end: tieBreaker.at, text: tieBreaker.text });
    edits.push({ ...removeOffset, text: '' });
  }
  return edits;
}

/** `o.created_at` → `created_at`, `"createdAt"` → `createdAt`. */
function sqlKeyName(column: string): string {
  return column.split('.').pop()!.replace(/"/g, '');
}

/** `o.created_at` → `created_at`, `"createdAt"` stays quoted (as an index definition needs it). */
function sqlIndexColumn(column: string): string {
  return column.split('.').pop()!;
}

function camel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

/** `(created_at, id)` or `id`, for titles and messages. */
function keyLabel(keys: string[]): string {
  return keys.length === 1 ? keys[0] : `(${keys.join(', ')})`;
}

function keysetTitle(keys: string[], renamed: string, replacement = 'after'): string {
  const names = keys.map(sqlIndexColumn);
  const primary = names.length === 1 && names[0] === 'id';
  return `Page by keyset on \`${keyLabel(keys)}\` instead of OFFSET (callers must pass the last row's key: \`${renamed}\` becomes \`${replacement}\`${primary ? '' : `; add an index on \`(${names.join(', ')})\``})`;
}

/** The string or template literal that holds the OFFSET, its SQL with `${…}` masked, and the keyset plan. */
function tsSqlPlan(syntax: TsFixSyntax, off: OffsetFact): { lit: TsLiteral; contentStart: number; masked: string; plan: SqlKeysetPlan } | undefined {
  const lit = syntax.literalAt(off.span.start);
  if (!lit || lit.escaped) return undefined;
  const contentStart = lit.span.start + 1;
  const masked = maskSubstitutions(
    syntax.text.slice(contentStart, lit.span.end - 1),
    lit.substitutions.map((s) => ({ start: s.span.start - contentStart, end: s.span.end - contentStart })),
  );
  const plan = planSqlKeyset(masked, off.span.start - contentStart);
  return plan && { lit, contentStart, masked, plan };
}

/**
 * TS/JS raw SQL: a string or tagged template passed to a query call whose OFFSET value comes from a
 * function parameter used for nothing else. The parameter becomes `after`: the last row's `id` for
 * a key on `id` alone, else an object with one member per key column (`after.createdAt, after.id`).
 * Placeholders follow the statement's style: `$n` (numbered; the OFFSET's number is reused and
 * new ones follow the highest), `?` (positional: the values move to where the condition is),
 * `:name` (Sequelize replacements, Knex named bindings), `${…}` of a tagged template (Prisma
 * `$queryRaw`, `sql```).
 */
function tsKeysetSql(syntax: TsFixSyntax, off: OffsetFact): Fix[] {
  const located = tsSqlPlan(syntax, off);
  if (!located) return [];
  const { lit, contentStart, masked, plan } = located;
  const single = plan.keys.length === 1;
  const names = plan.keys.map((k) => camel(sqlKeyName(k)));
  const values = single ? ['after'] : names.map((n) => `after.${n}`);
  // Where the OFFSET's value is written, and the edits that pass the key's values instead.
  const edits: TextEdit[] = [];
  let offsetValue: TsElement | undefined;
  let placeholders: string[];
  const v = plan.offsetValue.text;
  if (v === INTERPOLATION) {
    // A tagged template sends each `${…}` as a parameter; a plain template would splice text into the SQL.
    const sub = lit.substitutions.find((s) => s.span.start === contentStart + plan.offsetValue.start);
    if (lit.kind !== 'tagged' || !sub) return [];
    offsetValue = sub.expression;
    placeholders = values.map((x) => `\${${x}}`);
  } else {
    const call = lit.call;
    if (!call || lit.argIndex !== 0 || lit.kind === 'tagged') return [];
    const tokens = sqlTokens(masked);
    if (/^\$\d+$/.test(v)) {
      // `query(sql, [a, b])`, or Prisma's `$queryRawUnsafe(sql, a, b)`.
      const list = call.args.length === 2 && call.args[1].elements ? call.args[1].elements : /^\$(query|execute)RawUnsafe$/.test(call.method ?? '') ? call.args.slice(1) : undefined;
      const numbers = tokens.filter((t) => /^\$\d+$/.test(t.text)).map((t) => Number(t.text.slice(1)));
      const k = Number(v.slice(1));
      const max = Math.max(...numbers);
      if (!list || list.length !== max || numbers.filter((n) => n === k).length !== 1) return [];
      offsetValue = list[k - 1];
      placeholders = values.map((_, j) => (j === 0 ? v : `$${max + j}`));
      edits.push({ span: list[k - 1].span, newText: values[0] });
      if (values.length > 1) edits.push({ span: { start: list[max - 1].span.end, end: list[max - 1].span.end }, newText: `, ${values.slice(1).join(', ')}` });
    } else if (v === '?') {
      const list = call.args.length === 2 ? call.args[1].elements : undefined;
      const marks = tokens.filter((t) => t.text === '?');
      const q = marks.findIndex((t) => t.start === plan.offsetValue.start);
      const w = marks.filter((t) => t.start < plan.whereAt).length;
      if (!list || list.length !== marks.length || q < 0 || list.some((e) => /^\.\.\./.test(e.text))) return [];
      offsetValue = list[q];
      const texts = list.map((e) => e.text);
      texts.splice(q, 1);
      texts.splice(w, 0, ...values);
      placeholders = values.map(() => '?');
      edits.push({ span: call.args[1].span, newText: `[${texts.join(', ')}]` });
    } else if (/^:\w+$/.test(v)) {
      const name = v.slice(1);
      const options = call.args[1]?.object;
      const replacements = options?.properties.find((p) => p.name === 'replacements')?.value?.object ?? (off.library === 'knex' ? options : undefined);
      const prop = replacements?.properties.find((p) => p.name === name);
      if (call.args.length !== 2 || !prop?.value || tokens.filter((t) => t.text === v).length !== 1) return [];
      const keys = single ? ['after'] : names.map((n) => `after${n.charAt(0).toUpperCase()}${n.slice(1)}`);
      if (replacements!.properties.some((p) => p !== prop && p.name && keys.includes(p.name))) return [];
      offsetValue = prop.value;
      placeholders = keys.map((key) => `:${key}`);
      edits.push({ span: prop.span, newText: single ? 'after' : keys.map((key, j) => `${key}: ${values[j]}`).join(', ') });
    } else return [];
  }
  // The parameter the offset comes from becomes `after`: it must feed nothing else.
  // (`(page - 1) * size`: `page`, when `size` also sets the LIMIT.)
  const fed = [...new Set(offsetValue.names)].map((n) => syntax.parameterOf(off.span.start, n)).filter((p) => p !== undefined && p.usesInBody === 1);
  const param = fed.length === 1 ? fed[0] : undefined;
  if (!param || offsetValue.names.filter((n) => n === param.name).length !== 1 || !syntax.isNameFreeIn(off.span.start, 'after')) return [];
  if (syntax.text.slice(param.span.start, param.span.end).startsWith('...')) return [];
  // An optional parameter can stay optional only where `after = 0` is a first page: `id` ascending.
  if ((param.optional || param.hasInitializer) && !(single && !plan.descending)) return [];
  for (const e of sqlKeysetEdits(plan, placeholders)) edits.push({ span: { start: contentStart + e.start, end: contentStart + e.end }, newText: e.text });
  const ts = syntax.language === 'typescript';
  const type = ts && param.type ? `: ${param.type}` : '';
  const declared = single ? `after${type}${param.optional || param.hasInitializer ? ' = 0' : ''}` : ts ? `after: { ${names.map((n) => `${n}: unknown`).join('; ')} }` : 'after';
  edits.push({ span: param.span, newText: declared });
  return [{ title: keysetTitle(plan.keys, param.name), applicability: 'unsafe', edits }];
}

/**
 * TypeORM find options: `find({ where, order: { id: 'ASC' }, skip: f(page), take })` →
 * `find({ where: { …, id: MoreThan(after) }, order: { id: 'ASC' }, take })` (`LessThan` for DESC;
 * `order: { id: 'ASC' }` added when there was none), importing the operator from `typeorm`, and
 * the parameter `page` → `after`, the last `id` the client saw (`= 0` ascending: the first page).
 * Only for an order on `id` alone: other keys need a tie-breaker that find options cannot express
 * as one comparison.
 */
function tsTypeormFindKeyset(syntax: TsFixSyntax, off: OffsetFact): Fix[] {
  const prop = syntax.propertyAt(off.span.start);
  const args = prop && syntax.objectAt(prop.parent);
  if (!prop?.value || !args || !args.properties.some((p) => p.name === 'take') || args.properties.some((p) => !p.name)) return [];
  const order = args.properties.find((p) => p.name === 'order');
  let dir = 'ASC';
  if (order) {
    const only = order.value?.object?.properties.length === 1 ? order.value.object.properties[0] : undefined;
    if (!only?.name) return [];
    if (only.name !== 'id' || !/^(asc|desc)$/i.test(only.value?.isStringLiteral ?? '')) return [];
    dir = only.value!.isStringLiteral!;
  }
  const descending = /^desc$/i.test(dir);
  const where = args.properties.find((p) => p.name === 'where');
  if (where && (!where.value?.object || where.value.object.properties.some((p) => !p.name || p.name === 'id'))) return [];
  const param = syntax.parameterOf(off.span.start, off.source!.name);
  if (!param || param.span.start !== off.source!.span.start || param.usesInBody !== 1 || syntax.text.slice(param.span.start, param.span.end).startsWith('...')) return [];
  if (prop.value.names.filter((n) => n === param.name).length !== 1 || !syntax.isNameFreeIn(off.span.start, 'after')) return [];
  if (descending && (param.optional || param.hasInitializer)) return [];
  const operator = syntax.imports.ensure('typeorm', descending ? 'LessThan' : 'MoreThan');
  if (!operator) return [];
  const condition = `id: ${operator.expr}(after)`;
  const edits: TextEdit[] = [...operator.edits];
  const sep = args.multiline ? `,${syntax.eol}${syntax.indentAt(prop.span.start)}` : ', ';
  const addOrder = order ? '' : `order: { id: 'ASC' }`;
  if (!where) edits.push({ span: prop.span, newText: [`where: { ${condition} }`, addOrder].filter(Boolean).join(sep) });
  else {
    const o = where.value!.object!;
    const last = o.properties[o.properties.length - 1];
    edits.push(last ? { span: { start: last.span.end, end: last.span.end }, newText: `, ${condition}` } : { span: o.span, newText: `{ ${condition} }` });
    if (addOrder) edits.push({ span: prop.span, newText: addOrder });
    else {
      // The `skip` property goes with its separator.
      const i = args.properties.indexOf(args.properties.find((p) => p.span.start === prop.span.start)!);
      const next = args.properties[i + 1];
      const prev = args.properties[i - 1];
      edits.push(next ? { span: { start: prop.span.start, end: next.span.start }, newText: '' } : { span: { start: prev.span.end, end: prop.span.end }, newText: '' });
    }
  }
  const type = syntax.language === 'typescript' && param.type ? `: ${param.type}` : '';
  edits.push({ span: param.span, newText: `after${type}${descending ? '' : ' = 0'}` });
  return [{
    title: `Page by keyset on \`id\` with \`${operator.expr}(after)\` instead of \`skip\` (callers must pass the last row's key: \`${param.name}\` becomes \`after\`)`,
    applicability: 'unsafe',
    edits: mergeInsertions(edits),
  }];
}
