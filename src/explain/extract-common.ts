import type { OffsetMap } from './offset-map';
import type { Interpolation } from './placeholders';
import { significantTokens } from './sql-lexer';

/** A literal's text as the program sees it, interpolations replaced by MARKER, mapped to the file. */
export interface DecodedLiteral {
  text: string;
  /** Decoded offsets → file offsets. */
  map: OffsetMap;
  interpolations: Interpolation[];
  /** The file range of the literal (or the concatenation / call argument it came from). */
  range: { start: number; end: number };
  /** The template tag or calling function when it tells what the SQL is for (`prisma.$queryRaw`, `text`). */
  tag?: string;
}

const STATEMENT_WORDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'values', 'table', 'merge', 'explain']);

/** Does the text begin like a statement EXPLAIN accepts? Used to choose among nested literals only. */
export function looksLikeSql(text: string): boolean {
  const first = significantTokens(text).find((t) => t.text !== '(');
  return first !== undefined && first.kind === 'word' && STATEMENT_WORDS.has(first.text.toLowerCase());
}
