import * as assert from 'assert';
import * as os from 'os';
import { MIN_CORES_FOR_WORKERS, PARALLEL_THRESHOLD, workerCount } from '../src/cli/project-run';
import { allRules } from '../src/rules';
import { makeProject, parseJson, removeProject, runCli } from './cli-helpers';

/**
 * A generated project of 250 files whose findings depend on the other files: routes call helpers
 * in lib/ that query (N+1 through a helper) or block, so the worker path must share summaries
 * across threads to find them.
 */
function generatedProject(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  const helpers = Math.floor(count / 2);
  for (let i = 0; i < helpers; i++) {
    files[`lib/db${i}.ts`] = [
      "import { PrismaClient } from '@prisma/client';",
      'const prisma = new PrismaClient();',
      `export async function load${i}(id: number) {`,
      '  return prisma.user.findUnique({ where: { id } });',
      '}',
      "import fs from 'fs';",
      `export function readConfig${i}() {`,
      "  return fs.readFileSync('config.json', 'utf8');",
      '}',
      '',
    ].join('\n');
  }
  for (let i = 0; i < count - helpers; i++) {
    const h = i % helpers;
    files[`routes/r${String(i).padStart(3, '0')}.ts`] = [
      `import { load${h}, readConfig${h} } from '../lib/db${h}';`,
      `export async function handler${i}(ids: number[]) {`,
      `  const config = readConfig${h}();`,
      '  const users = [];',
      `  for (const id of ids) users.push(await load${h}(id));`,
      '  return { config, users };',
      '}',
      '',
    ].join('\n');
  }
  return files;
}

describe('cli: worker threads', function () {
  let dir: string;
  before(() => {
    dir = makeProject(generatedProject(250));
  });
  after(() => removeProject(dir));

  it(`gives exactly the single-threaded result on ${250} files`, async () => {
    assert.ok(250 >= PARALLEL_THRESHOLD, 'the project is large enough for the parallel path');
    const single = await runCli(['check', '--format', 'json'], dir, { PERFLENS_WORKERS: '0', PERFLENS_DEBUG: '1' });
    const parallel = await runCli(['check', '--format', 'json'], dir, { PERFLENS_WORKERS: '2', PERFLENS_DEBUG: '1' });
    assert.match(single.stderr, /debug: 250 files, main thread/);
    assert.match(parallel.stderr, /debug: 250 files, 2 worker threads/);
    assert.doesNotMatch(parallel.stderr, /worker threads failed/);
    assert.strictEqual(parallel.code, single.code);
    const a = parseJson(single.stdout);
    const b = parseJson(parallel.stdout);
    a.summary.durationMs = b.summary.durationMs = 0;
    assert.deepStrictEqual(b, a);
    assert.strictEqual(a.summary.files, 250);
    if (allRules.some((r) => r.id === 'n-plus-one-query')) {
      // The cross-file N+1 (a helper that queries, called in a loop) needs the shared summaries.
      const crossFile = a.findings.filter((f) => f.rule === 'n-plus-one-query' && f.file.startsWith('routes/'));
      assert.strictEqual(crossFile.length, 125, 'one N+1 through a helper per route file');
    }
    if (allRules.some((r) => r.id === 'blocking-call-in-async')) {
      const transitive = a.findings.filter((f) => f.rule === 'blocking-call-in-async' && f.file.startsWith('routes/'));
      assert.strictEqual(transitive.length, 125, 'one blocking call through a sync helper per route file');
    }
  });

  it('uses worker threads from the threshold on, when there is more than one core', () => {
    const cores = os.availableParallelism();
    assert.strictEqual(workerCount(PARALLEL_THRESHOLD - 1, {}), 0);
    assert.strictEqual(workerCount(PARALLEL_THRESHOLD, {}), cores >= MIN_CORES_FOR_WORKERS ? Math.min(cores, Math.ceil(PARALLEL_THRESHOLD / 50)) : 0);
    assert.strictEqual(workerCount(10_000, {}), cores >= MIN_CORES_FOR_WORKERS ? cores : 0);
    assert.strictEqual(workerCount(5, { PERFLENS_WORKERS: '3' }), 3, 'forced, for tests and benchmarks');
    assert.strictEqual(workerCount(10_000, { PERFLENS_WORKERS: '0' }), 0);
  });
});
