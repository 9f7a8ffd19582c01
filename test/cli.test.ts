import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allRules } from '../src/rules';
import { BLOCKING_TS, makeProject, N_PLUS_ONE_TS, parseJson, positionOf, removeProject, ROOT, runBin, runCli } from './cli-helpers';

const hasRule = (id: string) => allRules.some((r) => r.id === id);
/** Marks a test pending until the rule it needs is registered (the rules are written separately). */
function needsRule(ctx: Mocha.Context, id: string): void {
  if (!hasRule(id)) ctx.skip();
}

describe('cli: commands and usage errors', function () {
  let dir: string;
  before(() => {
    dir = makeProject({ 'src/ok.ts': 'export const x = 1;\n' });
  });
  after(() => removeProject(dir));

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await runBin(['--version'], dir);
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.stdout.trim(), `perflens ${pkg.version}`);
  });

  it('--help lists the commands; check --help lists the options', async () => {
    const top = await runCli(['--help'], dir);
    assert.strictEqual(top.code, 0);
    for (const c of ['check', 'rules', 'rule']) assert.match(top.stdout, new RegExp(`^  ${c} `, 'm'));
    const check = await runCli(['check', '--help'], dir);
    assert.strictEqual(check.code, 0);
    for (const o of ['--format', '--config', '--ignore', '--max-severity', '--fix', '--unsafe', '--quiet', '--no-color']) {
      assert.ok(check.stdout.includes(o), `missing ${o} in:\n${check.stdout}`);
    }
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown option', ['check', '--bogus'], /unknown option `--bogus`/],
    ['an unknown command', ['chekc'], /unknown command `chekc`/],
    ['a bad --format', ['check', '--format', 'xml'], /invalid value `xml` for `--format`/],
    ['a bad --max-severity', ['check', '--max-severity', 'loud'], /invalid value `loud` for `--max-severity`/],
    ['an option without its value', ['check', '--config'], /`--config` needs a value/],
    ['--unsafe without --fix', ['check', '--unsafe'], /`--unsafe` only works together with `--fix`/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`exits 2 with a short message and a --help hint on ${what}`, async () => {
      const r = await runCli(args, dir);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /--help/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.strictEqual(r.stdout, '');
    });
  }

  it('through bin/perflens.js: a user error is one line and exit 2, never a stack trace', async () => {
    const r = await runBin(['check', '--bogus'], dir);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stderr, 'perflens: unknown option `--bogus`\nRun `perflens check --help` for usage.\n');
  });

  it('exits 2 on a path that does not exist, naming it', async () => {
    const r = await runCli(['check', 'src', 'nope/x.ts'], dir);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stderr, 'perflens: no such file or directory: nope/x.ts\n');
  });

  it('exits 2 when a folder holds no file to analyse', async () => {
    const empty = makeProject({ 'README.md': '# nothing\n' });
    try {
      const r = await runCli(['check'], empty);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /no TypeScript, JavaScript or Python files found/);
    } finally {
      removeProject(empty);
    }
  });
});

describe('cli: check on a clean project', function () {
  let dir: string;
  before(() => {
    dir = makeProject({ 'src/a.ts': 'export function add(a: number, b: number) { return a + b; }\n', 'src/b.py': 'def f():\n    return 1\n' });
  });
  after(() => removeProject(dir));

  it('text: says no problems were found and exits 0', async () => {
    const r = await runCli(['check'], dir);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^No performance problems found in 2 files\.$/m);
  });

  it('json: has the documented shape', async () => {
    const r = await runCli(['check', '--format', 'json'], dir);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = parseJson(r.stdout);
    assert.strictEqual(out.version, 1);
    assert.deepStrictEqual(out.findings, []);
    assert.strictEqual(out.summary.files, 2);
    assert.strictEqual(out.summary.findings, 0);
    assert.ok(Number.isInteger(out.summary.durationMs) && out.summary.durationMs >= 0);
    assert.ok(Array.isArray(out.notes));
  });

  it('--quiet prints nothing when there is nothing to report', async () => {
    const r = await runCli(['check', '--quiet'], dir);
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.stdout, '');
  });

  it('colours: on a terminal, off in a pipe; FORCE_COLOR, NO_COLOR and --no-color override', async () => {
    const esc = '\x1b[';
    assert.ok((await runCli(['check'], dir, {}, true)).stdout.includes(esc), 'a terminal gets colour');
    assert.ok(!(await runCli(['check'], dir)).stdout.includes(esc), 'a pipe does not');
    assert.ok((await runCli(['check'], dir, { FORCE_COLOR: '1' })).stdout.includes(esc));
    assert.ok(!(await runCli(['check'], dir, { FORCE_COLOR: '0' }, true)).stdout.includes(esc));
    assert.ok(!(await runCli(['check'], dir, { NO_COLOR: '1' }, true)).stdout.includes(esc));
    assert.ok(!(await runCli(['check', '--no-color'], dir, { FORCE_COLOR: '1' }, true)).stdout.includes(esc));
    assert.ok((await runBin(['check'], dir, { FORCE_COLOR: '1' })).stdout.includes(esc), 'the real process reads FORCE_COLOR');
  });

  it('--fix with nothing to fix says so and changes no file', async () => {
    const before = fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8');
    const r = await runCli(['check', '--fix'], dir);
    assert.strictEqual(r.code, 0);
    assert.match(r.stderr, /nothing was fixable/);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8'), before);
  });
});

describe('cli: which files are analysed', function () {
  let dir: string;
  const ok = 'export const v = 1;\n';
  before(() => {
    dir = makeProject({
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': ok,
      'src/b.js': ok,
      'src/c.py': 'x = 1\n',
      'src/skip.gen.ts': ok,
      'src/notes.txt': 'not code\n',
      'generated/g.ts': ok,
      'node_modules/lib/index.js': ok,
      'dist/a.js': ok,
      'build/a.js': ok,
      'out/a.js': ok,
      'coverage/a.js': ok,
      '.next/a.js': ok,
      '__pycache__/a.py': ok,
      '.venv/lib/a.py': ok,
      'venv/lib/a.py': ok,
      'pkg/.gitignore': 'local.ts\n!keep.gen.ts\n',
      'pkg/local.ts': ok,
      'pkg/keep.gen.ts': ok,
      'pkg/main.ts': ok,
      'tests/a.test.ts': ok,
      'tests/b.test.ts': ok,
    });
    fs.mkdirSync(path.join(dir, '.git'));
  });
  after(() => removeProject(dir));

  async function analysedFiles(args: string[]): Promise<{ count: number; stderr: string }> {
    const r = await runCli(['check', '--format', 'json', ...args], dir, { PERFLENS_DEBUG: '1' });
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    return { count: parseJson(r.stdout).summary.files, stderr: r.stderr };
  }

  it('skips node_modules, build output, virtualenvs and .gitignore\'d paths (nested files, negations)', async () => {
    // src/a.ts, src/b.js, src/c.py, pkg/keep.gen.ts (re-included), pkg/main.ts, tests/a, tests/b
    assert.strictEqual((await analysedFiles([])).count, 7);
  });

  it('analyses a file or folder named explicitly even when .gitignore\'d', async () => {
    assert.strictEqual((await analysedFiles(['generated/g.ts', 'src/skip.gen.ts'])).count, 2);
    assert.strictEqual((await analysedFiles(['generated'])).count, 1);
    assert.strictEqual((await analysedFiles(['node_modules/lib'])).count, 1);
  });

  it('walks a .gitignore\'d folder\'s siblings only, honouring the root .gitignore when starting below it', async () => {
    assert.strictEqual((await analysedFiles(['pkg'])).count, 2);
  });

  it('--ignore removes matching files and folders; it is repeatable', async () => {
    assert.strictEqual((await analysedFiles(['--ignore', 'tests/**'])).count, 5);
    assert.strictEqual((await analysedFiles(['--ignore', 'tests', '--ignore', '**/*.py'])).count, 4);
  });

  it('notes an explicitly named file of another language and skips it', async () => {
    const r = await runCli(['check', 'src/notes.txt', 'src/a.ts'], dir);
    assert.strictEqual(r.code, 0);
    assert.match(r.stderr, /src\/notes\.txt: not a TypeScript, JavaScript or Python file; skipped/);
  });
});

describe('cli: unreadable and binary files', function () {
  it('notes a binary file on stderr and in JSON, and still analyses the rest', async () => {
    const dir = makeProject({ 'src/a.ts': 'export const a = 1;\n', 'src/blob.js': Buffer.from([0x63, 0x00, 0x01, 0x02]) });
    try {
      const text = await runCli(['check'], dir);
      assert.strictEqual(text.code, 0);
      assert.match(text.stderr, /src\/blob\.js: binary file \(contains a NUL byte\); skipped/);
      assert.match(text.stdout, /in 1 file\b/);
      const json = parseJson((await runCli(['check', '--format', 'json'], dir)).stdout);
      assert.deepStrictEqual(
        json.notes.filter((n) => n.kind === 'skipped').map((n) => n.file),
        ['src/blob.js'],
      );
      assert.ok(!(await runCli(['check', '--quiet'], dir)).stderr.includes('blob'), '--quiet hides notes on skipped files');
    } finally {
      removeProject(dir);
    }
  });

  it('exits 2 when no file could be analysed', async () => {
    const dir = makeProject({ 'a.ts': Buffer.from([0, 1, 2]) });
    try {
      const r = await runCli(['check'], dir);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /no file could be analysed/);
    } finally {
      removeProject(dir);
    }
  });
});

describe('cli: config files', function () {
  it('reports invalid JSON with file, line and column, and goes on with defaults', async () => {
    const dir = makeProject({ '.perflens.json': '{\n  "rules": {\n    "n-plus-one-query": \n  }\n}\n', 'a.ts': 'export const a = 1;\n' });
    try {
      const r = await runCli(['check'], dir);
      assert.strictEqual(r.code, 0);
      assert.match(r.stderr, /\.perflens\.json:4:3: invalid JSON at line 4, column 3: expected a value, found `}`/);
      const json = parseJson((await runCli(['check', '--format', 'json'], dir)).stdout);
      const note = json.notes.find((n) => n.kind === 'config');
      assert.deepStrictEqual([note?.file, note?.line, note?.column], ['.perflens.json', 4, 3]);
      assert.strictEqual(json.summary.files, 1);
    } finally {
      removeProject(dir);
    }
  });

  it('reports each bad key with its file and keeps the good keys', async () => {
    const dir = makeProject({
      '.perflens.json': JSON.stringify({ rules: { 'no-such-rule': 'warning', 'n-plus-one-query': 'loud' }, blockingFunctions: 5, ignore: ['skipped/**'] }),
      'a.ts': 'export const a = 1;\n',
      'skipped/b.ts': 'export const b = 1;\n',
    });
    try {
      const r = await runCli(['check', '--format', 'json'], dir);
      assert.strictEqual(r.code, 0, r.stderr);
      const json = parseJson(r.stdout);
      const problems = json.notes.filter((n) => n.kind === 'config');
      assert.deepStrictEqual(problems.map((p) => p.key).sort(), ['blockingFunctions', 'rules.n-plus-one-query', 'rules.no-such-rule']);
      assert.ok(problems.every((p) => p.file === '.perflens.json'));
      if (hasRule('n-plus-one-query')) {
        assert.match(problems.find((p) => p.key === 'rules.n-plus-one-query')!.message, /"loud"/);
      }
      assert.strictEqual(json.summary.files, 1, 'the valid `ignore` key still applies');
      assert.match(r.stderr, /\.perflens\.json: `blockingFunctions`: expected an array of non-empty strings/);
    } finally {
      removeProject(dir);
    }
  });

  it('reads package.json#perflens and pyproject.toml [tool.perflens], naming the full key', async () => {
    const dir = makeProject({
      'web/package.json': JSON.stringify({ name: 'web', perflens: { ignore: 'x' } }),
      'web/a.ts': 'export const a = 1;\n',
      'api/pyproject.toml': '[project]\nname = "api"\n\n[tool.perflens]\nqueryFunctions = "crud.*"\n',
      'api/a.py': 'x = 1\n',
      'broken/pyproject.toml': '[tool.perflens]\nignore = [\n',
      'broken/b.py': 'x = 1\n',
    });
    try {
      const json = parseJson((await runCli(['check', '--format', 'json'], dir)).stdout);
      const got = json.notes.filter((n) => n.kind === 'config').map((n) => `${n.file} ${n.key}`);
      assert.deepStrictEqual(got.sort(), ['api/pyproject.toml tool.perflens.queryFunctions', 'broken/pyproject.toml (syntax)', 'web/package.json perflens.ignore']);
      const toml = json.notes.find((n) => n.file === 'broken/pyproject.toml')!;
      assert.match(toml.message, /^invalid TOML at line \d+, column \d+/);
      assert.strictEqual(json.summary.files, 3);
    } finally {
      removeProject(dir);
    }
  });

  it('applies `ignore` relative to the config file\'s folder, nearest config wins', async () => {
    const dir = makeProject({
      'sub/.perflens.json': JSON.stringify({ ignore: ['gen/**'] }),
      'sub/gen/a.ts': 'export const a = 1;\n',
      'sub/b.ts': 'export const b = 1;\n',
      'gen/c.ts': 'export const c = 1;\n',
    });
    try {
      assert.strictEqual(parseJson((await runCli(['check', '--format', 'json'], dir)).stdout).summary.files, 2);
      // An explicit --config replaces discovery: its globs are relative to its own folder.
      fs.writeFileSync(path.join(dir, 'root.json'), JSON.stringify({ ignore: ['gen/**'] }));
      const explicit = parseJson((await runCli(['check', '--format', 'json', '--config', 'root.json'], dir)).stdout);
      assert.strictEqual(explicit.summary.files, 2, 'sub/gen/a.ts analysed, gen/c.ts ignored');
      const missing = await runCli(['check', '--config', 'nope.json'], dir);
      assert.strictEqual(missing.code, 2);
      assert.match(missing.stderr, /no such file or directory: nope\.json/);
    } finally {
      removeProject(dir);
    }
  });
});

describe('cli: findings', function () {
  let dir: string;
  // A non-ASCII prefix (é is one UTF-16 unit, 😀 two) so columns must count UTF-16 code units.
  const unicode = "import fs from 'fs';\nconst s = 'héllo 😀'; export async function h() { return fs.readFileSync(s); }\n";
  before(() => {
    dir = makeProject({ 'src/blocking.ts': BLOCKING_TS, 'src/unicode.ts': unicode, 'src/loop.ts': N_PLUS_ONE_TS });
  });
  after(() => removeProject(dir));

  it('json: positions are 1-based UTF-16 columns, paths relative with forward slashes', async function () {
    needsRule(this, 'blocking-call-in-async');
    const r = await runBin(['check', '--format', 'json', 'src/unicode.ts', 'src/blocking.ts'], dir);
    assert.strictEqual(r.code, 1, r.stderr);
    const out = parseJson(r.stdout);
    const blocking = out.findings.filter((f) => f.rule === 'blocking-call-in-async');
    assert.deepStrictEqual(blocking.map((f) => f.file), ['src/blocking.ts', 'src/unicode.ts'], 'sorted by path');
    for (const [f, text] of [[blocking[0], BLOCKING_TS], [blocking[1], unicode]] as const) {
      const start = positionOf(text, 'fs.readFileSync');
      assert.deepStrictEqual([f.line, f.column], [start.line, start.column]);
      assert.ok(f.endLine === f.line && f.endColumn > f.column);
      assert.strictEqual(f.severity, allRules.find((x) => x.id === f.rule)!.defaultSeverity);
      assert.ok(Array.isArray(f.related) && Array.isArray(f.fixes));
    }
    assert.strictEqual(out.summary.findings, out.findings.length);
  });

  it('json: a byte order mark and CRLF line ends do not shift positions', async function () {
    needsRule(this, 'blocking-call-in-async');
    const crlf = BLOCKING_TS.replace(/\n/g, '\r\n');
    const bomDir = makeProject({ 'bom.ts': '\uFEFF' + crlf });
    try {
      const out = parseJson((await runCli(['check', '--format', 'json'], bomDir)).stdout);
      const start = positionOf(BLOCKING_TS, 'fs.readFileSync');
      assert.deepStrictEqual(out.findings.map((f) => [f.line, f.column]), [[start.line, start.column]]);
    } finally {
      removeProject(bomDir);
    }
  });

  it('json: reports an N+1 query in a loop', async function () {
    needsRule(this, 'n-plus-one-query');
    const out = parseJson((await runCli(['check', '--format', 'json', 'src/loop.ts'], dir)).stdout);
    const found = out.findings.filter((f) => f.rule === 'n-plus-one-query');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].line, positionOf(N_PLUS_ONE_TS, 'prisma.user').line);
  });

  it('text: header line, code frame with carets, related spans and summary', async function () {
    needsRule(this, 'blocking-call-in-async');
    const r = await runCli(['check', 'src/blocking.ts'], dir);
    assert.strictEqual(r.code, 1);
    const start = positionOf(BLOCKING_TS, 'fs.readFileSync');
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith(`src/blocking.ts:${start.line}:${start.column}  `));
    assert.ok(head >= 0, r.stdout);
    assert.match(lines[head], /  (info|warning|error)  .+  blocking-call-in-async$/);
    assert.ok(lines[head + 1].endsWith(BLOCKING_TS.split('\n')[start.line - 1]), 'the source line follows');
    const caret = lines[head + 2];
    assert.strictEqual(caret.indexOf('^') - caret.indexOf('| ') - 2, start.column - 1, 'caret under the call');
    assert.match(r.stdout, /^1 finding in 1 file \(\d+ ms\)$/m);
  });

  it('--max-severity decides the exit code', async function () {
    needsRule(this, 'blocking-call-in-async');
    fs.writeFileSync(path.join(dir, '.perflens.json'), JSON.stringify({ rules: { 'blocking-call-in-async': 'warning' } }));
    try {
      assert.strictEqual((await runCli(['check', 'src/blocking.ts', '--max-severity', 'warning'], dir)).code, 1);
      assert.strictEqual((await runCli(['check', 'src/blocking.ts', '--max-severity', 'error'], dir)).code, 0);
      fs.writeFileSync(path.join(dir, '.perflens.json'), JSON.stringify({ rules: { 'blocking-call-in-async': 'off' } }));
      assert.strictEqual((await runCli(['check', 'src/blocking.ts'], dir)).code, 0);
    } finally {
      fs.rmSync(path.join(dir, '.perflens.json'));
    }
  });

  it('--fix applies safe fixes and re-analyses', async function () {
    needsRule(this, 'blocking-call-in-async');
    const fixDir = makeProject({ 'a.ts': BLOCKING_TS });
    try {
      const before = parseJson((await runCli(['check', '--format', 'json'], fixDir)).stdout);
      const safe = before.findings.filter((f) => f.fixes.some((x) => x.applicability === 'safe'));
      assert.strictEqual(safe.length, 1, '`fs.readFileSync` in an async function has a safe fix');
      const r = await runCli(['check', '--fix', '--format', 'json'], fixDir);
      assert.match(r.stderr, /applied 1 fix in 1 file/);
      assert.strictEqual(fs.readFileSync(path.join(fixDir, 'a.ts'), 'utf8'), BLOCKING_TS.replace("fs.readFileSync('x')", "await fs.promises.readFile('x')"));
      assert.ok(parseJson(r.stdout).findings.length < before.findings.length);
    } finally {
      removeProject(fixDir);
    }
  });
});

describe('cli: rules and rule <id>', function () {
  let dir: string;
  before(() => {
    dir = makeProject({});
  });
  after(() => removeProject(dir));

  it('rules lists every registered rule with languages, severity and summary', async () => {
    const r = await runCli(['rules'], dir);
    assert.strictEqual(r.code, 0);
    if (allRules.length === 0) assert.match(r.stdout, /No rules are registered/);
    for (const rule of allRules) {
      const row = r.stdout.split('\n').find((l) => l.startsWith(rule.id + ' '));
      assert.ok(row, `no row for ${rule.id}`);
      assert.ok(row.includes(rule.defaultSeverity) && row.includes(rule.docs.summary) && row.includes(rule.languages[0]));
    }
  });

  it('rule <id> prints the documentation sections', async function () {
    if (allRules.length === 0) this.skip();
    for (const rule of allRules) {
      const r = await runCli(['rule', rule.id], dir);
      assert.strictEqual(r.code, 0);
      const order = ['What it does', 'Why is this bad', 'Example', 'Use instead', 'Fix safety'].map((h) => r.stdout.indexOf(`\n${h}\n`));
      assert.ok(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])), r.stdout);
    }
  });

  it('rule with an unknown id lists the known ids and exits 2', async () => {
    const r = await runCli(['rule', 'no-such-rule'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /unknown rule `no-such-rule`; known rules: /);
    for (const rule of allRules) assert.ok(r.stderr.includes(rule.id));
  });
});
