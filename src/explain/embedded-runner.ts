import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Extension, PGlite } from '@electric-sql/pglite';
import { lineColumn, codePointPositionToOffset } from './offset-map';
import { extensionsMentioned, findSchemaFiles, readSchemaFile, rolesMentioned, withoutConcurrently, type SchemaFile } from './schema-files';
import { isPostgresError, type ExplainRunner, type SqlResult, type SqlSession } from './runner';

/**
 * The embedded default: PostgreSQL compiled to WebAssembly (PGlite), in memory, loaded with the
 * workspace's schema. Started once per schema folder and reused (starting takes seconds, a plan then
 * takes milliseconds); a changed schema file starts a fresh one. It has the tables but no rows, so
 * its plans show the shape PostgreSQL would choose for empty tables, not for the user's data.
 */

export interface SchemaReport {
  /** The folder searched. */
  root: string;
  /** Files applied, in order (relative names). */
  loaded: string[];
  /** Files that failed, each skipped as a whole (it ran in its own transaction). */
  failed: Array<{ file: string; message: string; line?: number; column?: number }>;
  /** PGlite contrib extensions loaded because the schema creates them. */
  extensions: string[];
}

export interface EmbeddedOptions {
  /** Folder to search for migrations and schema.sql; nothing is loaded when absent. */
  schemaDir?: string;
  /** Called with short messages while the database starts and loads (it takes seconds). */
  onProgress?: (message: string) => void;
  /**
   * A folder for a snapshot of a freshly initialised cluster (one per PGlite version, ~5 MB). The
   * first start writes it; later starts load it instead of running initdb, about three times faster.
   */
  snapshotDir?: string;
}

export class EmbeddedRunner implements ExplainRunner {
  readonly kind = 'embedded' as const;
  readonly description: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: PGlite,
    readonly schema: SchemaReport,
    readonly startupMs: number,
    /** Whether the cluster came from initdb or from a snapshot. */
    readonly startedFrom: 'initdb' | 'snapshot',
  ) {
    this.description = schema.root ? `embedded PostgreSQL (PGlite) with the schema in ${schema.root}` : 'embedded PostgreSQL (PGlite), empty';
  }

  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    // One database, one session at a time: a second explain waits for the first's ROLLBACK.
    const run = this.queue.then(async () => {
      if (this.closed) throw new Error('The embedded PostgreSQL was closed.');
      try {
        return await fn(sessionOf(this.db));
      } finally {
        // Leave nothing behind for the next session, whatever fn did or failed to do.
        await this.db.exec('ROLLBACK; DEALLOCATE ALL; RESET ALL').catch(() => undefined);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [key, entry] of cache) if ((await entry.runner.catch(() => undefined)) === this) cache.delete(key);
    await this.queue;
    await this.db.close();
  }
}

function sessionOf(db: PGlite): SqlSession {
  return {
    // PGlite's query() is the extended protocol; exec() is the simple one.
    async query(text, values = []) {
      const result = await db.query<Record<string, unknown>>(text, [...values]);
      return { rows: result.rows };
    },
    async simpleQuery(text) {
      const results = await db.exec(text);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as SqlResult['rows'] };
    },
  };
}

interface CacheEntry {
  fingerprint: string;
  runner: Promise<EmbeddedRunner>;
}

const cache = new Map<string, CacheEntry>();

/** The embedded database for a schema folder: started on first use, then reused while its files are unchanged. */
export async function openEmbeddedRunner(options: EmbeddedOptions = {}): Promise<EmbeddedRunner> {
  const root = options.schemaDir ? resolve(options.schemaDir) : '';
  const files = root ? findSchemaFiles(root) : [];
  const fingerprint = files.map((f) => `${f.name}:${stamp(f.path)}`).join('|');
  const cached = cache.get(root);
  if (cached && cached.fingerprint === fingerprint) {
    const runner = await cached.runner.catch(() => undefined);
    if (runner) return runner;
  }
  if (cached) {
    cache.delete(root);
    void cached.runner.then((r) => r.close()).catch(() => undefined);
  }
  const runner = startEmbedded(root, files, options);
  cache.set(root, { fingerprint, runner });
  runner.catch(() => cache.delete(root));
  return runner;
}

/** Closes every embedded database this process started (tests, shutdown). */
export async function closeEmbeddedRunners(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  await Promise.all(entries.map((e) => e.runner.then((r) => r.close()).catch(() => undefined)));
}

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

async function startEmbedded(root: string, files: SchemaFile[], options: EmbeddedOptions): Promise<EmbeddedRunner> {
  const started = Date.now();
  const texts = files.map((f) => ({ file: f, text: readSchemaFile(f) }));
  const all = texts.map((t) => t.text).join('\n;\n');
  const extensions = loadExtensions(extensionsMentioned(all));

  options.onProgress?.('Starting the embedded PostgreSQL (PGlite)…');
  const { db, from } = await createDatabase(extensions.modules, options.snapshotDir);

  const report: SchemaReport = { root, loaded: [], failed: [], extensions: extensions.names };
  // Dumps assign owners and grants to roles the embedded database does not have.
  for (const role of rolesMentioned(all)) {
    await db.exec(`CREATE ROLE "${role.replace(/"/g, '""')}" NOLOGIN`).catch(() => undefined);
  }
  if (texts.length) options.onProgress?.(`Loading ${texts.length} schema file${texts.length === 1 ? '' : 's'} from ${root}…`);
  for (const { file, text } of texts) {
    const failure = await applyFile(db, text);
    if (failure) report.failed.push({ file: file.name, ...failure });
    else report.loaded.push(file.name);
  }
  return new EmbeddedRunner(db, report, Date.now() - started, from);
}

/** A fresh cluster: from the snapshot when there is a good one, else initdb (writing the snapshot). */
async function createDatabase(extensions: Record<string, Extension>, snapshotDir: string | undefined): Promise<{ db: PGlite; from: 'initdb' | 'snapshot' }> {
  // require, not import(): a bundler then takes PGlite's CommonJS build, which finds its wasm and data
  // files beside the bundle through __filename (the ESM build needs import.meta.url, which a CommonJS
  // bundle such as the VS Code extension's does not have).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const file = snapshotDir ? join(snapshotDir, `pglite-${pgliteVersion()}-initdb.tar.gz`) : undefined;
  if (file) {
    try {
      const db = await PGlite.create({ loadDataDir: new Blob([readFileSync(file)]), extensions });
      return { db, from: 'snapshot' };
    } catch {
      // Missing or unusable: start from initdb and write a new one.
    }
  }
  const db = await PGlite.create({ extensions });
  if (file) {
    try {
      const blob = await db.dumpDataDir('gzip');
      mkdirSync(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
      renameSync(temp, file);
    } catch {
      rmSync(`${file}.${process.pid}.tmp`, { force: true });
      // A cache that cannot be written only costs speed next time.
    }
  }
  return { db, from: 'initdb' };
}

function pgliteVersion(): string {
  try {
    const main = require.resolve('@electric-sql/pglite');
    const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * One file in one transaction (the simple protocol runs a multi-statement text as one), so a file that
 * fails leaves nothing half-applied. `CREATE INDEX CONCURRENTLY` refuses to run in a transaction; it
 * is retried without the keyword, which in an empty database changes nothing else.
 */
async function applyFile(db: PGlite, text: string): Promise<{ message: string; line?: number; column?: number } | undefined> {
  for (const attempt of [text, withoutConcurrently(text)]) {
    try {
      await db.exec(attempt);
      return undefined;
    } catch (e) {
      await db.exec('ROLLBACK').catch(() => undefined);
      if (isPostgresError(e) && e.code === '25001' && attempt === text && attempt !== withoutConcurrently(text)) continue;
      const message = e instanceof Error ? e.message : String(e);
      const position = isPostgresError(e) && e.position ? Number(e.position) : NaN;
      if (Number.isFinite(position)) return { message, ...lineColumn(attempt, codePointPositionToOffset(attempt, position) ) };
      return { message };
    } finally {
      // pg_dump output sets search_path to '' for the session; explains need the defaults back.
      await db.exec('RESET ALL').catch(() => undefined);
    }
  }
  return undefined;
}

/** PGlite ships contrib extensions as modules that must be passed at start; load those the schema creates. */
function loadExtensions(names: string[]): { modules: Record<string, Extension>; names: string[] } {
  const modules: Record<string, Extension> = {};
  const loaded: string[] = [];
  for (const name of names) {
    const id = name.replace(/-/g, '_');
    if (!/^[a-z0-9_]+$/.test(id)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- subpath export the node10 resolver cannot type
      const mod = require(`@electric-sql/pglite/contrib/${id}`) as Record<string, Extension | undefined>;
      const ext = mod[id];
      if (ext) {
        modules[id] = ext;
        loaded.push(name);
      }
    } catch {
      // Not bundled with PGlite: CREATE EXTENSION fails and its file is reported.
    }
  }
  return { modules, names: loaded };
}
