import ts from 'typescript';
import type { FileFacts, Span } from '../../core/model';
import { TextSyntax } from '../../core/fix-syntax';
import type { ImportedName, ModuleBinding, TsCall, TsElement, TsLiteral, TsChain, TsFixSyntax, TsImports, TsLoop, TsObject, TsParameter, TsProperty, TsStatement } from './fix-syntax-api';
import { parseFile } from './parse';

const caches = new WeakMap<FileFacts, TsSyntax>();

export function typescriptFixSyntax(facts: FileFacts): TsFixSyntax {
  const sf = parseFile(facts.file, facts.text);
  let s = caches.get(facts);
  // The editor's incremental re-parse replaces a file's tree and reuses its nodes, so a syntax
  // built on an older tree of the same text is stale.
  if (!s || s.sf !== sf) {
    s = new TsSyntax(facts, sf);
    caches.set(facts, s);
  }
  return s;
}

function spanOf(n: ts.Node, sf: ts.SourceFile): Span {
  return { start: n.getStart(sf), end: n.getEnd() };
}

function stripNode(m: string): string {
  return m.startsWith('node:') ? m.slice(5) : m;
}

class TsSyntax extends TextSyntax implements TsFixSyntax {
  declare readonly language: 'typescript' | 'javascript';
  readonly sf: ts.SourceFile;
  private identifiers?: Set<string>;
  private importsCache?: TsImports;
  private semis?: boolean;
  private quoteCache?: "'" | '"';

  constructor(facts: FileFacts, sf: ts.SourceFile) {
    super(facts.language, facts.text);
    this.sf = sf;
  }

  get semicolons(): boolean {
    if (this.semis === undefined) {
      let withSemi = 0;
      let without = 0;
      const visit = (n: ts.Node) => {
        if (ts.isExpressionStatement(n) || ts.isVariableStatement(n) || ts.isReturnStatement(n) || ts.isImportDeclaration(n)) {
          if (this.text[n.getEnd() - 1] === ';') withSemi++;
          else without++;
        }
        if (withSemi + without < 200) ts.forEachChild(n, visit);
      };
      visit(this.sf);
      this.semis = withSemi >= without;
    }
    return this.semis;
  }

  get quote(): "'" | '"' {
    if (!this.quoteCache) {
      const single = (this.text.match(/(^|[\s(,=:])'[^'\n]*'/g) ?? []).length;
      const double = (this.text.match(/(^|[\s(,=:])"[^"\n]*"/g) ?? []).length;
      this.quoteCache = double > single ? '"' : "'";
    }
    return this.quoteCache;
  }

  /**
   * The deepest node whose span is exactly `span`, if one satisfies `is`. Descends only into the
   * child that contains the span (siblings do not overlap), checking the cheap `pos`/`end` before
   * `getStart`, which skips trivia: a file with a hundred findings asks this hundreds of times.
   */
  private nodeAt<T extends ts.Node>(span: Span, is: (n: ts.Node) => n is T): T | undefined {
    const sf = this.sf;
    let found: T | undefined;
    let n: ts.Node | undefined = sf;
    while (n) {
      if (n.getStart(sf) === span.start && n.end === span.end && is(n)) found = n;
      n = ts.forEachChild(n, (c) => (c.pos <= span.start && c.end >= span.end && c.getStart(sf) <= span.start ? c : undefined));
    }
    return found;
  }

  /** The innermost node that contains `offset` (in its non-trivia text). */
  private innermostAt(offset: number): ts.Node {
    const sf = this.sf;
    let node: ts.Node = sf;
    for (;;) {
      const next: ts.Node | undefined = ts.forEachChild(node, (c) => (c.pos <= offset && offset < c.end && c.getStart(sf) <= offset ? c : undefined));
      if (!next) return node;
      node = next;
    }
  }

  callAt(span: Span): TsCall | undefined {
    const call = this.nodeAt(span, ts.isCallExpression);
    if (!call) return undefined;
    return this.describeCall(call);
  }

  private describeCall(call: ts.CallExpression): TsCall {
    const sf = this.sf;
    const callee = call.expression;
    const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const parent = call.parent;
    const awaitSpan = ts.isAwaitExpression(parent) ? spanOf(parent, sf) : undefined;
    const needsParensForAwait =
      (ts.isPropertyAccessExpression(parent) && parent.expression === call) ||
      (ts.isElementAccessExpression(parent) && parent.expression === call) ||
      (ts.isCallExpression(parent) && parent.expression === call) ||
      ts.isNonNullExpression(parent) ||
      ts.isTaggedTemplateExpression(parent) ||
      (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && parent.left === call);
    const open = call.arguments.pos;
    const outer = ts.isAwaitExpression(parent) ? parent.parent : parent;
    return {
      span: spanOf(call, sf),
      callee: { span: spanOf(callee, sf), text: callee.getText(sf) },
      receiver: receiver ? { span: spanOf(receiver, sf), text: receiver.getText(sf) } : undefined,
      method,
      args: call.arguments.map((a) => ({
        span: spanOf(a, sf),
        text: a.getText(sf),
        names: rootNames(a),
        object: ts.isObjectLiteralExpression(a) ? this.describeObject(a) : undefined,
        elements: ts.isArrayLiteralExpression(a) ? a.elements.map((e) => this.describeElement(e)) : undefined,
      })),
      argsInner: { start: open, end: call.arguments.end },
      awaitSpan,
      needsParensForAwait,
      discarded: ts.isExpressionStatement(outer) || (ts.isVoidExpression(outer) && ts.isExpressionStatement(outer.parent)),
      standsAlone: standsAlone(ts.isAwaitExpression(parent) ? parent : call),
    };
  }

  private describeElement(e: ts.Expression): TsElement {
    return { span: spanOf(e, this.sf), text: e.getText(this.sf), names: rootNames(e) };
  }

  literalAt(offset: number): TsLiteral | undefined {
    const sf = this.sf;
    let n: ts.Node | undefined = this.innermostAt(offset);
    while (n && !(ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n))) {
      // A template's head, middle and tail parts are inside its TemplateExpression.
      if (ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n) || ts.isTemplateSpan(n)) n = n.parent;
      else return undefined;
    }
    if (!n) return undefined;
    const lit = n as ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;
    const span = spanOf(lit, sf);
    const substitutions = ts.isTemplateExpression(lit)
      ? lit.templateSpans.map((s) => ({ span: { start: this.text.lastIndexOf('${', s.expression.getStart(sf)), end: s.literal.getStart(sf) + 1 }, expression: this.describeElement(s.expression) }))
      : [];
    const parent = lit.parent;
    const out: TsLiteral = {
      span,
      kind: ts.isStringLiteral(lit) ? 'string' : 'template',
      escaped: this.text.slice(span.start + 1, span.end - 1).includes('\\'),
      substitutions,
    };
    if (ts.isTaggedTemplateExpression(parent) && parent.template === lit) {
      out.kind = 'tagged';
      out.tag = { span: spanOf(parent.tag, sf), text: parent.tag.getText(sf) };
    } else if (ts.isCallExpression(parent) && parent.arguments.includes(lit as ts.Expression)) {
      out.call = this.describeCall(parent);
      out.argIndex = parent.arguments.indexOf(lit as ts.Expression);
    }
    return out;
  }

  private describeObject(o: ts.ObjectLiteralExpression): TsObject {
    const sf = this.sf;
    const span = spanOf(o, sf);
    return {
      span,
      multiline: this.text.slice(span.start, span.end).includes('\n'),
      properties: o.properties.map((p) => this.describeProperty(p, span)),
    };
  }

  private describeProperty(p: ts.ObjectLiteralElementLike, parent: Span): TsProperty {
    const sf = this.sf;
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    const nameSpan = p.name ? spanOf(p.name, sf) : spanOf(p, sf);
    let value: TsProperty['value'];
    const init = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    if (init) {
      value = {
        span: spanOf(init, sf),
        text: init.getText(sf),
        object: ts.isObjectLiteralExpression(init) ? this.describeObject(init) : undefined,
        names: rootNames(init),
        isStringLiteral: ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init) ? init.text : undefined,
      };
    }
    return { span: spanOf(p, sf), name: ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? name : undefined, nameSpan, value, shorthand: ts.isShorthandPropertyAssignment(p), parent };
  }

  propertyAt(offset: number): TsProperty | undefined {
    let n: ts.Node | undefined = this.innermostAt(offset);
    while (n && !(ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n))) n = n.parent;
    if (!n || !ts.isObjectLiteralExpression(n.parent)) return undefined;
    return this.describeProperty(n as ts.ObjectLiteralElementLike, spanOf(n.parent, this.sf));
  }

  statementAt(offset: number): TsStatement | undefined {
    let n: ts.Node | undefined = this.innermostAt(offset);
    while (n && !(isStatement(n) && (ts.isBlock(n.parent) || ts.isSourceFile(n.parent) || ts.isModuleBlock(n.parent) || ts.isCaseClause(n.parent) || ts.isDefaultClause(n.parent)))) n = n.parent;
    return n ? this.describeStatement(n as ts.Statement) : undefined;
  }

  private describeStatement(st: ts.Statement): TsStatement {
    const sf = this.sf;
    const span = spanOf(st, sf);
    const leading = (ts.getLeadingCommentRanges(this.text, st.getFullStart()) ?? []).filter((c) => this.ownLine(c.pos));
    const fullStart = leading.length ? this.lineStart(leading[0].pos) : this.lineStart(span.start);
    const trailing = (ts.getTrailingCommentRanges(this.text, st.getEnd()) ?? [])[0];
    const trailingOnLine = trailing && !this.text.slice(st.getEnd(), trailing.pos).includes('\n') ? trailing : undefined;
    const out: TsStatement = {
      span,
      fullStart,
      endWithComment: trailingOnLine ? trailingOnLine.end : span.end,
      text: st.getText(sf),
      kind: 'other',
      leadingComments: leading.map((c) => this.text.slice(c.pos, c.end)),
      trailingComment: trailingOnLine ? this.text.slice(trailingOnLine.pos, trailingOnLine.end) : undefined,
      exits: containsExit(st),
      namesRead: [],
      namesWritten: [],
    };
    const written = new Set<string>();
    const read = new Set<string>();
    collectNames(st, read, written);
    out.namesRead = [...read];
    out.namesWritten = [...written];
    if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1) {
      const flags = st.declarationList.flags;
      const keyword = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : flags & (ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing) ? undefined : 'var';
      const d = st.declarationList.declarations[0];
      if (keyword && !d.exclamationToken) {
        out.kind = 'declaration';
        out.declaration = {
          keyword,
          name: { span: spanOf(d.name, sf), text: d.name.getText(sf), simple: ts.isIdentifier(d.name) },
          type: d.type?.getText(sf),
          initializer: d.initializer ? spanOf(d.initializer, sf) : undefined,
        };
        if (d.initializer && ts.isAwaitExpression(d.initializer)) out.awaited = spanOf(d.initializer.expression, sf);
      }
    } else if (ts.isExpressionStatement(st)) {
      out.kind = 'expression';
      out.expression = spanOf(st.expression, sf);
      const e = st.expression;
      if (ts.isAwaitExpression(e)) out.awaited = spanOf(e.expression, sf);
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && !ts.isObjectLiteralExpression(e.left) && !ts.isArrayLiteralExpression(e.left)) {
        out.assignment = { target: { span: spanOf(e.left, sf), text: e.left.getText(sf) }, value: spanOf(e.right, sf) };
        if (ts.isAwaitExpression(e.right)) out.awaited = spanOf(e.right.expression, sf);
      }
    }
    return out;
  }

  /** Nothing but whitespace precedes `pos` on its line. */
  private ownLine(pos: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart(pos), pos));
  }

  loopAt(span: Span): TsLoop | undefined {
    const sf = this.sf;
    const n = this.nodeAt(span, (x): x is ts.Node => isLoopNode(x));
    if (!n) return undefined;
    if (ts.isForOfStatement(n)) {
      const init = n.initializer;
      let variable: string | undefined;
      let variableKeyword: TsLoop['variableKeyword'];
      if (ts.isVariableDeclarationList(init) && init.declarations.length === 1 && ts.isIdentifier(init.declarations[0].name) && !init.declarations[0].type) {
        variable = init.declarations[0].name.text;
        variableKeyword = init.flags & ts.NodeFlags.Const ? 'const' : init.flags & ts.NodeFlags.Let ? 'let' : init.flags & ts.NodeFlags.Using ? undefined : 'var';
        if (!variableKeyword) variable = undefined;
      }
      return {
        kind: 'for-of',
        span: spanOf(n, sf),
        isAwait: !!n.awaitModifier,
        variable,
        variableKeyword,
        iterable: { span: spanOf(n.expression, sf), text: n.expression.getText(sf), simple: isSimpleReference(n.expression) },
        body: { span: spanOf(n.statement, sf), text: n.statement.getText(sf), block: ts.isBlock(n.statement) },
        statement: spanOf(n, sf),
        bodyExits: containsExit(n.statement, true),
        mutatesOuter: mutatesOuter(n.statement, variable),
        bodyStatements: (ts.isBlock(n.statement) ? [...n.statement.statements] : [n.statement]).map((x) => spanOf(x, sf)),
      };
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const cb = n.arguments[0];
      let variable: string | undefined;
      let body: TsLoop['body'] | undefined;
      let bodyExits = true;
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
        const p = cb.parameters[0];
        if (p && ts.isIdentifier(p.name) && !p.type) variable = p.name.text;
        body = { span: spanOf(cb.body, sf), text: cb.body.getText(sf), block: ts.isBlock(cb.body) };
        bodyExits = containsExit(cb.body, true);
      }
      let st: ts.Node = n;
      while (st.parent && !(isStatement(st) && (ts.isBlock(st.parent) || ts.isSourceFile(st.parent)))) st = st.parent;
      return {
        kind: 'callback',
        span: spanOf(n, sf),
        isAwait: false,
        variable,
        iterable: { span: spanOf(n.expression.expression, sf), text: n.expression.expression.getText(sf), simple: isSimpleReference(n.expression.expression) },
        body: body ?? { span: spanOf(n, sf), text: '', block: false },
        statement: spanOf(st, sf),
        bodyExits,
        mutatesOuter: cb ? mutatesOuter(cb, variable) : true,
        bodyStatements: [],
      };
    }
    return {
      kind: 'other',
      span: spanOf(n, sf),
      isAwait: false,
      iterable: { span: spanOf(n, sf), text: '', simple: false },
      body: { span: spanOf(n, sf), text: '', block: false },
      statement: spanOf(n, sf),
      bodyExits: true,
      mutatesOuter: true,
      bodyStatements: [],
    };
  }

  awaitAllowedAt(offset: number): boolean {
    let n: ts.Node | undefined = this.innermostAt(offset);
    let viaParameter = false;
    while (n) {
      if (ts.isParameter(n)) viaParameter = true;
      if (ts.isClassStaticBlockDeclaration(n) || ts.isPropertyDeclaration(n)) return false;
      if (ts.isFunctionLike(n)) {
        const mods = ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined;
        return !viaParameter && !!mods?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
      }
      n = n.parent;
    }
    return false;
  }

  parameterOf(offset: number, name: string): TsParameter | undefined {
    let n: ts.Node | undefined = this.innermostAt(offset);
    while (n && !ts.isFunctionLike(n)) n = n.parent;
    if (!n) return undefined;
    const params = (n as ts.SignatureDeclaration).parameters;
    const i = params.findIndex((x) => ts.isIdentifier(x.name) && x.name.text === name);
    if (i < 0) return undefined;
    const p = params[i];
    const body = (n as ts.FunctionLikeDeclaration).body;
    let uses = 0;
    const count = (x: ts.Node): void => {
      if (ts.isIdentifier(x) && x.text === name && !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x) && !(ts.isPropertyAssignment(x.parent) && x.parent.name === x)) uses++;
      ts.forEachChild(x, count);
    };
    if (body) count(body);
    return {
      span: spanOf(p, this.sf),
      name,
      type: p.type?.getText(this.sf),
      optional: !!p.questionToken,
      hasInitializer: !!p.initializer,
      requiredAfter: params.slice(i + 1).some((x) => !x.questionToken && !x.initializer && !x.dotDotDotToken),
      usesInBody: uses,
    };
  }

  isNameFreeIn(offset: number, name: string): boolean {
    let fn: ts.Node | undefined = this.innermostAt(offset);
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
    if (!fn) return this.isNameFree(name);
    let used = false;
    const visit = (x: ts.Node): void => {
      if (used) return;
      if (ts.isIdentifier(x) && x.text === name) used = true;
      else ts.forEachChild(x, visit);
    };
    visit(fn);
    return !used && !GLOBALS.has(name);
  }

  chainAt(span: Span): TsChain | undefined {
    const outer = this.nodeAt(span, ts.isCallExpression);
    if (!outer) return undefined;
    const links: TsChain['links'] = [];
    let n: ts.Expression = outer;
    while (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const d = this.describeCall(n);
      const dot = this.text.lastIndexOf('.', n.expression.name.getStart(this.sf));
      links.unshift({ name: n.expression.name.text, span: { start: dot, end: n.getEnd() }, args: d.args.map((a) => ({ ...a, names: rootNames(this.nodeAt(a.span, (x): x is ts.Node => true)!) })) });
      n = n.expression.expression;
    }
    return { root: { span: spanOf(n, this.sf), text: n.getText(this.sf), names: rootNames(n) }, links };
  }

  chainAround(offset: number): TsChain | undefined {
    let n: ts.Node | undefined = this.innermostAt(offset);
    while (n && !(ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression))) n = n.parent;
    if (!n) return undefined;
    // Up to the outermost call of the chain: `a.b(…).c(…)` — each call is the object of the next member.
    while (n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && n.parent.parent && ts.isCallExpression(n.parent.parent) && n.parent.parent.expression === n.parent) n = n.parent.parent;
    return this.chainAt(spanOf(n, this.sf));
  }

  declarationBefore(offset: number, name: string): { statement: Span; initializer: Span; awaited?: Span; sameBlock: boolean } | undefined {
    let n: ts.Node | undefined = this.innermostAt(offset);
    let first = true;
    while (n && !ts.isSourceFile(n)) {
      const parent: ts.Node = n.parent;
      if (ts.isFunctionLike(n)) break;
      if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
        const before = (parent as ts.Block).statements.filter((st) => st.getEnd() <= offset).reverse();
        for (const st of before) {
          if (!ts.isVariableStatement(st)) continue;
          const d = st.declarationList.declarations.find((x) => ts.isIdentifier(x.name) && x.name.text === name);
          if (d?.initializer) {
            const init = d.initializer;
            return { statement: spanOf(st, this.sf), initializer: spanOf(init, this.sf), awaited: ts.isAwaitExpression(init) ? spanOf(init.expression, this.sf) : undefined, sameBlock: first };
          }
        }
        first = false;
      }
      n = parent;
    }
    return undefined;
  }

  objectAt(span: Span): TsObject | undefined {
    const o = this.nodeAt(span, ts.isObjectLiteralExpression);
    return o && this.describeObject(o);
  }

  isNameFree(name: string): boolean {
    if (!this.identifiers) {
      const ids = new Set<string>();
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) ids.add(n.text);
        ts.forEachChild(n, visit);
      };
      visit(this.sf);
      this.identifiers = ids;
    }
    return !this.identifiers.has(name) && !GLOBALS.has(name);
  }

  references(name: string): Span[] {
    const out: Span[] = [];
    const bindingStatements = new Set(this.imports.bindings.map((b) => b.statement.start));
    const visit = (n: ts.Node): void => {
      if ((ts.isImportDeclaration(n) || ts.isVariableStatement(n)) && bindingStatements.has(n.getStart(this.sf))) return;
      if (ts.isIdentifier(n) && n.text === name) {
        const p = n.parent;
        const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p)) && p.name === n);
        if (!isName) out.push(spanOf(n, this.sf));
      }
      ts.forEachChild(n, visit);
    };
    visit(this.sf);
    return out;
  }

  resolveImport(calleeSpan: Span): ImportedName | undefined {
    const callee = this.nodeAt(calleeSpan, (x): x is ts.Expression => ts.isIdentifier(x) || ts.isPropertyAccessExpression(x));
    if (!callee) return undefined;
    const imports = this.imports;
    if (ts.isIdentifier(callee)) {
      const b = imports.bindings.find((x) => x.local === callee.text && (x.kind === 'named' || x.kind === 'require-named'));
      return b && !this.shadowed(callee) ? { module: b.module, name: b.name!, local: b.local } : undefined;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const obj = callee.expression;
      const member = callee.name.text;
      if (ts.isIdentifier(obj)) {
        const b = imports.bindings.find((x) => x.local === obj.text && (x.kind === 'default' || x.kind === 'namespace' || x.kind === 'require'));
        return b && !this.shadowed(obj) ? { module: b.module, name: '*', local: b.local, member } : undefined;
      }
      const req = requiredModule(obj);
      if (req) return { module: stripNode(req), name: '*', local: obj.getText(this.sf), member, inlineRequire: true };
    }
    return undefined;
  }

  /** A parameter or local declaration between the use and the module scope rebinds the name. */
  private shadowed(id: ts.Identifier): boolean {
    let n: ts.Node | undefined = id.parent;
    while (n && !ts.isSourceFile(n)) {
      if (ts.isFunctionLike(n) && n.parameters.some((p) => bindsName(p.name, id.text))) return true;
      if (ts.isBlock(n) && n.statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => bindsName(d.name, id.text)))) return true;
      n = n.parent;
    }
    return false;
  }

  get imports(): TsImports {
    if (!this.importsCache) this.importsCache = this.scanImports();
    return this.importsCache;
  }

  private scanImports(): TsImports {
    const sf = this.sf;
    const bindings: ModuleBinding[] = [];
    const promisifiedNodes: Array<{ local: string; arg: ts.Expression; statement: Span }> = [];
    let lastImportEnd = -1;
    let lastDeclarationEnd = -1;
    let esm = false;
    let cjs = false;
    let prefixed = 0;
    let plain = 0;
    const countPrefix = (spec: string) => {
      if (BUILTINS.has(stripNode(spec))) spec.startsWith('node:') ? prefixed++ : plain++;
    };
    for (const st of sf.statements) {
      const stSpan = spanOf(st, sf);
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        esm = true;
        lastImportEnd = st.getEnd();
        const spec = st.moduleSpecifier.text;
        countPrefix(spec);
        const clause = st.importClause;
        if (!clause || clause.isTypeOnly) continue;
        const module = stripNode(spec);
        const count = (clause.name ? 1 : 0) + (clause.namedBindings ? (ts.isNamespaceImport(clause.namedBindings) ? 1 : clause.namedBindings.elements.length) : 0);
        if (clause.name) bindings.push({ module, specifier: spec, kind: 'default', local: clause.name.text, statement: stSpan, span: spanOf(clause.name, sf), siblings: count });
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) bindings.push({ module, specifier: spec, kind: 'namespace', local: nb.name.text, statement: stSpan, span: spanOf(nb, sf), siblings: count });
        if (nb && ts.isNamedImports(nb))
          for (const el of nb.elements) {
            const siblings = nb.elements.length + (clause.name ? 1 : 0);
            if (!el.isTypeOnly) bindings.push({ module, specifier: spec, kind: 'named', name: (el.propertyName ?? el.name).text, local: el.name.text, statement: stSpan, span: spanOf(el, sf), siblings });
          }
        continue;
      }
      if (ts.isImportEqualsDeclaration(st)) {
        lastImportEnd = st.getEnd();
        continue;
      }
      if (ts.isVariableStatement(st)) {
        let isRequire = false;
        for (const d of st.declarationList.declarations) {
          const init = d.initializer;
          const spec = init && requiredModule(init);
          if (spec) {
            isRequire = true;
            cjs = true;
            countPrefix(spec);
            const module = stripNode(spec);
            const siblings = st.declarationList.declarations.length === 1 ? (ts.isObjectBindingPattern(d.name) ? d.name.elements.length : 1) : Infinity;
            if (ts.isIdentifier(d.name)) bindings.push({ module, specifier: spec, kind: 'require', local: d.name.text, statement: stSpan, span: spanOf(d, sf), siblings });
            else if (ts.isObjectBindingPattern(d.name))
              for (const el of d.name.elements)
                if (ts.isIdentifier(el.name) && !el.dotDotDotToken) {
                  const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
                  bindings.push({ module, specifier: spec, kind: 'require-named', name: prop, local: el.name.text, statement: stSpan, span: spanOf(el, sf), siblings });
                }
          } else if (init && ts.isCallExpression(init) && isPromisifyCallee(init.expression) && init.arguments.length === 1 && ts.isIdentifier(d.name)) {
            promisifiedNodes.push({ local: d.name.text, arg: init.arguments[0], statement: stSpan });
            lastDeclarationEnd = st.getEnd();
          }
        }
        if (isRequire) lastImportEnd = st.getEnd();
        continue;
      }
      if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression) && lastImportEnd < 0 && !esm && !cjs) {
        // 'use strict' and other directives come before anything we add.
        lastImportEnd = st.getEnd();
      }
    }
    // A file that neither imports nor requires: TypeScript and .mjs write ESM, other JavaScript CommonJS.
    const style: TsImports['style'] = esm ? 'esm' : cjs ? 'commonjs' : this.language === 'javascript' && !/\.mjs$/.test(this.sf.fileName) ? 'commonjs' : 'esm';
    const afterLine = (end: number): number => {
      if (end < 0) return this.firstCodeLine();
      const nl = this.text.indexOf('\n', end);
      return nl < 0 ? this.text.length : nl + 1;
    };
    const importInsertAt = afterLine(lastImportEnd);
    const declarationInsertAt = lastDeclarationEnd > lastImportEnd ? afterLine(lastDeclarationEnd) : importInsertAt;
    const self = this;
    const resolveExpr = (e: ts.Expression): ImportedName | undefined => {
      if (ts.isIdentifier(e)) {
        const b = bindings.find((x) => x.local === e.text && (x.kind === 'named' || x.kind === 'require-named'));
        return b ? { module: b.module, name: b.name!, local: b.local } : undefined;
      }
      if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
        const ns = e.expression.text;
        const b = bindings.find((x) => x.local === ns && (x.kind === 'default' || x.kind === 'namespace' || x.kind === 'require'));
        return b ? { module: b.module, name: e.name.text, local: `${ns}.${e.name.text}` } : undefined;
      }
      return undefined;
    };
    const promisified = promisifiedNodes.map((p) => ({ local: p.local, target: resolveExpr(p.arg), targetText: p.arg.getText(sf), statement: p.statement }));
    const nodePrefix = prefixed > plain;
    const imports: TsImports = {
      style,
      nodePrefix,
      bindings,
      importInsertAt,
      declarationInsertAt,
      promisified,
      refer(module, name) {
        const named = bindings.find((b) => b.module === module && (b.kind === 'named' || b.kind === 'require-named') && b.name === name);
        if (named) return named.local;
        const ns = bindings.find((b) => b.module === module && (b.kind === 'namespace' || b.kind === 'require' || (b.kind === 'default' && DEFAULT_IS_NAMESPACE.has(module))));
        return ns ? `${ns.local}.${name}` : undefined;
      },
      ensure(module, name) {
        const existing = imports.refer(module, name);
        if (existing) return { expr: existing, edits: [] };
        if (!self.isNameFree(name)) return undefined;
        const sameModule = bindings.filter((b) => b.module === module);
        const spec = sameModule[0]?.specifier ?? (BUILTINS.has(module) && nodePrefix ? `node:${module}` : module);
        const q = self.quote;
        const semi = self.semicolons ? ';' : '';
        if (style === 'esm') {
          // Merge into a one-line `import { a } from 'm'` of the same module.
          const decl = sf.statements.find(
            (s): s is ts.ImportDeclaration =>
              ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && stripNode(s.moduleSpecifier.text) === module && !s.importClause?.isTypeOnly && !!s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings),
          );
          const named = decl?.importClause?.namedBindings;
          if (decl && named && ts.isNamedImports(named) && !named.getText(sf).includes('\n') && named.elements.length > 0) {
            const last = named.elements[named.elements.length - 1];
            return { expr: name, edits: [{ span: { start: last.getEnd(), end: last.getEnd() }, newText: `, ${name}` }] };
          }
          return { expr: name, edits: [{ span: { start: importInsertAt, end: importInsertAt }, newText: `import { ${name} } from ${q}${spec}${q}${semi}${self.eol}` }] };
        }
        // Merge into a one-line `const { a } = require('m')` of the same module.
        for (const st of sf.statements) {
          if (!ts.isVariableStatement(st) || st.getText(sf).includes('\n')) continue;
          const d = st.declarationList.declarations.find((x) => x.initializer && requiredModule(x.initializer) !== undefined && stripNode(requiredModule(x.initializer)!) === module && ts.isObjectBindingPattern(x.name));
          if (d && ts.isObjectBindingPattern(d.name) && d.name.elements.length > 0 && !d.name.elements.some((el) => el.dotDotDotToken)) {
            const last = d.name.elements[d.name.elements.length - 1];
            return { expr: name, edits: [{ span: { start: last.getEnd(), end: last.getEnd() }, newText: `, ${name}` }] };
          }
        }
        return { expr: name, edits: [{ span: { start: importInsertAt, end: importInsertAt }, newText: `const { ${name} } = require(${q}${spec}${q})${semi}${self.eol}` }] };
      },
    };
    return imports;
  }

  /** The first line after a shebang and the file's leading comments. */
  private firstCodeLine(): number {
    const first = this.sf.statements[0];
    if (!first) return this.text.length;
    return this.lineStart(first.getStart(this.sf));
  }
}

/** Any expression can replace `e` without parentheses: `e` is a whole argument, initializer, element, operand of nothing. */
function standsAlone(e: ts.Expression): boolean {
  const p = e.parent;
  return (
    ts.isExpressionStatement(p) ||
    ts.isParenthesizedExpression(p) ||
    ts.isReturnStatement(p) ||
    (ts.isVariableDeclaration(p) && p.initializer === e) ||
    (ts.isCallExpression(p) && p.arguments.includes(e)) ||
    (ts.isNewExpression(p) && !!p.arguments?.includes(e)) ||
    ts.isArrayLiteralExpression(p) ||
    (ts.isPropertyAssignment(p) && p.initializer === e) ||
    (ts.isArrowFunction(p) && p.body === e) ||
    ts.isTemplateSpan(p) ||
    (ts.isBinaryExpression(p) && p.right === e && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
  );
}

/** Built-in modules that get a `node:` prefix when the file writes them so. */
const BUILTINS = new Set(['fs', 'fs/promises', 'child_process', 'zlib', 'crypto', 'util', 'path', 'os', 'timers/promises', 'stream', 'events', 'http', 'https', 'url']);
/** Modules whose default import is the module object (`import fs from 'fs'` has `fs.promises`). */
const DEFAULT_IS_NAMESPACE = new Set(['fs', 'fs/promises', 'child_process', 'zlib', 'crypto', 'util', 'path', 'os']);
/** Names a new declaration must not take even when the file does not mention them. */
const GLOBALS = new Set(['Promise', 'Map', 'Set', 'Array', 'Object', 'require', 'module', 'exports', 'process', 'Buffer', 'console', 'undefined']);

function isStatement(n: ts.Node): boolean {
  return ts.isStatement(n) || ts.isClassDeclaration(n) || ts.isFunctionDeclaration(n);
}

function isLoopNode(n: ts.Node): boolean {
  return ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isForStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isCallExpression(n);
}

/** `xs`, `this.items`, `result.rows`: reading it twice gives the same value. */
function isSimpleReference(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(e) && isSimpleReference(e.expression);
}

/** `require('m')` → `'m'`. */
function requiredModule(e: ts.Expression): string | undefined {
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && ts.isStringLiteral(e.arguments[0])) return e.arguments[0].text;
  return undefined;
}

function isPromisifyCallee(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === 'promisify') || (ts.isPropertyAccessExpression(e) && e.name.text === 'promisify');
}

function bindsName(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(el.name, text));
}

/** break/continue/return/throw/yield outside nested functions (for a loop body: what `map` cannot express). */
function containsExit(root: ts.Node, loopBody = false): boolean {
  let found = false;
  const visit = (n: ts.Node, inInnerLoop: boolean): void => {
    if (found) return;
    if (ts.isFunctionLike(n) && n !== root) return;
    if (ts.isReturnStatement(n) || ts.isThrowStatement(n) || ts.isYieldExpression(n)) {
      if (!(loopBody && ts.isThrowStatement(n))) found = true;
    }
    if ((ts.isBreakStatement(n) || ts.isContinueStatement(n)) && (!inInnerLoop || n.label)) found = true;
    const inner = inInnerLoop || ts.isIterationStatement(n, false) || ts.isSwitchStatement(n);
    ts.forEachChild(n, (c) => visit(c, n === root ? false : inner));
  };
  visit(root, false);
  return found;
}

const MUTATORS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'pop', 'shift']);

/**
 * The body changes a collection it did not declare (`out.push(…)`, `seen.add(…)`, `byId[k] = …`): run
 * concurrently, the order of its elements would follow completion order instead of the loop's.
 */
function mutatesOuter(body: ts.Node, variable: string | undefined): boolean {
  const declared = new Set<string>();
  const collect = (n: ts.Node): void => {
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name)) declared.add(n.name.text);
    ts.forEachChild(n, collect);
  };
  collect(body);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text)) {
      let root: ts.Expression = n.expression.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
      const name = ts.isIdentifier(root) ? root.text : root.kind === ts.SyntaxKind.ThisKeyword ? 'this' : undefined;
      if (!name || (!declared.has(name) && name !== variable)) found = true;
    }
    // `groups[id] = …` on an outer object: its keys would be inserted in completion order.
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(n.left)) {
      const root = n.left.expression;
      if (!ts.isIdentifier(root) || (!declared.has(root.text) && root.text !== variable)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** Root identifiers read by an expression (`order.customerId` → `order`). */
function rootNames(e: ts.Node): string[] {
  const read = new Set<string>();
  collectNames(e, read, new Set());
  return [...read];
}

function collectNames(root: ts.Node, read: Set<string>, written: Set<string>): void {
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      if (p && ts.isPropertyAccessExpression(p) && p.name === n) return;
      if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) && p.name === n) return;
      if (p && ts.isVariableDeclaration(p) && p.name === n) {
        written.add(n.text);
        return;
      }
      if (p && ts.isBindingElement(p) && (p.name === n || p.propertyName === n)) {
        if (p.name === n) written.add(n.text);
        return;
      }
      if (p && ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) written.add(n.text);
      if (p && (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) written.add(n.text);
      read.add(n.text);
      return;
    }
    if (ts.isTypeNode(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(root);
}
