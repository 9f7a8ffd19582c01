import { MappedTextBuilder } from './offset-map';
import { decodePythonBody } from './literal-decode';
import { MARKER, type Interpolation } from './placeholders';
import type { DecodedLiteral } from './extract-common';

/**
 * The SQL string under the cursor in Python, found with a small scanner of Python's string-literal
 * syntax (prefixes r/b/u/f, single and triple quotes, `#` comments). Adjacent literals are one string
 * (implicit concatenation, common for long SQL inside parentheses); f-string `{expr}` becomes a
 * parameter. With the cursor on a call such as `text(...)` or `execute(...)`, its first argument.
 */

interface PyLiteral {
  start: number;
  end: number;
  bodyStart: number;
  bodyEnd: number;
  prefix: string;
}

export function pythonLiteralAt(text: string, cursor: number): DecodedLiteral | undefined {
  const literals = scanPythonLiterals(text);
  let index = literals.findIndex((l) => l.start <= cursor && cursor <= l.end);
  if (index < 0) index = callArgumentAt(text, cursor, literals);
  if (index < 0) return undefined;

  // Implicit concatenation: neighbours separated only by whitespace, comments and line continuations.
  let first = index;
  let last = index;
  while (first > 0 && adjacent(text, literals[first - 1], literals[first])) first--;
  while (last < literals.length - 1 && adjacent(text, literals[last], literals[last + 1])) last++;
  const group = literals.slice(first, last + 1);

  const out = new MappedTextBuilder();
  const interpolations: Interpolation[] = [];
  for (const lit of group) appendLiteral(text, lit, out, interpolations);
  const built = out.build();
  const tag = callee(text, group[0].start);
  return {
    text: built.text,
    map: built.map,
    interpolations,
    range: { start: group[0].start, end: group[group.length - 1].end },
    ...(tag ? { tag } : {}),
  };
}

export function scanPythonLiterals(text: string): PyLiteral[] {
  const literals: PyLiteral[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    let prefix = '';
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64))![0];
      const quote = text[i + word.length];
      if (/^(r|u|b|f|br|rb|fr|rf)$/i.test(word) && (quote === '"' || quote === "'")) {
        prefix = word.toLowerCase();
      } else {
        i += word.length;
        continue;
      }
    }
    const q = text[i + prefix.length];
    if (q !== '"' && q !== "'") {
      i++;
      continue;
    }
    const start = i;
    const open = i + prefix.length;
    const triple = text.startsWith(q.repeat(3), open);
    const delimiter = triple ? q.repeat(3) : q;
    const bodyStart = open + delimiter.length;
    let j = bodyStart;
    let bodyEnd = n;
    while (j < n) {
      if (text[j] === '\\') {
        j += 2;
        continue;
      }
      if (!triple && text[j] === '\n') {
        bodyEnd = j;
        break;
      }
      if (text.startsWith(delimiter, j)) {
        bodyEnd = j;
        j += delimiter.length;
        break;
      }
      j++;
    }
    if (j >= n && bodyEnd === n) j = n;
    literals.push({ start, end: Math.min(j, n), bodyStart, bodyEnd, prefix });
    i = Math.max(j, i + 1);
  }
  return literals;
}

function adjacent(text: string, a: PyLiteral, b: PyLiteral): boolean {
  return /^(?:\s|\\\r?\n|#[^\n]*)*$/.test(text.slice(a.end, b.start));
}

/** The literal that is the first argument of the call whose name is under the cursor, as an index. */
function callArgumentAt(text: string, cursor: number, literals: PyLiteral[]): number {
  let s = cursor;
  let e = cursor;
  while (s > 0 && /[\w.]/.test(text[s - 1])) s--;
  while (e < text.length && /[\w.]/.test(text[e])) e++;
  if (s === e) return -1;
  let k = e;
  while (k < text.length && /\s/.test(text[k])) k++;
  if (text[k] !== '(') return -1;
  k++;
  while (k < text.length && /\s/.test(text[k])) k++;
  return literals.findIndex((l) => l.start === k);
}

/** `text` in `text("…")`, `session.execute` in `session.execute("…")`: the call a literal is the argument of. */
function callee(text: string, literalStart: number): string | undefined {
  const before = text.slice(Math.max(0, literalStart - 200), literalStart);
  const m = /([A-Za-z_][\w.]*)\s*\(\s*$/.exec(before);
  return m?.[1];
}

function appendLiteral(text: string, lit: PyLiteral, out: MappedTextBuilder, interpolations: Interpolation[]): void {
  const raw = lit.prefix.includes('r');
  const bytes = lit.prefix.includes('b');
  const body = (s: string, base: number): void => {
    if (raw) out.copy(s, base);
    else decodePythonBody(s, base, out, !bytes);
  };
  if (!lit.prefix.includes('f')) {
    body(text.slice(lit.bodyStart, lit.bodyEnd), lit.bodyStart);
    return;
  }
  // f-string: `{{`/`}}` are braces, `{expr[!conv][:spec]}` a value.
  let run = lit.bodyStart;
  let i = lit.bodyStart;
  while (i < lit.bodyEnd) {
    const c = text[i];
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      body(text.slice(run, i), run);
      out.substitute(c, i, i + 2);
      i += 2;
      run = i;
    } else if (c === '{') {
      body(text.slice(run, i), run);
      const close = matchingBrace(text, i, lit.bodyEnd);
      const inner = text.slice(i + 1, close - 1);
      const expr = inner.replace(/(![rsa])?(:[^'"]*)?\s*=?\s*$/, '');
      interpolations.push({ key: expr.replace(/\s+/g, ''), source: text.slice(i, close), start: i, end: close });
      out.substitute(MARKER, i, close);
      i = close;
      run = i;
    } else i++;
  }
  body(text.slice(run, lit.bodyEnd), run);
}

/** Index just past the `}` that closes the `{` at `open`, skipping nested braces and strings. */
function matchingBrace(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0 || close >= limit) return limit;
      i = close;
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return limit;
}
