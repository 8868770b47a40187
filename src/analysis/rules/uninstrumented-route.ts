/**
 * Finds HTTP routes whose handler records no metric and opens no span, with no metrics or
 * tracing middleware before it and no automatic instrumentation in the process.
 * Why: such a route is missing from dashboards and alerts; its users notice its failures first.
 * @invalid
 * ```ts
 * import express from 'express';
 * const app = express();
 * app.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));
 * //  ^^^ Route GET /orders/:id has no metrics or spans
 * ```
 * @valid
 * ```ts
 * import express from 'express';
 * import { Counter } from 'prom-client';
 * const hits = new Counter({ name: 'orders_requests_total', help: 'Order lookups' });
 * const app = express();
 * app.get('/orders/:id', (req, res) => { hits.inc(); res.json({ id: req.params.id }); });
 * ```
 * @valid
 * ```ts
 * new Map<string, number>().get('/orders/:id');
 * ```
 */
import { defineRule } from '../rule';

export default defineRule({
  id: 'uninstrumented-route',
  category: 'coverage',
  severity: 'warning',
  description: 'HTTP route with no metrics or spans',
  fixes: ['add-route-metrics', 'add-app-metrics', 'add-route-span'],
  check(ctx) {
    for (const r of ctx.analysis.routes) {
      if (r.entry.coverage !== 'none') continue;
      ctx.report(r.file, r.nameNode, `Route ${r.entry.method} ${r.entry.path} has no metrics or spans`, {
        method: r.entry.method, path: r.entry.path, framework: r.entry.framework,
      });
    }
  },
});
