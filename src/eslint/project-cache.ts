import * as fs from 'fs';
import * as path from 'path';
import { collectFiles } from '../cli/collect-files';
import { languageForFile } from '../core/analyze';
import type { LoadedConfig } from '../core/config-files';
import { CONFIG_FILE_NAMES, ConfigResolver, isIgnoredByConfig } from '../core/config-files';
import type { ProjectIndex } from '../core/project';
import { SummaryIndex } from '../core/project-index';
import { LINK_ROUNDS, ProjectSession } from '../core/project-session';

/**
 * ESLint lints one file at a time, but `perflens check` links calls across the files it checks
 * (a helper in another file that queries makes its caller's loop an N+1). So that the plugin
 * reports what the CLI reports, it summarises the project once per process: every TS/JS file
 * under the project root, with the same config resolution and the same ignore rules as the CLI.
 */

/** A project: its root folder and the summaries of its files. */
interface CachedProject {
  index: SummaryIndex;
  /**
   * Files and their folders (up to the root), with the modification times they had when summarised:
   * an edited or deleted file changes its own time, a file added or removed changes its folder's.
   */
  mtimes: Map<string, number>;
  /** When the modification times were last compared (ms since epoch). */
  checkedAt: number;
}

/** A long-running ESLint (an editor's ESLint server) sees edits of other files after this long. */
const RECHECK_MS = 2000;

const projects = new Map<string, CachedProject>();
/** Config files are read once per project build; a rebuild (a file or a config file changed) reads them again. */
let resolver = new ConfigResolver();

/** The config that applies to a file: the nearest perflens config up the tree (as in the CLI). */
export function configFor(file: string): LoadedConfig {
  return resolver.forFile(file);
}

/**
 * The project a file belongs to: the nearest folder up from it that holds a perflens config file
 * (`.perflens.json`, `package.json`, `pyproject.toml`) — the folder a user runs `perflens check` in.
 */
export function projectRootFor(file: string): string {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (CONFIG_FILE_NAMES.some((name) => fs.existsSync(path.join(dir, name)))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(path.resolve(file));
    dir = parent;
  }
}

/** The summaries of the TS/JS files under `root`, built on first use and rebuilt when a file changes. */
export function projectIndex(root: string, now = Date.now()): ProjectIndex {
  const cached = projects.get(root);
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.index;
  if (cached && !changed(cached)) {
    cached.checkedAt = now;
    return cached.index;
  }
  if (cached) resolver = new ConfigResolver();
  const built = buildProject(root);
  built.checkedAt = now;
  projects.set(root, built);
  return built.index;
}

/** Forget every cached project (tests that write files, and `RuleTester` runs over fixtures). */
export function clearProjectCache(): void {
  projects.clear();
  resolver = new ConfigResolver();
}

function projectFiles(root: string): string[] {
  return collectFiles([root], root).files.filter((f) => {
    const lang = languageForFile(f);
    return (lang === 'typescript' || lang === 'javascript') && !isIgnoredByConfig(configFor(f), f);
  });
}

function buildProject(root: string): CachedProject {
  const mtimes = new Map<string, number>();
  const inputs: { file: string; text: string; config: LoadedConfig['config'] }[] = [];
  for (const file of projectFiles(root)) {
    let text: string;
    try {
      const buf = fs.readFileSync(file);
      if (buf.includes(0)) continue; // binary: the CLI skips it too
      mtimes.set(file, fs.statSync(file).mtimeMs);
      text = buf.toString('utf8').replace(/^\uFEFF/, '');
    } catch {
      continue;
    }
    inputs.push({ file, text, config: configFor(file).config });
  }
  for (const file of [...mtimes.keys()]) {
    for (let dir = path.dirname(file); !mtimes.has(dir); dir = path.dirname(dir)) {
      mtimes.set(dir, statTime(dir));
      if (dir === root || path.dirname(dir) === dir) break;
    }
  }
  if (!mtimes.has(root)) mtimes.set(root, statTime(root));
  // The config files in force: editing one changes what every file of the project reports.
  for (const input of inputs) {
    const configFile = configFor(input.file).file;
    if (configFile && !mtimes.has(configFile)) mtimes.set(configFile, statTime(configFile));
  }
  // The same passes as the CLI's single-threaded run (src/cli/project-run.ts analyzeInline).
  const session = new ProjectSession(inputs, { wholeProject: true, keepFacts: false });
  let index = new SummaryIndex(session.prepare());
  for (let round = 0; round < LINK_ROUNDS; round++) index = new SummaryIndex(session.relink(index));
  return { index, mtimes, checkedAt: 0 };
}

/**
 * A file was added, removed or modified since the project was summarised. Only times are compared
 * (no walk of the tree), so that an ESLint run over thousands of files pays little for it.
 */
function changed(project: CachedProject): boolean {
  for (const [p, time] of project.mtimes) if (statTime(p) !== time) return true;
  return false;
}

function statTime(p: string): number {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return -1;
  }
}
