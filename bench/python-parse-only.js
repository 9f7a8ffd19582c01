#!/usr/bin/env node
'use strict';
/**
 * The floor under `perflens check` on Python: web-tree-sitter with tree-sitter-python's grammar
 * (the parser the issue mandates) parses every `.py` file under a folder and does nothing else, as
 * a whole process like the two tools bench/python.js times. Perflens cannot be faster than this
 * without a faster parser; the trees are dropped unread (perflens also copies them into JS objects).
 *
 *   node bench/python-parse-only.js <dir>
 *
 * Output: `{ "files": n, "parseMs": ms }` (parse time inside the process, start-up excluded).
 */

const fs = require('fs');
const path = require('path');
const { listFiles } = require('./common');

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node bench/python-parse-only.js <dir>\n');
    process.exit(2);
  }
  const TreeSitter = require('web-tree-sitter');
  await TreeSitter.Parser.init();
  const language = await TreeSitter.Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const parser = new TreeSitter.Parser();
  parser.setLanguage(language);
  const files = listFiles(path.resolve(dir), (name) => name.endsWith('.py'));
  let parseMs = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const start = performance.now();
    parser.parse(text)?.delete();
    parseMs += performance.now() - start;
  }
  process.stdout.write(`${JSON.stringify({ files: files.length, parseMs: Math.round(parseMs) })}\n`);
}

main().catch((err) => {
  process.stderr.write(`python-parse-only: ${err && err.stack ? err.stack : err}\n`);
  process.exit(2);
});
