import type { CallFact, CallTarget, Effect, FileFacts, FunctionSummary, Language } from './model';
import type { ExportSummary, FileSummary, ProjectIndex } from './project';

/**
 * Linking: gives calls into the project's own functions the effect of those functions. A function
 * queries when a call in it queries (directly or through a helper); a synchronous function blocks
 * when a call in it blocks. Computed to a fixpoint over the facts alone, so a file is parsed once
 * and re-linked cheaply as the summaries of other files become known.
 */
export function linkFacts(facts: FileFacts, project?: ProjectIndex): Map<number, FunctionSummary> {
  const { calls, functions } = facts;
  facts.projectRelations = project?.entityRelations?.();
  const targeted = calls.filter((c) => c.target);
  // Idempotent: effects that came from targets are recomputed on every link.
  for (const c of targeted) {
    c.effect = undefined;
    c.operation = c.target!.guessedOp ?? 'unknown';
  }
  const summaries = new Map<number, FunctionSummary>();
  const summaryOf = (id: number): FunctionSummary => {
    let s = summaries.get(id);
    if (!s) {
      const f = functions[id];
      s = { name: f.name ?? '<anonymous>', isAsync: f.isAsync };
      summaries.set(id, s);
    }
    return s;
  };
  const external = new Map<CallFact, FunctionSummary | undefined>();
  for (const c of targeted) if (c.target!.kind !== 'local') external.set(c, resolveTarget(facts.file, facts.language, c.target!, project));

  for (let round = 0; round < 8; round++) {
    let changed = false;
    for (const c of calls) {
      if (c.target && !c.effect) {
        const s = c.target.kind === 'local' ? summaries.get(c.target.functionId) : external.get(c);
        const targetAsync = c.target.kind === 'local' ? functions[c.target.functionId]?.isAsync : s?.isAsync;
        let via = s ? (s.blocking && !targetAsync ? s.blocking : s.query) : undefined;
        // A helper that returns a builder without running it queries only where its result is consumed.
        if (via?.lazy && !c.consumed) via = undefined;
        if (via) {
          c.effect = { kind: via.kind, library: 'project', api: c.calleeText, via: via.via, store: via.store, writes: via.writes, lazy: via.lazy && !c.awaited ? true : undefined };
          changed = true;
        }
        // A helper that only reads can be awaited alongside others; one that writes orders them.
        if (s?.query && c.operation === 'unknown') c.operation = s.query.writes ? 'write' : 'read';
      }
      const eff = c.effect;
      if (!eff) continue;
      const owner = owningFunction(facts, c.functionId, eff.kind);
      if (owner === undefined) continue;
      const cur = summaryOf(owner);
      const via = eff.via ?? { file: facts.file, span: c.span, api: eff.api, helper: cur.name };
      const summaryEffect: Effect = { kind: eff.kind, library: eff.library, api: eff.api, via: { ...via, helper: cur.name }, store: eff.store, lazy: eff.lazy };
      if (eff.kind === 'query') {
        if (!cur.query) {
          cur.query = summaryEffect;
          changed = true;
        } else if (cur.query.lazy && !eff.lazy) {
          // One query that runs makes the helper a query, whatever else it returns.
          cur.query = { ...summaryEffect, writes: cur.query.writes };
          changed = true;
        }
        if (!cur.query.writes && (c.operation === 'write' || eff.writes)) {
          cur.query.writes = true;
          changed = true;
        }
      } else if (!cur.blocking && !functions[owner].isAsync) {
        cur.blocking = summaryEffect;
        changed = true;
      }
    }
    // A query in an arrow/function expression counts for the function holding it
    // (`return items.map((x) => db.find(x))`): calling the outer function runs it.
    for (const f of functions) {
      const s = summaries.get(f.id);
      if (!s?.query || f.parent === undefined || !functions[f.parent] || !f.isExpression) continue;
      const parent = summaryOf(f.parent);
      if (!parent.query) {
        parent.query = { ...s.query, via: s.query.via ? { ...s.query.via, helper: parent.name } : undefined };
        changed = true;
      }
    }
    if (!changed) break;
  }
  return summaries;
}

/** `linkFacts` that never throws: a failure is a note on the file, and helpers count as unknown. */
export function linkFactsSafely(facts: FileFacts, project?: ProjectIndex): Map<number, FunctionSummary> {
  try {
    return linkFacts(facts, project);
  } catch (err) {
    facts.notes.push(`${facts.file}: internal error while linking helper calls; their effects are missing (${err instanceof Error ? err.message : String(err)})`);
    return new Map();
  }
}

/**
 * The function whose summary a call's effect counts for. Blocking: inline callbacks (forEach, a
 * Promise executor) belong to their caller; queries count for the innermost function.
 */
function owningFunction(facts: FileFacts, functionId: number | undefined, kind: Effect['kind']): number | undefined {
  let id = functionId;
  while (id !== undefined && id >= 0) {
    const f = facts.functions[id];
    if (!f) return undefined;
    if (kind === 'blocking' && f.runsInline && !f.isAsync) {
      id = f.parent;
      continue;
    }
    return id;
  }
  return undefined;
}

function resolveTarget(file: string, language: Language, target: CallTarget, project?: ProjectIndex): FunctionSummary | undefined {
  if (!project) return undefined;
  if (target.kind === 'class') return project.findClass(target.className)?.[target.member];
  if (target.kind !== 'import') return undefined;
  const found = resolveExport(project, file, target.specifier, target.name, language);
  if (!found) return undefined;
  const { ex, summary } = found;
  if (target.member === undefined) return ex.function;
  if (ex.members) return ex.members[target.member];
  const cls = ex.className ?? ex.instanceOf;
  if (cls) return summary.classes[cls]?.[target.member] ?? project.findClass(cls)?.[target.member];
  return undefined;
}

/** Follows re-exports to the export a specifier and name refer to. */
export function resolveExport(project: ProjectIndex, file: string, specifier: string, name: string, language: Language): { ex: ExportSummary; summary: FileSummary } | undefined {
  let summary = project.resolveModule(file, specifier, language);
  let exportName = name;
  for (let i = 0; summary && i < 5; i++) {
    const ex = summary.exports[exportName];
    if (!ex) return undefined;
    if (!ex.reexport) return { ex, summary };
    const next = project.resolveModule(summary.file, ex.reexport.specifier, summary.language);
    exportName = ex.reexport.name;
    summary = next;
  }
  return undefined;
}

/** The project summary of a linked file: its exports and classes with their function summaries. */
export function fileSummary(facts: FileFacts, summaries: Map<number, FunctionSummary>): FileSummary {
  const fn = (id: number, name: string): FunctionSummary => {
    const s = summaries.get(id);
    const f = facts.functions[id];
    return s ? { ...s, name } : { name, isAsync: f?.isAsync ?? false };
  };
  const out: FileSummary = { file: facts.file, language: facts.language, exports: {}, classes: {} };
  for (const [name, cls] of Object.entries(facts.classes ?? {})) {
    const methods: Record<string, FunctionSummary> = {};
    for (const [m, id] of Object.entries(cls.methods)) methods[m] = fn(id, `${name}.${m}`);
    out.classes[name] = methods;
    if (cls.bases) (out.classBases ??= {})[name] = cls.bases;
    if (cls.relations?.length) (out.classRelations ??= {})[name] = cls.relations;
  }
  for (const [name, ex] of Object.entries(facts.exports ?? {})) {
    const e: ExportSummary = {};
    if (ex.functionId !== undefined) e.function = fn(ex.functionId, name === 'default' ? facts.functions[ex.functionId]?.name ?? name : name);
    if (ex.members) {
      e.members = {};
      for (const [m, id] of Object.entries(ex.members)) e.members[m] = fn(id, `${name}.${m}`);
    }
    if (ex.typeId) e.typeId = ex.typeId;
    if (ex.className) e.className = ex.className;
    if (ex.instanceOf) e.instanceOf = ex.instanceOf;
    if (ex.reexport) e.reexport = ex.reexport;
    out.exports[name] = e;
  }
  return out;
}

/**
 * Whether the summaries give an import a type the facts could not know (a typed client, a class
 * extending a library class): then the file must be extracted again with the project index.
 */
export function needsTypesFromProject(facts: FileFacts, project: ProjectIndex): boolean {
  for (const dep of facts.typeDependencies ?? []) {
    const found = resolveExport(project, facts.file, dep.specifier, dep.name, facts.language);
    if (!found) continue;
    const { ex } = found;
    if (ex.typeId && ex.typeId !== dep.fallback) return true;
    const cls = ex.className ?? ex.instanceOf;
    if (cls && (found.summary.classBases?.[cls] || project.findClassBase?.(cls))) return true;
  }
  return false;
}
