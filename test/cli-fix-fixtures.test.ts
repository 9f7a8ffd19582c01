import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseJson, removeProject, ROOT, runCli } from './cli-helpers';
import type { JsonOut } from './cli-helpers';

const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** Copies the fixtures (not their `*.fixed.*` expectations) into a temporary folder. */
function copyFixtures(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-fix-e2e-')));
  fs.cpSync(FIXTURES, dir, { recursive: true, filter: (src) => !/\.fixed\.[a-z]+$/.test(src) });
  return dir;
}

function syntaxErrors(out: JsonOut): string[] {
  return out.notes.filter((n) => /syntax error/.test(n.message)).map((n) => `${n.file}: ${n.message}`);
}

const hasFix = (f: JsonOut['findings'][number], applicability: string) =>
  f.fixes.some((x) => x.applicability === applicability && x.edits.length > 0 && !x.edits.every((e) => e.newText.includes('perflens-ignore')));

/**
 * Issue 6, "done when": `perflens check --fix` on a copy of the fixtures leaves only findings
 * that have no safe fix, and every file still parses. Unsafe fixes stay unapplied.
 */
describe('cli: --fix on a copy of the fixtures', function () {
  this.timeout(300_000);
  let dir: string;
  let initial: JsonOut;
  let final: JsonOut;
  let stderr: string;
  const texts = new Map<string, string>();

  before(async () => {
    dir = copyFixtures();
    initial = parseJson((await runCli(['check', '--format', 'json', '.'], dir)).stdout);
    for (const f of new Set(initial.findings.map((x) => x.file))) texts.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
    const fixed = await runCli(['check', '--fix', '--format', 'json', '.'], dir);
    stderr = fixed.stderr;
    final = parseJson((await runCli(['check', '--format', 'json', '.'], dir)).stdout);
  });
  after(() => dir && removeProject(dir));

  it('had safe fixes to apply, and applied them', () => {
    assert.ok(initial.findings.some((f) => hasFix(f, 'safe')), 'no fixture finding offers a safe fix');
    assert.match(stderr, /applied \d+ fix(es)? in \d+ files?/);
  });

  it('leaves only findings without a safe fix', () => {
    const left = final.findings.filter((f) => hasFix(f, 'safe')).map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.fixes.map((x) => x.title).join(' | ')}`);
    assert.deepStrictEqual(left, []);
    assert.ok(final.findings.length < initial.findings.length);
  });

  it('leaves every file parsing (no syntax error that was not there before)', () => {
    const old = new Set(syntaxErrors(initial));
    assert.deepStrictEqual(syntaxErrors(final).filter((e) => !old.has(e)), []);
  });

  it('changes only files that had a safe fix, and keeps the unsafe ones for review', () => {
    const withSafe = new Set(initial.findings.filter((f) => hasFix(f, 'safe')).map((f) => f.file));
    for (const [file, text] of texts) {
      const now = fs.readFileSync(path.join(dir, file), 'utf8');
      if (!withSafe.has(file)) assert.strictEqual(now, text, `${file} changed though none of its findings has a safe fix`);
    }
    const unsafeOnly = initial.findings.filter((f) => hasFix(f, 'unsafe') && !hasFix(f, 'safe')).length;
    assert.ok(final.findings.filter((f) => hasFix(f, 'unsafe')).length >= Math.min(1, unsafeOnly), 'unsafe fixes were applied without --unsafe');
  });
});
