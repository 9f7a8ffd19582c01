import * as fs from 'fs';
import * as path from 'path';

export interface PackageInfo {
  name: string;
  version: string;
  /** Project home page (package.json `homepage`), or the placeholder site. */
  homepage: string;
  /** Repository web URL without `.git`, when package.json names one. */
  repository?: string;
  /** Root folder of the installed package (where package.json and docs/ live). */
  root: string;
}

let cached: PackageInfo | undefined;

/** Reads the package's own package.json (three folders up from out/src/cli). */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  const root = path.resolve(__dirname, '..', '..', '..');
  let pkg: Record<string, unknown> = {};
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // A broken install still runs; the version reads as unknown.
  }
  const repo = pkg.repository;
  const repoUrl = typeof repo === 'string' ? repo : typeof repo === 'object' && repo ? (repo as { url?: unknown }).url : undefined;
  cached = {
    name: typeof pkg.name === 'string' ? pkg.name : 'perflens',
    version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    homepage: typeof pkg.homepage === 'string' ? pkg.homepage : 'https://perflens.dev',
    repository: typeof repoUrl === 'string' && /^(git\+)?https:\/\//.test(repoUrl) ? repoUrl.replace(/^git\+/, '').replace(/\.git$/, '') : undefined,
    root,
  };
  return cached;
}
