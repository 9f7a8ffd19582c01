import ts from 'typescript';
import type { Config } from '../../core/config';
import { matchCalleePattern } from '../../core/config';
import type {
  BlockFact,
  CallFact,
  CallTarget,
  ClassFact,
  ExportFact,
  Effect,
  FileFacts,
  FunctionFact,
  Language,
  LoopFact,
  OffsetFact,
  OperationKind,
  Span,
  StatementFact,
} from '../../core/model';
import type { FileSummary, ProjectIndex } from '../../core/project';
import { looksLikeSql, sqlOffsets, sqlOperation, sqlTables } from '../../core/sql-scan';
import type { MethodSpec } from '../../core/knowledge/types';
import {
  FALLBACK_NAMES,
  FALLBACK_SUFFIXES,
  GLOBAL_FUNCTIONS,
  NEST_CONTROLLER_DECORATORS,
  NEST_ROUTE_DECORATORS,
  SLEEP_FUNCTIONS,
  TS_DEFAULTS,
  TS_MODULES,
  methodSpec,
  propertyType,
  typeSpec,
} from '../../core/knowledge/typescript';
import type { Binding } from './scope';
import { ModuleScope, Scope } from './scope';
import { sqlFromLiteral } from './sql-literal';
import { getMaxDepth } from '../depth';
import type { FactNumbering } from '../move-facts';
import { moveFact } from '../move-facts';

/** The enum read once: the module exports it through a getter, and the walk reads it on every node. */
const SK = ts.SyntaxKind;
/** Shared by the many calls outside loops (never mutated). */
const NO_LOOPS: number[] = [];
const NO_NAMES: string[] = [];
const NO_SPAN: Span = { start: 0, end: 0 };

/** Array methods whose callback runs once per element. */
const ITERATION_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
/** Of those, callbacks that all start in the same tick (reduce chains through its accumulator). */
const SEQUENTIAL_ITERATION = new Set(['reduce', 'reduceRight']);
/** Promise-library loops: `pMap(xs, fn)`, `Bluebird.map(xs, fn)`. */
const LOOP_FUNCTIONS = new Set(['pMap', 'pMapSeries', 'mapSeries', 'eachSeries', 'mapLimit', 'eachLimit']);
/** Names that take a query result out of a queue: `while (queue.length) { const job = queue.shift(); … }`. */
const DEQUEUE_METHODS = new Set(['shift', 'pop', 'dequeue', 'poll']);
/** Method decorators that run the whole method in one transaction (NestJS/typeorm-transactional, Vendure, Medusa, MikroORM). */
const TRANSACTION_DECORATOR = /^(Transactional|Transaction|InjectTransactionManager|UseTransaction|WithTransaction|RunInTransaction)$/;
/** Arguments that hand a helper one transaction or connection: `loadRows(trx, id)`. */
const TRANSACTION_ARGUMENT = /^(trx|tx|transaction|transacting|queryRunner|session)\d*$/;
/** Raw-SQL method names whose first argument decides read/write even when the receiver is unknown. */
const RAW_SQL_METHODS = new Set(['query', 'execute', 'raw', 'exec', 'none', 'any', 'one', 'many', 'oneOrNone', 'manyOrNone']);
const MUTATING_METHODS = new Set(['push', 'set', 'add', 'unshift', 'splice', 'assign', 'delete', 'clear']);

interface ClassInfo {
  name: string;
  node: ts.ClassLikeDeclaration;
  /** Where the class is declared: its property annotations name types there. */
  scope: Scope;
  methods: Map<string, ts.Node>;
  staticMethods: Map<string, ts.Node>;
  props: Map<string, Binding>;
  /** Knowledge type of instances / the class value when it extends a known base. */
  baseInstance?: string;
  baseStatic?: string;
  isController: boolean;
}

interface FunctionCtx {
  id: number;
  node: ts.Node;
  loops: number[];
  /** An await was seen in the current innermost loop body. */
  awaitSeen: boolean;
  cls?: ClassInfo;
  /** `@Transactional()`-like decorator: every query of the method runs on one transaction. */
  transaction?: string;
}

export interface CallRecord {
  fact: CallFact;
  node: ts.Node;
  /** Resolved later: a call to a function of this file. */
  localTarget?: ts.Node;
  /** Resolved later: `this.method()` / `new X().method()` on a class of this file. */
  localMethod?: { cls: string; name: string };
}

/**
 * What a piece of code reads and writes, gathered during the one walk so that statements, calls
 * and loop bodies know their names without walking their subtrees again (deep nesting stays linear).
 */
interface Accumulator {
  /** `inline`: a callback that runs as part of its caller (`rows.forEach(…)`): its writes count for the statement. */
  kind: 'stmt' | 'loop' | 'function' | 'inline' | 'switch';
  // Sets are created on first use: most statements write nothing, and allocation dominated the walk.
  writes?: Set<string>;
  /** Names assigned as a whole (`cursor = …`, `page++`), not through a property. */
  reassigned?: Set<string>;
  declared?: Set<string>;
  /** Identifiers used as an index (`xs[i]`). */
  indexed?: Set<string>;
  /** A return/throw that leaves the enclosing function. */
  leaves: boolean;
  /** A break/continue that leaves this statement. */
  jumps: boolean;
  continues: boolean;
  /** `const job = queue.shift()`: the collection drained. */
  dequeued?: string;
}

function union(into: Set<string> | undefined, from: Set<string> | undefined): Set<string> | undefined {
  if (!from) return into;
  if (!into) return from;
  if (from.size > into.size) {
    for (const x of into) from.add(x);
    return from;
  }
  for (const x of from) into.add(x);
  return into;
}

function newAcc(kind: Accumulator['kind']): Accumulator {
  return { kind, leaves: false, jumps: false, continues: false };
}

function addName(acc: Accumulator | undefined, key: 'writes' | 'reassigned' | 'declared' | 'indexed', name: string): void {
  if (acc) (acc[key] ??= new Set()).add(name);
}

/** Root names read anywhere under `node` (closures included), computed only where a rule needs them. */
function collectReads(nodes: readonly ts.Node[]): string[] {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      if (isReadPosition(n)) out.add(n.text);
      return;
    }
    if (ts.isShorthandPropertyAssignment(n)) out.add(n.name.text);
    if (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) return;
    n.forEachChild(visit);
  };
  for (const n of nodes) visit(n);
  return [...out];
}

interface StmtRecord {
  fact: StatementFact;
  acc: Accumulator;
  topAwait?: ts.AwaitExpression;
  awaits: number;
}

export interface ExtractResult {
  facts: FileFacts;
}

/**
 * What walking one part of the file did beyond making its facts, in order, so that taking the
 * part's facts over can do it again (statement-reuse.ts): functions it marked as handlers, names it
 * exported or declared at module level, classes it declared, class properties it read (their types
 * are resolved on first use), type dependencies it found.
 */
export type UnitEvent =
  | { k: 'handler'; node: ts.Node }
  | { k: 'export'; name: string; local: string }
  | { k: 'declare'; name: string; binding: Binding }
  | { k: 'class'; name: string; info: ClassInfo }
  | { k: 'prop'; cls: string; name: string }
  | { k: 'dep'; key: string; dep: { specifier: string; name: string; fallback?: string } };

/**
 * The facts one top-level statement or class member contributed, with positions relative to its
 * start and ids relative to its first function, loop and call: the same record serves wherever the
 * part is later. Calls are as before linking to local targets (linking fills them in place).
 */
export interface UnitRecord {
  functions: FunctionFact[];
  functionNodes: ts.Node[];
  loops: LoopFact[];
  calls: CallRecord[];
  blocks: BlockFact[];
  offsets: OffsetFact[];
  events: UnitEvent[];
  /**
   * Not movable: its facts name an anonymous class by position (`<anonymous@120>`), or hold a
   * position outside the part (an offset traced to a module-level value), which moves with
   * another statement.
   */
  positional: boolean;
}

export class Extractor {
  private readonly functions: FunctionFact[] = [];
  private readonly loops: LoopFact[] = [];
  private readonly calls: CallRecord[] = [];
  private readonly blocks: BlockFact[] = [];
  private readonly offsets: OffsetFact[] = [];
  private readonly notes: string[] = [];
  private readonly functionIds = new Map<ts.Node, number>();
  /** The node of each function fact, by id. */
  private readonly functionNodes: ts.Node[] = [];
  /** While a part of the file is walked for statement reuse: what it does besides facts. */
  private log: UnitEvent[] | undefined;
  private readonly classes = new Map<string, ClassInfo>();
  private readonly handlerNodes = new Set<ts.Node>();
  private readonly inlineNodes = new Set<ts.Node>();
  /** Loop callbacks: function node → loop id (the callback body is the loop body). */
  private readonly loopCallbacks = new Map<ts.Node, number>();
  /** Functions handed to `$transaction`-like methods: the first parameter's type. */
  private readonly callbackParamTypes = new Map<ts.Node, string>();
  /** Loop callbacks over a typed list: the element type of the first parameter. */
  private readonly elementParamTypes = new Map<ts.Node, string>();
  /** Object literals with `skip`/`offset` kept in a variable, to report when passed to a finder. */
  private readonly pagingObjects = new Map<ts.Node, ts.ObjectLiteralExpression>();
  private readonly moduleScope = new ModuleScope();
  private scope: Scope = this.moduleScope;
  private fn: FunctionCtx | undefined;
  private readonly accStack: Accumulator[] = [];
  private readonly callByNode = new Map<ts.Node, CallRecord>();
  private readonly typeDeps = new Map<string, { specifier: string; name: string; fallback?: string }>();
  private readonly stmtStack: StmtRecord[] = [];
  private clsStack: ClassInfo[] = [];
  private depth = 0;
  private readonly maxDepth = getMaxDepth();
  /** Export name → local name (`export { a as b }`, `module.exports = { … }`). */
  readonly exportNames = new Map<string, string>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly file: string,
    private readonly language: Language,
    private readonly config: Config,
    private readonly project?: ProjectIndex,
  ) {}

  run(): ExtractResult {
    this.hoist(this.sf.statements, this.moduleScope);
    return this.walkWhole();
  }

  /** After the module is hoisted: the whole walk, as `run` does. */
  walkWhole(): ExtractResult {
    this.visitStatementList(this.sf.statements, this.sf);
    return this.finish();
  }

  /** Handler marks and local call targets, once every part is walked or taken over. */
  finish(): ExtractResult {
    for (const node of this.handlerNodes) {
      const id = this.functionIds.get(node);
      if (id !== undefined) this.functions[id].isHandler = true;
    }
    this.linkLocalTargets();
    const facts: FileFacts = {
      file: this.file,
      language: this.language,
      text: this.sf.text,
      functions: this.functions,
      loops: this.loops,
      calls: this.calls.map((c) => c.fact),
      blocks: this.blocks,
      offsets: this.offsets,
      notes: this.notes,
      exports: this.exportFacts(),
      classes: this.classFacts(),
      typeDependencies: [...this.typeDeps.values()],
    };
    return { facts };
  }

  // ---------------------------------------------------------------- parts, for statement reuse

  /**
   * The editor's walk, part by part (statement-reuse.ts): hoists the module and says whether its
   * statements can be walked one at a time. Not when two top-level awaits make the module one block
   * of sequential-awaits facts, nor when a top-level object of paging options is used up by the
   * first call that passes it (an order between statements that parts cannot keep).
   */
  beginParts(): boolean {
    this.hoist(this.sf.statements, this.moduleScope);
    let awaits = 0;
    for (const st of this.sf.statements) if (topLevelAwait(st) && ++awaits >= 2) return false;
    if (this.pagingObjects.size > 0) return false;
    this.moduleScope.onDeclare = (name, binding) => this.log?.push({ k: 'declare', name, binding });
    return true;
  }

  /** Walks one top-level statement, as the whole walk does. */
  walkStatement(st: ts.Statement): UnitRecord {
    return this.recordPart(st, () => this.visitListStatement(st, false, { span: NO_SPAN, statements: [] }));
  }

  /**
   * Walks a top-level class as the whole walk does, member by member: `reuse` gives the record of a
   * member to take over instead of walking it. Returns a record per member, then the heritage's.
   */
  walkClass(st: ts.ClassDeclaration, reuse: (m: ts.ClassElement) => UnitRecord | undefined): UnitRecord[] {
    const parts: UnitRecord[] = [];
    this.stmtStack.push({ fact: { span: NO_SPAN, otherAwait: false, namesRead: [], namesWritten: [], exits: false }, acc: newAcc('stmt'), awaits: 0 });
    this.depth++;
    this.clsStack.push(this.classInfo(st));
    try {
      for (const m of st.members) {
        const kept = reuse(m);
        if (kept) this.adopt(kept, m.getStart(this.sf));
        parts.push(kept ?? this.recordPart(m, () => this.visit(m)));
      }
      parts.push(this.recordPart(st, () => {
        for (const h of st.heritageClauses ?? []) for (const t of h.types) this.visit(t.expression);
      }));
    } finally {
      this.clsStack.pop();
      this.depth--;
      this.stmtStack.pop();
    }
    return parts;
  }

  private recordPart(part: ts.Node, walk: () => void): UnitRecord {
    const start = part.getStart(this.sf);
    const base = { fns: this.functions.length, loops: this.loops.length, calls: this.calls.length, blocks: this.blocks.length, offsets: this.offsets.length };
    const events: UnitEvent[] = [];
    this.log = events;
    try {
      walk();
    } finally {
      this.log = undefined;
    }
    let outside = false;
    const relative = partNumbering(this.file, -start, -base.fns, -base.calls, -base.loops);
    const n: FactNumbering = {
      ...relative,
      pos: (p) => {
        if (p < start || p > part.end) outside = true;
        return p - start;
      },
    };
    const functions = this.functions.slice(base.fns).map((f) => ({ ...moveFact(f, n), id: f.id - base.fns }));
    const calls = this.calls.slice(base.calls).map((c) => ({ ...c, fact: { ...moveFact(c.fact, n), id: c.fact.id - base.calls } }));
    const loops = this.loops.slice(base.loops).map((l) => ({ ...moveFact(l, n), id: l.id - base.loops }));
    const blocks = this.blocks.slice(base.blocks).map((b) => moveFact(b, n));
    const offsets = this.offsets.slice(base.offsets).map((o) => moveFact(o, n));
    const anonymous = (name: string | undefined) => !!name?.startsWith('<anonymous@');
    const positional =
      outside ||
      functions.some((f) => f.name?.includes('<anonymous@')) ||
      calls.some((c) => anonymous(c.localMethod?.cls)) ||
      events.some((e) => (e.k === 'class' && anonymous(e.name)) || (e.k === 'prop' && anonymous(e.cls)));
    return { functions, functionNodes: this.functionNodes.slice(base.fns), loops, calls, blocks, offsets, events, positional };
  }

  /** Takes a part's facts over at `start`, and does again what walking it did besides. */
  adopt(rec: UnitRecord, start: number): void {
    const base = { fns: this.functions.length, loops: this.loops.length, calls: this.calls.length };
    const n = partNumbering(this.file, start, base.fns, base.calls, base.loops);
    for (const e of rec.events) this.replay(e);
    rec.functions.forEach((f, i) => {
      const node = rec.functionNodes[i];
      this.functions.push({ ...moveFact(f, n), id: base.fns + i, isHandler: this.handlerNodes.has(node) });
      this.functionIds.set(node, base.fns + i);
      this.functionNodes.push(node);
    });
    for (const l of rec.loops) this.loops.push({ ...moveFact(l, n), id: l.id + base.loops });
    for (const c of rec.calls) this.calls.push({ ...c, fact: { ...moveFact(c.fact, n), id: c.fact.id + base.calls } });
    for (const b of rec.blocks) this.blocks.push(moveFact(b, n));
    for (const o of rec.offsets) this.offsets.push(moveFact(o, n));
  }

  private replay(e: UnitEvent): void {
    switch (e.k) {
      case 'handler':
        return void this.handlerNodes.add(e.node);
      case 'export':
        return void this.exportNames.set(e.name, e.local);
      case 'declare':
        return this.moduleScope.declare(e.name, e.binding);
      case 'class':
        return void this.classes.set(e.name, e.info);
      case 'prop': {
        const info = this.classes.get(e.cls);
        if (info) this.classProp(info, e.name);
        return;
      }
      case 'dep':
        if (!this.typeDeps.has(e.key)) this.typeDeps.set(e.key, e.dep);
        return;
    }
  }

  // ---------------------------------------------------------------- spans and text

  private span(node: ts.Node): Span {
    return { start: node.getStart(this.sf), end: node.getEnd() };
  }

  private text(node: ts.Node): string {
    return node.getText(this.sf);
  }

  /** `prisma.user.findMany` for a callee, without call arguments and whitespace. */
  private calleeText(node: ts.Expression): string {
    const parts: string[] = [];
    let e: ts.Expression = node;
    for (let i = 0; i < 12; i++) {
      e = skipOuter(e);
      if (ts.isPropertyAccessExpression(e)) {
        parts.unshift(e.name.text);
        e = e.expression;
      } else if (ts.isCallExpression(e)) {
        e = e.expression;
        if (parts.length) parts[0] = parts[0];
      } else if (ts.isIdentifier(e)) {
        parts.unshift(e.text);
        break;
      } else if (e.kind === SK.ThisKeyword) {
        parts.unshift('this');
        break;
      } else if (ts.isElementAccessExpression(e)) {
        parts.unshift('[]');
        e = e.expression;
      } else {
        parts.unshift('…');
        break;
      }
    }
    return parts.join('.');
  }

  // ---------------------------------------------------------------- hoisting

  /** Declares imports, functions, classes and top-level consts before walking a statement list. */
  private hoist(statements: ts.NodeArray<ts.Statement>, scope: Scope): void {
    for (const st of statements) {
      if (ts.isImportDeclaration(st)) this.declareImport(st, scope);
      else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
        const spec = st.moduleReference.expression;
        if (ts.isStringLiteral(spec)) scope.declare(st.name.text, this.moduleBinding(spec.text, false));
      } else if (ts.isFunctionDeclaration(st) && st.name) {
        scope.declare(st.name.text, { localFunction: st, known: true, decl: st });
      } else if (ts.isClassDeclaration(st) && st.name) {
        const info = this.classInfo(st);
        scope.declare(st.name.text, { typeId: `static:${info.name}`, known: true, decl: st });
      }
    }
    for (const st of statements) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) this.declareVariable(d, scope);
      }
    }
  }

  private declareImport(st: ts.ImportDeclaration, scope: Scope): void {
    if (!ts.isStringLiteral(st.moduleSpecifier) || !st.importClause) return;
    const spec = st.moduleSpecifier.text;
    const clause = st.importClause;
    const moduleType = TS_MODULES.get(spec);
    const project = this.projectModule(spec);
    if (clause.name) {
      const name = clause.name.text;
      if (isRelative(spec)) scope.declare(name, { ...this.projectTypeBinding(project, 'default'), importRef: { specifier: spec, name: 'default' }, decl: clause.name });
      else scope.declare(name, { ...this.moduleBinding(spec, true), decl: clause.name });
    }
    const nb = clause.namedBindings;
    if (!nb) return;
    if (ts.isNamespaceImport(nb)) {
      if (isRelative(spec)) scope.declare(nb.name.text, { projectModule: project, importModule: spec, known: true, decl: nb.name });
      else scope.declare(nb.name.text, { ...this.moduleBinding(spec, false), decl: nb.name });
      return;
    }
    for (const el of nb.elements) {
      const imported = (el.propertyName ?? el.name).text;
      const local = el.name.text;
      if (isRelative(spec)) {
        scope.declare(local, { ...this.projectTypeBinding(project, imported), importRef: { specifier: spec, name: imported }, decl: el.name });
      } else if (moduleType) {
        scope.declare(local, { ...this.memberBinding(moduleType, imported), decl: el.name });
      } else if (isRelative(spec)) {
        // A file of this project that is not in the analysed set: nothing is known, names may still fall back.
        scope.declare(local, { decl: el.name });
      } else {
        scope.declare(local, { decl: el.name });
      }
    }
  }

  private moduleBinding(spec: string, isDefault: boolean): Binding {
    if (isRelative(spec)) {
      const project = this.projectModule(spec);
      return isDefault ? { ...this.projectTypeBinding(project, 'default'), importRef: { specifier: spec, name: 'default' } } : { projectModule: project, importModule: spec, known: true };
    }
    const typeId = (isDefault ? TS_DEFAULTS.get(spec) : undefined) ?? TS_MODULES.get(spec);
    if (typeId) return { typeId, known: true };
    return isRelative(spec) || spec.startsWith('node:') ? { known: false } : {};
  }

  private memberBinding(typeId: string, name: string): Binding {
    const prop = propertyType(typeId, name);
    const method = methodSpec(typeId, name);
    return { typeId: prop, memberOf: method ? { typeId, name } : undefined, known: true };
  }

  private projectModule(spec: string): FileSummary | undefined {
    if (!this.project || !isRelative(spec)) return undefined;
    return this.project.resolveModule(this.file, spec, this.language);
  }

  /**
   * The type an import of the project has, when the project's summaries are known (a typed client,
   * a class): functions and members are left to linking, which needs no types.
   */
  private projectTypeBinding(summary: FileSummary | undefined, name: string): Binding {
    if (!summary) return {};
    const b = this.projectExportBinding(summary, name);
    return { typeId: b.typeId, known: b.typeId ? true : undefined };
  }

  private projectExportBinding(summary: FileSummary, name: string, depth = 0): Binding {
    const ex = summary.exports[name];
    if (!ex) return { known: true };
    if (ex.reexport && depth < 4) {
      const target = this.project?.resolveModule(summary.file, ex.reexport.specifier, this.language);
      if (target) return this.projectExportBinding(target, ex.reexport.name, depth + 1);
      return {};
    }
    // Functions and objects of functions are resolved by linking (call targets), not here.
    if (ex.function || ex.members) return { known: true };
    if (ex.typeId) return { typeId: ex.typeId, known: true };
    if (ex.className) return { typeId: `static:${ex.className}`, known: true };
    if (ex.instanceOf) return { typeId: `class:${ex.instanceOf}`, known: true };
    return { known: true };
  }

  private declareVariable(d: ts.VariableDeclaration, scope: Scope): void {
    const init = d.initializer ? skipOuter(d.initializer) : undefined;
    if (ts.isIdentifier(d.name)) {
      scope.declare(d.name.text, this.bindingForValue(d.name.text, init, d.type, d));
      return;
    }
    if (ts.isObjectBindingPattern(d.name) && init) {
      // `const { readFileSync } = require('fs')`, `const { user } = prisma`
      const source = this.bindingForValue('', init, undefined, d);
      for (const el of d.name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
        let b: Binding = { decl: el.name, init };
        if (source.typeId) b = { ...this.memberBinding(source.typeId, prop), decl: el.name };
        else if (source.importModule) b = { ...this.projectTypeBinding(source.projectModule, prop), importRef: { specifier: source.importModule, name: prop }, decl: el.name };
        else if (source.localObject?.has(prop)) b = { localFunction: source.localObject.get(prop), known: true, decl: el.name };
        scope.declare(el.name.text, b);
      }
      return;
    }
    for (const name of bindingNames(d.name)) scope.declare(name.text, { decl: name });
  }

  /** What a name initialised with `init` (or annotated with `type`) holds. */
  private bindingForValue(name: string, init: ts.Expression | undefined, type: ts.TypeNode | undefined, decl: ts.Node): Binding {
    const annotated = type ? this.typeFromAnnotation(type) : undefined;
    if (annotated) return { typeId: annotated, known: true, decl, init };
    if (!init) return { decl };
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { localFunction: init, known: true, decl, init };
    if (ts.isObjectLiteralExpression(init)) {
      const members = new Map<string, ts.Node>();
      for (const p of init.properties) {
        if (ts.isMethodDeclaration(p) && p.name && ts.isIdentifier(p.name)) members.set(p.name.text, p);
        else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) {
          const v = skipOuter(p.initializer);
          if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) members.set(p.name.text, v);
        } else if (ts.isShorthandPropertyAssignment(p)) {
          const b = this.scope.lookup(p.name.text) ?? this.moduleScope.lookup(p.name.text);
          if (b?.localFunction) members.set(p.name.text, b.localFunction);
        }
      }
      if (hasPagingProperty(init)) this.pagingObjects.set(decl, init);
      return { localObject: members, known: true, decl, init };
    }
    if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init) || ts.isTemplateExpression(init)) {
      return { known: true, decl, init, literal: init };
    }
    if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments.length === 1) {
      const arg = init.arguments[0];
      if (ts.isStringLiteral(arg)) return { ...this.moduleBinding(arg.text, false), decl, init };
    }
    const typeId = this.typeOf(init);
    if (typeId) return { typeId, known: true, decl, init };
    if (ts.isNewExpression(init) || ts.isArrayLiteralExpression(init) || ts.isNumericLiteral(init) || init.kind === SK.TrueKeyword || init.kind === SK.FalseKeyword) {
      return { known: true, decl, init };
    }
    return { decl, init };
  }

  private typeFromAnnotation(type: ts.TypeNode): string | undefined {
    if (ts.isArrayTypeNode(type)) {
      const el = this.typeFromAnnotation(type.elementType);
      return el ? `list:${el}` : undefined;
    }
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && /^(Array|ReadonlyArray|Set)$/.test(type.typeName.text) && type.typeArguments?.length === 1) {
      const el = this.typeFromAnnotation(type.typeArguments[0]);
      return el ? `list:${el}` : undefined;
    }
    if (ts.isUnionTypeNode(type)) {
      for (const t of type.types) {
        const r = this.typeFromAnnotation(t);
        if (r) return r;
      }
      return undefined;
    }
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const name = type.typeName;
    let valueType: string | undefined;
    if (ts.isIdentifier(name)) {
      const b = this.scope.lookup(name.text);
      valueType = b?.typeId;
      if (!valueType && b?.importRef) {
        // A class of another file: methods resolve by linking; library bases need the summaries.
        this.addTypeDep(b.importRef);
        return `import:${b.importRef.specifier}#${b.importRef.name}`;
      }
      if (!valueType && !b && this.project?.findClass(name.text)) return `class:${name.text}`;
      if (!valueType && b?.decl && this.classes.has(name.text)) return `class:${name.text}`;
    } else {
      const left = name.left;
      if (ts.isIdentifier(left)) {
        const b = this.scope.lookup(left.text);
        if (b?.typeId) valueType = propertyType(b.typeId, name.right.text);
      }
    }
    if (!valueType) return undefined;
    if (valueType.startsWith('static:')) return `class:${valueType.slice(7)}`;
    return typeSpec(valueType)?.instance;
  }

  private classInfo(node: ts.ClassLikeDeclaration): ClassInfo {
    const name = node.name?.text ?? `<anonymous@${node.pos}>`;
    const existing = this.classes.get(name);
    if (existing && existing.node === node) return existing;
    const info: ClassInfo = { name, node, scope: this.scope, methods: new Map(), staticMethods: new Map(), props: new Map(), isController: false };
    for (const h of node.heritageClauses ?? []) {
      if (h.token !== SK.ExtendsKeyword) continue;
      for (const t of h.types) {
        const baseType = this.typeOf(t.expression);
        const spec = typeSpec(baseType);
        if (spec?.subclass) {
          info.baseInstance = spec.subclass.instance;
          info.baseStatic = spec.subclass.static;
        } else if (spec?.instance) {
          info.baseInstance = spec.instance;
        } else if (baseType?.startsWith('static:')) {
          const base = this.classes.get(baseType.slice(7));
          if (base) {
            for (const [k, v] of base.methods) info.methods.set(k, v);
            info.baseInstance = base.baseInstance;
            info.baseStatic = base.baseStatic;
          }
        }
      }
    }
    info.isController = decoratorNames(node).some((d) => NEST_CONTROLLER_DECORATORS.includes(d));
    for (const m of node.members) {
      const mName = m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) ? m.name.text : undefined;
      if (ts.isMethodDeclaration(m) && mName) {
        const isStatic = m.modifiers?.some((x) => x.kind === SK.StaticKeyword);
        (isStatic ? info.staticMethods : info.methods).set(mName, m);
        if (info.isController && decoratorNames(m).some((d) => NEST_ROUTE_DECORATORS.includes(d))) this.markHandler(m);
      } else if (ts.isPropertyDeclaration(m) && mName) {
        const init = m.initializer ? skipOuter(m.initializer) : undefined;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) info.methods.set(mName, init);
        else info.props.set(mName, { propertyDecl: m } as Binding & { propertyDecl: ts.Node });
      } else if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          const isProp = p.modifiers?.some((x) => ts.isModifier(x));
          if (isProp && ts.isIdentifier(p.name)) info.props.set(p.name.text, { propertyDecl: p } as Binding & { propertyDecl: ts.Node });
        }
        // Plain JavaScript (and compiled TypeScript) sets properties in the constructor:
        // `this.itemsService = new ItemsService(…)`, `this.knex = options.knex || getDatabase()`.
        for (const st of m.body?.statements ?? []) {
          if (!ts.isExpressionStatement(st)) continue;
          const e = skipOuter(st.expression);
          if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== SK.EqualsToken) continue;
          const left = skipOuter(e.left);
          if (!ts.isPropertyAccessExpression(left) || skipOuter(left.expression).kind !== SK.ThisKeyword) continue;
          const propName = left.name.text;
          if (!info.props.has(propName)) info.props.set(propName, { propertyDecl: e } as Binding & { propertyDecl: ts.Node });
        }
      }
    }
    this.classes.set(name, info);
    this.log?.push({ k: 'class', name, info });
    return info;
  }

  /** Types of class properties are resolved lazily: annotations may name later imports. */
  private classProp(info: ClassInfo, name: string): Binding | undefined {
    const b = info.props.get(name) as (Binding & { propertyDecl?: ts.Node; resolved?: boolean }) | undefined;
    if (!b) return undefined;
    this.log?.push({ k: 'prop', cls: info.name, name });
    if (!b.resolved) {
      b.resolved = true;
      // Resolved where the class is declared, whichever method reads the property first (and
      // what resolving finds is not the reader's doing: taking a reader's facts over reads again).
      const saved = { scope: this.scope, log: this.log, cls: this.clsStack };
      this.scope = info.scope;
      this.log = undefined;
      this.clsStack = [info];
      try {
        this.resolveProp(b, name);
      } finally {
        this.scope = saved.scope;
        this.log = saved.log;
        this.clsStack = saved.cls;
      }
    }
    return b;
  }

  private resolveProp(b: Binding & { propertyDecl?: ts.Node }, name: string): void {
    const d = b.propertyDecl;
    if (d && (ts.isPropertyDeclaration(d) || ts.isParameter(d))) {
      const resolved = this.bindingForValue(name, d.initializer ? skipOuter(d.initializer) : undefined, d.type, d);
      Object.assign(b, resolved);
    } else if (d && ts.isBinaryExpression(d)) {
      // Only what the value says for itself: constructor parameters are out of scope here.
      const value = skipOuter(d.right);
      if (ts.isNewExpression(value) || ts.isCallExpression(value)) {
        const t = this.typeOf(value);
        if (t) Object.assign(b, { typeId: t, known: true, decl: d });
      }
    }
  }

  // ---------------------------------------------------------------- types of expressions

  /** The knowledge type id of an expression's value, if known. Never throws. */
  typeOf(expr: ts.Expression, depth = 0): string | undefined {
    if (depth > 40) return undefined;
    const e = skipOuter(expr);
    if (ts.isIdentifier(e)) {
      const b = this.scope.lookup(e.text);
      if (b) {
        if (b.typeId) return b.typeId;
        if (b.known) return undefined;
        if (b.init && !b.isParam && depth < 20) {
          const t = this.typeOf(b.init, depth + 1);
          if (t) return t;
        }
      }
      if (b?.localFunction || b?.localObject || b?.projectModule || b?.importModule) return undefined;
      if (b?.importRef) this.addTypeDep(b.importRef, fallbackType(e.text));
      return fallbackType(e.text);
    }
    if (e.kind === SK.ThisKeyword) {
      const cls = this.clsStack[this.clsStack.length - 1];
      return cls ? `class:${cls.name}` : undefined;
    }
    if (ts.isPropertyAccessExpression(e)) {
      const name = e.name.text;
      const inner = skipOuter(e.expression);
      if (inner.kind === SK.ThisKeyword) {
        const cls = this.clsStack[this.clsStack.length - 1];
        const prop = cls ? this.classProp(cls, name) : undefined;
        if (prop?.typeId) return prop.typeId;
        if (prop?.known) return undefined;
        if (cls?.baseInstance) {
          const t = propertyType(cls.baseInstance, name);
          if (t) return t;
        }
        return fallbackType(name);
      }
      const owner = this.typeOf(inner, depth + 1);
      if (owner) {
        if (owner.startsWith('class:') || owner.startsWith('static:')) return this.classMemberType(owner, name);
        if (owner.startsWith('import:')) return undefined;
        return propertyType(owner, name);
      }
      const ownerBinding = ts.isIdentifier(inner) ? this.scope.lookup(inner.text) : undefined;
      if (ownerBinding?.projectModule) {
        const b = this.projectExportBinding(ownerBinding.projectModule, name);
        return b.typeId;
      }
      if (ownerBinding?.known) return undefined;
      // `ctx.prisma`, `req.db`, `this.deps.knex`: an unknown owner, a well-known name.
      return fallbackType(name);
    }
    if (ts.isElementAccessExpression(e)) {
      const owner = this.typeOf(e.expression, depth + 1);
      const spec = typeSpec(owner);
      return spec?.anyProperty ?? spec?.element;
    }
    if (ts.isCallExpression(e)) {
      if (ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && ts.isStringLiteral(e.arguments[0]) && !this.scope.lookup('require')) {
        return this.moduleBinding(e.arguments[0].text, false).typeId;
      }
      return this.resolveCallee(e, depth + 1).returns;
    }
    if (ts.isTaggedTemplateExpression(e)) return undefined;
    if (ts.isNewExpression(e)) {
      const ctor = skipOuter(e.expression);
      const cb = ts.isIdentifier(ctor) ? this.scope.lookup(ctor.text) : undefined;
      if (cb?.importRef && !cb.typeId) {
        this.addTypeDep(cb.importRef);
        return `import:${cb.importRef.specifier}#${cb.importRef.name}`;
      }
      const t = this.typeOf(e.expression, depth + 1);
      if (!t) return undefined;
      if (t.startsWith('static:')) return `class:${t.slice(7)}`;
      return typeSpec(t)?.construct;
    }
    if (ts.isAwaitExpression(e)) {
      const t = this.typeOf(e.expression, depth + 1);
      // Awaiting a lazy builder yields its rows, not the builder (`(await knex('t')).map(…)` is an array).
      const spec = typeSpec(t);
      return spec?.thenable && !spec.element ? undefined : t;
    }
    if (ts.isConditionalExpression(e)) return this.typeOf(e.whenTrue, depth + 1) ?? this.typeOf(e.whenFalse, depth + 1);
    if (ts.isBinaryExpression(e) && [SK.QuestionQuestionToken, SK.BarBarToken].includes(e.operatorToken.kind)) {
      return this.typeOf(e.left, depth + 1) ?? this.typeOf(e.right, depth + 1);
    }
    return undefined;
  }

  private classMemberType(owner: string, name: string): string | undefined {
    const isStatic = owner.startsWith('static:');
    const cls = this.classes.get(owner.slice(isStatic ? 7 : 6));
    if (cls) {
      if (!isStatic) {
        const prop = this.classProp(cls, name);
        if (prop?.typeId) return prop.typeId;
        if (cls.baseInstance) return propertyType(cls.baseInstance, name);
      } else if (cls.baseStatic) return propertyType(cls.baseStatic, name);
      return undefined;
    }
    const base = this.project?.findClassBase?.(owner.slice(isStatic ? 7 : 6));
    const baseType = isStatic ? base?.static : base?.instance;
    return baseType ? propertyType(baseType, name) : undefined;
  }

  // ---------------------------------------------------------------- call resolution

  /** Resolves what a call does and returns, from knowledge, this file and the project. */
  private resolveCallee(call: ts.CallExpression | ts.TaggedTemplateExpression, depth = 0): Resolution {
    const callee = skipOuter(ts.isCallExpression(call) ? call.expression : call.tag);
    const res: Resolution = {};
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const recv = skipOuter(callee.expression);
      res.method = name;
      res.receiver = recv;
      // `this.method()` inside a class of this file.
      if (recv.kind === SK.ThisKeyword) {
        const cls = this.clsStack[this.clsStack.length - 1];
        if (cls?.methods.has(name)) {
          res.localMethod = { cls: cls.name, name };
          return res;
        }
      }
      const recvBinding = ts.isIdentifier(recv) ? this.scope.lookup(recv.text) : undefined;
      if (recvBinding?.localObject?.has(name)) {
        res.localTarget = recvBinding.localObject.get(name);
        return res;
      }
      if (recvBinding?.importModule) {
        // `import * as repo from './repo'; repo.find()`
        const typed = recvBinding.projectModule ? this.projectExportBinding(recvBinding.projectModule, name) : undefined;
        if (!typed?.typeId) {
          res.target = { kind: 'import', specifier: recvBinding.importModule, name };
          return res;
        }
      }
      if (recvBinding?.importRef && !recvBinding.typeId && ts.isIdentifier(recv)) {
        // An import of the project: a typed client when its name says so (checked again against
        // the summaries), else an object or class whose method linking resolves.
        const fb = fallbackType(recv.text);
        this.addTypeDep(recvBinding.importRef, fb);
        if (!(fb && methodSpec(fb, name))) {
          res.target = { kind: 'import', specifier: recvBinding.importRef.specifier, name: recvBinding.importRef.name, member: name };
          return res;
        }
      }
      const recvType = this.typeOf(recv, depth + 1);
      if (recvType?.startsWith('import:')) {
        const [specifier, exportName] = splitImportType(recvType);
        res.target = { kind: 'import', specifier, name: exportName, member: name };
        return res;
      }
      if (recvType) {
        res.receiverType = recvType;
        if (recvType.startsWith('class:') || recvType.startsWith('static:')) {
          this.resolveClassMethod(recvType, name, res);
          // `this.db('users')`: no method of that name, but a property holding a callable client.
          if (!res.spec && !res.localTarget && !res.localMethod && !res.target) {
            const valueType = this.typeOf(callee, depth + 1);
            const callable = typeSpec(valueType)?.callable;
            if (callable) {
              useSpec(res, callable, valueType);
            }
          }
          return res;
        }
        const spec = methodSpec(recvType, name);
        if (spec) {
          useSpec(res, spec, recvType);
        }
        return res;
      }
      // Untyped injected services (`this.historyService.create(…)` in JavaScript or compiled
      // TypeScript): a project class named like the property, if linking finds one.
      const serviceClass = injectedClassName(recv);
      if (serviceClass) res.target = { kind: 'class', className: serviceClass, member: name };
      return res;
    }
    if (ts.isIdentifier(callee)) {
      const b = this.scope.lookup(callee.text);
      res.method = callee.text;
      if (b?.localFunction) {
        res.localTarget = b.localFunction;
        return res;
      }
      if (b?.importRef && !b.typeId) {
        res.target = { kind: 'import', specifier: b.importRef.specifier, name: b.importRef.name };
        return res;
      }
      if (b?.memberOf) {
        const spec = methodSpec(b.memberOf.typeId, b.memberOf.name);
        if (spec) {
          useSpec(res, spec, b.memberOf.typeId);
          return res;
        }
      }
      const t = b?.typeId ?? (b ? undefined : undefined);
      if (t) {
        const spec = typeSpec(t)?.callable;
        if (spec) {
          useSpec(res, spec, t);
        }
        return res;
      }
      if (!b && GLOBAL_FUNCTIONS[callee.text]) {
        res.spec = GLOBAL_FUNCTIONS[callee.text];
        return res;
      }
      if (!b || !b.known) {
        if (SLEEP_FUNCTIONS.includes(callee.text)) res.spec = { op: 'sleep' };
        // `fallback.tx` is callable (`trx('users')`)
        // An untyped parameter or variable named like a client (`trx`, `db`) resolves as typeOf does.
        const fb = b ? this.typeOf(callee, depth + 1) : fallbackType(callee.text);
        const spec = typeSpec(fb)?.callable;
        if (spec) {
          res.spec = spec;
          res.returns = spec.returns;
          res.receiverType = fb;
          res.library = typeSpec(fb)?.library;
        }
      }
      return res;
    }
    // `knex('users')` through a call result, `require('knex')(config)`
    if (ts.isCallExpression(callee)) {
      if (ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.arguments.length === 1 && ts.isStringLiteral(callee.arguments[0])) {
        const t = TS_MODULES.get(callee.arguments[0].text);
        const spec = typeSpec(t)?.callable;
        if (spec) {
          res.spec = spec;
          res.returns = spec.returns;
        }
        return res;
      }
      const t = this.typeOf(callee, depth + 1);
      const spec = typeSpec(t)?.callable;
      if (spec) {
        useSpec(res, spec, t);
      }
    }
    return res;
  }

  private resolveClassMethod(recvType: string, name: string, res: Resolution): void {
    const isStatic = recvType.startsWith('static:');
    const className = recvType.slice(isStatic ? 7 : 6);
    const cls = this.classes.get(className);
    if (cls) {
      const own = (isStatic ? cls.staticMethods : cls.methods).get(name);
      if (own) {
        res.localMethod = { cls: className, name };
        res.localTarget = own;
        return;
      }
      const base = isStatic ? cls.baseStatic : cls.baseInstance;
      if (base) {
        const spec = methodSpec(base, name);
        if (spec) {
          useSpec(res, spec, base);
        }
      }
      return;
    }
    const methods = this.project?.findClass(className);
    if (methods?.[name]) {
      res.target = { kind: 'class', className, member: name };
      return;
    }
    const base = this.project?.findClassBase?.(className);
    const baseType = isStatic ? base?.static : base?.instance;
    const spec = baseType ? methodSpec(baseType, name) : undefined;
    if (spec) {
      useSpec(res, spec, baseType);
    }
  }

  // ---------------------------------------------------------------- walking

  private visitStatementList(statements: ts.NodeArray<ts.Statement>, owner: ts.Node): void {
    // Only a block with two or more statement-level awaits can hold a group for sequential-awaits;
    // the others need no per-statement names, which keeps the walk cheap.
    let topAwaits = 0;
    for (const st of statements) if (topLevelAwait(st) && ++topAwaits >= 2) break;
    const detailed = topAwaits >= 2;
    const block: BlockFact = { functionId: this.fn?.id, span: detailed ? this.span(owner) : { start: 0, end: 0 }, statements: [] };
    for (const st of statements) this.visitListStatement(st, detailed, block);
    if (detailed) this.blocks.push(block);
  }

  private visitListStatement(st: ts.Statement, detailed: boolean, block: BlockFact): void {
    const rec: StmtRecord = {
      fact: { span: detailed ? this.span(st) : { start: 0, end: 0 }, otherAwait: false, namesRead: [], namesWritten: [], exits: false },
      acc: newAcc('stmt'),
      awaits: 0,
    };
    rec.topAwait = topLevelAwait(st);
    this.stmtStack.push(rec);
    if (detailed) this.pushAcc(rec.acc);
    this.visit(st);
    this.stmtStack.pop();
    if (detailed) {
      rec.fact.namesRead = collectReads([st]);
      rec.fact.namesWritten = [...(rec.acc.writes ?? []), ...(rec.acc.declared ?? [])];
      rec.fact.exits = rec.acc.leaves || rec.acc.jumps || rec.acc.continues;
      this.popAcc();
    }
    if (rec.topAwait) {
      const callNode = callUnder(rec.topAwait.expression);
      const callRec = callNode ? this.callByNode.get(callNode) : undefined;
      rec.fact.await = { span: this.span(rec.topAwait), exprText: this.text(rec.topAwait.expression), callId: callRec?.fact.id };
      rec.fact.otherAwait = rec.awaits > 1;
    } else {
      rec.fact.otherAwait = rec.awaits > 0;
    }
    const parentStmt = this.stmtStack[this.stmtStack.length - 1];
    if (parentStmt) parentStmt.awaits += rec.awaits;
    block.statements.push(rec.fact);
  }

  private visit(node: ts.Node): void {
    if (this.depth > this.maxDepth) {
      // Too deep for this thread's stack: analyze() reruns the file on a worker with a large stack.
      throw new RangeError('Maximum call stack size exceeded (nesting too deep)');
    }
    this.depth++;
    try {
      this.visitNode(node);
    } finally {
      this.depth--;
    }
  }

  private visitChildren(node: ts.Node): void {
    ts.forEachChild(node, (child) => {
      if (ts.isTypeNode(child) && !ts.isExpressionWithTypeArguments(child)) return;
      this.visit(child);
    });
  }

  private visitNode(node: ts.Node): void {
    switch (node.kind) {
      case SK.Block:
      case SK.ModuleBlock:
        return this.withScope(() => {
          const b = node as ts.Block;
          this.hoist(b.statements, this.scope);
          this.visitStatementList(b.statements, b);
        });
      case SK.CaseClause:
      case SK.DefaultClause: {
        const c = node as ts.CaseOrDefaultClause;
        if (ts.isCaseClause(c)) this.visit(c.expression);
        return this.visitStatementList(c.statements, c);
      }
      case SK.VariableDeclaration: {
        const d = node as ts.VariableDeclaration;
        if (d.initializer) this.visit(d.initializer);
        const acc = this.top();
        if (acc) {
          for (const n of bindingNames(d.name)) addName(acc, 'declared', n.text);
          const init = d.initializer ? skipOuter(d.initializer) : undefined;
          const call = init && ts.isAwaitExpression(init) ? skipOuter(init.expression) : init;
          if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && DEQUEUE_METHODS.has(call.expression.name.text)) {
            acc.dequeued = this.calleeText(call.expression.expression);
          }
        }
        if (this.scope !== this.moduleScope || !isTopLevel(d)) this.declareVariable(d, this.scope);
        return;
      }
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.ArrowFunction:
      case SK.MethodDeclaration:
      case SK.Constructor:
      case SK.GetAccessor:
      case SK.SetAccessor:
        return this.visitFunction(node as ts.FunctionLikeDeclaration);
      case SK.ClassDeclaration:
      case SK.ClassExpression: {
        const c = node as ts.ClassLikeDeclaration;
        const info = this.classInfo(c);
        if (ts.isClassExpression(c) && c.name) this.scope.declare(c.name.text, { typeId: `static:${info.name}`, known: true });
        this.clsStack.push(info);
        try {
          for (const m of c.members) this.visit(m);
          for (const h of c.heritageClauses ?? []) for (const t of h.types) this.visit(t.expression);
        } finally {
          this.clsStack.pop();
        }
        return;
      }
      case SK.ForOfStatement:
      case SK.ForInStatement:
        return this.visitForEachLoop(node as ts.ForOfStatement | ts.ForInStatement);
      case SK.ForStatement:
        return this.visitForLoop(node as ts.ForStatement);
      case SK.WhileStatement:
      case SK.DoStatement:
        return this.visitWhileLoop(node as ts.WhileStatement | ts.DoStatement);
      case SK.CallExpression:
      case SK.TaggedTemplateExpression:
        return this.visitCall(node as ts.CallExpression | ts.TaggedTemplateExpression);
      case SK.NewExpression: {
        const n = node as ts.NewExpression;
        this.visit(n.expression);
        // `new Promise((resolve) => …)`: the executor runs synchronously.
        if (ts.isIdentifier(n.expression) && n.expression.text === 'Promise' && n.arguments?.[0]) {
          const a = skipOuter(n.arguments[0]);
          if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) this.inlineNodes.add(a);
        }
        for (const a of n.arguments ?? []) this.visit(a);
        return;
      }
      case SK.AwaitExpression: {
        const a = node as ts.AwaitExpression;
        this.visit(a.expression);
        const stmt = this.stmtStack[this.stmtStack.length - 1];
        if (stmt) stmt.awaits++;
        if (this.fn) this.fn.awaitSeen = true;
        return;
      }
      case SK.Identifier:
        // Names read are collected on demand (collectReads), not during the walk.
        return;
      case SK.PropertyAssignment: {
        const p = node as ts.PropertyAssignment;
        if (ts.isComputedPropertyName(p.name)) this.visit(p.name);
        this.visit(p.initializer);
        return;
      }
      case SK.ShorthandPropertyAssignment: {
        return;
      }
      case SK.PropertyAccessExpression: {
        // the name after the dot is not a read of a variable
        this.visit((node as ts.PropertyAccessExpression).expression);
        return;
      }
      case SK.ImportDeclaration:
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
        return;
      case SK.ExportAssignment: {
        const e = node as ts.ExportAssignment;
        if (ts.isIdentifier(e.expression)) this.setExport('default', e.expression.text);
        this.visit(e.expression);
        return;
      }
      case SK.ExportDeclaration: {
        const e = node as ts.ExportDeclaration;
        if (e.exportClause && ts.isNamedExports(e.exportClause) && !e.moduleSpecifier) {
          for (const el of e.exportClause.elements) this.setExport(el.name.text, (el.propertyName ?? el.name).text);
        }
        return;
      }
      case SK.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        this.visitChildren(b);
        if (b.operatorToken.kind >= SK.FirstAssignment && b.operatorToken.kind <= SK.LastAssignment) this.noteAssignment(b.left);
        this.noteCommonJsExport(b);
        return;
      }
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        this.visit(u.operand);
        if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) this.noteAssignment(u.operand);
        return;
      }
      case SK.ElementAccessExpression: {
        const e = node as ts.ElementAccessExpression;
        this.visitChildren(e);
        let arg = skipOuter(e.argumentExpression);
        if (ts.isPostfixUnaryExpression(arg) || ts.isPrefixUnaryExpression(arg)) arg = skipOuter(arg.operand);
        if (ts.isBinaryExpression(arg)) arg = skipOuter(arg.left);
        if (ts.isIdentifier(arg)) addName(this.top(), 'indexed', arg.text);
        return;
      }
      case SK.ReturnStatement:
      case SK.ThrowStatement: {
        this.visitChildren(node);
        const acc = this.top();
        if (acc) acc.leaves = true;
        return;
      }
      case SK.BreakStatement:
      case SK.ContinueStatement: {
        const acc = this.top();
        if (acc) {
          acc.jumps = true;
          if (node.kind === SK.ContinueStatement) acc.continues = true;
        }
        return;
      }
      case SK.CaseBlock: {
        this.pushAcc(newAcc('switch'));
        this.visitChildren(node);
        this.popAcc();
        return;
      }
      default:
        this.visitChildren(node);
    }
  }

  private pushAcc(acc: Accumulator): void {
    this.accStack.push(acc);
  }

  /** Pops an accumulator and merges it into its parent, respecting function and loop boundaries. */
  private popAcc(): Accumulator {
    const acc = this.accStack.pop()!;
    const parent = this.accStack[this.accStack.length - 1];
    if (!parent) return acc;
    // The child's sets are not used after this point, so the larger one is kept (union by size
    // keeps deeply nested code linear-logarithmic instead of quadratic).
    if (acc.kind === 'function') return acc;
    parent.writes = union(parent.writes, acc.writes);
    if (acc.kind === 'inline') return acc;
    parent.reassigned = union(parent.reassigned, acc.reassigned);
    parent.declared = union(parent.declared, acc.declared);
    parent.indexed = union(parent.indexed, acc.indexed);
    parent.leaves ||= acc.leaves;
    parent.dequeued ??= acc.dequeued;
    if (acc.kind === 'loop') return acc;
    parent.continues ||= acc.continues;
    if (acc.kind !== 'switch') parent.jumps ||= acc.jumps;
    else parent.jumps ||= acc.continues;
    return acc;
  }

  private top(): Accumulator | undefined {
    return this.accStack[this.accStack.length - 1];
  }

  private noteAssignment(target: ts.Expression): void {
    const acc = this.top();
    if (!acc) return;
    const t = skipOuter(target);
    if (ts.isArrayLiteralExpression(t) || ts.isObjectLiteralExpression(t)) {
      for (const el of ts.isArrayLiteralExpression(t) ? t.elements : t.properties) {
        if (ts.isShorthandPropertyAssignment(el)) {
          addName(acc, 'writes', el.name.text);
          addName(acc, 'reassigned', el.name.text);
        }
        else if (ts.isPropertyAssignment(el)) this.noteAssignment(el.initializer);
        else if (ts.isSpreadElement(el) || ts.isSpreadAssignment(el)) this.noteAssignment(el.expression);
        else if (ts.isBinaryExpression(el)) this.noteAssignment(el.left);
        else if (ts.isExpression(el)) this.noteAssignment(el);
      }
      return;
    }
    const root = rootIdentifier(t);
    if (root) addName(acc, 'writes', root);
    if (ts.isIdentifier(t)) addName(acc, 'reassigned', t.text);
  }

  private withScope(f: () => void): void {
    const saved = this.scope;
    this.scope = new Scope(saved);
    try {
      f();
    } finally {
      this.scope = saved;
    }
  }

  private setExport(name: string, local: string): void {
    this.exportNames.set(name, local);
    this.log?.push({ k: 'export', name, local });
  }

  /** `module.exports = { a, b }`, `module.exports.a = …`, `exports.a = …`. */
  private noteCommonJsExport(b: ts.BinaryExpression): void {
    if (b.operatorToken.kind !== SK.EqualsToken) return;
    const left = this.text(b.left);
    const right = skipOuter(b.right);
    if (left === 'module.exports') {
      if (ts.isObjectLiteralExpression(right)) {
        for (const p of right.properties) {
          if (ts.isShorthandPropertyAssignment(p)) this.setExport(p.name.text, p.name.text);
          else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ts.isIdentifier(p.initializer)) this.setExport(p.name.text, p.initializer.text);
        }
      } else if (ts.isIdentifier(right)) this.setExport('default', right.text);
      else this.setExport('default', '<module.exports>');
      this.setExport('<module.exports>', '');
    } else {
      const m = /^(?:module\.)?exports\.(\w+)$/.exec(left);
      if (m) {
        if (ts.isIdentifier(right)) this.setExport(m[1], right.text);
        else {
          this.moduleScope.declare(`<export:${m[1]}>`, this.bindingForValue(m[1], right, undefined, b));
          this.setExport(m[1], `<export:${m[1]}>`);
        }
      }
    }
  }


  private newFunctionFact(node: ts.FunctionLikeDeclaration): FunctionFact {
    const id = this.functions.length;
    const isAsync = !!node.modifiers?.some((m) => m.kind === SK.AsyncKeyword);
    const name = functionName(node, this.clsStack[this.clsStack.length - 1]?.name);
    const header = node.name ?? node;
    const headerEnd = node.body ? node.body.getStart(this.sf) : node.getEnd();
    const headerSpan = node.name ? this.span(header) : { start: node.getStart(this.sf), end: Math.max(node.getStart(this.sf), headerEnd) };
    const fact: FunctionFact = {
      id,
      name,
      span: this.span(node),
      headerSpan,
      isAsync,
      isHandler: this.handlerNodes.has(node),
      // The pseudo context of a top-level loop (id -1) is not a function.
      parent: this.fn && this.fn.id >= 0 ? this.fn.id : undefined,
      runsInline: this.inlineNodes.has(node) || this.loopCallbacks.has(node) || undefined,
      isExpression: ts.isArrowFunction(node) || ts.isFunctionExpression(node) || undefined,
    };
    this.functions.push(fact);
    this.functionIds.set(node, id);
    this.functionNodes.push(node);
    return fact;
  }

  private visitFunction(node: ts.FunctionLikeDeclaration): void {
    const fact = this.newFunctionFact(node);
    for (const d of (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? []) this.visit(d);
    const loopId = this.loopCallbacks.get(node);
    const inline = loopId !== undefined || this.inlineNodes.has(node);
    const saved = this.fn;
    const cls = this.clsStack[this.clsStack.length - 1];
    this.fn = {
      id: fact.id,
      node,
      // Inline callbacks stay inside the enclosing loops; other functions start afresh.
      loops: inline && saved ? [...saved.loops, ...(loopId !== undefined ? [loopId] : [])] : loopId !== undefined ? [loopId] : [],
      awaitSeen: false,
      cls,
      transaction: decoratorNames(node).find((d) => TRANSACTION_DECORATOR.test(d)) ?? (inline ? saved?.transaction : undefined),
    };
    const paramType = this.callbackParamTypes.get(node);
    const elementParam = this.elementParamTypes.get(node);
    this.withScope(() => {
      node.parameters.forEach((p, i) => {
        for (const n of bindingNames(p.name)) {
          const annotated = p.type ? this.typeFromAnnotation(p.type) : undefined;
          const typeId = annotated ?? (i === 0 ? paramType ?? (ts.isIdentifier(p.name) ? elementParam : undefined) : undefined);
          this.scope.declare(n.text, {
            typeId,
            isParam: true,
            decl: p,
            known: typeId !== undefined || undefined,
            connectionKey: i === 0 && paramType ? n.text : undefined,
          });
        }
        if (p.initializer) this.visit(p.initializer);
      });
      this.pushAcc(newAcc(inline ? 'inline' : 'function'));
      if (node.body) {
        if (ts.isBlock(node.body)) {
          this.hoist(node.body.statements, this.scope);
          this.withScope(() => this.visitStatementList((node.body as ts.Block).statements, node.body as ts.Block));
        } else {
          this.visit(node.body);
        }
      }
      this.popAcc();
    });
    this.fn = saved;
  }

  // ---------------------------------------------------------------- loops

  private newLoop(kind: LoopFact['kind'], node: ts.Node, body: ts.Node, extra: Partial<LoopFact>): LoopFact {
    const loop: LoopFact = {
      id: this.loops.length,
      kind,
      span: this.span(node),
      bodySpan: this.span(body),
      functionId: this.fn?.id,
      overCollection: true,
      exitsInFirstIteration: false,
      carriedNames: [],
      startsTogether: false,
      sleeps: false,
      ...extra,
    };
    this.loops.push(loop);
    return loop;
  }

  private inLoop(loop: LoopFact, f: () => void): void {
    const fn = this.fn;
    if (!fn) {
      // Module top level: loops still count (scripts), in a pseudo context.
      this.fn = { id: -1, node: this.sf, loops: [loop.id], awaitSeen: false };
      try {
        f();
      } finally {
        this.fn = undefined;
      }
      return;
    }
    const savedAwait = fn.awaitSeen;
    fn.loops.push(loop.id);
    fn.awaitSeen = false;
    try {
      f();
    } finally {
      fn.loops.pop();
      fn.awaitSeen = savedAwait;
    }
  }

  /** Walks a loop body in its own accumulator, then fills what the body told us. */
  private walkLoopBody(loop: LoopFact, body: ts.Statement, extra?: () => void): Accumulator {
    const acc = newAcc('loop');
    this.pushAcc(acc);
    this.inLoop(loop, () => {
      this.visit(body);
      extra?.();
    });
    loop.carriedNames = [...(acc.reassigned ?? [])].filter((n) => !acc.declared?.has(n));
    loop.exitsInFirstIteration = endsInExit(body) && !acc.continues;
    const indexed = new Set(acc.indexed);
    this.popAcc();
    return { ...acc, indexed };
  }

  private visitForEachLoop(node: ts.ForOfStatement | ts.ForInStatement): void {
    this.visit(node.expression);
    const iter = skipOuter(node.expression);
    const literalSize = ts.isArrayLiteralExpression(iter) ? iter.elements.length : undefined;
    const loop = this.newLoop(ts.isForOfStatement(node) ? 'for-of' : 'for-in', node, node.statement, {
      iterableText: this.text(node.expression),
      literalSize,
      // `for (const batch of chunk(ids, 1000))` walks batches: one query per batch is the fix for N+1.
      overCollection: !isBatchIterable(iter),
    });
    this.withScope(() => {
      if (ts.isVariableDeclarationList(node.initializer)) {
        const elemType = elementType(this.typeOf(node.expression));
        for (const d of node.initializer.declarations) {
          for (const n of bindingNames(d.name)) this.scope.declare(n.text, { typeId: ts.isIdentifier(d.name) ? elemType : undefined, decl: d, known: elemType ? true : undefined, loopVar: true } as Binding);
        }
      } else this.visit(node.initializer);
      this.walkLoopBody(loop, node.statement);
    });
  }

  private visitForLoop(node: ts.ForStatement): void {
    this.withScope(() => {
      if (node.initializer) {
        if (ts.isVariableDeclarationList(node.initializer)) for (const d of node.initializer.declarations) this.visit(d);
        else this.visit(node.initializer);
      }
      const counters = node.initializer && ts.isVariableDeclarationList(node.initializer) ? node.initializer.declarations.flatMap((d) => bindingNames(d.name).map((n) => n.text)) : [];
      const condLength = node.condition ? lengthOperand(node.condition) : undefined;
      const loop = this.newLoop('for', node, node.statement, { iterableText: condLength ? this.calleeText(condLength) : undefined, overCollection: !!condLength });
      if (node.condition) this.visit(node.condition);
      const acc = this.walkLoopBody(loop, node.statement, () => {
        if (node.incrementor) this.visit(node.incrementor);
      });
      // `for (let i = 0; i < n; i++) { … xs[i] … }` walks a collection by index.
      if (!loop.overCollection && counters.some((c) => acc.indexed?.has(c))) loop.overCollection = true;
      // `for (let i = 0; i < xs.length; i += chunkSize) { … xs.slice(i, i + chunkSize) … }` walks batches.
      if (node.incrementor && stepsByMoreThanOne(node.incrementor, counters)) loop.overCollection = false;
      // The counter is advanced by the loop itself; it is not a pagination cursor.
      loop.carriedNames = loop.carriedNames.filter((n) => !counters.includes(n));
    });
  }

  private visitWhileLoop(node: ts.WhileStatement | ts.DoStatement): void {
    const loop = this.newLoop(ts.isWhileStatement(node) ? 'while' : 'do-while', node, node.statement, { overCollection: false });
    if (ts.isWhileStatement(node)) this.visit(node.expression);
    const acc = this.walkLoopBody(loop, node.statement);
    // `while (queue.length) { const job = queue.shift(); … }` drains a collection.
    if (acc.dequeued) {
      loop.overCollection = true;
      loop.iterableText = acc.dequeued;
    }
    // `do { const x = xs[i++]; … } while (i < xs.length)` walks one by index.
    const cond = lengthOperand(node.expression);
    if (cond && acc.indexed?.size) {
      loop.overCollection = true;
      loop.iterableText = this.calleeText(cond);
      loop.carriedNames = loop.carriedNames.filter((n) => !acc.indexed?.has(n));
    }
    if (ts.isDoStatement(node)) this.visit(node.expression);
  }

  // ---------------------------------------------------------------- calls

  private visitCall(node: ts.CallExpression | ts.TaggedTemplateExpression): void {
    const res = this.resolveCallee(node);
    const callee = ts.isCallExpression(node) ? node.expression : node.tag;
    const args: readonly ts.Expression[] = ts.isCallExpression(node) ? node.arguments : [node.template];

    // Prepare callbacks before walking them: loop callbacks, handlers, transaction callbacks.
    const iteration = this.iterationCallback(node, res);
    let loop: LoopFact | undefined;
    if (iteration) {
      const recv = iteration.receiver;
      loop = this.newLoop('callback', node, iteration.fn.body ?? iteration.fn, {
        iterableText: recv ? this.text(recv) : undefined,
        literalSize: recv && ts.isArrayLiteralExpression(skipOuter(recv)) ? (skipOuter(recv) as ts.ArrayLiteralExpression).elements.length : undefined,
        startsTogether: !SEQUENTIAL_ITERATION.has(iteration.method),
        carriedNames: [],
      });
      this.loopCallbacks.set(iteration.fn, loop.id);
      const el = recv ? elementType(this.typeOf(recv)) : undefined;
      if (el) this.elementParamTypes.set(iteration.fn, el);
    }
    if (res.receiverType && typeSpec(res.receiverType)?.routeMethods?.includes(res.method ?? '')) this.markHandlers(args);
    if (res.spec?.callbackParam) {
      for (const a of args) {
        const f = skipOuter(a);
        if (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) this.callbackParamTypes.set(f, res.spec.callbackParam);
      }
    }
    // IIFE: `(async () => { … })()` runs right here.
    const calleeInner = skipOuter(callee);
    if (ts.isArrowFunction(calleeInner) || ts.isFunctionExpression(calleeInner)) this.inlineNodes.add(calleeInner);

    // Facts are kept only for calls a rule or the linker can use; most calls (`res.json()`,
    // `arr.push()`) need none, and not allocating them keeps garbage collection low.
    const fact: CallFact = {
      id: -1,
      span: NO_SPAN,
      calleeSpan: NO_SPAN,
      calleeText: '',
      functionId: this.fn && this.fn.id >= 0 ? this.fn.id : undefined,
      loopIds: this.fn && this.fn.loops.length ? [...this.fn.loops].reverse() : NO_LOOPS,
      afterAwaitInLoop: this.fn?.awaitSeen ?? false,
      namesRead: NO_NAMES,
      awaited: isAwaited(node),
    };
    const rec: CallRecord = { fact, node, localTarget: res.localTarget, localMethod: res.localMethod };

    this.visit(callee);
    for (const a of args) this.visit(a);
    // `results.push(x)` mutates `results`.
    if (ts.isPropertyAccessExpression(calleeInner) && MUTATING_METHODS.has(calleeInner.name.text)) {
      const root = rootIdentifier(calleeInner.expression);
      if (root) addName(this.top(), 'writes', root);
    }

    fact.calleeText = this.calleeText(callee);
    this.applyEffect(rec, res, node, args);
    if (fact.effect || fact.target || rec.localTarget || rec.localMethod || fact.awaited || fact.connectionKey || (fact.operation && fact.operation !== 'unknown')) {
      fact.id = this.calls.length;
      fact.span = this.span(node);
      fact.calleeSpan = this.span(callee);
      this.calls.push(rec);
      this.callByNode.set(node, rec);
    }
    // Names read matter for the pagination check of calls in loops only.
    if (fact.loopIds.length && (fact.effect || fact.target || rec.localTarget || rec.localMethod)) fact.namesRead = collectReads([callee, ...args]);
    if (fact.operation === 'sleep') this.markSleepingLoops();
    this.collectOffsets(node, res, args);
  }

  private iterationCallback(node: ts.CallExpression | ts.TaggedTemplateExpression, res: Resolution): { fn: ts.FunctionLikeDeclaration; receiver?: ts.Expression; method: string } | undefined {
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipOuter(node.expression);
    let method: string | undefined;
    let receiver: ts.Expression | undefined;
    let fnArg: ts.Expression | undefined;
    if (ts.isPropertyAccessExpression(callee) && ITERATION_METHODS.has(callee.name.text)) {
      // A query builder's or ORM's `.map`/`.find` is not an array iteration.
      if (res.spec || res.localTarget || res.target || res.localMethod) return undefined;
      method = callee.name.text;
      receiver = callee.expression;
      fnArg = node.arguments[0];
    } else if (ts.isPropertyAccessExpression(callee) && ['map', 'each', 'mapSeries', 'filter'].includes(callee.name.text) && /^(Promise|Bluebird|bluebird|P|async)$/.test(this.text(callee.expression))) {
      method = 'pmap';
      receiver = node.arguments[0];
      fnArg = node.arguments[1];
    } else if (ts.isIdentifier(callee) && LOOP_FUNCTIONS.has(callee.text)) {
      method = 'pmap';
      receiver = node.arguments[0];
      fnArg = node.arguments[1];
    } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && this.text(callee.expression) === 'Array' && node.arguments.length === 2) {
      method = 'map';
      receiver = node.arguments[0];
      fnArg = node.arguments[1];
    }
    if (!method || !fnArg) return undefined;
    const f = skipOuter(fnArg);
    if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return undefined;
    return { fn: f, receiver, method: method === 'pmap' ? 'reduce' : method };
  }

  private markHandlers(args: readonly ts.Expression[]): void {
    for (const a of args) {
      const f = skipOuter(a);
      if (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) this.markHandler(f);
      else if (ts.isIdentifier(f)) {
        // `app.get('/healthz', healthz)`: the named function is a handler, wherever it is declared.
        const target = this.scope.lookup(f.text)?.localFunction;
        if (target) this.markHandler(target);
      }
      else if (ts.isObjectLiteralExpression(f)) {
        for (const p of f.properties) {
          if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ['handler', 'preHandler', 'onRequest'].includes(p.name.text)) {
            const v = skipOuter(p.initializer);
            if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) this.markHandler(v);
          } else if (ts.isMethodDeclaration(p) && p.name && ts.isIdentifier(p.name) && p.name.text === 'handler') this.markHandler(p);
        }
      }
    }
  }

  private markHandler(node: ts.Node): void {
    this.handlerNodes.add(node);
    this.log?.push({ k: 'handler', node });
  }

  /**
   * A lazy builder runs when awaited or returned to a caller that awaits it. Returned from a loop
   * callback it runs only when the callbacks' results go to `Promise.all` (else they are collected,
   * e.g. for a UNION). `.then` is a call of its own and carries the effect itself.
   */
  private isConsumed(node: ts.Node): boolean {
    let p = node.parent;
    let child: ts.Node = node;
    while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p))) {
      child = p;
      p = p.parent;
    }
    if (!p) return false;
    if (ts.isAwaitExpression(p) || ts.isYieldExpression(p)) return true;
    let fn: ts.Node | undefined;
    if (ts.isArrowFunction(p) && p.body === child) fn = p;
    else if (ts.isReturnStatement(p)) fn = ts.findAncestor(p, ts.isFunctionLike);
    if (!fn) return false;
    if (!this.loopCallbacks.has(fn)) return true;
    const loopCall = fn.parent;
    const outer = loopCall?.parent;
    return !!outer && ts.isCallExpression(outer) && /^Promise\.(all|allSettled|any|race)$/.test(this.calleeText(outer.expression));
  }

  private markSleepingLoops(): void {
    for (const id of this.fn?.loops ?? []) this.loops[id].sleeps = true;
  }

  /** Decides the call's effect, operation, resource and connection from its resolution. */
  private applyEffect(rec: CallRecord, res: Resolution, node: ts.CallExpression | ts.TaggedTemplateExpression, args: readonly ts.Expression[]): void {
    const fact = rec.fact;
    const spec = res.spec;
    const recvSpec = typeSpec(res.receiverType);
    const library = res.library ?? recvSpec?.library ?? 'database';
    const api = fact.calleeText;
    let effectKind = spec?.effect;
    let op: OperationKind | undefined = spec?.op;
    // Lazy builders (Knex, Drizzle, Mongoose queries) run when awaited, `.then`-ed or returned.
    const returned = typeSpec(res.returns);
    let lazy = false;
    if (!effectKind && returned?.thenable && this.isConsumed(node)) {
      effectKind = 'query';
      op = returned.thenable.op;
      // Only returned, not awaited: the caller decides whether the builder runs.
      lazy = !fact.awaited && !isYielded(node);
    }
    // Calls of project helpers that return lazy builders run only when their result is consumed.
    fact.consumed = this.isConsumed(node) || isThenReceiver(node) || undefined;
    if (effectKind === 'blocking' && spec?.blockingArg) effectKind = undefined;
    // Config-supplied query/blocking functions. The user's word beats a guessed project target (a
    // `legacyStore` receiver guessed to be class `LegacyStore`), but not a function of this file.
    let fromConfig = false;
    if (!effectKind && !res.localTarget && !res.localMethod) {
      if (this.config.queryFunctions.some((p) => matchCalleePattern(p, api))) {
        effectKind = 'query';
        op = op ?? 'read';
        fromConfig = true;
      } else if (this.config.blockingFunctions.some((p) => matchCalleePattern(p, api))) {
        effectKind = 'blocking';
        fromConfig = true;
      }
    }
    // SQL text decides read/write — also on receivers we cannot resolve (`connection.query('BEGIN')`).
    const rawSql = !spec && !res.target && !res.localTarget && !res.localMethod && RAW_SQL_METHODS.has(res.method ?? '');
    if (spec?.sqlArg || rawSql) {
      const lit = this.sqlArgument(node, args);
      if (lit) {
        op = sqlOperation(lit.sql) ?? op;
        const tables = sqlTables(lit.sql);
        if (tables.length) fact.resource = tables[0];
      }
    }
    if (effectKind) {
      const effect: Effect = { kind: effectKind, library, api };
      if (spec?.sameTickBatched) effect.sameTickBatched = true;
      if (recvSpec?.store === 'redis') effect.store = 'redis';
      if (lazy) effect.lazy = true;
      fact.effect = effect;
    }
    if (res.target && !fromConfig) {
      // The effect comes from the target's summary when linking; the name is the fallback guess.
      fact.target = { ...res.target, guessedOp: guessOperation(res.method) };
      op = op ?? guessOperation(res.method);
    }
    if (!op && (res.localTarget || res.localMethod)) op = guessOperation(res.method);
    if (!op && !spec && !res.target && !res.localTarget && !res.localMethod) op = guessOperation(res.method);
    if (rawSql && !op) op = guessOperation(res.method);
    fact.operation = op ?? 'unknown';
    // Resource: Prisma model delegate name, the repository's text, a Knex table, the SQL table.
    // Project helpers touch what they touch: unknown, so a write through one orders earlier reads.
    if (!fact.resource && res.receiver && spec && (fact.operation === 'read' || fact.operation === 'write') && !res.target && !res.localTarget && !res.localMethod) {
      const r = skipOuter(res.receiver);
      if (ts.isPropertyAccessExpression(r) && r.expression.kind !== SK.ThisKeyword) fact.resource = r.name.text;
      else if (ts.isIdentifier(r)) fact.resource = r.text;
      else fact.resource = chainTable(r);
    }
    // One connection: the receiver is a transaction/client, or `{ transaction: t }` is passed.
    if (recvSpec?.singleConnection && res.receiver) fact.connectionKey = this.connectionRoot(res.receiver);
    else if (res.receiver) {
      const rootBinding = this.rootBinding(res.receiver);
      if (rootBinding?.connectionKey) fact.connectionKey = rootBinding.connectionKey;
    }
    if (!fact.connectionKey) {
      for (const a of args) {
        const o = skipOuter(a);
        if (!ts.isObjectLiteralExpression(o)) continue;
        for (const p of o.properties) {
          const n = p.name && ts.isIdentifier(p.name) ? p.name.text : undefined;
          if (n === 'transaction' || n === 'session' || n === 'transacting') {
            fact.connectionKey = ts.isPropertyAssignment(p) ? this.text(p.initializer) : n;
          }
        }
      }
    }
    // Knex `.transacting(trx)` anywhere in the chain.
    if (!fact.connectionKey && res.receiver) fact.connectionKey = transactingArgument(res.receiver, (e) => this.text(e));
    // A helper handed the transaction: `loadRows(trx, id)`.
    // (Any operation: a helper's read or write is only known after linking.)
    if (!fact.connectionKey && (fact.effect || fact.operation !== 'unknown' || res.target || res.localTarget || res.localMethod)) {
      for (const a of args) {
        const x = skipOuter(a);
        if (!ts.isIdentifier(x)) continue;
        const b = this.scope.lookup(x.text);
        if (b?.connectionKey || TRANSACTION_ARGUMENT.test(x.text) || typeSpec(b?.typeId)?.singleConnection) {
          fact.connectionKey = b?.connectionKey ?? x.text;
          break;
        }
      }
    }
    // `@Transactional() async m() { … }`: the method's queries share one transaction.
    if (!fact.connectionKey && this.fn?.transaction && (fact.effect || fact.operation !== 'unknown' || res.target || res.localTarget || res.localMethod)) fact.connectionKey = `@${this.fn.transaction}`;
  }

  /**
   * The name that identifies a single connection: the receiver's root, followed through
   * `const repo = tx.getRepository(Role)` to `tx` (not through awaits: `await pool.connect()` is a new client).
   */
  private connectionRoot(receiver: ts.Expression): string {
    let name = this.rootName(receiver);
    for (let i = 0; i < 4; i++) {
      const b = /^[A-Za-z_$][\w$]*$/.test(name) ? this.scope.lookup(name) : undefined;
      const init = b?.init ? skipOuter(b.init) : undefined;
      if (!init || !(ts.isCallExpression(init) || ts.isPropertyAccessExpression(init))) break;
      const next = this.rootName(init);
      if (next === name || !typeSpec(this.typeOf(init))?.singleConnection) break;
      name = next;
    }
    return name;
  }

  private rootName(e: ts.Expression): string {
    let x = skipOuter(e);
    // Bounded: a 10,000-link method chain must not make every call walk the whole chain.
    for (let i = 0; i < 32 && (ts.isPropertyAccessExpression(x) || ts.isCallExpression(x) || ts.isElementAccessExpression(x)); i++) {
      if (ts.isPropertyAccessExpression(x) && skipOuter(x.expression).kind === SK.ThisKeyword) return this.calleeText(x);
      x = skipOuter(x.expression);
    }
    return this.calleeText(x);
  }

  private rootBinding(e: ts.Expression): Binding | undefined {
    let x = skipOuter(e);
    for (let i = 0; i < 32 && (ts.isPropertyAccessExpression(x) || ts.isCallExpression(x) || ts.isElementAccessExpression(x)); i++) x = skipOuter(x.expression);
    return ts.isIdentifier(x) ? this.scope.lookup(x.text) : undefined;
  }

  /** SQL text passed to a raw-query call: a literal, or a const holding one. */
  private sqlArgument(node: ts.CallExpression | ts.TaggedTemplateExpression, args: readonly ts.Expression[]) {
    const first = args[0] ? skipOuter(args[0]) : undefined;
    if (!first) return undefined;
    let lit = sqlFromLiteral(first);
    if (!lit && ts.isIdentifier(first)) {
      const b = this.scope.lookup(first.text);
      if (b?.literal) lit = sqlFromLiteral(b.literal);
    }
    if (!lit && ts.isObjectLiteralExpression(first)) {
      // mysql2 `query({ sql, values })`, pg `query({ text, values })`
      for (const p of first.properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'text' || p.name.text === 'sql')) lit = sqlFromLiteral(skipOuter(p.initializer));
      }
    }
    if (lit && !looksLikeSql(lit.sql)) return undefined;
    void node;
    return lit;
  }

  // ---------------------------------------------------------------- offsets

  private collectOffsets(node: ts.CallExpression | ts.TaggedTemplateExpression, res: Resolution, args: readonly ts.Expression[]): void {
    const spec = res.spec;
    const library = res.library ?? typeSpec(res.receiverType)?.library ?? 'database';
    if (spec?.offset && ts.isCallExpression(node) && node.arguments[0]) {
      const callee = skipOuter(node.expression) as ts.PropertyAccessExpression;
      if (!this.picksOneRow(node)) this.addOffset(callee.name, node.arguments[0], 'method', `.${callee.name.text}()`, library, false, node);
    } else if (!spec && !res.localTarget && !res.target && ts.isCallExpression(node)) {
      // Unresolved receivers: `.offset(x)` / `.skip(x)` in a chain that also limits or orders.
      const callee = skipOuter(node.expression);
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'offset' || callee.name.text === 'skip') && node.arguments.length === 1) {
        const chain = this.text(node.parent && ts.isPropertyAccessExpression(node.parent) ? topOfChain(node) : node);
        if (/\.(limit|take|orderBy|order_by|sort)\s*\(/.test(chain) && !/\bit\.skip\b|\bdescribe\.skip\b/.test(chain) && !this.picksOneRow(node)) {
          this.addOffset(callee.name, node.arguments[0], 'method', `.${callee.name.text}()`, 'query builder', false, node);
        }
      }
    }
    if (spec?.pagingOptions) {
      for (const a of args) {
        const o = skipOuter(a);
        if (ts.isObjectLiteralExpression(o)) this.pagingProperties(o, library);
        else if (ts.isArrayLiteralExpression(o)) {
          // Aggregation pipelines: `{ $skip: n }` stages.
          for (const el of o.elements) if (ts.isObjectLiteralExpression(skipOuter(el))) this.pagingProperties(skipOuter(el) as ts.ObjectLiteralExpression, library);
        }
        else if (ts.isIdentifier(o)) {
          const b = this.scope.lookup(o.text);
          const obj = b?.decl ? this.pagingObjects.get(b.decl) : undefined;
          if (obj) {
            this.pagingProperties(obj, library);
            this.pagingObjects.delete(b!.decl!);
          }
        }
      }
    }
    if (spec?.sqlArg) {
      const lit = this.sqlArgument(node, args);
      if (lit) {
        for (const off of sqlOffsets(lit.sql)) {
          if (off.constant) continue;
          const start = lit.toFile(off.start);
          this.offsets.push({
            span: { start, end: lit.toFile(off.end - 1) + 1 },
            style: 'sql',
            keyword: 'OFFSET',
            library,
            valueText: off.valueText.replace(/\u0000/g, '${…}'),
            constant: false,
            withCursor: false,
            source: this.traceSqlParam(node, off.valueText, lit.node),
            functionId: this.fn && this.fn.id >= 0 ? this.fn.id : undefined,
          });
        }
      }
    }
  }

  private pagingProperties(o: ts.ObjectLiteralExpression, library: string): void {
    const names = new Set(o.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '')));
    for (const p of o.properties) {
      const n = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      if (n !== 'skip' && n !== 'offset' && n !== '$skip') continue;
      const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
      if (!value) continue;
      this.addOffset(p.name!, value, 'property', n, library, names.has('cursor') || names.has('after'), p);
    }
  }

  /**
   * `.skip(n).take(1)` / `.offset(n).limit(1)` with `n` from no request or parameter: the n-th row
   * (a retention cut-off), not a page.
   */
  private picksOneRow(node: ts.CallExpression): boolean {
    const chain = this.text(topOfChain(node));
    if (!/\.(take|limit)\(\s*1\s*\)/.test(chain)) return false;
    return !this.traceSource(node.arguments[0], 0);
  }

  private addOffset(keywordNode: ts.Node, value: ts.Expression, style: OffsetFact['style'], keyword: string, library: string, withCursor: boolean, whole: ts.Node): void {
    const keyStart = keywordNode.getStart(this.sf);
    this.offsets.push({
      span: { start: keyStart, end: Math.max(keyStart, whole.getEnd()) },
      style,
      keyword,
      library,
      valueText: this.text(value),
      constant: this.isConstant(value, 0),
      withCursor,
      source: this.traceSource(value, 0),
      functionId: this.fn && this.fn.id >= 0 ? this.fn.id : undefined,
    });
  }

  /** A literal number, or arithmetic/conditionals over literals and consts holding them. */
  private isConstant(e: ts.Expression, depth: number): boolean {
    const x = skipOuter(e);
    if (depth > 5) return false;
    if (ts.isNumericLiteral(x)) return true;
    // `knex.raw('0')`: a literal offset written as raw SQL.
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(skipOuter(x.expression)) && (skipOuter(x.expression) as ts.PropertyAccessExpression).name.text === 'raw' && x.arguments.length === 1) {
      const a = skipOuter(x.arguments[0]);
      return ts.isStringLiteralLike(a) && /^\s*\d+\s*$/.test(a.text);
    }
    if (ts.isPrefixUnaryExpression(x)) return this.isConstant(x.operand, depth + 1);
    if (ts.isBinaryExpression(x)) return this.isConstant(x.left, depth + 1) && this.isConstant(x.right, depth + 1);
    if (ts.isConditionalExpression(x)) return this.isConstant(x.whenTrue, depth + 1) && this.isConstant(x.whenFalse, depth + 1);
    if (x.kind === SK.UndefinedKeyword || (ts.isIdentifier(x) && x.text === 'undefined')) return true;
    if (ts.isIdentifier(x)) {
      const b = this.scope.lookup(x.text);
      const declList = b?.decl?.parent;
      const isConst = declList && ts.isVariableDeclarationList(declList) && (declList.flags & ts.NodeFlags.Const) !== 0;
      if (b?.init && isConst && !b.isParam) return this.isConstant(b.init, depth + 1);
    }
    return false;
  }

  /** Follows an offset value back to the parameter (or `req.query.x`) that feeds it. */
  private traceSource(e: ts.Expression, depth: number): OffsetFact['source'] {
    if (depth > 4) return undefined;
    let found: OffsetFact['source'];
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(n) && /^(req|request|ctx|c)\.(query|params|body)\b/.test(this.text(n))) {
        found = { name: n.name.text, span: this.span(n) };
        return;
      }
      if (ts.isIdentifier(n) && isReadPosition(n)) {
        const b = this.scope.lookup(n.text);
        if (b?.isParam && b.decl) {
          found = { name: n.text, span: this.span(b.decl) };
          return;
        }
        if (b?.init && !(b as { loopVar?: boolean }).loopVar) {
          found = this.traceSource(b.init, depth + 1);
          return;
        }
        if (b?.decl && ts.isBindingElement(b.decl.parent) && b.decl.parent.parent && ts.isObjectBindingPattern(b.decl.parent.parent)) {
          const vd = b.decl.parent.parent.parent;
          if (ts.isVariableDeclaration(vd) && vd.initializer) {
            const inner = this.traceSource(vd.initializer, depth + 1);
            if (inner) found = { name: n.text, span: inner.span };
          } else if (ts.isParameter(vd)) found = { name: n.text, span: this.span(vd) };
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(e);
    return found;
  }

  private traceSqlParam(node: ts.CallExpression | ts.TaggedTemplateExpression, valueText: string, literal: ts.Node): OffsetFact['source'] {
    if (valueText.includes('\u0000') && ts.isTemplateExpression(literal)) {
      for (const s of literal.templateSpans) {
        const src = this.traceSource(s.expression, 0);
        if (src && /offset|skip|page|start|from/i.test(this.text(s.expression))) return src;
      }
    }
    const m = /^\$(\d+)$/.exec(valueText.trim());
    if (m && ts.isCallExpression(node)) {
      const values = node.arguments[1] ? skipOuter(node.arguments[1]) : undefined;
      if (values && ts.isArrayLiteralExpression(values)) {
        const v = values.elements[Number(m[1]) - 1];
        if (v) return this.traceSource(v, 0);
      }
    }
    if (valueText.trim() === '?' && ts.isCallExpression(node)) {
      const values = node.arguments[1] ? skipOuter(node.arguments[1]) : undefined;
      if (values && ts.isArrayLiteralExpression(values) && values.elements.length) return this.traceSource(values.elements[values.elements.length - 1], 0);
    }
    return undefined;
  }



  // ---------------------------------------------------------------- linking and exports

  private addTypeDep(ref: { specifier: string; name: string }, fallback?: string): void {
    const key = `${ref.specifier}#${ref.name}`;
    if (!this.typeDeps.has(key)) this.typeDeps.set(key, { specifier: ref.specifier, name: ref.name, fallback });
    this.log?.push({ k: 'dep', key, dep: { specifier: ref.specifier, name: ref.name, fallback } });
  }

  /** Calls of this file's functions and methods get their target function ids (walk order assigns ids). */
  private linkLocalTargets(): void {
    for (const c of this.calls) {
      let node = c.localTarget;
      if (!node && c.localMethod) node = this.classes.get(c.localMethod.cls)?.methods.get(c.localMethod.name);
      const id = node ? this.functionIds.get(node) : undefined;
      if (id !== undefined) c.fact.target = { kind: 'local', functionId: id, guessedOp: c.fact.operation === 'unknown' ? undefined : c.fact.operation };
    }
  }

  private classFacts(): Record<string, ClassFact> {
    const out: Record<string, ClassFact> = {};
    for (const [name, cls] of this.classes) {
      const methods: Record<string, number> = {};
      for (const [m, node] of [...cls.methods, ...cls.staticMethods]) {
        const id = this.functionIds.get(node);
        if (id !== undefined) methods[m] = id;
      }
      const relations = entityRelations(cls.node);
      out[name] = {
        methods,
        bases: cls.baseInstance || cls.baseStatic ? { instance: cls.baseInstance, static: cls.baseStatic } : undefined,
        ...(relations.length ? { relations } : {}),
      };
    }
    return out;
  }

  /** Exported functions, objects of functions, typed values and classes, by export name. */
  private exportFacts(): Record<string, ExportFact> {
    const out: Record<string, ExportFact> = {};
    const describe = (localName: string): ExportFact | undefined => {
      const b = this.moduleScope.lookup(localName);
      if (!b) return undefined;
      if (b.localFunction) {
        const id = this.functionIds.get(b.localFunction);
        return id === undefined ? undefined : { functionId: id };
      }
      if (b.localObject) {
        const members: Record<string, number> = {};
        for (const [m, node] of b.localObject) {
          const id = this.functionIds.get(node);
          if (id !== undefined) members[m] = id;
        }
        return { members };
      }
      if (b.typeId?.startsWith('static:')) {
        const cls = this.classes.get(b.typeId.slice(7));
        return { className: b.typeId.slice(7), typeId: cls?.baseStatic };
      }
      if (b.typeId?.startsWith('class:')) return { instanceOf: b.typeId.slice(6) };
      if (b.typeId && !b.typeId.startsWith('import:') && !b.typeId.startsWith('list:')) return { typeId: b.typeId };
      if (b.importRef) return { reexport: { specifier: b.importRef.specifier, name: b.importRef.name } };
      return undefined;
    };
    for (const st of this.sf.statements) {
      const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
      const exported = mods?.some((m) => m.kind === SK.ExportKeyword);
      const isDefault = mods?.some((m) => m.kind === SK.DefaultKeyword);
      if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) out[el.name.text] = { reexport: { specifier: st.moduleSpecifier.text, name: (el.propertyName ?? el.name).text } };
        continue;
      }
      if (!exported) continue;
      if (ts.isFunctionDeclaration(st)) {
        const id = this.functionIds.get(st);
        if (id !== undefined) out[isDefault ? 'default' : st.name?.text ?? 'default'] = { functionId: id };
      } else if (ts.isClassDeclaration(st) && st.name) {
        out[isDefault ? 'default' : st.name.text] = describe(st.name.text) ?? { className: st.name.text };
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          const ex = describe(d.name.text);
          if (ex) out[d.name.text] = ex;
        }
      } else if (ts.isExportAssignment(st)) {
        const e = skipOuter(st.expression);
        if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && this.classes.has(e.expression.text)) out.default = { instanceOf: e.expression.text };
        else if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
          const id = this.functionIds.get(e);
          if (id !== undefined) out.default = { functionId: id };
        }
      }
    }
    for (const [exportName, localName] of this.exportNames) {
      if (exportName.startsWith('<')) continue;
      const ex = describe(localName);
      if (ex) out[exportName] = ex;
    }
    return out;
  }
}

/** Positions and ids shifted by fixed amounts; -1, the function id of top-level code, stays. */
function partNumbering(file: string, pos: number, fns: number, calls: number, loops: number): FactNumbering {
  return { file, pos: (p) => p + pos, fn: (id) => (id < 0 ? id : id + fns), call: (id) => id + calls, loop: (id) => id + loops };
}

/** A resolution through library knowledge: the method, what it returns, the library and receiver type. */
function useSpec(res: Resolution, spec: MethodSpec, typeId: string | undefined): void {
  res.spec = spec;
  res.returns = spec.returns;
  res.library = typeSpec(typeId)?.library;
  res.receiverType = typeId;
}

interface Resolution {
  spec?: MethodSpec;
  returns?: string;
  library?: string;
  receiverType?: string;
  receiver?: ts.Expression;
  method?: string;
  localTarget?: ts.Node;
  localMethod?: { cls: string; name: string };
  target?: CallTarget;
}

// -------------------------------------------------------------------- helpers

/** Wrappers that do not change a value: `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`. */
const OUTER_KINDS = new Set<ts.SyntaxKind>([SK.ParenthesizedExpression, SK.AsExpression, SK.NonNullExpression, SK.TypeAssertionExpression, SK.SatisfiesExpression]);

/** Called for nearly every expression, so it compares kinds instead of calling five type guards. */
export function skipOuter(e: ts.Expression): ts.Expression {
  let x = e;
  while (OUTER_KINDS.has(x.kind)) x = (x as ts.ParenthesizedExpression).expression;
  return x;
}

function isRelative(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/');
}

function fallbackType(name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(FALLBACK_NAMES, name)) return FALLBACK_NAMES[name];
  for (const [re, t] of FALLBACK_SUFFIXES) if (re.test(name)) return t;
  return undefined;
}

export function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

function decoratorNames(node: ts.Node): string[] {
  const decorators = ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
  return decorators.map((d) => {
    const e = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
  });
}

function functionName(node: ts.FunctionLikeDeclaration, className?: string): string | undefined {
  if (node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) {
    return ts.isMethodDeclaration(node) && className ? `${className}.${node.name.text}` : node.name.text;
  }
  if (ts.isConstructorDeclaration(node)) return className ? `${className}.constructor` : 'constructor';
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return className ? `${className}.${p.name.text}` : p.name.text;
  return undefined;
}

function isTopLevel(d: ts.VariableDeclaration): boolean {
  const st = d.parent?.parent;
  return !!st && ts.isVariableStatement(st) && ts.isSourceFile(st.parent);
}

/** Is this identifier a read of a variable (not a property name, declaration or label)? */
function isReadPosition(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return true;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassExpression(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p)) && (p as ts.NamedDeclaration).name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  return true;
}

/** The single await a statement consists of: `await x;`, `const a = await x;`, `a = await x;`. */
function topLevelAwait(st: ts.Statement): ts.AwaitExpression | undefined {
  let e: ts.Expression | undefined;
  if (ts.isExpressionStatement(st)) {
    e = skipOuter(st.expression);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === SK.EqualsToken) e = skipOuter(e.right);
  } else if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1) {
    const init = st.declarationList.declarations[0].initializer;
    e = init ? skipOuter(init) : undefined;
  }
  return e && ts.isAwaitExpression(e) ? e : undefined;
}

function callUnder(e: ts.Expression): ts.Node | undefined {
  const x = skipOuter(e);
  return ts.isCallExpression(x) || ts.isTaggedTemplateExpression(x) ? x : undefined;
}


/** The body's last statement leaves unconditionally. */
function endsInExit(body: ts.Statement): boolean {
  const last = ts.isBlock(body) ? body.statements[body.statements.length - 1] : body;
  return !!last && ((ts.isBreakStatement(last) && !last.label) || ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/** `i < xs.length` / `i < list.size`: the collection an index loop walks. */
function lengthOperand(cond: ts.Expression): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isPropertyAccessExpression(n) && (n.name.text === 'length' || n.name.text === 'size')) {
      found = n.expression;
      return;
    }
    n.forEachChild(visit);
  };
  visit(cond);
  return found;
}

/** What iterating a value of this type yields. */
function elementType(t: string | undefined): string | undefined {
  if (!t) return undefined;
  if (t.startsWith('list:')) return t.slice(5);
  return typeSpec(t)?.element;
}

/**
 * `historyService` / `this.historyService` → `HistoryService`: the class such a name conventionally
 * holds. Linking uses it only if the project defines a class of exactly that name.
 */
function injectedClassName(recv: ts.Expression): string | undefined {
  const name = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) && skipOuter(recv.expression).kind === SK.ThisKeyword ? recv.name.text : undefined;
  if (!name || !/^[a-z][A-Za-z0-9]*(Service|Store|Dao|Manager|Gateway|Provider)$/.test(name)) return undefined;
  return name[0].toUpperCase() + name.slice(1);
}

/** `import:./users#UsersService` → ['./users', 'UsersService']. */
function splitImportType(t: string): [string, string] {
  const body = t.slice('import:'.length);
  const hash = body.lastIndexOf('#');
  return [body.slice(0, hash), body.slice(hash + 1)];
}

function rootIdentifier(e: ts.Expression): string | undefined {
  let x = skipOuter(e);
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = skipOuter(x.expression);
  return ts.isIdentifier(x) ? x.text : undefined;
}







function isAwaited(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p))) p = p.parent;
  return !!p && ts.isAwaitExpression(p);
}


function hasPagingProperty(o: ts.ObjectLiteralExpression): boolean {
  return o.properties.some((p) => p.name && ts.isIdentifier(p.name) && (p.name.text === 'skip' || p.name.text === 'offset'));
}

function topOfChain(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && (ts.isPropertyAccessExpression(n.parent) || (ts.isCallExpression(n.parent) && n.parent.expression === n))) n = n.parent;
  return n;
}

// The verb must end the name or be followed by a capital, digit or `_`: `listUsers`, not `listen`; `setUser`, not `settings`.
const READ_NAMES = /^(get|find|fetch|load|list|count|read|select|search|query|retrieve|lookup|resolve|has|is|exists|compute|calculate|aggregate|download)(?![a-z])/;
/** Guards: what follows them runs only if they pass (they throw otherwise), so they order the awaits after them. */
const GUARD_NAMES = /^(validate|assert|ensure|check|verify|authorize|authorise|require|guard|throwIf|can)(?![a-z])/;
const WRITE_NAMES = /^(create|insert|update|upsert|delete|remove|save|set|put|post|send|write|destroy|add|increment|decrement|publish|emit|enqueue|notify|mark|upload|persist|flush|commit|register|assign|archive|process|handle|run|execute|apply|sync|migrate|seed)(?![a-z])/;

/** Best guess of a helper's operation from its name; `unknown` is an ordering point. */
function guessOperation(name: string | undefined): OperationKind | undefined {
  if (!name) return undefined;
  if (SLEEP_FUNCTIONS.includes(name)) return 'sleep';
  if (GUARD_NAMES.test(name)) return 'lifecycle';
  if (WRITE_NAMES.test(name)) return 'write';
  if (READ_NAMES.test(name)) return 'read';
  return undefined;
}

/** `chunk(ids, 1000)`, `lodash.chunk(…)`, `_(xs).chunk(n).value()`, `batches`: what a loop over it walks are batches. */
function isBatchIterable(iter: ts.Expression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      const inner = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : '';
      if (/^(chunk|chunks|chunkArray|inChunks|batch|batches|inBatches|splitEvery)$/i.test(name) || (name === 'default' && /chunk/i.test(inner))) {
        found = true;
        return;
      }
    }
    n.forEachChild(visit);
  };
  visit(iter);
  return found || (ts.isIdentifier(iter) && /^(chunks|batches)$/i.test(iter.text));
}

/** `i += chunkSize` / `i = i + 100`: an index loop that steps over batches. */
function stepsByMoreThanOne(incrementor: ts.Expression, counters: string[]): boolean {
  const e = skipOuter(incrementor);
  if (!ts.isBinaryExpression(e) || !ts.isIdentifier(e.left) || !counters.includes(e.left.text)) return false;
  let step: ts.Expression | undefined;
  if (e.operatorToken.kind === SK.PlusEqualsToken) step = e.right;
  else if (e.operatorToken.kind === SK.EqualsToken && ts.isBinaryExpression(e.right) && e.right.operatorToken.kind === SK.PlusToken) step = e.right.right;
  if (!step) return false;
  const x = skipOuter(step);
  return !(ts.isNumericLiteral(x) && x.text === '1');
}

/** The table of a Knex chain: the string given to `knex('t')`, `.from('t')`, `.table('t')`, `.into('t')`. */
function chainTable(e: ts.Expression): string | undefined {
  let x = skipOuter(e);
  for (let i = 0; i < 32; i++) {
    if (ts.isCallExpression(x)) {
      const callee = skipOuter(x.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const first = x.arguments[0] ? skipOuter(x.arguments[0]) : undefined;
      if ((name === undefined || /^(from|table|into|withSchema)$/.test(name)) && first && ts.isStringLiteralLike(first)) return first.text;
      x = callee;
    } else if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = skipOuter(x.expression);
    else return undefined;
  }
  return undefined;
}

/** The argument of `.transacting(trx)` in a Knex chain. */
function transactingArgument(e: ts.Expression, text: (e: ts.Expression) => string): string | undefined {
  let x = skipOuter(e);
  for (let i = 0; i < 32; i++) {
    if (ts.isCallExpression(x)) {
      const callee = skipOuter(x.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'transacting' && x.arguments[0]) return text(x.arguments[0]);
      x = callee;
    } else if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = skipOuter(x.expression);
    else return undefined;
  }
  return undefined;
}

function isYielded(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p))) p = p.parent;
  return !!p && ts.isYieldExpression(p);
}

/** `helper().then(…)`: the result is run by `.then`. */
function isThenReceiver(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p))) p = p.parent;
  return !!p && ts.isPropertyAccessExpression(p) && /^(then|catch|finally)$/.test(p.name.text) && !!p.parent && ts.isCallExpression(p.parent);
}

/** TypeORM-style relations of an entity class: `@ManyToOne(…) author` declared beside `authorId`. */
function entityRelations(node: ts.ClassLikeDeclaration): string[] {
  const names = new Set<string>();
  const related: string[] = [];
  for (const m of node.members) {
    if (!ts.isPropertyDeclaration(m) || !m.name || !ts.isIdentifier(m.name)) continue;
    names.add(m.name.text);
    if (decoratorNames(m).some((d) => d === 'ManyToOne' || d === 'OneToOne')) related.push(m.name.text);
  }
  return related.filter((r) => names.has(`${r}Id`));
}
