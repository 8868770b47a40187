import { Router } from 'express';
import { Counter } from 'prom-client';
import { logger } from '../observability';

/** Orders: not instrumented (Telltale reports it), with a PII log line and a swallowed error. */
export const orders = Router();

// A label per customer: every new customer is a new time series.
const ordersByCustomer = new Counter({ name: 'orders_by_customer_total', help: 'Orders per customer', labelNames: ['customer_id'] });

orders.post('/', (req, res) => {
  const { email, items } = req.body ?? {};
  logger.info({ email, items: items?.length }, 'order received');
  if (!Array.isArray(items) || items.length === 0) return res.status(400).json({ error: 'items are required' });
  ordersByCustomer.inc({ customer_id: req.body.customerId });
  const id = String(Date.now());
  void notifyWarehouse(id);
  res.status(201).json({ id });
});

/** Tells the warehouse about a new order. Failures vanish without a trace. */
async function notifyWarehouse(orderId: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:9/warehouse/orders/${orderId}`, { method: 'POST', signal: AbortSignal.timeout(200) });
    return res.ok;
  } catch (err) {
    return false;
  }
}

orders.get('/:id', (req, res) => {
  let order: unknown = null;
  try {
    order = JSON.parse(String(req.query.cached ?? 'null')) ?? { id: req.params.id, status: 'shipped' };
  } catch {
    return res.json({ id: req.params.id, status: 'unknown' });
  }
  if (req.params.id === '13') throw new Error('order store unavailable');
  res.json(order);
});
