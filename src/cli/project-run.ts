import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Config } from '../core/config';
import type { Finding } from '../core/finding';
import type { FileSummary } from '../core/project';
import { SummaryIndex } from '../core/project-index';
import { LINK_ROUNDS, ProjectSession } from '../core/project-session';

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

/** A session over a share of the files: each file is parsed once, in `prepare`. */
export function shareSession(files: readonly SourceInput[], configs: readonly Config[]): ProjectSession {
  return new ProjectSession(files.map((f) => ({ file: f.file, text: f.text, config: configs[f.config] })));
}

export function shareResults(files: readonly SourceInput[], results: ReturnType<ProjectSession['finish']>): FileResult[] {
  return results.map((r, i) => ({ file: files[i].file, findings: r.findings, notes: r.notes }));
}

/** Single-threaded: the reference that the worker path must equal. */
export function analyzeInline(files: readonly SourceInput[], configs: readonly Config[]): FileResult[] {
  const session = shareSession(files, configs);
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

/** Messages between the main thread and a worker (all plain JSON-like data). */
export type ToWorker = { type: 'prepare' } | { type: 'relink'; summaries: FileSummary[] } | { type: 'analyze'; summaries: FileSummary[] };
export type FromWorker =
  | { type: 'summaries'; summaries: FileSummary[] }
  | { type: 'results'; results: FileResult[] }
  | { type: 'error'; message: string };
export interface WorkerInit {
  files: SourceInput[];
  configs: Config[];
}

/**
 * Worker threads: each parses and summarises its share once, the main thread merges the summaries
 * in file order for every linking round, and each worker analyses its share against a SummaryIndex
 * rebuilt from the merged list — the same computation as analyzeInline, split by file.
 */
export async function analyzeParallel(files: readonly SourceInput[], configs: readonly Config[], count: number): Promise<FileResult[]> {
  const shares = splitShares(files.length, count, (i) => files[i].text.length);
  const workers = shares.map((idx) => new ShareWorker({ files: idx.map((i) => files[i]), configs: [...configs] }));
  try {
    const merge = <T>(parts: T[][]): T[] => {
      const out: T[] = new Array(files.length);
      parts.forEach((part, w) => part.forEach((item, k) => (out[shares[w][k]] = item)));
      return out;
    };
    let parts = await Promise.all(workers.map((w) => w.request({ type: 'prepare' }, 'summaries')));
    let summaries = merge(parts.map((p) => p.summaries));
    for (let round = 0; round < LINK_ROUNDS; round++) {
      const all = summaries;
      parts = await Promise.all(workers.map((w) => w.request({ type: 'relink', summaries: all }, 'summaries')));
      summaries = merge(parts.map((p) => p.summaries));
    }
    const all = summaries;
    const results = await Promise.all(workers.map((w) => w.request({ type: 'analyze', summaries: all }, 'results')));
    return merge(results.map((p) => p.results));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Greedy balance by size: biggest files first, each to the least-loaded share; indices kept sorted. */
function splitShares(n: number, count: number, size: (i: number) => number): number[][] {
  const shares: number[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => size(b) - size(a) || a - b);
  for (const i of order) {
    let w = 0;
    for (let k = 1; k < count; k++) if (load[k] < load[w]) w = k;
    shares[w].push(i);
    load[w] += size(i) + 200; // a fixed cost per file, so many tiny files still spread out
  }
  for (const s of shares) s.sort((a, b) => a - b);
  return shares.filter((s) => s.length > 0);
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
