import type { OffsetFact, Span } from '../../core/model';
import { INTERPOLATION, sqlOffsets, tokenizeSql } from '../../core/sql-scan';
import type { CallInfo } from './effects';
import type { Resolver } from './resolve';
import type { FunctionInfo } from './scope';
import { lookup } from './scope';
import { assignedValue, sqlTexts } from './statements';
import type { PyNode } from './tree';
import { field, namedChildren, unparen } from './tree';

/**
 * OFFSET paging: `.offset(x)` on a SQLAlchemy statement/query (or a Tortoise queryset), and
 * `OFFSET …` inside SQL strings that reach a query call. The value is traced back to the function
 * parameter that feeds it (a FastAPI `skip: int = 0` route parameter, a CRUD helper's `skip`).
 */

/** Receivers taken for query builders when their value is unknown (`def paginate(query, skip)`). */
const BUILDER_NAMES = /^(query|stmt|statement|q|qs|queryset|base_query|base_stmt|select_stmt|sql_query|db_query)$/;
const BUILDER_METHODS = /\.(where|filter|filter_by|order_by|limit|join|options|select_from|group_by)\(/;
const PAGING_NAMES = /skip|offset|page|start/i;

export class OffsetCollector {
  readonly offsets = new Map<number, OffsetFact>();

  constructor(private readonly r: Resolver) {}

  /** A call was analysed: record its `.offset()` or the OFFSET clauses of its SQL argument. */
  visitCall(call: PyNode, info: CallInfo, fn: FunctionInfo | undefined): void {
    const callee = field(call, 'function');
    const c = callee ? unparen(callee) : undefined;
    if (c?.type === 'attribute') {
      const name = field(c, 'attribute');
      const method = name ? this.r.src(name) : '';
      if (name && ((method === 'offset' && (info.offset || this.looksLikeBuilder(c))) || (method === 'slice' && info.offset))) {
        this.methodOffset(call, name, info.offset?.library ?? 'sqlalchemy', fn, method);
      }
    }
    if (info.statement) this.sqlOffsets(call, info, fn);
  }

  private looksLikeBuilder(attr: PyNode): boolean {
    const obj = field(attr, 'object');
    if (!obj) return false;
    const v = this.r.valueOf(obj);
    if (v.kind !== 'unknown') return false;
    let root: PyNode | undefined = unparen(obj);
    while (root && (root.type === 'call' || root.type === 'attribute')) {
      root = root.type === 'call' ? field(root, 'function') : field(root, 'object');
      if (root) root = unparen(root);
    }
    const rootName = root?.type === 'identifier' ? this.r.src(root) : '';
    return BUILDER_NAMES.test(rootName) || BUILDER_METHODS.test(this.r.src(obj));
  }

  private methodOffset(call: PyNode, name: PyNode, library: string, fn: FunctionInfo | undefined, method: string): void {
    const args = field(call, 'arguments');
    const value = args ? namedChildren(args).find((a) => a.type !== 'keyword_argument') ?? namedChildren(args)[0] : undefined;
    if (!value) return;
    const v = value.type === 'keyword_argument' ? (field(value, 'value') ?? value) : value;
    this.add({
      span: { start: name.start, end: name.end },
      style: 'method',
      keyword: `.${method}()`,
      library,
      valueText: this.r.src(v),
      constant: isConstant(this.r, v),
      withCursor: false,
      source: this.traceSource(v, fn),
      functionId: fn?.id,
    });
  }

  private sqlOffsets(call: PyNode, info: CallInfo, fn: FunctionInfo | undefined): void {
    const st = info.statement!;
    for (const text of sqlTexts(this.r, st.node)) {
      for (const off of sqlOffsets(text.sql)) {
        const start = text.map[off.start];
        const endChar = text.map[off.end - 1];
        if (start === undefined || endChar === undefined) continue;
        let valueText = off.valueText;
        let valueNode: PyNode | undefined;
        const interp = text.interpolations.find((i) => i.index >= off.end && i.index < off.end + 1 + off.valueText.length + 8 && text.sql.slice(off.end, i.index).trim() === '');
        if (valueText.includes(INTERPOLATION) && interp) {
          valueNode = interp.node;
          valueText = `{${this.r.src(interp.node)}}`;
        } else {
          valueNode = this.placeholderValue(call, st.node, st.sqlPositional, text.sql, off.start, valueText.trim());
        }
        const constant = off.constant;
        this.add({
          span: { start, end: endChar + 1 },
          style: 'sql',
          keyword: 'OFFSET',
          library: st.library,
          valueText,
          constant,
          withCursor: false,
          source: constant ? undefined : valueNode ? this.traceSource(valueNode, fn) : this.paramNamed(placeholderName(valueText), fn),
          functionId: fn?.id,
        });
      }
    }
  }

  /** The argument that binds a placeholder: `$2`, `:skip`, `%(skip)s`, `%s`, `?`. */
  private placeholderValue(call: PyNode, sqlArg: PyNode, positional: PyNode[], sql: string, at: number, value: string): PyNode | undefined {
    const dollar = /^\$(\d+)$/.exec(value);
    if (dollar) {
      const i = Number(dollar[1]) - 1;
      const plain = positional.filter((p) => p.type !== 'keyword_argument');
      if (plain.length === 1 && (plain[0].type === 'list' || plain[0].type === 'tuple')) return namedChildren(plain[0])[i];
      return plain[i];
    }
    const name = placeholderName(value);
    if (name) {
      // keyword argument, a dict literal among the arguments, or `.bindparams(name=…)`
      for (const holder of [call, sqlArg]) {
        const found = this.keywordOrDict(holder, name);
        if (found) return found;
      }
      const bound = this.bindparams(sqlArg, name);
      if (bound) return bound;
      return undefined;
    }
    if (value === '%s' || value === '?') {
      const before = tokenizeSql(sql.slice(0, at)).filter((t) => t.text === '%s' || t.text === '?').length;
      const params = positional.find((p) => p.type !== 'keyword_argument');
      const p = params ? unparen(params) : undefined;
      if (p && (p.type === 'tuple' || p.type === 'list')) return namedChildren(p)[before];
      if (p && p.type === 'identifier') {
        const v = assignedValue(this.r, p);
        if (v && (v.type === 'tuple' || v.type === 'list')) return namedChildren(v)[before];
      }
    }
    return undefined;
  }

  private keywordOrDict(call: PyNode, name: string): PyNode | undefined {
    const n = unparen(call);
    if (n.type !== 'call') return undefined;
    const args = field(n, 'arguments');
    if (!args) return undefined;
    for (const a of namedChildren(args)) {
      if (a.type === 'keyword_argument' && this.r.src(field(a, 'name') ?? a) === name) return field(a, 'value');
      const d = a.type === 'identifier' ? assignedValue(this.r, a) : a;
      if (d?.type === 'dictionary') {
        for (const pair of namedChildren(d)) {
          if (pair.type !== 'pair') continue;
          const key = field(pair, 'key');
          if (key && key.type === 'string' && this.r.src(key).slice(1, -1) === name) return field(pair, 'value');
        }
      }
    }
    return undefined;
  }

  /** `text("… :skip").bindparams(skip=skip)` */
  private bindparams(sqlArg: PyNode, name: string): PyNode | undefined {
    let n: PyNode | undefined = unparen(sqlArg);
    if (n.type === 'identifier') n = assignedValue(this.r, n);
    for (let i = 0; n && n.type === 'call' && i < 20; i++) {
      const callee = field(n, 'function');
      if (callee?.type === 'attribute' && this.r.src(field(callee, 'attribute') ?? callee) === 'bindparams') {
        const found = this.keywordOrDict(n, name);
        if (found) return found;
      }
      n = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
    }
    return undefined;
  }

  private paramNamed(name: string | undefined, fn: FunctionInfo | undefined): OffsetFact['source'] {
    if (!name || !fn) return undefined;
    const p = fn.params.find((q) => q.name === name);
    return p ? { name: p.name, span: spanOf(p.node) } : undefined;
  }

  /** The function parameter an offset value comes from, through local assignments. */
  traceSource(value: PyNode, fn: FunctionInfo | undefined, depth = 0): OffsetFact['source'] {
    if (!fn || depth > 4) return undefined;
    const ids: PyNode[] = [];
    const stack = [value];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'identifier' && !(n.parent?.type === 'attribute' && n.field === 'attribute') && !(n.parent?.type === 'keyword_argument' && n.field === 'name')) ids.push(n);
      if (n.type === 'lambda') continue;
      for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
        const c = cs[ci];
        stack.push(c);
      }
    }
    ids.sort((a, b) => Number(PAGING_NAMES.test(this.r.src(b))) - Number(PAGING_NAMES.test(this.r.src(a))) || a.start - b.start);
    for (const id of ids) {
      const name = this.r.src(id);
      const found = lookup(this.r.scopeFor(id), name);
      if (!found) continue;
      const param = found.bindings.find((b) => b.kind === 'param');
      // `self.page` is state of an object, not a request parameter.
      const receiver = param?.kind === 'param' && param.param.index === 0 && param.fn.cls && param.fn.kind !== 'staticmethod';
      if (param && param.kind === 'param' && !receiver) {
        const attr = id.parent?.type === 'attribute' && id.field === 'object' ? field(id.parent, 'attribute') : undefined;
        return { name: attr ? `${name}.${this.r.src(attr)}` : name, span: spanOf(param.param.node) };
      }
      const assigned = assignedValue(this.r, id);
      if (assigned) {
        const s = this.traceSource(assigned, fn, depth + 1);
        if (s) return s;
      }
    }
    return undefined;
  }

  private add(fact: OffsetFact): void {
    const existing = this.offsets.get(fact.span.start);
    if (!existing || (!existing.source && fact.source)) this.offsets.set(fact.span.start, fact);
  }
}

function placeholderName(value: string): string | undefined {
  const m = /^:(\w+)$/.exec(value) ?? /^%\((\w+)\)s$/.exec(value);
  return m?.[1];
}

/** A literal number or arithmetic on literals only: `10`, `(2 - 1) * 20`. */
function isConstant(r: Resolver, node: PyNode, depth = 0): boolean {
  const n = unparen(node);
  if (depth > 4) return false;
  switch (n.type) {
    case 'integer':
    case 'float':
      return true;
    case 'identifier': {
      // `PAGE_SIZE = 20` at module level, never reassigned.
      const found = lookup(r.scopeFor(n), r.src(n));
      if (!found || found.scope.kind !== 'module' || found.bindings.length !== 1) return false;
      const b = found.bindings[0];
      return b.kind === 'assign' && !!b.value && isConstant(r, b.value, depth + 1);
    }
    case 'binary_operator': {
      const l = field(n, 'left');
      const rr = field(n, 'right');
      return !!l && !!rr && isConstant(r, l, depth + 1) && isConstant(r, rr, depth + 1);
    }
    case 'unary_operator': {
      const a = field(n, 'argument');
      return !!a && isConstant(r, a, depth + 1);
    }
    default:
      return false;
  }
}

function spanOf(n: PyNode): Span {
  return { start: n.start, end: n.end };
}
