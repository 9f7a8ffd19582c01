import type { OperationKind } from '../../core/model';
import { INTERPOLATION, sqlOperation, sqlTables } from '../../core/sql-scan';
import type { Resolver } from './resolve';
import { lookup } from './scope';
import type { PyNode } from './tree';
import { contains, field, firstNamed, namedChildren, unparen } from './tree';

/**
 * What a statement passed to `execute` does: a SQLAlchemy `select(User)…` reads `User`, an
 * `update(User)` writes it, a SQL string is scanned. Statements held in variables are followed to
 * their assignment (`stmt = select(User).where(…)`; `stmt = stmt.offset(skip)`).
 */

export interface StatementInfo {
  op?: OperationKind;
  resource?: string;
}

const MAX_DEPTH = 8;

export function statementInfo(r: Resolver, node: PyNode, depth = 0): StatementInfo {
  if (depth > MAX_DEPTH) return {};
  const n = unparen(node);
  if (n.type === 'identifier') {
    const value = assignedValue(r, n);
    return value ? statementInfo(r, value, depth + 1) : {};
  }
  if (n.type === 'call') {
    const callee = field(n, 'function');
    const v = r.valueOf(callee);
    if (v.kind === 'member') {
      const spec = r.memberSpec(v.owner, v.name);
      if (spec?.builds) {
        const args = field(n, 'arguments');
        const first = args ? namedChildren(args).find((a) => a.type !== 'keyword_argument') : undefined;
        const root = first ? rootIdentifier(r, first) : undefined;
        return { op: spec.builds, resource: root };
      }
      if (spec?.statementArg) {
        const arg = firstArg(n);
        if (arg) return statementInfo(r, arg, depth + 1);
      }
    }
    // A method chain: `select(User).where(…).offset(…)` — the root call decides.
    const c = callee ? unparen(callee) : undefined;
    if (c?.type === 'attribute') {
      const obj = field(c, 'object');
      if (obj) return statementInfo(r, obj, depth + 1);
    }
    return {};
  }
  const sql = sqlTexts(r, n, depth);
  if (sql.length) {
    const text = sql.map((s) => s.sql).join(' ');
    return { op: sqlOperation(text), resource: sqlTables(text)[0] };
  }
  return {};
}

/** The value most recently assigned to a name before this use (not the assignment it is part of). */
export function assignedValue(r: Resolver, id: PyNode): PyNode | undefined {
  const found = lookup(r.scopeFor(id), r.src(id));
  if (!found) return undefined;
  let best: PyNode | undefined;
  let bestPos = -1;
  for (const b of found.bindings) {
    if (b.kind !== 'assign' || !b.value) continue;
    if (contains(b.node, id)) continue;
    if (b.pos < id.start && b.pos > bestPos) {
      best = b.value;
      bestPos = b.pos;
    }
  }
  if (best) return best;
  // Module-level constants may be defined below the function that uses them.
  if (found.scope.kind === 'module') {
    const assigns = found.bindings.filter((b) => b.kind === 'assign' && b.value);
    if (assigns.length === 1 && assigns[0].kind === 'assign') return assigns[0].value;
  }
  return undefined;
}

function rootIdentifier(r: Resolver, node: PyNode): string | undefined {
  let n: PyNode | undefined = unparen(node);
  for (let i = 0; n && i < 100; i++) {
    if (n.type === 'identifier') return r.src(n);
    if (n.type === 'attribute') n = field(n, 'object');
    else if (n.type === 'call') n = firstArg(n) ?? field(n, 'function');
    else return undefined;
  }
  return undefined;
}

function firstArg(call: PyNode): PyNode | undefined {
  const args = field(call, 'arguments');
  return args ? namedChildren(args).find((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') : undefined;
}

/**
 * SQL text assembled from string literals, with a map from each character back to its offset in
 * the file. f-string interpolations and concatenated non-literals become one INTERPOLATION
 * character each, remembered with their expression.
 */
export interface SqlText {
  sql: string;
  /** `map[i]` = file offset of `sql[i]`. */
  map: number[];
  interpolations: { index: number; node: PyNode }[];
  /** The string literal node(s) the text comes from. */
  literal: PyNode;
}

export function sqlTexts(r: Resolver, node: PyNode, depth = 0): SqlText[] {
  if (depth > MAX_DEPTH) return [];
  const n = unparen(node);
  switch (n.type) {
    case 'string':
    case 'concatenated_string': {
      const out: SqlText = { sql: '', map: [], interpolations: [], literal: n };
      appendString(r, n, out);
      return [out];
    }
    case 'binary_operator': {
      const op = n.children.find((c) => c.field === 'operator')?.type;
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (op === '%' && left) return sqlTexts(r, left, depth + 1).map((t) => (right ? substitute(r, t, /%(?:\((\w+)\))?[sd]/g, right) : t));
      if (op === '+' && left && right) {
        // Join the parts; a non-literal operand is an interpolation between them.
        const out: SqlText = { sql: '', map: [], interpolations: [], literal: n };
        for (const part of [left, right]) {
          const texts = sqlTexts(r, part, depth + 1);
          if (texts.length) {
            for (const t of texts) {
              for (const i of t.interpolations) out.interpolations.push({ index: out.sql.length + i.index, node: i.node });
              out.sql += t.sql;
              for (const m of t.map) out.map.push(m);
            }
          } else {
            out.interpolations.push({ index: out.sql.length, node: part });
            out.sql += INTERPOLATION;
            out.map.push(part.start);
          }
        }
        return out.interpolations.length === 2 && out.sql.length === 2 ? [] : [out];
      }
      return [];
    }
    case 'call': {
      // `"… OFFSET {}".format(skip)` / `text("…")`
      const callee = field(n, 'function');
      const c = callee ? unparen(callee) : undefined;
      if (c?.type === 'attribute' && r.src(field(c, 'attribute') ?? c) === 'format') {
        const obj = field(c, 'object');
        const args = field(n, 'arguments');
        return obj ? sqlTexts(r, obj, depth + 1).map((t) => (args ? substitute(r, t, /\{(\w*)\}/g, args) : t)) : [];
      }
      const v = r.valueOf(callee);
      if (v.kind === 'member' && r.memberSpec(v.owner, v.name)?.statementArg) {
        const arg = firstArg(n);
        return arg ? sqlTexts(r, arg, depth + 1) : [];
      }
      // `text("…").bindparams(…)`: the SQL of the clause the chain starts from.
      if (c?.type === 'attribute' && v.kind === 'member' && v.owner === 'sqlalchemy.TextClause') {
        const obj = field(c, 'object');
        return obj ? sqlTexts(r, obj, depth + 1) : [];
      }
      return [];
    }
    case 'identifier': {
      const value = assignedValue(r, n);
      return value ? sqlTexts(r, value, depth + 1) : [];
    }
    default:
      return [];
  }
}

function appendString(r: Resolver, n: PyNode, out: SqlText): void {
  if (n.type === 'concatenated_string') {
    for (const s of namedChildren(n)) {
      if (s.type === 'string') {
        appendString(r, s, out);
        // Adjacent literals join without a separator, as in Python.
      }
    }
    return;
  }
  for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
    const c = cs[ci];
    if (c.type === 'string_content') {
      const t = r.src(c);
      for (let i = 0; i < t.length; i++) {
        out.sql += t[i];
        out.map.push(c.start + i);
      }
    } else if (c.type === 'interpolation') {
      const expr = field(c, 'expression') ?? firstNamed(c);
      out.interpolations.push({ index: out.sql.length, node: expr ?? c });
      out.sql += INTERPOLATION;
      out.map.push(c.start);
    }
  }
}

/**
 * `"… OFFSET %s" % (skip,)`, `"… OFFSET {skip}".format(skip=skip)`: each placeholder becomes an
 * interpolation bound to the matching value (by name, else by position).
 */
function substitute(r: Resolver, t: SqlText, pattern: RegExp, values: PyNode): SqlText {
  const v = unparen(values);
  const positional: PyNode[] = [];
  const named = new Map<string, PyNode>();
  const items = v.type === 'tuple' || v.type === 'argument_list' ? namedChildren(v) : v.type === 'dictionary' ? [] : [v];
  for (const item of items) {
    if (item.type === 'keyword_argument') {
      const name = field(item, 'name');
      const value = field(item, 'value');
      if (name && value) named.set(r.src(name), value);
    } else positional.push(item);
  }
  if (v.type === 'dictionary') {
    for (const pair of namedChildren(v)) {
      const key = field(pair, 'key');
      const value = field(pair, 'value');
      if (key?.type === 'string' && value) named.set(r.src(key).slice(1, -1), value);
    }
  }
  const out: SqlText = { sql: '', map: [], interpolations: [...t.interpolations], literal: t.literal };
  let last = 0;
  let index = 0;
  const shifts: { at: number; delta: number }[] = [];
  for (const m of t.sql.matchAll(pattern)) {
    const at = m.index ?? 0;
    out.sql += t.sql.slice(last, at);
    for (let i = last; i < at; i++) out.map.push(t.map[i]);
    const node = (m[1] ? named.get(m[1]) : undefined) ?? positional[index++] ?? values;
    out.interpolations.push({ index: out.sql.length, node });
    out.sql += INTERPOLATION;
    out.map.push(t.map[at]);
    shifts.push({ at, delta: m[0].length - 1 });
    last = at + m[0].length;
  }
  if (!shifts.length) return t;
  out.sql += t.sql.slice(last);
  for (let i = last; i < t.sql.length; i++) out.map.push(t.map[i]);
  // Earlier interpolations (f-string parts) keep their place in the shortened text.
  out.interpolations = out.interpolations.map((i) => {
    if (!t.interpolations.includes(i)) return i;
    const before = shifts.filter((s) => s.at < i.index).reduce((a, s) => a + s.delta, 0);
    return { index: i.index - before, node: i.node };
  });
  return out;
}
