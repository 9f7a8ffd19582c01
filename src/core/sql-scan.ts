import type { OperationKind } from './model';

/**
 * A small SQL tokenizer for what the rules need from SQL inside string literals: the statement's
 * kind (read/write/transaction control) and OFFSET clauses with their values. It skips quoted
 * strings, quoted identifiers and comments, so `'OFFSET'` in a string or `-- OFFSET` is ignored.
 * Interpolations (`${…}`) arrive as a placeholder character chosen by the caller.
 */
export interface SqlToken {
  text: string;
  start: number;
  end: number;
}

export const INTERPOLATION = '\u0000';

/** The same literal is asked for its kind, tables and offsets: tokenize it once. */
const recent = new Map<string, SqlToken[]>();

export function tokenizeSql(sql: string): SqlToken[] {
  const hit = recent.get(sql);
  if (hit) return hit;
  const tokens = tokenizeUncached(sql);
  if (recent.size >= 32) recent.delete(recent.keys().next().value as string);
  recent.set(sql, tokens);
  return tokens;
}

function tokenizeUncached(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i++;
      while (i < n && sql[i] !== c) i++;
      i++;
      tokens.push({ text: sql.slice(start, Math.min(i, n)), start, end: Math.min(i, n) });
    } else if (c === '$' && /[A-Za-z_]/.test(sql[i + 1] ?? '') && /^\$[A-Za-z_]\w*\$/.test(sql.slice(i))) {
      // dollar-quoted string
      const tag = /^\$[A-Za-z_]\w*\$/.exec(sql.slice(i))![0];
      const close = sql.indexOf(tag, i + tag.length);
      const end = close < 0 ? n : close + tag.length;
      tokens.push({ text: sql.slice(i, end), start: i, end });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < n && /[\w$]/.test(sql[i])) i++;
      tokens.push({ text: sql.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[0-9.]/.test(sql[i])) i++;
      tokens.push({ text: sql.slice(start, i), start, end: i });
    } else if ((c === '$' || c === ':' || c === '@') && /[\w]/.test(sql[i + 1] ?? '') && sql[i - 1] !== ':') {
      const start = i++;
      while (i < n && /\w/.test(sql[i])) i++;
      tokens.push({ text: sql.slice(start, i), start, end: i });
    } else if (c === '%' && (sql[i + 1] === 's' || sql[i + 1] === '(')) {
      const start = i;
      if (sql[i + 1] === '(') {
        const close = sql.indexOf(')', i);
        i = close < 0 ? n : close + 2;
      } else i += 2;
      tokens.push({ text: sql.slice(start, i), start, end: i });
    } else {
      tokens.push({ text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** Does this text look like SQL at all (a statement keyword first)? */
export function looksLikeSql(sql: string): boolean {
  return /^\s*(\(\s*)?(select|insert|update|delete|with|values|begin|commit|rollback|start|savepoint|release|merge|call|table|explain|lock|set|show|truncate|copy)\b/i.test(sql);
}

export function sqlOperation(sql: string): OperationKind | undefined {
  const tokens = tokenizeSql(sql);
  const first = tokens.find((t) => t.text !== '(')?.text.toLowerCase();
  if (!first) return undefined;
  if (first === 'select' || first === 'values' || first === 'table' || first === 'show' || first === 'explain') return 'read';
  if (['begin', 'commit', 'rollback', 'start', 'savepoint', 'release', 'set', 'lock'].includes(first)) return 'lifecycle';
  if (['insert', 'update', 'delete', 'merge', 'truncate', 'copy', 'call'].includes(first)) return 'write';
  if (first === 'with') {
    // A CTE that modifies data is a write.
    return tokens.some((t) => /^(insert|update|delete)$/i.test(t.text)) ? 'write' : 'read';
  }
  return undefined;
}

/** Tables after FROM/JOIN/INTO/UPDATE, lower-cased: the resource a statement touches. */
export function sqlTables(sql: string): string[] {
  const tokens = tokenizeSql(sql);
  const out: string[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    if (/^(from|join|into|update)$/i.test(tokens[i].text) && /^[A-Za-z_"]/.test(tokens[i + 1].text)) {
      out.push(tokens[i + 1].text.replace(/"/g, '').toLowerCase());
    }
  }
  return out;
}

export interface SqlOffset {
  /** Offset of the OFFSET keyword within the SQL text. */
  start: number;
  end: number;
  valueText: string;
  constant: boolean;
}

/** OFFSET clauses (and MySQL's `LIMIT a, b`) whose value is a parameter or interpolation. */
export function sqlOffsets(sql: string): SqlOffset[] {
  const tokens = tokenizeSql(sql);
  const out: SqlOffset[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (/^offset$/i.test(t.text)) {
      // `OFFSET` as a column name (`SELECT offset FROM …`, `t.offset`) has no value after it.
      const prev = tokens[i - 1]?.text;
      if (prev === '.' || prev === ',') continue;
      const valueTokens: SqlToken[] = [];
      for (let j = i + 1; j < tokens.length; j++) {
        const v = tokens[j];
        if (/^(rows?|fetch|limit|for|union|;|\))$/i.test(v.text)) break;
        valueTokens.push(v);
        if (valueTokens.length > 8) break;
      }
      if (valueTokens.length === 0) continue;
      const valueText = sql.slice(valueTokens[0].start, valueTokens[valueTokens.length - 1].end);
      if (/^(from|where|as|,)$/i.test(valueTokens[0].text)) continue;
      out.push({ start: t.start, end: t.end, valueText, constant: isConstantExpr(valueTokens) });
    } else if (/^limit$/i.test(t.text) && tokens[i + 2]?.text === ',') {
      // MySQL `LIMIT offset, count`
      const v = tokens[i + 1];
      out.push({ start: t.start, end: tokens[i + 3]?.end ?? v.end, valueText: v.text, constant: isConstantExpr([v]) });
    }
  }
  return out;
}

function isConstantExpr(tokens: SqlToken[]): boolean {
  return tokens.every((t) => /^[0-9.]+$/.test(t.text) || /^[-+*/()]$/.test(t.text));
}
