import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { OffsetFact } from '../core/model';
import type { TextEdit } from '../core/finding';
import { isTsFixSyntax } from '../frontends/typescript/fix-syntax-api';
import type { TsFixSyntax } from '../frontends/typescript/fix-syntax-api';
import type { Related } from '../core/finding';
import { isPythonSyntax } from '../frontends/python/fix-syntax-api';
import type { PythonFixSyntax } from '../frontends/python/fix-syntax-api';
import type { PyNode } from '../frontends/python/tree';
import { field } from '../frontends/python/tree';

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
      'Keyset pagination changes the API — clients pass the last key they saw instead of a page number — so the rewrite is always unsafe. Add an index on the ORDER BY key when it is not the primary key.',
      'TypeScript/JavaScript: for Prisma `skip: f(page)` fed by a parameter of the function that nothing else reads, the sketch pages with `cursor: { id: after }` and `skip: 1` past the cursor (`skip: 0` on the first page), keeps the ORDER BY and adds `id` as its tie-breaker (`orderBy: [{ createdAt: \'desc\' }, { id: \'desc\' }]`, or `orderBy: { id: \'asc\' }` when there was none), and turns the parameter into `after`, the last `id` the client saw (optional when it can be). The title names the index to add when the ORDER BY key is not `id`. A Knex or Kysely chain ordered by `id` ascending with a `limit` gets `.where(\'id\', \'>\', after)` in place of `.offset(…)`, the parameter becoming `after = 0` (the first page); a TypeORM QueryBuilder ordered by `alias.id` gets `.andWhere(\'alias.id > :after\', { after })` in place of `.skip()`/`.offset()` the same way. Other libraries, other keys in chains, and raw SQL get no rewrite yet: the first page, ties and the direction need decisions the code does not show.',
      'Python: for a SQLAlchemy `.offset(skip)` in a chain with a `limit` and one ascending `order_by` key (or a `select(M)` without an order, then paged by `M.id`), the sketch replaces `.offset(skip)` with `.where(key > after)` and renames the parameter `skip` to `after`, the last key the client saw; it is offered only when that parameter feeds nothing else. Raw SQL in one string that ends `ORDER BY id LIMIT … OFFSET :skip` (or `%(skip)s`) becomes `… WHERE id > :after ORDER BY id LIMIT …` (`AND` when there is a WHERE without OR), with the binding `"skip": skip` renamed too. Descending orders, several keys, keys other than `id` (which need a tie breaker, `(created_at, id) > (:after_created_at, :after_id)`) and positional placeholders get no rewrite: they need decisions about ties, the first page and the call’s arguments.',
    ].join('\n\n'),
  },
  check(ctx) {
    for (const off of ctx.facts.offsets) {
      if (off.constant || off.withCursor) continue;
      const related: Related[] = [];
      if (off.source) related.push({ span: off.source.span, message: `the offset comes from \`${off.source.name}\`` });
      const what = off.style === 'sql' ? `\`OFFSET ${shorten(off.valueText)}\`` : off.style === 'property' ? `\`${off.keyword}: ${shorten(off.valueText)}\`` : `\`${off.keyword.replace('()', `(${shorten(off.valueText)})`)}\``;
      ctx.report({
        message: `${what} pages with OFFSET, so each page reads and discards every row before it; page by a key (keyset pagination) instead.`,
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
 * TypeScript/JavaScript: a keyset sketch for Prisma — `skip: f(page)` → a `cursor` on `id` with
 * `skip: 1` past it, the ORDER BY gaining `id` as tie-breaker, and the parameter `page` → `after`
 * (the last `id` the client saw). Offered only when the offset comes from a parameter of the
 * function used nowhere else and the order is one plain key (or none); always unsafe: the API changes.
 */
function typescriptFixes(ctx: RuleContext, off: OffsetFact): Fix[] {
  const syntax = ctx.syntax;
  if (!isTsFixSyntax(syntax) || !off.source) return [];
  if (off.style === 'method' && (off.library === 'knex' || off.library === 'kysely' || off.library === 'typeorm')) return tsKeysetChain(syntax, off);
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
  if (!isPythonSyntax(syntax) || !off.source) return [];
  if (off.style === 'method' && off.library === 'sqlalchemy') return pyKeysetChain(syntax, off);
  if (off.style === 'sql') return pyKeysetSql(syntax, off);
  return [];
}

/** `… ORDER BY id [ASC] LIMIT n OFFSET :skip` at the end of a SQL string. */
const PY_SQL_TAIL = /\bORDER\s+BY\s+((?:\w+\.)?id)(?:\s+ASC)?\s+LIMIT\s+(?::\w+|%\(\w+\)s|\d+)(\s+OFFSET\s+(?::(\w+)|%\((\w+)\)s))\s*$/i;

/**
 * Raw SQL in one plain string literal: `… ORDER BY id LIMIT :limit OFFSET :skip` →
 * `… WHERE id > :after ORDER BY id LIMIT :limit`, the binding `"skip": skip` (or `skip=skip`) →
 * `"after": after`, and the parameter `skip` → `after`. Only on the `id` key (unique, so no tie
 * breaker is needed; other keys need `(created_at, id) > (:after_created_at, :after_id)`, a
 * decision about the API left to a person), with named placeholders.
 */
function pyKeysetSql(syntax: PythonFixSyntax, off: OffsetFact): Fix[] {
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
  if (str?.type !== 'string' || str.children.some((c) => c.type === 'interpolation' || c.type === 'escape_sequence')) return [];
  const contents = str.children.filter((c) => c.type === 'string_content');
  if (contents.length !== 1) return [];
  const content = contents[0];
  const sql = syntax.src(content);
  const m = PY_SQL_TAIL.exec(sql);
  if (!m) return [];
  const offsetAt = content.start + m.index + m[0].indexOf(m[2]);
  if (offsetAt + m[2].search(/OFFSET/i) !== off.span.start) return [];
  const key = m[1];
  const name = m[3] ?? m[4];
  const head = sql.slice(0, m.index);
  if (/\b(GROUP\s+BY|HAVING|UNION|OR)\b|\)\s*$/i.test(head) || name !== off.source!.name) return [];
  const fn = syntax.ancestor(str, 'function_definition');
  const param = syntax.nodeAt(off.source!.span);
  const paramName = param ? syntax.paramName(param) : undefined;
  if (!fn || !paramName || syntax.src(paramName) !== name || pyNameUses(syntax, fn, 'after').length > 0) return [];
  // Where the placeholder is bound: `{"skip": skip}` or `skip=skip`, once, with the parameter itself.
  const bindings: { key: PyNode; value: PyNode }[] = [];
  const stack = [fn];
  while (stack.length) {
    const n = stack.pop()!;
    const k = n.type === 'pair' ? field(n, 'key') : n.type === 'keyword_argument' ? field(n, 'name') : undefined;
    const v = k ? field(n, 'value') : undefined;
    const keyText = k?.type === 'string' ? syntax.src(k).slice(1, -1) : k ? syntax.src(k) : undefined;
    if (k && v && keyText === name) bindings.push({ key: k, value: v });
    stack.push(...n.children);
  }
  const uses = pyNameUses(syntax, field(fn, 'body'), name);
  if (bindings.length !== 1 || bindings[0].value.type !== 'identifier' || syntax.src(bindings[0].value) !== name || uses.length !== 1 || uses[0] !== bindings[0].value) return [];
  const placeholder = m[3] !== undefined ? ':after' : '%(after)s';
  const where = /\bWHERE\b/i.test(head) ? `AND ${key} > ${placeholder} ` : `WHERE ${key} > ${placeholder} `;
  const orderAt = content.start + m.index;
  const quote = bindings[0].key.type === 'string' ? syntax.src(bindings[0].key)[0] : '';
  return [{
    title: `Page by \`${key}\` (keyset): \`OFFSET\` becomes \`${key} > ${placeholder}\` and \`${name}\` becomes \`after\`, the last \`${key}\` the client saw (changes the API)`,
    applicability: 'unsafe',
    edits: [
      { span: { start: paramName.start, end: paramName.end }, newText: 'after' },
      { span: { start: orderAt, end: orderAt }, newText: where },
      { span: { start: offsetAt, end: offsetAt + m[2].length }, newText: '' },
      { span: { start: bindings[0].key.start, end: bindings[0].key.end }, newText: quote ? `${quote}after${quote}` : 'after' },
      { span: { start: bindings[0].value.start, end: bindings[0].value.end }, newText: 'after' },
    ],
  }];
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

/** `M.k` or `M.k.asc()`: the key; anything else (descending, several columns, a string) is not sketched. */
function pyAscendingKey(syntax: PythonFixSyntax, n: PyNode): string | undefined {
  if (n.type === 'attribute') return syntax.src(n);
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const args = field(n, 'arguments')?.children.filter((c) => c.named) ?? [];
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    if (fn?.type === 'attribute' && obj?.type === 'attribute' && args.length === 0 && syntax.src(field(fn, 'attribute') ?? fn) === 'asc') return syntax.src(obj);
  }
  return undefined;
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
