#!/usr/bin/env node
'use strict';
/**
 * What perflens, ESLint's `no-await-in-loop`, eslint-plugin-n's `n/no-sync` and Ruff's `ASYNC` rules
 * report on the same small examples — measured by running each tool, not claimed. Prints a
 * Markdown table and, with `--write`, puts it into README.md between `<!-- comparison:start -->` and
 * `<!-- comparison:end -->`.
 *
 *   npm run build && node bench/compare.js [--write]
 *
 * Each cell lists the lines the tool reported in that example (`—`: none). The "should report"
 * column is what the example is about: the line a reviewer would want flagged, or nothing.
 * ESLint runs with `@typescript-eslint/parser` and default rule options; Ruff is its WebAssembly
 * build (`@astral-sh/ruff-wasm-nodejs`) with `select = ["ASYNC"]`.
 */

const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

// ── Examples ────────────────────────────────────────────────────────────────────────────────────
// `should`: the lines that ought to be reported (1-based), empty when nothing should be.

const TS_HEAD = "import { PrismaClient } from '@prisma/client';\nimport fs from 'fs';\nconst prisma = new PrismaClient();\n";

const examples = [
  {
    name: 'query per element in a `for … of` loop',
    lang: 'ts',
    code: `${TS_HEAD}export async function withAuthors(posts: { authorId: string }[]) {
  for (const p of posts) {
    (p as any).author = await prisma.user.findUnique({ where: { id: p.authorId } });
  }
}
`,
    should: [6],
  },
  {
    name: 'query per element in `Promise.all(xs.map(…))`',
    lang: 'ts',
    code: `${TS_HEAD}export async function withAuthors(posts: { authorId: string }[]) {
  return Promise.all(posts.map((p) => prisma.user.findFirst({ where: { id: p.authorId } })));
}
`,
    should: [5],
  },
  {
    name: 'keyset pagination loop (each page needs the previous one)',
    lang: 'ts',
    code: `${TS_HEAD}export async function exportAll(send: (rows: unknown[]) => void) {
  let after = '';
  for (;;) {
    const rows = await prisma.order.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: 500 });
    if (rows.length === 0) break;
    send(rows);
    after = rows[rows.length - 1].id;
  }
}
`,
    should: [],
  },
  {
    name: 'retry loop with a delay',
    lang: 'ts',
    code: `${TS_HEAD}export async function ping(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(url);
    if (res.ok) return res;
    await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
  }
  throw new Error('down');
}
`,
    should: [],
  },
  {
    name: '`fs.readFileSync` in an async function',
    lang: 'ts',
    code: `${TS_HEAD}export async function render(name: string) {
  const template = fs.readFileSync(\`views/\${name}.html\`, 'utf8');
  return template;
}
`,
    should: [5],
  },
  {
    name: '`fs.readFileSync` at start-up (module top level)',
    lang: 'ts',
    code: `${TS_HEAD}const config = JSON.parse(fs.readFileSync('config.json', 'utf8'));
export const port = config.port;
`,
    should: [],
  },
  {
    name: 'sync helper that reads a file, called from an async function',
    lang: 'ts',
    code: `${TS_HEAD}function loadTemplate(name: string) {
  return fs.readFileSync(\`views/\${name}.html\`, 'utf8');
}
export async function render(name: string) {
  return loadTemplate(name);
}
`,
    should: [8],
  },
  {
    name: 'three independent awaits in a row',
    lang: 'ts',
    code: `${TS_HEAD}export async function dashboard(userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  const orders = await prisma.order.count();
  const invoices = await prisma.invoice.findMany({ where: { status: 'open' } });
  return { user, orders, invoices };
}
`,
    should: [5],
  },
  {
    name: 'OFFSET pagination from a request parameter',
    lang: 'ts',
    code: `${TS_HEAD}export async function page(skip: number) {
  return prisma.order.findMany({ orderBy: { id: 'asc' }, skip, take: 50 });
}
`,
    should: [5],
  },
  {
    name: '`time.sleep` in `async def`',
    lang: 'py',
    code: `import time


async def poll():
    time.sleep(1)
`,
    should: [5],
  },
  {
    name: '`requests.get` in `async def`',
    lang: 'py',
    code: `import requests


async def fetch_rate():
    return requests.get("https://example.com/rate").json()
`,
    should: [5],
  },
  {
    name: '`open()` in `async def`',
    lang: 'py',
    code: `async def load_template(name):
    with open(f"views/{name}.html") as f:
        return f.read()
`,
    should: [2],
  },
  {
    name: 'sync helper that sleeps, called from `async def`',
    lang: 'py',
    code: `import time


def backoff():
    time.sleep(0.5)


async def retry():
    backoff()
`,
    should: [9],
  },
  {
    name: '`time.sleep` in a FastAPI `def` route (runs in a thread pool)',
    lang: 'py',
    code: `import time
from fastapi import APIRouter

router = APIRouter()


@router.get("/slow")
def slow():
    time.sleep(1)
    return {}
`,
    should: [],
  },
  {
    name: 'query per element with an `AsyncSession`',
    lang: 'py',
    code: `from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def with_authors(session: AsyncSession, posts):
    for post in posts:
        post.author = await session.scalar(select(User).where(User.id == post.author_id))
`,
    should: [7],
  },
  {
    name: 'two independent HTTP requests awaited in a row',
    lang: 'py',
    code: `import httpx


async def dashboard(client: httpx.AsyncClient):
    user = await client.get("https://api.example.com/user")
    stats = await client.get("https://api.example.com/stats")
    return user, stats
`,
    should: [5],
  },
  {
    // Ruff's ASYNC110 is about this shape; perflens has no rule for it (a polling loop is not slow per se).
    name: 'polling a flag with `asyncio.sleep` in a `while` loop',
    lang: 'py',
    code: `import asyncio


async def wait_for(job):
    while not job.done:
        await asyncio.sleep(1)
`,
    should: [5],
  },
];

// ── Tools ───────────────────────────────────────────────────────────────────────────────────────

function loadPerflens() {
  try {
    return require(path.join(ROOT, 'out', 'src', 'core'));
  } catch (err) {
    process.stderr.write(`bench/compare.js: run \`npm run build\` first (${err.message})\n`);
    process.exit(2);
  }
}

function perflensLines(core, ex) {
  const file = ex.lang === 'ts' ? 'example.ts' : 'example.py';
  return core.analyze({ file, text: ex.code }).findings.map((f) => ({ line: lineOf(ex.code, f.span.start), id: f.rule }));
}

function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * ESLint with `@typescript-eslint/parser`. `n/no-sync` insists on type information under that
 * parser, so each example gets a TypeScript program of its own (in memory, as typed linting would).
 */
function eslintRunner() {
  const { Linter } = require('eslint');
  const parser = require('@typescript-eslint/parser');
  const n = require('eslint-plugin-n');
  const ts = require('typescript');
  const linter = new Linter({ configType: 'flat', cwd: ROOT });
  const file = path.join(ROOT, 'bench', '.compare-example.ts');
  const programFor = (code) => {
    const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true, types: ['node'] };
    const host = ts.createCompilerHost(options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (path.resolve(name) === file ? ts.createSourceFile(name, code, lang, true) : getSourceFile(name, lang, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
    return ts.createProgram([file], options, host);
  };
  return (ex, rule) => {
    const parserOptions = rule === 'n/no-sync' ? { programs: [programFor(ex.code)] } : {};
    const config = [{ files: ['**/*.ts'], languageOptions: { parser, parserOptions }, plugins: { n }, rules: { [rule]: 'warn' } }];
    const messages = linter.verify(ex.code, config, file);
    const fatal = messages.find((m) => m.fatal);
    if (fatal) throw new Error(`ESLint could not parse "${ex.name}": ${fatal.message}`);
    return messages.map((m) => ({ line: m.line, id: m.ruleId }));
  };
}

function ruffRunner() {
  const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');
  const workspace = new Workspace({ lint: { select: ['ASYNC'] } }, PositionEncoding.Utf16);
  return { version: Workspace.version(), run: (ex) => workspace.check(ex.code).map((d) => ({ line: d.start_location.row, id: d.code })) };
}

function cell(hits, withIds) {
  if (!hits.length) return '—';
  const lines = [...new Set(hits.map((h) => h.line))].sort((a, b) => a - b);
  return lines
    .map((l) => {
      const ids = [...new Set(hits.filter((h) => h.line === l).map((h) => h.id))];
      return withIds ? `L${l} ${ids.map((i) => `\`${i}\``).join(', ')}` : `L${l}`;
    })
    .join('; ');
}

/** ✓ when the tool reported exactly the lines that should be, ✗ otherwise (a miss or a false alarm). */
function verdict(hits, should) {
  const got = [...new Set(hits.map((h) => h.line))].sort((a, b) => a - b);
  return JSON.stringify(got) === JSON.stringify([...should].sort((a, b) => a - b)) ? '✓' : '✗';
}

async function main() {
  const core = loadPerflens();
  await core.ready();
  const eslint = eslintRunner();
  const ruff = ruffRunner();
  const versions = {
    eslint: require('eslint/package.json').version,
    n: require('eslint-plugin-n/package.json').version,
    ruff: ruff.version,
  };
  const rows = [];
  const score = { perflens: 0, await: 0, sync: 0, ruff: 0, ts: 0, py: 0 };
  for (const ex of examples) {
    const p = perflensLines(core, ex);
    const should = ex.should.length ? ex.should.map((l) => `L${l}`).join(', ') : 'nothing';
    const cells = [`${verdict(p, ex.should)} ${cell(p, false)}`];
    if (verdict(p, ex.should) === '✓') score.perflens++;
    if (ex.lang === 'ts') {
      score.ts++;
      const a = eslint(ex, 'no-await-in-loop');
      const s = eslint(ex, 'n/no-sync');
      cells.push(`${verdict(a, ex.should)} ${cell(a, false)}`, `${verdict(s, ex.should)} ${cell(s, false)}`, 'n/a');
      if (verdict(a, ex.should) === '✓') score.await++;
      if (verdict(s, ex.should) === '✓') score.sync++;
    } else {
      score.py++;
      const r = ruff.run(ex);
      cells.push('n/a', 'n/a', `${verdict(r, ex.should)} ${cell(r, true)}`);
      if (verdict(r, ex.should) === '✓') score.ruff++;
    }
    rows.push(`| ${ex.lang === 'ts' ? 'TS' : 'Py'} | ${ex.name} | ${should} | ${cells.join(' | ')} |`);
  }
  const table = [
    `| | example | should report | perflens | \`no-await-in-loop\` | \`n/no-sync\` | Ruff \`ASYNC\` |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
    `| | **exactly right** | | **${score.perflens}/${examples.length}** | ${score.await}/${score.ts} | ${score.sync}/${score.ts} | ${score.ruff}/${score.py} |`,
    '',
    `Measured by \`node bench/compare.js\` (ESLint ${versions.eslint} with \`@typescript-eslint/parser\`, eslint-plugin-n ${versions.n}, Ruff ${versions.ruff} (wasm) with \`select = ["ASYNC"]\`; default options). ` +
      '`L5` = a finding on line 5 of the example; ✓ = exactly the lines that should be reported, ✗ = a miss or a false alarm. The examples are in the script.',
  ].join('\n');
  process.stdout.write(table + '\n');
  if (process.argv.includes('--write')) {
    const readmePath = path.join(ROOT, 'README.md');
    const readme = fs.readFileSync(readmePath, 'utf8');
    const start = '<!-- comparison:start -->';
    const end = '<!-- comparison:end -->';
    const a = readme.indexOf(start);
    const b = readme.indexOf(end);
    if (a < 0 || b < a) {
      process.stderr.write(`bench/compare.js: README.md has no ${start} … ${end} markers\n`);
      process.exit(2);
    }
    fs.writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${table}\n${readme.slice(b)}`);
    process.stderr.write('bench/compare.js: README.md updated\n');
  }
}

main().catch((err) => {
  process.stderr.write(`bench/compare.js: ${err.stack || err.message}\n`);
  process.exit(2);
});
