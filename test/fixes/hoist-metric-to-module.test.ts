import assert from 'node:assert/strict';
import { ts } from '../helpers/annotated';
import { checkFix } from '../helpers/fixes';
import { notApplicableReason } from '../helpers/run-fixed';

describe('fix hoist-metric-to-module', () => {
  it('moves the construction above the function, named after the metric, and uses the binding', () => checkFix('hoist-metric-to-module', ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    const app = express();
    // Orders
    app.post('/orders', (req, res) => {
      const created = new $0Counter({
        name: 'orders_created_total',
        help: 'Orders created',
        labelNames: ['channel'],
      });
      created.inc({ channel: 'web' });
      res.status(201).end();
    });
  `, ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    const app = express();
    const ordersCreatedTotal = new Counter({
      name: 'orders_created_total',
      help: 'Orders created',
      labelNames: ['channel'],
    });

    // Orders
    app.post('/orders', (req, res) => {
      const created = ordersCreatedTotal;
      created.inc({ channel: 'web' });
      res.status(201).end();
    });
  `));

  it('reuses a module-level metric of the same name in the file', () => checkFix('hoist-metric-to-module', ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    export const ordersCreated = new Counter({ name: 'orders_created_total', help: 'Orders created', labelNames: ['channel'] });
    const app = express();
    app.post('/orders', (req, res) => {
      new $0Counter({ name: 'orders_created_total', help: 'Orders created', labelNames: ['channel'] }).inc({ channel: 'web' });
      res.end();
    });
  `, ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    export const ordersCreated = new Counter({ name: 'orders_created_total', help: 'Orders created', labelNames: ['channel'] });
    const app = express();
    app.post('/orders', (req, res) => {
      ordersCreated.inc({ channel: 'web' });
      res.end();
    });
  `));

  it('imports the metric another module exports', () => checkFix('hoist-metric-to-module', ts`
    //- /src/metrics.ts
    import { Counter } from 'prom-client';
    export const logins = new Counter({ name: 'logins_total', help: 'Logins' });
    //- /src/app.ts
    import express from 'express';
    import { Counter } from 'prom-client';
    const app = express();
    app.post('/login', (req, res) => {
      const c = new $0Counter({ name: 'logins_total', help: 'Logins' });
      c.inc();
      res.end();
    });
  `, ts`
    //- /src/app.ts
    import express from 'express';
    import { Counter } from 'prom-client';
    import { logins } from './metrics';
    const app = express();
    app.post('/login', (req, res) => {
      const c = logins;
      c.inc();
      res.end();
    });
  `, '/src/app.ts'));

  it('CommonJS, double quotes, no semicolons: goes after a constant the options use, declared below the job', () => checkFix('hoist-metric-to-module', ts`
    //- /src/jobs.js
    const cron = require("node-cron")
    const client = require("prom-client")
    cron.schedule("*/5 * * * *", async () => {
      const duration = new client.$0Histogram({ name: "sync_duration_seconds", help: "Sync duration", buckets: BUCKETS })
      const end = duration.startTimer()
      end()
    })
    const BUCKETS = [1, 5, 10, 30]
  `, ts`
    //- /src/jobs.js
    const cron = require("node-cron")
    const client = require("prom-client")
    cron.schedule("*/5 * * * *", async () => {
      const duration = syncDurationSeconds
      const end = duration.startTimer()
      end()
    })
    const BUCKETS = [1, 5, 10, 30]
    const syncDurationSeconds = new client.Histogram({ name: "sync_duration_seconds", help: "Sync duration", buckets: BUCKETS })
  `, '/src/jobs.js'));

  it('an OpenTelemetry instrument of a module-level meter', () => checkFix('hoist-metric-to-module', ts`
    import express from 'express';
    import { metrics } from '@opentelemetry/api';
    const meter = metrics.getMeter('shop');
    const app = express();
    app.get('/search', (req, res) => {
      const searches = meter.$0createCounter('shop.searches', { description: 'Searches' });
      searches.add(1);
      res.end();
    });
  `, ts`
    import express from 'express';
    import { metrics } from '@opentelemetry/api';
    const meter = metrics.getMeter('shop');
    const app = express();
    const shopSearches = meter.createCounter('shop.searches', { description: 'Searches' });

    app.get('/search', (req, res) => {
      const searches = shopSearches;
      searches.add(1);
      res.end();
    });
  `));

  it('not applicable: options built from per-call values; the same metric elsewhere, not exported; different labels', () => {
    assert.match(notApplicableReason('hoist-metric-to-module', ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      const app = express();
      app.post('/orders/:kind', (req, res) => {
        const labels = [String(req.params.kind)];
        new $0Counter({ name: 'orders_total', help: 'Orders', labelNames: labels }).inc();
        res.end();
      });
    `), /use 'labels', which exists only per call/);
    assert.match(notApplicableReason('hoist-metric-to-module', ts`
      //- /src/metrics.ts
      import { Counter } from 'prom-client';
      const logins = new Counter({ name: 'logins_total', help: 'Logins' });
      logins.inc(0);
      //- /src/index.ts
      import express from 'express';
      import { Counter } from 'prom-client';
      const app = express();
      app.post('/login', (req, res) => { new $0Counter({ name: 'logins_total', help: 'Logins' }).inc(); res.end(); });
    `), /logins_total is already defined at src\/metrics.ts:2 but not exported/);
    assert.match(notApplicableReason('hoist-metric-to-module', ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      export const logins = new Counter({ name: 'logins_total', help: 'Logins', labelNames: ['method'] });
      const app = express();
      app.post('/login', (req, res) => { new $0Counter({ name: 'logins_total', help: 'Logins' }).inc(); res.end(); });
    `), /already exists with labels \[method\], not \[\]/);
  });
});
