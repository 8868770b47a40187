import { Router } from 'express';
import { modelFeatureValue } from '../observability';

/**
 * The churn model's scoring endpoint. Its input features are recorded in a histogram per feature,
 * so Telltale's runtime can compare the live distribution with a reference window (online drift).
 */
export const scoring = Router();

scoring.post('/score', (req, res) => {
  const { age, basket_value, visits, plan } = req.body ?? {};
  if (typeof age !== 'number' || typeof basket_value !== 'number') return res.status(422).json({ error: 'age and basket_value must be numbers' });
  modelFeatureValue.observe({ feature: 'age' }, age);
  modelFeatureValue.observe({ feature: 'basket_value' }, basket_value);
  const score = 1 / (1 + Math.exp(-(0.03 * (age - 40) + 0.004 * (basket_value - 80) - 0.2 * (visits ?? 1) + (plan === 'pro' ? -0.5 : 0.3))));
  res.json({ churn: Number(score.toFixed(4)) });
});
