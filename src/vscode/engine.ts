import * as fs from 'fs';
import * as path from 'path';
import type { MessagePort } from 'worker_threads';
import picomatch from 'picomatch';
import type { AnalyzeResult, Config, FileSummary } from '../core/index';
import { allRules, analyze, languageForFile, mergeConfig, ready, SummaryIndex } from '../core/index';
import { checkFacts } from '../core/analyze';
import type { FileFacts } from '../core/model';
import { usePythonIncrementalParsing } from '../frontends/python/parser';
import { useIncrementalParsing } from '../frontends/typescript/parse';
import { applyFixes, MAX_FIX_PASSES } from '../core/apply-fixes';
import type { LoadedConfig } from '../core/config-files';
import { ConfigResolver, isIgnoredByConfig, matchesPathOrParent } from '../core/config-files';
import { ProjectSession } from '../core/project-session';
import { collectFiles } from '../cli/collect-files';
import { Cancelled, PoolRun } from './pool';
import type { PoolFile } from './pool';
import type { FileSelection, FromEngine, SettingsLayer, ToEngine, WireConfigProblem } from './protocol';
import { toFileFindings, wireFindingFixes } from './wire';

/** Facts of the last live analyses, kept so the lightbulb's fixes need no new parse or extraction. */
const KEPT_FACTS = 8;

/**
 * The analysis service of the extension, in a worker thread: config files + settings → Config
 * (the CLI's ConfigResolver), analysis of open documents against the workspace index, safe fixes,
 * and the pool runs that build the index and scan the workspace. The main thread only posts text.
 */
export function startEngine(port: MessagePort): void {
  // Each keystroke re-parses the same file; nothing here keeps old trees (see parse.ts).
  useIncrementalParsing(true);
  usePythonIncrementalParsing(true);
  const engine = new Engine((m) => port.postMessage(m));
  port.on('message', (m: ToEngine) => engine.handle(m));
  void ready().then(() => engine.post({ type: 'ready', rules: allRules.map((r) => ({ id: r.id, summary: r.docs.summary })) }));
}

class Engine {
  private settings: SettingsLayer = { config: {}, ignore: [], folders: [] };
  private resolver = new ConfigResolver();
  /** The workspace index: file → summary; undefined until the first index or scan has finished. */
  private summaries?: Map<string, FileSummary>;
  private index?: SummaryIndex;
  private readonly runs = new Map<number, PoolRun>();
  private readonly cancelledEarly = new Set<number>();
  private readonly loaded = ready();
  private readonly kept = new Map<string, { text: string; config: Config; facts: FileFacts }>();

  constructor(readonly post: (m: FromEngine) => void) {}

  handle(m: ToEngine): void {
    switch (m.type) {
      case 'settings':
        this.settings = m.settings;
        return;
      case 'configFilesChanged':
        this.resolver = new ConfigResolver();
        return;
      case 'analyze':
      case 'analyzeFile':
        void this.loaded.then(() => this.analyzeOne(m.id, m.file, m.type === 'analyze' ? m.text : undefined));
        return;
      case 'fixAll':
        void this.loaded.then(() => this.fixAll(m.id, m.file, m.text));
        return;
      case 'fixes':
        void this.loaded.then(() => this.fixesOf(m.id, m.file, m.text, m.findings));
        return;
      case 'saved':
        void this.loaded.then(() => this.resummarise(m.file, m.text));
        return;
      case 'index':
      case 'scan':
        void this.loaded.then(() => this.runPool(m.id, m.selection, m.type === 'scan'));
        return;
      case 'cancel': {
        // A cancel can overtake the start of its run (which first waits for the engine to load).
        const run = this.runs.get(m.id);
        if (run) run.cancel();
        else this.cancelledEarly.add(m.id);
        return;
      }
    }
  }

  /** Findings without fixes (see `fixesOf`); the facts are kept for the lightbulb. */
  private analyzeOne(id: number, file: string, text: string | undefined): void {
    const started = performance.now();
    try {
      const body = text ?? readText(file);
      const loaded = this.resolver.forFile(file);
      let result: AnalyzeResult = { findings: [], notes: [] };
      if (body !== undefined && !this.ignored(loaded, file)) {
        const config = this.configOf(loaded);
        result = analyze({ file, text: body, config, project: this.projectIndex(), fixes: false });
        if (result.facts) this.keep(file, { text: body, config, facts: result.facts });
      }
      const wire = toFileFindings(file, body ?? '', result.findings, result.notes);
      this.post({ type: 'result', id, result: wire, configProblems: loaded.problems, engineMs: performance.now() - started });
    } catch (err) {
      this.post({ type: 'failed', id, message: describe(err) });
    }
  }

  /**
   * The fixes and ignore fixes of some findings of this text: from the kept facts when they are of
   * this text and config (the rules run again, with fixes; no parse or extraction), else a full analysis.
   */
  private fixesOf(id: number, file: string, text: string, findings: { rule: string; span: { start: number; end: number } }[]): void {
    try {
      const loaded = this.resolver.forFile(file);
      const config = this.configOf(loaded);
      const kept = this.kept.get(file);
      const analysed =
        kept && kept.text === text && sameConfig(kept.config, config) ? checkFacts(kept.facts, config).findings : this.analyzeText(file, text, loaded).findings;
      this.post({ type: 'fixes', id, fixes: wireFindingFixes(file, text, findings, analysed) });
    } catch (err) {
      this.post({ type: 'failed', id, message: describe(err) });
    }
  }

  private keep(file: string, entry: { text: string; config: Config; facts: FileFacts }): void {
    this.kept.delete(file);
    this.kept.set(file, entry);
    if (this.kept.size > KEPT_FACTS) this.kept.delete(this.kept.keys().next().value as string);
  }

  private analyzeText(file: string, text: string, loaded: LoadedConfig): AnalyzeResult {
    return analyze({ file, text, config: this.configOf(loaded), project: this.projectIndex() });
  }

  /** Safe fixes only, re-analysing after each pass (one fix can enable another), like `--fix`. */
  private fixAll(id: number, file: string, text: string): void {
    try {
      const loaded = this.resolver.forFile(file);
      let current = text;
      let applied = 0;
      for (let pass = 0; pass < MAX_FIX_PASSES && !this.ignored(loaded, file); pass++) {
        const plan = applyFixes(current, this.analyzeText(file, current, loaded).findings, ['safe']);
        if (plan.text === undefined) break;
        current = plan.text;
        applied += plan.applied;
      }
      this.post({ type: 'fixed', id, text: applied > 0 ? current : undefined, applied });
    } catch (err) {
      this.post({ type: 'failed', id, message: describe(err) });
    }
  }

  /** A saved file's summary is rebuilt against the index, so other files see its new helpers. */
  private resummarise(file: string, text: string): void {
    if (!this.summaries || !languageForFile(file)) return;
    const session = new ProjectSession([{ file, text, config: this.configOf(this.resolver.forFile(file)) }]);
    session.prepare();
    const [summary] = session.relink(this.projectIndex() ?? new SummaryIndex([]));
    this.summaries.set(file, summary);
    this.index = undefined;
  }

  private projectIndex(): SummaryIndex | undefined {
    if (!this.summaries) return undefined;
    this.index ??= new SummaryIndex(this.summaries.values());
    return this.index;
  }

  private async runPool(id: number, selection: FileSelection, check: boolean): Promise<void> {
    const started = Date.now();
    let files: PoolFile[] = [];
    const configs: Config[] = [];
    const problems = new Map<string, WireConfigProblem>();
    try {
      this.post({ type: 'progress', id, phase: 'reading', done: 0, total: 0 });
      ({ files } = this.select(selection, configs, problems));
      const run = new PoolRun({
        files,
        configs,
        check,
        onProgress: (phase, done, total) => this.post({ type: 'progress', id, phase, done, total }),
        onResults: (results) => this.post({ type: 'scanResults', id, results }),
      });
      this.runs.set(id, run);
      if (this.cancelledEarly.delete(id)) run.cancel();
      const summaries = await run.run();
      this.summaries = new Map(summaries.map((s, i) => [files[i].file, s]));
      this.index = undefined;
      this.post({ type: 'log', message: `${check ? 'scanned' : 'indexed'} ${files.length} files in ${Date.now() - started} ms` });
      this.post({ type: 'finished', id, files: files.length, cancelled: false, configProblems: [...problems.values()] });
    } catch (err) {
      if (err instanceof Cancelled) this.post({ type: 'finished', id, files: files.length, cancelled: true, configProblems: [] });
      else this.post({ type: 'failed', id, message: describe(err) });
    } finally {
      this.runs.delete(id);
    }
  }

  /** The workspace files to analyse: the CLI's walk (.gitignore, node_modules…), then the excludes. */
  private select(selection: FileSelection, configs: Config[], problems: Map<string, WireConfigProblem>): { files: PoolFile[] } {
    const excluded = selection.exclude.length ? picomatch(selection.exclude, { dot: true }) : undefined;
    const excludedWhen = selection.excludeWhen.map((w) => ({ match: picomatch(w.glob, { dot: true }), when: w.when }));
    const openTexts = new Map(selection.openTexts.map((o) => [o.file, o.text]));
    const configIndex = new Map<LoadedConfig, number>();
    const files: PoolFile[] = [];
    const folders = selection.folders.filter((f) => fs.existsSync(f));
    for (const file of collectFiles(folders, '/').files) {
      if (excluded && selection.folders.some((dir) => matchesPathOrParent(excluded, path.relative(dir, file)))) continue;
      if (excludedWhen.some((w) => hasSibling(file, w.when) && selection.folders.some((dir) => w.match(path.relative(dir, file))))) continue;
      const loaded = this.resolver.forFile(file);
      for (const p of loaded.problems) problems.set(`${p.file}\0${p.key}\0${p.message}`, p);
      if (this.ignored(loaded, file)) continue;
      let config = configIndex.get(loaded);
      if (config === undefined) {
        config = configs.push(this.configOf(loaded)) - 1;
        configIndex.set(loaded, config);
      }
      files.push({ file, config, ...(openTexts.has(file) ? { text: openTexts.get(file) } : {}) });
    }
    return { files };
  }

  /**
   * Settings override config files: rule severities per rule, lists added (see mergeConfig). One
   * merged object per config file and settings: the editor takes facts over from a file's last
   * analysis only under the same config object (statement-reuse.ts of each language).
   */
  private configOf(loaded: LoadedConfig): Config {
    const known = this.merged.get(loaded);
    if (known && known.settings === this.settings) return known.config;
    const config = mergeConfig(loaded.config, this.settings.config);
    this.merged.set(loaded, { settings: this.settings, config });
    return config;
  }

  private readonly merged = new WeakMap<LoadedConfig, { settings: SettingsLayer; config: Config }>();

  /** `ignore` of the config file, then `perflens.ignore` relative to each workspace folder. */
  private ignored(loaded: LoadedConfig, file: string): boolean {
    if (isIgnoredByConfig(loaded, file)) return true;
    const globs = this.settings.ignore;
    if (globs.length === 0) return false;
    const match = picomatch(globs, { dot: true });
    return this.settings.folders.some((dir) => matchesPathOrParent(match, path.relative(dir, file)));
  }
}

/** VS Code's `when` of `files.exclude`: the sibling named by the pattern exists beside the file. */
function hasSibling(file: string, when: string): boolean {
  const base = path.basename(file, path.extname(file));
  return fs.existsSync(path.join(path.dirname(file), when.replace(/\$\(basename\)/g, base)));
}

/** Settings and config files are merged afresh per request; equal content means equal config. */
function sameConfig(a: Config, b: Config): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function readText(file: string): string | undefined {
  try {
    const buf = fs.readFileSync(file);
    return buf.includes(0) ? undefined : buf.toString('utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.stack ?? err.message : String(err);
}
