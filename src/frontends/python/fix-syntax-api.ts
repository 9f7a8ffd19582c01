import type { TextEdit } from '../../core/finding';
import type { FixSyntax } from '../../core/fix-syntax';
import type { Span } from '../../core/model';
import type { PyNode } from './tree';

/**
 * What the Python fixes need to know about the source: the syntax tree (tree-sitter, copied into
 * plain objects; keywords and punctuation are not in it, their text is), where a node sits, where
 * `await` is legal, and how the file imports modules (to add `import asyncio` once, in its style).
 * Rules narrow `ctx.syntax` with `isPythonSyntax` and keep the spelling of their fixes themselves.
 */
export interface PythonFixSyntax extends FixSyntax {
  readonly language: 'python';
  readonly root: PyNode;
  /** Source text of a node or span. */
  src(n: Span): string;
  /** The outermost node whose span is exactly `span` (a call fact's span → its `call` node). */
  nodeAt(span: Span, type?: string): PyNode | undefined;
  /** The innermost node of one of `types` that contains `node` (itself included). */
  ancestor(node: PyNode, types: ReadonlySet<string> | string): PyNode | undefined;
  /** The statement (a child of a block or of the module) that contains `node`. */
  statementOf(node: PyNode): PyNode | undefined;
  /**
   * `await` may be written at `node` with the meaning it has inside `fn` (the `async def` span):
   * no lambda, nested def, class body or generator expression in between (in a generator
   * expression `await` turns it into an async generator).
   */
  awaitLegalAt(node: PyNode, fn: Span): boolean;
  /**
   * Expression text for the name of `module` in this file (`asyncio`, or its alias), and the edit
   * that imports it when the module is not imported at the top of the file yet.
   */
  moduleName(module: string): { name: string; edit?: TextEdit };
  /**
   * The local name of `from <module> import <name>` (also when imported from one of `alsoFrom`,
   * e.g. sqlmodel's `select`), and the edit that imports it when the file does not: added to an
   * existing one-line `from <module> import …` in sorted place, else as a new line after the imports.
   */
  fromImport(module: string, name: string, alsoFrom?: string[]): { name: string; edit?: TextEdit };
  /**
   * The name identifier of a parameter node (`x`, `x: T`, `x=1`, `x: T = 1`); undefined for
   * `*args`, `**kwargs` and separators.
   */
  paramName(param: PyNode): PyNode | undefined;
  /** Names bound or read anywhere in the file (to pick a fresh name, or to avoid `_` when it is gettext). */
  readonly identifiers: ReadonlySet<string>;
}

/** Rule files import this (and the interface) without loading the front-end. */
export function isPythonSyntax(s: FixSyntax): s is PythonFixSyntax {
  return s.language === 'python' && 'root' in s;
}

