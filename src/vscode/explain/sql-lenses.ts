import { looksLikeSql } from '../../explain/extract-common';
import { scanPythonLiterals } from '../../explain/extract-python';
import type { SourceLanguage } from '../../explain';

/**
 * Where the "Explain" code lenses go: string and template literals passed to a call (or used as a
 * template tag's template) whose text begins like a statement EXPLAIN accepts. Cheap on purpose — a
 * scan, not a parse — since it runs on every visible change; clicking the lens runs the real
 * extraction (src/explain/extract.ts) at the offset returned here.
 */
export interface SqlLiteralSpot {
  /** Offset of the literal's opening quote (after any Python prefix), inside the literal for the extraction. */
  offset: number;
  /** The call or tag it is passed to (`pool.query`, `prisma.$queryRaw`, `text`). */
  callee: string;
}

const MAX_SPOTS = 200;

export function sqlLiteralSpots(text: string, language: SourceLanguage): SqlLiteralSpot[] {
  if (language === 'python') return pythonSpots(text);
  if (language === 'typescript') return scriptSpots(text);
  return [];
}

// `callee(` + quote, or `tag` + backtick; the literal must begin (after whitespace and an opening
// parenthesis) with a statement keyword.
const SCRIPT_CANDIDATE = /([A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*)(?:\s*(?:<[^<>()]*>)?\s*\(\s*(["'`])|(`))(?=\s*\(?\s*(?:select|insert|update|delete|with|values|merge|table)\b)/gi;
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'typeof', 'function']);

function scriptSpots(text: string): SqlLiteralSpot[] {
  const spots: SqlLiteralSpot[] = [];
  SCRIPT_CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SCRIPT_CANDIDATE.exec(text)) && spots.length < MAX_SPOTS) {
    const callee = m[1].replace(/\s+/g, '');
    if (KEYWORDS.has(callee)) continue;
    const quote = m[2] ?? m[3];
    const open = m.index + m[0].length - 1;
    if (text[open] !== quote || inComment(text, m.index)) continue;
    spots.push({ offset: open + 1, callee });
  }
  return spots;
}

function pythonSpots(text: string): SqlLiteralSpot[] {
  const spots: SqlLiteralSpot[] = [];
  for (const literal of scanPythonLiterals(text)) {
    if (spots.length >= MAX_SPOTS) break;
    if (literal.prefix.includes('b')) continue;
    if (!looksLikeSql(text.slice(literal.bodyStart, Math.min(literal.bodyEnd, literal.bodyStart + 200)))) continue;
    const before = /([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_][\w]*)*)\s*\(\s*$/.exec(text.slice(Math.max(0, literal.start - 200), literal.start));
    if (!before) continue;
    spots.push({ offset: literal.bodyStart, callee: before[1].replace(/\s+/g, '') });
  }
  return spots;
}

/** Whether the line holding `offset` is commented out before it (`//` or a `*` block-comment line). */
function inComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /\/\/|^\s*\*/.test(before);
}
