'use strict';
/**
 * Deterministic generator of realistic TypeScript service code for the benchmark: Prisma and pg
 * services, Express handlers, types and plain computation, with the patterns Perflens looks for
 * (N+1 loops, blocking fs calls, sequential awaits, offset paging) mixed with their correct forms.
 * Same seed and line count → same text, so runs are comparable.
 */

const ENTITIES = ['User', 'Order', 'Invoice', 'Product', 'Customer', 'Team', 'Project', 'Comment', 'Payment', 'Shipment', 'Ticket', 'Review'];

/** mulberry32: tiny seeded PRNG, good enough to vary templates. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lower = (s) => s[0].toLowerCase() + s.slice(1);
const table = (s) => `${lower(s)}s`;

/** Each template takes (E: entity, R: related entity, n: unique suffix) and returns lines. */
const TEMPLATES = [
  // N+1 with Prisma in a for-of loop.
  (E, R, n) => [
    `  async list${E}sWith${R}${n}(ids: string[]): Promise<Array<${E}Row & { ${lower(R)}: ${R}Row | null }>> {`,
    `    const ${table(E)} = await this.prisma.${lower(E)}.findMany({ where: { id: { in: ids } } });`,
    `    const out: Array<${E}Row & { ${lower(R)}: ${R}Row | null }> = [];`,
    `    for (const item of ${table(E)}) {`,
    `      const ${lower(R)} = await this.prisma.${lower(R)}.findUnique({ where: { id: item.${lower(R)}Id } });`,
    `      out.push({ ...item, ${lower(R)} });`,
    `    }`,
    `    return out;`,
    `  }`,
    ``,
  ],
  // The batched form: one findMany with `in`, then a lookup map.
  (E, R, n) => [
    `  async load${E}s${n}(ids: string[]): Promise<Map<string, ${R}Row>> {`,
    `    const ${table(E)} = await this.prisma.${lower(E)}.findMany({ where: { id: { in: ids } } });`,
    `    const ${lower(R)}Ids = [...new Set(${table(E)}.map((x) => x.${lower(R)}Id))];`,
    `    const ${table(R)} = await this.prisma.${lower(R)}.findMany({ where: { id: { in: ${lower(R)}Ids } } });`,
    `    const byId = new Map(${table(R)}.map((r) => [r.id, r] as const));`,
    `    return new Map(${table(E)}.flatMap((x) => {`,
    `      const r = byId.get(x.${lower(R)}Id);`,
    `      return r ? [[x.id, r] as const] : [];`,
    `    }));`,
    `  }`,
    ``,
  ],
  // Sequential independent awaits.
  (E, R, n) => [
    `  async dashboard${n}(ownerId: string): Promise<Dashboard${n}> {`,
    `    const ${lower(E)}Count = await this.prisma.${lower(E)}.count({ where: { ownerId } });`,
    `    const latest${R} = await this.prisma.${lower(R)}.findFirst({ where: { ownerId }, orderBy: { createdAt: 'desc' } });`,
    `    const totals = await this.prisma.${lower(E)}.aggregate({ _sum: { amount: true }, where: { ownerId } });`,
    `    this.logger.debug(\`dashboard for \${ownerId}: \${${lower(E)}Count} ${table(E)}\`);`,
    `    return { ${lower(E)}Count, latest${R}, total: totals._sum.amount ?? 0 };`,
    `  }`,
    ``,
  ],
  // Concurrent form with Promise.all.
  (E, R, n) => [
    `  async summary${n}(ownerId: string): Promise<[number, number]> {`,
    `    const [${table(E)}, ${table(R)}] = await Promise.all([`,
    `      this.prisma.${lower(E)}.count({ where: { ownerId } }),`,
    `      this.prisma.${lower(R)}.count({ where: { ownerId } }),`,
    `    ]);`,
    `    return [${table(E)}, ${table(R)}];`,
    `  }`,
    ``,
  ],
  // Offset pagination fed by a request parameter.
  (E, _R, n) => [
    `  async page${E}s${n}(page: number, pageSize = 50): Promise<${E}Row[]> {`,
    `    if (!Number.isInteger(page) || page < 1) throw new RangeError(\`page must be a positive integer, got \${page}\`);`,
    `    return this.prisma.${lower(E)}.findMany({`,
    `      where: { deletedAt: null },`,
    `      orderBy: { createdAt: 'desc' },`,
    `      skip: (page - 1) * pageSize,`,
    `      take: pageSize,`,
    `    });`,
    `  }`,
    ``,
  ],
  // Cursor pagination (fine).
  (E, _R, n) => [
    `  async after${E}${n}(cursor?: string, take = 50): Promise<${E}Row[]> {`,
    `    return this.prisma.${lower(E)}.findMany({`,
    `      take,`,
    `      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),`,
    `      orderBy: { id: 'asc' },`,
    `    });`,
    `  }`,
    ``,
  ],
  // pg transaction on one client: ordered, must not be parallelised.
  (E, R, n) => [
    `  async move${E}${n}(id: string, to: string): Promise<void> {`,
    `    const client = await this.pool.connect();`,
    `    try {`,
    `      await client.query('BEGIN');`,
    `      await client.query('UPDATE ${table(E)} SET ${lower(R)}_id = $1 WHERE id = $2', [to, id]);`,
    `      await client.query('INSERT INTO audit_log (entity, entity_id, action) VALUES ($1, $2, $3)', ['${lower(E)}', id, 'move']);`,
    `      await client.query('COMMIT');`,
    `    } catch (err) {`,
    `      await client.query('ROLLBACK');`,
    `      throw err;`,
    `    } finally {`,
    `      client.release();`,
    `    }`,
    `  }`,
    ``,
  ],
  // Keyset paging loop over pg: the query reads what the previous iteration fetched (fine).
  (E, _R, n) => [
    `  async *stream${E}s${n}(batch = 500): AsyncGenerator<${E}Row[]> {`,
    `    let lastId = '';`,
    `    while (true) {`,
    `      const { rows } = await this.pool.query<${E}Row>(`,
    `        'SELECT * FROM ${table(E)} WHERE id > $1 ORDER BY id LIMIT $2',`,
    `        [lastId, batch],`,
    `      );`,
    `      if (rows.length === 0) return;`,
    `      lastId = rows[rows.length - 1].id;`,
    `      yield rows;`,
    `    }`,
    `  }`,
    ``,
  ],
  // forEach with an async callback issuing a write per element.
  (E, _R, n) => [
    `  async touch${E}s${n}(items: ${E}Row[]): Promise<void> {`,
    `    items.forEach(async (item) => {`,
    `      await this.pool.query('UPDATE ${table(E)} SET updated_at = now() WHERE id = $1', [item.id]);`,
    `    });`,
    `  }`,
    ``,
  ],
  // Plain computation: no I/O at all.
  (E, _R, n) => [
    `  static score${E}${n}(rows: ${E}Row[], weights: Record<string, number> = {}): number {`,
    `    let total = 0;`,
    `    for (const row of rows) {`,
    `      const w = weights[row.status] ?? 1;`,
    `      switch (row.status) {`,
    `        case 'active':`,
    `          total += row.amount * w;`,
    `          break;`,
    `        case 'pending':`,
    `          total += (row.amount * w) / 2;`,
    `          break;`,
    `        default:`,
    `          total -= /^refund-/.test(row.id) ? row.amount : 0;`,
    `      }`,
    `    }`,
    `    return Math.round(total * 100) / 100;`,
    `  }`,
    ``,
  ],
  // A synchronous file read in an async method.
  (E, _R, n) => [
    `  async render${E}Report${n}(rows: ${E}Row[]): Promise<string> {`,
    `    const template = fs.readFileSync(path.join(__dirname, 'templates', '${lower(E)}-${n}.html'), 'utf8');`,
    `    const body = rows.map((r) => \`<tr><td>\${r.id}</td><td>\${r.amount.toFixed(2)}</td></tr>\`).join('\\n');`,
    `    return template.replace('{{rows}}', body);`,
    `  }`,
    ``,
  ],
  // Promise.all over a map: still one query per element.
  (E, R, n) => [
    `  async enrich${E}s${n}(rows: ${E}Row[]): Promise<Array<${E}Row & { ${table(R)}: number }>> {`,
    `    return Promise.all(`,
    `      rows.map(async (row) => ({`,
    `        ...row,`,
    `        ${table(R)}: await this.prisma.${lower(R)}.count({ where: { ${lower(E)}Id: row.id } }),`,
    `      })),`,
    `    );`,
    `  }`,
    ``,
  ],
];

function typesBlock(entities) {
  // One line per row type; foreign keys through a template-literal index signature.
  return [
    ...entities.map(
      (E) => `export interface ${E}Row { id: string; ownerId: string; status: 'active' | 'pending' | 'archived'; amount: number; createdAt: Date; [fk: \`\${string}Id\`]: string }`,
    ),
    ``,
  ];
}

/**
 * A TypeScript file of about `targetLines` lines (never fewer): imports, row types, then service
 * classes of ~40 methods each, and an Express router at the end.
 */
function generateServiceFile(seed, targetLines) {
  const rand = prng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const lines = [
    `import { PrismaClient } from '@prisma/client';`,
    `import { Pool } from 'pg';`,
    `import * as fs from 'fs';`,
    `import * as path from 'path';`,
    `import { Router, type Request, type Response } from 'express';`,
    ``,
    `const prisma = new PrismaClient();`,
    `const pool = new Pool({ connectionString: process.env.DATABASE_URL });`,
    ``,
    ...typesBlock(ENTITIES),
  ];
  const dashboards = [];
  let n = 0;
  let klass = 0;
  const routerLines = () => [
    `export const router${seed} = Router();`,
    ``,
    `router${seed}.get('/items', async (req: Request, res: Response) => {`,
    `  const page = Number(req.query.page ?? 1);`,
    `  res.json(await prisma.user.findMany({ skip: (page - 1) * 20, take: 20 }));`,
    `});`,
    ``,
  ];
  // Leave room for the router and closing braces.
  while (lines.length + 12 < targetLines) {
    lines.push(
      `export class Service${seed}_${klass} {`,
      `  constructor(`,
      `    private readonly prisma: PrismaClient,`,
      `    private readonly pool: Pool,`,
      `    private readonly logger: Pick<Console, 'debug' | 'warn'>,`,
      `  ) {}`,
      ``,
    );
    for (let m = 0; m < 40 && lines.length + 12 < targetLines; m++) {
      const i = Math.floor(rand() * TEMPLATES.length);
      const E = pick(ENTITIES);
      let R = pick(ENTITIES);
      if (R === E) R = ENTITIES[(ENTITIES.indexOf(E) + 1) % ENTITIES.length];
      if (i === 2) dashboards.push(n);
      lines.push(...TEMPLATES[i](E, R, n));
      n++;
    }
    lines.push(`}`, ``);
    klass++;
  }
  for (const d of dashboards) lines.push(`type Dashboard${d} = { [k: string]: unknown };`);
  lines.push(...routerLines());
  return lines.join('\n') + '\n';
}

/**
 * Where the latency benchmarks type code into a function: the first line at or after `from` that
 * `pattern` matches (a complete statement inside a function), and its indentation.
 */
function statementInFunction(lines, from, pattern) {
  for (let line = from; line < lines.length; line++) {
    if (pattern.test(lines[line])) return { line, indent: /^ */.exec(lines[line])[0] };
  }
  throw new Error(`no line like ${pattern} inside a function after the middle of the file`);
}

/** A complete `const` declaration inside a method (indented, ending in `;`). */
const declarationInFunction = (lines, from) => statementInFunction(lines, from, /^ {4,}const \w+ = .*;$/);

module.exports = { generateServiceFile, declarationInFunction, statementInFunction, prng, ENTITIES };
