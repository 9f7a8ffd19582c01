import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, ROOT } from './cli-helpers';

/**
 * The pre-commit hook as a user wires it: `.pre-commit-hooks.yaml` must be a valid manifest, and
 * its hook — entry `perflens check`, the staged files of its types as arguments — must fail a commit
 * that stages a Python file with a blocking call in `async def`, and pass a clean one.
 *
 * The real `pre-commit` runs the hook (Debian's package, when installed). `language: node` would make
 * pre-commit `npm install` this repository into a hook environment — from the network, which a test
 * must not need — so the test runs the manifest's own hook as a `repo: local` hook with
 * `language: system`, and a `perflens` on PATH that is this checkout's bin/perflens.js. Everything
 * else (entry, types_or, require_serial, how file names are passed) is read from the manifest.
 */

const MANIFEST = path.join(ROOT, '.pre-commit-hooks.yaml');
const BLOCKING_PY = 'import time\n\n\nasync def poll():\n    time.sleep(1)\n';
const CLEAN_PY = 'import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n';

interface Hook {
  id: string;
  entry: string;
  language: string;
  types_or?: string[];
  [k: string]: unknown;
}

function havePreCommit(): boolean {
  return spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** The manifest, parsed by the YAML library that pre-commit itself uses (PyYAML, next to pre-commit). */
function readManifest(): Hook[] {
  const python = fs.readFileSync(fs.realpathSync(execFileSync('sh', ['-c', 'command -v pre-commit'], { encoding: 'utf8' }).trim()), 'utf8').match(/^#!\s*(\S+)/)?.[1] ?? 'python3';
  const out = execFileSync(python, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', MANIFEST], { encoding: 'utf8' });
  return JSON.parse(out) as Hook[];
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
}

describe('pre-commit hook', function () {
  this.timeout(120_000);
  let repo = '';
  let env: NodeJS.ProcessEnv = {};

  before(function () {
    if (!havePreCommit()) {
      // Say so loudly rather than pass: CI installs Debian's `pre-commit` for this test.
      throw new Error('`pre-commit` is not installed (apt-get install pre-commit); the hook test needs it');
    }
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-pre-commit-'));
    const bin = path.join(repo, '.bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(BIN, path.join(bin, 'perflens'));
    env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      PRE_COMMIT_HOME: path.join(repo, '.cache'),
      GIT_CONFIG_GLOBAL: '/dev/null',
      NO_COLOR: '1',
    };
    git(repo, 'init', '-q');
    const hooks = readManifest().map((h) => ({ ...h, language: 'system' }));
    // JSON is YAML: the config holds the manifest's hooks unchanged but for the language.
    fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), JSON.stringify({ repos: [{ repo: 'local', hooks }] }, null, 2));
    fs.writeFileSync(path.join(repo, '.gitignore'), '.bin/\n.cache/\n');
    git(repo, 'add', '.pre-commit-config.yaml', '.gitignore');
    // As a user wires it: the git hook that `pre-commit install` writes runs on `git commit`.
    const install = spawnSync('pre-commit', ['install'], { cwd: repo, env, encoding: 'utf8' });
    assert.strictEqual(install.status, 0, install.stdout + install.stderr);
  });

  after(() => {
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  function commit(): { status: number | null; output: string } {
    const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-m', 'change'], { cwd: repo, env, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

  it('the manifest is valid for pre-commit and declares the perflens hook', () => {
    const r = spawnSync('pre-commit', ['validate-manifest', MANIFEST], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    const [hook] = readManifest();
    assert.strictEqual(hook.id, 'perflens');
    assert.strictEqual(hook.language, 'node');
    assert.strictEqual(hook.entry, 'perflens check');
    assert.ok(hook.types_or?.includes('python') && hook.types_or.includes('ts') && hook.types_or.includes('javascript'));
  });

  it('blocks a commit that stages a Python file with a blocking call, naming the file; unstaged files are not checked', () => {
    fs.mkdirSync(path.join(repo, 'app'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'app', 'jobs.py'), BLOCKING_PY);
    // Not staged: pre-commit does not pass it, so it must not be reported.
    fs.writeFileSync(path.join(repo, 'app', 'draft.py'), BLOCKING_PY);
    git(repo, 'add', 'app/jobs.py');
    const r = commit();
    assert.strictEqual(r.status, 1, r.output);
    assert.match(r.output, /perflens\.+Failed/);
    assert.match(r.output, /app\/jobs\.py:5:5\s+warning\s+`time\.sleep` blocks the event loop/);
    assert.ok(!r.output.includes('draft.py'), r.output);
  });

  it('lets the commit through once the staged file is fixed', () => {
    fs.writeFileSync(path.join(repo, 'app', 'jobs.py'), CLEAN_PY);
    git(repo, 'add', 'app/jobs.py');
    const r = commit();
    assert.strictEqual(r.status, 0, r.output);
    assert.match(r.output, /perflens\.+Passed/);
  });
});
