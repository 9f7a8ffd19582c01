import ts from 'typescript';
import { changedRange } from '../../core/text-change';

export function scriptKindFor(file: string): ts.ScriptKind {
  const ext = /\.[^.\\/]+$/.exec(file)?.[0].toLowerCase();
  switch (ext) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

/**
 * Parse once per (file, text): a project analysis summarises every file and then checks it, so the
 * second pass reuses the tree. The cache is small and keyed by identity of the text.
 */
const cache = new Map<string, { text: string; sf: ts.SourceFile; ours: boolean }>();
const CACHE_SIZE = 8;
let incremental = false;

/**
 * Re-parse a file whose text changed from its last tree with TypeScript's incremental parser, as
 * tsserver does on each keystroke: unchanged nodes are reused, so a one-line edit in a 2,000-line
 * file costs a fraction of a full parse. The previous tree is updated in place and must not be used
 * again, which is why this is only for the editor's engine, where nothing keeps old trees, and
 * never for a tree parsed elsewhere (the ESLint parser's).
 */
export function useIncrementalParsing(on: boolean): void {
  incremental = on;
}

export function usesIncrementalParsing(): boolean {
  return incremental;
}

export function parseFile(file: string, text: string): ts.SourceFile {
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit.sf;
  const sf = incremental && hit?.ours ? reparse(hit.sf, text) : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
  remember(file, { text, sf, ours: true });
  return sf;
}

function reparse(old: ts.SourceFile, text: string): ts.SourceFile {
  const { start, oldEnd, newEnd } = changedRange(old.text, text);
  return ts.updateSourceFile(old, text, ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start));
}

/** Keeps a tree parsed elsewhere (the ESLint parser's) so that spelling fixes does not parse the text again. */
export function rememberParse(file: string, text: string, sf: ts.SourceFile): void {
  const hit = cache.get(file);
  if (hit && hit.text === text && hit.sf === sf) return;
  remember(file, { text, sf, ours: false });
}

function remember(file: string, entry: { text: string; sf: ts.SourceFile; ours: boolean }): void {
  cache.delete(file);
  cache.set(file, entry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

/** Syntax errors the parser tolerated, for the note that says the file was analysed partially. */
export function parseDiagnostics(sf: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}
