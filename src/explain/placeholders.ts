import { lexSql, isCode, parameterCount } from './sql-lexer';
import { composeMaps, MappedTextBuilder, type OffsetMap } from './offset-map';

/**
 * Turns the placeholders of the host language into PostgreSQL's `$n`: template `${expr}` and Python
 * f-string `{expr}` (already replaced by MARKER while decoding the literal), psycopg `%s` and
 * `%(name)s`, SQLAlchemy `:name`. Named placeholders and identical interpolated expressions used twice
 * keep one number; every positional `%s` is a parameter of its own. `$n` already in the text keep
 * theirs, and new numbers start after the highest.
 */

/** Stands in the decoded text for one interpolation; from Unicode's private use area. */
export const MARKER = '\uE000';

export interface Interpolation {
  /** What makes two interpolations the same parameter (the expression's text, whitespace removed). */
  key: string;
  /** As written, e.g. `${user.id}`. */
  source: string;
  /** File offsets. */
  start: number;
  end: number;
}

export interface Placeholder {
  number: number;
  /** As written in the file: `${user.id}`, `%s`, `%(id)s`, `:id`. */
  source: string;
  start: number;
  end: number;
}

export interface PlaceholderStyles {
  /** psycopg / asyncpg-less Python drivers: `%s`, `%(name)s`, `%%`. */
  percent: boolean;
  /** SQLAlchemy `text()`: `:name`. */
  colon: boolean;
}

export interface NumberedSql {
  sql: string;
  /** SQL offsets → file offsets. */
  map: OffsetMap;
  placeholders: Placeholder[];
}

const PERCENT_NAMED = /%\(([A-Za-z_][A-Za-z0-9_]*)\)s/y;

export function numberPlaceholders(
  decoded: { text: string; map: OffsetMap },
  interpolations: readonly Interpolation[],
  styles: PlaceholderStyles,
): NumberedSql {
  const text = decoded.text;
  const code = new Uint8Array(text.length);
  for (const t of lexSql(text)) if (isCode(t)) code.fill(1, t.start, t.end);

  const hasPercent = styles.percent && percentPlaceholderAt(text, code) >= 0;
  let next = parameterCount(text.replaceAll(MARKER, ' ')) + 1;
  const byKey = new Map<string, number>();
  const numberFor = (key: string | undefined): number => {
    if (key === undefined) return next++;
    let n = byKey.get(key);
    if (n === undefined) {
      n = next++;
      byKey.set(key, n);
    }
    return n;
  };

  const out = new MappedTextBuilder();
  const placeholders: Placeholder[] = [];
  const fileStart = (i: number): number => decoded.map.toSource(i);
  const fileEnd = (i: number, len: number): number => decoded.map.toSource(i + len - 1) + 1;
  let interpolation = 0;
  let runStart = 0;
  const flush = (upTo: number): void => {
    out.copy(text.slice(runStart, upTo), runStart);
  };
  const replace = (i: number, len: number, replacement: string): void => {
    flush(i);
    out.substitute(replacement, i, i + len);
    runStart = i + len;
  };

  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === MARKER) {
      const interp = interpolations[interpolation++];
      const n = numberFor(interp ? `expr:${interp.key}` : undefined);
      replace(i, 1, `$${n}`);
      if (interp) placeholders.push({ number: n, source: interp.source, start: interp.start, end: interp.end });
      i += 1;
      continue;
    }
    if (hasPercent && c === '%') {
      if (text[i + 1] === '%') {
        replace(i, 2, '%');
        i += 2;
        continue;
      }
      if (code[i] && text[i + 1] === 's') {
        const n = numberFor(undefined);
        placeholders.push({ number: n, source: '%s', start: fileStart(i), end: fileEnd(i, 2) });
        replace(i, 2, `$${n}`);
        i += 2;
        continue;
      }
      PERCENT_NAMED.lastIndex = i;
      const named = code[i] ? PERCENT_NAMED.exec(text) : null;
      if (named) {
        const n = numberFor(`name:${named[1]}`);
        placeholders.push({ number: n, source: named[0], start: fileStart(i), end: fileEnd(i, named[0].length) });
        replace(i, named[0].length, `$${n}`);
        i += named[0].length;
        continue;
      }
    }
    if (styles.colon && c === ':' && code[i] && isColonPlaceholder(text, i)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
      const n = numberFor(`name:${name}`);
      placeholders.push({ number: n, source: `:${name}`, start: fileStart(i), end: fileEnd(i, name.length + 1) });
      replace(i, name.length + 1, `$${n}`);
      i += name.length + 1;
      continue;
    }
    i++;
  }
  flush(text.length);
  const built = out.build();
  return { sql: built.text, map: composeMaps(built.map, decoded.map), placeholders };
}

/** `:name` but not the `::` of a cast, not `a:b` slices, not `:30` of a time. */
function isColonPlaceholder(text: string, i: number): boolean {
  const prev = text[i - 1] ?? '';
  const next = text[i + 1] ?? '';
  if (prev === ':' || next === ':' || /[A-Za-z0-9_]/.test(prev)) return false;
  if (!/[A-Za-z_]/.test(next)) return false;
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
  return text[i + 1 + name.length] !== ':';
}

function percentPlaceholderAt(text: string, code: Uint8Array): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%' || !code[i]) continue;
    if (text[i + 1] === '%') {
      i++;
      continue;
    }
    if (text[i + 1] === 's') return i;
    PERCENT_NAMED.lastIndex = i;
    if (PERCENT_NAMED.test(text)) return i;
  }
  return -1;
}
