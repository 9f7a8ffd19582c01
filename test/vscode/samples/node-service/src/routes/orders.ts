import express from 'express';
import * as fs from 'fs';
import { prisma } from '../db';
import { loadCustomer } from '../services/customers';

export const router = express.Router();

router.get('/orders', async (req, res) => {
  const page = Number(req.query.page ?? 0);
  const orders = await prisma.order.findMany({ skip: page * 50, take: 50 });
  const result = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    result.push({ ...order, customer });
  }
  res.json(result);
});

router.get('/invoices', async (req, res) => {
  const invoices = await prisma.invoice.findMany({ take: 20 });
  const rows = await Promise.all(invoices.map(async (invoice) => ({ ...invoice, customer: await loadCustomer(invoice.customerId) })));
  res.json(rows);
});

router.get('/dashboard', async (req, res) => {
  const users = await prisma.user.count();
  const orders = await prisma.order.count();
  const revenue = await prisma.order.aggregate({ _sum: { total: true } });
  res.json({ users, orders, revenue });
});

router.get('/report', async (req, res) => {
  const template = fs.readFileSync('templates/report.html', 'utf8');
  res.send(template);
});
