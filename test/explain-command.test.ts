import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runExplainCommand } from '../src/explain/command';
import { parseConnectionString, redact } from '../src/explain/connection';
import { parseDotEnv } from '../src/explain/dotenv';
import { createPgRunner } from '../src/explain/pg-runner';
import { createSchema, loadRows, ordersFingerprint, SCHEMA_DIR, SNAPSHOT_DIR, testDatabaseUrl } from './fixtures-explain/live-database';

/**
 * `perflens explain` as a user types it (argv in, text out, exit code), against the real server and
 * the embedded database; and the connection-string handling that keeps passwords out of the output.
 */

const APP = join(__dirname, '..', '..', 'test', 'fixtures-explain', 'app');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], options: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runExplainCommand(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: options.cwd ?? APP,
    env: options.env ?? {},
    stdin: Readable.from([options.stdin ?? '']),
  });
  return { code, stdout, stderr };
}

function passwordOf(url: string): string {
  const target = parseConnectionString(url);
  assert.ok(target.password && target.password.length >= 8, 'the test database URL must carry a password');
  return target.password;
}

function assertNoSecret(result: Run, secret: string): void {
  for (const form of [secret, encodeURIComponent(secret)]) {
    assert.ok(!result.stdout.includes(form), `password in stdout:\n${result.stdout}`);
    assert.ok(!result.stderr.includes(form), `password in stderr:\n${result.stderr}`);
  }
}

describe('explain: connection strings', () => {
  it('reads URLs and key=value strings, with PG* variables for what they leave out', () => {
    const t = parseConnectionString('postgresql://app:s%40cret%2Fx@db.example.com:6543/shop?sslmode=require&connect_timeout=3&application_name=x');
    assert.deepEqual([t.user, t.password, t.host, t.port, t.database, t.sslmode, t.connectTimeoutMs], ['app', 's@cret/x', 'db.example.com', 6543, 'shop', 'require', 3000]);
    assert.equal(t.display, 'postgresql://app:***@db.example.com:6543/shop?sslmode=require');
    const kv = parseConnectionString("host=/var/run/postgresql dbname=shop user=app password='it\\'s x' sslmode=disable", { env: { PGPORT: '5433' } });
    assert.deepEqual([kv.host, kv.port, kv.database, kv.password, kv.sslmode], ['/var/run/postgresql', 5433, 'shop', "it's x", 'disable']);
    const env = parseConnectionString('postgresql:///shop', { env: { PGHOST: 'h', PGUSER: 'u', PGPASSWORD: 'envsecret', PGSSLMODE: 'verify-full' } });
    assert.deepEqual([env.host, env.user, env.password, env.sslmode], ['h', 'u', 'envsecret', 'verify-full']);
    assert.ok(env.secrets.includes('envsecret'));
  });

  it("implements libpq's sslmode meanings as connection attempts", () => {
    const attempts = (mode: string): unknown => parseConnectionString(`postgresql://h/db?sslmode=${mode}`).attempts.map((a) => (a === false ? 'plain' : a.rejectUnauthorized === false ? 'tls-unverified' : 'tls-verified'));
    assert.deepEqual(attempts('disable'), ['plain']);
    assert.deepEqual(attempts('allow'), ['plain', 'tls-unverified']);
    assert.deepEqual(attempts('prefer'), ['tls-unverified', 'plain']);
    assert.deepEqual(attempts('require'), ['tls-unverified']);
    assert.deepEqual(attempts('verify-full'), ['tls-verified']);
    assert.throws(() => parseConnectionString('postgresql://h/db?sslmode=verify-ca'), /sslrootcert/);
    assert.throws(() => parseConnectionString('postgresql://h/db?sslmode=sometimes'), /Unknown `sslmode=sometimes`/);
  });

  it('redacts passwords in every spelling and in any URL it finds', () => {
    const secrets = parseConnectionString('postgresql://u:p%40ss%2Fword@h/db').secrets;
    assert.equal(redact('failed for p@ss/word and p%40ss%2Fword', secrets), 'failed for *** and ***');
    assert.equal(redact('see postgres://x:other-secret@host:5432/db now', []), 'see postgres://x:***@host:5432/db now');
  });

  it('reads .env files like dotenv', () => {
    const vars = parseDotEnv('# c\nexport DATABASE_URL="postgresql://a:b@h/d"\nX=1 # note\nY=\'lit #\'\n');
    assert.deepEqual(vars, { DATABASE_URL: 'postgresql://a:b@h/d', X: '1', Y: 'lit #' });
  });
});

describe('perflens explain (command)', function () {
  this.timeout(120_000);

  describe('against a real PostgreSQL server', () => {
    let url: string;
    let password: string;

    before(async function () {
      url = testDatabaseUrl(this);
      password = passwordOf(url);
      const runner = createPgRunner(url);
      await runner.withSession(async (s) => {
        await createSchema(s);
        await loadRows(s);
      });
    });

    it('prints the plan for --sql with --connection, with the password hidden', async () => {
      const r = await run(['--sql', 'SELECT * FROM orders WHERE id = 1', '--connection', url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^-- EXPLAIN in a read-only transaction, rolled back · PostgreSQL \d+/);
      assert.match(r.stdout, /postgresql:\/\/perflens:\*\*\*@127\.0\.0\.1:\d+\/perflens_test/);
      assert.match(r.stdout, /^Index Scan using orders_pkey on orders {2}\(cost=/m);
      assertNoSecret(r, password);
    });

    it('prints JSON with mode, database, PostgreSQL\'s plan and findings', async () => {
      const r = await run(['--sql', "SELECT * FROM orders WHERE note = 'x'", '--format', 'json'], { env: { DATABASE_URL: url } });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { mode: string; database: { kind: string; version: string }; plan: Array<{ Plan: Record<string, unknown> }>; findings: Array<{ node: string; kind: string; message: string }> };
      assert.equal(out.mode, 'explain');
      assert.equal(out.database.kind, 'postgres');
      assert.match(out.database.version, /^\d+\.\d+/);
      assert.ok(Array.isArray(out.plan) && out.plan[0].Plan['Node Type']);
      const seq = out.findings.find((f) => f.kind === 'seq-scan');
      assert.ok(seq, r.stdout);
      assert.match(seq.node, /^\/0\/Plan(\/Plans\/\d+)*$/);
      assertNoSecret(r, password);
    });

    it('takes DATABASE_URL from .env in the current folder', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'perflens-env-'));
      try {
        writeFileSync(join(dir, '.env'), `# local\nDATABASE_URL=${url}\n`);
        const r = await run(['--sql', 'SELECT 1', '--format', 'json'], { cwd: dir });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { database: { kind: string } }).database.kind, 'postgres');
        assertNoSecret(r, password);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('explains the template literal at --line/--column of a JS file, values as --param', async () => {
      const r = await run(['--file', 'orders-repo.js', '--line', '8', '--column', '10', '--param', '7', '--param', 'paid', '--connection', url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /orders-repo\.js:6:37/);
      assert.match(r.stdout, /Index Cond: \(customer_id = 7\)|Recheck Cond: \(customer_id = 7\)/);
    });

    it('explains the text() string of a Python file, the line being enough', async () => {
      const r = await run(['--file', 'orders_repo.py', '--line', '7', '--param', '7', '--param', 'paid', '--connection', url, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { sql: string; parameters: Array<{ number: number; source: string }> };
      assert.equal(out.sql, 'SELECT id, total FROM orders WHERE customer_id = $1 AND status = $2');
      assert.deepEqual(out.parameters, [{ number: 1, source: ':cid' }, { number: 2, source: ':status' }]);
    });

    it('points a syntax error at its line and column in the file, with a caret', async () => {
      const r = await run(['--file', 'orders-repo.js', '--line', '15', '--column', '25', '--connection', url]);
      assert.equal(r.code, 2);
      const line = readFileSync(join(APP, 'orders-repo.js'), 'utf8').split('\n')[14];
      const column = line.indexOf('id = ${id}') + 1;
      assert.match(r.stderr, /^perflens explain: syntax error at or near "id"$/m);
      assert.ok(r.stderr.includes(`--> orders-repo.js:15:${column}`), r.stderr);
      const caretLine = r.stderr.split('\n').find((l) => /^\s+\|\s+\^$/.test(l))!;
      const sourceLine = r.stderr.split('\n').find((l) => l.includes('WHER id'))!;
      assert.equal(caretLine.indexOf('^'), sourceLine.indexOf('id = ${id}'));
    });

    it('refuses ANALYZE of a DELETE without --allow-writes, runs and rolls it back with it', async () => {
      const before = await createPgRunner(url).withSession(ordersFingerprint);
      const refused = await run(['--sql', 'DELETE FROM orders WHERE id > 60000', '--analyze', '--connection', url]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /DELETE on `orders`.*sequence values.*--allow-writes/s);
      const ran = await run(['--sql', 'DELETE FROM orders WHERE id > 60000', '--analyze', '--allow-writes', '--connection', url]);
      assert.equal(ran.code, 0, ran.stderr);
      assert.match(ran.stdout, /Delete on orders .*\(actual time=/);
      assert.equal(await createPgRunner(url).withSession(ordersFingerprint), before);
    });

    it('reads the statement from standard input and refuses two statements', async () => {
      const r = await run(['--connection', url], { stdin: 'SELECT 1; DROP TABLE order_items;\n' });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Only one statement/);
      const ok = await run(['--connection', url], { stdin: 'SELECT count(*) FROM order_items;\n' });
      assert.equal(ok.code, 0, ok.stderr);
    });

    it('honours sslmode: require fails against a server without SSL, prefer falls back, disable connects', async () => {
      const withMode = (mode: string): string => `${url}${url.includes('?') ? '&' : '?'}sslmode=${mode}`;
      const required = await run(['--sql', 'SELECT 1', '--connection', withMode('require')]);
      assert.equal(required.code, 2);
      assert.match(required.stderr, /does not support SSL/);
      assertNoSecret(required, password);
      assert.equal((await run(['--sql', 'SELECT 1', '--connection', withMode('prefer')])).code, 0);
      assert.equal((await run(['--sql', 'SELECT 1', '--connection', withMode('disable')])).code, 0);
    });

    it('keeps a wrong password out of the error and says how to configure the database', async () => {
      const wrong = 'Wr0ng:p@ss/wörd-1234';
      const target = parseConnectionString(url);
      const bad = `postgresql://${target.user}:${encodeURIComponent(wrong)}@${target.host}:${target.port}/${target.database}?sslmode=disable`;
      const r = await run(['--sql', 'SELECT 1', '--connection', bad]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /password authentication failed/);
      assert.match(r.stderr, /--connection postgresql:\/\/.*DATABASE_URL.*--embedded/s);
      assertNoSecret(r, wrong);
      assertNoSecret(r, password);
    });
  });

  describe('without a database server', () => {
    let silent: Server | undefined;
    const sockets: Socket[] = [];
    after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
      // The embedded database stays up for the other EXPLAIN tests (starting one takes seconds);
      // explain-runners.test closes it.
    });

    it('reports an unreachable server with the password hidden and how to configure one', async () => {
      // A port nothing listens on: take a free one and close it.
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const r = await run(['--sql', 'SELECT 1', '--connection', `postgresql://app:topsecret-pw@127.0.0.1:${port}/shop`]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Cannot connect to PostgreSQL at postgresql:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/shop: .*ECONNREFUSED/);
      assert.match(r.stderr, /DATABASE_URL/);
      assertNoSecret(r, 'topsecret-pw');
    });

    it('gives up after the connect timeout when the server does not answer', async () => {
      silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', () => resolve()));
      const port = (silent.address() as { port: number }).port;
      const started = Date.now();
      const r = await run(['--sql', 'SELECT 1', '--connection', `postgresql://app:topsecret-pw@127.0.0.1:${port}/shop?sslmode=disable`, '--connect-timeout', '400']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /timeout.*400 ms/);
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      assertNoSecret(r, 'topsecret-pw');
    });

    it('uses the embedded PostgreSQL with the schema under the current folder, and says so', async () => {
      const r = await run(['--sql', 'SELECT c.email, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id = 3'], { cwd: SCHEMA_DIR, env: { PERFLENS_CACHE_DIR: SNAPSHOT_DIR } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /no database configured.*embedded PostgreSQL with the schema found under .*schema/);
      assert.match(r.stdout, /embedded PostgreSQL 1\d\.\d+ \(PGlite\)/);
      assert.match(r.stdout, /No data behind this plan/);
      assert.match(r.stdout, /-- Schema file skipped: db\/migrations\/003_broken\.sql:3:8: syntax error at or near "TABEL"/);
      assert.match(r.stdout, /Join|Nested Loop/);
    });

    it('explains with --embedded --schema DIR from anywhere, GENERIC_PLAN for $1', async () => {
      const r = await run(['--embedded', '--schema', SCHEMA_DIR, '--sql', 'SELECT * FROM orders WHERE customer_id = $1', '--format', 'json'], { cwd: tmpdir() });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { mode: string; database: { kind: string }; schema: { failed: Array<{ file: string }> } };
      assert.equal(out.mode, 'generic');
      assert.equal(out.database.kind, 'embedded');
      assert.deepEqual(out.schema.failed.map((f) => f.file), ['db/migrations/003_broken.sql']);
      assert.equal(r.stderr, '', 'an explicit --embedded needs no notice');
    });

    it('rejects bad usage with exit code 2', async () => {
      for (const argv of [['--nope'], ['--sql', 'SELECT 1', '--file', 'x.sql'], ['--format', 'xml', '--sql', 'SELECT 1'], ['--allow-writes', '--sql', 'SELECT 1'], ['--file', 'orders-repo.js']]) {
        const r = await run(argv);
        assert.equal(r.code, 2, argv.join(' '));
        assert.match(r.stderr, /^perflens explain: .+\n {2}Run `perflens explain --help`/, r.stderr);
      }
      const missing = await run(['--embedded', '--schema', 'no-such-folder', '--sql', 'SELECT 1']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^perflens explain: `--schema`: .*no-such-folder is not a folder/, missing.stderr);
      const help = await run(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /--allow-writes/);
    });
  });
});
