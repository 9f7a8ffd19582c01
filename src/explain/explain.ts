import { ExplainError } from './errors';
import { codePointPositionToOffset } from './offset-map';
import { parsePlan, planFindings, type PlanFinding, type PlanModel, type PlanNode, type PlanThresholds } from './plan';
import { isPostgresError, type DatabaseInfo, type ExplainRunner, type SqlSession } from './runner';
import { hasTopLevelInto, parameterCount, significantTokens } from './sql-lexer';

/**
 * The safety rules of "Explain SQL", the same for every runner:
 *
 * - One statement only. Everything carrying the user's text goes through the extended query
 *   protocol, where PostgreSQL's parser refuses a second statement. (A generic plan needs the simple
 *   protocol; there the text is first prepared through the extended protocol as a check.)
 * - Plain EXPLAIN (FORMAT JSON) by default, inside `BEGIN READ ONLY` … `ROLLBACK`.
 * - `$n` without values: EXPLAIN (GENERIC_PLAN) on PostgreSQL 16+, else an error asking for values.
 * - ANALYZE only when asked, on one connection: BEGIN → SET LOCAL statement_timeout → EXPLAIN
 *   (ANALYZE, BUFFERS, FORMAT JSON) → ROLLBACK. A plain SELECT runs in a READ ONLY transaction, so a
 *   SELECT that writes after all (a writing function, nextval) is stopped by PostgreSQL and needs
 *   confirmation too; anything else (INSERT/UPDATE/DELETE/MERGE, data-modifying CTEs, SELECT INTO)
 *   needs confirmation before it runs, and the confirmation says sequences are not rolled back.
 */

export type ExplainMode = 'explain' | 'generic' | 'analyze';

export interface SideEffectConfirmation {
  /** What the statement would do, e.g. "DELETE on `orders`". */
  reason: string;
  /** The full sentence to show before asking. */
  message: string;
}

export interface ExplainRequest {
  /** One statement; `$n` parameters allowed. */
  sql: string;
  /** Values for `$1…$n`, as text (PostgreSQL casts them to the parameter types). */
  params?: readonly (string | null)[];
  analyze?: boolean;
  /** statement_timeout for the explain, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /**
   * Asked before EXPLAIN ANALYZE runs anything but a plain SELECT. Without it such statements are
   * refused with an ExplainError of kind `needs-confirmation`.
   */
  confirmSideEffects?: (confirmation: SideEffectConfirmation) => boolean | Promise<boolean>;
  thresholds?: Partial<PlanThresholds>;
}

export interface ExplainResult {
  mode: ExplainMode;
  database: DatabaseInfo;
  /** The statement as sent (after any leading EXPLAIN of its own was removed). */
  sql: string;
  /** PostgreSQL's JSON plan, unchanged. */
  plan: unknown;
  model: PlanModel;
  findings: PlanFinding[];
  /** Things to tell the user about this plan (no data behind it, rolled back, generic…). */
  notes: string[];
  /** The ANALYZE ran a statement with side effects after confirmation (and rolled it back). */
  confirmedSideEffects: boolean;
  durationMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const PROBE = 'perflens_single_statement_check';

export async function explainSql(runner: ExplainRunner, request: ExplainRequest): Promise<ExplainResult> {
  const started = Date.now();
  const stripped = stripOwnExplain(request.sql);
  const sql = stripped.sql;
  if (!significantTokens(sql).length) throw new ExplainError('no-sql', 'There is no SQL statement to explain.');
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new ExplainError('usage', `The timeout must be a positive number of milliseconds, not \`${timeoutMs}\`.`);
  const values = request.params ?? [];
  const count = parameterCount(sql);
  if (values.length && values.length !== count) {
    throw new ExplainError('parameters', `The statement has ${count} parameter${count === 1 ? '' : 's'} (${params(count)}) but ${values.length} value${values.length === 1 ? ' was' : 's were'} given.`);
  }
  const notes: string[] = [];
  if (stripped.removed) notes.push(`The leading \`${stripped.removed}\` was removed; Perflens adds its own EXPLAIN options${/analy[sz]e/i.test(stripped.removed) ? ' and runs ANALYZE only when asked (`--analyze`)' : ''}.`);

  return runner.withSession(async (session) => {
    const database = await databaseInfo(session, runner);
    const errorOffset = (prefix: string) => (e: unknown): never => {
      throw sqlError(e, prefix, sql, stripped.offset, timeoutMs);
    };

    let mode: ExplainMode;
    let plan: unknown;
    let confirmed = false;
    if (!request.analyze) {
      if (count > 0 && values.length === 0) {
        mode = 'generic';
        plan = await readOnly(session, timeoutMs, async () => {
          // Parsed and analysed as one statement through the extended protocol first: this is the
          // one-statement check for the simple-protocol EXPLAIN below, and it reports syntax errors
          // with their position on every version.
          await probe(session, sql, errorOffset);
          if (database.versionNum < 160000) {
            throw new ExplainError(
              'parameters',
              `The statement has ${count} parameter${count === 1 ? '' : 's'} (${params(count)}) and PostgreSQL ${database.version.split(' ')[0]} cannot plan without values (EXPLAIN (GENERIC_PLAN) needs PostgreSQL 16 or later); give a value for each with \`--param\`.`,
            );
          }
          const prefix = 'EXPLAIN (GENERIC_PLAN, FORMAT JSON)\n';
          return planOf(await session.simpleQuery(prefix + sql).catch(errorOffset(prefix)));
        });
        notes.push(`Generic plan: the value${count === 1 ? "" : "s"} of ${params(count)} ${count === 1 ? 'is' : 'are'} unknown, so row estimates use PostgreSQL's default selectivities; give values with \`--param\` for the plan of a specific call.`);
      } else {
        mode = 'explain';
        plan = await plainExplain(session, sql, values, timeoutMs, errorOffset);
      }
    } else {
      mode = 'analyze';
      if (count > 0 && values.length === 0) {
        await readOnly(session, timeoutMs, () => probe(session, sql, errorOffset));
        throw new ExplainError('parameters', `EXPLAIN ANALYZE runs the statement, so each of its ${count} parameter${count === 1 ? '' : 's'} (${params(count)}) needs a value; give them with \`--param\`.`);
      }
      // The plain plan first: it shows what the statement would modify before anything runs.
      const preview = parsePlan(await plainExplain(session, sql, values, timeoutMs, errorOffset));
      const writes = modifiedTables(preview);
      let reason = writes.length ? writes.join(', ') : hasTopLevelInto(sql) ? 'SELECT INTO creates a table' : undefined;
      const analyzePrefix = 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)\n';
      const analyzeIn = (access: 'READ ONLY' | 'READ WRITE'): Promise<unknown> =>
        transaction(session, `BEGIN ${access}`, timeoutMs, async () => planOf(await session.query(analyzePrefix + sql, values).catch(errorOffset(analyzePrefix))));
      if (reason === undefined) {
        try {
          plan = await analyzeIn('READ ONLY');
        } catch (e) {
          // PostgreSQL itself found a write inside what looked like a plain SELECT.
          if (!(e instanceof ExplainError && e.details.code === '25006')) throw e;
          reason = `it writes although it is a SELECT (PostgreSQL: ${e.message})`;
        }
      }
      if (reason !== undefined) {
        const message =
          `EXPLAIN ANALYZE executes the statement — ${reason} — inside a transaction that is then rolled back. ` +
          'Row changes are undone; sequence values it takes (serial and identity columns, nextval) are not rolled back, and triggers run.';
        const ok = request.confirmSideEffects ? await request.confirmSideEffects({ reason, message }) : false;
        if (!ok) {
          throw new ExplainError('needs-confirmation', `${message} Confirm to run it${request.confirmSideEffects ? '' : ' (`--allow-writes` on the command line)'}.`);
        }
        confirmed = true;
        plan = await analyzeIn('READ WRITE');
        notes.push('The statement ran inside a transaction that was rolled back; its row changes are undone, sequence values it took are not.');
      }
    }

    const model = parsePlan(plan);
    const relationRows = await readOnly(session, timeoutMs, () => relationSizes(session, model));
    const findings = planFindings(model, { thresholds: request.thresholds, relationRows });
    if (runner.kind === 'embedded') {
      notes.unshift('No data behind this plan: the embedded PostgreSQL holds your schema but no rows, so costs and row counts are the planner\'s guesses for empty tables. Connect a database (`--connection` or DATABASE_URL) for plans of your data.');
    }
    return { mode: mode!, database, sql, plan, model, findings, notes, confirmedSideEffects: confirmed, durationMs: Date.now() - started };
  });
}

/** `$1` or `$1…$3`. */
function params(count: number): string {
  return count === 1 ? '$1' : `$1…$${count}`;
}

async function databaseInfo(session: SqlSession, runner: ExplainRunner): Promise<DatabaseInfo> {
  const r = await session.query("SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num");
  const row = r.rows[0] ?? {};
  return { kind: runner.kind, version: String(row.version ?? '?'), versionNum: Number(row.num ?? 0), description: runner.description };
}

/** PREPARE (extended protocol) as one statement, then DEALLOCATE: PostgreSQL's parser as the check. */
async function probe(session: SqlSession, sql: string, errorOffset: (prefix: string) => (e: unknown) => never): Promise<void> {
  const prefix = `PREPARE ${PROBE} AS\n`;
  await session.query(prefix + sql).catch(errorOffset(prefix));
  await session.query(`DEALLOCATE ${PROBE}`);
}

async function plainExplain(
  session: SqlSession,
  sql: string,
  values: readonly (string | null)[],
  timeoutMs: number,
  errorOffset: (prefix: string) => (e: unknown) => never,
): Promise<unknown> {
  const prefix = 'EXPLAIN (FORMAT JSON)\n';
  return readOnly(session, timeoutMs, async () => planOf(await session.query(prefix + sql, values).catch(errorOffset(prefix))));
}

function readOnly<T>(session: SqlSession, timeoutMs: number, body: () => Promise<T>): Promise<T> {
  return transaction(session, 'BEGIN READ ONLY', timeoutMs, body);
}

/** `begin`, SET LOCAL statement_timeout, body, and ROLLBACK whatever happens. */
async function transaction<T>(session: SqlSession, begin: string, timeoutMs: number, body: () => Promise<T>): Promise<T> {
  await session.query(begin);
  try {
    await session.query(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
    return await body();
  } finally {
    // If even this fails the connection is gone, and the server rolls back on its own.
    await session.query('ROLLBACK').catch(() => undefined);
  }
}

function planOf(result: { rows: Array<Record<string, unknown>> }): unknown {
  const value = result.rows[0]?.['QUERY PLAN'];
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** "DELETE on `orders`" for every ModifyTable node, including those of data-modifying CTEs. */
function modifiedTables(model: PlanModel): string[] {
  return model.nodes
    .filter((n: PlanNode) => n.nodeType === 'ModifyTable')
    .map((n) => `${String(n.raw.Operation ?? 'MODIFY').toUpperCase()} on \`${n.relation ?? '?'}\``);
}

/** reltuples of the scanned relations, so a plain EXPLAIN can tell a seq scan of a large table. */
async function relationSizes(session: SqlSession, model: PlanModel): Promise<Map<string, number>> {
  const names = [...new Set(model.nodes.filter((n) => n.nodeType === 'Seq Scan' && n.relation).map((n) => n.relation!))];
  const sizes = new Map<string, number>();
  if (!names.length) return sizes;
  const literal = `{${names.map((n) => `"${n.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  const r = await session.query(
    'SELECT c.relname, c.reltuples::float8 AS reltuples FROM pg_catalog.pg_class c WHERE c.relname = ANY($1::text[]) AND pg_catalog.pg_table_is_visible(c.oid)',
    [literal],
  );
  for (const row of r.rows) {
    const n = Number(row.reltuples);
    if (Number.isFinite(n) && n >= 0) sizes.set(String(row.relname), n);
  }
  return sizes;
}

/** A leading `EXPLAIN [ANALYZE] [VERBOSE] [(…)]` the user wrote themselves; Perflens sets the options. */
function stripOwnExplain(sql: string): { sql: string; offset: number; removed?: string } {
  const tokens = significantTokens(sql);
  if (tokens[0]?.text.toLowerCase() !== 'explain') return { sql, offset: 0 };
  let k = 1;
  if (tokens[k]?.text === '(') {
    let depth = 0;
    for (; k < tokens.length; k++) {
      if (tokens[k].text === '(') depth++;
      else if (tokens[k].text === ')' && --depth === 0) {
        k++;
        break;
      }
    }
  } else {
    while (tokens[k] && /^(analy[sz]e|verbose)$/i.test(tokens[k].text)) k++;
  }
  const rest = tokens[k];
  if (!rest) return { sql, offset: 0 };
  return { sql: sql.slice(rest.start), offset: rest.start, removed: sql.slice(tokens[0].start, rest.start).trim() };
}

/** A PostgreSQL error about our wrapped text, turned into one about the user's SQL. */
function sqlError(e: unknown, prefix: string, sql: string, userOffset: number, timeoutMs: number): ExplainError {
  if (e instanceof ExplainError) return e;
  if (!isPostgresError(e)) return new ExplainError('sql', e instanceof Error ? e.message : String(e));
  const details = { code: e.code, ...(e.detail ? { detail: e.detail } : {}), ...(e.hint ? { hint: e.hint } : {}) };
  if (e.code === '57014' && /statement timeout/i.test(e.message)) {
    return new ExplainError('timeout', `PostgreSQL stopped the statement after ${timeoutMs} ms (statement_timeout) and it was rolled back; allow more time with \`--timeout\`.`, details);
  }
  if (/cannot insert multiple commands into a prepared statement/i.test(e.message)) {
    return new ExplainError('sql', 'Only one statement can be explained at a time, and this text holds several; nothing was run.', details);
  }
  if (e.code === '08P01' && /bind message supplies/i.test(e.message)) {
    return new ExplainError('parameters', `The number of values does not match the statement's parameters (PostgreSQL: ${e.message}).`, details);
  }
  const position = e.position ? Number(e.position) : NaN;
  if (Number.isFinite(position) && position > 0) {
    const sent = prefix + sql;
    const offset = codePointPositionToOffset(sent, position) - prefix.length;
    if (offset >= 0 && offset <= sql.length) {
      const first = significantTokens(sql)[0];
      const hint = e.code === '42601' && first && offset === first.start && !e.hint
        ? { hint: 'EXPLAIN accepts SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES and TABLE statements.' }
        : {};
      return new ExplainError('sql', e.message, { ...details, ...hint, sqlOffset: offset + userOffset });
    }
  }
  return new ExplainError('sql', e.message, details);
}
