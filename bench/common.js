'use strict';
/**
 * What bench/run.js (TypeScript/JavaScript) and bench/python.js (Python) share: running a tool as a
 * whole process with its wall time, CPU time and peak RSS, preparing a corpus folder, and printing
 * tables.
 */

const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const SCRATCH = path.join(__dirname, '..', '.bench');

const HAVE_GNU_TIME = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

async function measure(label, args, cwd, env = process.env) {
  const tmp = path.join(SCRATCH, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const stdoutFile = path.join(tmp, `${label}.stdout.json`);
  const timeFile = path.join(tmp, `${label}.time`);
  const fd = fs.openSync(stdoutFile, 'w');
  const [cmd, argv] = HAVE_GNU_TIME ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, process.execPath, ...args]] : [process.execPath, args];
  const start = process.hrtime.bigint();
  const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', fd, 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let polledKb = 0;
  const poll = HAVE_GNU_TIME
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polledKb = Math.max(polledKb, Number(m[1]));
        } catch {
          // The process has exited between polls.
        }
      }, 5);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (poll) clearInterval(poll);
  fs.closeSync(fd);
  let peakKb = polledKb;
  let cpuMs;
  if (HAVE_GNU_TIME) {
    // GNU time writes "Command exited with non-zero status N" before its line when the exit code ≠ 0.
    const lines = fs.readFileSync(timeFile, 'utf8').trim().split('\n');
    const [kb, user, sys] = lines[lines.length - 1].split(' ').map(Number);
    peakKb = kb;
    cpuMs = (user + sys) * 1000;
  }
  return { code, wallMs, cpuMs, peakKb, stdout: fs.readFileSync(stdoutFile, 'utf8'), stderr };
}

/**
 * Makes a corpus folder its own git repository, as a checked-out code base is. Perflens applies the
 * .gitignore files of the enclosing repository, and this one (.bench/ is ignored) would hide every
 * corpus file from it; ESLint does not read .gitignore. Both tools skip `.git`.
 */
function ownRepository(dir) {
  if (fs.existsSync(path.join(dir, '.git'))) return;
  const r = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`\`git init ${dir}\` failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

function countLines(files) {
  let lines = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
    lines += n + (text.length > 0 && !text.endsWith('\n') ? 1 : 0);
  }
  return lines;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function firstLine(s) {
  return (s || '').trim().split('\n')[0].slice(0, 200) || '(no output)';
}

function table(headers, rows, alignLeft = new Set([0])) {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const fmt = (r) => r.map((c, i) => (alignLeft.has(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(fmt)].join('\n');
}

const ms = (x) => (x === undefined ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(x >= 10 ? 1 : 2));
const mb = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MB` : '–');
const n = (x) => (x === undefined ? '–' : x.toLocaleString('en'));

function countBy(items, key) {
  const out = {};
  for (const it of items) out[key(it)] = (out[key(it)] || 0) + 1;
  return out;
}

/** Source files under `dir` that `accept` takes, in name order, skipping `.git` and `node_modules`. */
function listFiles(dir, accept) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(full);
      } else if (accept(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/**
 * Runs `perflens check . --format json` in `dir` as chosen by the CLI and again on one thread, fills
 * `row` (times, findings per rule, caveats when the file counts or findings disagree), and returns
 * the JSON report of the first run.
 */
async function runPerflens(bin, dir, files, rels, row) {
  const relSet = new Set(rels);
  const perflens = await measure('perflens', [bin, 'check', '.', '--format', 'json'], dir);
  row.perflens = perflens;
  const pOut = parseJson(perflens.stdout);
  if (!pOut || !pOut.summary) {
    row.caveats.push(`perflens exited ${perflens.code} without a JSON report: ${firstLine(perflens.stderr || perflens.stdout)}`);
  } else {
    row.perflensFiles = pOut.summary.files;
    row.perflensFindings = countBy(pOut.findings, (f) => f.rule);
    const outside = [...new Set(pOut.findings.map((f) => f.file.split(path.sep).join('/').replace(/^\.\//, '')))].filter((f) => !relSet.has(f));
    if (pOut.summary.files !== files.length) row.caveats.push(`perflens analysed ${pOut.summary.files} files, the corpus has ${files.length}`);
    if (outside.length) row.caveats.push(`perflens reported findings in files outside the corpus list: ${outside.slice(0, 3).join(', ')}`);
    if (perflens.code === 2) row.caveats.push(`perflens exited 2 (usage or internal error): ${firstLine(perflens.stderr)}`);
    const noteLines = perflens.stderr.split('\n').filter(Boolean);
    if (noteLines.length) row.caveats.push(`perflens wrote ${noteLines.length} line(s) to stderr, first: ${noteLines[0].slice(0, 160)}`);
  }

  // The same check on one thread (as bench/run.js does): on 2 cores, worker threads can cost more
  // than they save.
  const single = await measure('perflens-1-thread', [bin, 'check', '.', '--format', 'json'], dir, { ...process.env, PERFLENS_WORKERS: '0' });
  const sOut = parseJson(single.stdout);
  row.perflensSingle = single;
  if (!sOut || !sOut.summary) row.caveats.push(`perflens with PERFLENS_WORKERS=0 exited ${single.code} without a JSON report: ${firstLine(single.stderr)}`);
  else if (pOut && pOut.summary && sOut.findings.length !== pOut.findings.length) {
    row.caveats.push(`perflens found ${pOut.findings.length} findings with worker threads but ${sOut.findings.length} on one thread`);
  }
  return pOut;
}

module.exports = { HAVE_GNU_TIME, measure, listFiles, runPerflens, countBy, ownRepository, countLines, parseJson, firstLine, table, ms, mb, n };
