#!/usr/bin/env node
// Builds what "Explain Selected SQL" needs inside the packaged extension:
//   dist/webview/plan-view.js + plan-view.css — the plan webview (PEV2 + Vue + Bootstrap's CSS),
//     one browser bundle with no remote resources, loaded under the page's nonce CSP;
//   dist/explain-worker.js — the worker thread that runs the embedded PostgreSQL (PGlite) off the
//     extension host's thread (src/vscode/explain/embedded-worker.ts);
//   dist/pglite.wasm, dist/initdb.wasm, dist/pglite.data — the embedded PostgreSQL's runtime files.
//     PGlite's CommonJS build looks for them beside the script that holds it (`__filename`): the
//     worker, or dist/extension.js when the extension falls back to running it in-process.
// Called by the extension build (scripts/build-extension.mjs); runs alone too:
//   node scripts/build-webview.mjs [--dev]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

export async function buildWebview({ outdir = join(root, 'dist'), dev = false } = {}) {
  await build({
    absWorkingDir: root,
    entryPoints: { 'plan-view': 'src/vscode/explain/webview/plan-view.ts' },
    outdir: join(outdir, 'webview'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['chrome120'],
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'),
      // Vue's compile-time flags (the runtime-only build: no template compiler, so no eval).
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'dataurl', '.png': 'dataurl' },
  });
  await build({
    absWorkingDir: root,
    entryPoints: { 'explain-worker': 'src/vscode/explain/embedded-worker.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    legalComments: 'none',
    logLevel: 'warning',
    // PGlite's contrib extensions are required by name at run time; a missing one is reported per file.
    logOverride: { 'unsupported-require-call': 'silent' },
  });
  copyPgliteAssets(outdir);
}

export function copyPgliteAssets(outdir = join(root, 'dist')) {
  const pgliteDist = dirname(require.resolve('@electric-sql/pglite'));
  mkdirSync(outdir, { recursive: true });
  for (const file of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) copyFileSync(join(pgliteDist, file), join(outdir, file));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWebview({ dev: process.argv.includes('--dev') });
}
