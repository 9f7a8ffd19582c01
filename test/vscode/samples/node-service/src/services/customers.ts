import { prisma } from '../db';

export async function loadCustomer(id: number) {
  return prisma.customer.findUnique({ where: { id } });
}
