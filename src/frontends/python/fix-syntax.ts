import type { TextEdit } from '../../core/finding';
import { TextSyntax } from '../../core/fix-syntax';
import type { FileFacts, Span } from '../../core/model';
import { PYTHON_STDLIB_MODULES } from '../../core/knowledge/python/stdlib';
import { parsedTree } from './analysis';
import type { PythonFixSyntax } from './fix-syntax-api';
import type { PyNode } from './tree';
import { field, namedChildren } from './tree';

const STATEMENT_PARENTS = new Set(['block', 'module']);
/** Nodes where the meaning of `await` changes or it is not allowed. */
const AWAIT_BARRIERS = new Set(['lambda', 'generator_expression', 'class_definition', 'function_definition', 'decorator', 'default_parameter', 'typed_default_parameter']);

class PythonSyntax extends TextSyntax implements PythonFixSyntax {
  declare readonly language: 'python';
  private ids?: Set<string>;

  constructor(
    text: string,
    readonly root: PyNode,
  ) {
    super('python', text);
  }

  src(n: Span): string {
    return this.text.slice(n.start, n.end);
  }

  nodeAt(span: Span, type?: string): PyNode | undefined {
    let n: PyNode = this.root;
    for (;;) {
      if (n.start === span.start && n.end === span.end && (!type || n.type === type)) return n;
      const next: PyNode | undefined = n.children.find((c) => c.named && c.start <= span.start && span.end <= c.end && c.end > c.start);
      if (!next) return undefined;
      n = next;
    }
  }

  ancestor(node: PyNode, types: ReadonlySet<string> | string): PyNode | undefined {
    for (let n: PyNode | null = node; n; n = n.parent) if (typeof types === 'string' ? n.type === types : types.has(n.type)) return n;
    return undefined;
  }

  statementOf(node: PyNode): PyNode | undefined {
    for (let n: PyNode | null = node; n; n = n.parent) if (n.parent && STATEMENT_PARENTS.has(n.parent.type)) return n;
    return undefined;
  }

  awaitLegalAt(node: PyNode, fn: Span): boolean {
    for (let n: PyNode | null = node.parent; n; n = n.parent) {
      if (n.type === 'function_definition') return n.start === fn.start && n.end === fn.end && n.children.some((c) => c.type === 'async');
      if (AWAIT_BARRIERS.has(n.type)) return false;
    }
    return false;
  }

  paramName(param: PyNode): PyNode | undefined {
    if (param.type === 'identifier') return param;
    if (param.type === 'typed_parameter') return param.children.find((c) => c.type === 'identifier' && c.field === null);
    if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') return field(param, 'name');
    return undefined;
  }

  get identifiers(): ReadonlySet<string> {
    if (!this.ids) {
      this.ids = new Set();
      const stack = [this.root];
      while (stack.length) {
        const n = stack.pop()!;
        if (n.type === 'identifier') this.ids.add(this.src(n));
        for (let ci = 0, cs = n.children; ci < cs.length; ci++) {
          const c = cs[ci];
          stack.push(c);
        }
      }
    }
    return this.ids;
  }

  moduleName(module: string): { name: string; edit?: TextEdit } {
    const imports = topImports(this.root);
    for (const stmt of imports) {
      if (stmt.type !== 'import_statement') continue;
      for (const item of namedChildren(stmt)) {
        if (item.type === 'dotted_name' && this.src(item) === module) return { name: module };
        if (item.type === 'aliased_import') {
          const name = field(item, 'name');
          const alias = field(item, 'alias');
          if (name && alias && this.src(name) === module) return { name: this.src(alias) };
        }
      }
    }
    return { name: module, edit: this.importEdit(module, imports) };
  }

  fromImport(module: string, name: string, alsoFrom: string[] = []): { name: string; edit?: TextEdit } {
    const imports = topImports(this.root);
    let sameModule: PyNode | undefined;
    for (const stmt of imports) {
      if (stmt.type !== 'import_from_statement') continue;
      const from = field(stmt, 'module_name');
      const mod = from ? this.src(from) : '';
      if (mod !== module && !alsoFrom.includes(mod)) continue;
      if (mod === module) sameModule ??= stmt;
      for (const item of namedChildren(stmt)) {
        if (item.field !== 'name') continue;
        if (item.type === 'dotted_name' && this.src(item) === name) return { name };
        if (item.type === 'aliased_import' && this.src(field(item, 'name') ?? item) === name) return { name: this.src(field(item, 'alias') ?? item) };
      }
    }
    const stmtText = sameModule ? this.src(sameModule) : '';
    // Without names (`from m import** x` after error recovery) the import gets a line of its own.
    const names = sameModule ? namedChildren(sameModule).filter((c) => c.field === 'name') : [];
    if (names.length && !/[()\\\n]/.test(stmtText) && !/\bas\b/.test(stmtText.replace(/^from\s+\S+\s+import/, ''))) {
      const later = names.find((n) => this.src(n).toLowerCase() > name.toLowerCase());
      if (later) return { name, edit: { span: { start: later.start, end: later.start }, newText: `${name}, ` } };
      const lastName = names[names.length - 1];
      return { name, edit: { span: { start: lastName.end, end: lastName.end }, newText: `, ${name}` } };
    }
    const line = `from ${module} import ${name}${this.eol}`;
    const last = imports[imports.length - 1];
    if (!last) return { name, edit: this.importEdit(module, imports, line) };
    return { name, edit: { span: { start: this.lineEnd(last.end), end: this.lineEnd(last.end) }, newText: line } };
  }

  /**
   * `import <module>` placed as isort would: in the standard-library group, before the first plain
   * import that sorts after it (plain imports before `from` imports); else as its own group before
   * the first group; with no imports, after the module docstring and `from __future__` imports.
   */
  private importEdit(module: string, imports: PyNode[], line = `import ${module}${this.eol}`): TextEdit {
    const eol = this.eol;
    const regular = imports.filter((s) => !isFutureImport(this, s));
    if (regular.length === 0) {
      const header = namedChildren(this.root).filter((s) => isFutureImport(this, s) || isDocstring(s, this.root));
      const last = header[header.length - 1];
      if (last) return { span: { start: this.lineEnd(last.end), end: this.lineEnd(last.end) }, newText: `${eol}${line}` };
      // Before the first statement (after a shebang, encoding line or licence comment); PEP 8 wants
      // two blank lines before a top-level def or class.
      const first = namedChildren(this.root)[0];
      const at = first ? this.lineStart(first.start) : 0;
      const blank = first && /^(function|class|decorated)_definition$/.test(first.type) ? `${eol}${eol}` : eol;
      return { span: { start: at, end: at }, newText: `${line}${blank}` };
    }
    const groups = splitGroups(this, regular);
    const stdlib = groups.find((g) => g.some((s) => PYTHON_STDLIB_MODULES.has(topModule(this, s))));
    if (stdlib) {
      const plain = stdlib.filter((s) => s.type === 'import_statement');
      // Sorted by module across `import` and `from` lines (isort's force_sort_within_sections), or
      // plain imports first (isort's default).
      const mixed = stdlib.some((s, i) => s.type === 'import_statement' && stdlib.slice(0, i).some((p) => p.type === 'import_from_statement'));
      const key = (s: PyNode) => (s.type === 'import_statement' ? importedName(this, s) : fromModule(this, s)).toLowerCase();
      const later = (mixed ? stdlib : plain).find((s) => key(s) > module.toLowerCase());
      if (later) return { span: { start: this.lineStart(later.start), end: this.lineStart(later.start) }, newText: line };
      const lastPlain = plain[plain.length - 1];
      if (lastPlain) return { span: { start: this.lineEnd(lastPlain.end), end: this.lineEnd(lastPlain.end) }, newText: line };
      const first = stdlib[0];
      return { span: { start: this.lineStart(first.start), end: this.lineStart(first.start) }, newText: line };
    }
    const first = groups[0][0];
    return { span: { start: this.lineStart(first.start), end: this.lineStart(first.start) }, newText: `${line}${eol}` };
  }

  /** Offset just after the line terminator of the line that holds `offset` (end of text if none). */
  lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }
}

/** The import statements at the top level of the module, before the first other code. */
function topImports(root: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (const s of namedChildren(root)) {
    if (s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement') out.push(s);
    else if (isDocstring(s, root) || s.type === 'if_statement' || s.type === 'try_statement') continue;
    else break;
  }
  return out;
}

function isDocstring(s: PyNode, root: PyNode): boolean {
  return s === namedChildren(root)[0] && s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'string';
}

function isFutureImport(syn: PythonSyntax, s: PyNode): boolean {
  return s.type === 'future_import_statement' || (s.type === 'import_from_statement' && /^from\s+__future__\b/.test(syn.src(s)));
}

/** `import os.path` → `os`; `from fastapi import X` → `fastapi`; `from . import x` → ''. */
function topModule(syn: PythonSyntax, s: PyNode): string {
  const m = /^(?:from|import)\s+([A-Za-z_][\w]*)/.exec(syn.src(s));
  return m ? m[1] : '';
}

/** `import os.path, sys` → `os.path`. */
function importedName(syn: PythonSyntax, s: PyNode): string {
  return /^import\s+([\w.]+)/.exec(syn.src(s))?.[1] ?? '';
}

/** `from os.path import join` → `os.path`. */
function fromModule(syn: PythonSyntax, s: PyNode): string {
  return /^from\s+([\w.]+)/.exec(syn.src(s))?.[1] ?? '';
}

/** Import statements separated by blank lines or comments form groups (isort sections). */
function splitGroups(syn: PythonSyntax, imports: PyNode[]): PyNode[][] {
  const groups: PyNode[][] = [];
  let prevEnd = -1;
  for (const s of imports) {
    const between = prevEnd < 0 ? '' : syn.text.slice(prevEnd, s.start);
    if (prevEnd < 0 || /\n[ \t]*\r?\n/.test(between) || /#/.test(between)) groups.push([s]);
    else groups[groups.length - 1].push(s);
    prevEnd = s.end;
  }
  return groups;
}

/** Builds the Python fix syntax for extracted facts; undefined when the file cannot be parsed. */
export function pythonFixSyntax(facts: FileFacts): PythonFixSyntax | undefined {
  const parsed = parsedTree(facts.file, facts.text);
  return parsed ? new PythonSyntax(facts.text, parsed.root) : undefined;
}

