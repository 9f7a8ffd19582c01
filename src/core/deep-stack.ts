import * as path from 'path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/**
 * Very deeply nested input (thousands of nested blocks) overflows the default stack of the
 * recursive parsers. Rather than skip such a file, we re-run the same synchronous job once on a
 * worker thread with a large stack and wait for it synchronously (Atomics.wait), so `analyze`
 * stays synchronous and the result is the same as for any other file.
 */
const STACK_MB = 512;
const TIMEOUT_MS = 60_000;

export interface DeepJob {
  kind: 'extract' | 'summarize';
  file: string;
  text: string;
  language: string;
  config: unknown;
  /** Summaries of the project (plain JSON), when analysing with a project index. */
  summaries?: unknown[];
}

export function runWithDeepStack<T>(job: DeepJob): T | undefined {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(path.join(__dirname, 'deep-stack-worker.js'), {
    workerData: { job, port: port2, shared },
    transferList: [port2],
    resourceLimits: { stackSizeMb: STACK_MB },
    stdout: false,
    stderr: false,
  });
  try {
    Atomics.wait(shared, 0, 0, TIMEOUT_MS);
    const msg = receiveMessageOnPort(port1);
    const reply = msg?.message as { ok: true; value: T } | { ok: false; error: string } | undefined;
    if (reply && reply.ok) return reply.value;
    return undefined;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}
