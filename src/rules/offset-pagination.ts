import { defineRule } from '../core/rule';
import type { RuleContext } from '../core/rule';
import type { Fix } from '../core/finding';
import type { OffsetFact } from '../core/model';
import type { Related } from '../core/finding';

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
    fixSafety:
      'Keyset pagination changes the API — clients pass the last key they saw instead of a page number — so the rewrite is always unsafe. Add an index on the ORDER BY key when it is not the primary key.',
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
  return ctx.facts.language === 'python' ? pythonFixes(ctx, off) : typescriptFixes(ctx, off);
}

/** TypeScript/JavaScript: keyset paging sketch (Prisma `cursor`, `where(id > after)`, SQL row comparison). */
function typescriptFixes(_ctx: RuleContext, _off: OffsetFact): Fix[] {
  return [];
}

/** Python: keyset paging sketch (`where(M.id > after)` + `order_by` + `limit`). */
function pythonFixes(_ctx: RuleContext, _off: OffsetFact): Fix[] {
  return [];
}
