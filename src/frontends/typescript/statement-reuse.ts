import ts from 'typescript';
import type { Config } from '../../core/config';
import type { FileFacts, Language } from '../../core/model';
import type { ProjectIndex } from '../../core/project';
import type { UnitRecord } from './extract';
import { bindingNames, Extractor } from './extract';
import { parseDiagnostics } from './parse';
import { intersects, wordsIn } from '../statement-words';

/**
 * The editor's facts of a TypeScript or JavaScript file, walking only the top-level statements and
 * class members an edit may have changed and taking the facts of the others over from the file's
 * last analysis (as frontends/python/statement-reuse.ts does for Python).
 *
 * A statement's facts depend on its own text and on what the module-level names it mentions mean:
 * a helper it calls, a client it queries through, a class it instantiates. So a statement is
 * walked again when it changed, or when it mentions a name bound by a statement that changed or
 * is walked again (transitively). A class is walked member by member: a member depends besides on
 * the class's shape (its properties, constructor, method signatures, bases, decorators), so a
 * member is taken over only when that shape is as before and mentions no changed name. Mentions
 * are over-approximated by every word of the text.
 *
 * The other ways one statement reaches another — `app.get('/x', handler)` marking a function of
 * another statement, exports, class properties resolved on first read, type dependencies — are
 * recorded as the part is walked and done again when its facts are taken over (extract.ts,
 * UnitEvent). TypeScript's incremental parser keeps the node of a statement or member an edit did
 * not touch (parse.ts): the same object is the same text. test/typescript-statement-reuse.test.ts
 * checks the result against a whole walk after every one of many random edits of every fixture.
 */

interface Part {
  record: UnitRecord;
  /** The statement or member the part is of (for a class, its last part is the heritage's, of the class). */
  anchor: ts.Node;
  words: Set<string>;
}

interface StatementState {
  node: ts.Statement;
  parts: Part[];
  words: Set<string>;
  binds: Set<string>;
  /** A named top-level class: its shape, and the part of each member. */
  cls?: { name: string; shape: string; shapeWords: Set<string>; members: Map<ts.Node, number> };
}

interface FileState {
  config: Config;
  project: ProjectIndex | undefined;
  statements: StatementState[];
}

/** Files whose state is kept: the editor analyses the few files being typed in. */
const KEPT = 8;
const states = new Map<string, FileState>();

/**
 * Parts walked and taken over, analyses that walked the whole file, and errors that made one fall
 * back to that (a bug: tests expect none). For tests and benchmarks.
 */
export const reuseStats = { walked: 0, reused: 0, fullRuns: 0, failures: 0 };

class CannotReuse extends Error {}

const WORD = /[\p{L}_$][\p{L}\p{N}_$]*/gu;

export function extractReusing(sf: ts.SourceFile, file: string, language: Language, config: Config, project: ProjectIndex | undefined): FileFacts {
  const previous = states.get(file);
  states.delete(file);
  const ex = new Extractor(sf, file, language, config, project);
  const byParts = ex.beginParts();
  // A tree with syntax errors: the parser's recovery is not worth reasoning about, keep nothing.
  if (!byParts || parseDiagnostics(sf).length > 0) {
    reuseStats.fullRuns++;
    return ex.walkWhole().facts;
  }
  try {
    const { facts, state } = run(ex, sf, config, project, previous);
    states.set(file, state);
    while (states.size > KEPT) states.delete(states.keys().next().value!);
    return facts;
  } catch (err) {
    // Nesting too deep for this thread: the whole walk fails the same way, and analyze() reruns it
    // on a thread with a larger stack.
    if (err instanceof RangeError) throw err;
    if (!(err instanceof CannotReuse)) reuseStats.failures++;
    reuseStats.fullRuns++;
    return new Extractor(sf, file, language, config, project).run().facts;
  }
}

export function forgetStatements(file: string): void {
  states.delete(file);
}

function run(ex: Extractor, sf: ts.SourceFile, config: Config, project: ProjectIndex | undefined, previous: FileState | undefined): { facts: FileFacts; state: FileState } {
  const text = sf.text;
  const stmts = sf.statements;
  const usable = previous && previous.config === config && previous.project === project ? previous : undefined;
  if (!usable) reuseStats.fullRuns++;
  const old = usable?.statements ?? [];

  // Which old statement each new one is (the parser kept its node).
  const oldIndex = new Map<ts.Node, number>();
  old.forEach((s, j) => oldIndex.set(s.node, j));
  const oldOf = stmts.map((s) => oldIndex.get(s) ?? -1);
  const kept = new Set(oldOf);
  const words = stmts.map((s, i) => (oldOf[i] >= 0 ? old[oldOf[i]].words : wordsIn(text, s.getStart(sf), s.end, WORD)));
  const binds = stmts.map((s, i) => (oldOf[i] >= 0 ? old[oldOf[i]].binds : bindsOf(s)));

  // Names whose meaning may have changed: bound by a changed or removed statement, then by every
  // statement that mentions one of them.
  const walk = oldOf.map((j) => j < 0);
  const changed = new Set<string>();
  walk.forEach((w, i) => {
    if (w) for (const n of binds[i]) changed.add(n);
  });
  old.forEach((s, j) => {
    if (!kept.has(j)) for (const n of s.binds) changed.add(n);
  });
  for (let grew = changed.size > 0; grew; ) {
    grew = false;
    for (let i = 0; i < stmts.length; i++) {
      if (walk[i] || !intersects(words[i], changed)) continue;
      walk[i] = true;
      for (const n of binds[i]) changed.add(n);
      grew = true;
    }
  }

  // A changed class takes its members over from the removed class of its name.
  const removedClasses = new Map<string, StatementState>();
  old.forEach((s, j) => {
    if (!kept.has(j) && s.cls && !removedClasses.has(s.cls.name)) removedClasses.set(s.cls.name, s);
  });

  const statements: StatementState[] = [];
  stmts.forEach((st, i) => {
    const before = oldOf[i] >= 0 ? old[oldOf[i]] : undefined;
    const namedClass = ts.isClassDeclaration(st) && st.name !== undefined;
    // A class is always entered, as the whole walk visits it (which registers it again, over a
    // class of its name declared in a function walked before): its members are taken over below.
    if (before && !walk[i] && !namedClass && before.parts.every((p) => !p.record.positional)) {
      for (const p of before.parts) ex.adopt(p.record, p.anchor.getStart(sf));
      reuseStats.reused += before.parts.length;
      statements.push(before);
      return;
    }
    const state: StatementState = { node: st, parts: [], words: words[i], binds: binds[i] };
    if (namedClass) {
      const name = st.name!.text;
      const shape = before?.cls?.shape ?? shapeOf(st, sf);
      const from = before ?? removedClasses.get(name);
      const usableClass = from?.cls && from.cls.name === name && from.cls.shape === shape && !intersects(from.cls.shapeWords, changed) ? from : undefined;
      const records = ex.walkClass(st, (m) => {
        const k = usableClass?.cls!.members.get(m);
        const part = k === undefined ? undefined : usableClass!.parts[k];
        if (!part || part.record.positional || intersects(part.words, changed)) return undefined;
        reuseStats.reused++;
        return part.record;
      });
      const members = new Map<ts.Node, number>();
      st.members.forEach((m, k) => {
        members.set(m, k);
        const prior = usableClass?.cls!.members.get(m);
        const keptPart = prior === undefined ? undefined : usableClass!.parts[prior];
        const reused = keptPart?.record === records[k];
        if (!reused) reuseStats.walked++;
        state.parts.push({ record: records[k], anchor: m, words: reused ? keptPart!.words : wordsIn(text, m.getStart(sf), m.end, WORD) });
      });
      state.parts.push({ record: records[records.length - 1], anchor: st, words: new Set() });
      state.cls = { name, shape, shapeWords: before?.cls?.shapeWords ?? shapeWordsOf(shape, name), members };
    } else {
      state.parts.push({ record: ex.walkStatement(st), anchor: st, words: words[i] });
      reuseStats.walked++;
    }
    statements.push(state);
  });

  // A name declared at module level while walking (a named class expression): bound by its
  // statement from now on; this time, a statement taken over must not mention it.
  const late = new Set<string>();
  statements.forEach((s, i) => {
    if (!walk[i] && oldOf[i] >= 0) return;
    for (const p of s.parts) {
      for (const e of p.record.events) {
        if (e.k !== 'declare' || e.name.startsWith('<') || s.binds.has(e.name)) continue;
        s.binds = new Set([...s.binds, e.name]);
        late.add(e.name);
      }
    }
  });
  if (late.size && statements.some((s, i) => !walk[i] && oldOf[i] >= 0 && intersects(s.words, late))) throw new CannotReuse('a statement taken over mentions a name declared while walking');

  return { facts: ex.finish().facts, state: { config, project, statements } };
}

/**
 * The words of a class's shape, but its name when only the header has it: the class is in the
 * changed names whenever it is walked, and its members see their class's name only where a type
 * or value in the shape names it.
 */
function shapeWordsOf(shape: string, name: string): Set<string> {
  const words = shape.match(WORD) ?? [];
  const out = new Set(words);
  if (words.filter((w) => w === name).length === 1) out.delete(name);
  return out;
}

/** The names a top-level statement declares at module level. */
function bindsOf(st: ts.Statement): Set<string> {
  const out = new Set<string>();
  if (ts.isImportDeclaration(st)) {
    const clause = st.importClause;
    if (clause?.name) out.add(clause.name.text);
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) out.add(nb.name.text);
    else if (nb) for (const el of nb.elements) out.add(el.name.text);
  } else if (ts.isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) for (const id of bindingNames(d.name)) out.add(id.text);
  } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isImportEqualsDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
    out.add(st.name.text);
  } else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name)) {
    out.add(st.name.text);
  }
  return out;
}

/**
 * What the members of a class see of it: its header and members without the bodies of methods
 * and accessors (the constructor stays whole: it declares properties).
 */
function shapeOf(st: ts.ClassDeclaration, sf: ts.SourceFile): string {
  const text = sf.text;
  // Comments and blank lines between members are not part of it.
  let out = text.slice(st.getStart(sf), st.members.pos);
  for (const m of st.members) {
    const body = (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) && m.body ? m.body : undefined;
    out += '\n' + text.slice(m.getStart(sf), body ? body.getStart(sf) : m.end);
  }
  return out;
}
