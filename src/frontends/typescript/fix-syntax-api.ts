import type { Span } from '../../core/model';
import type { TextEdit } from '../../core/finding';
import type { FixSyntax } from '../../core/fix-syntax';

/**
 * What the TS/JS fixes ask of the source, answered from the compiler's syntax tree. Rule files
 * import this interface as a type only (they must not load the compiler); every answer is plain
 * data (spans and text), so the rules never see a `ts.Node`.
 */
export interface TsFixSyntax extends FixSyntax {
  readonly language: 'typescript' | 'javascript';
  /** The call expression whose span is exactly `span` (a finding's call), if any. */
  callAt(span: Span): TsCall | undefined;
  /** The statement that holds `offset` directly inside a block or the file. */
  statementAt(offset: number): TsStatement | undefined;
  /** The loop statement or iteration call whose span is exactly `span`. */
  loopAt(span: Span): TsLoop | undefined;
  /** The object literal property whose span (or name span) starts at `offset`. */
  propertyAt(offset: number): TsProperty | undefined;
  /** `await` may be written at `offset`: inside an async function body (not a parameter, not a nested function). */
  awaitAllowedAt(offset: number): boolean;
  /** A method chain `root.a(…).b(…)` whose outermost call is exactly `span`, links in call order. */
  chainAt(span: Span): TsChain | undefined;
  /** The whole method chain that has a call containing `offset` (`db('t').orderBy('id').offset(n)`). */
  chainAround(offset: number): TsChain | undefined;
  /**
   * The nearest `const name = …` before `offset` in the blocks around it, within one function:
   * its statement, initializer, and the awaited expression when the initializer is `await x`.
   */
  declarationBefore(offset: number, name: string): { statement: Span; initializer: Span; awaited?: Span; sameBlock: boolean } | undefined;
  /** The object literal whose span is exactly `span`. */
  objectAt(span: Span): TsObject | undefined;
  /** The string or template literal that contains `offset` (SQL in a query call), and where it is passed. */
  literalAt(offset: number): TsLiteral | undefined;
  /** The parameter named `name` of the function that contains `offset`. */
  parameterOf(offset: number, name: string): TsParameter | undefined;
  /** Identifier `name` is not used anywhere in the file (so a new declaration cannot shadow or clash). */
  isNameFree(name: string): boolean;
  /** Identifier `name` is not used in the function that contains `offset` (a new parameter or local there cannot clash). */
  isNameFreeIn(offset: number, name: string): boolean;
  /**
   * Identifiers `name` that read or write a value, outside the import and require statements
   * (property names excluded): what still uses an imported binding.
   */
  references(name: string): Span[];
  /** What a callee identifier or `ns.member` refers to among the file's imports and requires. */
  resolveImport(callee: Span): ImportedName | undefined;
  /** Module-level bindings: how the file imports things, and where a new import goes. */
  readonly imports: TsImports;
  /** The file ends statements with `;`. */
  readonly semicolons: boolean;
  /** The file writes strings with single quotes. */
  readonly quote: "'" | '"';
}

export interface TsCall {
  span: Span;
  callee: { span: Span; text: string };
  /** `receiver.method(...)`: the receiver and the method name. */
  receiver?: { span: Span; text: string };
  method?: string;
  args: Array<{ span: Span; text: string; names: string[]; object?: TsObject; elements?: TsElement[] }>;
  /** From after `(` to before `)`. */
  argsInner: Span;
  /** The `await` expression directly around the call, if any. */
  awaitSpan?: Span;
  /** Writing `await call` in place of the call needs parentheses (`call.x`, `call()`). */
  needsParensForAwait: boolean;
  /** The value is dropped: the call (or its await) is a whole expression statement. */
  discarded: boolean;
  /** The call (with its `await`) is a whole argument, initializer, element or statement: any expression fits there. */
  standsAlone: boolean;
}

/** An element of an array literal argument (`[limit, offset]`). */
export interface TsElement {
  span: Span;
  text: string;
  names: string[];
}

export interface TsLiteral {
  /** The literal with its quotes or backticks (a tagged template: the template, not the tag). */
  span: Span;
  kind: 'string' | 'template' | 'tagged';
  /** The text between the quotes contains a backslash escape (so source offsets and value offsets differ). */
  escaped: boolean;
  /** `${…}` of a template, in order: the whole `${…}` and the expression inside. */
  substitutions: Array<{ span: Span; expression: TsElement }>;
  /** `sql` / `prisma.$queryRaw` of a tagged template. */
  tag?: { span: Span; text: string };
  /** The call that takes the literal as an argument (not for tagged templates). */
  call?: TsCall;
  argIndex?: number;
}

export interface TsChain {
  /** What the chain starts from: `knex('users')`, `Invoice`. */
  root: { span: Span; text: string; names: string[] };
  /** Each call of the chain; `span` runs from its `.` to its `)`. */
  links: Array<{ name: string; span: Span; args: Array<{ span: Span; text: string; object?: TsObject; names: string[] }> }>;
}

export interface TsObject {
  span: Span;
  multiline: boolean;
  properties: TsProperty[];
}

export interface TsProperty {
  span: Span;
  /** Plain property name; undefined for spreads, methods and computed names. */
  name?: string;
  nameSpan: Span;
  value?: { span: Span; text: string; object?: TsObject; names: string[]; isStringLiteral?: string };
  shorthand: boolean;
  /** The object literal holding the property. */
  parent: Span;
}

export interface TsStatement {
  span: Span;
  /** Including leading comments on lines of their own. */
  fullStart: number;
  /** End of the line's trailing comment (`stmt; // note`), or `span.end`. */
  endWithComment: number;
  text: string;
  kind: 'declaration' | 'expression' | 'other';
  /** `const x: T = await y;` (one declarator). */
  declaration?: { keyword: 'const' | 'let' | 'var'; name: { span: Span; text: string; simple: boolean }; type?: string; initializer?: Span };
  /** `target = await y;` */
  assignment?: { target: { span: Span; text: string }; value: Span };
  /** The expression of an expression statement. */
  expression?: Span;
  /** `await x` as the whole initializer / assigned value / expression: the span of `x`. */
  awaited?: Span;
  /** Leading comments that sit on lines of their own, as written. */
  leadingComments: string[];
  trailingComment?: string;
  /** Contains break/continue/return/yield/throw (not inside nested functions). */
  exits: boolean;
  /** Root names read and names declared or assigned, for moving statements around. */
  namesRead: string[];
  namesWritten: string[];
}

export interface TsLoop {
  kind: 'for-of' | 'callback' | 'other';
  span: Span;
  /** `for await (…)` */
  isAwait: boolean;
  /** The loop variable when it is one plain identifier (`const order of orders`). */
  variable?: string;
  variableKeyword?: 'const' | 'let' | 'var';
  iterable: { span: Span; text: string; simple: boolean };
  body: { span: Span; text: string; block: boolean };
  /** The statement that holds the loop (itself for statements). */
  statement: Span;
  /** The body breaks, continues, returns or yields (not inside nested functions). */
  bodyExits: boolean;
  /** The body adds to or reorders a collection declared outside it (`out.push(…)`). */
  mutatesOuter: boolean;
  /** The statements of a for-of body (one for a body without braces). */
  bodyStatements: Span[];
}

export interface TsParameter {
  span: Span;
  name: string;
  type?: string;
  optional: boolean;
  hasInitializer: boolean;
  /** A required parameter follows (so this one cannot become `name?`). */
  requiredAfter: boolean;
  /** How often the function body reads the name (shorthand `{ name }` included). */
  usesInBody: number;
}

/** `module` is written without `node:`; `name` is the export (`default`, `*` for a namespace). */
export interface ImportedName {
  module: string;
  name: string;
  /** The local binding for `name` (the namespace for `ns.member` when `member` is set). */
  local: string;
  /** `ns.member(…)`: called as a member of a namespace, default or `require` binding. */
  member?: string;
  /** Inline `require('m').member(…)`. */
  inlineRequire?: boolean;
}

export interface ModuleBinding {
  module: string;
  /** The specifier as written (with or without `node:`). */
  specifier: string;
  kind: 'default' | 'namespace' | 'named' | 'require' | 'require-named';
  /** Export name for named bindings (`readFile` in `{ readFile as rf }`). */
  name?: string;
  local: string;
  /** The import declaration (or require statement) that holds it. */
  statement: Span;
  /** The specifier (`readFile as rf`), default name, `* as ns`, or binding element. */
  span: Span;
  /** How many names the statement binds (type-only ones included): 1 means removing this one removes the statement. */
  siblings: number;
}

export interface TsImports {
  style: 'esm' | 'commonjs';
  /** Prefer `node:` specifiers for built-in modules. */
  nodePrefix: boolean;
  bindings: ModuleBinding[];
  /** Where a new import line goes (start of a line), and where a module-level declaration goes. */
  importInsertAt: number;
  declarationInsertAt: number;
  /** Module-level `const x = promisify(y)` / `util.promisify(y)` declarations. */
  promisified: Array<{ local: string; target: ImportedName | undefined; targetText: string; statement: Span }>;
  /** A local that names export `name` of `module` (a named import, or `ns.name`), if the file has one. */
  refer(module: string, name: string): string | undefined;
  /**
   * Edits that make export `name` of `module` available, and the expression to use: an existing
   * binding, a name merged into a one-line named import of that module, or a new import line.
   * Undefined when the name is taken.
   */
  ensure(module: string, name: string): { expr: string; edits: TextEdit[] } | undefined;
}

/**
 * Narrows the rule context's syntax to the TS/JS one. Rule files import this module, never
 * fix-syntax.ts itself: that one loads the compiler, which a Python-only run must not pay for.
 */
export function isTsFixSyntax(s: FixSyntax): s is TsFixSyntax {
  return (s.language === 'typescript' || s.language === 'javascript') && typeof (s as Partial<TsFixSyntax>).callAt === 'function';
}

/**
 * One fix may insert several things at one point (an import, then a declaration): applyFixes
 * rejects a fix whose own edits overlap, so insertions at the same offset become one edit, in order.
 */
export function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = e.span.start === e.span.end ? out.find((o) => o.span.start === e.span.start && o.span.end === e.span.start) : undefined;
    if (same) {
      if (!same.newText.includes(e.newText)) same.newText += e.newText;
    } else out.push({ span: { ...e.span }, newText: e.newText });
  }
  return out;
}

