import assert from 'node:assert/strict';
import { ts } from '../helpers/annotated';
import { checkFixNotApplicable, runFix } from '../helpers/fixes';
import { removeProject } from '../helpers/annotated';

/**
 * add-metrics-endpoint is offered next to add-job-instrumentation for an uninstrumented job: it
 * exposes the registry but does not instrument the job, so the finding stays — checked with
 * runFix and explicit expectations rather than checkFix.
 */
describe('fix add-metrics-endpoint', () => {
  it('a process without an HTTP app: a metrics-server module, imported by the job file for its side effect', () => {
    const run = runFix('add-metrics-endpoint', ts`
      //- /src/worker.ts
      import { Worker } from 'bullmq';
      import { render } from './render';

      export const worker = $0new Worker('pdf', async (job) => render(job.data));
      //- /src/render.ts
      export async function render(data: unknown) { return String(data); }
    `);
    try {
      assert.equal(run.after['/src/worker.ts'], ts`
        import { Worker } from 'bullmq';
        import { render } from './render';
        import './metrics-server';

        export const worker = new Worker('pdf', async (job) => render(job.data));
      `);
      assert.equal(run.after['/src/metrics-server.ts'], ts`
        /**
         * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
         * without an HTTP app; job modules import it for that side effect. Added by Telltale.
         */
        import { startMetricsServer } from './observability';

        startMetricsServer();
      `);
      const mod = run.after['/src/observability.ts'];
      assert.match(mod, /export function startMetricsServer\(port = Number\(process\.env\.METRICS_PORT \?\? 9464\), host = process\.env\.METRICS_HOST\)/);
      assert.match(mod, /collectDefaultMetrics\(\{ register: registry \}\)/);
      assert.match(mod, /export const registry = register;/);
      assert.match(mod, /export const logger = pino\(/);
    } finally {
      removeProject(run.dir);
    }
  });

  it('an HTTP app without /metrics: the route on the app, right after it is created', () => {
    const run = runFix('add-metrics-endpoint', ts`
      //- /src/app.ts
      import express from 'express';
      import cron from 'node-cron';
      import { Counter } from 'prom-client';

      const hits = new Counter({ name: 'hits_total', help: 'Hits' });
      const app = express();
      app.get('/', (_req, res) => { hits.inc(); res.send('ok'); });
      cron.$0schedule('* * * * *', () => undefined);
    `, '/src/app.ts');
    try {
      assert.equal(run.after['/src/app.ts'], ts`
        import express from 'express';
        import cron from 'node-cron';
        import { Counter } from 'prom-client';
        import { registry } from './observability';

        const hits = new Counter({ name: 'hits_total', help: 'Hits' });
        const app = express();
        app.get('/metrics', async (_req, res) => {
          res.set('Content-Type', registry.contentType);
          res.end(await registry.metrics());
        });
        app.get('/', (_req, res) => { hits.inc(); res.send('ok'); });
        cron.schedule('* * * * *', () => undefined);
      `);
    } finally {
      removeProject(run.dir);
    }
  });

  it('not applicable when the registry is already served', () => checkFixNotApplicable('add-metrics-endpoint', ts`
    import cron from 'node-cron';
    import { register } from 'prom-client';
    import { createServer } from 'node:http';
    // telltale-ignore-next-line uninstrumented-route
    createServer(async (_req, res) => res.end(await register.metrics())).listen(9464);
    cron.$0schedule('* * * * *', () => undefined);
  `));
});
