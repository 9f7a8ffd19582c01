import * as fs from 'fs';
import * as path from 'path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { languageForFile } from '../core/analyze';

/** Folders never walked into (dependencies, VCS data, build output, caches, virtualenvs). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '__pycache__',
  '.venv',
  'venv',
]);

export interface CollectedFiles {
  /** Absolute paths of files to analyse, without duplicates. */
  files: string[];
  /** Absolute paths that were named explicitly on the command line. */
  explicit: Set<string>;
  /** Explicit files that cannot be analysed (unsupported extension). */
  unsupported: string[];
}

interface GitignoreLayer {
  dir: string;
  ig: Ignore;
}

/**
 * Expands the command-line paths into the files to analyse: directories are walked (skipping
 * SKIPPED_DIRS and whatever .gitignore files ignore, nested ones included); files named
 * explicitly are taken as they are, even if .gitignore'd, and so are folders named explicitly.
 * Paths must exist (checked by the caller).
 */
export function collectFiles(paths: readonly string[], cwd: string): CollectedFiles {
  const seen = new Set<string>();
  const files: string[] = [];
  const explicit = new Set<string>();
  const unsupported: string[] = [];
  const add = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    files.push(file);
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) {
      // A folder named explicitly is analysed even if an outer .gitignore ignores it (like a file
      // named explicitly); such a .gitignore then does not apply inside it at all, because the
      // `ignore` package cannot tell "ignored by a parent folder" from a match of the path itself.
      const outer = ancestorGitignores(abs).filter((layer) => !gitignored([layer], abs, true));
      walk(abs, outer, add);
    } else if (languageForFile(abs)) {
      explicit.add(abs);
      add(abs);
    } else {
      unsupported.push(abs);
    }
  }
  return { files, explicit, unsupported };
}

function walk(dir: string, layers: GitignoreLayer[], add: (file: string) => void): void {
  const own = readGitignore(dir);
  const here = own ? [...layers, own] : layers;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable folder holds nothing we can analyse
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // Follow links to files; links to folders could loop, so they are not walked.
      try {
        const target = fs.statSync(full);
        isFile = target.isFile();
        isDir = false;
      } catch {
        continue;
      }
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      if (gitignored(here, full, true)) continue;
      walk(full, here, add);
    } else if (isFile && languageForFile(entry.name)) {
      if (gitignored(here, full, false)) continue;
      add(full);
    }
  }
}

/**
 * The .gitignore files above a walked folder that still apply to it: from the repository root
 * (the nearest folder with `.git`) down to the folder's parent. Outside a repository, none.
 */
function ancestorGitignores(dir: string): GitignoreLayer[] {
  const chain: string[] = [];
  let cur = path.dirname(dir);
  let repoRoot: string | undefined = fs.existsSync(path.join(dir, '.git')) ? dir : undefined;
  while (!repoRoot) {
    chain.unshift(cur);
    if (fs.existsSync(path.join(cur, '.git'))) repoRoot = cur;
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  if (!repoRoot || repoRoot === dir) return [];
  return chain.map(readGitignore).filter((l): l is GitignoreLayer => l !== undefined);
}

function readGitignore(dir: string): GitignoreLayer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { dir, ig: ignore().add(text) };
}

/** Git's precedence: deeper .gitignore files override shallower ones, `!pattern` re-includes. */
function gitignored(layers: GitignoreLayer[], full: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = path.relative(layer.dir, full).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    const result = layer.ig.test(isDir ? `${rel}/` : rel);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
