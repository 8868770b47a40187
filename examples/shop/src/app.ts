import express from 'express';
import { products } from './routes/products';
import { orders } from './routes/orders';
import { scoring } from './routes/scoring';
import { registry } from './observability';

export const app = express();
app.use(express.json());

app.get('/health', (_req, res) => res.send('ok'));
app.get('/metrics', async (_req, res) => {
  res.set('Content-Type', registry.contentType);
  res.end(await registry.metrics());
});

const api = express.Router();
api.use('/products', products);
api.use('/orders', orders);
api.use('/model', scoring);
app.use('/api', api);
