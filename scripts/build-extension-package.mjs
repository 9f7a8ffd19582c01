#!/usr/bin/env node
// `npm run package`: builds the extension (build-extension.mjs) and packs perflens-<version>.vsix with
// vsce, offline. vsce refuses a package.json that has both `files` (which the npm package of the CLI
// and library needs) and a .vscodeignore, so the VSIX is packed from a staging folder that holds
// exactly what .vscodeignore lets through, with a manifest without `files`.
//   node scripts/build-extension-package.mjs [--no-build] [--out FILE]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExtension } from './build-extension.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** The files .vscodeignore lets through: `**` first, then `!pattern` lines re-include. */
function shippedFiles() {
  const negations = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1));
  const shipped = require('picomatch')(negations, { dot: true });
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      const rel = relative(root, full).split('\\').join('/');
      if (e.isDirectory()) {
        if (['node_modules', '.git', 'out', '.bench'].includes(rel)) continue;
        walk(full);
      } else if (shipped(rel)) out.push(rel);
    }
  };
  walk(root);
  return out;
}

export async function packageExtension({ build = true, out } = {}) {
  if (build) await buildExtension();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const target = resolve(root, out ?? `${manifest.name}-${manifest.version}.vsix`);
  // Outside the checkout, one per run: several people may package from one checkout at once.
  const stage = mkdtempSync(join(tmpdir(), 'perflens-vsix-'));
  for (const rel of shippedFiles()) {
    if (rel === 'package.json') continue;
    mkdirSync(dirname(join(stage, rel)), { recursive: true });
    cpSync(join(root, rel), join(stage, rel));
  }
  delete manifest.files;
  delete manifest.scripts;
  delete manifest.devDependencies;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(stage, '.vscodeignore'), readFileSync(join(root, '.vscodeignore')));
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  try {
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--allow-star-activation', '--no-rewrite-relative-links', '--out', target], { cwd: stage, stdio: 'inherit' });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  if (!existsSync(target)) throw new Error(`vsce did not write ${target}`);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--out');
  packageExtension({ build: !process.argv.includes('--no-build'), out: i > 0 ? process.argv[i + 1] : undefined }).then(
    (file) => console.log(`perflens: packaged ${relative(process.cwd(), file)}`),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
