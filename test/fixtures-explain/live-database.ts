import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSchemaFiles, readSchemaFile } from '../../src/explain/schema-files';
import type { SqlSession } from '../../src/explain/runner';

/**
 * Shared by the EXPLAIN tests that need a database: the real server's URL (from .ci/run) and the
 * schema and rows both databases get.
 */

export const SCHEMA_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'schema');

/** Where this test run keeps the embedded database's start-up snapshot (removed at the end). */
export const SNAPSHOT_DIR = join(tmpdir(), `perflens-test-snapshots-${process.pid}`);

/**
 * PERFLENS_TEST_DATABASE_URL, or: outside CI, skip the suite with a message saying how to run it;
 * in CI (env `CI` set), fail, because a missing server there means .ci/run is broken.
 */
export function testDatabaseUrl(context: Mocha.Context): string {
  const url = process.env.PERFLENS_TEST_DATABASE_URL;
  if (url) return url;
  if (process.env.CI) {
    throw new Error('PERFLENS_TEST_DATABASE_URL is not set but CI is: .ci/run must start PostgreSQL and export it; the EXPLAIN tests may not be skipped in CI.');
  }
  // eslint-disable-next-line no-console -- the reason a suite did not run belongs in the test output
  console.log('    (skipped: no PERFLENS_TEST_DATABASE_URL; run `eval "$(.ci/run postgres)"` first to test against a real PostgreSQL)');
  context.skip();
}

export const ORDER_ROWS = 120_000;
export const CUSTOMER_ROWS = 2_000;

/** The fixture's migrations on the real server, from scratch (the broken one fails there too and is left out). */
export async function createSchema(session: SqlSession): Promise<void> {
  await session.simpleQuery('DROP TABLE IF EXISTS order_items, orders, customers, coupons, "Product", audit_log CASCADE');
  await session.simpleQuery("DO $$ BEGIN CREATE ROLE shop_owner NOLOGIN; EXCEPTION WHEN duplicate_object OR insufficient_privilege THEN NULL; END $$");
  for (const file of findSchemaFiles(SCHEMA_DIR)) {
    if (file.name.includes('broken')) continue;
    // OWNER TO needs membership in the role, which the test login may lack; ownership is beside the point here.
    const text = readSchemaFile(file).replace(/^ALTER TABLE \w+ OWNER TO \w+;$/gm, '');
    await session.simpleQuery(text.replace(/CONCURRENTLY /g, ''));
  }
}

/** Enough rows that an index scan and a sequential scan cost clearly different amounts. */
export async function loadRows(session: SqlSession): Promise<void> {
  await session.simpleQuery(`
    INSERT INTO customers (email) SELECT 'c' || g || '@example.com' FROM generate_series(1, ${CUSTOMER_ROWS}) g;
    INSERT INTO orders (customer_id, status, total, note)
      SELECT 1 + g % ${CUSTOMER_ROWS}, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], g % 500, 'note ' || g
      FROM generate_series(1, ${ORDER_ROWS}) g;
    INSERT INTO order_items (order_id, sku, quantity) SELECT g, 'sku-' || (g % 50), 1 + g % 3 FROM generate_series(1, 5000) g;
    ANALYZE customers; ANALYZE orders; ANALYZE order_items;
  `);
}

/** What must not change: row count, a checksum of the values, and the highest id. */
export async function ordersFingerprint(session: SqlSession): Promise<string> {
  const r = await session.query('SELECT count(*)::text AS n, sum(total)::text AS s, max(id)::text AS m, md5(string_agg(status, \',\' ORDER BY id)) AS h FROM orders');
  return JSON.stringify(r.rows[0]);
}
