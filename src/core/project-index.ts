import * as path from 'path';
import type { Config } from './config';
import type { FunctionSummary, Language } from './model';
import type { FileSummary, ProjectIndex } from './project';
import { analyze, languageForFile } from './analyze';
import { LINK_ROUNDS, ProjectSession } from './project-session';
import type { AnalyzeResult } from './analyze';

const TS_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js', '/index.mjs'];

/** An in-memory project index over the summaries of the files being analysed together. */
export class SummaryIndex implements ProjectIndex {
  private readonly byFile = new Map<string, FileSummary>();
  private readonly classes = new Map<string, Record<string, FunctionSummary>>();
  private readonly bases = new Map<string, { instance?: string; static?: string }>();

  constructor(summaries: Iterable<FileSummary>) {
    for (const s of summaries) {
      this.byFile.set(normalize(s.file), s);
      for (const [name, methods] of Object.entries(s.classes)) {
        // Two classes of one name: keep neither (ambiguous) rather than guess.
        if (this.classes.has(name)) this.classes.set(name, {});
        else this.classes.set(name, methods);
      }
      for (const [name, base] of Object.entries(s.classBases ?? {})) this.bases.set(name, base);
      for (const list of Object.values(s.classRelations ?? {})) for (const r of list) this.relations.add(r);
    }
    this.relationList = [...this.relations].sort();
  }

  private readonly relations = new Set<string>();
  private readonly relationList: string[];

  entityRelations(): readonly string[] {
    return this.relationList;
  }

  /** Resolution results by language, importing folder and specifier: linking asks the same many times. */
  private readonly resolved = new Map<string, FileSummary | undefined>();

  resolveModule(fromFile: string, specifier: string, language: Language): FileSummary | undefined {
    const key = `${language}\0${language === 'python' ? fromFile : path.dirname(fromFile)}\0${specifier}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const hit = this.resolveUncached(fromFile, specifier, language);
    this.resolved.set(key, hit);
    return hit;
  }

  private resolveUncached(fromFile: string, specifier: string, language: Language): FileSummary | undefined {
    if (language === 'python') return this.resolvePython(fromFile, specifier);
    if (!specifier.startsWith('.')) return undefined;
    const base = path.join(path.dirname(normalize(fromFile)), specifier);
    // TypeScript ESM projects import `./x.js` for `./x.ts`.
    const stripped = base.replace(/\.(m|c)?js$/, '');
    for (const candidate of [base, stripped]) {
      for (const suffix of TS_SUFFIXES) {
        const hit = this.byFile.get(candidate + suffix);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  /** Python: relative (`.crud`, `..models`) or absolute dotted names matched by path suffix. */
  private resolvePython(fromFile: string, specifier: string): FileSummary | undefined {
    this.pythonPaths ??= new PythonModulePaths([...this.byFile.keys()]);
    const file = this.pythonPaths.resolve(fromFile, specifier);
    return file === undefined ? undefined : this.byFile.get(file);
  }

  private pythonPaths: PythonModulePaths | undefined;

  /** Every summary (plain JSON), to hand the index to a worker thread. */
  allSummaries(): FileSummary[] {
    return [...this.byFile.values()];
  }

  findClass(name: string): Record<string, FunctionSummary> | undefined {
    return this.classes.get(name);
  }

  findClassBase(name: string): { instance?: string; static?: string } | undefined {
    return this.bases.get(name);
  }
}

/**
 * Python module names to files, over the project's paths: relative specifiers (`.crud`, `..models`)
 * from the importing file's folder, absolute dotted names (`app.crud.user`) by path suffix starting
 * at a folder that is not a package (the project's import roots are not known: any such folder may
 * be one), where a suffix two files share names neither (ambiguous), else a module beside the
 * importing file (its folder is on sys.path when it runs as a script). Paths are normalised.
 */
export class PythonModulePaths {
  private readonly files: Set<string>;
  /** Module path suffix → the one file it names (null when two files share it). */
  private bySuffix: Map<string, string | null> | undefined;

  constructor(files: Iterable<string>) {
    this.files = new Set([...files].filter((f) => f.endsWith('.py')));
  }

  /** Absolute specifier → the file an import root names, null when two do, false when none does. */
  private readonly named = new Map<string, string | null | false>();
  /** Answers by importing folder and specifier (relative ones, and absolute ones no root names). */
  private readonly answers = new Map<string, string | undefined>();

  resolve(fromFile: string, specifier: string): string | undefined {
    const relative = specifier.charCodeAt(0) === 46; /* . */
    if (!relative) {
      let named = this.named.get(specifier);
      if (named === undefined) {
        const hit = specifier ? this.suffixes().get(modulePath(specifier)) : null;
        named = hit === undefined ? false : hit;
        this.named.set(specifier, named);
      }
      if (named !== false) return named ?? undefined;
    }
    const slash = Math.max(fromFile.lastIndexOf('/'), fromFile.lastIndexOf('\\'));
    const key = `${fromFile.slice(0, slash)}\0${specifier}`;
    let file = this.answers.get(key);
    if (file === undefined && !this.answers.has(key)) {
      file = relative ? this.relative(fromFile, specifier) : this.beside(fromFile, specifier);
      this.answers.set(key, file);
    }
    return file;
  }

  private relative(fromFile: string, specifier: string): string | undefined {
    const m = /^(\.*)(.*)$/.exec(specifier)!;
    const dots = m[1].length;
    const rest = modulePath(m[2]);
    // Normalised paths have no `.`/`..` segments and the rest no dots: plain string steps.
    let dir = normalize(fromFile);
    for (let i = 0; i < dots; i++) dir = dir.slice(0, Math.max(dir.lastIndexOf('/'), 0));
    return this.moduleAt(rest ? `${dir}/${rest}` : dir);
  }

  /**
   * A module beside the importing file, which no import root names: a script's own folder is on
   * sys.path (`cd app && uvicorn main:app` imports `crud` as `app/crud.py` even when `app/` has an
   * `__init__.py`).
   */
  private beside(fromFile: string, specifier: string): string | undefined {
    const file = normalize(fromFile);
    return this.moduleAt(`${file.slice(0, Math.max(file.lastIndexOf('/'), 0))}/${modulePath(specifier)}`);
  }

  private moduleAt(base: string): string | undefined {
    if (this.files.has(`${base}.py`)) return `${base}.py`;
    return this.files.has(`${base}/__init__.py`) ? `${base}/__init__.py` : undefined;
  }

  private suffixes(): Map<string, string | null> {
    if (this.bySuffix) return this.bySuffix;
    const map = new Map<string, string | null>();
    const add = (key: string, file: string) => {
      if (key) map.set(key, map.has(key) && map.get(key) !== file ? null : file);
    };
    for (const file of this.files) {
      let stem = file.endsWith('.py') ? file.slice(0, -3) : file;
      if (stem === '__init__' || stem.endsWith('/__init__')) stem = stem.slice(0, Math.max(stem.length - 9, 0));
      // Every tail of the path from a slash on (`b`, `a/b`, `/a/b`), sliced rather than re-joined,
      // that starts outside a package: Python 3 imports `json` as the top-level module, never as
      // `django/core/serializers/json.py` (whose folder has an `__init__.py`).
      for (let pos = stem.lastIndexOf('/'); ; pos = stem.lastIndexOf('/', pos - 1)) {
        if (pos <= 0 || !this.files.has(`${stem.slice(0, pos)}/__init__.py`)) add(stem.slice(pos + 1), file);
        if (pos <= 0) {
          if (pos === 0) add(stem, file);
          break;
        }
      }
    }
    this.bySuffix = map;
    return map;
  }
}

/** `a.b.c` → `a/b/c`. */
function modulePath(dotted: string): string {
  return dotted.replaceAll('.', '/');
}

/** Paths that `path.normalize` would change: empty, backslashes, `.`/`..` segments, doubled or trailing slashes. */
const NOT_NORMAL = /^$|\\|\/\/|(^|\/)\.\.?(\/|$)|.\/$/;

export function normalize(file: string): string {
  // Most paths are normal already, and `path.normalize` is a slow way to learn it (30 ms per
  // thousand files before a project analysis starts).
  if (!NOT_NORMAL.test(file)) return file;
  return path.normalize(file).replace(/\\/g, '/');
}

export interface SourceFile {
  file: string;
  text: string;
}

/**
 * Two passes: summarise every file, then check each against the summaries (see ProjectSession:
 * each file is parsed once; summaries are re-linked so a helper two files away is still seen).
 */
export function analyzeProject(files: SourceFile[], config: Config): Map<string, AnalyzeResult> {
  const session = new ProjectSession(files.filter((f) => languageForFile(f.file)).map((f) => ({ ...f, config })), { wholeProject: true });
  let index = new SummaryIndex(session.prepare());
  for (let round = 0; round < LINK_ROUNDS; round++) index = new SummaryIndex(session.relink(index));
  const results = session.finish(index);
  const out = new Map<string, AnalyzeResult>();
  const supported = files.filter((f) => languageForFile(f.file));
  supported.forEach((f, i) => out.set(f.file, results[i]));
  for (const f of files) if (!out.has(f.file)) out.set(f.file, analyze({ ...f, config }));
  return out;
}

/** The summaries of a set of files, as an index (for callers that analyse files one by one). */
export function buildIndex(files: SourceFile[], config: Config): SummaryIndex {
  const session = new ProjectSession(files.filter((f) => languageForFile(f.file)).map((f) => ({ ...f, config })), { wholeProject: true });
  let index = new SummaryIndex(session.prepare());
  for (let round = 0; round < LINK_ROUNDS; round++) index = new SummaryIndex(session.relink(index));
  return index;
}
