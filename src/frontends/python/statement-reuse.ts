import type { Config } from '../../core/config';
import type { BlockFact, CallFact, FileFacts, LoopFact, OffsetFact } from '../../core/model';
import type { ProjectIndex } from '../../core/project';
import type { FileAnalysis } from './analysis';
import { FactWalker } from './facts';
import type { FunctionRoles } from './roles';
import { allCalls, isRoute, markFromCall, noRoles } from './roles';
import type { FunctionInfo, Scope } from './scope';
import type { PyNode } from './tree';
import type { FactNumbering } from '../move-facts';
import { moveFact, spansWithin } from '../move-facts';
import { intersects, wordsIn } from '../statement-words';

/**
 * The editor's facts of a Python file, walking only the top-level statements an edit may have
 * changed and taking the facts of the others over from the file's last analysis.
 *
 * A statement's facts depend on its own text and on what the module-level names it mentions mean
 * (which is how one statement reaches another: a helper's effects, a class's methods, a constant).
 * So a statement is walked again when it changed, or when it mentions a name bound by a statement
 * that changed or is walked again (transitively: a helper that calls an edited helper changes
 * too). The one way in the other direction is where functions run: `Depends(f)`, `@router.get`,
 * `run_in_executor(None, f)` in one statement decide how another's function runs, so what each
 * statement says about functions is kept, and a statement whose functions now run elsewhere is
 * walked again. Mentions are over-approximated by every word of the statement's text (strings
 * hold annotations too).
 *
 * Taken-over facts are moved to where their statements are now and renumbered. The parser keeps
 * the node of a top-level statement the edit did not touch (parser.ts, copyReusing): the same
 * object is the same text. test/python-statement-reuse.test.ts checks the result against a whole
 * analysis after every one of many random edits of every fixture.
 */

/** What one top-level statement contributed, in the coordinates and numbering of the run that made it. */
interface Chunk {
  calls: CallFact[];
  loops: LoopFact[];
  blocks: BlockFact[];
  offsets: OffsetFact[];
  /** Starts of the functions the statement's walk found to run inline. */
  inline: number[];
  /** Starts of the functions the statement's decorators and calls say run as routes, dependencies, in threads. */
  marks: { routes: number[]; dependencies: number[]; threaded: number[] };
  /** Where the statement's own functions ran, relative to its start (a change means walking it again). */
  flags: string;
  /** Every word of the statement's text. */
  words: Set<string>;
  /**
   * A fact holds a position in another statement (a helper's query cited as `via`): moved with
   * that statement, so the chunk is never kept as it is just because its own statement stayed.
   */
  reachesOut: boolean;
}

interface FileState {
  config: Config;
  project: ProjectIndex | undefined;
  statements: PyNode[];
  starts: number[];
  ends: number[];
  chunks: Chunk[];
  binds: Set<string>[];
  /** The start of each function, by the id the run gave it. */
  functionStarts: number[];
}

/** Files whose state is kept: the editor analyses the few files being typed in. */
const KEPT = 8;
const states = new Map<string, FileState>();

/**
 * How many top-level statements were walked and taken over, analyses that walked the whole tree,
 * and errors that made one fall back to that (a bug: tests expect none). For tests and benchmarks.
 */
export const reuseStats = { walked: 0, reused: 0, fullRuns: 0, failures: 0 };

class CannotReuse extends Error {}

const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

function wordsOf(text: string, node: PyNode): Set<string> {
  return wordsIn(text, node.start, node.end, WORD);
}

/** Index of the statement containing `pos` (`starts` ascending), or -1. */
function statementAt(starts: readonly number[], ends: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= pos) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && pos <= ends[found] ? found : -1;
}

/** The module-level names each statement binds; undefined if a binding lies outside every statement. */
function bindsByStatement(module: Scope, starts: number[], ends: number[]): Set<string>[] | undefined {
  const out = starts.map(() => new Set<string>());
  for (const [name, bindings] of module.bindings) {
    for (const b of bindings) {
      const i = statementAt(starts, ends, b.pos);
      if (i < 0) return undefined;
      out[i].add(name);
    }
  }
  return out;
}

function inOrder(stmts: readonly PyNode[]): boolean {
  for (let i = 1; i < stmts.length; i++) if (stmts[i].start <= stmts[i - 1].end) return false;
  return true;
}

export function forgetStatements(file: string): void {
  states.delete(file);
}

export function reusingFacts(a: FileAnalysis, project: ProjectIndex | undefined, notes: string[]): FileFacts {
  const previous = states.get(a.file);
  states.delete(a.file);
  // Error recovery leaves top-level nodes out of order (a zero-width `async` at 0 among them), and
  // the parser keeps no statement of a tree with errors anyway: the whole walk, nothing kept.
  if (a.parsed.hasError || !inOrder(a.parsed.root.children)) return wholeWalk(a, notes, true);
  try {
    return run(a, project, notes, previous);
  } catch (err) {
    states.delete(a.file);
    if (!(err instanceof CannotReuse)) reuseStats.failures++;
    return wholeWalk(a, notes, true);
  }
}

/** The facts as a project analysis makes them (FactWalker over the whole tree). */
export function wholeWalk(a: FileAnalysis, notes: string[], counted = false): FileFacts {
  if (counted) reuseStats.fullRuns++;
  const walker = new FactWalker(a.resolver, a.calls, a.roles);
  walker.walk(a.parsed.root);
  walker.finish();
  return walker.facts(a.file, a.text, notes);
}

function run(a: FileAnalysis, project: ProjectIndex | undefined, notes: string[], previous: FileState | undefined): FileFacts {
  const r = a.resolver;
  const text = a.text;
  const stmts = [...a.parsed.root.children];
  const starts = stmts.map((s) => s.start);
  const ends = stmts.map((s) => s.end);
  const binds = bindsByStatement(r.tree.module, starts, ends);
  const usable = previous && binds && previous.config === a.config && previous.project === project ? previous : undefined;
  if (!usable) reuseStats.fullRuns++;

  // Which old statement each new one is (the parser kept its node), and how far it moved.
  const oldIndex = new Map<PyNode, number>();
  usable?.statements.forEach((s, j) => oldIndex.set(s, j));
  const oldOf = stmts.map((s) => oldIndex.get(s) ?? -1);
  const moved = usable ? usable.statements.map(() => NaN) : [];
  oldOf.forEach((j, i) => {
    if (j >= 0) moved[j] = starts[i] - usable!.starts[j];
  });
  const dirty = oldOf.map((j) => j < 0);

  // Names whose meaning may have changed: bound by a changed or removed statement, then by every
  // statement that mentions one of them.
  if (usable && binds) {
    const changed = new Set<string>();
    dirty.forEach((d, i) => {
      if (d) for (const n of binds[i]) changed.add(n);
    });
    usable.statements.forEach((_, j) => {
      if (Number.isNaN(moved[j])) for (const n of usable.binds[j]) changed.add(n);
    });
    for (let grew = changed.size > 0; grew; ) {
      grew = false;
      for (let i = 0; i < stmts.length; i++) {
        if (dirty[i] || !intersects(usable.chunks[oldOf[i]].words, changed)) continue;
        dirty[i] = true;
        for (const n of binds![i]) changed.add(n);
        grew = true;
      }
    }
  }

  // An old position, where it is now: in a statement that was kept, moved with it. Most positions
  // are in the statement whose facts are being moved (`own`, its old index): no search for those.
  const posFrom = (own: number) => (p: number): number => {
    const j = usable!.starts[own] <= p && p <= usable!.ends[own] ? own : statementAt(usable!.starts, usable!.ends, p);
    const d = j >= 0 ? moved[j] : NaN;
    if (Number.isNaN(d)) throw new CannotReuse(`position ${p} is in a statement that changed`);
    return p + d;
  };

  const fns = [...r.tree.functions].sort((x, y) => x.node.start - y.node.start);
  const within = functionsByStatement(fns, starts, ends);
  const fnAt = new Map<number, FunctionInfo>(fns.map((f) => [f.node.start, f]));
  const functionAt = (p: number): FunctionInfo => {
    const f = fnAt.get(p);
    if (!f) throw new CannotReuse(`no function at ${p}`);
    return f;
  };

  // Where functions run: what each statement says, walked or kept.
  const roles: FunctionRoles = noRoles();
  const marks = stmts.map((stmt, i) => {
    if (!dirty[i]) {
      const m = usable!.chunks[oldOf[i]].marks;
      const pos = posFrom(oldOf[i]);
      return { routes: m.routes.map(pos), dependencies: m.dependencies.map(pos), threaded: m.threaded.map(pos) };
    }
    const own = noRoles();
    for (const fn of within[i]) if (isRoute(fn, r)) own.routes.add(fn);
    for (const call of allCalls(stmt)) markFromCall(call, r, own);
    const starts = (s: Set<FunctionInfo>) => [...s].map((f) => f.node.start);
    return { routes: starts(own.routes), dependencies: starts(own.dependencies), threaded: starts(own.threaded) };
  });
  for (const m of marks) {
    for (const p of m.routes) roles.routes.add(functionAt(p));
    for (const p of m.dependencies) roles.dependencies.add(functionAt(p));
    for (const p of m.threaded) roles.threaded.add(functionAt(p));
  }

  const walker = new FactWalker(r, a.calls, roles);
  // Today a statement's own facts do not depend on where its functions run (only the function
  // facts do, and they are made anew each time: an async function is on the loop whatever marks
  // it, a plain one never is). Walking again a statement whose functions moved keeps that true
  // if the facts come to depend on it.
  const flags = stmts.map((stmt, i) => flagsOf(walker, within[i], stmt));
  stmts.forEach((_, i) => {
    if (!dirty[i] && flags[i] !== usable!.chunks[oldOf[i]].flags) dirty[i] = true;
  });

  const ranges: { calls: number; loops: number; blocks: number; inline: number }[][] = [];
  stmts.forEach((stmt, i) => {
    if (!dirty[i]) return;
    const before = walker.progress;
    walker.walkStatement(stmt);
    ranges[i] = [before, walker.progress];
  });
  walker.finish();
  const walked = walker.facts(a.file, text, notes);
  const offsetsBy: OffsetFact[][] = stmts.map(() => []);
  for (const o of walked.offsets) {
    const i = statementAt(starts, ends, o.span.start);
    if (i < 0) throw new Error(`an offset at ${o.span.start} is outside every statement`);
    offsetsBy[i].push(o);
  }

  // The facts, statement by statement, renumbered in document order.
  const facts: FileFacts = { ...walked, functions: walker.functions, loops: [], calls: [], blocks: [], offsets: [] };
  const chunks: Chunk[] = [];
  const fnIdAt = (p: number) => functionAt(p).id;
  // The previous run's function ids, as numbered now (-1: the function's statement changed).
  const renumbered = (usable?.functionStarts ?? []).map((p) => {
    const j = statementAt(usable!.starts, usable!.ends, p);
    const f = j >= 0 && !Number.isNaN(moved[j]) ? fnAt.get(p + moved[j]) : undefined;
    return f ? f.id : -1;
  });
  const oldFunction = (id: number): number => {
    const now = renumbered[id] ?? -1;
    if (now < 0) throw new CannotReuse(`function ${id} is in a statement that changed`);
    return now;
  };
  stmts.forEach((stmt, i) => {
    let source: Chunk;
    let from: Numbering;
    if (dirty[i]) {
      const [b, e] = ranges[i];
      source = {
        calls: walked.calls.slice(b.calls, e.calls),
        loops: walked.loops.slice(b.loops, e.loops),
        blocks: walker.builtBlocks.slice(b.blocks, e.blocks).filter((x): x is BlockFact => !!x),
        offsets: offsetsBy[i],
        inline: walker.inlineMarks.slice(b.inline, e.inline).map((id) => walker.functions[id].span.start),
        marks: marks[i],
        flags: flags[i],
        // Walked again for a name it mentions, its text (and so its words) did not change.
        words: oldOf[i] >= 0 ? usable!.chunks[oldOf[i]].words : wordsOf(text, stmt),
        reachesOut: false,
      };
      source.reachesOut = ![source.calls, source.loops, source.blocks, source.offsets].every((facts) => spansWithin(facts, a.file, stmt.start, stmt.end));
      from = { callBase: b.calls, loopBase: b.loops, fn: (id) => id, pos: (p) => p };
      reuseStats.walked++;
    } else {
      const old = usable!.chunks[oldOf[i]];
      const pos = posFrom(oldOf[i]);
      source = old;
      from = { callBase: old.calls[0]?.id ?? 0, loopBase: old.loops[0]?.id ?? 0, fn: oldFunction, pos };
      for (const p of old.inline) walker.functions[fnIdAt(pos(p))].runsInline = true;
      reuseStats.reused++;
    }
    const chunk = relocate(source, from, facts.calls.length, facts.loops.length, dirty[i] ? undefined : moved[oldOf[i]], a.file);
    chunk.marks = marks[i];
    chunk.flags = flags[i];
    facts.calls.push(...chunk.calls);
    facts.loops.push(...chunk.loops);
    facts.blocks.push(...chunk.blocks);
    facts.offsets.push(...chunk.offsets);
    chunks.push(chunk);
  });

  states.set(a.file, {
    config: a.config,
    project,
    statements: stmts,
    starts,
    ends,
    chunks,
    binds: binds ?? stmts.map(() => new Set()),
    functionStarts: walker.functions.map((f) => f.span.start),
  });
  while (states.size > KEPT) states.delete(states.keys().next().value!);
  // A binding outside every statement: nothing can be taken over next time.
  if (!binds) states.delete(a.file);
  return facts;
}

/** The functions (`fns` by start) inside each statement. */
function functionsByStatement(fns: readonly FunctionInfo[], starts: readonly number[], ends: readonly number[]): FunctionInfo[][] {
  const out: FunctionInfo[][] = starts.map(() => []);
  let i = 0;
  for (const f of fns) {
    while (i < starts.length && ends[i] < f.node.end) i++;
    if (i < starts.length && starts[i] <= f.node.start) out[i].push(f);
  }
  return out;
}

function flagsOf(walker: FactWalker, fns: readonly FunctionInfo[], stmt: PyNode): string {
  let out = '';
  for (const fn of fns) {
    const f = walker.functions[fn.id];
    out += `${f.span.start - stmt.start}:${f.isHandler ? 1 : 0}${f.runsInThreadPool ? 1 : 0};`;
  }
  return out;
}

interface Numbering {
  /** The ids the source run gave the chunk's first call and loop. */
  callBase: number;
  loopBase: number;
  fn(id: number): number;
  pos(p: number): number;
}

/**
 * The chunk's facts in this run's coordinates and numbering. Unchanged objects are shared when
 * nothing moves (the statements before an edit): facts are not changed after they are made.
 */
function relocate(c: Chunk, from: Numbering, callBase: number, loopBase: number, movedBy: number | undefined, file: string): Chunk {
  const call = (id: number) => id - from.callBase + callBase;
  const loop = (id: number) => id - from.loopBase + loopBase;
  const identity = !c.reachesOut && callBase === from.callBase && loopBase === from.loopBase && (movedBy === undefined || movedBy === 0) && sameFunctionIds(c, from);
  if (identity) return { ...c };
  const n: FactNumbering = { file, pos: from.pos, fn: from.fn, call, loop };
  return {
    ...c,
    calls: c.calls.map((x) => ({ ...moveFact(x, n), id: call(x.id) })),
    loops: c.loops.map((x) => ({ ...moveFact(x, n), id: loop(x.id) })),
    blocks: c.blocks.map((x) => moveFact(x, n)),
    offsets: c.offsets.map((x) => moveFact(x, n)),
    inline: c.inline.map((p) => from.pos(p)),
  };
}

/** Whether every function id the chunk mentions keeps its number. */
function sameFunctionIds(c: Chunk, from: Numbering): boolean {
  const same = (id: number | undefined) => id === undefined || from.fn(id) === id;
  return (
    c.calls.every((x) => same(x.functionId)) &&
    c.loops.every((x) => same(x.functionId)) &&
    c.blocks.every((x) => same(x.functionId)) &&
    c.offsets.every((x) => same(x.functionId))
  );
}
