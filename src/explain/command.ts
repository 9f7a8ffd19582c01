import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractSql, languageOfFile, type ExtractedSql } from './extract';
import { explainSql, DEFAULT_TIMEOUT_MS, type ExplainResult } from './explain';
import { ExplainError } from './errors';
import { parseConnectionString, redact } from './connection';
import { PgRunner } from './pg-runner';
import { closeEmbeddedRunners, openEmbeddedRunner, type EmbeddedRunner } from './embedded-runner';
import { readDotEnv } from './dotenv';
import { lineColumn, offsetOf } from './offset-map';
import { renderExplainText } from './render-text';
import type { ExplainRunner } from './runner';

/**
 * `perflens explain`: argv → SQL (from --sql, --file at a line/column, or stdin) → a runner (a
 * connection string, else the embedded database with the schema under the current folder) → the plan
 * as text or JSON. Exit 0 with a plan, 2 on any error. Every byte written goes through `redact`, so a
 * password from the connection string cannot reach the terminal, whatever produced the text.
 */

export interface CommandIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
  /** Read when neither --sql nor --file is given; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const EXPLAIN_USAGE = `Usage: perflens explain [SQL source] [database] [options]

SQL source (one of):
  --sql TEXT                 the statement
  --file FILE                a .sql file (the whole file, or the statement at --line),
                             or a .ts/.js/.py file with --line: the SQL literal there
    --line N [--column N]    1-based cursor position in FILE
    --end-line N --end-column N   with --line/--column: a selection instead of a cursor
  (standard input)           when neither is given

Database (first that applies):
  --connection URL           a PostgreSQL connection string (alias --database-url);
                             sslmode and connect_timeout are honoured
  --embedded [--schema DIR]  the embedded PostgreSQL (PGlite) with the schema found in DIR
                             (default: current folder): migrations/**/*.sql, schema.sql,
                             prisma/migrations/*/migration.sql; a snapshot of the
                             initialised database is cached in $PERFLENS_CACHE_DIR
                             (default ~/.cache/perflens) to start faster
  DATABASE_URL               from the environment, else from .env in the current folder
  (nothing configured)       the embedded PostgreSQL, as with --embedded

Options:
  --param VALUE              a value for $1, $2, … (repeat in order); without values a
                             statement with $n gets a generic plan (PostgreSQL 16+)
  --analyze                  EXPLAIN ANALYZE: runs the statement in a transaction that is
                             rolled back, with a statement timeout
  --allow-writes             with --analyze: also run statements that write (INSERT, UPDATE,
                             DELETE, MERGE, data-modifying CTEs); their row changes are rolled
                             back, sequence values are not (alias --yes-i-understand-side-effects)
  --timeout MS               statement_timeout (default ${DEFAULT_TIMEOUT_MS})
  --connect-timeout MS       connection timeout (default 5000)
  --format text|json         output format (default text)
`;

interface Options {
  sql?: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  connection?: string;
  embedded: boolean;
  schema?: string;
  analyze: boolean;
  allowWrites: boolean;
  params: string[];
  timeoutMs: number;
  connectTimeoutMs: number;
  format: 'text' | 'json';
  help: boolean;
}

export async function runExplainCommand(argv: string[], io: CommandIO): Promise<number> {
  const secrets: string[] = [];
  if (io.env.PGPASSWORD) secrets.push(io.env.PGPASSWORD);
  const out = (text: string): void => void io.stdout.write(redact(text, secrets));
  const err = (text: string): void => void io.stderr.write(redact(text, secrets));
  let options: Options | undefined;
  let source: { text: string; name: string; extracted?: ExtractedSql } | undefined;
  try {
    options = parseArgs(argv);
    if (options.help) {
      out(EXPLAIN_USAGE);
      return 0;
    }
    source = await readSource(options, io);
    const extracted = extractSql({
      text: source.text,
      fileName: source.name,
      language: options.file ? languageOfFile(options.file) : 'sql',
      ...selectionOf(options, source.text),
    });
    source.extracted = extracted;

    const runner = await chooseRunner(options, io, secrets, err);
    const result = await explainSql(runner, {
      sql: extracted.sql,
      params: options.params.length ? options.params : undefined,
      analyze: options.analyze,
      timeoutMs: options.timeoutMs,
      // Without --allow-writes there is no one to ask: the engine refuses and names the flag.
      confirmSideEffects: options.allowWrites ? () => true : undefined,
    });
    const embedded = runner.kind === 'embedded' ? (runner as EmbeddedRunner) : undefined;
    if (options.format === 'json') out(JSON.stringify(jsonOutput(result, extracted, source.name, embedded), null, 2) + '\n');
    else out(textOutput(result, extracted, source, embedded));
    return 0;
  } catch (e) {
    const error = e instanceof ExplainError ? e : new ExplainError('sql', e instanceof Error ? e.message : String(e));
    const location = source?.extracted && error.details.sqlOffset !== undefined ? locate(source, source.extracted, error.details.sqlOffset) : undefined;
    if (options?.format === 'json') {
      out(
        JSON.stringify(
          {
            error: {
              kind: error.kind,
              message: error.message,
              ...(error.details.code ? { code: error.details.code } : {}),
              ...(location ? { file: location.file, line: location.line, column: location.column } : {}),
              ...(error.details.hint ? { hint: error.details.hint } : {}),
            },
          },
          null,
          2,
        ) + '\n',
      );
    }
    err(`perflens explain: ${error.message}\n`);
    if (location) err(location.excerpt);
    if (error.details.detail) err(`  detail: ${error.details.detail}\n`);
    if (error.details.hint) err(`  hint: ${error.details.hint}\n`);
    if (error.kind === 'connection') {
      err(
        '  Give the database with `--connection postgresql://user@host:5432/dbname` or `DATABASE_URL` (environment or .env in the current folder),\n' +
          '  or use `--embedded` for the embedded PostgreSQL loaded with this folder\'s schema.\n',
      );
    }
    if (error.kind === 'usage') err('  Run `perflens explain --help` for the options.\n');
    return 2;
  }
}

/** The shape of src/cli's CliIO, restated so this module does not depend on the CLI. */
export interface CliLikeIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutStream?: { isTTY?: boolean };
  stderrStream?: { isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * `perflens explain` for a one-shot process: runs the command, then closes the embedded database,
 * which would otherwise keep the process alive for seconds after the plan is printed.
 */
export async function runExplainCli(argv: readonly string[], io: CliLikeIO): Promise<number> {
  try {
    return await runExplainCommand([...argv], {
      stdout: { write: (t: string) => io.stdout(t), isTTY: io.stdoutStream?.isTTY },
      stderr: { write: (t: string) => io.stderr(t), isTTY: io.stderrStream?.isTTY },
      cwd: io.cwd,
      env: io.env,
    });
  } finally {
    await closeEmbeddedRunners();
  }
}

function parseArgs(argv: string[]): Options {
  const o: Options = { embedded: false, analyze: false, allowWrites: false, params: [], timeoutMs: DEFAULT_TIMEOUT_MS, connectTimeoutMs: 5000, format: 'text', help: false };
  const args = [...argv];
  const usage = (message: string): ExplainError => new ExplainError('usage', message);
  const value = (flag: string, inline: string | undefined): string => {
    const v = inline ?? args.shift();
    if (v === undefined) throw usage(`\`${flag}\` needs a value.`);
    return v;
  };
  const integer = (flag: string, text: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw usage(`\`${flag}\` needs a whole number${min > 0 ? ' above 0' : ''}, not \`${text}\`.`);
    return n;
  };
  while (args.length) {
    const arg = args.shift()!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    switch (flag) {
      case '--sql':
        o.sql = value(flag, inline);
        break;
      case '--file':
        o.file = value(flag, inline);
        break;
      case '--line':
        o.line = integer(flag, value(flag, inline), 1);
        break;
      case '--column':
        o.column = integer(flag, value(flag, inline), 1);
        break;
      case '--end-line':
        o.endLine = integer(flag, value(flag, inline), 1);
        break;
      case '--end-column':
        o.endColumn = integer(flag, value(flag, inline), 1);
        break;
      case '--connection':
      case '--database-url':
        o.connection = value(flag, inline);
        break;
      case '--embedded':
        o.embedded = true;
        break;
      case '--schema':
        o.schema = value(flag, inline);
        break;
      case '--analyze':
        o.analyze = true;
        break;
      case '--allow-writes':
      case '--yes-i-understand-side-effects':
        o.allowWrites = true;
        break;
      case '--param':
        o.params.push(value(flag, inline));
        break;
      case '--timeout':
        o.timeoutMs = integer(flag, value(flag, inline), 1);
        break;
      case '--connect-timeout':
        o.connectTimeoutMs = integer(flag, value(flag, inline), 1);
        break;
      case '--format': {
        const f = value(flag, inline);
        if (f !== 'text' && f !== 'json') throw usage(`\`--format\` is \`text\` or \`json\`, not \`${f}\`.`);
        o.format = f;
        break;
      }
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw usage(arg.startsWith('-') ? `Unknown option \`${arg}\`.` : `Unexpected argument \`${arg}\`; give SQL with \`--sql\` or a file with \`--file\`.`);
    }
  }
  if (o.sql !== undefined && o.file !== undefined) throw usage('Give either `--sql` or `--file`, not both.');
  if (o.line === undefined && (o.column !== undefined || o.endLine !== undefined)) throw usage('`--column` and `--end-line` need `--line`.');
  if (o.line !== undefined && o.file === undefined) throw usage('`--line` needs `--file`.');
  if ((o.endLine === undefined) !== (o.endColumn === undefined)) throw usage('`--end-line` and `--end-column` go together.');
  if (o.embedded && o.connection !== undefined) throw usage('Give either `--connection` or `--embedded`, not both.');
  if (o.schema !== undefined && o.connection !== undefined) throw usage('`--schema` is for the embedded database; it cannot be used with `--connection`.');
  if (o.allowWrites && !o.analyze) throw usage('`--allow-writes` only matters with `--analyze` (plain EXPLAIN never runs the statement).');
  return o;
}

async function readSource(o: Options, io: CommandIO): Promise<{ text: string; name: string }> {
  if (o.sql !== undefined) return { text: o.sql, name: '<sql>' };
  if (o.file !== undefined) {
    const path = resolve(io.cwd, o.file);
    try {
      return { text: readFileSync(path, 'utf8'), name: o.file };
    } catch (e) {
      throw new ExplainError('usage', `Cannot read \`${o.file}\`: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
    }
  }
  const stdin = io.stdin ?? process.stdin;
  if (stdin.isTTY) throw new ExplainError('usage', 'No SQL given: use `--sql`, `--file`, or pipe the statement into standard input.');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return { text: Buffer.concat(chunks).toString('utf8'), name: '<stdin>' };
}

function selectionOf(o: Options, text: string): { selection?: { start: number; end: number }; cursor?: number } {
  if (o.line === undefined) {
    const language = o.file ? languageOfFile(o.file) : 'sql';
    if (language !== 'sql') throw new ExplainError('usage', `Say where the SQL is in \`${o.file}\` with \`--line\` (and \`--column\`).`);
    return { selection: { start: 0, end: text.length } };
  }
  let column = o.column;
  if (column === undefined) {
    // Without a column, the first string on the line.
    const start = offsetOf(text, o.line, 1);
    const lineText = text.slice(start, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
    const quote = lineText.search(/["'`]/);
    column = quote >= 0 ? quote + 2 : 1;
  }
  const cursor = offsetOf(text, o.line, column);
  if (o.endLine !== undefined && o.endColumn !== undefined) return { selection: { start: cursor, end: offsetOf(text, o.endLine, o.endColumn) } };
  return { cursor };
}

async function chooseRunner(o: Options, io: CommandIO, secrets: string[], err: (text: string) => void): Promise<ExplainRunner> {
  let connection = o.connection;
  let from = '--connection';
  if (connection === undefined && !o.embedded && o.schema === undefined) {
    if (io.env.DATABASE_URL) {
      connection = io.env.DATABASE_URL;
      from = 'DATABASE_URL';
    } else {
      const dotenv = readDotEnv(io.cwd);
      if (dotenv.DATABASE_URL) {
        connection = dotenv.DATABASE_URL;
        from = 'DATABASE_URL in .env';
      }
    }
  }
  if (connection !== undefined) {
    if (!connection.trim()) throw new ExplainError('connection', `The connection string from ${from} is empty.`);
    const target = parseConnectionString(connection, { env: io.env, defaultConnectTimeoutMs: o.connectTimeoutMs });
    secrets.push(...target.secrets);
    return new PgRunner(target);
  }
  const schemaDir = resolve(io.cwd, o.schema ?? '.');
  // A mistyped folder would otherwise give an empty database and "relation … does not exist".
  if (o.schema !== undefined && !isDirectory(schemaDir)) throw new ExplainError('usage', `\`--schema\`: ${schemaDir} is not a folder; give the folder that holds your migrations or schema.sql.`);
  if (!o.embedded && o.schema === undefined) {
    err(`perflens explain: no database configured (--connection, DATABASE_URL or .env); using the embedded PostgreSQL with the schema found under ${schemaDir}.\n`);
  }
  const progress = io.stderr.isTTY ? (m: string) => err(`${m}\n`) : undefined;
  return openEmbeddedRunner({ schemaDir, onProgress: progress, snapshotDir: cacheDir(io.env) });
}

/** Where the embedded database's start-up snapshot is kept: PERFLENS_CACHE_DIR, else the XDG cache. */
function cacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.PERFLENS_CACHE_DIR) return env.PERFLENS_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'perflens');
  if (env.HOME) return join(env.HOME, '.cache', 'perflens');
  return undefined;
}

function locate(source: { text: string; name: string }, extracted: ExtractedSql, sqlOffset: number): { file: string; line: number; column: number; excerpt: string } {
  const offset = extracted.map.toSource(sqlOffset);
  const { line, column } = lineColumn(source.text, offset);
  const lineStart = offsetOf(source.text, line, 1);
  const nl = source.text.indexOf('\n', lineStart);
  const lineText = source.text.slice(lineStart, nl < 0 ? source.text.length : nl).replace(/\r$/, '');
  const gutter = String(line).length;
  const pad = ' '.repeat(gutter);
  const caretPad = lineText.slice(0, column - 1).replace(/[^\t]/g, ' ');
  return {
    file: source.name,
    line,
    column,
    excerpt: `  --> ${source.name}:${line}:${column}\n ${pad} |\n ${line} | ${lineText}\n ${pad} | ${caretPad}^\n`,
  };
}

function schemaLines(embedded: EmbeddedRunner | undefined): string[] {
  if (!embedded) return [];
  const s = embedded.schema;
  const lines = [`-- Schema: ${s.loaded.length} file${s.loaded.length === 1 ? '' : 's'} loaded from ${s.root}${s.loaded.length ? '' : ' (no migrations/**/*.sql or schema.sql found)'}`];
  for (const f of s.failed) lines.push(`-- Schema file skipped: ${f.file}${f.line ? `:${f.line}:${f.column}` : ''}: ${f.message}`);
  return lines;
}

function textOutput(result: ExplainResult, extracted: ExtractedSql, source: { text: string; name: string }, embedded: EmbeddedRunner | undefined): string {
  let where: string | undefined;
  if (source.name !== '<sql>' && source.name !== '<stdin>') {
    const { line, column } = lineColumn(source.text, extracted.range.start);
    where = `${source.name}:${line}:${column}`;
  }
  const text = renderExplainText(result, where);
  const schema = schemaLines(embedded);
  if (!schema.length) return text;
  const firstBreak = text.indexOf('\n');
  return text.slice(0, firstBreak + 1) + schema.join('\n') + '\n' + text.slice(firstBreak + 1);
}

function jsonOutput(result: ExplainResult, extracted: ExtractedSql, sourceName: string, embedded: EmbeddedRunner | undefined): unknown {
  return {
    mode: result.mode,
    database: { kind: result.database.kind, version: result.database.version, versionNum: result.database.versionNum, description: result.database.description },
    sql: result.sql,
    source: sourceName,
    parameters: extracted.placeholders.map((p) => ({ number: p.number, source: p.source })),
    plan: result.plan,
    findings: result.findings.map((f) => ({ node: f.node, kind: f.kind, severity: f.severity, message: f.message })),
    notes: result.notes,
    ...(embedded ? { schema: { root: embedded.schema.root, loaded: embedded.schema.loaded, failed: embedded.schema.failed } } : {}),
    durationMs: result.durationMs,
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
