#!/usr/bin/env node
'use strict';
/**
 * Benchmark report (not a test): Perflens against ESLint's core `no-await-in-loop` rule on the same
 * files, and Perflens' analysis cost beyond parsing.
 *
 *   (a) a real backend code base from the npm registry (pinned, cached under .bench/),
 *   (b) generated large TypeScript service files,
 *       for each: whole-process wall time and peak RSS of `perflens check <dir> --format json`
 *       and of `eslint --config bench/eslint-no-await-in-loop.config.cjs <dir> --format json`;
 *   (c) per file: `ts.createSourceFile` alone vs `analyze()` on 200 / 2,000 / 10,000-line files.
 *
 * Usage: `npm run bench` (builds first) or `node bench/run.js [--quick]`. One run per tool, on this
 * machine; always exits 0 unless the script itself is broken.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { generateServiceFile } = require('./generate');
const { HAVE_GNU_TIME, measure, listFiles, runPerflens, countBy, ownRepository, countLines, parseJson, firstLine, table, ms, mb, n } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const SCRATCH = path.join(ROOT, '.bench');
const QUICK = process.argv.includes('--quick');

/** A published backend: the Directus API server (Knex services, Express controllers), ~800 JS files. */
const REGISTRY_PACKAGE = { name: '@directus/api', version: '39.2.1' };
const REGISTRY_FILE_LIMIT = QUICK ? 150 : Infinity;
const GENERATED = QUICK ? { files: 10, lines: 2000 } : { files: 50, lines: 2000 };
const PER_FILE_SIZES = [200, 2000, 10000];
/** The JIT needs ~100 parses of a small file to settle: warm up for a time budget, then measure. */
const PER_FILE_RUNS = QUICK ? { warmupMs: 1500, minWarmup: 5, measured: 7 } : { warmupMs: 4000, minWarmup: 10, measured: 21 };

const PERFLENS_BIN = path.join(ROOT, 'bin', 'perflens.js');
const ESLINT_BIN = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const ESLINT_CONFIG = path.join(__dirname, 'eslint-no-await-in-loop.config.cjs');
/** What both tools are given: TypeScript and JavaScript sources, no declaration files. */
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[mc]?ts$/;
const isSource = (name) => SOURCE.test(name) && !DECLARATION.test(name);

// ---------------------------------------------------------------------------------------------
// Corpora




/** Folder names that linters commonly skip as build output (Perflens does); renamed in corpora. */
const BUILD_DIRS = new Set(['dist', 'build', 'out', 'coverage']);

/**
 * `npm pack` the pinned package once (cached tarball), extract it, and copy its source files into a
 * corpus folder that holds nothing else, so that both tools see exactly the same files. The
 * package's `dist/` becomes `src/` and nested build-output folders get a `-code` suffix: they are
 * on default ignore lists, and this benchmark measures analysis, not ignore rules.
 */
function prepareRegistryCorpus() {
  const { name, version } = REGISTRY_PACKAGE;
  const slug = `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}`;
  const cache = path.join(SCRATCH, 'registry');
  const tarball = path.join(cache, `${slug}.tgz`);
  const extracted = path.join(cache, slug);
  fs.mkdirSync(cache, { recursive: true });
  if (!fs.existsSync(tarball)) {
    process.stderr.write(`bench: downloading ${name}@${version} with npm pack…\n`);
    const r = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', cache, '--silent'], { encoding: 'utf8' });
    if (r.status !== 0 || !fs.existsSync(tarball)) {
      return { skipped: `\`npm pack ${name}@${version}\` failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
    }
  }
  if (!fs.existsSync(path.join(extracted, 'package'))) {
    fs.mkdirSync(extracted, { recursive: true });
    const r = spawnSync('tar', ['-xzf', tarball, '-C', extracted], { encoding: 'utf8' });
    if (r.status !== 0) return { skipped: `could not extract ${tarball}: ${r.stderr.trim()}` };
  }
  const pkgRoot = path.join(extracted, 'package');
  let sources = listFiles(pkgRoot, isSource);
  if (sources.length > REGISTRY_FILE_LIMIT) sources = sources.slice(0, REGISTRY_FILE_LIMIT);
  const corpus = path.join(SCRATCH, 'corpus', QUICK ? `${slug}-first-${REGISTRY_FILE_LIMIT}` : slug);
  if (!fs.existsSync(corpus)) {
    const staging = `${corpus}.tmp-${process.pid}`;
    for (const src of sources) {
      const rel = path
        .relative(pkgRoot, src)
        .split(path.sep)
        .map((seg, i) => (i === 0 && seg === 'dist' ? 'src' : BUILD_DIRS.has(seg) ? `${seg}-code` : seg))
        .join(path.sep);
      fs.mkdirSync(path.dirname(path.join(staging, rel)), { recursive: true });
      fs.copyFileSync(src, path.join(staging, rel));
    }
    fs.renameSync(staging, corpus);
  }
  ownRepository(corpus);
  return { label: `${name}@${version}${QUICK ? ` (first ${REGISTRY_FILE_LIMIT} files)` : ''}`, dir: corpus };
}

function prepareGeneratedCorpus() {
  const { files, lines } = GENERATED;
  const corpus = path.join(SCRATCH, 'corpus', `generated-${files}x${lines}`);
  if (!fs.existsSync(corpus)) {
    const staging = `${corpus}.tmp-${process.pid}`;
    fs.mkdirSync(staging, { recursive: true });
    for (let i = 0; i < files; i++) {
      fs.writeFileSync(path.join(staging, `service-${String(i).padStart(3, '0')}.ts`), generateServiceFile(1000 + i, lines));
    }
    fs.renameSync(staging, corpus);
  }
  ownRepository(corpus);
  return { label: `generated ${files} × ${lines.toLocaleString('en')}-line .ts`, dir: corpus };
}

// ---------------------------------------------------------------------------------------------
// Running a tool: wall time and peak RSS of the whole process




/** Runs both tools on one corpus and checks that they processed the same files. */
async function compareOnCorpus(corpus) {
  const files = listFiles(corpus.dir, isSource);
  const rels = files.map((f) => path.relative(corpus.dir, f).split(path.sep).join('/'));
  const row = { label: corpus.label, dir: corpus.dir, files: files.length, lines: countLines(files), caveats: [] };

  const pOut = await runPerflens(PERFLENS_BIN, corpus.dir, files, rels, row);

  // No `--cache` (ESLint's default is off) and `--no-inline-config`, so that comments in the corpus
  // cannot switch on other rules or report unknown ones; only `no-await-in-loop` runs.
  const eslint = await measure('eslint', [ESLINT_BIN, '--config', ESLINT_CONFIG, '--no-inline-config', '--format', 'json', '.'], corpus.dir);
  const eOut = parseJson(eslint.stdout);
  row.eslint = eslint;
  if (!Array.isArray(eOut)) {
    row.caveats.push(`eslint exited ${eslint.code} without a JSON report: ${firstLine(eslint.stderr || eslint.stdout)}`);
  } else {
    row.eslintFiles = eOut.length;
    const linted = new Set(eOut.map((r) => path.relative(corpus.dir, r.filePath).split(path.sep).join('/')));
    const missing = rels.filter((r) => !linted.has(r));
    const extra = [...linted].filter((r) => !rels.includes(r));
    if (missing.length || extra.length) {
      row.caveats.push(`eslint's file set differs: ${missing.length} corpus file(s) not linted (${missing.slice(0, 3).join(', ')}), ${extra.length} extra`);
    }
    const fatal = eOut.filter((r) => r.messages.some((m) => m.fatal));
    if (fatal.length) {
      const m = fatal[0].messages.find((x) => x.fatal);
      row.caveats.push(`eslint could not parse ${fatal.length} file(s), e.g. ${path.relative(corpus.dir, fatal[0].filePath)}:${m.line}: ${m.message}`);
    }
    row.eslintFindings = eOut.reduce((n, r) => n + r.messages.filter((m) => m.ruleId === 'no-await-in-loop').length, 0);
    if (eslint.code === 2) row.caveats.push(`eslint exited 2: ${firstLine(eslint.stderr)}`);
  }
  return row;
}


// ---------------------------------------------------------------------------------------------
// (c) Analysis beyond parsing, in process

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function perFileTimings() {
  const ts = require('typescript');
  const core = require(path.join(ROOT, 'out', 'src', 'core', 'index.js'));
  await core.ready();
  const rows = [];
  for (const size of PER_FILE_SIZES) {
    const base = generateServiceFile(size, size);
    const file = path.join(ROOT, '.bench', `per-file-${size}.ts`);
    const parseMs = [];
    const analyzeMs = [];
    let findings = 0;
    const once = (i, record) => {
      // A different trailing comment each run defeats any cache keyed on the text.
      const text = `${base}// run ${i}\n`;
      const order = i % 2 ? ['analyze', 'parse'] : ['parse', 'analyze'];
      for (const step of order) {
        const t0 = process.hrtime.bigint();
        if (step === 'parse') ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
        else findings = core.analyze({ file, text }).findings.length;
        const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
        if (record) (step === 'parse' ? parseMs : analyzeMs).push(elapsed);
      }
    };
    const warmupEnd = Date.now() + PER_FILE_RUNS.warmupMs;
    let i = 0;
    while (i < PER_FILE_RUNS.minWarmup || Date.now() < warmupEnd) once(i++, false);
    const warmups = i;
    for (let k = 0; k < PER_FILE_RUNS.measured; k++) once(i++, true);
    rows.push({ lines: countLinesOf(base), parse: median(parseMs), analyze: median(analyzeMs), findings, warmups });
  }
  return rows;
}

function countLinesOf(text) {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Output



async function main() {
  const say = (s = '') => process.stdout.write(`${s}\n`);
  say(`Perflens benchmark${QUICK ? ' (--quick)' : ''} — ${new Date().toISOString()}`);
  // Other work on the machine skews one-run timings; the load average says how much there was.
  say(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  say(`eslint ${require('eslint/package.json').version} (no-await-in-loop only, @typescript-eslint/parser ${require('@typescript-eslint/parser/package.json').version}), typescript ${require('typescript').version}`);
  say(`peak RSS via ${HAVE_GNU_TIME ? "GNU time '%M'" : '/proc/<pid>/status VmHWM polling'}; one run per tool; wall time of the whole process`);
  say();

  const haveCli = fs.existsSync(path.join(ROOT, 'out', 'src', 'cli', 'main.js'));
  const haveCore = fs.existsSync(path.join(ROOT, 'out', 'src', 'core', 'index.js'));

  if (!haveCli) {
    say('(a)/(b) skipped: the CLI is not built (out/src/cli/main.js missing); run `npm run build`.');
  } else {
    const corpora = [];
    const reg = prepareRegistryCorpus();
    if (reg.skipped) say(`(a) skipped: ${reg.skipped}`);
    else corpora.push(reg);
    corpora.push(prepareGeneratedCorpus());
    const rows = [];
    for (const c of corpora) rows.push(await compareOnCorpus(c));
    say('(a) real code base, (b) generated files: whole-process wall time and peak RSS');
    say('    (perflens picks worker threads itself from 200 files on; "1-thread" is the same check with PERFLENS_WORKERS=0)');
    say(
      table(
        ['corpus', 'files', 'lines', 'perflens ms', 'eslint ms', 'eslint/perflens', 'perflens RSS', 'eslint RSS', 'perflens 1-thread ms', '1-thread RSS'],
        rows.map((r) => [
          r.label,
          n(r.files),
          n(r.lines),
          ms(r.perflens?.wallMs),
          ms(r.eslint?.wallMs),
          r.perflensFiles !== undefined && r.eslintFiles !== undefined ? `${(r.eslint.wallMs / r.perflens.wallMs).toFixed(2)}×` : '–',
          mb(r.perflens?.peakKb),
          mb(r.eslint?.peakKb),
          ms(r.perflensSingle?.wallMs),
          mb(r.perflensSingle?.peakKb),
        ]),
      ),
    );
    say();
    for (const r of rows) {
      const found = r.perflensFindings ? Object.entries(r.perflensFindings).map(([k, v]) => `${k} ${v}`).join(', ') || 'none' : '–';
      say(`${r.label}: files processed — perflens ${n(r.perflensFiles)}, eslint ${n(r.eslintFiles)}, corpus ${n(r.files)} (${path.relative(ROOT, r.dir)})`);
      say(`  findings — perflens: ${found}; eslint no-await-in-loop: ${n(r.eslintFindings)}; exit codes perflens ${r.perflens?.code}, eslint ${r.eslint?.code}`);
      for (const c of r.caveats) say(`  caveat: ${c}`);
    }
    say();
  }

  if (!haveCore) {
    say('(c) skipped: the engine is not built (out/src/core/index.js missing).');
  } else {
    const rows = await perFileTimings();
    say(`(c) one file in process: ts.createSourceFile vs analyze() (median of ${PER_FILE_RUNS.measured} runs after ≥ ${PER_FILE_RUNS.warmupMs / 1000} s of warm-up per size)`);
    say(
      table(
        ['lines', 'parse ms', 'analyze ms', 'analyze − parse ms', 'findings'],
        rows.map((r) => [n(r.lines), ms(r.parse), ms(r.analyze), ms(r.analyze - r.parse), n(r.findings)]),
        new Set(),
      ),
    );
  }
}

main()
  .then(() => require('./python').pythonSection())
  .catch((err) => {
    process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
