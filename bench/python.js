#!/usr/bin/env node
'use strict';
/**
 * Benchmark report, Python part (not a test): Perflens (all rules) against Ruff's WebAssembly build
 * (`@astral-sh/ruff-wasm-nodejs`, rules `ASYNC` and `PERF`) on the same real Python files.
 *
 * The code bases are Python libraries from Debian's archive, pinned by version: `apt-get download`
 * fetches the .deb (cached under .bench/python/debs), `dpkg-deb -x` unpacks it without installing
 * anything, and the `.py` files under usr/lib/python3/dist-packages are copied into a corpus folder
 * that holds nothing else. Each tool then runs once as a whole process on that folder:
 *
 *   perflens: node bin/perflens.js check . --format json
 *   ruff:     node bench/ruff-wasm-check.js . --select ASYNC,PERF
 *
 * Usage: `node bench/python.js [--quick] [--runs N]` (`--quick`: the first files of each corpus only;
 * `--runs`: how many times perflens and Ruff each run, in turn, default 3, the median run is shown);
 * `npm run bench` runs it after bench/run.js. Wall time, CPU time (user + system, all threads) and
 * peak RSS per process. Exits 0 unless the script itself is broken.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { HAVE_GNU_TIME, measure, listFiles, runPerflens, countBy, ownRepository, countLines, parseJson, firstLine, table, ms, mb, n } = require('./common');

const isPython = (name) => name.endsWith('.py');

const ROOT = path.resolve(__dirname, '..');
const SCRATCH = path.join(ROOT, '.bench', 'python');
const PERFLENS_BIN = path.join(ROOT, 'bin', 'perflens.js');
const RUFF_CHECK = path.join(__dirname, 'ruff-wasm-check.js');
const PARSE_ONLY = path.join(__dirname, 'python-parse-only.js');
const RUFF_SELECT = ['ASYNC', 'PERF'];

/**
 * Debian bookworm packages, pinned. If the archive no longer carries a pinned version (security
 * updates replace older ones), the current one is used and the report says so.
 */
const PACKAGES = {
  'python3-sqlalchemy': '1.4.46+ds1-1',
  'python3-django': '3:3.2.25-0+deb12u7',
  'python3-fastapi': '0.92.0-1',
  'python3-starlette': '0.26.1-1+deb12u2',
  'python3-httpx': '0.23.3-1',
  'python3-redis': '4.3.4-3',
};
/** A large ORM + web framework, and a smaller async web stack (where ASYNC rules have work to do). */
const CORPORA = [
  { id: 'orm-web', label: 'SQLAlchemy + Django', packages: ['python3-sqlalchemy', 'python3-django'] },
  { id: 'async-web', label: 'FastAPI + Starlette + httpx + redis-py', packages: ['python3-fastapi', 'python3-starlette', 'python3-httpx', 'python3-redis'] },
];
const QUICK_FILE_LIMIT = 100;

/** Folders Perflens never walks into (src/cli/collect-files.ts); renamed in corpora, see below. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.next', '__pycache__', '.venv', 'venv']);

// ---------------------------------------------------------------------------------------------
// Corpora

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout || '', err: (r.stderr || r.error?.message || '').trim() };
}


function debVersion(deb) {
  return run('dpkg-deb', ['-f', deb, 'Version']).out.trim();
}

/** The cached .deb of `name` whose version is `version`, if any. */
function cachedDeb(debs, name, version) {
  for (const f of fs.readdirSync(debs)) {
    if (f.startsWith(`${name}_`) && f.endsWith('.deb') && (!version || debVersion(path.join(debs, f)) === version)) return path.join(debs, f);
  }
  return undefined;
}

/**
 * Downloads (once) and unpacks one package; returns its dist-packages folder and actual version.
 * Falls back to the archive's current version when the pinned one cannot be downloaded.
 */
function fetchPackage(name, pinned, caveats) {
  const debs = path.join(SCRATCH, 'debs');
  fs.mkdirSync(debs, { recursive: true });
  let deb = cachedDeb(debs, name, pinned);
  if (!deb) {
    process.stderr.write(`bench: downloading ${name}=${pinned} with apt-get download…\n`);
    const r = run('apt-get', ['download', `${name}=${pinned}`], debs);
    deb = cachedDeb(debs, name, pinned);
    if (!deb) {
      const fallback = run('apt-get', ['download', name], debs);
      deb = cachedDeb(debs, name, undefined);
      if (!deb) return { skipped: `\`apt-get download ${name}\` failed: ${(fallback.err || r.err).split('\n').pop()}` };
      caveats.push(`${name} ${pinned} could not be downloaded (${r.err.split('\n').pop()}); used ${debVersion(deb)}`);
    }
  }
  const version = debVersion(deb);
  const extracted = path.join(SCRATCH, 'extracted', `${name}_${version.replace(/[^\w.+-]/g, '_')}`);
  if (!fs.existsSync(extracted)) {
    const staging = `${extracted}.tmp-${process.pid}`;
    fs.mkdirSync(path.dirname(staging), { recursive: true });
    const r = run('dpkg-deb', ['-x', deb, staging]);
    if (!r.ok) return { skipped: `\`dpkg-deb -x ${deb}\` failed: ${r.err}` };
    fs.renameSync(staging, extracted);
  }
  return { name, version, sitePackages: path.join(extracted, 'usr', 'lib', 'python3', 'dist-packages') };
}


/**
 * Copies the packages' `.py` files into a folder that holds nothing else. Folders that Perflens
 * skips as build output or caches get a `-code` suffix (none of the pinned packages has one, but a
 * `build/` package would otherwise be analysed by Ruff only): this measures analysis, not ignore rules.
 */
function prepareCorpus(spec, quick) {
  const caveats = [];
  const pkgs = [];
  for (const name of spec.packages) {
    const p = fetchPackage(name, PACKAGES[name], caveats);
    if (p.skipped) return { skipped: p.skipped };
    pkgs.push(p);
  }
  const sources = [];
  for (const p of pkgs) for (const file of listFiles(p.sitePackages, isPython)) sources.push({ from: file, rel: path.relative(p.sitePackages, file) });
  const picked = quick ? sources.slice(0, QUICK_FILE_LIMIT) : sources;
  const versions = pkgs.map((p) => `${p.name.replace(/^python3-/, '')}-${p.version.replace(/^\d+:/, '')}`).join('_');
  const corpus = path.join(SCRATCH, 'corpus', `${versions.replace(/[^\w.+-]/g, '_')}${quick ? `-first-${QUICK_FILE_LIMIT}` : ''}`);
  if (!fs.existsSync(corpus)) {
    const staging = `${corpus}.tmp-${process.pid}`;
    for (const { from, rel } of picked) {
      const to = path.join(staging, rel.split(path.sep).map((seg) => (SKIPPED_DIRS.has(seg) ? `${seg}-code` : seg)).join(path.sep));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
    fs.renameSync(staging, corpus);
  }
  ownRepository(corpus);
  const label = `${spec.label}${quick ? ` (first ${QUICK_FILE_LIMIT} files)` : ''}`;
  return { label, dir: corpus, packages: pkgs.map((p) => `${p.name} ${p.version}`), caveats };
}


// ---------------------------------------------------------------------------------------------
// Running a tool: wall time, CPU time and peak RSS of the whole process (as bench/run.js does,
// plus CPU time, because Perflens spreads large inputs over worker threads and Ruff's wasm build
// runs in one thread)






/** How many times each tool runs on a corpus (`--runs N`). */
const RUNS = (() => {
  const at = process.argv.indexOf('--runs');
  const value = at === -1 ? 3 : Number(process.argv[at + 1]);
  return Number.isInteger(value) && value > 0 ? value : 3;
})();

/** The run with the median wall time (the lower middle one of an even count). */
function medianRun(runs) {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[(runs.length - 1) >> 1];
}

/** Runs both tools on one corpus and checks that they processed the same files. */
async function compareOnCorpus(corpus) {
  const files = listFiles(corpus.dir, isPython);
  const rels = files.map((f) => path.relative(corpus.dir, f).split(path.sep).join('/'));
  const relSet = new Set(rels);
  const row = { ...corpus, files: files.length, lines: countLines(files), caveats: [...corpus.caveats] };

  // The two tools run in turn RUNS times and each row shows the median run: one run each swung the
  // ratio by ±15% on a shared two-core machine. The first perflens run is checked (files, findings).
  const ruffArgs = [RUFF_CHECK, '.', '--select', RUFF_SELECT.join(',')];
  const pOut = await runPerflens(PERFLENS_BIN, corpus.dir, files, rels, row);
  const perflensRuns = [row.perflens];
  const ruffRuns = [await measure('ruff', ruffArgs, corpus.dir)];
  const rOut = parseJson(ruffRuns[0].stdout);
  for (let i = 1; i < RUNS; i++) {
    perflensRuns.push(await measure('perflens', [PERFLENS_BIN, 'check', '.', '--format', 'json'], corpus.dir));
    ruffRuns.push(await measure('ruff', ruffArgs, corpus.dir));
  }
  row.perflens = medianRun(perflensRuns);
  row.perflensRuns = perflensRuns;
  const ruff = medianRun(ruffRuns);
  row.ruff = ruff;
  row.ruffRuns = ruffRuns;
  // The same run with V8's baseline wasm compiler only: by default Node also optimises Ruff's 10 MB
  // module on background threads and waits for that before exiting, which is most of Ruff's time
  // on small inputs. Perflens' ratio is against the default; this shows what Ruff's checking costs.
  const liftoff = await measure('ruff-liftoff', ['--liftoff-only', RUFF_CHECK, '.', '--select', RUFF_SELECT.join(',')], corpus.dir);
  const lOut = parseJson(liftoff.stdout);
  if (lOut && rOut && lOut.files.length === rOut.files.length && lOut.diagnostics.length === rOut.diagnostics.length) row.ruffLiftoff = liftoff;
  else row.caveats.push(`ruff with \`--liftoff-only\` exited ${liftoff.code} with a different report: ${firstLine(liftoff.stderr || liftoff.stdout)}`);
  // The floor: the mandated parser (web-tree-sitter + tree-sitter-python) alone over the same files.
  const parseOnly = await measure('parse-only', [PARSE_ONLY, '.'], corpus.dir);
  const floor = parseJson(parseOnly.stdout);
  if (floor && floor.files === files.length) row.parseOnly = { ...parseOnly, parseMs: floor.parseMs };
  else row.caveats.push(`python-parse-only exited ${parseOnly.code} without a report for every file: ${firstLine(parseOnly.stderr || parseOnly.stdout)}`);
  if (!rOut || !Array.isArray(rOut.files)) {
    row.caveats.push(`ruff-wasm-check exited ${ruff.code} without a JSON report: ${firstLine(ruff.stderr || ruff.stdout)}`);
  } else {
    row.ruffVersion = rOut.ruff;
    row.ruffFiles = rOut.files.length;
    const checked = new Set(rOut.files);
    const missing = rels.filter((r) => !checked.has(r));
    const extra = rOut.files.filter((r) => !relSet.has(r));
    if (missing.length || extra.length) {
      row.caveats.push(`ruff's file set differs: ${missing.length} corpus file(s) not checked (${missing.slice(0, 3).join(', ')}), ${extra.length} extra`);
    }
    const syntax = rOut.diagnostics.filter((d) => d.code === 'invalid-syntax' || d.code === null);
    if (syntax.length) {
      const files = new Set(syntax.map((d) => d.file));
      row.caveats.push(`ruff reported syntax errors in ${files.size} file(s), e.g. ${syntax[0].file}:${syntax[0].row}`);
    }
    row.ruffFindings = countBy(
      rOut.diagnostics.filter((d) => !syntax.includes(d)),
      (d) => d.code,
    );
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Output


const counts = (byKey) =>
  byKey
    ? Object.entries(byKey)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    : '–';

/**
 * The Python section. `standalone` adds the machine header that bench/run.js already prints when
 * it calls this after its own sections.
 */
async function pythonSection({ quick = process.argv.includes('--quick'), standalone = false } = {}) {
  const say = (s = '') => process.stdout.write(`${s}\n`);
  if (standalone) {
    say(`Perflens benchmark, Python${quick ? ' (--quick)' : ''} — ${new Date().toISOString()}`);
    say(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`);
  } else {
    say();
  }
  // Other work on the machine skews one-run timings; the load average says how much there was.
  say(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; peak RSS via ${HAVE_GNU_TIME ? "GNU time '%M'" : '/proc/<pid>/status VmHWM polling'}; perflens and ruff run in turn ${RUNS} time(s) (\`--runs N\`), the median run shown, the others once; wall time of the whole process`);

  if (!fs.existsSync(path.join(ROOT, 'out', 'src', 'cli', 'main.js'))) {
    say('(d) Python skipped: the CLI is not built (out/src/cli/main.js missing); run `npm run build`.');
    return;
  }
  let ruffVersion;
  try {
    ruffVersion = require('@astral-sh/ruff-wasm-nodejs/package.json').version;
  } catch {
    say('(d) Python skipped: `@astral-sh/ruff-wasm-nodejs` is not installed (a devDependency; run `npm install`).');
    return;
  }
  if (!HAVE_GNU_TIME) say('(CPU time needs GNU time at /usr/bin/time; not measured)');

  const rows = [];
  for (const spec of CORPORA) {
    const corpus = prepareCorpus(spec, quick);
    if (corpus.skipped) say(`(d) ${spec.label} skipped: ${corpus.skipped}`);
    else rows.push(await compareOnCorpus(corpus));
  }
  if (!rows.length) return;

  const ratio = (tool, r) => (tool && r.perflensFiles !== undefined && r.ruffFiles !== undefined ? `${(tool.wallMs / r.perflens.wallMs).toFixed(2)}×` : '–');
  say(`(d) real Python code bases (Debian packages): perflens check (all rules) vs Ruff ${ruffVersion} wasm (${RUFF_SELECT.join(' + ')}), whole-process wall time`);
  say('    (perflens picks analysis worker threads itself from 200 files on 4+ cores; "1-thread" is PERFLENS_WORKERS=0: no analysis');
  say('    workers, though Python files are still parsed ahead on a second thread (PERFLENS_PARSE_AHEAD=0 turns that off). "liftoff" is Ruff under');
  say("    `node --liftoff-only`: without V8's background optimisation of its 10 MB wasm module, which Node waits for at exit;");
  say('    "parse-only" is web-tree-sitter parsing the same files and nothing else, the floor under perflens, with the time inside it)');
  say(
    table(
      ['corpus', 'files', 'lines', 'perflens ms', '1-thread ms', 'ruff ms', 'ruff/perflens', 'ruff liftoff ms', 'liftoff/perflens', 'parse-only ms (parsing)'],
      rows.map((r) => [
        r.label,
        n(r.files),
        n(r.lines),
        ms(r.perflens?.wallMs),
        ms(r.perflensSingle?.wallMs),
        ms(r.ruff?.wallMs),
        ratio(r.ruff, r),
        ms(r.ruffLiftoff?.wallMs),
        ratio(r.ruffLiftoff, r),
        r.parseOnly ? `${ms(r.parseOnly.wallMs)} (${ms(r.parseOnly.parseMs)})` : '–',
      ]),
    ),
  );
  say();
  say('    CPU time (user + system, all threads) and peak RSS of the same runs');
  say(
    table(
      ['corpus', 'perflens CPU ms', '1-thread CPU ms', 'ruff CPU ms', 'liftoff CPU ms', 'parse-only CPU ms', 'perflens RSS', '1-thread RSS', 'ruff RSS', 'liftoff RSS'],
      rows.map((r) => [
        r.label,
        ms(r.perflens?.cpuMs),
        ms(r.perflensSingle?.cpuMs),
        ms(r.ruff?.cpuMs),
        ms(r.ruffLiftoff?.cpuMs),
        ms(r.parseOnly?.cpuMs),
        mb(r.perflens?.peakKb),
        mb(r.perflensSingle?.peakKb),
        mb(r.ruff?.peakKb),
        mb(r.ruffLiftoff?.peakKb),
      ]),
    ),
  );
  say();
  for (const r of rows) {
    say(`${r.label}: ${r.packages.join(', ')} (${path.relative(ROOT, r.dir)})`);
    say(`  files processed — perflens ${n(r.perflensFiles)}, ruff ${n(r.ruffFiles)}, corpus ${n(r.files)}; exit codes perflens ${r.perflens?.code}, ruff ${r.ruff?.code}`);
    const walls = (runs) => runs.map((x) => ms(x.wallMs)).join(', ');
    if (r.perflensRuns && r.ruffRuns) say(`  wall ms of each run, in order — perflens: ${walls(r.perflensRuns)}; ruff: ${walls(r.ruffRuns)}`);
    say(`  findings — perflens: ${counts(r.perflensFindings)}; ruff ${RUFF_SELECT.join('+')}: ${counts(r.ruffFindings)}`);
    for (const c of r.caveats) say(`  caveat: ${c}`);
  }
}

module.exports = { pythonSection };

if (require.main === module) {
  pythonSection({ standalone: true }).catch((err) => {
    process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
}
