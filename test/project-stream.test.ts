import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeProject, defaultConfig, ready } from '../src/core';
import type { Finding } from '../src/core';
import { importedModules } from '../src/frontends/python/imports';
import { normalize, PythonModulePaths } from '../src/core/project-index';
import { makeProject, parseJson, removeProject, runCli } from './cli-helpers';

/**
 * Python files in a project analysis are taken in import order, each analysed once
 * (src/core/project-stream.ts): a helper is seen however many files down it is, import cycles
 * still see each other one file away, and neither the order files come in nor the worker threads
 * change a finding.
 */

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');

/** `app/m0.py` … `app/m{depth}.py`: an async route in m0, each module calling the next, a blocking call at the end. */
function chain(depth: number): Record<string, string> {
  const files: Record<string, string> = { 'app/__init__.py': '' };
  files['app/m0.py'] = ['from app.m1 import step1', '', '', 'async def route():', '    return step1()', ''].join('\n');
  for (let i = 1; i < depth; i++) {
    files[`app/m${i}.py`] = [`from app.m${i + 1} import step${i + 1}`, '', '', `def step${i}():`, `    return step${i + 1}()`, ''].join('\n');
  }
  files[`app/m${depth}.py`] = ['import time', '', '', `def step${depth}():`, '    time.sleep(1)', ''].join('\n');
  return files;
}

function analyse(files: Record<string, string>, order: (names: string[]) => string[] = (n) => n): Map<string, Finding[]> {
  const names = order(Object.keys(files));
  const results = analyzeProject(
    names.map((n) => ({ file: `/project/${n}`, text: files[n] })),
    defaultConfig(),
  );
  return new Map(names.map((n) => [n, results.get(`/project/${n}`)!.findings]));
}

function summary(findings: Map<string, Finding[]>): string[] {
  return [...findings]
    .flatMap(([file, list]) => list.map((f) => `${file}:${f.span.start}:${f.rule}:${f.message}`))
    .sort();
}

function pythonFixtures(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.py') && !p.endsWith('.fixed.py')) out.push({ file: p, text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(FIXTURES);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

describe('project analysis of Python files in import order', () => {
  before(() => ready());

  it('reads the modules a file imports from its text, without parsing', () => {
    const text = [
      'import os, app.core.db as db',
      'from . import models',
      'from ..crud import (',
      '    user,',
      '    order as orders,',
      ')',
      'def f():',
      '    from app.services.mail import send  # late import',
      'x = 1; import json',
    ].join('\n');
    assert.deepStrictEqual(new Set(importedModules(text)), new Set(['os', 'app', 'app.core', 'app.core.db', '.', '.models', '..crud', '..crud.user', '..crud.order', 'app.services.mail', 'app.services.mail.send', 'json']));
  });

  for (const depth of [2, 5]) {
    it(`reports a blocking call ${depth} files below the async route`, () => {
      const findings = analyse(chain(depth));
      assert.deepStrictEqual(
        findings.get('app/m0.py')!.map((f) => f.rule),
        ['blocking-call-in-async'],
      );
      assert.match(findings.get('app/m0.py')![0].message, /`step1` calls `time\.sleep`/);
    });
  }

  it('sees a helper in a module beside a route run from its own folder, package or not', () => {
    for (const init of [true, false]) {
      const files: Record<string, string> = {
        'app/crud.py': ['import time', '', '', 'def slow_users():', '    time.sleep(1)', ''].join('\n'),
        'app/main.py': ['from crud import slow_users', '', '', 'async def route():', '    return slow_users()', ''].join('\n'),
        // Another package's `json.py` is not the standard library's `json`.
        'lib/__init__.py': '',
        'lib/codecs/__init__.py': '',
        'lib/codecs/json.py': ['import time', '', '', 'def dumps(value):', '    time.sleep(1)', ''].join('\n'),
        'app/views.py': ['import json', '', '', 'async def view(data):', '    return json.dumps(data)', ''].join('\n'),
      };
      if (init) files['app/__init__.py'] = '';
      const findings = analyse(files);
      assert.deepStrictEqual(findings.get('app/main.py')!.map((f) => f.rule), ['blocking-call-in-async'], `app/__init__.py: ${init}`);
      assert.deepStrictEqual(findings.get('app/views.py'), [], `app/__init__.py: ${init}`);
    }
  });

  it('sees a helper of the other module in an import cycle', () => {
    const files = {
      'app/__init__.py': '',
      'app/a.py': ['from app.b import slow', '', 'LIMIT = 5', '', '', 'async def route():', '    return slow()', ''].join('\n'),
      'app/b.py': ['import time', '', 'from app.a import LIMIT', '', '', 'def slow():', '    time.sleep(LIMIT)', ''].join('\n'),
    };
    const findings = analyse(files);
    assert.deepStrictEqual(findings.get('app/a.py')!.map((f) => f.rule), ['blocking-call-in-async']);
  });

  it('finds the same in every Python fixture whatever order the files come in', () => {
    const files = pythonFixtures();
    assert.ok(files.length > 50, `${files.length} Python fixtures`);
    const run = (list: typeof files) => {
      const results = analyzeProject(list, defaultConfig());
      return summary(new Map(list.map((f) => [f.file, results.get(f.file)!.findings])));
    };
    const forward = run(files);
    assert.ok(forward.length > 100, `${forward.length} findings`);
    assert.deepStrictEqual(run([...files].reverse()), forward);
    // Interleaved: every other file first.
    assert.deepStrictEqual(run([...files.filter((_, i) => i % 2), ...files.filter((_, i) => i % 2 === 0)]), forward);
  });

  it('sees helpers around an import cycle of three modules, with the fixtures alongside', () => {
    const cycle = ['a', 'b', 'c'].map((m, k, all) => {
      const next = all[(k + 1) % 3];
      const text = [
        'import time',
        `from app.${next} import helper_${next}`,
        '',
        `def helper_${m}(session, ids):`,
        k === 2 ? '    time.sleep(1)' : `    return helper_${next}(session, ids)`,
        '',
        `async def route_${m}(session, ids):`,
        '    for i in ids:',
        `        await session.execute(select(User).where(User.id == i))`,
        `    return helper_${m}(session, ids)`,
        '',
      ].join('\n');
      return { file: `/project/app/${m}.py`, text };
    });
    const files = [...pythonFixtures(), { file: '/project/app/__init__.py', text: '' }, ...cycle];
    const results = analyzeProject(files, defaultConfig());
    const found = summary(new Map(files.map((f) => [f.file, results.get(f.file)!.findings])));
    assert.strictEqual(found.filter((f) => f.startsWith('/project/app/') && f.includes('blocking-call-in-async')).length, 3, found.join('\n'));
  });

});

describe('cli: Python in import order, with worker threads', function () {
  let dir: string;
  before(() => {
    // 240 files: chains 4 deep and small cycles, beside TypeScript files, so the parallel path runs.
    const files: Record<string, string> = { 'app/__init__.py': '' };
    for (let c = 0; c < 40; c++) {
      for (const [name, text] of Object.entries(chain(4))) {
        if (name === 'app/__init__.py') continue;
        files[name.replace('app/', `app/c${c}/`)] = text.replace(/app\.m/g, `app.c${c}.m`);
      }
      files[`app/c${c}/__init__.py`] = '';
      files[`lib/t${c}.ts`] = ["import fs from 'fs';", `export async function read${c}() {`, "  return fs.readFileSync('x');", '}', ''].join('\n');
    }
    dir = makeProject(files);
  });
  after(() => removeProject(dir));

  it('gives exactly the single-threaded result', async () => {
    const single = await runCli(['check', '--format', 'json'], dir, { PERFLENS_WORKERS: '0', PERFLENS_DEBUG: '1' });
    const parallel = await runCli(['check', '--format', 'json'], dir, { PERFLENS_WORKERS: '2', PERFLENS_DEBUG: '1' });
    assert.match(parallel.stderr, /2 worker threads/);
    assert.doesNotMatch(parallel.stderr, /worker threads failed/);
    const a = parseJson(single.stdout) as { findings: { file: string; rule: string }[] };
    const b = parseJson(parallel.stdout) as { findings: { file: string; rule: string }[] };
    assert.deepStrictEqual(b.findings, a.findings);
    // Every chain's route, and every TypeScript file.
    assert.strictEqual(a.findings.filter((f) => f.file.endsWith('m0.py')).length, 40);
    assert.strictEqual(a.findings.filter((f) => f.file.endsWith('.ts')).length, 40);
  });
});

describe('project paths', () => {
  it('resolves absolute module names from folders that are not packages, else beside the importing file', () => {
    const paths = new PythonModulePaths([
      '/repo/app/__init__.py',
      '/repo/app/crud/__init__.py',
      '/repo/app/crud/user.py',
      '/repo/app/serializers/__init__.py',
      '/repo/app/serializers/json.py',
      '/repo/src/svc/__init__.py',
      '/repo/src/svc/jobs.py',
      '/repo/scripts/tool.py',
      '/repo/ns/part/mod.py',
    ]);
    const from = '/repo/app/main.py';
    // From the project's root, a source folder, or a plain folder of scripts.
    assert.strictEqual(paths.resolve(from, 'app.crud.user'), '/repo/app/crud/user.py');
    assert.strictEqual(paths.resolve(from, 'app.crud'), '/repo/app/crud/__init__.py');
    assert.strictEqual(paths.resolve(from, 'svc.jobs'), '/repo/src/svc/jobs.py');
    assert.strictEqual(paths.resolve(from, 'tool'), '/repo/scripts/tool.py');
    // Namespace packages (no `__init__.py`) may be roots themselves: kept.
    assert.strictEqual(paths.resolve(from, 'part.mod'), '/repo/ns/part/mod.py');
    assert.strictEqual(paths.resolve(from, 'mod'), '/repo/ns/part/mod.py');
    // Inside a package a name is not importable on its own: `json` is the standard library's.
    assert.strictEqual(paths.resolve(from, 'json'), undefined);
    assert.strictEqual(paths.resolve('/repo/scripts/tool.py', 'crud.user'), undefined);
    assert.strictEqual(paths.resolve(from, 'user'), undefined);
    // Unless it is beside the importing file: a script's folder is on sys.path.
    assert.strictEqual(paths.resolve(from, 'crud.user'), '/repo/app/crud/user.py');
    assert.strictEqual(paths.resolve('/repo/app/crud/__init__.py', 'user'), '/repo/app/crud/user.py');
    // Relative imports are unchanged.
    assert.strictEqual(paths.resolve('/repo/app/serializers/__init__.py', '.json'), '/repo/app/serializers/json.py');
  });


  it('normalises paths as path.normalize does (with forward slashes), skipping it for normal ones', () => {
    const cases = ['/a/b/c.py', 'a/b', './a', 'a/./b', 'a/../b', '/a//b', 'a\\b', '/a/b/', '.', '..', '/', '', 'a/..', '/a/b/.', 'x.py', '/a/.hidden/b.py', '/a/..b/c.py', '/a/b../c', 'a/b/..', '../../x/y.py'];
    for (const c of cases) assert.strictEqual(normalize(c), path.normalize(c).replace(/\\/g, '/'), JSON.stringify(c));
  });
});
