import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Config, FileSummary } from '../core/index';
import { inImportOrder, LINK_ROUNDS } from '../core/project-session';
import type { FileFindings, ShareInit, ToShare } from './protocol';
import type { FromShare } from './share';

/** Below this many files one pool worker does it all: loading the engine again costs ~1 s per worker. */
const FILES_PER_EXTRA_WORKER = 200;

export interface PoolFile {
  file: string;
  config: number;
  /** Editor text of an open, changed document; read from disk otherwise. */
  text?: string;
}

export interface PoolJob {
  files: PoolFile[];
  configs: Config[];
  /** Run the rules too (a scan); without it only the summaries are built (the background index). */
  check: boolean;
  onProgress(phase: 'summarising' | 'checking', done: number, total: number): void;
  onResults(results: FileFindings[]): void;
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * The project passes of the CLI (summarise, re-link LINK_ROUNDS times, check) spread over worker
 * threads, one per core for large workspaces. Runs inside the engine worker, so neither the
 * extension host's main thread nor the engine's answers to typing wait on it. `cancel()` ends
 * the workers at once.
 */
export class PoolRun {
  private readonly workers: ShareWorker[] = [];
  private cancelled = false;

  constructor(private readonly job: PoolJob) {}

  async run(): Promise<FileSummary[]> {
    const { files, configs } = this.job;
    const count = Math.max(1, Math.min(os.availableParallelism(), Math.ceil(files.length / FILES_PER_EXTRA_WORKER)));
    const shares: number[][] = Array.from({ length: count }, () => []);
    // Files analysed in import order (Python) need one session (core/project-stream.ts), as in the
    // CLI: all of them go to the first share.
    let next = 0;
    files.forEach((f, i) => {
      if (inImportOrder(f.file)) shares[0].push(i);
      else shares[next++ % count].push(i);
    });
    for (const [w, share] of shares.entries()) {
      const init: ShareInit = { role: 'share', files: share.map((i) => files[i]), configs, wholeProject: w === 0 };
      this.workers.push(new ShareWorker(init));
    }
    if (this.cancelled) this.cancel();
    const total = files.length;
    try {
      let done = 0;
      const progress = (phase: 'summarising' | 'checking') => (n: number) => {
        done += n;
        this.job.onProgress(phase, done, total);
      };
      const merge = (parts: FileSummary[][]): FileSummary[] => {
        const out: FileSummary[] = new Array(total);
        parts.forEach((part, w) => part.forEach((s, k) => (out[shares[w][k]] = s)));
        return out;
      };
      const onSummarise = progress('summarising');
      let summaries = merge(await Promise.all(this.workers.map((w) => w.summaries({ type: 'prepare' }, onSummarise))));
      for (let round = 0; round < LINK_ROUNDS; round++) {
        const all = summaries;
        summaries = merge(await Promise.all(this.workers.map((w) => w.summaries({ type: 'relink', summaries: all }, () => {}))));
      }
      if (this.job.check) {
        done = 0;
        const onCheck = progress('checking');
        const all = summaries;
        await Promise.all(this.workers.map((w) => w.finish(all, onCheck, (r) => this.job.onResults(r))));
      }
      return summaries;
    } finally {
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
  }

  cancel(): void {
    if (this.cancelled && this.workers.every((w) => w.failed)) return;
    this.cancelled = true;
    for (const w of this.workers) w.fail(new Cancelled());
    for (const w of this.workers) void w.terminate();
  }
}

class ShareWorker {
  private readonly worker: Worker;
  private listener?: (m: FromShare) => void;
  private reject?: (e: Error) => void;
  private failure?: Error;
  private terminated?: Promise<void>;

  constructor(init: ShareInit) {
    // The same bundle as the engine; `role` in workerData picks the share entry (see worker.ts).
    this.worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: init });
    this.worker.on('message', (m: FromShare) => {
      if (m.type === 'error') this.fail(new Error(m.message));
      else this.listener?.(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`a scan worker exited with code ${code}`)));
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  fail(e: Error): void {
    this.failure ??= e;
    const reject = this.reject;
    this.reject = undefined;
    reject?.(this.failure);
  }

  summaries(msg: ToShare, onProgress: (files: number) => void): Promise<FileSummary[]> {
    return this.exchange(msg, (m, resolve) => {
      if (m.type === 'progress') onProgress(m.files);
      else if (m.type === 'summaries') resolve(m.summaries);
    });
  }

  finish(summaries: FileSummary[], onProgress: (files: number) => void, onResults: (r: FileFindings[]) => void): Promise<void> {
    return this.exchange<void>({ type: 'finish', summaries }, (m, resolve) => {
      if (m.type === 'progress') onProgress(m.files);
      else if (m.type === 'results') onResults(m.results);
      else if (m.type === 'done') resolve();
    });
  }

  private exchange<T>(msg: ToShare, on: (m: FromShare, resolve: (v: T) => void) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.reject = reject;
      this.listener = (m) => on(m, resolve);
      this.worker.postMessage(msg);
    });
  }

  /** Once: a second terminate() of a worker that is still starting never settled (Node 20 and 24). */
  terminate(): Promise<void> {
    this.terminated ??= (async () => {
      this.worker.removeAllListeners('exit');
      await this.worker.terminate();
    })();
    return this.terminated;
  }
}
