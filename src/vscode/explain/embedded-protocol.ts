/**
 * Messages between the extension host and the worker thread that runs the embedded PostgreSQL
 * (embedded-worker.ts). PGlite is PostgreSQL compiled to WebAssembly: starting it and loading a schema
 * keeps a thread busy for seconds, which on the extension host's thread would stall every extension.
 */
import type { SchemaReport } from '../../explain';

export type WorkerRequest =
  | { id: number; op: 'open'; schemaDir?: string; snapshotDir?: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'query'; session: number; text: string; values: Array<string | null>; simple: boolean }
  | { id: number; op: 'end'; session: number };

export interface OpenedReply {
  description: string;
  schema: SchemaReport;
}

export interface WorkerError {
  message: string;
  name?: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError }
  | { id: number; progress: string };
