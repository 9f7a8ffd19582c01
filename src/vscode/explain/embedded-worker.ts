/**
 * The worker thread that holds the embedded PostgreSQL (bundled as dist/explain-worker.js). It runs
 * the engine's EmbeddedRunner unchanged — started once per schema folder and reused — and passes
 * statements through for sessions that the extension host opens; the safety rules stay in the
 * extension host's explainSql, as for a real server.
 */
import { parentPort } from 'node:worker_threads';
import { openEmbeddedRunner, type EmbeddedRunner } from '../../explain/embedded-runner';
import type { SqlSession } from '../../explain/runner';
import type { WorkerError, WorkerReply, WorkerRequest } from './embedded-protocol';

const port = parentPort;
if (!port) throw new Error('embedded-worker.ts runs as a worker thread.');

let runner: EmbeddedRunner | undefined;
const sessions = new Map<number, { session: SqlSession; end: () => void }>();

port.on('message', (request: WorkerRequest) => {
  void handle(request).then(
    (value) => post({ id: request.id, ok: true, value }),
    (e: unknown) => post({ id: request.id, ok: false, error: errorOf(e) }),
  );
});

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'open': {
      runner = await openEmbeddedRunner({
        schemaDir: request.schemaDir,
        snapshotDir: request.snapshotDir,
        onProgress: (message) => post({ id: request.id, progress: message }),
      });
      return { description: runner.description, schema: runner.schema };
    }
    case 'begin': {
      const current = runner;
      if (!current) throw new Error('The embedded PostgreSQL is not open.');
      // The runner's withSession serialises sessions; this one stays open until `end`.
      return new Promise<number>((resolve, reject) => {
        current
          .withSession(
            (session) =>
              new Promise<void>((end) => {
                sessions.set(request.id, { session, end });
                resolve(request.id);
              }),
          )
          .catch(reject);
      });
    }
    case 'query': {
      const open = sessions.get(request.session);
      if (!open) throw new Error('No such session.');
      const result = request.simple ? await open.session.simpleQuery(request.text) : await open.session.query(request.text, request.values);
      return result.rows;
    }
    case 'end': {
      const open = sessions.get(request.session);
      sessions.delete(request.session);
      open?.end();
      return undefined;
    }
  }
}

function post(reply: WorkerReply): void {
  port!.postMessage(reply);
}

/** PostgreSQL's error fields survive the trip, so the engine maps positions and codes as usual. */
function errorOf(e: unknown): WorkerError {
  if (!(e instanceof Error)) return { message: String(e) };
  const fields = e as Error & { code?: unknown; position?: unknown; detail?: unknown; hint?: unknown };
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { message: e.message, name: e.name, code: text(fields.code), position: text(fields.position), detail: text(fields.detail), hint: text(fields.hint) };
}
