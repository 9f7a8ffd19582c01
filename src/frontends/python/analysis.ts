import type { Config } from '../../core/config';
import type { FunctionSummary, Language } from '../../core/model';
import type { FileSummary, ProjectIndex } from '../../core/project';
import { CallAnalyzer } from './effects';
import { parsePython } from './parser';
import { dropPrefetched, takePrefetched } from './prefetch';
import type { ParsedPython } from './parser';
import { Resolver } from './resolve';
import { allCalls, functionRoles } from './roles';
import type { FunctionRoles } from './roles';
import { buildScopes } from './scope';
import type { ScopeTree } from './scope';

/** Everything derived from one file that both `summarize` and `extract` need. */
export interface FileAnalysis {
  file: string;
  text: string;
  parsed: ParsedPython;
  resolver: Resolver;
  calls: CallAnalyzer;
  /** Where functions run (FastAPI routes, thread pools): only the facts need it, not summaries. */
  readonly roles: FunctionRoles;
  config: Config;
  lookups: RecordingProject;
  /** The summary, once built (an analysis does not change). */
  summary?: FileSummary;
}

/**
 * A project analysis asks for a file several times: its facts and summary before the other files
 * are known, its summary again in each linking round, its facts at the end. The syntax tree and
 * scopes never depend on the other files; the resolved analysis depends only on the project
 * summaries it looked at. So the analysis is kept with a record of those look-ups, and reused as
 * long as they give the same answers. Entries are kept up to a budget of source characters (the
 * tree copies take ~25 bytes per character); when it is spent, new files are not kept — rather
 * than evicting old ones: the passes visit files in the same order, so evicting would turn every
 * later visit into a miss. A changed file replaces its entry.
 */
const CACHE_BUDGET = 12_000_000;

interface CacheEntry {
  text: string;
  parsed: ParsedPython;
  tree: ScopeTree;
  analysis?: FileAnalysis;
  /** The look-ups of the last analysis made or reused for this text (kept or not). */
  lookups?: RecordingProject;
}

const cache = new Map<string, CacheEntry>();
let cached = 0;

function parseCached(file: string, text: string): CacheEntry | undefined {
  const hit = cache.get(file);
  if (hit && hit.text === text) {
    dropPrefetched(file);
    return hit;
  }
  const parsed = takePrefetched(file, text) ?? parsePython(text, file);
  if (!parsed) return undefined;
  const tree = buildScopes(parsed.root, text);
  const entry: CacheEntry = { text, parsed, tree };
  if (hit) {
    cache.delete(file);
    cached -= hit.text.length;
  }
  if (cached + text.length <= CACHE_BUDGET) {
    cache.set(file, entry);
    cached += text.length;
  }
  return entry;
}

/** The syntax tree of a file (the cached one when the text is unchanged), for spelling fixes. */
export function parsedTree(file: string, text: string): ParsedPython | undefined {
  return parseCached(file, text)?.parsed;
}

/**
 * Drops everything kept for a file (a project analysis is done with it) and returns the look-ups
 * its last analysis made.
 */
export function releaseAnalysis(file: string): RecordingProject | undefined {
  const hit = cache.get(file);
  if (!hit) return undefined;
  cache.delete(file);
  cached -= hit.text.length;
  return hit.lookups;
}

/** Forgets a file's analysis (after a failure part-way through it). */
export function forgetAnalysis(file: string): void {
  const hit = cache.get(file);
  if (hit) hit.analysis = undefined;
}

/**
 * The analysis of a file against `project`: the kept one if its look-ups still hold, else a new one,
 * kept for later requests when `keep` (summaries: the next linking round or the facts may reuse it).
 */
export function analyseFile(file: string, text: string, config: Config, project: ProjectIndex | undefined, keep = true): FileAnalysis | undefined {
  const entry = parseCached(file, text);
  if (!entry) return undefined;
  const previous = entry.analysis;
  if (previous && previous.config === config && previous.lookups.stillValid(project)) {
    // Questions not asked yet (the facts ask more than the summary) go to the newest summaries.
    previous.lookups.rebase(project);
    entry.lookups = previous.lookups;
    return previous;
  }
  const { parsed, tree } = entry;
  const lookups = new RecordingProject(project);
  const resolver = new Resolver(file, text, tree, project ? lookups : undefined);
  const calls = new CallAnalyzer(resolver, config);
  let roles: FunctionRoles | undefined;
  const analysis: FileAnalysis = {
    file,
    text,
    parsed,
    resolver,
    calls,
    // Resolving every callee of the file is a good part of an analysis, and listing the calls
    // walks the whole tree: summaries never ask (a cycle member is summarised twice).
    get roles() {
      return (roles ??= functionRoles(tree, resolver, allCalls(parsed.root)));
    },
    config,
    lookups,
  };
  // Without a project this is the first pass of a project analysis (or a single file): the next
  // request brings a project and cannot reuse it, and keeping 1,000 of them costs the GC dearly.
  entry.lookups = lookups;
  if (project && keep) entry.analysis = analysis;
  else if (!project) entry.analysis = undefined;
  return analysis;
}

/**
 * The project index as one analysis saw it: every question asked and the answer (as JSON), so a
 * later round can tell whether the analysis would come out the same.
 */
/** One JSON text per summary object: the same summary is looked up by many files in a round. */
const jsonOf = new WeakMap<object, string>();
function answerText(found: object | undefined): string {
  if (!found) return 'null';
  let text = jsonOf.get(found);
  if (text === undefined) {
    text = JSON.stringify(found);
    jsonOf.set(found, text);
  }
  return text;
}

export class RecordingProject implements ProjectIndex {
  /** Module look-ups by importing file, then specifier (and language, when not Python). */
  private readonly modules = new Map<string, Map<string, Answer<FileSummary> & { specifier: string; language: Language }>>();
  private readonly classes = new Map<string, Answer<Record<string, FunctionSummary>>>();

  constructor(private inner: ProjectIndex | undefined) {}

  /** After `stillValid(project)`: the recorded answers are the same from `project`, so it can answer the rest. */
  rebase(project: ProjectIndex | undefined): void {
    this.inner = project;
    // Equal as JSON, but the objects are `project`'s now (an analysis may tell summaries apart by identity).
    for (const byName of this.modules.values()) for (const answer of byName.values()) answer.fresh = false;
    for (const answer of this.classes.values()) answer.fresh = false;
  }

  // An analysis asks the same question many times (every name imported from a module): the index
  // does not change while it runs, so the first answer stands.
  resolveModule(fromFile: string, specifier: string, language: Language): FileSummary | undefined {
    let byName = this.modules.get(fromFile);
    if (!byName) this.modules.set(fromFile, (byName = new Map()));
    const key = language === 'python' ? specifier : `${specifier}\0${language}`;
    const known = byName.get(key);
    if (known?.fresh) return known.found;
    const found = this.inner?.resolveModule(fromFile, specifier, language);
    byName.set(key, { specifier, language, found, text: answerText(found), fresh: true });
    return found;
  }

  findClass(name: string): Record<string, FunctionSummary> | undefined {
    const known = this.classes.get(name);
    if (known?.fresh) return known.found;
    const found = this.inner?.findClass(name);
    this.classes.set(name, { found, text: answerText(found), fresh: true });
    return found;
  }

  /** The same questions get the same answers from `project` (no project: only if none was used). */
  stillValid(project: ProjectIndex | undefined): boolean {
    if (!this.inner || !project) return !this.inner && !project;
    for (const [fromFile, byName] of this.modules) {
      for (const a of byName.values()) if (answerText(project.resolveModule(fromFile, a.specifier, a.language)) !== a.text) return false;
    }
    for (const [name, answer] of this.classes) if (answerText(project.findClass(name)) !== answer.text) return false;
    return true;
  }
}

/** A recorded answer: the JSON compared later, and the object while it comes from the current project. */
interface Answer<T> {
  found: T | undefined;
  text: string;
  fresh: boolean;
}

/** 1-based line of an offset, for notes. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
