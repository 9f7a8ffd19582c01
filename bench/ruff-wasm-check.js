#!/usr/bin/env node
'use strict';
/**
 * Ruff's WebAssembly build as a command: checks every `.py` file under a folder with the rules
 * named on the command line (bench/python.js passes `ASYNC` and `PERF`) and writes one JSON report
 * to stdout, so that bench/python.js can time it as a whole process, as it does `perflens check`.
 *
 *   node bench/ruff-wasm-check.js <dir> --select ASYNC,PERF
 *
 * Output: `{ "ruff": version, "select": [...], "files": [relative paths], "diagnostics": [{ file,
 * code, row }] }`. Ruff's wasm `Workspace` checks one source text at a time and has no file walker,
 * so this script walks the folder itself (skipping only `.git`) and reads each file synchronously.
 */

const fs = require('fs');
const path = require('path');
const { listFiles } = require('./common');
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');

function usage(message) {
  process.stderr.write(`ruff-wasm-check: ${message}\nusage: node bench/ruff-wasm-check.js <dir> --select ASYNC,PERF\n`);
  process.exit(2);
}


function main() {
  const args = process.argv.slice(2);
  const selectAt = args.indexOf('--select');
  if (selectAt === -1 || !args[selectAt + 1]) usage('`--select` with a comma-separated rule list is required.');
  const select = args[selectAt + 1].split(',').filter(Boolean);
  const dirs = args.filter((_, i) => i !== selectAt && i !== selectAt + 1);
  if (dirs.length !== 1) usage('give exactly one folder.');
  const root = path.resolve(dirs[0]);

  const workspace = new Workspace({ lint: { select } }, PositionEncoding.Utf16);
  const files = [];
  const diagnostics = [];
  for (const file of listFiles(root, (name) => name.endsWith('.py'))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    files.push(rel);
    for (const d of workspace.check(fs.readFileSync(file, 'utf8'))) {
      diagnostics.push({ file: rel, code: d.code, row: d.start_location.row });
    }
  }
  process.stdout.write(`${JSON.stringify({ ruff: Workspace.version(), select, files, diagnostics })}\n`);
}

main();
