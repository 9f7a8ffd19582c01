/**
 * The worker-thread bundle (dist/worker.js). One file serves three roles, picked by workerData,
 * so the VSIX carries the engine (with the TypeScript compiler) once:
 * - `engine`: the extension's analysis service (engine.ts), one per extension host;
 * - `share`: a scan worker of the pool (share.ts);
 * - the core's deep-stack worker (its workerData holds a `job`; dist/deep-stack-worker.js loads this file).
 */
import { parentPort, workerData } from 'worker_threads';
import type { ShareInit } from './protocol';

const data = workerData as { role?: string; job?: unknown } | undefined;
if (parentPort && data?.role === 'engine') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./engine') as typeof import('./engine')).startEngine(parentPort);
} else if (parentPort && data?.role === 'share') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./share') as typeof import('./share')).runShare(data as ShareInit, parentPort);
} else if (data?.job !== undefined) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../core/deep-stack-worker');
}
