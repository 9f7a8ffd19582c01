/**
 * One interface over the two places a plan can come from: a real PostgreSQL server (node-postgres) and
 * the embedded PostgreSQL (PGlite). The safety rules live above it, in explain.ts, so both obey the
 * same ones; a runner only opens sessions and passes statements through.
 */

export interface SqlResult {
  rows: Array<Record<string, unknown>>;
}

export interface SqlSession {
  /**
   * One statement through the extended query protocol: Parse/Bind/Execute. PostgreSQL's parser refuses
   * more than one statement here ("cannot insert multiple commands into a prepared statement"), which
   * is what keeps `SELECT 1; DROP TABLE t` from running.
   */
  query(text: string, values?: readonly (string | null)[]): Promise<SqlResult>;
  /**
   * The simple query protocol, which would run several statements. Only for text that already went
   * through `query` as one statement (see explain.ts) or for fixed text of our own.
   */
  simpleQuery(text: string): Promise<SqlResult>;
}

export interface DatabaseInfo {
  kind: 'postgres' | 'embedded';
  /** `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  version: string;
  /** `server_version_num`, e.g. 150018. */
  versionNum: number;
  /** Where: a URL without its password, or the schema folder of the embedded database. */
  description: string;
}

export interface ExplainRunner {
  readonly kind: 'postgres' | 'embedded';
  /** Safe to show: never holds a password. */
  readonly description: string;
  /** Runs `fn` on one connection of its own; sessions never overlap. Connection failures are ExplainErrors. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A PostgreSQL error as both node-postgres and PGlite report it. */
export interface PostgresErrorFields {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

export function isPostgresError(e: unknown): e is Error & PostgresErrorFields {
  const code: unknown = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
