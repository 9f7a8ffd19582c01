/**
 * A PostgreSQL lexer for what EXPLAIN needs to know about a statement's text before the server sees
 * it: where `$n` parameters are, which characters are code (not strings, quoted identifiers or
 * comments) so placeholders can be rewritten, and a statement's top-level words. It is never the
 * safety boundary: that "one statement" holds is enforced by PostgreSQL's parser (extended query
 * protocol), not here.
 *
 * Covered: '…' strings with '' doubling, E'…' with backslash escapes, U&'…', B'…'/X'…', $tag$…$tag$,
 * "…" identifiers, -- comments and nested /* … *\/ comments, $n parameters.
 */

export type SqlTokenKind =
  | 'whitespace'
  | 'comment'
  | 'string'
  | 'identifier' // quoted "…"
  | 'word'
  | 'number'
  | 'param' // $1
  | 'punct' // ( ) [ ] , ; .
  | 'operator';

export interface SqlToken {
  kind: SqlTokenKind;
  start: number;
  end: number;
  text: string;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?:';

export function lexSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: SqlTokenKind, start: number, end: number): void => {
    tokens.push({ kind, start, end, text: sql.slice(start, end) });
  };
  while (i < n) {
    const start = i;
    const c = sql[i];
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i])) i++;
      push('whitespace', start, i);
    } else if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '/' && next === '*') {
      // PostgreSQL block comments nest.
      let depth = 0;
      while (i < n) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      push('comment', start, i);
    } else if (c === "'") {
      i = skipQuoted(sql, i, false);
      push('string', start, i);
    } else if ((c === 'E' || c === 'e') && next === "'") {
      i = skipQuoted(sql, i + 1, true);
      push('string', start, i);
    } else if ((c === 'U' || c === 'u') && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      i = skipQuoted(sql, i + 2, false, sql[i + 2]);
      push(sql[start + 2] === "'" ? 'string' : 'identifier', start, i);
    } else if ((c === 'B' || c === 'b' || c === 'X' || c === 'x' || c === 'N' || c === 'n') && next === "'") {
      i = skipQuoted(sql, i + 1, false);
      push('string', start, i);
    } else if (c === '"') {
      i = skipQuoted(sql, i, false, '"');
      push('identifier', start, i);
    } else if (c === '$' && /[0-9]/.test(next)) {
      i++;
      while (i < n && /[0-9]/.test(sql[i])) i++;
      push('param', start, i);
    } else if (c === '$') {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        push('string', start, i);
      } else {
        i++;
        push('operator', start, i);
      }
    } else if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i])) i++;
      push('word', start, i);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next))) {
      while (i < n && /[0-9._]/.test(sql[i])) i++;
      if ((sql[i] === 'e' || sql[i] === 'E') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < n && /[0-9]/.test(sql[i])) i++;
      }
      push('number', start, i);
    } else if ('()[],;.'.includes(c)) {
      i++;
      push('punct', start, i);
    } else if (OPERATOR_CHARS.includes(c)) {
      while (i < n && OPERATOR_CHARS.includes(sql[i]) && !(sql[i] === '-' && sql[i + 1] === '-') && !(sql[i] === '/' && sql[i + 1] === '*')) i++;
      push('operator', start, i);
    } else {
      i++;
      push('operator', start, i);
    }
  }
  return tokens;
}

/** Index just past the closing quote of the quoted text that opens at `open` (or `sql.length`). */
function skipQuoted(sql: string, open: number, backslashEscapes: boolean, quote = sql[open]): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** Is this token code the server parses as syntax (not a string, identifier text or comment)? */
export function isCode(token: SqlToken): boolean {
  return token.kind !== 'string' && token.kind !== 'identifier' && token.kind !== 'comment';
}

/** The `$n` parameter numbers the statement uses, sorted and distinct. */
export function parameterNumbers(sql: string): number[] {
  const seen = new Set<number>();
  for (const t of lexSql(sql)) if (t.kind === 'param') seen.add(Number(t.text.slice(1)));
  return [...seen].sort((a, b) => a - b);
}

/** The highest `$n` in the statement, 0 when it has none. */
export function parameterCount(sql: string): number {
  const numbers = parameterNumbers(sql);
  return numbers.length ? numbers[numbers.length - 1] : 0;
}

/** Tokens that matter to the grammar: no whitespace or comments. */
export function significantTokens(sql: string): SqlToken[] {
  return lexSql(sql).filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment');
}

/**
 * Does a SELECT write a table through `SELECT … INTO name`? PostgreSQL turns it into CREATE TABLE AS,
 * which the plan does not show, so the safety check needs the text: an INTO at parenthesis depth 0 of
 * a statement that does not begin with INSERT (whose INTO is its target) or MERGE.
 */
export function hasTopLevelInto(sql: string): boolean {
  const tokens = significantTokens(sql);
  const first = tokens.find((t) => t.text !== '(')?.text.toLowerCase();
  if (first === 'insert' || first === 'merge') return false;
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && t.text.toLowerCase() === 'into') return true;
  }
  return false;
}

/** The statement under `offset` in a text of `;`-separated statements, trimmed, with its start. */
export function statementAt(sql: string, offset: number): { text: string; start: number } {
  let start = 0;
  let depth = 0;
  const bounds: Array<[number, number]> = [];
  for (const t of lexSql(sql)) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    else if (t.text === ';' && depth === 0) {
      bounds.push([start, t.end]);
      start = t.end;
    }
  }
  bounds.push([start, sql.length]);
  // A cursor in the blank tail after the last `;` means the statement just before it.
  let index = bounds.findIndex(([s, e]) => offset >= s && offset < e);
  if (index < 0) index = bounds.length - 1;
  const blank = ([s, e]: [number, number]): boolean => sql.slice(s, e).replace(/;/g, '').trim() === '';
  while (index > 0 && blank(bounds[index])) index--;
  const chosen = bounds[index];
  const raw = sql.slice(chosen[0], chosen[1]);
  const lead = raw.length - raw.trimStart().length;
  return { text: raw.trim(), start: chosen[0] + lead };
}
