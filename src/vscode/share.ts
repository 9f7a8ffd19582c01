import * as fs from 'fs';
import type { MessagePort } from 'worker_threads';
import type { FileSummary } from '../core/index';
import { ready, SummaryIndex } from '../core/index';
import { ProjectSession } from '../core/project-session';
import type { FileFindings, ShareInit, ToShare } from './protocol';
import { toFileFindings } from './wire';

/** Files per progress step: small enough for a lively progress bar, large enough to be cheap. */
const CHUNK = 20;

export type FromShare =
  | { type: 'progress'; files: number }
  | { type: 'summaries'; summaries: FileSummary[] }
  | { type: 'results'; results: FileFindings[] }
  | { type: 'done' }
  | { type: 'error'; message: string };

/**
 * A pool worker (see pool.ts): reads its share of the workspace from disk and runs the project
 * passes on it. The share is cut into chunks, each its own ProjectSession (sessions only hold
 * per-file state, the index is global), so progress can be reported per chunk.
 */
export function runShare(init: ShareInit, port: MessagePort): void {
  const loaded = ready();
  const files = init.files.map((f) => ({ file: f.file, text: f.text ?? readText(f.file), config: init.configs[f.config] }));
  const chunks: { files: typeof files; session: ProjectSession }[] = [];
  for (let i = 0; i < files.length; i += CHUNK) {
    const part = files.slice(i, i + CHUNK);
    chunks.push({ files: part, session: new ProjectSession(part.map((f) => ({ ...f, text: f.text ?? '' }))) });
  }
  const post = (m: FromShare) => port.postMessage(m);
  port.on('message', (msg: ToShare) => {
    void loaded
      .then(() => handle(msg))
      .catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
  });

  function handle(msg: ToShare): void {
    if (msg.type === 'prepare') {
      const summaries: FileSummary[] = [];
      for (const c of chunks) {
        summaries.push(...c.session.prepare());
        post({ type: 'progress', files: c.files.length });
      }
      post({ type: 'summaries', summaries });
      return;
    }
    const index = new SummaryIndex(msg.summaries as FileSummary[]);
    if (msg.type === 'relink') {
      post({ type: 'summaries', summaries: chunks.flatMap((c) => c.session.relink(index)) });
      return;
    }
    for (const c of chunks) {
      // The editor asks for a finding's fixes when its lightbulb opens.
      const results = c.session.finish(index, false);
      post({
        type: 'results',
        results: results.map((r, i) => {
          const f = c.files[i];
          if (f.text === undefined) return { file: f.file, findings: [], notes: [`${f.file}: cannot be read or is binary; skipped`] };
          return toFileFindings(f.file, f.text, r.findings, r.notes);
        }),
      });
      post({ type: 'progress', files: c.files.length });
    }
    post({ type: 'done' });
  }
}

/** The file's text, or undefined when it cannot be read or is binary (a NUL byte), as in the CLI. */
function readText(file: string): string | undefined {
  try {
    const buf = fs.readFileSync(file);
    if (buf.includes(0)) return undefined;
    return buf.toString('utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}
