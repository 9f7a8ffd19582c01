import { prisma, pool } from './db';

// Helpers in another file: their callers' loops are N+1 only if linking sees these queries.
export async function findUser(id: string) {
  return prisma.user.findFirst({ where: { id } });
}

export async function ordersOf(userId: string) {
  const { rows } = await pool.query('SELECT * FROM orders WHERE user_id = $1', [userId]);
  return rows;
}

export function fullName(u: { first: string; last: string }): string {
  return `${u.first} ${u.last}`;
}
