import { workerData } from 'worker_threads';
import type { MessagePort } from 'worker_threads';
import type { Config } from './config';
import type { Language } from './model';
import type { FileSummary } from './project';
import type { DeepJob } from './deep-stack';
import { frontendFor, initFrontends } from '../frontends';
import { setMaxDepth } from '../frontends/depth';
import { SummaryIndex } from './project-index';

const { job, port, shared } = workerData as { job: DeepJob; port: MessagePort; shared: Int32Array };

async function main(): Promise<void> {
  try {
    await initFrontends();
    setMaxDepth(200_000);
    const frontend = frontendFor(job.language as Language);
    if (!frontend) throw new Error(`no front-end for ${job.language}`);
    const project = job.summaries ? new SummaryIndex(job.summaries as FileSummary[]) : undefined;
    const config = job.config as Config;
    const value =
      job.kind === 'extract'
        ? frontend.extract(job.file, job.text, job.language as Language, config, project)
        : frontend.summarize(job.file, job.text, job.language as Language, config, project);
    port.postMessage({ ok: true, value });
  } catch (err) {
    port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  } finally {
    Atomics.store(shared, 0, 1);
    Atomics.notify(shared, 0);
  }
}

void main();
