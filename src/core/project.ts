import type { FunctionSummary, Language } from './model';

/**
 * What one file offers to others, computed in the first pass of a project analysis
 * ("summarise, then check"): function summaries and the known database/blocking type of exported
 * values (`export const prisma = new PrismaClient()`), plus class methods for injected services.
 */
export interface FileSummary {
  file: string;
  language: Language;
  /** Exported name (`default` for default exports) → what it is. */
  exports: Record<string, ExportSummary>;
  /** Class name → method name → summary (for `this.userService.findById()` via type annotations). */
  classes: Record<string, Record<string, FunctionSummary>>;
  /** Class name → knowledge types it inherits (`class PrismaService extends PrismaClient`). */
  classBases?: Record<string, { instance?: string; static?: string }>;
  /** Class name → entity relations with their foreign key beside them (see ClassFact.relations). */
  classRelations?: Record<string, string[]>;
}

export interface ExportSummary {
  function?: FunctionSummary;
  /** Knowledge type id of the exported value (`prisma.PrismaClient`). */
  typeId?: string;
  /** The export is a class defined in this file (its methods are in `classes`). */
  className?: string;
  /** The export is an instance of a class defined in the project (`export default new UserService()`). */
  instanceOf?: string;
  /** An exported object literal of functions (`export const usersRepo = { findById() {…} }`). */
  members?: Record<string, FunctionSummary>;
  /** `export * from` / re-export: resolve through this specifier. */
  reexport?: { specifier: string; name: string };
}

/** Lookup across the files of one analysed project. Front-ends resolve specifiers through it. */
export interface ProjectIndex {
  /** The summary of the file a module specifier in `fromFile` refers to, if it is in the project. */
  resolveModule(fromFile: string, specifier: string, language: Language): FileSummary | undefined;
  /** A class defined anywhere in the project, by name (for type annotations of injected services). */
  findClass(name: string): Record<string, FunctionSummary> | undefined;
  /** The library types a project class inherits, if any. */
  findClassBase?(name: string): { instance?: string; static?: string } | undefined;
  /** Entity relations declared by any class of the project (see ClassFact.relations). */
  entityRelations?(): readonly string[];
}

export function emptySummary(file: string, language: Language): FileSummary {
  return { file, language, exports: {}, classes: {} };
}
