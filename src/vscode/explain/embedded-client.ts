import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openEmbeddedRunner, type ExplainRunner, type SchemaReport, type SqlSession } from '../../explain';
import type { SqlResult } from '../../explain/runner';
import type { OpenedReply, WorkerError, WorkerReply, WorkerRequest } from './embedded-protocol';

/**
 * The embedded PostgreSQL as the extension host sees it: an ExplainRunner whose sessions run in a
 * worker thread (embedded-worker.ts, bundled beside the extension as explain-worker.js). Without that
 * file (a build that skipped scripts/build-webview.mjs) it falls back to the engine's in-process runner.
 */

export interface EmbeddedHandle extends ExplainRunner {
  readonly kind: 'embedded';
  readonly schema: SchemaReport;
}

type Pending = { resolve: (value: unknown) => void; reject: (e: Error) => void; progress?: (message: string) => void };

export class EmbeddedWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script = join(__dirname, 'explain-worker.js')) {}

  async open(options: { schemaDir?: string; snapshotDir?: string; onProgress?: (message: string) => void }): Promise<EmbeddedHandle> {
    if (!existsSync(this.script)) return openEmbeddedRunner(options);
    const opened = (await this.call({ op: 'open', schemaDir: options.schemaDir, snapshotDir: options.snapshotDir }, options.onProgress)) as OpenedReply;
    const worker = this;
    return {
      kind: 'embedded',
      description: opened.description,
      schema: opened.schema,
      async withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
        const session = (await worker.call({ op: 'begin' })) as number;
        const run = (text: string, values: readonly (string | null)[], simple: boolean): Promise<SqlResult> =>
          worker.call({ op: 'query', session, text, values: [...values], simple }).then((rows) => ({ rows: rows as SqlResult['rows'] }));
        try {
          return await fn({ query: (text, values = []) => run(text, values, false), simpleQuery: (text) => run(text, [], true) });
        } finally {
          await worker.call({ op: 'end', session }).catch(() => undefined);
        }
      },
      async close(): Promise<void> {
        // The database lives as long as the worker; dispose() ends both.
      },
    };
  }

  private call(request: DistributiveOmit<WorkerRequest, 'id'>, progress?: (message: string) => void): Promise<unknown> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      if ('progress' in reply) {
        pending.progress?.(reply.progress);
        return;
      }
      this.pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(errorFrom(reply.error));
    });
    const fail = (e: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The embedded PostgreSQL stopped (worker exit code ${code}).`)));
    // The extension host may exit while the database idles.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An Error with PostgreSQL's fields, as the engine's isPostgresError expects. */
function errorFrom(e: WorkerError): Error {
  const error = new Error(e.message) as Error & Partial<Record<'code' | 'position' | 'detail' | 'hint', string>>;
  if (e.name) error.name = e.name;
  if (e.code) error.code = e.code;
  if (e.position) error.position = e.position;
  if (e.detail) error.detail = e.detail;
  if (e.hint) error.hint = e.hint;
  return error;
}
