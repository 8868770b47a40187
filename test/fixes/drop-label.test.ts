import assert from 'node:assert/strict';
import { ts } from '../helpers/annotated';
import { checkFix } from '../helpers/fixes';
import { notApplicableReason } from '../helpers/run-fixed';

describe('fix drop-label', () => {
  it('removes the label from labelNames and from every use (positional and object)', () => checkFix('drop-label', ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['method', 'path'] });
    const app = express();
    app.get('/orders/:id', (req, res) => {
      hits.labels(req.method, $0req.path).inc();
      res.end();
    });
    app.use((req, res, next) => {
      res.on('finish', () => hits.inc({ path: req.originalUrl, method: req.method }));
      next();
    });
  `, ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['method'] });
    const app = express();
    app.get('/orders/:id', (req, res) => {
      hits.labels(req.method).inc();
      res.end();
    });
    app.use((req, res, next) => {
      res.on('finish', () => hits.inc({ method: req.method }));
      next();
    });
  `));

  it('an identifier label defined in one file and used in another; the only label goes with labelNames, labels() with it', () => checkFix('drop-label', ts`
    //- /src/metrics.ts
    import { Counter } from 'prom-client';
    export const logins = new Counter({
      name: 'logins_total',
      help: 'Logins',
      labelNames: [$0'user_id'] as const,
    });
    //- /src/auth.ts
    import { logins } from './metrics';
    export function onLogin(userId: string) {
      logins.labels(userId).inc();
    }
  `, ts`
    //- /src/metrics.ts
    import { Counter } from 'prom-client';
    export const logins = new Counter({
      name: 'logins_total',
      help: 'Logins',
    });
    //- /src/auth.ts
    import { logins } from './metrics';
    export function onLogin(userId: string) {
      logins.inc();
    }
  `, '/src/metrics.ts'));

  it('CommonJS, double quotes, no semicolons: startTimer, the timer\'s end and a labels object', () => checkFix('drop-label', ts`
    //- /src/jobs.js
    const { Histogram } = require("prom-client")
    const runs = new Histogram({ name: "job_duration_seconds", help: "Job duration", labelNames: ["job", "run_id"] })
    async function run(job, id) {
      const labels = { job: job.name, run_id: id }
      const end = runs.startTimer({ job: job.name })
      await job()
      end({ run_id: $0id })
      runs.observe(labels, 0)
    }
    module.exports = { run }
  `, ts`
    //- /src/jobs.js
    const { Histogram } = require("prom-client")
    const runs = new Histogram({ name: "job_duration_seconds", help: "Job duration", labelNames: ["job"] })
    async function run(job, id) {
      const labels = { job: job.name }
      const end = runs.startTimer({ job: job.name })
      await job()
      end()
      runs.observe(labels, 0)
    }
    module.exports = { run }
  `, '/src/jobs.js'));

  it('an OpenTelemetry attribute (no declaration to change)', () => checkFix('drop-label', ts`
    import { metrics } from '@opentelemetry/api';
    const meter = metrics.getMeter('shop');
    const checkouts = meter.createCounter('checkouts');
    export function onCheckout(user: { id: string }, cart: { size: number }) {
      checkouts.add(1, { 'enduser.id': $0user.id, items: cart.size });
    }
  `, ts`
    import { metrics } from '@opentelemetry/api';
    const meter = metrics.getMeter('shop');
    const checkouts = meter.createCounter('checkouts');
    export function onCheckout(user: { id: string }, cart: { size: number }) {
      checkouts.add(1, { items: cart.size });
    }
  `));

  it('not applicable: a prom-client metric whose definition is not visible (injected)', () => assert.match(notApplicableReason('drop-label', ts`
    import { Injectable } from '@nestjs/common';
    import { InjectMetric } from '@willsoto/nestjs-prometheus';
    import type { Counter } from 'prom-client';
    @Injectable()
    export class SearchService {
      constructor(@InjectMetric('searches_total') private readonly searches: Counter<string>) {}
      search(query: string, req: { query: Record<string, string> }) {
        this.searches.inc({ term: $0req.query.q });
        return query;
      }
    }
  `), /definition of this\.searches is not visible/));
});
