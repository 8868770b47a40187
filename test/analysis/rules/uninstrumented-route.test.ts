import rule from '../../../src/analysis/rules/uninstrumented-route';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule uninstrumented-route', () => {
  it('reports routes with no metrics, spans, middleware or auto-instrumentation', () => checkRule(rule, {
    valid: [
      ts`
        const app = { get: (path: string, h: () => void) => h() };   // not express
        app.get('/orders/:id', () => {});
      `,
      ts`
        import express from 'express';
        import { trace } from '@opentelemetry/api';
        const tracer = trace.getTracer('shop');
        const app = express();
        app.get('/orders/:id', (req, res) => tracer.startActiveSpan('GET /orders/:id', (span) => { res.json({}); span.end(); }));
      `,
    ],
    invalid: [
      ts`
        import { Router } from 'express';
        const r = Router();
        r.post('/pay', (req, res) => res.end());
        //^^^^ Route POST /pay has no metrics or spans
      `,
      ts`
        //- /src/app.ts
        import express from 'express';
        import api from './api';
        const app = express();
        app.use('/api', api);
        //- /src/api.ts
        import { Router } from 'express';
        const api = Router();
        api.delete('/carts/:id', (req, res) => res.end());
        //  ^^^^^^ Route DELETE /api/carts/:id has no metrics or spans
        export default api;
      `,
    ],
  }));

  it('honours telltale-ignore-next-line', () => checkRule(rule, {
    valid: [ts`
      import express from 'express';
      const app = express();
      // telltale-ignore-next-line uninstrumented-route -- health check
      app.get('/health', (req, res) => res.end());
    `],
  }));
});
