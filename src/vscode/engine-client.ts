import * as path from 'path';
import { Worker } from 'worker_threads';
import * as vscode from 'vscode';
import type { FileFindings, FileSelection, FromEngine, RuleInfo, SettingsLayer, ToEngine, WireConfigProblem, WireFindingFixes } from './protocol';

type Reply = Extract<FromEngine, { id: number }>;

export interface ScanEvents {
  onProgress(phase: string, done: number, total: number): void;
  onResults(results: FileFindings[]): void;
}

/**
 * The main thread's handle on the engine worker: requests with ids, answers as promises. The worker
 * is started on first use and again if it dies (its state, the index, is rebuilt by the caller).
 */
export class EngineClient implements vscode.Disposable {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; events?: ScanEvents }>();
  private settings?: SettingsLayer;
  private readyRules?: Promise<RuleInfo[]>;
  private resolveRules?: (rules: RuleInfo[]) => void;
  private readonly restartEmitter = new vscode.EventEmitter<void>();
  /** The worker was restarted after a crash: the index is gone and open documents need analysing. */
  readonly onDidRestart = this.restartEmitter.event;

  constructor(
    private readonly bundleDir: string,
    private readonly log: (message: string) => void,
  ) {}

  rules(): Promise<RuleInfo[]> {
    this.ensure();
    return this.readyRules!;
  }

  setSettings(settings: SettingsLayer): void {
    this.settings = settings;
    this.post({ type: 'settings', settings });
  }

  configFilesChanged(): void {
    this.post({ type: 'configFilesChanged' });
  }

  analyze(file: string, text: string): Promise<{ result: FileFindings; configProblems: WireConfigProblem[]; engineMs: number }> {
    return this.request((id) => ({ type: 'analyze', id, file, text }), 'result').then((r) => ({ result: r.result, configProblems: r.configProblems, engineMs: r.engineMs }));
  }

  analyzeFile(file: string): Promise<FileFindings> {
    return this.request((id) => ({ type: 'analyzeFile', id, file }), 'result').then((r) => r.result);
  }

  fixAll(file: string, text: string): Promise<string | undefined> {
    return this.request((id) => ({ type: 'fixAll', id, file, text }), 'fixed').then((r) => r.text);
  }

  /** The fixes and ignore fixes of these findings of `text`, in their order. */
  fixes(file: string, text: string, findings: { rule: string; span: { start: number; end: number } }[]): Promise<WireFindingFixes[]> {
    return this.request((id) => ({ type: 'fixes', id, file, text, findings }), 'fixes').then((r) => r.fixes);
  }

  saved(file: string, text: string): void {
    this.post({ type: 'saved', file, text });
  }

  /** Index or scan the workspace; `cancel` ends it. Resolves with the file count, or cancelled. */
  run(kind: 'index' | 'scan', selection: FileSelection, events: ScanEvents, token?: vscode.CancellationToken): Promise<{ files: number; cancelled: boolean; configProblems: WireConfigProblem[] }> {
    let id = 0;
    const done = this.request(
      (n) => {
        id = n;
        return { type: kind, id: n, selection };
      },
      'finished',
      events,
    );
    // An already cancelled token calls its listeners too (asynchronously).
    token?.onCancellationRequested(() => this.post({ type: 'cancel', id }));
    return done;
  }

  private request<K extends Reply['type']>(make: (id: number) => ToEngine, expect: K, events?: ScanEvents): Promise<Extract<Reply, { type: K }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (r) => (r.type === expect ? resolve(r as Extract<Reply, { type: K }>) : reject(new Error(`the engine answered ${r.type} to a ${expect} request`))),
        reject,
        events,
      });
      this.post(make(id));
    });
  }

  private post(m: ToEngine): void {
    this.ensure().postMessage(m);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    this.readyRules = new Promise((r) => (this.resolveRules = r));
    const worker = new Worker(path.join(this.bundleDir, 'worker.js'), { workerData: { role: 'engine' } });
    worker.on('message', (m: FromEngine) => this.receive(m));
    worker.on('error', (e) => this.log(`The analysis worker failed: ${e.stack ?? e.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log(`The analysis worker stopped (exit code ${code}); it restarts on the next request.`);
      for (const p of this.pending.values()) p.reject(new Error('the analysis worker stopped'));
      this.pending.clear();
      this.restartEmitter.fire();
    });
    this.worker = worker;
    if (this.settings) worker.postMessage({ type: 'settings', settings: this.settings } satisfies ToEngine);
    return worker;
  }

  private receive(m: FromEngine): void {
    if (m.type === 'ready') return this.resolveRules?.(m.rules);
    if (m.type === 'log') return this.log(m.message);
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') return p.events?.onProgress(m.phase, m.done, m.total);
    if (m.type === 'scanResults') return p.events?.onResults(m.results);
    this.pending.delete(m.id);
    if (m.type === 'failed') p.reject(new Error(m.message));
    else p.resolve(m);
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.restartEmitter.dispose();
  }
}
