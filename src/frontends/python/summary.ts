import type { FunctionSummary } from '../../core/model';
import type { ExportSummary, FileSummary } from '../../core/project';
import type { FileAnalysis } from './analysis';
import type { Value } from './resolve';
import type { ClassInfo } from './scope';

/**
 * What this module offers to others: module-level functions with their summaries, classes with
 * their methods (inherited ones included, so `crud.user.get_multi` finds `CRUDBase.get_multi`),
 * values of known library types (`async_session = async_sessionmaker(engine)`), instances of
 * project classes (`user = CRUDUser(User)`), type aliases, and re-exported imports.
 */
export function buildSummary(a: FileAnalysis): FileSummary {
  const r = a.resolver;
  const module = r.tree.module;
  const exports: Record<string, ExportSummary> = {};
  const classes: Record<string, Record<string, FunctionSummary>> = {};
  const memo = new Map<ClassInfo, Record<string, FunctionSummary>>();
  for (const cls of r.tree.classes) {
    if (cls.outer === module && cls.name) classes[cls.name] = classMethods(a, cls, 0, memo);
  }
  for (const [name, bindings] of module.bindings) {
    // The last module-level binding wins, as at import time.
    const b = bindings[bindings.length - 1];
    switch (b.kind) {
      case 'function':
        exports[name] = { function: a.calls.summaryOf(b.fn) };
        break;
      case 'class': {
        const base = r.libraryBase(b.cls, true);
        exports[name] = { className: b.cls.name, ...(base ? { typeId: base } : {}) };
        break;
      }
      case 'import':
        exports[name] = { reexport: { specifier: b.module, name: b.name ?? '' } };
        if (!b.name) delete exports[name];
        break;
      case 'assign': {
        const v = r.nameValue(name, module, a.text.length, 0);
        const e = exportOf(v);
        if (e) exports[name] = e;
        break;
      }
    }
  }
  return { file: a.file, language: 'python', exports, classes };
}

function exportOf(v: Value): ExportSummary | undefined {
  switch (v.kind) {
    case 'type':
      return { typeId: v.id };
    case 'instance':
      return { instanceOf: v.cls.name, typeId: `instance:${v.cls.name}` };
    case 'projectInstance':
      return { instanceOf: v.name, typeId: `instance:${v.name}` };
    case 'alias': {
      const inner = exportOf(v.of);
      return inner?.typeId ? { typeId: `alias:${inner.typeId}` } : undefined;
    }
    default:
      return undefined;
  }
}

/** Methods of a class, own first, then inherited from bases in this file or other project files. */
export function classMethods(a: FileAnalysis, cls: ClassInfo, depth: number, memo = new Map<ClassInfo, Record<string, FunctionSummary>>()): Record<string, FunctionSummary> {
  return inherited(a, cls, depth, memo).methods;
}

/**
 * `classMethods`, remembering per class what did not reach the depth limit (a class with many
 * subclasses in one file was walked again for each of them); `truncated` results depend on the
 * depth they were asked at, so they are not remembered.
 */
function inherited(a: FileAnalysis, cls: ClassInfo, depth: number, memo: Map<ClassInfo, Record<string, FunctionSummary>>): { methods: Record<string, FunctionSummary>; truncated: boolean } {
  const known = memo.get(cls);
  if (known) return { methods: known, truncated: false };
  const out: Record<string, FunctionSummary> = {};
  if (depth > 8) return { methods: out, truncated: true };
  let truncated = false;
  const r = a.resolver;
  for (const base of [...cls.bases].reverse()) {
    const bv = r.baseValue(base, 0);
    if (bv.kind === 'class' && bv.cls !== cls) {
      const from = inherited(a, bv.cls, depth + 1, memo);
      truncated ||= from.truncated;
      Object.assign(out, from.methods);
    } else if (bv.kind === 'projectClass') Object.assign(out, bv.methods);
  }
  for (const [name, fn] of cls.methods) out[name] = a.calls.summaryOf(fn);
  if (!truncated) memo.set(cls, out);
  return { methods: out, truncated };
}
