import * as assert from 'assert';
import { analyze, defaultConfig } from '../src/core';
import { ready } from '../src/core/analyze';

/**
 * offset-pagination's message names the index a keyset page needs when its key is not `id`
 * alone. The key is found whether or not fixes are spelled: the editor analyses without fixes
 * and asks for them when the lightbulb opens, and its diagnostics must say what the CLI says.
 */
describe('offset-pagination: index hint in the message', function () {
  before(() => ready());
  let n = 0;
  const messages = (ext: string, text: string, fixes: boolean): string[] =>
    analyze({ file: `index-hint-${n++}.${ext}`, text, config: defaultConfig(), fixes }).findings.filter((f) => f.rule === 'offset-pagination').map((f) => f.message);

  const cases: Array<{ name: string; ext: string; text: string; index?: string }> = [
    {
      name: 'pg, ORDER BY created_at DESC',
      ext: 'ts',
      text: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(req: { offset: number }) {\n  return pool.query('SELECT * FROM orders ORDER BY created_at DESC LIMIT 20 OFFSET $1', [req.offset]);\n}\n`,
      index: '(created_at, id)',
    },
    {
      name: 'Prisma orderBy createdAt',
      ext: 'ts',
      text: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function list(page: number) {\n  return prisma.post.findMany({ orderBy: { createdAt: 'desc' }, skip: page * 20, take: 20 });\n}\n`,
      index: '(createdAt, id)',
    },
    {
      name: 'pg, ORDER BY id',
      ext: 'ts',
      text: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(offset: number) {\n  return pool.query('SELECT * FROM orders ORDER BY id LIMIT 20 OFFSET $1', [offset]);\n}\n`,
    },
    {
      name: 'asyncpg, ORDER BY name, id',
      ext: 'py',
      text: `import asyncpg\n\n\nasync def products(pool: asyncpg.Pool, offset: int):\n    return await pool.fetch("SELECT * FROM products ORDER BY name, id LIMIT 50 OFFSET $1", offset)\n`,
      index: '(name, id)',
    },
    {
      name: 'SQLAlchemy .order_by(Post.created_at.desc())',
      ext: 'py',
      text: `from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\nasync def posts(db: AsyncSession, skip: int = 0, limit: int = 20):\n    return (await db.scalars(select(Post).order_by(Post.created_at.desc()).offset(skip).limit(limit))).all()\n`,
      index: '(created_at, id)',
    },
    {
      name: 'SQLAlchemy .order_by(desc(Post.published_at))',
      ext: 'py',
      text: `from sqlalchemy import desc, select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\nasync def posts(db: AsyncSession, skip: int = 0):\n    return (await db.scalars(select(Post).order_by(desc(Post.published_at)).offset(skip).limit(20))).all()\n`,
      index: '(published_at, id)',
    },
    {
      name: 'SQLAlchemy .order_by(Post.id)',
      ext: 'py',
      text: `from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\nasync def posts(db: AsyncSession, skip: int = 0):\n    return (await db.scalars(select(Post).order_by(Post.id).offset(skip).limit(20))).all()\n`,
    },
    {
      name: 'Knex .orderBy(\'created_at\', \'desc\')',
      ext: 'ts',
      text: `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function list(offset: number) {\n  return db('orders').orderBy('created_at', 'desc').limit(20).offset(offset);\n}\n`,
      index: '(created_at, id)',
    },
    {
      name: 'an ORDER BY expression (no key to index)',
      ext: 'py',
      text: `import asyncpg\n\n\nasync def users(pool: asyncpg.Pool, offset: int):\n    return await pool.fetch("SELECT * FROM users ORDER BY lower(email) LIMIT 50 OFFSET $1", offset)\n`,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.index ? `names ${c.index}` : 'names no index'}, with and without fixes`, () => {
      const withFixes = messages(c.ext, c.text, true);
      const without = messages(c.ext, c.text, false);
      assert.strictEqual(withFixes.length, 1, 'one finding');
      assert.deepStrictEqual(without, withFixes, 'the message does not depend on spelling fixes');
      if (c.index) assert.ok(withFixes[0].includes(`with an index on \`${c.index}\``), withFixes[0]);
      else assert.ok(!withFixes[0].includes('index'), withFixes[0]);
    });
  }
});
