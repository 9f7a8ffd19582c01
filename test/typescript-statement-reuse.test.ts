import { ready } from '../src/core/analyze';
import type { FileSummary, ProjectIndex } from '../src/core/project';
import ts from 'typescript';
import { parseDiagnostics, useIncrementalParsing } from '../src/frontends/typescript/parse';
import { reuseStats } from '../src/frontends/typescript/statement-reuse';
import type { ReuseCase } from './statement-reuse-harness';
import { reuseTests } from './statement-reuse-harness';

/**
 * The editor walks only the top-level statements and class members an edit may have changed and
 * takes the facts of the others over from the last analysis
 * (src/frontends/typescript/statement-reuse.ts). After every edit, the facts, findings and notes
 * must be exactly those of a whole analysis of the same text. Targeted edits cover each way one
 * part reaches another; random edits of every TypeScript and JavaScript fixture cover the rest.
 */

const SERVICE = `import { Pool } from 'pg';
import * as fs from 'fs';

export class Orders {
  constructor(private readonly db: Pool) {}

  async list(ids: string[]) {
    const out = [];
    for (const id of ids) out.push(await this.db.query('SELECT * FROM orders WHERE id = $1', [id]));
    return out;
  }

  async total(id: string) {
    const a = await this.db.query('SELECT 1');
    const b = await this.db.query('SELECT 2');
    return this.helper(a, b);
  }

  helper(a: unknown, b: unknown) {
    return [a, b];
  }
}

export class Reports {
  render() {
    return fs.readFileSync('report.html', 'utf8');
  }
}
`;

const CASES: ReuseCase[] = [
  {
    name: 'typing inside one method of one of two classes',
    text: SERVICE,
    edits: [
      ['    return out;\n', '    const n = out.length;\n    return out;\n'],
      ["    return [a, b];\n", "    fs.readFileSync('x');\n    return [a, b];\n"],
      ['  async total', '  // the total\n  async total'],
      ["    return fs.readFileSync('report.html', 'utf8');", "    return 'inline';"],
    ],
  },
  {
    name: 'the shape of a class changes (a property, a method renamed, a base)',
    text: SERVICE,
    edits: [
      ['  constructor(private readonly db: Pool) {}', '  constructor(private readonly db: Pool, private readonly other: Pool) {}'],
      ['  helper(a: unknown', '  help(a: unknown'],
      ['return this.helper(a, b)', 'return this.help(a, b)'],
      ['private readonly db: Pool,', 'private readonly db: number,'],
      ['private readonly db: number,', 'private readonly db: Pool,'],
      ['export class Reports {', 'export class Reports extends Orders {'],
      ['export class Orders {', 'class Orders {'],
    ],
  },
  {
    name: 'a module constant a method queries through changes',
    text: "import { Pool } from 'pg';\nconst pool = new Pool();\n\nexport class Repo {\n  async all(ids: string[]) {\n    for (const id of ids) await pool.query('SELECT 1', [id]);\n  }\n\n  other() {\n    return 1;\n  }\n}\n",
    edits: [['const pool = new Pool();', 'const pool = { query: async (..._: unknown[]) => 1 };'], ['const pool = { query: async (..._: unknown[]) => 1 };', 'const pool = new Pool();']],
  },
  {
    name: 'a property type read first by a method where a local shadows it',
    text: "import { Pool } from 'pg';\n\nexport class Repo {\n  constructor(private readonly db: Pool) {}\n\n  async a(ids: string[]) {\n    const Pool = 1;\n    for (const id of ids) await this.db.query('SELECT 1', [id]);\n    return Pool;\n  }\n\n  async b(ids: string[]) {\n    for (const id of ids) await this.db.query('SELECT 2', [id]);\n  }\n}\n",
    edits: [["'SELECT 2'", "'SELECT 3'"], ["'SELECT 3'", "'SELECT 2'"]],
  },
  {
    name: 'a member reaches another member through a value of its class',
    text: "import { Pool } from 'pg';\nconst pool = new Pool();\n\nexport class Repo {\n  static make() {\n    return new Repo();\n  }\n\n  async a(ids: string[]) {\n    const r = Repo.make();\n    for (const id of ids) await r.b(id);\n  }\n\n  async b(id: string) {\n    return id;\n  }\n}\n",
    edits: [['    return id;\n', "    return pool.query('SELECT 1', [id]);\n"], ["    return pool.query('SELECT 1', [id]);\n", '    return id;\n']],
  },
  {
    name: 'an offset traced to a module-level value, with an edit between them',
    text: "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\ndeclare const req: { query: { page: string } };\nconst page = Number(req.query.page);\n\nfunction between() {\n  return 1;\n}\n\nfunction other() {\n  return 2;\n}\n\nexport async function list() {\n  return prisma.user.findMany({ skip: page * 10, take: 10 });\n}\n",
    edits: [['  return 1;\n', '  const typed = 1;\n  return typed;\n'], ['  const typed = 1;\n  return typed;\n', '  return 1;\n']],
  },
  {
    name: 'a top-level class after a function that declares a class of the same name',
    text: "export function make() {\n  class Inner {\n    run() {\n      return 1;\n    }\n  }\n  return new Inner();\n}\n\nfunction between() {\n  return 1;\n}\n\nexport class Inner {\n  run() {\n    return 2;\n  }\n}\n",
    edits: [['  return 1;\n}\n\nexport class', '  return 3;\n}\n\nexport class']],
  },
  {
    name: 'a class is renamed, then renamed back',
    text: SERVICE,
    edits: [['export class Orders {', 'export class Orderz {'], ['export class Orderz {', 'export class Orders {']],
  },
  {
    name: 'a helper starts querying (its callers change)',
    text: "import { Pool } from 'pg';\nconst pool = new Pool();\n\nfunction load(id: string) {\n  return id;\n}\n\nexport async function all(ids: string[]) {\n  for (const id of ids) await load(id);\n}\n\nexport async function other() {\n  return 1;\n}\n",
    edits: [['  return id;\n', "  return pool.query('SELECT 1', [id]);\n"], ['function load(', 'function loaded('], ['function loaded(', 'function load(']],
  },
  {
    name: 'a route marks a function of another statement as a handler',
    text: "import express from 'express';\nimport * as fs from 'fs';\nconst app = express();\n\nasync function health(req: unknown, res: { send(x: unknown): void }) {\n  res.send(fs.readFileSync('/etc/hostname'));\n}\n\nfunction other() {\n  return 1;\n}\n\napp.get('/health', health);\n",
    edits: [["app.get('/health', health);", "app.get('/health', other);"], ["app.get('/health', other);", "app.get('/health', health);"], ['  return 1;\n', '  return 2;\n']],
  },
  {
    name: 'exports named in other statements',
    text: "import { Pool } from 'pg';\nconst pool = new Pool();\n\nasync function find(id: string) {\n  return pool.query('SELECT 1', [id]);\n}\n\nconst repo = { find };\n\nexport { find as findOne, repo };\n",
    edits: [['export { find as findOne, repo };', 'export { find as findIt, repo };'], ["  return pool.query('SELECT 1', [id]);", "  return pool.query('SELECT 2', [id]);"]],
  },
  {
    name: 'CommonJS exports',
    ext: '.js',
    text: "const fs = require('fs');\n\nfunction read(p) {\n  return fs.readFileSync(p);\n}\n\nexports.load = (p) => read(p);\n\nmodule.exports.read = read;\n\nfunction later() {\n  return 1;\n}\n",
    edits: [['exports.load = (p) => read(p);', 'exports.load = (p) => later(p);'], ['  return 1;\n', '  return 2;\n']],
  },
  {
    name: 'a class property is first read by a method that changes',
    text: "import { Repo } from './repo';\n\nexport class Service {\n  constructor(private readonly repo: Repo) {}\n\n  async a(ids: string[]) {\n    for (const id of ids) await this.repo.find(id);\n  }\n\n  async b() {\n    return this.repo.all();\n  }\n}\n",
    edits: [['    for (const id of ids) await this.repo.find(id);\n', '    return ids;\n'], ['    return ids;\n', '    for (const id of ids) await this.repo.find(id);\n']],
    project: projectWith({
      file: '/virtual/reuse/repo.ts',
      language: 'typescript',
      exports: { Repo: { className: 'Repo' } },
      classes: { Repo: { find: { name: 'Repo.find', isAsync: true, query: { kind: 'query', library: 'pg', api: 'pool.query', via: { file: '/virtual/reuse/repo.ts', span: { start: 10, end: 20 }, api: 'pool.query', helper: 'Repo.find' } } } } },
    }),
  },
  {
    name: 'loops at the top level of a script',
    text: "import { Pool } from 'pg';\nconst pool = new Pool();\nconst ids = [1, 2, 3];\n\nfor (const id of ids) {\n  pool.query('SELECT 1', [id]);\n}\n\nfunction f() {\n  return 1;\n}\n",
    edits: [['  return 1;\n', '  return 2;\n'], ["  pool.query('SELECT 1', [id]);\n", "  pool.query('SELECT 2', [id]);\n"]],
  },
  {
    name: 'a NestJS controller: route decorators make handlers',
    text: "import { Controller, Get } from '@nestjs/common';\nimport * as fs from 'fs';\n\n@Controller('x')\nexport class XController {\n  @Get()\n  async list() {\n    return fs.readFileSync('a');\n  }\n\n  async plain() {\n    return fs.readFileSync('b');\n  }\n}\n",
    edits: [["    return fs.readFileSync('b');\n", "    return fs.readFileSync('c');\n"], ['  @Get()\n  async list', '  async list'], ['  async plain', '  @Get()\n  async plain']],
  },
  {
    name: 'an anonymous default class (its name is its position)',
    text: "import * as fs from 'fs';\n\nfunction first() {\n  return 1;\n}\n\nexport default class {\n  async read() {\n    return fs.readFileSync('a');\n  }\n}\n",
    edits: [['  return 1;\n', '  const x = 2;\n  return x;\n'], ["fs.readFileSync('a')", "fs.readFileSync('b')"]],
  },
  {
    name: 'classes in functions and class expressions',
    text: "import { Pool } from 'pg';\n\nexport function make(pool: Pool) {\n  class Inner {\n    async run(ids: number[]) {\n      for (const id of ids) await pool.query('SELECT 1', [id]);\n    }\n  }\n  return new Inner();\n}\n\nexport const Named = class Kept {\n  run() {\n    return 1;\n  }\n};\n\nfunction after() {\n  return new Kept();\n}\n",
    edits: [['    return 1;\n', '    return 2;\n'], ['  return new Inner();\n', '  const i = new Inner();\n  return i;\n'], ['function after() {', 'function later() {']],
  },
];

function projectWith(summary: FileSummary): ProjectIndex {
  return {
    resolveModule: (_from, specifier) => (specifier === './repo' ? summary : undefined),
    findClass: (name) => summary.classes[name],
  };
}

const STATEMENTS = [
  'const x = 1;',
  'await db.query(sql);',
  'for (const u of users) { await prisma.user.findUnique({ where: { id: u } }); }',
  'fs.readFileSync(p);',
  'return await this.repo.find();',
  "app.get('/x', handler);",
  'export { a as b };',
  'module.exports = { helper };',
  'exports.x = () => 1;',
  '// note',
  'private db: Pool;',
  'async m() { await this.db.query(q); }',
  'await Promise.all(ids.map((id) => db.query(id)));',
  'class Inner { run() { return 1; } }',
  'this.helper();',
  '}',
];
const STRAYS = ['\n', 'x', ' ', '(', '{', '}', ';', "'"];

function parses(text: string): boolean {
  return parseDiagnostics(ts.createSourceFile('/virtual/parses.tsx', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)).length === 0;
}

describe('typescript statement reuse in the editor', function () {
  this.timeout(300_000);
  before(async () => {
    await ready();
  });
  after(() => useIncrementalParsing(false));

  reuseTests({ editorMode: useIncrementalParsing, stats: reuseStats, cases: CASES, extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'], statements: STATEMENTS, strays: STRAYS, parses });
});
