import * as assert from 'assert';
import * as fc from 'fast-check';
import * as path from 'path';
import { analyze, defaultConfig, ready } from '../src/core';
import { usePythonIncrementalParsing } from '../src/frontends/python/parser';
import { useIncrementalParsing } from '../src/frontends/typescript/parse';
import type { AnalyzeResult, Span } from '../src/core';

/**
 * Robustness: every front-end must survive whatever an editor hands it mid-keystroke — random text,
 * half-typed code, unbalanced brackets, minified bundles and absurd nesting. `analyze` already turns
 * a thrown error into an "internal error" note, so "does not throw" alone would prove nothing: these
 * tests also fail when such a note appears (a front-end or rule crashed, or the stack overflowed),
 * and check that every reported span lies inside the text. A clear note that the file was skipped
 * (e.g. too deeply nested) is an acceptable outcome; a crash is not.
 *
 * Python may not be available (its wasm parser not loaded): `analyze` then returns a note, which
 * passes. No timing assertions: mocha's timeout is the only bound on "returns within reason".
 */

// ---------------------------------------------------------------------------------------------
// Realistic ~40-line backend snippets, one language front-end each (two for TypeScript and Python).

const TS_PRISMA = `import { PrismaClient } from '@prisma/client';
import * as fs from 'fs';
import type { Request, Response } from 'express';

const prisma = new PrismaClient();

export async function listOrders(req: Request, res: Response) {
  const page = Number(req.query.page ?? 1);
  const orders = await prisma.order.findMany({
    where: { status: 'OPEN' },
    skip: (page - 1) * 50,
    take: 50,
    orderBy: { createdAt: 'desc' },
  });
  const result = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    result.push({ ...order, customer });
  }
  const template = fs.readFileSync(\`\${__dirname}/templates/orders.html\`, 'utf8');
  res.json({ orders: result, template, page });
}

export async function dashboard(userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  const stats = await prisma.order.aggregate({ _sum: { total: true }, where: { userId } });
  const recent = await prisma.order.findMany({ where: { userId }, take: 5 });
  return { user, stats, recent };
}

export const totals = async (ids: string[]): Promise<number[]> =>
  Promise.all(ids.map(async (id) => {
    const rows = await prisma.$queryRaw<{ total: number }[]>\`SELECT total FROM orders WHERE id = \${id} OFFSET \${ids.length}\`;
    return rows[0]?.total ?? 0;
  }));
`;

const TS_PG = `import { Pool, PoolClient } from 'pg';
import { execSync } from 'child_process';
import { Injectable } from '@nestjs/common';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const SLUG = /^[a-z0-9-]+$/i;

@Injectable()
export class ReportService {
  constructor(private readonly tenant: string) {}

  async build(ids: number[], offset = 0): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    let i = 0;
    while (i < ids.length) {
      const { rows } = await pool.query('SELECT name FROM items WHERE owner = $1 LIMIT 20 OFFSET $2', [ids[i], offset]);
      out.set(ids[i], rows.map((r: { name: string }) => r.name));
      i++;
    }
    return out;
  }

  async transfer(from: number, to: number, amount: number): Promise<void> {
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
      await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  async version(): Promise<string> {
    if (!SLUG.test(this.tenant)) throw new Error(\`bad tenant \${this.tenant}\`);
    return execSync('git rev-parse HEAD').toString().trim();
  }
}
`;

const TSX_PAGE = `import { db } from '@/lib/db';
import { readFileSync } from 'node:fs';
import type { ReactNode } from 'react';

type Props = { params: { page?: string }; children?: ReactNode };

export default async function TeamsPage({ params }: Props) {
  const page = Number(params.page ?? '1');
  const teams = await db.team.findMany({ skip: (page - 1) * 20, take: 20 });
  const banner = readFileSync('./banner.txt', 'utf8');
  const withMembers = await Promise.all(
    teams.map(async (team) => ({
      ...team,
      members: await db.member.findMany({ where: { teamId: team.id } }),
    })),
  );
  return (
    <main className="teams">
      <h1>{banner}</h1>
      {withMembers.map((t) => (
        <section key={t.id} data-count={t.members.length}>
          <h2>{t.name}</h2>
          <ul>
            {t.members.map((m) => <li key={m.id}>{m.email ?? <em>no email</em>}</li>)}
          </ul>
        </section>
      ))}
      <footer>{\`Page \${page}\`} &middot; <a href={\`?page=\${page + 1}\`}>next</a></footer>
    </main>
  );
}

export async function Sidebar({ userId }: { userId: string }) {
  const user = await db.user.findUnique({ where: { id: userId } });
  const notes = await db.note.findMany({ where: { authorId: userId } });
  return <aside>{user?.name}: {notes.length} notes</aside>;
}
`;

const JS_EXPRESS = `'use strict';
const express = require('express');
const fs = require('fs');
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });
const { User } = require('./models');

const router = express.Router();

router.get('/users', async (req, res, next) => {
  try {
    const offset = parseInt(req.query.offset, 10) || 0;
    const users = await knex('users').select('*').orderBy('id').limit(25).offset(offset);
    for (let i = 0; i < users.length; i++) {
      users[i].posts = await knex('posts').where({ user_id: users[i].id });
    }
    res.json(users);
  } catch (err) {
    next(err);
  }
});

router.get('/config', (req, res) => {
  const raw = fs.readFileSync(__dirname + '/config.json', 'utf8');
  res.type('json').send(raw);
});

router.post('/import', async function (req, res) {
  const lines = req.body.csv.split(/\\r?\\n/).filter(Boolean);
  lines.forEach(async (line) => {
    const [email, name] = line.split(',');
    await User.updateOne({ email }, { $set: { name } }, { upsert: true });
  });
  const count = await User.countDocuments({});
  const latest = await User.find({}).sort({ _id: -1 }).skip(Number(req.query.skip)).limit(10);
  res.status(201).json({ count, latest });
});

module.exports = router;
`;

const PY_FASTAPI = `import time
import requests
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session
from .models import Order, Customer

router = APIRouter()


@router.get("/orders")
async def list_orders(page: int = 1, session: AsyncSession = Depends(get_session)):
    stmt = select(Order).order_by(Order.id).offset((page - 1) * 50).limit(50)
    orders = (await session.execute(stmt)).scalars().all()
    result = []
    for order in orders:
        customer = await session.get(Customer, order.customer_id)
        result.append({"id": order.id, "customer": customer.name if customer else None})
    rates = requests.get("https://api.example.com/rates", timeout=5).json()
    time.sleep(0.1)
    return {"orders": result, "rates": rates, "page": page}


@router.get("/report")
def report():
    with open("/tmp/report.txt") as fh:
        return {"report": fh.read()}


async def totals(session: AsyncSession, ids: list[int]) -> dict[int, float]:
    rows = [await session.scalar(select(Order.total).where(Order.id == i)) for i in ids]
    return {i: float(r or 0) for i, r in zip(ids, rows)}


async def dashboard(pool, user_id: int):
    user = await pool.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
    count = await pool.fetchval("SELECT count(*) FROM orders WHERE user_id = $1", user_id)
    return {"user": dict(user), "count": count, "label": f"{user_id!r:>{10}}"}
`;

const PY_IMPORTER = `import asyncio
import subprocess
from pathlib import Path

import asyncpg
import psycopg2
from django.http import JsonResponse

from shop.models import Product


class Importer:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.sync = psycopg2.connect(dsn)

    async def run(self, paths: list[Path]) -> int:
        pool = await asyncpg.create_pool(self.dsn)
        total = 0
        async with pool.acquire() as conn:
            for path in paths:
                data = path.read_text()
                if (n := len(data)) > 0:
                    await conn.execute("""
                        INSERT INTO imports (path, size)
                        VALUES ($1, $2)
                    """, str(path), n)
                    total += n
        return total

    async def version(self) -> str:
        match self.dsn.split(":", 1):
            case ["postgres", _]:
                return subprocess.check_output(["psql", "--version"]).decode()
            case _:
                return "unknown"


async def products(request):
    page = int(request.GET.get("page", 1))
    items = [p async for p in Product.objects.all()[(page - 1) * 20 : page * 20]]
    prices = await asyncio.gather(*[fetch_price(p.sku) for p in items])
    return JsonResponse({"items": [p.name for p in items], "prices": prices})


async def fetch_price(sku: str) -> float:
    await asyncio.sleep(0)
    row = await Product.objects.filter(sku=sku).afirst()
    return row.price if row else 0.0
`;

interface FrontEnd {
  /** File name passed to `analyze`; its extension selects the front-end. */
  file: string;
  snippets: string[];
  /** Fragments that open or close something (brackets, strings, comments, templates). */
  unbalanced: string[];
  /** Tokens worth inserting at random: keywords and punctuation this language's parser cares about. */
  tokens: string[];
  /** Minimised inputs on which the properties below once found a crash; kept as fixed cases. */
  regressions?: string[];
}

/** A `do` statement swallowing an arrow function (error recovery) once left function ids dangling. */
const C_LIKE_REGRESSIONS = ['do{async()=>knex(', "do'',=>await knex(", 'do=>prisma.$queryRaw<>`'];

const C_LIKE_UNBALANCED = ['{', '}', '(', ')', '[', ']', '`', '${', '`${', '}`', "'", '"', '/*', '*/', '//', '/', '<', '>', '</', '=>', '?.', '...', '\\'];
const C_LIKE_TOKENS = [
  'await ', 'async ', 'for (', 'for await (', ' of ', ' in ', 'while (', 'do {', 'function ', 'class ', 'return ', 'yield ',
  'const ', 'let ', 'import ', 'export ', 'from ', 'new ', '=>', ';', ',', '.', ':', '?', '!', '=', '@', '#', '\n', ' ',
  'prisma.user.findMany(', 'pool.query(', 'fs.readFileSync(', 'skip: ', '.offset(', 'Promise.all(', '.map(async (x) => ',
  '\u2028', '\ud800', '\ufeff', '\0',
];
const JSX_TOKENS = ['<div>', '</div>', '<>', '</>', '<a href={', '/>', '{', '}', '&amp;', '<T,>(x: T) => x'];

const PY_UNBALANCED = ['(', ')', '[', ']', '{', '}', "'", '"', '"""', "'''", 'f"{', 'f"{x!r:{', '}"', '\\', '#', ':', '\n    ', '\n\t', '\n'];
const PY_TOKENS = [
  'async ', 'await ', 'def ', 'class ', 'for ', ' in ', 'async for ', 'async with ', 'with ', 'while ', 'if ', 'elif ', 'else:',
  'lambda: ', 'return ', 'yield ', 'match ', 'case ', ':=', '@', 'import ', 'from ', ', ', '.', ':', '*', '**', '->', '\n', '    ',
  '\t', 'session.execute(', 'time.sleep(', 'requests.get(', '.offset(', 'asyncio.gather(*[', '\ud800', '\ufeff', '\0', '\r',
];

const FRONT_ENDS: FrontEnd[] = [
  { file: 'src/service.ts', snippets: [TS_PRISMA, TS_PG], unbalanced: C_LIKE_UNBALANCED, tokens: C_LIKE_TOKENS, regressions: C_LIKE_REGRESSIONS },
  { file: 'app/page.tsx', snippets: [TSX_PAGE], unbalanced: [...C_LIKE_UNBALANCED, '<div', '<div>', '</div>', '{/*'], tokens: [...C_LIKE_TOKENS, ...JSX_TOKENS], regressions: C_LIKE_REGRESSIONS },
  { file: 'routes/users.js', snippets: [JS_EXPRESS], unbalanced: C_LIKE_UNBALANCED, tokens: C_LIKE_TOKENS, regressions: C_LIKE_REGRESSIONS },
  { file: 'app/api.py', snippets: [PY_FASTAPI, PY_IMPORTER], unbalanced: PY_UNBALANCED, tokens: PY_TOKENS },
];

// ---------------------------------------------------------------------------------------------
// The property every input must satisfy.

/** Notes that mean something crashed rather than that the file was deliberately skipped. */
const CRASH_NOTE = /internal error|call stack|stack overflow|too much recursion/i;

function preview(text: string): string {
  const head = JSON.stringify(text.slice(0, 120));
  return text.length > 120 ? `${head}… (${text.length} chars)` : head;
}

function assertSpan(span: Span, length: number, what: string, text: string): void {
  assert.ok(
    Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length,
    `${what} span [${span.start}, ${span.end}) lies outside the text (length ${length}) for ${preview(text)}`,
  );
}

/** Runs `analyze` and checks that it neither threw nor crashed inside, and that its spans are sane. */
function analyzeSafely(file: string, text: string): AnalyzeResult {
  let result: AnalyzeResult;
  try {
    result = analyze({ file, text });
  } catch (err) {
    assert.fail(`\`analyze\` threw on ${preview(text)}: ${err instanceof Error ? err.stack : String(err)}`);
  }
  assert.ok(Array.isArray(result.findings) && Array.isArray(result.notes), `\`analyze\` returned no findings/notes arrays for ${preview(text)}`);
  const crashes = result.notes.filter((n) => CRASH_NOTE.test(n));
  assert.deepStrictEqual(crashes, [], `analysis crashed internally on ${preview(text)}`);
  for (const f of result.findings) {
    assertSpan(f.span, text.length, `finding ${f.rule}`, text);
    for (const r of f.related) if (r.file === undefined) assertSpan(r.span, text.length, `related span of ${f.rule}`, text);
    for (const fix of f.fixes) for (const e of fix.edits) assertSpan(e.span, text.length, `fix edit of ${f.rule}`, text);
  }
  return result;
}

/**
 * For inputs that contain an unmistakable N+1: the analysis either found it or said why it could not
 * look (a note). Silently returning nothing would hide a real bug from the user.
 */
function assertFoundOrExplained(result: AnalyzeResult, rule: string, what: string): void {
  assert.ok(
    result.findings.some((f) => f.rule === rule) || result.notes.length > 0,
    `${what}: no \`${rule}\` finding and no note explaining why the file was not analysed`,
  );
}

// ---------------------------------------------------------------------------------------------
// Generators.

type Mutation =
  | { op: 'delete-char' | 'duplicate-char' | 'delete-token' | 'duplicate-token' | 'swap-tokens'; at: number }
  | { op: 'insert-char'; at: number; char: string }
  | { op: 'insert-token'; at: number; token: string };

function mutationArb(fe: FrontEnd): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constantFrom('delete-char', 'duplicate-char', 'delete-token', 'duplicate-token', 'swap-tokens'), at }) as fc.Arbitrary<Mutation>,
    fc.record({ op: fc.constant('insert-char' as const), at, char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }),
    fc.record({ op: fc.constant('insert-token' as const), at, token: fc.constantFrom(...fe.tokens, ...fe.unbalanced) }),
  );
}

/** Identifiers, numbers, runs of white space, or single other characters. */
function tokenize(text: string): string[] {
  return text.match(/[A-Za-z_$][\w$]*|\d+|\s+|[^\w\s$]/gu) ?? [];
}

function mutate(text: string, m: Mutation): string {
  if (m.op.endsWith('-char') || m.op === 'insert-char') {
    const i = text.length === 0 ? 0 : m.at % (text.length + 1);
    switch (m.op) {
      case 'delete-char':
        return text.slice(0, i) + text.slice(i + 1);
      case 'duplicate-char':
        return text.slice(0, i) + text.slice(i, i + 1) + text.slice(i);
      case 'insert-char':
        return text.slice(0, i) + m.char + text.slice(i);
    }
  }
  const tokens = tokenize(text);
  const i = tokens.length === 0 ? 0 : m.at % (tokens.length + 1);
  switch (m.op) {
    case 'delete-token':
      tokens.splice(i, 1);
      break;
    case 'duplicate-token':
      if (i < tokens.length) tokens.splice(i, 0, tokens[i]);
      break;
    case 'swap-tokens':
      if (i + 1 < tokens.length) [tokens[i], tokens[i + 1]] = [tokens[i + 1], tokens[i]];
      break;
    case 'insert-token':
      tokens.splice(i, 0, m.token);
      break;
  }
  return tokens.join('');
}

/** Random noise drawn from the characters and tokens source code is made of. */
function codeNoiseArb(fe: FrontEnd): fc.Arbitrary<string> {
  const pieces = [...fe.tokens, ...fe.unbalanced, 'x', 'db', 'users', '0', '1', ' ', '\n', '    '];
  return fc.array(fc.constantFrom(...pieces), { maxLength: 120 }).map((xs) => xs.join(''));
}

// ---------------------------------------------------------------------------------------------
// Large and deep inputs.

const DEPTH = 10_000;
/** Runs per property and front-end; keeps the whole file around 20 s on a 2-core machine. */
const RUNS = 100;

/** About 1 MB of minified JavaScript on one line: many functions with loops, awaits and queries. */
function minifiedBundle(targetBytes: number): string {
  const parts: string[] = ['"use strict";var fs=require("fs"),{Pool:P}=require("pg"),pool=new P;'];
  let size = parts[0].length;
  for (let i = 0; size < targetBytes; i++) {
    const variants = [
      `async function f${i}(e,t){const r=[];for(const n of e){const o=await pool.query("SELECT * FROM t${i} WHERE id=$1",[n.id]);r.push(o.rows[0])}return r}`,
      `var g${i}=function(e){return e.map(function(t,n){return t*n+${i}}).filter(Boolean).reduce((a,b)=>a+b,0)}`,
      `const h${i}=async(e)=>{const t=await pool.query(\`SELECT * FROM u LIMIT 10 OFFSET \${e.page*10}\`);return fs.readFileSync("/tmp/${i}","utf8")+t.rowCount}`,
      `class C${i}{constructor(e){this.e=e}async m(t){let n=0;for(;n<t.length;n++)await pool.query("UPDATE x SET a=$1",[t[n]]);return/a${i}[/]b/g.test(t)?1:0}}`,
      `!function(e){"object"==typeof exports?module.exports=e():window.m${i}=e()}(function(){return{a:${i},b:[1,2,3],c:{d:"\\u00e9\\n"}}})`,
    ];
    const part = variants[i % variants.length] + ';';
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

interface DeepCase {
  name: string;
  text: string;
  /** The case holds an N+1 that must be reported, or the file's skipping explained in a note. */
  nPlusOne?: boolean;
}

/**
 * `.ts` gets every shape; `.tsx` and `.js` share its walker and differ only in how the parser reads
 * `<` and types, so they get the nested loop with an await (and `.tsx` nested JSX). A file this deep
 * is re-analysed on a fresh big-stack worker thread, which costs a second or more, so shapes share
 * files: the suite stays near its time budget only with few of them. The loop has a file of its own
 * because its N+1 must be found.
 */
function cLikeDeepCases(variant: 'ts' | 'tsx' | 'js'): DeepCase[] {
  const n = DEPTH;
  const js = variant === 'js';
  const pgImport = js ? `const { Pool } = require('pg');\n` : `import { Pool } from 'pg';\n`;
  const loop: DeepCase = {
    name: `${n} nested for loops containing an await`,
    text:
      `${pgImport}const pool = new Pool();\n` +
      `export async function handler(xs${js ? '' : ': number[][]'}) {\n` +
      `${Array.from({ length: n }, (_, i) => `for (const x${i} of ${i === 0 ? 'xs' : `x${i - 1}`}) {`).join('\n')}\n` +
      `await pool.query('SELECT * FROM items WHERE id = $1', [x${n - 1}]);\n` +
      `${'}\n'.repeat(n)}}\n`,
    nPlusOne: true,
  };
  if (variant === 'js') return [loop];
  if (variant === 'tsx') return [loop, { name: `${n} nested JSX elements`, text: `export const el = ${'<div>'.repeat(n)}x${'</div>'.repeat(n)};\n` }];
  const cases: DeepCase[] = [
    loop,
    {
      name: `${n} nested blocks, arrow functions, array literals and parenthesised expressions`,
      text: [
        `function f() {${'{'.repeat(n)}x();${'}'.repeat(n)}}`,
        `export const f2 = ${'() => '.repeat(n)}1;`,
        `export const a = ${'['.repeat(n)}1${']'.repeat(n)};`,
        `export const p = ${'('.repeat(n)}1${')'.repeat(n)};`,
      ].join('\n') + '\n',
    },
  ];
  // Other recursive shapes, sharing files for the same reason.
  const shapes = [
    `export const f = ${'async () => '.repeat(n)}await x;`,
    `export const o = ${'{ a: '.repeat(n)}1${' }'.repeat(n)};`,
    `export const c = ${'f('.repeat(n)}1${')'.repeat(n)};`,
    `export const t = ${'`${'.repeat(n)}1${'}`'.repeat(n)};`,
    `function g(a) { if (a === 0) g();${Array.from({ length: n }, (_, i) => ` else if (a === ${i + 1}) g();`).join('')} }`,
    `export const q = db${'.where(x)'.repeat(n)};`,
    `export const s = ${Array.from({ length: n }, () => "'a'").join(' + ')};`,
  ];
  cases.push(
    {
      name: `${n}-deep async arrows, objects, calls, templates, else-if chain, method chain and concatenation`,
      text: shapes.join('\n') + '\n',
    },
    { name: `${n} unclosed blocks, parentheses and template literals`, text: `function f() ${'{'.repeat(n / 2)} const p = ${'('.repeat(n / 4)} ${'`${'.repeat(n / 4)}\n` },
  );
  return cases;
}

function pythonDeepCases(): DeepCase[] {
  const n = DEPTH;
  // Indented blocks cost O(depth²) characters; 1,000 levels is already ten times CPython's own limit.
  // Only the shapes the TS/JS front-end is checked with: each 10,000-deep Python file costs seconds.
  const blocks = 1_000;
  return [
    { name: `${n} nested parenthesised expressions`, text: `p = ${'('.repeat(n)}1${')'.repeat(n)}\n` },
    { name: `${n} nested list literals`, text: `a = ${'['.repeat(n)}1${']'.repeat(n)}\n` },
    { name: `${n} nested lambdas`, text: `f = ${'lambda: '.repeat(n)}1\n` },
    { name: `${n} unclosed parentheses`, text: `p = ${'('.repeat(n)}\n` },
    { name: `${blocks} nested if blocks`, text: Array.from({ length: blocks }, (_, i) => `${' '.repeat(i)}if x:`).join('\n') + `\n${' '.repeat(blocks)}pass\n` },
    {
      name: `${blocks} nested for loops containing an await`,
      text:
        `from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n` +
        `async def handler(session: AsyncSession, xs):\n` +
        Array.from({ length: blocks }, (_, i) => `${' '.repeat(i + 1)}for x${i} in ${i === 0 ? 'xs' : `x${i - 1}`}:`).join('\n') +
        `\n${' '.repeat(blocks + 1)}await session.execute(select(User).where(User.id == x${blocks - 1}))\n`,
      nPlusOne: true,
    },
  ];
}

// ---------------------------------------------------------------------------------------------

describe('robustness', function () {
  before(async () => {
    await ready();
  });

  for (const fe of FRONT_ENDS) {
    describe(`front-end for ${fe.file.replace(/^.*\./, '.')}`, () => {
      it('survives arbitrary strings', () => {
        fc.assert(
          fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), codeNoiseArb(fe)), (text) => {
            analyzeSafely(fe.file, text);
          }),
          { numRuns: RUNS },
        );
      });

      it('survives the snippets truncated at every line and at random points', () => {
        // Every line start and every mid-line point deterministically, then random cut points.
        for (const snippet of fe.snippets) {
          const starts = [0, ...[...snippet.matchAll(/\n/g)].map((m) => m.index + 1)];
          for (let i = 0; i < starts.length; i++) {
            const end = starts[i + 1] ?? snippet.length;
            for (const cut of [starts[i], (starts[i] + end) >> 1]) {
              if (cut >= 0 && cut <= snippet.length) analyzeSafely(fe.file, snippet.slice(0, cut));
            }
          }
        }
        const arb = fc.constantFrom(...fe.snippets).chain((s) => fc.nat({ max: s.length }).map((end) => s.slice(0, end)));
        fc.assert(fc.property(arb, (text) => void analyzeSafely(fe.file, text)), { numRuns: RUNS });
      });

      it('survives random slices of the snippets', () => {
        const arb = fc.constantFrom(...fe.snippets).chain((s) =>
          fc.tuple(fc.nat({ max: s.length }), fc.nat({ max: s.length })).map(([a, b]) => s.slice(Math.min(a, b), Math.max(a, b))),
        );
        fc.assert(fc.property(arb, (text) => void analyzeSafely(fe.file, text)), { numRuns: RUNS });
      });

      it('survives random mutations of the snippets', () => {
        const arb = fc.tuple(fc.constantFrom(...fe.snippets), fc.array(mutationArb(fe), { minLength: 1, maxLength: 12 }));
        fc.assert(
          fc.property(arb, ([snippet, mutations]) => {
            analyzeSafely(fe.file, mutations.reduce(mutate, snippet));
          }),
          { numRuns: RUNS },
        );
      });

      {
        // The editor's path: incremental parsing, and facts taken over from the file's last text.
        const editorMode = fe.file.endsWith('.py') ? usePythonIncrementalParsing : useIncrementalParsing;
        it('survives a chain of mutations typed in the editor, agreeing with a whole analysis each time', () => {
          const arb = fc.tuple(fc.constantFrom(...fe.snippets), fc.array(mutationArb(fe), { minLength: 1, maxLength: 12 }));
          const config = defaultConfig();
          let chain = 0;
          fc.assert(
            fc.property(arb, ([snippet, mutations]) => {
              // A file per chain: the editor takes facts over from the file's previous text.
              const file = `app/typed-${chain++}${path.extname(fe.file)}`;
              let text = snippet;
              for (const m of [undefined, ...mutations]) {
                if (m) text = mutate(text, m);
                editorMode(true);
                let editor: AnalyzeResult;
                try {
                  editor = analyze({ file, text, config, fixes: false });
                } catch (err) {
                  assert.fail(`the editor's \`analyze\` threw on ${preview(text)}: ${err instanceof Error ? err.stack : String(err)}`);
                } finally {
                  editorMode(false);
                }
                assert.deepStrictEqual(editor.notes.filter((n) => CRASH_NOTE.test(n)), [], `the editor's analysis crashed internally on ${preview(text)}`);
                const whole = analyze({ file, text, config, fixes: false });
                assert.deepStrictEqual(JSON.parse(JSON.stringify(editor)), JSON.parse(JSON.stringify(whole)), `the editor's analysis differs from a whole one on ${preview(text)}`);
              }
            }),
            { numRuns: RUNS },
          );
        });
      }

      it('survives unbalanced brackets, quotes and template literals', () => {
        const alone = fc.array(fc.constantFrom(...fe.unbalanced), { minLength: 1, maxLength: 60 }).map((xs) => xs.join(''));
        const inserted = fc
          .tuple(fc.constantFrom(...fe.snippets), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...fe.unbalanced)), { minLength: 1, maxLength: 8 }))
          .map(([s, ins]) => ins.reduce((t, [at, frag]) => ((i) => t.slice(0, i) + frag + t.slice(i))(at % (t.length + 1)), s));
        fc.assert(fc.property(fc.oneof(alone, inserted), (text) => void analyzeSafely(fe.file, text)), { numRuns: RUNS });
      });

      const regressions = fe.regressions ?? [];
      if (regressions.length) {
        it('survives inputs that crashed it before', () => {
          for (const text of regressions) analyzeSafely(fe.file, text);
        });
      }

      it('survives each snippet repeated into one large file', () => {
        // Duplicate declarations, imports in the middle: valid-looking but semantically odd input.
        analyzeSafely(fe.file, fe.snippets.join('\n').repeat(20));
      });

      const ext = fe.file.slice(fe.file.lastIndexOf('.') + 1);
      const deep = ext === 'py' ? pythonDeepCases() : cLikeDeepCases(ext as 'ts' | 'tsx' | 'js');
      for (const c of deep) {
        it(`survives ${c.name} without overflowing the stack`, () => {
          const result = analyzeSafely(fe.file, c.text);
          if (c.nPlusOne) assertFoundOrExplained(result, 'n-plus-one-query', c.name);
        });
      }
    });
  }

  it('survives a 1 MB minified JavaScript bundle on one line', () => {
    const text = minifiedBundle(1_000_000);
    assert.ok(text.length >= 1_000_000 && !text.includes('\n'));
    const result = analyzeSafely('dist/bundle.min.js', text);
    assertFoundOrExplained(result, 'n-plus-one-query', 'minified bundle');
  });
});
