// Sample application code for `perflens explain --file … --line …` tests.
const { Pool } = require('pg');
const pool = new Pool();

async function ordersOf(customerId, status) {
  const { rows } = await pool.query(`
    SELECT o.id, o.total
    FROM orders o
    WHERE o.customer_id = ${customerId} AND o.status = ${status}
    ORDER BY o.created_at DESC`);
  return rows;
}

async function broken(id) {
  return pool.query(`SELECT * FROM orders WHER id = ${id}`);
}

module.exports = { ordersOf, broken };
