#!/usr/bin/env node
'use strict';
/**
 * Benchmark (not a test): the extension's engine worker alone, as VS Code drives it while a user
 * types — the bundled dist/worker.js in its `engine` role, sent one edited text after another of a
 * generated 200 / 2,000 / 10,000-line service file, TypeScript (generate.js) and Python
 * (generate-python.js), a comment line typed in the middle each time; also a line of code typed
 * into a function in the middle (the editor re-walks only the statements and class members an
 * edit may have changed, so where the typing happens matters).
 * Reports the worker's own time per analysis and the round trip through the message port, wall time
 * and CPU time of the process (CPU time is steadier on a busy machine). bench/vscode-latency.js
 * measures the same in a real VS Code, where tsserver and the renderer share the cores.
 *
 *   node scripts/build-extension.mjs --no-check && node bench/engine-latency.js
 */
const path = require('path');
const fs = require('fs');
const { Worker } = require('worker_threads');
const { declarationInFunction, generateServiceFile } = require('./generate');
const { assignmentInFunction, generatePythonServiceFile } = require('./generate-python');

const ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(ROOT, 'dist', 'worker.js');
const SIZES = [200, 2000, 10000];
/** A line inserted in the middle of the file, at column 0. */
const comment = (prefix) => (lines, i) => lines.splice(Math.floor(lines.length / 2), 0, `${prefix} typed ${i}`);
/**
 * A statement typed into a function: after the first complete statement inside a function from
 * the middle of the file on (found in the untouched text, so every edit lands in the same function).
 */
const codeInFunction = (find, typed) => (lines, i) => {
  const { line, indent } = find(lines, Math.floor((lines.length - i) / 2));
  lines.splice(line + 1, 0, `${indent}${typed(i)}`);
};
const LANGUAGES = [
  { ext: 'ts', label: '.ts', generate: generateServiceFile, type: comment('//') },
  { ext: 'ts', label: '.ts, code in a method', generate: generateServiceFile, type: codeInFunction(declarationInFunction, (i) => `const typed${i} = ${i};`) },
  { ext: 'py', label: '.py', generate: generatePythonServiceFile, type: comment('#') },
  { ext: 'py', label: '.py, code in a function', generate: generatePythonServiceFile, type: codeInFunction(assignmentInFunction, (i) => `typed_${i} = ${i}`) },
];
const WARMUP = 10;
const MEASURED = 50;
/**
 * V8 optimises the engine's code over the first hundred or so analyses: besides the first minute
 * of typing (edits 11-60), files up to 2,000 lines are measured again after 100 more edits.
 */
const LATER = 100;
const LATER_SIZES = new Set([200, 2000]);

async function main() {
  if (!fs.existsSync(WORKER)) {
    console.error('bench: dist/worker.js is missing; run `node scripts/build-extension.mjs --no-check` first');
    process.exit(1);
  }
  console.log('| file | lines | findings | engine (worker) ms, edits 11-60, median / p90 | engine ms after 100 more edits | round trip ms, median / p90 | process CPU ms per edit, median |');
  console.log('|---|---:|---:|---|---|---|---:|');
  for (const lang of LANGUAGES) for (const lines of SIZES) {
    const worker = new Worker(WORKER, { workerData: { role: 'engine' } });
    const waiting = new Map();
    worker.on('message', (m) => {
      if (m.id !== undefined && waiting.has(m.id)) {
        waiting.get(m.id)(m);
        waiting.delete(m.id);
      }
    });
    let nextId = 1;
    const ask = (msg) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        worker.postMessage({ ...msg, id });
      });
    worker.postMessage({ type: 'settings', settings: { config: {}, ignore: [], folders: [] } });
    const file = path.join(ROOT, '.bench', 'engine-latency', `service-${lines}.${lang.ext}`);
    const text = lang.generate(7 + lines, lines).split('\n');
    const engine = [];
    const roundTrip = [];
    const cpu = [];
    const later = [];
    let findings = 0;
    const total = WARMUP + MEASURED + (LATER_SIZES.has(lines) ? LATER + MEASURED : 0);
    for (let i = 0; i < total; i++) {
      lang.type(text, i);
      const body = text.join('\n');
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await ask({ type: 'analyze', file, text: body });
      const c = process.cpuUsage(c0);
      if (r.type !== 'result') throw new Error(`the engine answered ${r.type}: ${r.message ?? ''}`);
      if (i >= WARMUP + MEASURED + LATER) later.push(r.engineMs);
      else if (i >= WARMUP && i < WARMUP + MEASURED) {
        engine.push(r.engineMs);
        roundTrip.push(performance.now() - t0);
        cpu.push((c.user + c.system) / 1000);
      }
      findings = r.result.findings.length;
    }
    await worker.terminate();
    const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
    const warm = later.length ? `${q(later, 0.5)} / ${q(later, 0.9)}` : '–';
    console.log(`| ${lang.label} | ${text.length - total} | ${findings} | ${q(engine, 0.5)} / ${q(engine, 0.9)} | ${warm} | ${q(roundTrip, 0.5)} / ${q(roundTrip, 0.9)} | ${q(cpu, 0.5)} |`);
  }
  console.log(`\n${require('os').cpus().length} cores, load average ${require('os').loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
