import * as fs from 'fs';
import type { MessagePort } from 'worker_threads';
import type { FileSummary } from '../core/index';
import { ready, SummaryIndex } from '../core/index';
import { inImportOrder, ProjectSession } from '../core/project-session';
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
  /** Sessions over parts of the share; `at`: where each of their files is in the share. */
  const chunks: { files: typeof files; at: number[]; session: ProjectSession; streams?: boolean }[] = [];
  // Python files in one session that takes them in import order (it reports progress as it goes),
  // the others in chunks.
  const indices = files.map((_, i) => i);
  const python = init.wholeProject ? indices.filter((i) => inImportOrder(files[i].file)) : [];
  const rest = init.wholeProject ? indices.filter((i) => !inImportOrder(files[i].file)) : indices;
  const inputs = (at: number[]) => at.map((i) => ({ ...files[i], text: files[i].text ?? '' }));
  if (python.length) {
    const progress = (n: number) => post({ type: 'progress', files: n });
    const session = new ProjectSession(inputs(python), { wholeProject: true, keepFacts: false, progress: { every: CHUNK, report: progress } });
    chunks.push({ files: python.map((i) => files[i]), at: python, session, streams: true });
  }
  for (let i = 0; i < rest.length; i += CHUNK) {
    const at = rest.slice(i, i + CHUNK);
    chunks.push({ files: at.map((k) => files[k]), at, session: new ProjectSession(inputs(at), { keepFacts: false }) });
  }
  /** The chunks' summaries in the share's order. */
  const inOrder = (parts: FileSummary[][]): FileSummary[] => {
    const out: FileSummary[] = new Array(files.length);
    parts.forEach((part, c) => part.forEach((summary, k) => (out[chunks[c].at[k]] = summary)));
    return out;
  };
  const post = (m: FromShare) => port.postMessage(m);
  port.on('message', (msg: ToShare) => {
    void loaded
      .then(() => handle(msg))
      .catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
  });

  function handle(msg: ToShare): void {
    if (msg.type === 'prepare') {
      const parts: FileSummary[][] = [];
      for (const c of chunks) {
        parts.push(c.session.prepare());
        // A streaming session reported its progress as it went.
        if (!c.streams) post({ type: 'progress', files: c.files.length });
      }
      post({ type: 'summaries', summaries: inOrder(parts) });
      return;
    }
    const index = new SummaryIndex(msg.summaries as FileSummary[]);
    if (msg.type === 'relink') {
      post({ type: 'summaries', summaries: inOrder(chunks.map((c) => c.session.relink(index))) });
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
