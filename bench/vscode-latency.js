#!/usr/bin/env node
'use strict';
/**
 * Benchmark (not a test) of the VS Code extension in a real VS Code (code-server, the harness of
 * test/vscode): the time from a document change to published diagnostics on generated 200, 2,000
 * and 10,000-line TypeScript and Python files, and the extension host's memory after a workspace scan of a
 * large repository (the Directus API corpus that bench/run.js prepares under .bench/corpus).
 *
 *   npm run build && node bench/vscode-latency.js [--quiet-typescript]
 *
 * `--quiet-typescript` turns off what VS Code's TypeScript support computes after each edit
 * (tsserver's diagnostics and semantic highlighting), to tell how much of the TypeScript latency is
 * waiting for the cores tsserver takes rather than perflens' own work.
 *
 * Needs the toolchain of scripts/install-vscode-toolchain.sh. Packs and installs the VSIX, so what
 * is measured is what users install. Prints a table; the raw numbers go to .bench/vscode-latency.json.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { generateServiceFile } = require('./generate');
const { generatePythonServiceFile } = require('./generate-python');

const ROOT = path.resolve(__dirname, '..');
const SCRATCH = path.join(ROOT, '.bench', 'vscode');
const CORPUS = path.join(ROOT, '.bench', 'corpus', 'directus-api-39.2.1');

/** VS Code settings that stop tsserver's per-edit diagnostics and semantic highlighting. */
const QUIET_TYPESCRIPT = {
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'editor.semanticHighlighting.enabled': false,
};

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--quiet-typescript');
  if (unknown.length) {
    console.error(`bench: unknown argument ${unknown[0]}; usage: node bench/vscode-latency.js [--quiet-typescript]`);
    process.exit(2);
  }
  const quiet = args.includes('--quiet-typescript');
  const cs = require(path.join(ROOT, 'out', 'test', 'vscode', 'code-server.js'));
  const tc = cs.findToolchain();
  if (typeof tc === 'string') {
    console.error(`bench: ${tc}`);
    process.exit(1);
  }
  if (!fs.existsSync(CORPUS)) {
    console.error(`bench: ${path.relative(ROOT, CORPUS)} is missing; run \`node bench/run.js\` once to prepare it`);
    process.exit(1);
  }
  fs.rmSync(SCRATCH, { recursive: true, force: true });
  fs.mkdirSync(SCRATCH, { recursive: true });
  const vsix = path.join(SCRATCH, 'perflens.vsix');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-extension-package.mjs'), '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const dirs = cs.prepareRun(path.join(SCRATCH, 'installed'), tc);
  cs.installVsix(tc, dirs, vsix);
  const extensionPath = path.join(dirs.extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`);

  const ws = path.join(SCRATCH, 'workspace');
  fs.mkdirSync(path.join(ws, 'latency'), { recursive: true });
  for (const lines of [200, 2000, 10000]) {
    fs.writeFileSync(path.join(ws, 'latency', `service-${lines}.ts`), generateServiceFile(7 + lines, lines));
    fs.writeFileSync(path.join(ws, 'latency', `service-${lines}.py`), generatePythonServiceFile(7 + lines, lines));
  }
  fs.cpSync(CORPUS, path.join(ws, 'directus'), { recursive: true });
  const resultFile = path.join(ROOT, '.bench', 'vscode-latency.json');
  fs.rmSync(resultFile, { force: true });
  const code = await cs.runExtensionTests(tc, {
    extensionPath,
    testsPath: path.join(__dirname, 'vscode-latency-host.js'),
    workspace: ws,
    runDir: path.join(SCRATCH, 'run'),
    settings: quiet ? QUIET_TYPESCRIPT : {},
    timeoutMs: 15 * 60_000,
    env: { PERFLENS_BENCH_OUT: resultFile },
    onOutput: (line) => (/error/i.test(line) ? console.error(`  ${line}`) : undefined),
  });
  if (code !== 0 || !fs.existsSync(resultFile)) {
    console.error(`bench: the run in VS Code failed (exit ${code}); logs in ${path.join(SCRATCH, 'run')}`);
    process.exit(1);
  }
  const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  if (quiet && (r.typescriptValidate !== false || r.semanticHighlighting !== false)) {
    console.error('bench: --quiet-typescript settings did not reach the extension host');
    process.exit(1);
  }
  const f = (x) => (x === undefined ? '–' : x.toFixed(1));
  console.log(`VS Code ${r.vscode} (code-server), extension host Node ${r.node}, ${require('os').cpus().length} cores${quiet ? '; tsserver diagnostics and semantic highlighting off (--quiet-typescript)' : ''}`);
  console.log('\nChange → published diagnostics (ms; median / p90 / max of 25 one-line edits after 5 warm-up edits)');
  console.log('| file | lines | findings | edit → diagnostics | change event → publish (inside the extension) | of which the engine worker | first analysis after open |');
  console.log('|---|---:|---:|---|---|---|---:|');
  for (const l of r.latency) {
    const s = (x) => (x ? `${f(x.median)} / ${f(x.p90)} / ${f(x.max)}` : '–');
    console.log(`| ${l.file ?? ''} | ${l.lines} | ${l.findings} | ${s(l.editToDiagnosticsMs)} | ${s(l.changeEventToPublishMs)} | ${s(l.engineMs)} | ${f(l.openToDiagnosticsMs)} |`);
  }
  const m = r.memory;
  console.log(`\nWorkspace scan: ${r.scan.files} files (Directus API corpus + the three files), ${r.scan.findings} findings, ${(r.scan.ms / 1000).toFixed(1)} s`);
  console.log('Extension host process memory (RSS includes the engine worker thread; heap = main thread):');
  for (const [k, v] of Object.entries(m)) console.log(`  ${k.padEnd(12)} RSS ${v.rssMb.toFixed(0)} MB, heap used ${v.heapUsedMb.toFixed(0)} MB`);
  console.log(`\nraw: ${path.relative(process.cwd(), resultFile)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
