#!/usr/bin/env node
// Builds the VS Code extension into dist/ (what the VSIX ships, see .vscodeignore):
//   dist/extension.js          the extension host side (src/vscode/extension.ts), `vscode` external;
//   dist/worker.js             the engine worker, the scan pool's workers and the deep-stack worker
//                              in one bundle (src/vscode/worker.ts picks the role), so the TypeScript
//                              compiler is shipped once;
//   dist/deep-stack-worker.js  a shim: the core starts `deep-stack-worker.js` beside itself;
//   dist/*.wasm                tree-sitter's runtime and the Python grammar, found beside the bundle;
//   dist/webview, pglite files what EXPLAIN needs (scripts/build-webview.mjs, when present).
// Then type-checks src/vscode and compiles the in-VS-Code test suite (tsconfig.vscode.json).
//   node scripts/build-extension.mjs [--dev] [--no-check]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dev = process.argv.includes('--dev');
const check = !process.argv.includes('--no-check');
const outdir = join(root, 'dist');

export async function buildExtension() {
  const started = Date.now();
  mkdirSync(outdir, { recursive: true });
  for (const stale of ['extension.js', 'worker.js', 'deep-stack-worker.js', 'extension.js.map', 'worker.js.map']) rmSync(join(outdir, stale), { force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { extension: 'src/vscode/extension.ts', worker: 'src/vscode/worker.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    minify: !dev,
    // No keepNames: it wraps every function made at run time in a call that redefines its `name`,
    // closures in the analysis' hot loops included (~10 ms of a 2,000-line Python file's analysis in
    // the engine worker). Nothing reads function names.
    sourcemap: dev ? 'linked' : false,
    legalComments: 'none',
    logLevel: 'warning',
    // Optional peers of bundled packages that are never loaded here.
    logOverride: { 'require-resolve-not-external': 'silent', 'unsupported-dynamic-import': 'silent' },
  });
  writeFileSync(join(outdir, 'deep-stack-worker.js'), "'use strict';\n// The core starts this file for very deep input; the worker bundle serves that role too.\nrequire('./worker.js');\n");
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(outdir, 'tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), join(outdir, 'tree-sitter-python.wasm'));
  const webview = join(root, 'scripts', 'build-webview.mjs');
  if (existsSync(webview)) {
    const mod = await import(pathToFileURL(webview).href);
    if (typeof mod.buildWebview === 'function') await mod.buildWebview({ outdir, dev });
  }
  if (check) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.vscode.json')], { stdio: 'inherit' });
  console.log(`perflens: extension built into dist/ in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildExtension().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
