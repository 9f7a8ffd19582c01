import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');

/** Every `*.fixed.py` under the fixtures, and the fixtures they come from. */
function fixedPythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...fixedPythonFiles(full));
    else if (entry.name.endsWith('.fixed.py')) out.push(full);
  }
  return out.sort();
}

/**
 * Compiles files with CPython's `py_compile` (into a temporary directory, so no `__pycache__` lands
 * in the fixtures) and returns the error message per file that does not compile.
 */
function pyCompile(files: string[]): Record<string, string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-pycompile-'));
  try {
    const script = [
      'import json, os, py_compile, sys',
      'errors = {}',
      'for i, f in enumerate(json.load(sys.stdin)):',
      '    try:',
      '        py_compile.compile(f, cfile=os.path.join(sys.argv[1], str(i) + ".pyc"), doraise=True)',
      '    except py_compile.PyCompileError as e:',
      '        errors[f] = e.msg',
      'print(json.dumps(errors))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script, out], { input: JSON.stringify(files), encoding: 'utf8' });
    assert.strictEqual(run.status, 0, `python3 failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, string>;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The fixed Python fixtures are what `perflens check --fix --unsafe` writes; tree-sitter tolerates
 * code CPython rejects (`await` outside `async def`, an annotated tuple target), so each is also
 * compiled by CPython.
 */
describe('fixed Python fixtures compile with CPython', function () {
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  const files = fs.existsSync(FIXTURES) ? fixedPythonFiles(FIXTURES) : [];

  it('finds fixed Python fixtures to compile', () => {
    assert.ok(files.length > 0, 'no *.fixed.py under test/fixtures');
  });

  it('every *.fixed.py compiles (python3 -m py_compile)', function () {
    if (python.status !== 0) this.skip();
    const errors = pyCompile(files);
    assert.deepStrictEqual(errors, {}, 'fixed fixtures that CPython rejects');
  });

  it('the check rejects what CPython rejects (await outside async def)', function () {
    if (python.status !== 0) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-pycompile-bad-'));
    try {
      const bad = path.join(dir, 'bad.fixed.py');
      fs.writeFileSync(bad, 'import asyncio\n\n\ndef sync():\n    await asyncio.sleep(1)\n');
      assert.match(pyCompile([bad])[bad] ?? '', /await/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
