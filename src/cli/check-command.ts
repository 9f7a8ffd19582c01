import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import { ready, warmUp } from '../core/analyze';
import type { Config } from '../core/config';
import type { ConfigFileProblem, LoadedConfig } from '../core/config-files';
import { ConfigResolver, isIgnoredByConfig, loadConfigFile, matchesPathOrParent } from '../core/config-files';
import type { Applicability, Severity } from '../core/finding';
import type { OptionSpec } from './args';
import { flag, formatOptions, many, parseArgs, single, UsageError } from './args';
import { applyFixes, countFixable, MAX_FIX_PASSES } from '../core/apply-fixes';
import { collectFiles } from './collect-files';
import { palette, shouldColor } from './color';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatNote, formatText, plural } from './format-text';
import type { CliIO } from './io';
import { packageInfo } from './package-info';
import type { FileResult, SourceInput } from './project-run';
import { analyzeInline, analyzeParallel, workerCount } from './project-run';
import type { Note, Report } from './report';
import { compareFindings, displayPath, Positions, reportFinding, SEVERITY_RANK } from './report';

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  { name: 'format', short: 'f', value: 'format', choices: ['text', 'json', 'sarif'], description: 'Output format: text (default), json or sarif' },
  { name: 'config', short: 'c', value: 'file', description: 'Use this config file instead of the nearest one to each file' },
  { name: 'ignore', value: 'glob', repeatable: true, description: 'Skip files matching the glob (relative to the current folder); repeatable' },
  {
    name: 'max-severity',
    value: 'level',
    choices: ['info', 'warning', 'error'],
    description: 'Exit with 1 only for findings of this severity or above (default: info)',
  },
  { name: 'fix', description: 'Apply safe fixes to the files, then report what is left' },
  { name: 'unsafe', description: 'With --fix, apply unsafe fixes too (review the diff)' },
  { name: 'quiet', short: 'q', description: 'Print findings only: no summary line, no notes on skipped files' },
  { name: 'no-color', description: 'Do not colour the output (also: NO_COLOR=1)' },
  { name: 'help', short: 'h', description: 'Show this help' },
  { name: 'version', short: 'v', description: 'Show the version' },
];

export function checkHelp(): string {
  return [
    'Usage: perflens check [options] [paths...]',
    '',
    'Finds N+1 queries, blocking calls in async code, sequential awaits and offset pagination in',
    'TypeScript, JavaScript and Python files. Paths default to the current folder; folders are',
    'walked, skipping node_modules, build output and .gitignore\'d files.',
    '',
    'Options:',
    formatOptions(CHECK_OPTIONS),
    '',
    'Exit codes: 0 no findings at or above --max-severity, 1 findings, 2 usage or internal error.',
    '',
  ].join('\n');
}

interface LoadedFile {
  input: SourceInput;
  /** The file started with a UTF-8 byte order mark (kept when writing fixes back). */
  bom: boolean;
}

export async function runCheck(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, CHECK_OPTIONS, 'check');
  if (flag(args, 'help')) {
    io.stdout(checkHelp());
    return 0;
  }
  if (flag(args, 'version')) {
    io.stdout(`perflens ${packageInfo().version}\n`);
    return 0;
  }
  const started = Date.now();
  const format = single(args, 'format') ?? 'text';
  const maxSeverity = (single(args, 'max-severity') ?? 'info') as Severity;
  const fix = flag(args, 'fix');
  const unsafe = flag(args, 'unsafe');
  const quiet = flag(args, 'quiet');
  if (unsafe && !fix) throw new UsageError('`--unsafe` only works together with `--fix`', 'check');
  const errColor = palette(shouldColor(io.stderrStream, flag(args, 'no-color'), io.env));
  const outColor = palette(shouldColor(io.stdoutStream, flag(args, 'no-color'), io.env));
  const notes: Note[] = [];

  const paths = args.positionals.length ? args.positionals : ['.'];
  for (const p of paths) {
    if (!fs.existsSync(path.resolve(io.cwd, p))) {
      io.stderr(`perflens: no such file or directory: ${p}\n`);
      return 2;
    }
  }

  // Config: one explicit file for everything, or the nearest one to each file.
  const configPath = single(args, 'config');
  let explicitConfig: LoadedConfig | undefined;
  if (configPath !== undefined) {
    if (!fs.existsSync(path.resolve(io.cwd, configPath))) {
      io.stderr(`perflens: no such file or directory: ${configPath}\n`);
      return 2;
    }
    explicitConfig = loadConfigFile(path.resolve(io.cwd, configPath));
  }
  const resolver = new ConfigResolver();
  const configFor = (file: string) => explicitConfig ?? resolver.forFile(file);

  // The parsers load (WebAssembly compiles off this thread) while the files are found and read.
  const parsersReady = ready();
  // Awaited below; an early return must not leave a rejection unhandled.
  parsersReady.catch(() => undefined);
  const collected = collectFiles(paths, io.cwd);
  for (const file of collected.unsupported) {
    notes.push({ kind: 'skipped', file: displayPath(file, io.cwd), message: 'not a TypeScript, JavaScript or Python file; skipped' });
  }
  const cliIgnore = many(args, 'ignore');
  const cliIgnored = cliIgnore.length ? picomatch(cliIgnore, { dot: true }) : undefined;
  const loadedConfigs = new Set<LoadedConfig>();
  if (explicitConfig) loadedConfigs.add(explicitConfig);
  const kept: { file: string; config: LoadedConfig }[] = [];
  for (const file of collected.files) {
    const loaded = configFor(file);
    loadedConfigs.add(loaded);
    const byCli = cliIgnored !== undefined && matchesPathOrParent(cliIgnored, path.relative(io.cwd, file));
    const byConfig = !byCli && isIgnoredByConfig(loaded, file);
    if (byCli || byConfig) {
      if (collected.explicit.has(file)) {
        const why = byCli ? 'an `--ignore` pattern' : `\`ignore\` in ${displayPath(loaded.file ?? '', io.cwd)}`;
        notes.push({ kind: 'skipped', file: displayPath(file, io.cwd), message: `ignored by ${why}; skipped` });
      }
      continue;
    }
    kept.push({ file, config: loaded });
  }
  const configProblems = dedupeProblems([...loadedConfigs].flatMap((c) => c.problems));
  const configNotes: Note[] = configProblems.map((p) => ({
    kind: 'config',
    file: displayPath(p.file, io.cwd),
    key: p.key,
    ...(p.line !== undefined ? { line: p.line, column: p.column } : {}),
    message: p.message,
  }));

  // Threads that the analysis will need start while the files are read.
  warmUp(kept.map((k) => k.file));

  // Read the files; binary and unreadable ones are noted and skipped.
  const configs: Config[] = [];
  const configIndex = new Map<LoadedConfig, number>();
  const files: LoadedFile[] = [];
  for (const { file, config } of kept) {
    // Decoded straight to a string: a Buffer per file first cost ~0.1 s of collection on a
    // thousand files. A NUL byte decodes to U+0000 and nothing else does.
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      notes.push({ kind: 'skipped', file: displayPath(file, io.cwd), message: `cannot be read (${code}); skipped` });
      continue;
    }
    if (text.includes('\0')) {
      notes.push({ kind: 'skipped', file: displayPath(file, io.cwd), message: 'binary file (contains a NUL byte); skipped' });
      continue;
    }
    let idx = configIndex.get(config);
    if (idx === undefined) {
      idx = configs.push(config.config) - 1;
      configIndex.set(config, idx);
    }
    const bom = text.startsWith('\uFEFF');
    files.push({ input: { file, text: bom ? text.slice(1) : text, config: idx }, bom });
  }
  // Keys first: a comparator that computed relative paths cost 40 ms on a thousand files.
  const order = new Map(files.map((f) => [f, displayPath(f.input.file, io.cwd)]));
  files.sort((a, b) => (order.get(a)! < order.get(b)! ? -1 : 1));

  const printNotes = (list: Note[]) => {
    for (const n of list) io.stderr(formatNote(n, errColor) + '\n');
  };
  if (files.length === 0) {
    printNotes([...configNotes, ...notes]);
    const what = collected.files.length + collected.unsupported.length === 0 ? 'no TypeScript, JavaScript or Python files found' : 'no file could be analysed';
    io.stderr(`perflens: ${what} in ${paths.join(', ')}\n`);
    return 2;
  }

  await parsersReady;
  const inputs = files.map((f) => f.input);
  let results = await analyzeAll(inputs, configs, io, notes);

  if (fix) {
    const allowed: Applicability[] = unsafe ? ['safe', 'unsafe'] : ['safe'];
    let total = 0;
    const changed = new Set<number>();
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      let appliedThisPass = 0;
      results.forEach((r, i) => {
        const plan = applyFixes(inputs[i].text, r.findings, allowed);
        if (plan.text === undefined) return;
        inputs[i] = { ...inputs[i], text: plan.text };
        changed.add(i);
        appliedThisPass += plan.applied;
      });
      if (appliedThisPass === 0) break;
      total += appliedThisPass;
      results = await analyzeAll(inputs, configs, io, notes);
    }
    for (const i of changed) {
      fs.writeFileSync(inputs[i].file, (files[i].bom ? '\uFEFF' : '') + inputs[i].text);
    }
    io.stderr(fixMessage(total, changed.size, results, unsafe) + '\n');
  }

  // Build the report.
  const sources = new Map(inputs.map((f) => [f.file, f.text]));
  const positions = new Positions((abs) => sources.get(abs) ?? readQuietly(abs));
  const findings = results.flatMap((r) => r.findings.map((f) => reportFinding(f, r.file, io.cwd, positions))).sort(compareFindings);
  for (const r of results) notes.push(...r.notes.map((n) => engineNote(n, r.file, io.cwd)));
  const report: Report = {
    findings,
    notes: [...configNotes, ...notes],
    files: inputs.length,
    durationMs: Date.now() - started,
    sources,
    cwd: io.cwd,
  };

  // Config problems are always shown; notes on skipped files are hidden by --quiet.
  printNotes(quiet ? configNotes : report.notes);
  if (format === 'json') io.stdout(formatJson(report));
  else if (format === 'sarif') io.stdout(formatSarif(report));
  else io.stdout(formatText(report, { color: outColor, quiet }));

  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[maxSeverity]) ? 1 : 0;
}

/** Worker threads for large inputs; if they fail, the same work is done in this thread. */
async function analyzeAll(inputs: SourceInput[], configs: Config[], io: CliIO, notes: Note[]): Promise<FileResult[]> {
  const count = workerCount(inputs.length, io.env);
  if (io.env.PERFLENS_DEBUG) io.stderr(`perflens: debug: ${inputs.length} files, ${count ? `${count} worker threads` : 'main thread'}\n`);
  if (count > 1) {
    try {
      return await analyzeParallel(inputs, configs, count);
    } catch (err) {
      notes.push({ kind: 'analysis', message: `worker threads failed (${err instanceof Error ? err.message : String(err)}); analysed in one thread instead` });
    }
  }
  return analyzeInline(inputs, configs);
}

function fixMessage(total: number, files: number, results: FileResult[], unsafe: boolean): string {
  const remaining = results.flatMap((r) => r.findings);
  if (total > 0) return `perflens: applied ${plural(total, 'fix').replace('fixs', 'fixes')} in ${plural(files, 'file')}.`;
  const unsafeLeft = unsafe ? 0 : countFixable(remaining, 'unsafe');
  const hint = unsafeLeft ? ` ${plural(unsafeLeft, 'finding')} ${unsafeLeft === 1 ? 'has' : 'have'} an unsafe fix; add \`--unsafe\` to apply ${unsafeLeft === 1 ? 'it' : 'them'} (review the diff).` : '';
  return `perflens: nothing was fixable: no ${unsafe ? '' : 'safe '}fixes for the findings.${hint}`;
}

/** Engine notes read `<file>: message`; split off the file so it can be shown relative. */
function engineNote(note: string, file: string, cwd: string): Note {
  const prefix = `${file}: `;
  if (note.startsWith(prefix)) return { kind: 'analysis', file: displayPath(file, cwd), message: note.slice(prefix.length) };
  return { kind: 'analysis', file: displayPath(file, cwd), message: note };
}

function dedupeProblems(problems: ConfigFileProblem[]): ConfigFileProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}\0${p.key}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function readQuietly(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
