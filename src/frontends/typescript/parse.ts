import ts from 'typescript';

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
const cache = new Map<string, { text: string; sf: ts.SourceFile }>();
const CACHE_SIZE = 8;

export function parseFile(file: string, text: string): ts.SourceFile {
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit.sf;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
  cache.delete(file);
  cache.set(file, { text, sf });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return sf;
}

/** Keeps a tree parsed elsewhere (the ESLint parser's) so that spelling fixes does not parse the text again. */
export function rememberParse(file: string, text: string, sf: ts.SourceFile): void {
  const hit = cache.get(file);
  if (hit && hit.text === text && hit.sf === sf) return;
  cache.delete(file);
  cache.set(file, { text, sf });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

/** Syntax errors the parser tolerated, for the note that says the file was analysed partially. */
export function parseDiagnostics(sf: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}
