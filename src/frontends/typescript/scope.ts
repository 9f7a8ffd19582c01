import type ts from 'typescript';
import type { FileSummary } from '../../core/project';

/**
 * What a name refers to, as far as the rules care. Types are knowledge type ids
 * (`pg.Pool`), `class:Name` for instances of classes of this project, `static:Name` for the
 * class value itself.
 */
export interface Binding {
  /** Knowledge type id or class pseudo-type of the value. */
  typeId?: string;
  /** `import { readFileSync } from 'fs'`: calling it is calling method `name` of `typeId`. */
  memberOf?: { typeId: string; name: string };
  /** A function of this file. */
  localFunction?: ts.Node;
  /** An object literal of functions in this file (`const repo = { find() {…} }`). */
  localObject?: Map<string, ts.Node>;
  /** `import * as repo from './repo'` / `require('./repo')`. */
  projectModule?: FileSummary;
  /** Imported from a file of the project (`import { loadUser } from './users'`): export `name` of `specifier`. */
  importRef?: { specifier: string; name: string };
  /** A namespace import or `require` of a file of the project. */
  importModule?: string;
  /** The binding is known not to be a database value (a local class, a literal, a Map…). */
  known?: boolean;
  /** Declared as a function parameter (for tracing request parameters into offsets). */
  isParam?: boolean;
  /** Where the name is declared. */
  decl?: ts.Node;
  /** The initializer, for tracing values (`const skip = (page - 1) * size`). */
  init?: ts.Expression;
  /** Operations through this name share one connection (transaction callback parameter). */
  connectionKey?: string;
  /** Bound from a literal string (SQL kept in a const). */
  literal?: ts.Expression;
}

export class Scope {
  // Created on first declaration: most blocks declare nothing.
  private names: Map<string, Binding> | undefined;

  constructor(readonly parent?: Scope) {}

  declare(name: string, binding: Binding): void {
    (this.names ??= new Map()).set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.names?.get(name);
      if (b) return b;
    }
    return undefined;
  }
}

/** A module scope that tells of each declaration (statement reuse records what a walk declares). */
export class ModuleScope extends Scope {
  onDeclare?: (name: string, binding: Binding) => void;

  override declare(name: string, binding: Binding): void {
    super.declare(name, binding);
    this.onDeclare?.(name, binding);
  }
}
