/**
 * The non-blocking form of each blocking Node API that `blocking-call-in-async` can spell as a
 * fix. Only APIs whose async form takes the same arguments and yields the same value are listed;
 * `existsSync` (no promise form), `openSync` (a FileHandle instead of a descriptor), `spawnSync`
 * (no promise form) and `generateKeyPairSync` are left out on purpose: no fix beats a wrong one.
 */
export interface AsyncAlternative {
  /** `fs.promises.<name>` or the promisified export `<name>` of the same module. */
  via: 'fs-promises' | 'promisify';
  name: string;
  /** What the promise resolves to when that differs from the sync result (`.stdout`). */
  resultMember?: string;
  /** Why the result or behaviour can differ: the fix is then unsafe and the title says this. */
  caveat?: string;
  /**
   * Fewest arguments for which the promisified form type-checks in TypeScript: `promisify` takes
   * the last overload, so `promisify(crypto.scrypt)` wants the options argument.
   */
  typedMinArgs?: number;
}

const FS_SAME_SIGNATURE = [
  'readFile', 'writeFile', 'appendFile', 'stat', 'lstat', 'readdir', 'mkdir', 'rm', 'rmdir', 'unlink', 'rename',
  'copyFile', 'cp', 'access', 'mkdtemp', 'realpath', 'readlink', 'symlink', 'link', 'chmod', 'chown', 'lchown',
  'utimes', 'truncate', 'opendir', 'statfs',
];

const fs: Record<string, AsyncAlternative> = Object.fromEntries(FS_SAME_SIGNATURE.map((n) => [`${n}Sync`, { via: 'fs-promises', name: n }]));

const promisified = (names: string[]): Record<string, AsyncAlternative> => Object.fromEntries(names.map((n) => [`${n}Sync`, { via: 'promisify', name: n }]));

/** Keyed by module (without `node:`), then by the blocking export. */
export const ASYNC_ALTERNATIVES: Readonly<Record<string, Readonly<Record<string, AsyncAlternative>>>> = {
  fs,
  child_process: {
    execSync: { via: 'promisify', name: 'exec', resultMember: 'stdout', caveat: 'stdout is a string unless an encoding is given, and stderr is captured' },
    execFileSync: { via: 'promisify', name: 'execFile', resultMember: 'stdout', caveat: 'stdout is a string unless an encoding is given, and stderr is captured' },
  },
  zlib: promisified(['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress']),
  // Key derivation runs on libuv's thread pool in its callback form.
  crypto: { ...promisified(['pbkdf2']), scryptSync: { via: 'promisify', name: 'scrypt', typedMinArgs: 4 } },
};

/** Modules that `fs.promises` belongs to (fs-extra and graceful-fs re-export different shapes). */
export const FS_PROMISES_MODULE = 'fs/promises';
