import type { PyNode } from './tree';
import { field, fields, firstNamed, hasChild, namedChildren, unparen } from './tree';

/**
 * Python scopes and the bindings in them (imports, assignments, parameters, defs, classes, loop
 * and `with` targets), collected in one pass. Name lookup follows Python's rules: a name assigned
 * anywhere in a function is local to it, class bodies are not visible from their methods,
 * `global`/`nonlocal` redirect.
 */

export interface ParamInfo {
  name: string;
  node: PyNode;
  /** The identifier node of the parameter name. */
  nameNode: PyNode;
  annotation?: PyNode;
  default?: PyNode;
  index: number;
  star: '' | '*' | '**';
}

export interface FunctionInfo {
  /** Index into FileFacts.functions. */
  id: number;
  node: PyNode;
  /** `get_user`, `UserService.get`; undefined for lambdas. */
  name?: string;
  simpleName?: string;
  nameNode?: PyNode;
  isAsync: boolean;
  isLambda: boolean;
  scope: Scope;
  /** The class whose body defines this function (a method). */
  cls?: ClassInfo;
  parent?: FunctionInfo;
  decorators: PyNode[];
  params: ParamInfo[];
  body?: PyNode;
  /** Contains `yield`: a generator (FastAPI dependencies with cleanup). */
  isGenerator: boolean;
  kind: 'function' | 'method' | 'staticmethod' | 'classmethod';
}

export interface ClassInfo {
  node: PyNode;
  name: string;
  /** The class body's scope. */
  scope: Scope;
  /** The scope the class statement is in. */
  outer: Scope;
  bases: PyNode[];
  methods: Map<string, FunctionInfo>;
  /** `self.x = value` in methods, and class-level `x: T` / `x = v`. */
  attrs: Map<string, AttrBinding[]>;
}

export interface AttrBinding {
  value?: PyNode;
  annotation?: PyNode;
  /** The scope to evaluate `value`/`annotation` in (the method's, or the class body's). */
  scope: Scope;
}

export type Binding =
  | { kind: 'import'; module: string; name?: string; node: PyNode; pos: number }
  | { kind: 'assign'; value?: PyNode; annotation?: PyNode; target: PyNode; node: PyNode; pos: number }
  | { kind: 'param'; param: ParamInfo; fn: FunctionInfo; pos: number }
  | { kind: 'function'; fn: FunctionInfo; pos: number }
  | { kind: 'class'; cls: ClassInfo; pos: number }
  | { kind: 'for'; iter: PyNode; isAsync: boolean; node: PyNode; pos: number }
  | { kind: 'with'; value: PyNode; isAsync: boolean; node: PyNode; pos: number }
  | { kind: 'other'; node: PyNode; pos: number };

export interface Scope {
  kind: 'module' | 'class' | 'function' | 'comprehension';
  node: PyNode;
  parent?: Scope;
  bindings: Map<string, Binding[]>;
  globals: Set<string>;
  nonlocals: Set<string>;
  fn?: FunctionInfo;
  cls?: ClassInfo;
}

export interface ScopeTree {
  module: Scope;
  functions: FunctionInfo[];
  classes: ClassInfo[];
  /** function_definition / lambda / class_definition / comprehension node → its scope. */
  scopeOf: Map<PyNode, Scope>;
  /** function_definition / lambda node → its info. */
  functionOf: Map<PyNode, FunctionInfo>;
  classOf: Map<PyNode, ClassInfo>;
}

function newScope(kind: Scope['kind'], node: PyNode, parent?: Scope): Scope {
  return { kind, node, parent, bindings: new Map(), globals: new Set(), nonlocals: new Set() };
}

function bind(scope: Scope, name: string, b: Binding): void {
  const target = scope.globals.has(name) ? rootScope(scope) : scope;
  const list = target.bindings.get(name);
  if (list) list.push(b);
  else target.bindings.set(name, [b]);
}

function rootScope(scope: Scope): Scope {
  let s = scope;
  while (s.parent) s = s.parent;
  return s;
}

function build(root: PyNode): ScopeTree {
  const module = newScope('module', root);
  const tree: ScopeTree = { module, functions: [], classes: [], scopeOf: new Map(), functionOf: new Map(), classOf: new Map() };
  tree.scopeOf.set(root, module);
  collect(root, module, tree, undefined);
  return tree;
}

/** Names bound by an assignment target, with the node that binds each. */
export function targetNames(target: PyNode, out: PyNode[] = []): PyNode[] {
  const t = unparen(target);
  switch (t.type) {
    case 'identifier':
      out.push(t);
      break;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list':
      for (const c of namedChildren(t)) targetNames(c, out);
      break;
    case 'list_splat_pattern':
    case 'list_splat':
    case 'as_pattern_target': {
      const inner = firstNamed(t);
      if (inner) targetNames(inner, out);
      break;
    }
  }
  return out;
}

/** Statement-level and expression-level collection for one scope (nested scopes recurse). */
function collect(node: PyNode, scope: Scope, tree: ScopeTree, cls: ClassInfo | undefined): void {
  const stack: PyNode[] = [];
  for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  while (stack.length) {
    const n = stack.pop()!;
    // Keywords share type names with nodes (`lambda`, `await`, `import`): only named nodes count.
    if (!n.named) continue;
    switch (n.type) {
      case 'function_definition':
        defineFunction(n, scope, tree, cls, []);
        continue;
      case 'decorated_definition': {
        const def = field(n, 'definition');
        const decorators = n.children.filter((c) => c.type === 'decorator').map((d) => firstNamed(d)).filter((d): d is PyNode => !!d);
        for (const d of decorators) stack.push(d);
        if (def?.type === 'function_definition') defineFunction(def, scope, tree, cls, decorators);
        else if (def?.type === 'class_definition') defineClass(def, scope, tree);
        continue;
      }
      case 'class_definition':
        defineClass(n, scope, tree);
        continue;
      case 'lambda':
        defineLambda(n, scope, tree);
        continue;
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        defineComprehension(n, scope, tree);
        continue;
      case 'import_statement':
        for (const c of fields(n, 'name')) bindImport(scope, c, n, false, '');
        continue;
      case 'import_from_statement': {
        const mod = field(n, 'module_name');
        const modText = mod ? moduleText(mod) : '';
        for (const c of fields(n, 'name')) bindImport(scope, c, n, true, modText);
        continue;
      }
      case 'global_statement':
        for (const c of namedChildren(n)) if (c.type === 'identifier') scope.globals.add(text(c));
        continue;
      case 'nonlocal_statement':
        for (const c of namedChildren(n)) if (c.type === 'identifier') scope.nonlocals.add(text(c));
        continue;
      case 'assignment':
        bindAssignment(n, scope, cls);
        break;
      case 'augmented_assignment': {
        const left = field(n, 'left');
        if (left?.type === 'identifier') bind(scope, text(left), { kind: 'other', node: n, pos: n.start });
        break;
      }
      case 'named_expression': {
        const name = field(n, 'name');
        const value = field(n, 'value');
        // A walrus in a comprehension binds in the enclosing function scope.
        let s = scope;
        while (s.kind === 'comprehension' && s.parent) s = s.parent;
        if (name) bind(s, text(name), { kind: 'assign', value, target: name, node: n, pos: n.start });
        break;
      }
      case 'for_statement': {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (left && right) {
          const isAsync = hasChild(n, 'async');
          const names = targetNames(left);
          for (const id of names) {
            bind(scope, text(id), names.length === 1 && unparen(left).type === 'identifier' ? { kind: 'for', iter: right, isAsync, node: n, pos: n.start } : { kind: 'other', node: n, pos: n.start });
          }
        }
        break;
      }
      case 'with_item': {
        const value = field(n, 'value');
        if (value?.type === 'as_pattern') {
          const expr = firstNamed(value);
          const alias = field(value, 'alias');
          const isAsync = !!n.parent?.parent && hasChild(n.parent.parent, 'async');
          if (expr && alias) {
            const names = targetNames(alias);
            for (const id of names) {
              bind(scope, text(id), names.length === 1 ? { kind: 'with', value: expr, isAsync, node: n, pos: n.start } : { kind: 'other', node: n, pos: n.start });
            }
          }
        }
        break;
      }
      case 'except_clause': {
        const value = field(n, 'value');
        if (value?.type === 'as_pattern') {
          const alias = field(value, 'alias');
          if (alias) for (const id of targetNames(alias)) bind(scope, text(id), { kind: 'other', node: n, pos: n.start });
        }
        break;
      }
    }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

let currentText = '';

function text(n: PyNode): string {
  return currentText.slice(n.start, n.end);
}

/** Builds the scopes of one file; `source` is the file text the node offsets index into. */
export function buildScopes(root: PyNode, source: string): ScopeTree {
  const previous = currentText;
  currentText = source;
  try {
    return build(root);
  } finally {
    currentText = previous;
  }
}

function moduleText(mod: PyNode): string {
  // relative_import text is `.`, `..models`; dotted_name is `app.crud`
  return text(mod).replace(/\s+/g, '');
}

function bindImport(scope: Scope, c: PyNode, stmt: PyNode, from: boolean, fromModule: string): void {
  let nameNode = c;
  let alias: PyNode | undefined;
  if (c.type === 'aliased_import') {
    nameNode = field(c, 'name') ?? c;
    alias = field(c, 'alias');
  }
  const dotted = text(nameNode).replace(/\s+/g, '');
  if (from) {
    bind(scope, alias ? text(alias) : dotted, { kind: 'import', module: fromModule, name: dotted, node: stmt, pos: stmt.start });
  } else if (alias) {
    bind(scope, text(alias), { kind: 'import', module: dotted, node: stmt, pos: stmt.start });
  } else {
    // `import a.b.c` binds `a` to the top-level package.
    const top = dotted.split('.')[0];
    bind(scope, top, { kind: 'import', module: top, node: stmt, pos: stmt.start });
  }
}

function bindAssignment(n: PyNode, scope: Scope, cls: ClassInfo | undefined): void {
  const left = field(n, 'left');
  let right = field(n, 'right');
  const annotation = field(n, 'type');
  if (!left) return;
  // `a = b = value`: the innermost right-hand side is the value of every target.
  while (right?.type === 'assignment') right = field(right, 'right');
  const l = unparen(left);
  if (l.type === 'identifier') {
    bind(scope, text(l), { kind: 'assign', value: right, annotation, target: l, node: n, pos: n.start });
    if (scope.kind === 'class' && cls) addAttr(cls, text(l), { value: right, annotation, scope });
    return;
  }
  if (l.type === 'attribute') {
    // `self.session = session` inside a method.
    const obj = field(l, 'object');
    const attr = field(l, 'attribute');
    const fn = scope.fn;
    if (obj?.type === 'identifier' && attr && fn?.cls && fn.params[0] && text(obj) === fn.params[0].name && fn.kind === 'method') {
      addAttr(fn.cls, text(attr), { value: right, annotation, scope });
    }
    return;
  }
  for (const id of targetNames(l)) bind(scope, text(id), { kind: 'other', node: n, pos: n.start });
}

function addAttr(cls: ClassInfo, name: string, b: AttrBinding): void {
  const list = cls.attrs.get(name);
  if (list) list.push(b);
  else cls.attrs.set(name, [b]);
}

function defineFunction(n: PyNode, scope: Scope, tree: ScopeTree, cls: ClassInfo | undefined, decorators: PyNode[]): void {
  const nameNode = field(n, 'name');
  const simpleName = nameNode ? text(nameNode) : undefined;
  const fnScope = newScope('function', n, scope);
  const decoratorNames = decorators.map((d) => text(d));
  const kind: FunctionInfo['kind'] = !cls
    ? 'function'
    : decoratorNames.includes('staticmethod')
      ? 'staticmethod'
      : decoratorNames.includes('classmethod')
        ? 'classmethod'
        : 'method';
  const fn: FunctionInfo = {
    id: -1,
    node: n,
    name: cls && simpleName ? `${cls.name}.${simpleName}` : simpleName,
    simpleName,
    nameNode,
    isAsync: hasChild(n, 'async'),
    isLambda: false,
    scope: fnScope,
    cls,
    parent: enclosingFunction(scope),
    decorators,
    params: [],
    body: field(n, 'body'),
    isGenerator: false,
    kind,
  };
  fnScope.fn = fn;
  tree.functions.push(fn);
  tree.scopeOf.set(n, fnScope);
  tree.functionOf.set(n, fn);
  if (simpleName) bind(scope, simpleName, { kind: 'function', fn, pos: n.start });
  if (cls && simpleName && scope.kind === 'class') cls.methods.set(simpleName, fn);
  const params = field(n, 'parameters');
  if (params) collectParams(params, fn, scope, tree);
  const returnType = field(n, 'return_type');
  if (returnType) collect(returnType, scope, tree, undefined);
  if (fn.body) {
    fn.isGenerator = containsYield(fn.body);
    collect(fn.body, fnScope, tree, undefined);
  }
}

function defineLambda(n: PyNode, scope: Scope, tree: ScopeTree): void {
  const fnScope = newScope('function', n, scope);
  const fn: FunctionInfo = {
    id: -1,
    node: n,
    isAsync: false,
    isLambda: true,
    scope: fnScope,
    parent: enclosingFunction(scope),
    decorators: [],
    params: [],
    body: field(n, 'body'),
    isGenerator: false,
    kind: 'function',
  };
  fnScope.fn = fn;
  tree.functions.push(fn);
  tree.scopeOf.set(n, fnScope);
  tree.functionOf.set(n, fn);
  const params = field(n, 'parameters');
  if (params) collectParams(params, fn, scope, tree);
  if (fn.body) collect({ ...fn.body, children: [fn.body] }, fnScope, tree, undefined);
}

function collectParams(params: PyNode, fn: FunctionInfo, outer: Scope, tree: ScopeTree): void {
  let index = 0;
  for (const p of namedChildren(params)) {
    let nameNode: PyNode | undefined;
    let annotation: PyNode | undefined;
    let dflt: PyNode | undefined;
    let star: ParamInfo['star'] = '';
    switch (p.type) {
      case 'identifier':
        nameNode = p;
        break;
      case 'typed_parameter': {
        const inner = firstNamed(p);
        annotation = field(p, 'type');
        if (inner?.type === 'identifier') nameNode = inner;
        else if (inner?.type === 'list_splat_pattern' || inner?.type === 'dictionary_splat_pattern') {
          nameNode = firstNamed(inner);
          star = inner.type === 'list_splat_pattern' ? '*' : '**';
        }
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter':
        nameNode = field(p, 'name');
        annotation = field(p, 'type');
        dflt = field(p, 'value');
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        nameNode = firstNamed(p);
        star = p.type === 'list_splat_pattern' ? '*' : '**';
        break;
      default:
        continue;
    }
    // Defaults and annotations are evaluated in the enclosing scope.
    if (dflt) collect({ ...dflt, children: [dflt] }, outer, tree, undefined);
    if (!nameNode || nameNode.type !== 'identifier') continue;
    const param: ParamInfo = { name: text(nameNode), node: p, nameNode, annotation, default: dflt, index: index++, star };
    fn.params.push(param);
    bind(fn.scope, param.name, { kind: 'param', param, fn, pos: p.start });
  }
}

function defineClass(n: PyNode, scope: Scope, tree: ScopeTree): void {
  const nameNode = field(n, 'name');
  const name = nameNode ? text(nameNode) : '';
  const classScope = newScope('class', n, scope);
  const supers = field(n, 'superclasses');
  const bases = supers ? namedChildren(supers).filter((b) => b.type !== 'keyword_argument') : [];
  const cls: ClassInfo = { node: n, name, scope: classScope, outer: scope, bases, methods: new Map(), attrs: new Map() };
  classScope.cls = cls;
  tree.classes.push(cls);
  tree.scopeOf.set(n, classScope);
  tree.classOf.set(n, cls);
  if (name) bind(scope, name, { kind: 'class', cls, pos: n.start });
  if (supers) collect(supers, scope, tree, undefined);
  const body = field(n, 'body');
  if (body) collect(body, classScope, tree, cls);
}

function defineComprehension(n: PyNode, scope: Scope, tree: ScopeTree): void {
  const compScope = newScope('comprehension', n, scope);
  tree.scopeOf.set(n, compScope);
  let first = true;
  for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
    const c = cs[ci];
    if (c.type === 'for_in_clause') {
      const left = field(c, 'left');
      const right = field(c, 'right');
      // The first iterable is evaluated in the enclosing scope.
      if (right) collect({ ...right, children: [right] }, first ? scope : compScope, tree, undefined);
      if (left && right) {
        const isAsync = hasChild(c, 'async');
        const names = targetNames(left);
        for (const id of names) {
          bind(compScope, text(id), names.length === 1 && unparen(left).type === 'identifier' ? { kind: 'for', iter: right, isAsync, node: c, pos: c.start } : { kind: 'other', node: c, pos: c.start });
        }
      }
      first = false;
    } else if (c.named) {
      collect({ ...c, children: [c] }, compScope, tree, undefined);
    }
  }
}

function enclosingFunction(scope: Scope): FunctionInfo | undefined {
  let s: Scope | undefined = scope;
  while (s) {
    if (s.fn) return s.fn;
    s = s.parent;
  }
  return undefined;
}

function containsYield(body: PyNode): boolean {
  const stack = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'yield' && n.named) return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
    for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
      const c = cs[ci];
      stack.push(c);
    }
  }
  return false;
}

/**
 * The binding(s) a name refers to from `scope`, following Python's rules. Class scopes are skipped
 * when looking up from inside a method; `global` goes straight to the module.
 */
export function lookup(scope: Scope, name: string): { scope: Scope; bindings: Binding[] } | undefined {
  let s: Scope | undefined = scope;
  let first = true;
  while (s) {
    if (s.globals.has(name)) {
      const root = rootScope(s);
      const b = root.bindings.get(name);
      return b ? { scope: root, bindings: b } : undefined;
    }
    if (s.kind !== 'class' || first) {
      const b = s.bindings.get(name);
      if (b && !s.nonlocals.has(name)) return { scope: s, bindings: b };
    }
    first = false;
    s = s.parent;
  }
  return undefined;
}
