import { parentPort, workerData } from 'worker_threads';
import { ready } from '../core/analyze';
import type { FromWorker, ToWorker, WorkerInit } from './project-run';
import { SummaryIndex } from '../core/project-index';
import { SharedSummaries, shareResults, shareSession } from './project-run';

/** Worker thread entry: analyses one share of a project on request from project-run.ts. */
const init = workerData as WorkerInit;
const loaded = ready();
const session = shareSession(init.files, init.configs, init.wholeProject);
const summaries = new SharedSummaries(init);

parentPort?.on('message', (msg: ToWorker) => {
  void handle(msg).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) => parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies FromWorker),
  );
});

async function handle(msg: ToWorker): Promise<FromWorker> {
  await loaded;
  if (msg.type === 'prepare') return { type: 'summaries', changes: summaries.own(session.prepare()) };
  const index = new SummaryIndex(summaries.others(msg.changes));
  if (msg.type === 'relink') return { type: 'summaries', changes: summaries.own(session.relink(index)) };
  return { type: 'results', results: shareResults(init.files, session.finish(index)) };
}
