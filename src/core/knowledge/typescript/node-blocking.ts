import type { LibraryKnowledge, MethodSpec } from '../types';
import { BLOCKING, each } from '../spec-helpers';

/**
 * Node's synchronous I/O, resolved by module (`fs`, `node:fs`), never by a `Sync` suffix on an
 * arbitrary object. Async forms are listed as reads so `sequential-awaits` can group them.
 */
const FS_SYNC = [
  'readFileSync', 'writeFileSync', 'appendFileSync', 'existsSync', 'statSync', 'lstatSync', 'readdirSync',
  'mkdirSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'renameSync', 'copyFileSync', 'cpSync', 'accessSync',
  'openSync', 'closeSync', 'readSync', 'writeSync', 'fstatSync', 'fsyncSync', 'ftruncateSync', 'truncateSync',
  'mkdtempSync', 'realpathSync', 'readlinkSync', 'symlinkSync', 'linkSync', 'chmodSync', 'chownSync',
  'utimesSync', 'opendirSync', 'globSync', 'statfsSync', 'fdatasyncSync', 'lchownSync', 'futimesSync', 'readvSync', 'writevSync',
];
const FS_PROMISES_READS = ['readFile', 'readdir', 'stat', 'lstat', 'access', 'realpath', 'readlink', 'opendir'];
const FS_PROMISES_WRITES = ['writeFile', 'appendFile', 'mkdir', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp', 'chmod', 'chown', 'utimes', 'symlink', 'link', 'truncate', 'mkdtemp'];

const fsPromises: Record<string, MethodSpec> = {
  ...each(FS_PROMISES_READS, { op: 'read' }),
  ...each(FS_PROMISES_WRITES, { op: 'write' }),
};

export const nodeBlocking: LibraryKnowledge = {
  modules: {
    fs: 'node.fs',
    'node:fs': 'node.fs',
    'fs-extra': 'node.fs',
    'graceful-fs': 'node.fs',
    'fs/promises': 'node.fsPromises',
    'node:fs/promises': 'node.fsPromises',
    child_process: 'node.child_process',
    'node:child_process': 'node.child_process',
    zlib: 'node.zlib',
    'node:zlib': 'node.zlib',
    crypto: 'node.crypto',
    'node:crypto': 'node.crypto',
    'timers/promises': 'node.timersPromises',
    'node:timers/promises': 'node.timersPromises',
    util: 'node.util',
    'node:util': 'node.util',
  },
  types: {
    'node.fs': {
      library: 'fs',
      methods: {
        ...each(FS_SYNC, BLOCKING),
        // fs-extra's promise-returning helpers
        ...each(['readJson', 'pathExists', 'readJSON'], { op: 'read' }),
        ...each(['outputFile', 'outputJson', 'writeJson', 'ensureDir', 'remove', 'emptyDir', 'copy', 'move'], { op: 'write' }),
        ...each(['readJsonSync', 'writeJsonSync', 'outputFileSync', 'ensureDirSync', 'removeSync', 'copySync', 'moveSync', 'emptyDirSync', 'pathExistsSync', 'readJSONSync', 'outputJsonSync', 'mkdirsSync', 'ensureFileSync'], BLOCKING),
      },
      properties: { promises: 'node.fsPromises', default: 'node.fs' },
    },
    'node.fsPromises': { library: 'fs', methods: fsPromises, properties: { default: 'node.fsPromises' } },
    'node.child_process': {
      library: 'child_process',
      methods: each(['execSync', 'execFileSync', 'spawnSync'], BLOCKING),
      properties: { default: 'node.child_process' },
    },
    'node.zlib': {
      library: 'zlib',
      methods: each(
        ['gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync', 'deflateRawSync', 'inflateRawSync', 'unzipSync', 'brotliCompressSync', 'brotliDecompressSync', 'zstdCompressSync', 'zstdDecompressSync'],
        BLOCKING,
      ),
      properties: { default: 'node.zlib' },
    },
    'node.crypto': {
      library: 'crypto',
      // Key derivation and key generation burn CPU for tens to hundreds of milliseconds.
      methods: each(['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generateKeySync', 'generatePrimeSync', 'hkdfSync'], BLOCKING),
      properties: { default: 'node.crypto' },
    },
    'node.timersPromises': { library: 'timers', methods: each(['setTimeout', 'setImmediate'], { op: 'sleep' }) },
    'node.util': { library: 'util', methods: { promisify: {} }, properties: { default: 'node.util' } },
  },
};
