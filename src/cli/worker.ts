import { parentPort, workerData } from 'worker_threads';
import { ready } from '../core/analyze';
import type { FromWorker, ToWorker, WorkerInit } from './project-run';
import { analyzeShare, summarizeShare } from './project-run';

/** Worker thread entry: analyses one share of a project on request from project-run.ts. */
const init = workerData as WorkerInit;
const loaded = ready();

parentPort?.on('message', (msg: ToWorker) => {
  void handle(msg).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) => parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies FromWorker),
  );
});

async function handle(msg: ToWorker): Promise<FromWorker> {
  await loaded;
  if (msg.type === 'summarize') return { type: 'summaries', summaries: summarizeShare(init.files, init.configs, msg.previous) };
  return { type: 'results', results: analyzeShare(init.files, init.configs, msg.summaries) };
}
