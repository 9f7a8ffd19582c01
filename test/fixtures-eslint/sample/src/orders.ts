import { findUser, ordersOf, fullName } from './repo/users';
import { prisma } from './repo/db';

export async function withCustomers(orders: { id: string; customerId: string }[]) {
  const out = [];
  for (const order of orders) {
    const customer = await findUser(order.customerId);
    out.push({ ...order, customer });
  }
  return out;
}

export async function allOrders(users: { id: string; first: string; last: string }[]) {
  return Promise.all(users.map((u) => ordersOf(u.id)));
}

export function names(users: { first: string; last: string }[]) {
  return users.map((u) => fullName(u));
}

export async function dashboard(userId: string) {
  const user = await prisma.user.findFirst({ where: { id: userId } });
  const invoices = await prisma.invoice.findMany({ where: { status: 'open' } });
  const products = await prisma.product.count();
  return { user, invoices, products };
}

export async function page(skip: number) {
  return prisma.order.findMany({ orderBy: { id: 'asc' }, skip, take: 50 });
}
