import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import plugin = require('../src/eslint');
import { LineIndex } from '../src/core/finding';
import { clearProjectCache } from '../src/eslint/project-cache';
import type { JsonOut } from './cli-helpers';
import { parseJson, ROOT, runBin } from './cli-helpers';

/**
 * The promise of the plugin: a project with an ESLint flat config that loads
 * `perflens/eslint-plugin` reports, through ESLint 10 and ESLint 9, the same TypeScript/JavaScript
 * findings as `perflens check --format json` on that project — cross-file helpers, the project's
 * .perflens.json (queryFunctions, ignore) and perflens-ignore comments included.
 */

const SAMPLE = path.join(ROOT, 'test', 'fixtures-eslint', 'sample');
const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ESLint: ESLint9 } = require('eslint9') as typeof import('eslint');

interface Row {
  file: string;
  rule: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const key = (r: Row) => `${r.file}:${r.line}:${r.column}-${r.endLine}:${r.endColumn} ${r.rule}`;

function eslintRows(results: ESLint.LintResult[]): (Row & { message: Linter.LintMessage })[] {
  return results.flatMap((res) =>
    res.messages.map((m) => {
      const ruleId = m.ruleId ?? '';
      assert.ok(ruleId.startsWith('perflens/'), `not a perflens message: ${ruleId}: ${m.message}`);
      return {
        file: path.relative(SAMPLE, res.filePath).split(path.sep).join('/'),
        rule: ruleId.slice('perflens/'.length),
        line: m.line,
        column: m.column,
        endLine: m.endLine!,
        endColumn: m.endColumn!,
        message: m,
      };
    }),
  );
}

/** The text after the CLI's edits of one fix (JSON positions are 1-based lines and UTF-16 columns). */
function applyJsonEdits(text: string, edits: JsonOut['findings'][number]['fixes'][number]['edits']): string {
  const idx = new LineIndex(text);
  const spans = edits.map((e) => ({ start: idx.offset(e), end: idx.offset({ line: e.endLine, column: e.endColumn }), newText: e.newText }));
  let out = text;
  for (const s of spans.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

function applyEslintFix(text: string, fix: { range: [number, number]; text: string }): string {
  return text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
}

describe('eslint plugin: ESLint 9 and 10 on a sample project agree with `perflens check`', function () {
  let cli: JsonOut;

  before(async () => {
    const run = await runBin(['check', '--format', 'json', '.'], SAMPLE);
    assert.strictEqual(run.code, 1, run.stderr);
    cli = parseJson(run.stdout);
  });
  afterEach(() => clearProjectCache());

  it('the sample exercises what must agree (cross-file, config, suppression, ignore)', () => {
    const files = new Set(cli.findings.map((f) => f.file));
    assert.ok(cli.findings.some((f) => f.related.some((r) => r.file === 'src/repo/users.ts')), 'a finding through a helper in another file');
    assert.ok(cli.findings.some((f) => f.file === 'src/legacy.ts' && f.line === 7), 'a query known only from .perflens.json queryFunctions');
    assert.ok(!cli.findings.some((f) => f.file === 'src/legacy.ts' && f.line > 7), 'the perflens-ignore comment and the unconfigured `journal` call');
    assert.ok(!files.has('src/generated/client.ts'), '.perflens.json `ignore`');
    assert.ok(files.has('app/jobs.py'), 'Python is the CLI\'s only (compared without it)');
    for (const rule of Object.keys(plugin.rules)) assert.ok(cli.findings.some((f) => f.rule === rule), `a finding of ${rule}`);
  });

  for (const [name, Engine] of [
    ['ESLint 10', ESLint],
    ['ESLint 9', ESLint9],
  ] as const) {
    it(`${name}: same findings, messages, fixes and suggestions`, async () => {
      const eslint = new Engine({ cwd: SAMPLE });
      assert.match(Engine.version, name === 'ESLint 10' ? /^10\./ : /^9\./);
      const results = await eslint.lintFiles(['.']);
      const got = eslintRows(results);
      const expected = cli.findings.filter((f) => SCRIPT.test(f.file));
      assert.deepStrictEqual(got.map(key).sort(), expected.map(key).sort());
      const byKey = new Map(got.map((r) => [key(r), r.message]));
      for (const f of expected) {
        const m = byKey.get(key(f))!;
        // The message is the CLI's, with its related spans added (ESLint has no related locations).
        assert.ok(m.message.startsWith(f.message.replace(/\.$/, '')), `${m.message}\nvs ${f.message}`);
        for (const r of f.related) assert.ok(m.message.includes(r.message), `related "${r.message}" in ${m.message}`);
        const text = fs.readFileSync(path.join(SAMPLE, f.file), 'utf8');
        const safe = f.fixes.find((x) => x.applicability === 'safe');
        assert.strictEqual(m.fix !== undefined, safe !== undefined, `fix of ${key(f)}`);
        if (safe && m.fix) assert.strictEqual(applyEslintFix(text, m.fix), applyJsonEdits(text, safe.edits));
        const suggestedTitles = f.fixes.filter((x) => x !== safe).map((x) => x.title);
        const titles = (m.suggestions ?? []).map((s) => s.desc);
        assert.deepStrictEqual(titles.slice(0, suggestedTitles.length), suggestedTitles);
        assert.deepStrictEqual(titles.slice(suggestedTitles.length), [`Ignore \`${f.rule}\` on this line`, `Ignore \`${f.rule}\` in this file`]);
        for (const [k, x] of f.fixes.filter((y) => y !== safe).entries()) {
          assert.strictEqual(applyEslintFix(text, m.suggestions![k].fix), applyJsonEdits(text, x.edits), `suggestion "${x.title}"`);
        }
      }
    });
  }

  it('ESLint rule severities and options apply; a rule turned off in ESLint reports nothing', async () => {
    const eslint = new ESLint({
      cwd: SAMPLE,
      overrideConfig: {
        files: ['**/*.ts'],
        rules: {
          'perflens/sequential-awaits': 'off',
          'perflens/n-plus-one-query': ['error', { queryFunctions: ['journal.*.append'] }],
        },
      },
    });
    const rows = eslintRows(await eslint.lintFiles(['src']));
    assert.ok(!rows.some((r) => r.rule === 'sequential-awaits'));
    const nPlusOne = rows.filter((r) => r.rule === 'n-plus-one-query');
    assert.ok(nPlusOne.length >= 3 && nPlusOne.every((r) => r.message.severity === 2));
    assert.ok(nPlusOne.some((r) => r.file === 'src/legacy.ts' && r.message.message.includes('journal.entries.append')), 'queryFunctions from the rule option');
    assert.ok(rows.some((r) => r.rule === 'offset-pagination' && r.message.severity === 1), 'other rules keep the recommended severity');
  });

  it('a long-running ESLint sees a helper in another file and the config file change (the project is refreshed)', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-eslint-'));
    try {
      fs.writeFileSync(path.join(dir, '.perflens.json'), '{}');
      fs.writeFileSync(path.join(dir, 'helper.ts'), 'export function load(id: string) {\n  return id;\n}\n');
      fs.writeFileSync(path.join(dir, 'caller.ts'), "import { load } from './helper';\nexport async function all(ids: string[]) {\n  for (const id of ids) await load(id);\n}\n");
      const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
      const lint = async () => eslintRows(await eslint.lintFiles(['caller.ts'])).map((r) => `${r.line} ${r.rule}`);
      assert.deepStrictEqual(await lint(), []);
      fs.writeFileSync(
        path.join(dir, 'helper.ts'),
        "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function load(id: string) {\n  return pool.query('SELECT * FROM users WHERE id = $1', [id]);\n}\n",
      );
      // Times are compared at most every two seconds.
      await new Promise((r) => setTimeout(r, 2100));
      assert.deepStrictEqual(await lint(), ['3 n-plus-one-query']);
      // The project's config file changes too: the rule is turned off.
      fs.writeFileSync(path.join(dir, '.perflens.json'), JSON.stringify({ rules: { 'n-plus-one-query': 'off' } }));
      await new Promise((r) => setTimeout(r, 2100));
      assert.deepStrictEqual(await lint(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a rule turned off in the project\'s perflens config stays off under ESLint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-eslint-'));
    try {
      const code = [
        "import { PrismaClient } from '@prisma/client';",
        'const prisma = new PrismaClient();',
        'export async function load(ids: string[]) {',
        '  for (const id of ids) await prisma.user.findFirst({ where: { id } });',
        "  const a = await prisma.user.count();",
        "  const b = await prisma.post.count();",
        '  return [a, b];',
        '}',
        '',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'load.ts'), code);
      fs.writeFileSync(path.join(dir, '.perflens.json'), JSON.stringify({ rules: { 'n-plus-one-query': 'off' } }));
      const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
      const rules = eslintRows(await eslint.lintFiles(['load.ts'])).map((r) => r.rule);
      assert.deepStrictEqual(rules, ['sequential-awaits']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
