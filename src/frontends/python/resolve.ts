import type { FunctionSummary } from '../../core/model';
import type { ExportSummary, FileSummary, ProjectIndex } from '../../core/project';
import { knownModulePrefixes, pythonKnowledge } from '../../core/knowledge/python';
import type { PyCallable, PyType } from '../../core/knowledge/python';
import type { Binding, ClassInfo, FunctionInfo, Scope, ScopeTree } from './scope';
import { lookup } from './scope';
import type { PyNode } from './tree';
import { field, firstNamed, namedChildren, unparen, walkSameFunction } from './tree';

/**
 * What an expression denotes, as far as performance knowledge goes: a value of a known library
 * type, a library function, a function/class of this file or of another project file, or unknown.
 */
export type Value =
  | { kind: 'unknown' }
  /** A module we have knowledge of, or a prefix of one (`sqlalchemy` for `sqlalchemy.ext.asyncio`). */
  | { kind: 'module'; qname: string }
  /** A name from a module we know nothing about (`typing.Annotated`, `pydantic.BaseModel`). */
  | { kind: 'external'; qname: string }
  /** A value of a knowledge type (`sqlalchemy.AsyncSession`), or a class object (`…:class`). */
  | { kind: 'type'; id: string }
  /** A function of a knowledge module or a method of a knowledge type. */
  | { kind: 'member'; owner: string; name: string; qname: string }
  | { kind: 'function'; fn: FunctionInfo }
  | { kind: 'class'; cls: ClassInfo }
  | { kind: 'instance'; cls: ClassInfo }
  /** An absolute import prefix that may name a project package (`app` in `import app.crud`). */
  | { kind: 'package'; qname: string }
  | { kind: 'projectModule'; summary: FileSummary }
  | { kind: 'projectFunction'; summary: FunctionSummary; name: string }
  | { kind: 'projectClass'; name: string; methods: Record<string, FunctionSummary>; typeId?: string }
  | { kind: 'projectInstance'; name: string; methods: Record<string, FunctionSummary>; typeId?: string }
  /** A type alias (`SessionDep = Annotated[AsyncSession, Depends(get_db)]`): what annotating with it means. */
  | { kind: 'alias'; of: Value };

export const UNKNOWN: Value = { kind: 'unknown' };

const TYPING = /^(typing|typing_extensions)\.(Annotated|Optional|Union)$/;
const GENERATOR_TYPES = /^(typing\.|collections\.abc\.)?(AsyncGenerator|AsyncIterator|AsyncIterable|Generator|Iterator|Iterable)$/;
const MAX_DEPTH = 12;

/** Node types that open a scope (ScopeTree.scopeOf holds their scopes). */
const SCOPE_OWNERS: ReadonlySet<string> = new Set(['module', 'function_definition', 'class_definition', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export class Resolver {
  private readonly memo = new Map<PyNode, Value>();
  /**
   * The computations in progress, innermost last. An array, not a Set: entered and left millions
   * of times at a depth of a few, a Set's table was rebuilt every few additions (a tenth of an
   * edit's allocation); `includes` over a few keys costs less.
   */
  private readonly active: unknown[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
    readonly tree: ScopeTree,
    readonly project: ProjectIndex | undefined,
  ) {}

  src(n: PyNode): string {
    return this.text.slice(n.start, n.end);
  }

  type(id: string): PyType | undefined {
    return pythonKnowledge.types[id];
  }

  /**
   * The scope an expression is evaluated in: that of the nearest enclosing scope owner (for a
   * function, lambda or class only from inside its body; its parameters, decorators and bases are
   * evaluated outside). Walked up each time: owners are told apart by type first, so a step is a
   * string comparison, which cost less than remembering the answer per node in a Map.
   */
  scopeFor(node: PyNode): Scope {
    let child = node;
    for (let p = node.parent; p; child = p, p = p.parent) {
      if (!SCOPE_OWNERS.has(p.type)) continue;
      const s = this.tree.scopeOf.get(p);
      if (!s) continue;
      if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') return child.field === 'body' ? s : (s.parent ?? s);
      return s;
    }
    return this.tree.module;
  }


  /**
   * How many times `guard` cut a computation short: a result computed meanwhile may be partial
   * (see CallAnalyzer.analyze).
   */
  fallbacks = 0;

  /**
   * Enters a computation that must not recur (`x = x.where(…)`, mutually recursive helpers):
   * false, counted as a fallback, when `key` is already being computed or the nesting is too deep.
   * Pair with `leave`. `guard` does both around a function; the hot paths call these directly,
   * without a closure per question.
   */
  enter(key: unknown): boolean {
    const active = this.active;
    if (active.length > 200 || active.includes(key)) {
      this.fallbacks++;
      return false;
    }
    active.push(key);
    return true;
  }

  /** Every caller pairs `enter` and `leave` in try/finally, so `key` is the last one entered. */
  leave(key: unknown): void {
    if (this.active[this.active.length - 1] === key) this.active.pop();
  }

  /** Guards against cycles (`x = x.where(…)`, mutually recursive helpers). */
  guard<T>(key: unknown, fallback: T, fn: () => T): T {
    if (!this.enter(key)) return fallback;
    try {
      return fn();
    } finally {
      this.leave(key);
    }
  }

  valueOf(node: PyNode | undefined, depth = 0): Value {
    if (!node || depth > MAX_DEPTH) return UNKNOWN;
    const cached = this.memo.get(node);
    if (cached) return cached;
    let v = UNKNOWN;
    if (this.enter(node)) {
      try {
        v = this.compute(node, depth);
      } finally {
        this.leave(node);
      }
    }
    this.memo.set(node, v);
    return v;
  }

  private compute(node: PyNode, depth: number): Value {
    const n = unparen(node);
    switch (n.type) {
      case 'identifier':
        return this.nameValue(this.src(n), this.scopeFor(n), n.start, depth);
      case 'attribute': {
        const obj = field(n, 'object');
        const attr = field(n, 'attribute');
        if (!obj || !attr) return UNKNOWN;
        return this.attribute(this.valueOf(obj, depth), this.src(attr), depth);
      }
      case 'call': {
        const fn = field(n, 'function');
        const callee = this.valueOf(fn, depth);
        return this.keywordResult(callee, n, depth) ?? this.callResult(callee, depth);
      }
      case 'await': {
        const inner = firstNamed(n);
        const v = this.valueOf(inner, depth);
        // Awaiting a lazy queryset gives what the query returns (`await User.get(id=1)` → a User).
        if (v.kind === 'type') {
          const returns = this.type(v.id)?.awaitRuns?.returns;
          if (returns) return { kind: 'type', id: returns };
        }
        return v;
      }
      case 'subscript': {
        // `Annotated[AsyncSession, Depends(get_db)]` used as a value: a type alias.
        const base = this.valueOf(field(n, 'value'), depth + 1);
        const q = qnameOf(base);
        if (q && TYPING.test(q)) return { kind: 'alias', of: this.annotationValue(n, this.scopeFor(n), depth + 1) };
        return UNKNOWN;
      }
      case 'binary_operator': {
        const left = field(n, 'left');
        const opNode = n.children.find((c) => c.field === 'operator');
        const lv = this.valueOf(left, depth + 1);
        if (opNode?.type === '/' && lv.kind === 'type') {
          const div = this.type(lv.id)?.divides;
          if (div) return { kind: 'type', id: div };
        }
        return UNKNOWN;
      }
      case 'conditional_expression': {
        // `a if cond else b`: whichever side is known.
        for (const c of namedChildren(n)) {
          const v = this.valueOf(c, depth + 1);
          if (v.kind !== 'unknown') return v;
        }
        return UNKNOWN;
      }
      case 'boolean_operator': {
        // `x or default`
        const v = this.valueOf(field(n, 'left'), depth + 1);
        return v.kind !== 'unknown' ? v : this.valueOf(field(n, 'right'), depth + 1);
      }
      default:
        return UNKNOWN;
    }
  }

  nameValue(name: string, scope: Scope, pos: number, depth: number): Value {
    const found = lookup(scope, name);
    if (!found) {
      const builtins = this.type('mod:builtins');
      if (builtins?.methods?.[name]) return { kind: 'member', owner: 'mod:builtins', name, qname: name };
      return UNKNOWN;
    }
    // Prefer the nearest binding before the use, then the others (Python is flow-insensitive
    // enough for this: a local bound later in a loop still names the same kind of thing).
    // (Walked in place, without building the ordered list: names are looked up constantly.)
    const bindings = found.bindings;
    for (let i = bindings.length - 1; i >= 0; i--) {
      if (bindings[i].pos > pos) continue;
      const v = this.bindingValueGuarded(bindings[i], found.scope, depth);
      if (v.kind !== 'unknown') return v;
    }
    for (let i = 0; i < bindings.length; i++) {
      if (bindings[i].pos <= pos) continue;
      const v = this.bindingValueGuarded(bindings[i], found.scope, depth);
      if (v.kind !== 'unknown') return v;
    }
    return UNKNOWN;
  }

  private bindingValueGuarded(b: Binding, scope: Scope, depth: number): Value {
    if (!this.enter(b)) return UNKNOWN;
    try {
      return this.bindingValue(b, scope, depth + 1);
    } finally {
      this.leave(b);
    }
  }

  /**
   * The constructor call a receiver was built from: the call itself (`Repo(db).get()`), a local
   * assigned from one (`repo = Repo(db)`), or an instance attribute set from one in a method
   * (`self.repo = Repo(db)`). Repositories handed one session share it, which is what
   * `sequential-awaits` must know.
   */
  constructorCall(receiver: PyNode): PyNode | undefined {
    const n = unparen(receiver);
    if (n.type === 'call') return n;
    const fromValues = (values: (PyNode | undefined)[]) => {
      const calls = values.filter((v): v is PyNode => !!v && unparen(v).type === 'call').map(unparen);
      // Several different constructions (`self.repo = A(db)` here, `B(other)` there): no answer.
      return calls.length > 0 && calls.length === values.length && calls.every((c) => this.src(c) === this.src(calls[0])) ? calls[0] : undefined;
    };
    if (n.type === 'identifier') {
      const found = lookup(this.scopeFor(n), this.src(n));
      if (!found || found.scope === this.tree.module) return undefined;
      const assigns = found.bindings.filter((b) => b.kind === 'assign');
      if (assigns.length !== found.bindings.length) return undefined;
      return fromValues(assigns.map((b) => (b.kind === 'assign' ? b.value : undefined)));
    }
    if (n.type === 'attribute') {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      if (!obj || !attr || obj.type !== 'identifier') return undefined;
      const self = this.valueOf(obj);
      if (self.kind !== 'instance') return undefined;
      const bindings = self.cls.attrs.get(this.src(attr));
      return bindings ? fromValues(bindings.map((b) => b.value)) : undefined;
    }
    return undefined;
  }

  /** Whether a name's bindings are all without an annotation (so a receiver-name fallback applies). */
  isUntyped(name: string, scope: Scope): boolean {
    const found = lookup(scope, name);
    if (!found) return false;
    return found.bindings.every((b) => {
      if (b.kind === 'param') return !b.param.annotation && !(b.param.index === 0 && b.fn.kind !== 'function');
      if (b.kind === 'assign') return !b.annotation;
      return b.kind === 'other' || b.kind === 'for' || b.kind === 'with';
    });
  }

  bindingValue(b: Binding, scope: Scope, depth: number): Value {
    switch (b.kind) {
      case 'import':
        return this.importValue(b.module, b.name, depth);
      case 'assign':
        if (b.annotation) {
          const a = this.annotationValue(b.annotation, scope, depth);
          if (a.kind !== 'unknown') return a;
        }
        return this.valueOf(b.value, depth);
      case 'param':
        return this.paramValue(b.fn, b.param.index, depth);
      case 'function':
        return { kind: 'function', fn: b.fn };
      case 'class':
        return { kind: 'class', cls: b.cls };
      case 'with': {
        const v = this.valueOf(b.value, depth);
        if (v.kind === 'type') {
          const enters = this.type(v.id)?.enters;
          if (enters) return { kind: 'type', id: enters };
        }
        return v;
      }
      case 'for': {
        // Iterating a generator function's result yields what it yields.
        const it = unparen(b.iter);
        if (it.type === 'call') {
          const callee = this.valueOf(field(it, 'function'), depth);
          if (callee.kind === 'function' && callee.fn.isGenerator) return this.returnValue(callee.fn, depth);
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  paramValue(fn: FunctionInfo, index: number, depth: number): Value {
    const p = fn.params[index];
    if (!p) return UNKNOWN;
    if (index === 0 && fn.cls && p.star === '') {
      if (fn.kind === 'method') return { kind: 'instance', cls: fn.cls };
      if (fn.kind === 'classmethod') return { kind: 'class', cls: fn.cls };
    }
    if (p.annotation) {
      const a = this.annotationValue(p.annotation, fn.scope.parent ?? fn.scope, depth);
      if (a.kind !== 'unknown') return a;
    }
    if (p.default) return this.dependencyValue(p.default, depth);
    return UNKNOWN;
  }

  /** `Depends(get_db)`: what the dependency provides (a generator's yielded value). */
  dependencyValue(node: PyNode, depth: number): Value {
    const n = unparen(node);
    if (n.type !== 'call') return UNKNOWN;
    const callee = this.valueOf(field(n, 'function'), depth);
    const q = qnameOf(callee);
    if (!q || !/^fastapi(\.params)?\.(Depends|Security)$/.test(q)) return UNKNOWN;
    const arg = firstPositional(n);
    if (!arg) return UNKNOWN;
    const dep = this.valueOf(arg, depth + 1);
    if (dep.kind === 'function') return this.returnValue(dep.fn, depth + 1);
    if (dep.kind === 'class') return { kind: 'instance', cls: dep.cls };
    if (dep.kind === 'projectClass') return { kind: 'projectInstance', name: dep.name, methods: dep.methods, typeId: dep.typeId };
    return UNKNOWN;
  }

  /** What calling a function of this file produces: its return annotation, or what it returns/yields. */
  returnValue(fn: FunctionInfo, depth: number): Value {
    return this.guard(fn, UNKNOWN, () => {
      const scope = fn.scope.parent ?? fn.scope;
      const ann = fn.isLambda ? undefined : field(fn.node, 'return_type');
      if (ann) {
        const inner = firstNamed(ann) ?? ann;
        const generic = unparen(inner);
        if (generic.type === 'subscript' || generic.type === 'generic_type') {
          const head = generic.type === 'subscript' ? field(generic, 'value') : firstNamed(generic);
          const q = head ? this.src(head) : '';
          if (GENERATOR_TYPES.test(q)) {
            const args = generic.type === 'subscript' ? generic.children.filter((c) => c.field === 'subscript') : typeArgs(generic);
            if (args[0]) return this.annotationValue(args[0], scope, depth + 1);
          }
        }
        const a = this.annotationValue(ann, scope, depth + 1);
        if (a.kind !== 'unknown') return a;
      }
      if (fn.isLambda) return this.valueOf(fn.body, depth + 1);
      if (!fn.body) return UNKNOWN;
      let result: Value = UNKNOWN;
      const want = fn.isGenerator ? 'yield' : 'return_statement';
      walkSameFunction(fn.body, (n) => {
        if (result.kind !== 'unknown') return false;
        if (n.type === want) {
          const expr = firstNamed(n);
          if (expr) {
            const v = this.valueOf(expr, depth + 1);
            if (v.kind !== 'unknown') result = v;
          }
        }
        return n.type === 'class_definition' ? false : undefined;
      });
      return result;
    });
  }

  /** The value an annotation describes: an instance of the class it names. */
  annotationValue(node: PyNode, scope: Scope, depth = 0): Value {
    if (depth > MAX_DEPTH) return UNKNOWN;
    let n = unparen(node);
    if (n.type === 'type') {
      const inner = firstNamed(n);
      if (!inner) return UNKNOWN;
      n = unparen(inner);
    }
    switch (n.type) {
      case 'string': {
        const content = n.children.find((c) => c.type === 'string_content');
        if (!content) return UNKNOWN;
        // `"AsyncSession"`, `"AsyncSession | None"`, `"Optional[AsyncSession]"`
        const inner = this.src(content).trim().replace(/^Optional\[(.*)\]$/, '$1');
        const dotted = inner.split('|').map((p) => p.trim()).find((p) => p !== 'None') ?? '';
        if (!/^[A-Za-z_][\w.]*$/.test(dotted)) return UNKNOWN;
        const parts = dotted.split('.');
        let v = this.nameValue(parts[0], scope, n.start, depth + 1);
        for (const part of parts.slice(1)) v = this.attribute(v, part, depth + 1);
        return instanceOf(v, this);
      }
      case 'identifier':
      case 'attribute':
        return instanceOf(this.valueOf(n, depth + 1), this);
      case 'subscript':
      case 'generic_type': {
        const head = n.type === 'subscript' ? field(n, 'value') : firstNamed(n);
        const args = n.type === 'subscript' ? n.children.filter((c) => c.field === 'subscript') : typeArgs(n);
        const hv = head ? this.valueOf(head, depth + 1) : UNKNOWN;
        const q = qnameOf(hv) ?? (head ? this.src(head) : '');
        const name = q.split('.').pop();
        if (name === 'Annotated' || name === 'Optional') return args[0] ? this.annotationValue(args[0], scope, depth + 1) : UNKNOWN;
        if (name === 'Union') {
          for (const a of args) {
            const v = this.annotationValue(a, scope, depth + 1);
            if (v.kind !== 'unknown') return v;
          }
        }
        return UNKNOWN;
      }
      case 'binary_operator': {
        // `AsyncSession | None`
        const l = this.annotationValue(field(n, 'left') ?? n, scope, depth + 1);
        if (l.kind !== 'unknown') return l;
        const r = field(n, 'right');
        return r ? this.annotationValue(r, scope, depth + 1) : UNKNOWN;
      }
      case 'union_type': {
        for (const c of namedChildren(n)) {
          const v = this.annotationValue(c, scope, depth + 1);
          if (v.kind !== 'unknown') return v;
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /** `import x` / `from m import n`: a knowledge module, a project module, or something external. */
  importValue(module: string, name: string | undefined, depth: number): Value {
    const relative = module.startsWith('.');
    if (!relative) {
      const full = name ? `${module}.${name}` : module;
      if (knownModulePrefixes.has(module) || knownModulePrefixes.has(full)) {
        const base: Value = { kind: 'module', qname: module };
        return name ? this.attribute(base, name, depth) : base;
      }
    }
    if (this.project) {
      const summary = this.project.resolveModule(this.file, module, 'python');
      if (name) {
        if (summary && summary.exports[name]) return this.exportValue(summary, name, depth);
        const sub = this.project.resolveModule(this.file, submoduleSpecifier(module, name), 'python');
        if (sub) return { kind: 'projectModule', summary: sub };
        if (summary) return this.exportValue(summary, name, depth);
      } else if (summary) {
        return { kind: 'projectModule', summary };
      } else if (!relative) {
        return { kind: 'package', qname: module };
      }
    }
    return { kind: 'external', qname: name ? `${module}.${name}` : module };
  }

  exportValue(summary: FileSummary, name: string, depth: number): Value {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const e: ExportSummary | undefined = summary.exports[name];
    if (!e) return UNKNOWN;
    if (e.function) return { kind: 'projectFunction', summary: e.function, name: e.function.name };
    if (e.className) return { kind: 'projectClass', name: e.className, methods: summary.classes[e.className] ?? {}, typeId: e.typeId };
    if (e.instanceOf) return this.projectInstance(e.instanceOf, summary);
    if (e.typeId) return this.typeIdValue(e.typeId, summary);
    if (e.reexport) {
      const { specifier, name: inner } = e.reexport;
      if (!specifier.startsWith('.') && (knownModulePrefixes.has(specifier) || knownModulePrefixes.has(`${specifier}.${inner}`))) {
        return this.attribute({ kind: 'module', qname: specifier }, inner, depth + 1);
      }
      if (!this.project) return UNKNOWN;
      const target = this.project.resolveModule(summary.file, specifier, 'python');
      if (target && target !== summary && target.exports[inner]) return this.exportValue(target, inner, depth + 1);
      const sub = this.project.resolveModule(summary.file, submoduleSpecifier(specifier, inner), 'python');
      if (sub && sub !== summary) return { kind: 'projectModule', summary: sub };
    }
    return UNKNOWN;
  }

  private projectInstance(className: string, summary: FileSummary): Value {
    const methods = summary.classes[className] ?? this.project?.findClass(className) ?? {};
    const typeId = summary.exports[className]?.typeId;
    // The class export records the class side of its library base; an instance has what calling it returns.
    const instance = typeId && !typeId.startsWith('alias:') ? (this.type(typeId)?.callable?.returns ?? typeId) : undefined;
    return { kind: 'projectInstance', name: className, methods, typeId: instance };
  }

  private typeIdValue(typeId: string, summary: FileSummary): Value {
    if (typeId.startsWith('alias:')) return { kind: 'alias', of: this.typeIdValue(typeId.slice(6), summary) };
    if (typeId.startsWith('instance:')) return this.projectInstance(typeId.slice(9), summary);
    return this.type(typeId) ? { kind: 'type', id: typeId } : UNKNOWN;
  }

  attribute(v: Value, attr: string, depth: number): Value {
    switch (v.kind) {
      case 'module': {
        const typeId = pythonKnowledge.modules[v.qname];
        const t = typeId ? this.type(typeId) : undefined;
        const qname = `${v.qname}.${attr}`;
        if (t?.attributes?.[attr]) return { kind: 'type', id: t.attributes[attr] };
        if (t?.methods?.[attr] && typeId) return { kind: 'member', owner: typeId, name: attr, qname };
        if (knownModulePrefixes.has(qname)) return { kind: 'module', qname };
        return { kind: 'external', qname };
      }
      case 'external':
        return { kind: 'external', qname: `${v.qname}.${attr}` };
      case 'type': {
        const t = this.type(v.id);
        if (!t) return UNKNOWN;
        if (t.attributes?.[attr]) return { kind: 'type', id: t.attributes[attr] };
        if (t.methods?.[attr] || t.otherMethods) return { kind: 'member', owner: v.id, name: attr, qname: `${v.id}.${attr}` };
        return UNKNOWN;
      }
      case 'instance':
      case 'class':
        return this.classAttribute(v.cls, attr, v.kind === 'class', depth);
      case 'package': {
        const qname = `${v.qname}.${attr}`;
        const summary = this.project?.resolveModule(this.file, qname, 'python');
        if (summary) return { kind: 'projectModule', summary };
        return { kind: 'package', qname };
      }
      case 'projectModule': {
        if (v.summary.exports[attr]) return this.exportValue(v.summary, attr, depth + 1);
        const sub = this.project?.resolveModule(v.summary.file, `.${attr}`, 'python');
        // `.attr` from a package's __init__ is a submodule of that package.
        if (sub && /__init__\.pyi?$/.test(v.summary.file)) return { kind: 'projectModule', summary: sub };
        return UNKNOWN;
      }
      case 'projectClass':
      case 'projectInstance': {
        const m = v.methods[attr];
        if (m) return { kind: 'projectFunction', summary: m, name: m.name };
        if (v.typeId) return this.attribute({ kind: 'type', id: v.typeId }, attr, depth + 1);
        return UNKNOWN;
      }
      case 'alias':
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /** A method or attribute of a class of this file, through its bases (local, project, library). */
  classAttribute(cls: ClassInfo, attr: string, onClass: boolean, depth: number): Value {
    return this.guard(`attr:${cls.node.start}:${attr}`, UNKNOWN, () => {
      const m = cls.methods.get(attr);
      // A @property reads as the value it returns.
      if (m && !onClass && m.decorators.some((d) => /^(property|(functools\.)?cached_property)$/.test(this.src(d)))) return this.returnValue(m, depth + 1);
      if (m) return { kind: 'function', fn: m } as Value;
      const bindings = cls.attrs.get(attr);
      if (bindings) {
        for (const b of bindings) {
          const v = b.annotation ? this.annotationValue(b.annotation, b.scope, depth + 1) : UNKNOWN;
          if (v.kind !== 'unknown') return v;
          const w = this.valueOf(b.value, depth + 1);
          if (w.kind !== 'unknown') return w;
        }
      }
      for (const base of cls.bases) {
        const bv = this.baseValue(base, depth);
        if (bv.kind === 'class') {
          const r = this.classAttribute(bv.cls, attr, onClass, depth + 1);
          if (r.kind !== 'unknown') return r;
        } else if (bv.kind === 'projectClass') {
          const r = this.attribute(onClass ? bv : { ...bv, kind: 'projectInstance' }, attr, depth + 1);
          if (r.kind !== 'unknown') return r;
        } else if (bv.kind === 'type') {
          const t = this.type(bv.id);
          const side = onClass ? t?.subclass : t?.instance;
          if (side) {
            const r = this.attribute({ kind: 'type', id: side }, attr, depth + 1);
            if (r.kind !== 'unknown') return r;
          }
        }
      }
      return UNKNOWN;
    });
  }

  /** The knowledge type a class of this file inherits from (`models.Model` → Django), if any. */
  libraryBase(cls: ClassInfo, onClass: boolean, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    for (const base of cls.bases) {
      const bv = this.baseValue(base, depth);
      if (bv.kind === 'type') {
        const t = this.type(bv.id);
        // A plain library class (`class RedisCli(Redis)`): the subclass object is a class like it.
        const side = onClass ? (t?.subclass ?? (t?.instance ? bv.id : undefined)) : t?.instance;
        if (side) return side;
      } else if (bv.kind === 'class') {
        const r = this.libraryBase(bv.cls, onClass, depth + 1);
        if (r) return r;
      } else if (bv.kind === 'projectClass' && bv.typeId) {
        if (onClass) return bv.typeId;
        return this.type(bv.typeId)?.callable?.returns;
      }
    }
    return undefined;
  }

  baseValue(base: PyNode, depth: number): Value {
    const b = unparen(base);
    // `CRUDBase[User, UserCreate, UserUpdate]` → CRUDBase
    const target = b.type === 'subscript' ? field(b, 'value') : b;
    return this.valueOf(target, depth + 1);
  }

  /** `sessionmaker(engine, class_=AsyncSession)`: a result that a keyword argument decides. */
  private keywordResult(callee: Value, call: PyNode, depth: number): Value | undefined {
    if (callee.kind !== 'member') return undefined;
    const byKeyword = this.memberSpec(callee.owner, callee.name)?.returnsByKeyword;
    const args = byKeyword ? field(call, 'arguments') : undefined;
    if (!byKeyword || !args) return undefined;
    for (const a of namedChildren(args)) {
      if (a.type !== 'keyword_argument' || this.src(field(a, 'name') ?? a) !== byKeyword.keyword) continue;
      const v = this.valueOf(field(a, 'value'), depth + 1);
      const returns = v.kind === 'type' ? byKeyword.returns[v.id] : undefined;
      return returns ? { kind: 'type', id: returns } : undefined;
    }
    return undefined;
  }

  callResult(callee: Value, depth: number): Value {
    switch (callee.kind) {
      case 'member': {
        const spec = this.memberSpec(callee.owner, callee.name);
        return spec?.returns ? { kind: 'type', id: spec.returns } : UNKNOWN;
      }
      case 'type': {
        const t = this.type(callee.id);
        return t?.callable?.returns ? { kind: 'type', id: t.callable.returns } : UNKNOWN;
      }
      case 'class':
        return { kind: 'instance', cls: callee.cls };
      case 'projectClass':
        return { kind: 'projectInstance', name: callee.name, methods: callee.methods, typeId: callee.typeId ? this.type(callee.typeId)?.callable?.returns : undefined };
      case 'function':
        return this.returnValue(callee.fn, depth + 1);
      default:
        return UNKNOWN;
    }
  }

  memberSpec(owner: string, name: string): PyCallable | undefined {
    const t = this.type(owner);
    return t?.methods?.[name] ?? t?.otherMethods;
  }
}

export function qnameOf(v: Value): string | undefined {
  switch (v.kind) {
    case 'member':
    case 'external':
    case 'module':
      return v.qname;
    default:
      return undefined;
  }
}

/** What annotating with a value means: an instance of the class it names. */
function instanceOf(v: Value, r: Resolver): Value {
  switch (v.kind) {
    case 'type': {
      const inst = r.type(v.id)?.instance;
      return inst ? { kind: 'type', id: inst } : UNKNOWN;
    }
    case 'class':
      return { kind: 'instance', cls: v.cls };
    case 'projectClass':
      return { kind: 'projectInstance', name: v.name, methods: v.methods, typeId: v.typeId ? r.type(v.typeId)?.callable?.returns : undefined };
    case 'alias':
      return v.of;
    default:
      return UNKNOWN;
  }
}

function typeArgs(generic: PyNode): PyNode[] {
  const tp = generic.children.find((c) => c.type === 'type_parameter');
  return tp ? namedChildren(tp) : [];
}

export function firstPositional(call: PyNode): PyNode | undefined {
  const args = field(call, 'arguments');
  if (!args) return undefined;
  for (const a of namedChildren(args)) {
    if (a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat') continue;
    return a;
  }
  return undefined;
}

export function submoduleSpecifier(module: string, name: string): string {
  return /\.$/.test(module) ? `${module}${name}` : `${module}.${name}`;
}

