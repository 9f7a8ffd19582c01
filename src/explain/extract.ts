import { MappedTextBuilder, shiftMap, type OffsetMap } from './offset-map';
import { MARKER, numberPlaceholders, type Interpolation, type Placeholder, type PlaceholderStyles } from './placeholders';
import { parameterCount, statementAt } from './sql-lexer';
import { pythonLiteralAt } from './extract-python';
import type { DecodedLiteral } from './extract-common';
import { ExplainError } from './errors';

/**
 * What to EXPLAIN, taken from a file the way the editor command sees it: the selection, or without
 * one the SQL literal under the cursor (TS/JS, Python) or the statement under the cursor (.sql).
 * Pure: text in, SQL plus a map back to the file out.
 */

export type SourceLanguage = 'sql' | 'typescript' | 'python';

export interface ExtractInput {
  text: string;
  /** Used for the language when `language` is not given, and for TSX/JS parsing. */
  fileName?: string;
  language?: SourceLanguage;
  /** Offsets into `text`; a non-empty selection wins over the cursor. */
  selection?: { start: number; end: number };
  cursor?: number;
}

export interface ExtractedSql {
  sql: string;
  language: SourceLanguage;
  origin: 'selection' | 'literal' | 'statement';
  /** The file range the SQL came from (the selection, the literal, the statement). */
  range: { start: number; end: number };
  /** Host-language placeholders turned into `$n`, in order of appearance. */
  placeholders: Placeholder[];
  /** Highest `$n` in `sql`: the number of values a custom plan or ANALYZE needs. */
  parameterCount: number;
  /** The template tag or calling function, when known (`prisma.$queryRaw`, `text`). */
  tag?: string;
  /** SQL offsets → file offsets. */
  map: OffsetMap;
}

export function languageOfFile(fileName: string): SourceLanguage {
  if (/\.(py|pyi)$/i.test(fileName)) return 'python';
  if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i.test(fileName)) return 'typescript';
  return 'sql';
}

const STYLES: Record<SourceLanguage, PlaceholderStyles> = {
  sql: { percent: false, colon: false },
  typescript: { percent: false, colon: false },
  python: { percent: true, colon: true },
};

export function extractSql(input: ExtractInput): ExtractedSql {
  const language = input.language ?? languageOfFile(input.fileName ?? '');
  const text = input.text;
  const selection = input.selection && input.selection.end > input.selection.start ? input.selection : undefined;

  if (selection) {
    const selected = text.slice(selection.start, selection.end);
    const trimmed = selected.trim();
    const lead = selected.length - selected.trimStart().length;
    // A selection of exactly one literal, quotes included, means that literal.
    if (language !== 'sql' && isWholeLiteral(trimmed, language)) {
      const literal = literalAt(text, input.fileName, language, selection.start + lead + 1);
      if (literal) return finish(literal, language, 'literal');
    }
    const decoded = language === 'typescript' ? templateInterpolations(trimmed, selection.start + lead) : plain(trimmed, selection.start + lead);
    if (!trimmed) throw new ExplainError('no-sql', 'The selection is empty; select a SQL statement or put the cursor inside a SQL string.');
    return finish({ ...decoded, range: { start: selection.start + lead, end: selection.start + lead + trimmed.length } }, language, 'selection');
  }

  const cursor = Math.max(0, Math.min(input.cursor ?? 0, text.length));
  if (language === 'sql') {
    const statement = statementAt(text, cursor);
    if (!statement.text) throw new ExplainError('no-sql', 'No SQL statement at the cursor.');
    return finish(
      { text: statement.text, map: shiftMap(statement.start), interpolations: [], range: { start: statement.start, end: statement.start + statement.text.length } },
      language,
      'statement',
    );
  }
  const literal = literalAt(text, input.fileName, language, cursor);
  if (!literal) {
    throw new ExplainError('no-sql', 'No SQL string at the cursor; select the SQL, or put the cursor inside the string or template literal that holds it.');
  }
  return finish(literal, language, 'literal');
}

function literalAt(text: string, fileName: string | undefined, language: SourceLanguage, cursor: number): DecodedLiteral | undefined {
  if (language === 'python') return pythonLiteralAt(text, cursor);
  // Loaded on use: the TypeScript compiler takes a few hundred milliseconds to load, which
  // `--sql` and .sql/.py files do not need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { typescriptLiteralAt } = require('./extract-typescript') as typeof import('./extract-typescript');
  return typescriptLiteralAt(text, fileName ?? 'input.ts', cursor);
}

function isWholeLiteral(trimmed: string, language: SourceLanguage): boolean {
  if (language === 'python') return /^(?:[rRbBuUfF]{0,2})(["'])[\s\S]*\1$/.test(trimmed);
  return /^(["'`])[\s\S]*\1$/.test(trimmed) || /^[\w$.]+`[\s\S]*`$/.test(trimmed);
}

function plain(text: string, base: number): Omit<DecodedLiteral, 'range'> {
  return { text, map: shiftMap(base), interpolations: [] };
}

/** Raw template text selected in the editor: `${…}` are values, the rest is verbatim. */
function templateInterpolations(text: string, base: number): Omit<DecodedLiteral, 'range'> {
  const out = new MappedTextBuilder(base);
  const interpolations: Interpolation[] = [];
  let run = 0;
  let i = text.indexOf('${');
  while (i >= 0) {
    let depth = 0;
    let close = -1;
    for (let k = i + 1; k < text.length; k++) {
      if (text[k] === '{') depth++;
      else if (text[k] === '}' && --depth === 0) {
        close = k + 1;
        break;
      }
    }
    if (close < 0) break;
    out.copy(text.slice(run, i), base + run);
    const expr = text.slice(i + 2, close - 1);
    interpolations.push({ key: expr.replace(/\s+/g, ''), source: text.slice(i, close), start: base + i, end: base + close });
    out.substitute(MARKER, base + i, base + close);
    run = close;
    i = text.indexOf('${', close);
  }
  out.copy(text.slice(run), base + run);
  const built = out.build();
  return { text: built.text, map: built.map, interpolations };
}

function finish(decoded: DecodedLiteral, language: SourceLanguage, origin: ExtractedSql['origin']): ExtractedSql {
  const numbered = numberPlaceholders(decoded, decoded.interpolations, STYLES[language]);
  // Trim what surrounds the statement in the literal (newlines of a multi-line template).
  const lead = numbered.sql.length - numbered.sql.trimStart().length;
  const sql = numbered.sql.trim();
  const map: OffsetMap = lead ? { toSource: (o) => numbered.map.toSource(o + lead) } : numbered.map;
  if (!sql) throw new ExplainError('no-sql', 'The string at the cursor is empty.');
  return {
    sql,
    language,
    origin,
    range: decoded.range,
    placeholders: numbered.placeholders,
    parameterCount: parameterCount(sql),
    ...(decoded.tag ? { tag: decoded.tag } : {}),
    map,
  };
}
