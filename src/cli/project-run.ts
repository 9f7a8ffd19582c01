import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Config } from '../core/config';
import type { Finding } from '../core/finding';
import type { FileSummary } from '../core/project';
import { SummaryIndex } from '../core/project-index';
import { inImportOrder, LINK_ROUNDS, ProjectSession } from '../core/project-session';

/** From this many files on, analysis is spread over worker threads. */
export const PARALLEL_THRESHOLD = 200;
export const MIN_CORES_FOR_WORKERS = 4;

export interface SourceInput {
  /** Absolute path. */
  file: string;
  text: string;
  /** Index into the configs array (configs are shared by many files; sent to workers once). */
  config: number;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  notes: string[];
}

/**
 * A session over a share of the files: each file is parsed once, in `prepare`. `wholeProject`: the
 * share holds every file analysed in import order (Python; see core/project-stream.ts).
 */
export function shareSession(files: readonly SourceInput[], configs: readonly Config[], wholeProject: boolean): ProjectSession {
  return new ProjectSession(
    files.map((f) => ({ file: f.file, text: f.text, config: configs[f.config] })),
    { wholeProject, keepFacts: false },
  );
}

export function shareResults(files: readonly SourceInput[], results: ReturnType<ProjectSession['finish']>): FileResult[] {
  return results.map((r, i) => ({ file: files[i].file, findings: r.findings, notes: r.notes }));
}

/** Single-threaded: the reference that the worker path must equal. */
export function analyzeInline(files: readonly SourceInput[], configs: readonly Config[]): FileResult[] {
  const session = shareSession(files, configs, true);
  let index = new SummaryIndex(session.prepare());
  for (let round = 0; round < LINK_ROUNDS; round++) index = new SummaryIndex(session.relink(index));
  return shareResults(files, session.finish(index));
}

/**
 * How many worker threads to use: none below PARALLEL_THRESHOLD or on one core. The
 * `PERFLENS_WORKERS` environment variable forces a count (0 = single thread), for tests and
 * benchmarks.
 */
export function workerCount(fileCount: number, env: NodeJS.ProcessEnv = process.env): number {
  const forced = env.PERFLENS_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), fileCount);
  if (fileCount < PARALLEL_THRESHOLD) return 0;
  // Each worker loads the TypeScript compiler and the Python parser again (~1 s of CPU): on two
  // cores that cost ate the gain (directus, 816 files: 9.7 s CPU with 2 workers, 6.4 s on one
  // thread), so workers start from four cores.
  const cores = os.availableParallelism();
  return cores >= MIN_CORES_FOR_WORKERS ? Math.min(cores, Math.ceil(fileCount / 50)) : 0;
}

/** A summary and the index of its file: in the whole project (to workers) or in the share (from them). */
export type SummaryChange = [index: number, summary: FileSummary];

/**
 * Messages between the main thread and a worker (all plain JSON-like data). Summaries travel as
 * changes: each worker keeps the summaries of the whole project and is sent only those that other
 * workers changed since the last round (a full copy each round cost ~0.4 s of cloning per 1,000
 * Python files, and later rounds change few).
 */
export type ToWorker = { type: 'prepare' } | { type: 'relink'; changes: SummaryChange[] } | { type: 'analyze'; changes: SummaryChange[] };
export type FromWorker =
  | { type: 'summaries'; changes: SummaryChange[] }
  | { type: 'results'; results: FileResult[] }
  | { type: 'error'; message: string };
export interface WorkerInit {
  files: SourceInput[];
  configs: Config[];
  /** Index of each of this share's files in the whole project, and the number of files. */
  indices: number[];
  total: number;
  /** This share holds every file analysed in import order (the first share does). */
  wholeProject: boolean;
}

/**
 * Worker threads: each parses and summarises its share once, the main thread passes the summaries
 * each worker changed on to the others for every linking round, and each worker analyses its share
 * against a SummaryIndex of all of them — the same computation as analyzeInline, split by file.
 */
export async function analyzeParallel(files: readonly SourceInput[], configs: readonly Config[], count: number): Promise<FileResult[]> {
  const shares = splitShares(files.length, count, (i) => files[i].text.length, (i) => inImportOrder(files[i].file) !== undefined);
  const workers = shares.map((idx, w) => new ShareWorker({ files: idx.map((i) => files[i]), configs: [...configs], indices: idx, total: files.length, wholeProject: w === 0 }));
  try {
    /** What each worker has not seen yet of the changes the others reported. */
    const forward = (parts: { changes: SummaryChange[] }[]): SummaryChange[][] =>
      workers.map((_, w) => parts.flatMap((p, from) => (from === w ? [] : p.changes.map(([k, s]): SummaryChange => [shares[from][k], s]))));
    let parts = await Promise.all(workers.map((w) => w.request({ type: 'prepare' }, 'summaries')));
    for (let round = 0; round < LINK_ROUNDS; round++) {
      const changes = forward(parts);
      parts = await Promise.all(workers.map((w, i) => w.request({ type: 'relink', changes: changes[i] }, 'summaries')));
    }
    const changes = forward(parts);
    const results = await Promise.all(workers.map((w, i) => w.request({ type: 'analyze', changes: changes[i] }, 'results')));
    const out: FileResult[] = new Array(files.length);
    results.forEach((part, w) => part.results.forEach((item, k) => (out[shares[w][k]] = item)));
    return out;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * A worker's view of the project's summaries: its own as its session returns them, the others as
 * the main thread forwards their changes.
 */
export class SharedSummaries {
  private readonly all: FileSummary[];
  private readonly sent: (FileSummary | undefined)[] = [];
  private readonly sentJson: (string | undefined)[] = [];

  constructor(private readonly init: Pick<WorkerInit, 'indices' | 'total'>) {
    this.all = new Array<FileSummary>(init.total);
  }

  /** Takes this share's summaries; returns those that differ from what was last reported. */
  own(summaries: FileSummary[]): SummaryChange[] {
    const changes: SummaryChange[] = [];
    summaries.forEach((s, k) => {
      this.all[this.init.indices[k]] = s;
      if (s === this.sent[k]) return;
      this.sent[k] = s;
      const json = JSON.stringify(s);
      if (json === this.sentJson[k]) return;
      this.sentJson[k] = json;
      changes.push([k, s]);
    });
    return changes;
  }

  /** Applies the other workers' changes; returns every summary of the project. */
  others(changes: SummaryChange[]): FileSummary[] {
    for (const [i, s] of changes) this.all[i] = s;
    return this.all.filter((s) => s !== undefined);
  }
}

/**
 * Greedy balance by size: the files that must stay together (`together`) in the first share, then
 * biggest files first, each to the least-loaded share; indices kept sorted.
 */
function splitShares(n: number, count: number, size: (i: number) => number, together: (i: number) => boolean): number[][] {
  const shares: number[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => size(b) - size(a) || a - b);
  for (const i of order) {
    if (!together(i)) continue;
    shares[0].push(i);
    load[0] += size(i) + 200;
  }
  for (const i of order) {
    if (together(i)) continue;
    let w = 0;
    for (let k = 1; k < count; k++) if (load[k] < load[w]) w = k;
    shares[w].push(i);
    load[w] += size(i) + 200; // a fixed cost per file, so many tiny files still spread out
  }
  for (const s of shares) s.sort((a, b) => a - b);
  // The first share stays first even when empty of Python files: it is the one told `wholeProject`.
  return shares.filter((s, w) => w === 0 || s.length > 0);
}

class ShareWorker {
  private readonly worker: Worker;
  private pending?: { resolve: (m: FromWorker) => void; reject: (e: Error) => void };
  private failure?: Error;

  constructor(init: WorkerInit) {
    this.worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: init });
    this.worker.on('message', (m: FromWorker) => {
      const p = this.pending;
      this.pending = undefined;
      if (m.type === 'error') p?.reject(new Error(m.message));
      else p?.resolve(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`worker exited with code ${code}`)));
  }

  private fail(e: Error) {
    this.failure ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
  }

  request<K extends FromWorker['type']>(msg: ToWorker, expect: K): Promise<Extract<FromWorker, { type: K }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve: (m) => (m.type === expect ? resolve(m as Extract<FromWorker, { type: K }>) : reject(new Error(`unexpected ${m.type} from worker`))),
        reject,
      };
      this.worker.postMessage(msg);
    });
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
