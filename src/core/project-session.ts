import type { Config } from './config';
import type { FileFacts, FunctionSummary } from './model';
import type { FileSummary, ProjectIndex } from './project';
import { emptySummary } from './project';
import type { AnalyzeResult } from './analyze';
import { analyze, checkFacts, extractFacts, languageForFile, summarize } from './analyze';
import { fileSummary, linkFactsSafely, needsTypesFromProject } from './link';
import { frontendFor } from '../frontends';
import type { Frontend } from '../frontends';
import type { Streamed } from './project-stream';
import { streamFiles } from './project-stream';

export interface ProjectFile {
  file: string;
  text: string;
  config: Config;
}

export interface SessionOptions {
  /**
   * The session holds every file of the project: files of front-ends summarised per pass (Python)
   * are then analysed in import order, each once (core/project-stream.ts), instead of per pass.
   * Sessions over a part of the project (the editor's chunks) must not set it.
   */
  wholeProject?: boolean;
  /**
   * Results keep their facts (default true). The CLI needs only findings, and the facts of 1,000
   * files kept to the end cost the collector more than building them.
   */
  keepFacts?: boolean;
  /** Files analysed in import order are reported as they are done, `every` at a time. */
  progress?: { every: number; report(files: number): void };
}

/** How many times summaries are re-linked: each round lets a helper reach one more file away. */
export const LINK_ROUNDS = 3;

/**
 * A project analysis that parses each file once: extract facts without the project (pass 1), then
 * re-link the facts as the summaries of the other files become known (cheap, no parsing), and
 * finally run the rules. A file whose types depend on another file (an exported client, a class
 * extending a library class) is extracted again once, with the project index.
 *
 * The work over files can be split across workers: `prepare`, `relink` and `finish` each need only
 * this session's files and the summaries of all files (plain JSON).
 */
export class ProjectSession {
  private readonly facts: Array<FileFacts | undefined> = [];
  private readonly notes: string[][] = [];
  private readonly summaries: FileSummary[] = [];
  private readonly legacy: boolean[] = [];
  private readonly streamed: (Streamed | undefined)[] = [];
  private retyped = false;

  constructor(
    private readonly files: readonly ProjectFile[],
    private readonly options: SessionOptions = {},
  ) {}

  /** Pass 1: facts and local summaries of every file. */
  prepare(): FileSummary[] {
    if (this.options.wholeProject) this.stream();
    this.prefetch();
    this.files.forEach((f, i) => {
      if (this.streamed[i]) return;
      const language = languageForFile(f.file);
      const frontend = language ? frontendFor(language) : undefined;
      // Front-ends that do not report exports as facts (Python, for now) are summarised and
      // analysed the older way: each pass runs the front-end again, so they get fewer passes.
      if (language && frontend && !frontend.linksFacts) {
        this.legacy[i] = true;
        this.summaries[i] = summarize({ file: f.file, text: f.text, config: f.config });
        return;
      }
      const { facts, notes } = extractFacts({ file: f.file, text: f.text, config: f.config });
      this.notes[i] = notes;
      this.facts[i] = facts;
      this.summaries[i] = facts ? fileSummary(facts, linkFactsSafely(facts)) : emptySummary(f.file, language ?? 'typescript');
    });
    return [...this.summaries];
  }

  /** Files of per-pass front-ends, analysed in import order: their summaries are final at once. */
  private stream(): void {
    const byFrontend = new Map<Frontend, number[]>();
    this.files.forEach((f, i) => {
      const frontend = inImportOrder(f.file);
      if (!frontend) return;
      const list = byFrontend.get(frontend) ?? [];
      list.push(i);
      byFrontend.set(frontend, list);
    });
    for (const [frontend, indices] of byFrontend) {
      let done: Streamed[];
      try {
        done = streamFiles(
          indices.map((i) => this.files[i]),
          frontend,
          { keepFacts: this.options.keepFacts ?? true, progress: this.options.progress },
        );
      } catch {
        // A bug in the ordering must not lose the files: they go the per-pass way instead.
        continue;
      }
      indices.forEach((i, k) => {
        this.streamed[i] = done[k];
        this.summaries[i] = done[k].summary;
      });
    }
  }

  /** A front-end that can parse ahead (Python, on another thread) is told its files first, in order. */
  private prefetch(): void {
    const byFrontend = new Map<Frontend, ProjectFile[]>();
    for (const [i, f] of this.files.entries()) {
      if (this.streamed[i]) continue;
      const language = languageForFile(f.file);
      const frontend = language ? frontendFor(language) : undefined;
      if (!frontend?.prefetch) continue;
      const list = byFrontend.get(frontend) ?? [];
      list.push(f);
      byFrontend.set(frontend, list);
    }
    for (const [frontend, files] of byFrontend) frontend.prefetch?.(files);
  }

  /** One more round: link every file against the summaries of the whole project. */
  relink(project: ProjectIndex): FileSummary[] {
    this.files.forEach((f, i) => {
      if (this.streamed[i]) return;
      if (this.legacy[i]) {
        // One re-summary against the project (a helper one file away); deeper chains need the
        // front-end to report its calls as facts.
        if (!this.retyped) this.summaries[i] = summarize({ file: f.file, text: f.text, config: f.config, project });
        return;
      }
      let facts = this.facts[i];
      if (!facts) return;
      if (!this.retyped && needsTypesFromProject(facts, project)) {
        const again = extractFacts({ file: f.file, text: f.text, config: f.config, project });
        if (again.facts) this.facts[i] = facts = again.facts;
      }
      this.summaries[i] = fileSummary(facts, linkFactsSafely(facts, project));
    });
    this.retyped = true;
    return [...this.summaries];
  }

  /**
   * The findings of every file against the final summaries; `fixes: false` leaves fixes out (see
   * AnalyzeInput). Facts are dropped once checked unless the session keeps them.
   */
  finish(project: ProjectIndex, fixes = true): AnalyzeResult[] {
    return this.files.map((f, i) => {
      const result = this.finishFile(f, i, project, fixes);
      if (this.options.keepFacts === false) {
        result.facts = undefined;
        this.facts[i] = undefined;
        this.streamed[i] = undefined;
      }
      return result;
    });
  }

  private finishFile(f: ProjectFile, i: number, project: ProjectIndex, fixes: boolean): AnalyzeResult {
    const streamed = this.streamed[i];
    if (streamed) {
      const { result } = streamed;
      return fixes ? { ...result } : { ...result, findings: result.findings.map((x) => ({ ...x, fixes: [] })) };
    }
    if (this.legacy[i]) return analyze({ file: f.file, text: f.text, config: f.config, project, fixes });
    const facts = this.facts[i];
    if (!facts) return { findings: [], notes: this.notes[i] };
    linkFactsSafely(facts, project);
    return checkFacts(facts, f.config, fixes);
  }
}

/**
 * The front-end of a file that a whole-project session analyses in import order (one summarised
 * per pass that can tell a file's imports: Python), if any. Such files must stay in one session:
 * splits of a project (worker threads, the editor's pool) put them together.
 */
export function inImportOrder(file: string): Frontend | undefined {
  const language = languageForFile(file);
  const frontend = language ? frontendFor(language) : undefined;
  return frontend && !frontend.linksFacts && frontend.importedModules ? frontend : undefined;
}

export type { FunctionSummary };
