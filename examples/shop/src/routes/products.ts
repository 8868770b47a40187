import { Router } from 'express';
import { redMetrics } from '../middleware';

/** The catalogue: instrumented by the RED middleware. */
export const products = Router();
products.use(redMetrics);

const CATALOGUE = [
  { id: '1', name: 'Espresso beans', price: 14.5 },
  { id: '2', name: 'Pour-over kettle', price: 49 },
  { id: '3', name: 'Burr grinder', price: 129 },
];

products.get('/', (_req, res) => {
  res.json(CATALOGUE);
});

products.get('/:id', (req, res) => {
  const item = CATALOGUE.find((p) => p.id === req.params.id);
  if (!item) return res.status(404).json({ error: 'no such product' });
  res.json(item);
});

/** A slow report: 200–600 ms. */
products.get('/reports/slow', async (_req, res) => {
  await new Promise((r) => setTimeout(r, 200 + Math.random() * 400));
  res.json({ ok: true });
});
