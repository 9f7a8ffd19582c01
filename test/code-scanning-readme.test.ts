import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as Sarif from 'sarif';
import { BIN, ROOT } from './cli-helpers';

/**
 * The README's GitHub Actions snippet, as a user copies it: its perflens step must leave a SARIF file
 * for the upload step when there are findings (perflens exits 1 then), and fail the job on a real
 * error (exit 2). The step's shell line is run as written, with `npx perflens` pointing at this checkout.
 */

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SAMPLE = path.join(ROOT, 'test', 'fixtures-eslint', 'sample');

function workflow(): string {
  const section = README.slice(README.indexOf('## GitHub code scanning'));
  const m = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(m, 'the code scanning section has a YAML block');
  return m[1];
}

function runStep(line: string, cwd: string): { status: number | null; stderr: string } {
  const command = line.replace(/\bnpx perflens\b/g, `"${process.execPath}" "${BIN}"`);
  const r = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('README: the code scanning workflow', function () {
  this.timeout(60_000);
  const yaml = workflow();
  const step = /- run: (npx perflens check --format sarif .*)$/m.exec(yaml)?.[1];
  const sarifFile = /sarif_file: (\S+)/.exec(yaml)?.[1];

  it('uploads with upload-sarif the file that the perflens step writes, with the permission it needs', () => {
    assert.ok(step, yaml);
    assert.match(yaml, /uses: github\/codeql-action\/upload-sarif@v\d+/);
    assert.match(yaml, /security-events: write/);
    assert.ok(sarifFile && step.includes(`> ${sarifFile}`), `${step} writes ${sarifFile}`);
  });

  it('the step succeeds with findings and leaves valid SARIF results; it fails on a usage error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-sarif-step-'));
    try {
      fs.cpSync(SAMPLE, dir, { recursive: true });
      const ok = runStep(step!, dir);
      assert.strictEqual(ok.status, 0, ok.stderr);
      const log = JSON.parse(fs.readFileSync(path.join(dir, sarifFile!), 'utf8')) as Sarif.Log;
      assert.strictEqual(log.version, '2.1.0');
      assert.ok((log.runs[0].results ?? []).length > 0, 'the sample has findings');
      const broken = runStep(step!.replace('check', 'check --max-severity loud'), dir);
      assert.notStrictEqual(broken.status, 0, 'exit code 2 is not swallowed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
