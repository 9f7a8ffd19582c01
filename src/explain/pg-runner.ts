import { Client, type QueryConfig, type QueryResult } from 'pg';
import { parseConnectionString, redact, type ConnectionTarget, type ParseOptions } from './connection';
import { ExplainError } from './errors';
import type { ExplainRunner, SqlResult, SqlSession } from './runner';

/**
 * A real PostgreSQL server through node-postgres. Every session is one new `Client` (never a pool), so
 * BEGIN … ROLLBACK cannot be split across connections, and a connection that breaks mid-way takes its
 * transaction with it (the server rolls it back).
 */
export class PgRunner implements ExplainRunner {
  readonly kind = 'postgres' as const;
  readonly description: string;

  constructor(readonly target: ConnectionTarget) {
    this.description = target.display;
  }

  /** What must never be printed. */
  get secrets(): readonly string[] {
    return this.target.secrets;
  }

  async withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await fn(sessionOf(client));
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    // Nothing stays open between sessions.
  }

  private async connect(): Promise<Client> {
    const t = this.target;
    let failure: unknown;
    for (let i = 0; i < t.attempts.length; i++) {
      const client = new Client({
        host: t.host,
        port: t.port,
        user: t.user,
        password: t.password,
        database: t.database,
        ssl: t.attempts[i],
        connectionTimeoutMillis: t.connectTimeoutMs,
        application_name: t.applicationName,
      });
      // A connection lost later surfaces through the pending query; this keeps it from crashing the process.
      client.on('error', () => undefined);
      try {
        await client.connect();
        return client;
      } catch (e) {
        failure = e;
        await client.end().catch(() => undefined);
        if (!fallBack(t, i, e)) break;
      }
    }
    throw this.connectionError(failure);
  }

  private connectionError(e: unknown): ExplainError {
    const t = this.target;
    let reason = errorText(e);
    if (/timeout/i.test(reason)) reason += ` (connect timeout ${t.connectTimeoutMs} ms)`;
    return new ExplainError('connection', redact(`Cannot connect to PostgreSQL at ${t.display}: ${reason}`, t.secrets), {
      code: typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined,
    });
  }
}

export function createPgRunner(connectionString: string, options: ParseOptions = {}): PgRunner {
  return new PgRunner(parseConnectionString(connectionString, options));
}

/** libpq's fallbacks: `prefer` retries without SSL when the server has none; `allow` retries with SSL when refused. */
function fallBack(t: ConnectionTarget, attempt: number, e: unknown): boolean {
  if (attempt + 1 >= t.attempts.length) return false;
  const message = errorText(e);
  if (t.sslmode === 'prefer') return /does not support SSL/i.test(message);
  if (t.sslmode === 'allow') return (e as { code?: string }).code === '28000';
  return false;
}

/** node-postgres reports refused connections to several addresses as an AggregateError without a message. */
function errorText(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return e.errors.map(errorText).filter(Boolean)[0] ?? 'connection failed';
  if (e instanceof Error) return e.message || (e as { code?: string }).code || e.name;
  return String(e);
}

function sessionOf(client: Client): SqlSession {
  return {
    async query(text, values = []) {
      // queryMode 'extended' forces Parse/Bind/Execute even without values (node-postgres ≥ 8.11).
      const config: QueryConfig & { queryMode: 'extended' } = { text, values: [...values], queryMode: 'extended' };
      const result = await client.query(config);
      return { rows: result.rows };
    },
    async simpleQuery(text) {
      const result = (await client.query(text)) as QueryResult | QueryResult[];
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: last?.rows ?? [] } satisfies SqlResult;
    },
  };
}
