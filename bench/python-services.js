#!/usr/bin/env node
/**
 * Precision and completeness of perflens's Python findings on real FastAPI + SQLAlchemy services
 * (issue 3). The services are listed in bench/python-services.json and copied by hand into
 * .bench/python-services/<owner>__<repo>/ (git-ignored; see bench/python-services.md), each with a
 * labels.json of the instances a person found by reading the code.
 *
 *   node bench/python-services.js [--half tune|kept-aside] [--verbose] [--perflens path/to/bin/perflens.js]
 *
 * `--perflens` scores another build (e.g. a worktree of an older commit) on the same labels.
 *
 * A finding is real when it matches a label of the same rule and file: on the label's line, or,
 * for a sequential-awaits group, when the label's line lies inside the group. Findings on lines
 * labelled "doubtful" count neither way. Precision = real findings / findings; completeness =
 * labels found / labels.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const COPIES = path.join(ROOT, '.bench', 'python-services');
const RULES = ['n-plus-one-query', 'blocking-call-in-async', 'sequential-awaits', 'offset-pagination'];

function main() {
  const args = process.argv.slice(2);
  const half = valueOf(args, '--half');
  const verbose = args.includes('--verbose');
  const bin = path.resolve(valueOf(args, '--perflens') ?? path.join(ROOT, 'bin', 'perflens.js'));
  const list = JSON.parse(fs.readFileSync(path.join(__dirname, 'python-services.json'), 'utf8')).services;
  const totals = new Map();
  for (const service of list) {
    if (half && service.half !== half) continue;
    const dir = path.join(COPIES, service.repo.replace('/', '__'));
    const labelsFile = path.join(dir, 'labels.json');
    if (!fs.existsSync(labelsFile)) {
      console.log(`${service.repo}: not fetched (${path.relative(ROOT, labelsFile)} missing), skipped`);
      continue;
    }
    const labels = JSON.parse(fs.readFileSync(labelsFile, 'utf8'));
    const findings = check(bin, dir);
    const score = compare(findings, labels.instances ?? [], labels.doubtful ?? []);
    console.log(`\n${service.repo} (${service.half})`);
    printTable(score.perRule);
    if (verbose || score.misses.length || score.noise.length) {
      for (const m of score.misses) console.log(`  missed ${m.rule} ${m.file}:${m.line} — ${m.why}`);
      for (const f of score.noise) console.log(`  noise  ${f.rule} ${f.file}:${f.line} — ${f.message}`);
    }
    const sum = totals.get(service.half) ?? emptyRows();
    for (const rule of RULES) for (const k of Object.keys(sum[rule])) sum[rule][k] += score.perRule[rule][k];
    totals.set(service.half, sum);
  }
  for (const [name, rows] of totals) {
    console.log(`\nTotal, ${name}`);
    printTable(rows);
  }
}

function valueOf(args, flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs the CLI on one service folder; findings with paths relative to that folder. */
function check(bin, dir) {
  const res = spawnSync(process.execPath, [bin, 'check', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status === 2 || !res.stdout) throw new Error(`perflens failed on ${dir}: ${res.stderr}`);
  return JSON.parse(res.stdout).findings.map((f) => ({ ...f, file: f.file.split(path.sep).join('/') }));
}

function emptyRows() {
  const rows = {};
  for (const rule of RULES) rows[rule] = { findings: 0, real: 0, labelled: 0, found: 0 };
  return rows;
}

function compare(findings, instances, doubtful) {
  const perRule = emptyRows();
  const used = new Set();
  const misses = [];
  const covers = (f, l) => f.rule === l.rule && f.file === l.file && (f.rule === 'sequential-awaits' ? l.line >= f.line && l.line <= f.endLine : l.line === f.line);
  for (const l of instances) {
    perRule[l.rule].labelled++;
    const f = findings.find((x, i) => !used.has(i) && covers(x, l));
    if (f) {
      used.add(findings.indexOf(f));
      perRule[l.rule].found++;
    } else misses.push(l);
  }
  const noise = [];
  findings.forEach((f, i) => {
    if (!perRule[f.rule]) return;
    if (!used.has(i) && doubtful.some((d) => covers(f, d))) return;
    perRule[f.rule].findings++;
    if (used.has(i)) perRule[f.rule].real++;
    else noise.push(f);
  });
  return { perRule, misses, noise };
}

function ratio(a, b) {
  return b === 0 ? '  —  ' : (a / b).toFixed(2).padStart(5);
}

function printTable(rows) {
  console.log(`  ${'rule'.padEnd(24)} findings  real  precision  labelled  found  completeness`);
  const all = { findings: 0, real: 0, labelled: 0, found: 0 };
  for (const rule of RULES) {
    const r = rows[rule];
    for (const k of Object.keys(all)) all[k] += r[k];
    console.log(`  ${rule.padEnd(24)} ${String(r.findings).padStart(8)}  ${String(r.real).padStart(4)}  ${ratio(r.real, r.findings).padStart(9)}  ${String(r.labelled).padStart(8)}  ${String(r.found).padStart(5)}  ${ratio(r.found, r.labelled).padStart(12)}`);
  }
  console.log(`  ${'all rules'.padEnd(24)} ${String(all.findings).padStart(8)}  ${String(all.real).padStart(4)}  ${ratio(all.real, all.findings).padStart(9)}  ${String(all.labelled).padStart(8)}  ${String(all.found).padStart(5)}  ${ratio(all.found, all.labelled).padStart(12)}`);
}

main();
