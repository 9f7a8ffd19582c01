import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const STUBS = path.join(ROOT, 'test', 'fixture-types');

/** Libraries the fixes spell calls of, with small typed stubs in test/fixture-types. */
const TYPED_STUBS: Record<string, string> = {
  '@prisma/client': 'prisma-client.d.ts',
  typeorm: 'typeorm.d.ts',
  sequelize: 'sequelize.d.ts',
  knex: 'knex.d.ts',
  express: 'express.d.ts',
};
/** Everything else a fixture imports (Nest, Koa, memfs…) is `any`: the fixes do not spell its API. */
const SHIMS = 'perflens-untyped-shims.d.ts';

function fixedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'python') out.push(...fixedFiles(full));
    else if (/\.fixed\.ts$/.test(e.name)) out.push(full);
  }
  return out.sort();
}

function importedModules(files: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) for (const m of fs.readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'".][^'"]*)['"]/g)) out.add(m[1]);
  return out;
}

/** Messages of a file's errors, as a multiset keyed by code and text (positions move when code is rewritten). */
function errorCounts(program: ts.Program, file: string): Map<string, number> {
  const sf = program.getSourceFile(file)!;
  const counts = new Map<string, number>();
  for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    const key = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Issue 6, point 6 (b): the TypeScript that the fixes produce type-checks. Every `*.fixed.ts`
 * beside a fixture is compiled (noEmit, strict) with @types/node and the stubs; it may not have
 * an error its original does not have. Fixtures written for the fixes type-check cleanly before,
 * so their fixed forms must type-check cleanly after; older fixtures that call undeclared helpers
 * keep those errors, and only what a fix adds fails the test.
 */
describe('fixes: fixed TypeScript fixtures type-check', function () {
  this.timeout(120_000);
  const fixed = fixedFiles(FIXTURES);
  const originals = fixed.map((f) => f.replace(/\.fixed\.ts$/, '.ts'));
  let program: ts.Program;

  before(() => {
    const stubbed = new Set(Object.keys(TYPED_STUBS));
    const builtins = new Set(['fs', 'path', 'util', 'crypto', 'zlib', 'child_process', 'os', 'fs/promises', 'timers/promises', 'events', 'stream', 'http', 'url']);
    const untyped = [...importedModules([...fixed, ...originals])].filter((m) => !stubbed.has(m) && !m.startsWith('node:') && !builtins.has(m) && m !== 'pg');
    const shims = untyped.map((m) => `declare module '${m}';`).join('\n');
    const options: ts.CompilerOptions = {
      noEmit: true,
      strict: true,
      // Untyped libraries are `any` here (the shims), so implicit-any errors say nothing about a fix.
      noImplicitAny: false,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: false,
      skipLibCheck: true,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      baseUrl: STUBS,
      paths: Object.fromEntries(Object.entries(TYPED_STUBS).map(([m, f]) => [m, [f]])),
    };
    const host = ts.createCompilerHost(options);
    const shimPath = path.join(STUBS, SHIMS);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, onError, create) => (path.resolve(name) === shimPath ? ts.createSourceFile(name, shims, lang) : getSourceFile(name, lang, onError, create));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => path.resolve(name) === shimPath || fileExists(name);
    program = ts.createProgram([...originals, ...fixed, shimPath], options, host);
  });

  it('has fixed TypeScript fixtures to check', () => {
    assert.ok(fixed.length > 0);
  });

  for (const file of fixed) {
    const rel = path.relative(FIXTURES, file);
    it(`${rel} has no type error its original lacks`, () => {
      const before = errorCounts(program, file.replace(/\.fixed\.ts$/, '.ts'));
      const after = errorCounts(program, file);
      const added = [...after].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k, n]) => `${k} (${n - (before.get(k) ?? 0)}×)`);
      assert.deepStrictEqual(added, [], `${rel}: the fixes introduced type errors`);
    });
  }
});
