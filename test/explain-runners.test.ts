import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainSql, type ExplainRequest, type ExplainResult } from '../src/explain/explain';
import { explainInFile } from '../src/explain';
import { ExplainError, type ExplainErrorKind } from '../src/explain/errors';
import { createPgRunner } from '../src/explain/pg-runner';
import { openEmbeddedRunner, closeEmbeddedRunners, type EmbeddedRunner } from '../src/explain/embedded-runner';
import type { ExplainRunner } from '../src/explain/runner';
import { createSchema, loadRows, ordersFingerprint, SCHEMA_DIR, SNAPSHOT_DIR, testDatabaseUrl } from './fixtures-explain/live-database';

/**
 * The safety rules and plans, against a real PostgreSQL server (started by .ci/run) and against the
 * embedded PGlite, with the same tests where the two can behave alike. No mocks: every plan and every
 * refusal comes from PostgreSQL.
 */

async function rejectsWith(promise: Promise<unknown>, kind: ExplainErrorKind, pattern?: RegExp): Promise<ExplainError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ExplainError, `expected an ExplainError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (pattern) assert.match(e.message, pattern);
    return e;
  }
  assert.fail(`expected an ExplainError of kind ${kind}`);
}

function nodeTypes(result: ExplainResult): string[] {
  return result.model.nodes.map((n) => n.nodeType);
}

function runnerSuite(title: string, open: (context: Mocha.Context) => Promise<ExplainRunner>, options: { interruptible: boolean }): void {
  describe(title, function () {
    this.timeout(120_000);
    let runner: ExplainRunner;
    const explain = (request: ExplainRequest): Promise<ExplainResult> => explainSql(runner, request);
    const fingerprint = (): Promise<string> => runner.withSession(ordersFingerprint);

    before(async function () {
      runner = await open(this);
      await runner.withSession(loadRows);
    });

    it('chooses and reports an index scan for a selective query', async () => {
      const r = await explain({ sql: 'SELECT * FROM orders WHERE id = 42' });
      assert.equal(r.mode, 'explain');
      assert.equal(r.model.root.nodeType, 'Index Scan');
      assert.equal(r.model.root.indexName, 'orders_pkey');
      assert.ok(!r.findings.some((f) => f.kind === 'seq-scan'));
      // The plan is PostgreSQL's document, unchanged.
      assert.equal((r.plan as Array<{ Plan: { 'Node Type': string } }>)[0].Plan['Node Type'], 'Index Scan');
    });

    it('flags a sequential scan for a filter no index covers', async () => {
      const r = await explain({ sql: "SELECT * FROM orders WHERE note = 'note 7'" });
      const seq = r.findings.find((f) => f.kind === 'seq-scan');
      assert.ok(seq, JSON.stringify(r.findings));
      assert.equal(seq.severity, 'warning');
      assert.match(seq.message, /rows of `orders`.*filter/);
    });

    it('plans joins and sorts', async () => {
      const r = await explain({ sql: "SELECT c.email, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'paid' ORDER BY o.total DESC" });
      assert.ok(nodeTypes(r).some((t) => /Join|Nested Loop/.test(t)), nodeTypes(r).join());
      assert.ok(nodeTypes(r).includes('Sort') || nodeTypes(r).includes('Incremental Sort'), nodeTypes(r).join());
      assert.ok(r.findings.some((f) => f.kind === 'costliest-node'));
    });

    it('plans $n with the values given', async () => {
      const r = await explain({ sql: 'SELECT * FROM orders WHERE customer_id = $1 AND status = $2', params: ['7', 'paid'] });
      assert.equal(r.mode, 'explain');
      assert.match(JSON.stringify(r.plan), /customer_id = 7/);
      await rejectsWith(explain({ sql: 'SELECT * FROM orders WHERE id = $1', params: ['1', '2'] }), 'parameters', /1 parameter \(\$1\) but 2 values/);
    });

    it('uses GENERIC_PLAN for $n without values on PostgreSQL 16+, and asks for values before', async () => {
      const version = await runner.withSession(async (s) => Number((await s.query("SELECT current_setting('server_version_num') AS v")).rows[0].v));
      const request = { sql: 'SELECT * FROM orders WHERE id = $1' };
      if (version >= 160000) {
        const r = await explain(request);
        assert.equal(r.mode, 'generic');
        assert.equal(r.model.root.nodeType, 'Index Scan');
        assert.match(String(r.model.root.raw['Index Cond']), /\$1/);
      } else {
        await rejectsWith(explain(request), 'parameters', /PostgreSQL 16.*--param/);
      }
      await rejectsWith(explain({ ...request, analyze: true }), 'parameters', /needs a value/);
    });

    it('refuses more than one statement in every mode, and the table is still there', async () => {
      const before = await fingerprint();
      await rejectsWith(explain({ sql: 'SELECT 1; DROP TABLE order_items' }), 'sql', /one statement/);
      await rejectsWith(explain({ sql: 'SELECT 1; DROP TABLE order_items', analyze: true, confirmSideEffects: () => true }), 'sql', /one statement/);
      await rejectsWith(explain({ sql: 'SELECT $1::int; DROP TABLE order_items', params: ['1'] }), 'sql', /one statement/);
      // Without values: the generic-plan path checks with PREPARE first, on any version.
      await rejectsWith(explain({ sql: 'SELECT $1::int; DROP TABLE order_items' }), 'sql', /one statement/);
      await rejectsWith(explain({ sql: 'SELECT $1::int; DROP TABLE order_items', analyze: true }), 'sql', /one statement/);
      const still = await runner.withSession((s) => s.query('SELECT count(*)::int AS n FROM order_items'));
      assert.equal(still.rows[0].n, 5000);
      assert.equal(await fingerprint(), before);
    });

    it('plain EXPLAIN of a DELETE plans it without running it', async () => {
      const before = await fingerprint();
      const r = await explain({ sql: 'DELETE FROM orders WHERE id < 1000' });
      assert.equal(r.model.root.nodeType, 'ModifyTable');
      assert.equal(r.model.root.actual, undefined);
      assert.equal(await fingerprint(), before);
    });

    it('plans inside a read-only transaction: a write the planner would trigger is refused', async () => {
      // The planner evaluates IMMUTABLE functions with constant arguments while planning, so a
      // (mislabelled) immutable function that takes a sequence value runs during a plain EXPLAIN.
      // ROLLBACK would not undo nextval; the READ ONLY transaction stops it.
      await runner.withSession((s) =>
        s.simpleQuery(`CREATE OR REPLACE FUNCTION perflens_takes_id(n int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS
          $$ BEGIN PERFORM nextval('orders_id_seq'); RETURN n; END $$`),
      );
      const seq = (): Promise<unknown> => runner.withSession(async (s) => (await s.query('SELECT last_value::text AS v, is_called FROM orders_id_seq')).rows[0]);
      const before = await seq();
      await rejectsWith(explain({ sql: 'SELECT * FROM orders WHERE id = perflens_takes_id(1)' }), 'sql', /nextval\(\) in a read-only transaction/);
      assert.deepEqual(await seq(), before);
    });

    it('runs ANALYZE of a plain SELECT in a read-only transaction, so PostgreSQL stops a SELECT that writes', async () => {
      const seq = (): Promise<unknown> => runner.withSession(async (s) => (await s.query('SELECT last_value::text AS v, is_called FROM orders_id_seq')).rows[0]);
      const beforeSeq = await seq();
      const r = await explain({ sql: 'SELECT count(*) FROM orders WHERE status = $1', params: ['paid'], analyze: true });
      assert.equal(r.mode, 'analyze');
      assert.ok(r.model.analyzed);
      assert.equal(r.model.root.actual!.rows, 1);
      assert.equal(r.confirmedSideEffects, false);
      // nextval writes; refused inside READ ONLY, so confirmation is needed and the sequence is untouched.
      const e = await rejectsWith(explain({ sql: "SELECT nextval('orders_id_seq')", analyze: true }), 'needs-confirmation', /read-only transaction/);
      assert.match(e.message, /sequence values/);
      assert.deepEqual(await seq(), beforeSeq);
    });

    for (const sql of [
      'DELETE FROM orders WHERE id > 60000',
      "UPDATE orders SET status = 'cancelled', total = 0 WHERE customer_id < 1000",
      "INSERT INTO orders (customer_id, status, total) SELECT customer_id, 'copy', total FROM orders WHERE id <= 1000",
      'WITH gone AS (DELETE FROM orders WHERE id > 100000 RETURNING id) SELECT count(*) FROM gone',
    ]) {
      it(`ANALYZE of \`${sql.slice(0, 40)}…\` needs confirmation, then runs and leaves every row as it was`, async () => {
        const before = await fingerprint();
        const asked: string[] = [];
        await rejectsWith(explain({ sql, analyze: true }), 'needs-confirmation', /rolled back.*sequence values/);
        await rejectsWith(explain({ sql, analyze: true, confirmSideEffects: (c) => (asked.push(c.message), false) }), 'needs-confirmation');
        assert.equal(asked.length, 1);
        assert.match(asked[0], /(DELETE|UPDATE|INSERT) on `orders`/);
        assert.match(asked[0], /sequence values .* not rolled back/);
        assert.equal(await fingerprint(), before);

        const r = await explain({ sql, analyze: true, confirmSideEffects: () => true });
        assert.equal(r.mode, 'analyze');
        assert.equal(r.confirmedSideEffects, true);
        const modify = r.model.nodes.find((n) => n.nodeType === 'ModifyTable')!;
        assert.ok(modify.actual && modify.actual.loops >= 1, 'the statement really ran');
        assert.ok(r.notes.some((n) => /rolled back/.test(n)));
        assert.equal(await fingerprint(), before);
      });
    }

    it('maps a syntax error to its position in the SQL', async () => {
      const sql = 'SELECT *\nFROM orders\nWHER id = 1';
      const e = await rejectsWith(explain({ sql }), 'sql', /syntax error/);
      assert.equal(e.details.code, '42601');
      assert.equal(e.details.sqlOffset, sql.indexOf('id = 1'));
      // Also through a leading EXPLAIN of the user's own, which is removed.
      const own = 'EXPLAIN ANALYZE SELECT * FROM orderz';
      const e2 = await rejectsWith(explain({ sql: own }), 'sql', /orderz/);
      assert.equal(e2.details.sqlOffset, own.indexOf('orderz'));
    });

    if (options.interruptible) {
      it('stops a slow ANALYZE at the statement timeout', async () => {
        const started = Date.now();
        await rejectsWith(explain({ sql: 'SELECT pg_sleep(5)', analyze: true, timeoutMs: 300 }), 'timeout', /300 ms.*--timeout/);
        assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
      });
    }
  });
}

runnerSuite(
  'explain against a real PostgreSQL server (pg)',
  async (context) => {
    const url = testDatabaseUrl(context);
    const runner = createPgRunner(url);
    await runner.withSession(createSchema);
    return runner;
  },
  { interruptible: true },
);

runnerSuite(
  'explain against the embedded PostgreSQL (PGlite)',
  // PGlite runs in this thread and cannot be interrupted, so statement_timeout does not apply there.
  () => openEmbeddedRunner({ schemaDir: SCHEMA_DIR, snapshotDir: SNAPSHOT_DIR }),
  { interruptible: false },
);

describe('explain: the embedded database and its schema', function () {
  this.timeout(120_000);
  after(async () => {
    await closeEmbeddedRunners();
    rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  });

  it('loads migrations in name order, reports and skips a broken one, never runs down migrations', async () => {
    const runner = await openEmbeddedRunner({ schemaDir: SCHEMA_DIR });
    assert.equal(runner.kind, 'embedded');
    const schema = (runner as EmbeddedRunner).schema;
    assert.deepEqual(schema.loaded, [
      'db/migrations/001_customers.sql',
      'db/migrations/002_orders.sql',
      'db/migrations/004_order_items.sql',
      'db/migrations/010_goose_style.sql',
      'prisma/migrations/20240301000000_add_products/migration.sql',
    ]);
    assert.equal(schema.failed.length, 1);
    assert.equal(schema.failed[0].file, 'db/migrations/003_broken.sql');
    assert.match(schema.failed[0].message, /syntax error at or near "TABEL"/);
    assert.deepEqual([schema.failed[0].line, schema.failed[0].column], [3, 8]);
    const tables = await runner.withSession(async (s) => (await s.query("SELECT string_agg(tablename, ',' ORDER BY tablename) AS t FROM pg_tables WHERE schemaname = 'public'")).rows[0].t);
    // audit_log came from the broken file's first statement: the file is all or nothing.
    assert.equal(tables, 'Product,coupons,customers,order_items,orders');
  });

  it('is started once and reused', async () => {
    const a = await openEmbeddedRunner({ schemaDir: SCHEMA_DIR });
    const started = Date.now();
    const b = await openEmbeddedRunner({ schemaDir: SCHEMA_DIR });
    assert.equal(a, b);
    assert.ok(Date.now() - started < 500);
  });

  it('says the plan has no data behind it', async () => {
    const r = await explainSql(await openEmbeddedRunner({ schemaDir: SCHEMA_DIR }), { sql: 'SELECT * FROM customers' });
    assert.equal(r.database.kind, 'embedded');
    assert.ok(r.notes.some((n) => /No data behind this plan/.test(n)), r.notes.join('\n'));
  });

  it('starts from the snapshot of an initialised cluster once one was written', async () => {
    if (!existsSync(SNAPSHOT_DIR) || !readdirSync(SNAPSHOT_DIR).length) {
      const first = await openEmbeddedRunner({ snapshotDir: SNAPSHOT_DIR });
      assert.equal(first.startedFrom, 'initdb');
      await first.close();
    }
    assert.deepEqual(readdirSync(SNAPSHOT_DIR).filter((f) => f.endsWith('.tmp')), []);
    const dir = mkdtempSync(join(tmpdir(), 'perflens-schema-'));
    try {
      writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE t (id int PRIMARY KEY, v text);');
      const runner = await openEmbeddedRunner({ schemaDir: dir, snapshotDir: SNAPSHOT_DIR });
      assert.equal(runner.startedFrom, 'snapshot');
      assert.deepEqual(runner.schema.loaded, ['schema.sql']);
      const r = await explainSql(runner, { sql: 'SELECT * FROM t WHERE id = 1' });
      assert.equal(r.model.root.indexName, 't_pkey');
      await runner.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains the literal under the cursor in a file and maps errors to file offsets (the editor API)', async () => {
    const runner = await openEmbeddedRunner({ schemaDir: SCHEMA_DIR });
    const text = 'async function f(id: number) {\n  return db.query(`SELECT * FROM orders\n    WHERE customer_id = ${id}`);\n}\n';
    const ok = await explainInFile(runner, { text, fileName: 'repo.ts', cursor: text.indexOf('FROM') });
    assert.equal(ok.extracted.sql, 'SELECT * FROM orders\n    WHERE customer_id = $1');
    assert.equal(ok.result.mode, 'generic');
    const bad = text.replace('FROM orders', 'FROM orderz');
    const e = await rejectsWith(explainInFile(runner, { text: bad, fileName: 'repo.ts', cursor: bad.indexOf('FROM') }), 'sql', /orderz/);
    assert.equal(e.details.fileOffset, bad.indexOf('orderz'));
  });
});
