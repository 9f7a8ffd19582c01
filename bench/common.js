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

module.exports = { HAVE_GNU_TIME, measure, ownRepository, countLines, parseJson, firstLine, table, ms, mb, n };
