import type { Config } from './config';
import type { FunctionSummary, Language } from './model';
import type { FileSummary, ProjectIndex } from './project';
import type { AnalyzeResult } from './analyze';
import { analyze, summarize } from './analyze';
import { normalize, PythonModulePaths } from './project-index';
import type { Frontend, LookupRecord } from '../frontends';

/**
 * The project analysis of files whose front-end is summarised per pass (Python): each file is
 * analysed after the files it imports, once, giving its summary and its findings together, and its
 * tree is dropped right after. Keeping every tree for three passes made the collector the largest
 * cost of a large project.
 *
 * Files that import each other (a cycle: one strongly connected group of the import graph) are
 * summarised twice first — without each other, then with each other's first summaries — so a
 * helper one file away within the cycle is seen, and across the acyclic part helpers are seen at
 * any depth. Look-ups the import scan did not foresee (a module reached through attributes, a
 * class found by name) are answered by what is known at the time and checked once against the
 * final index at the end; a file whose answers changed is analysed again.
 */
export interface StreamFile {
  file: string;
  text: string;
  config: Config;
}

export interface Streamed {
  summary: FileSummary;
  /** Findings with fixes spelled; facts kept only when asked for. */
  result: AnalyzeResult;
}

export interface StreamOptions {
  keepFacts: boolean;
  /** Reports analysed files, `every` at a time (the rest at the end). */
  progress?: { every: number; report(files: number): void };
}

export function streamFiles(files: readonly StreamFile[], frontend: Frontend, options: StreamOptions): Streamed[] {
  const index = new GrowingIndex(files.map((f) => f.file));
  // The parse-ahead thread starts loading its parser while the import order is worked out.
  const setOrder = frontend.prefetch?.(files, true);
  const order = importOrder(files, frontend, index.modules);
  setOrder?.(order.flat());
  const out: Streamed[] = new Array(files.length);
  const records: (LookupRecord | undefined)[] = new Array(files.length);
  let unreported = 0;
  const analyse = (i: number) => {
    const { result, record } = factsOf(files[i], frontend, index, options);
    if (!out[i] && options.progress && ++unreported === options.progress.every) {
      options.progress.report(unreported);
      unreported = 0;
    }
    out[i] = { summary: index.summaryOf(files[i].file)!, result };
    records[i] = record;
  };
  for (const group of order) {
    // A cycle: every member is summarised once before any is analysed, so each sees the others.
    if (group.length > 1) {
      for (const i of group) {
        index.add(summaryOf(files[i], index));
        // The second summary sees the other members, so this analysis is never reused.
        frontend.forgetAnalysis?.(files[i].file);
      }
    }
    for (const i of group) index.add(summaryOf(files[i], index));
    for (const i of group) analyse(i);
  }
  // Look-ups nobody foresaw: answered then by what was known; now by everything.
  for (let i = 0; i < files.length; i++) {
    if (records[i]?.stillValid(index) === false) {
      index.add(summaryOf(files[i], index));
      analyse(i);
    }
  }
  if (unreported) options.progress?.report(unreported);
  return out;
}

function summaryOf(f: StreamFile, index: ProjectIndex): FileSummary {
  return summarize({ file: f.file, text: f.text, config: f.config, project: index });
}

/** Facts and findings of a file against the index (its analysis reused from its summary). */
function factsOf(f: StreamFile, frontend: Frontend, index: ProjectIndex, options: StreamOptions): { result: AnalyzeResult; record?: LookupRecord } {
  // Fixes are spelled while the tree is still at hand; a caller that wants none drops them.
  const result = analyze({ file: f.file, text: f.text, config: f.config, project: index, fixes: true });
  if (!options.keepFacts) result.facts = undefined;
  return { result, record: frontend.release?.(f.file) };
}

/**
 * Groups of files in the order to analyse them: each group (one file, or the files of an import
 * cycle) after the groups it imports from; otherwise in the given order. Tarjan's algorithm emits
 * strongly connected components dependencies first.
 */
function importOrder(files: readonly StreamFile[], frontend: Frontend, modules: PythonModulePaths): number[][] {
  const id = new Map(files.map((f, i) => [normalize(f.file), i]));
  const edges = files.map((f, i) => {
    const out = new Set<number>();
    for (const specifier of frontend.importedModules?.(f.text) ?? []) {
      const target = modules.resolve(f.file, specifier);
      const j = target === undefined ? undefined : id.get(target);
      if (j !== undefined && j !== i) out.add(j);
    }
    return [...out].sort((a, b) => a - b);
  });
  return stronglyConnected(edges);
}

/** Tarjan's strongly connected components, iteratively (import chains can be long). */
function stronglyConnected(edges: readonly number[][]): number[][] {
  const n = edges.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const groups: number[][] = [];
  let next = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [node: number, edge: number][] = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const [v, e] = top;
      if (e < edges[v].length) {
        top[1]++;
        const w = edges[v][e];
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        const group: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          group.push(w);
        } while (w !== v);
        // Deepest first: a member found later in the walk is imported by the ones before it.
        groups.push(group.sort((a, b) => index[b] - index[a]));
      }
    }
  }
  return groups;
}

/**
 * A project index that grows as files are analysed: modules resolve over every file of the
 * project (so a name means the same file as in the final index), to the summary known so far.
 */
export class GrowingIndex implements ProjectIndex {
  readonly modules: PythonModulePaths;
  private readonly summaries = new Map<string, FileSummary>();
  /** Class name → the files defining it, with their methods (two files: ambiguous, as in SummaryIndex). */
  private readonly classes = new Map<string, Map<string, Record<string, FunctionSummary>>>();

  constructor(files: readonly string[]) {
    this.modules = new PythonModulePaths(files.map(normalize));
  }

  summaryOf(file: string): FileSummary | undefined {
    return this.summaries.get(normalize(file));
  }

  add(summary: FileSummary): void {
    const file = normalize(summary.file);
    const before = this.summaries.get(file);
    if (before) for (const name of Object.keys(before.classes)) this.classes.get(name)?.delete(file);
    this.summaries.set(file, summary);
    for (const [name, methods] of Object.entries(summary.classes)) {
      let byFile = this.classes.get(name);
      if (!byFile) this.classes.set(name, (byFile = new Map()));
      byFile.set(file, methods);
    }
  }

  resolveModule(fromFile: string, specifier: string, language: Language): FileSummary | undefined {
    if (language !== 'python') return undefined;
    const file = this.modules.resolve(fromFile, specifier);
    return file === undefined ? undefined : this.summaries.get(file);
  }

  findClass(name: string): Record<string, FunctionSummary> | undefined {
    const byFile = this.classes.get(name);
    if (!byFile || byFile.size === 0) return undefined;
    return byFile.size === 1 ? byFile.values().next().value : {};
  }

  entityRelations(): readonly string[] {
    return [];
  }

  /** Every summary (plain JSON), for the deep-stack worker. */
  allSummaries(): FileSummary[] {
    return [...this.summaries.values()];
  }
}
