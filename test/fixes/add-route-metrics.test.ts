import { ts } from '../helpers/annotated';
import { checkFix, checkFixNotApplicable } from '../helpers/fixes';

describe('fix add-route-metrics', () => {
  it('block-bodied express handler: shared metrics in a new observability module', () => checkFix('add-route-metrics', ts`
    //- /src/index.ts
    import express from 'express';
    const app = express();
    app.$0get('/orders/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
  `, ts`
    //- /src/index.ts
    import express from 'express';
    import { httpRequestDuration, httpRequestsTotal } from './observability';
    const app = express();
    app.get('/orders/:id', (req, res) => {
      const stopTimer = httpRequestDuration.startTimer({ method: 'GET', route: '/orders/:id' });
      res.once('finish', () => {
        const status_code = String(res.statusCode);
        stopTimer({ status_code });
        httpRequestsTotal.inc({ ...{ method: 'GET', route: '/orders/:id' }, status_code });
      });
      res.json({ id: req.params.id });
    });
    //- /src/observability.ts
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    import { Counter, Histogram } from 'prom-client';

    /** RED: request duration by method, route template and status code. */
    export const httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });

    /** RED: requests by method, route template and status code (errors are status_code 5xx). */
    export const httpRequestsTotal = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status_code'] as const,
    });
  `));

  it('expression body, double quotes, no semicolons, composed path, existing module reused', () => checkFix('add-route-metrics', ts`
    //- /src/routes/users.ts
    import { Router } from "express"
    import { httpRequestDuration, httpRequestsTotal } from "../observability"
    const router = Router()
    router.$0get("/:id", (_req, res) => res.json({ ok: true }))
    export default router
    //- /src/app.ts
    import express from "express"
    import users from "./routes/users"
    const app = express()
    app.use("/api/users", users)
    //- /src/observability.ts
    import { Counter, Histogram } from "prom-client"
    export const httpRequestDuration = new Histogram({ name: "http_request_duration_seconds", help: "d", labelNames: ["method", "route", "status_code"] })
    export const httpRequestsTotal = new Counter({ name: "http_requests_total", help: "r", labelNames: ["method", "route", "status_code"] })
  `, ts`
    //- /src/routes/users.ts
    import { Router } from "express"
    import { httpRequestDuration, httpRequestsTotal } from "../observability"
    const router = Router()
    router.get("/:id", (_req, res) => {
      const stopTimer = httpRequestDuration.startTimer({ method: "GET", route: "/api/users/:id" })
      res.once("finish", () => {
        const status_code = String(res.statusCode)
        stopTimer({ status_code })
        httpRequestsTotal.inc({ ...{ method: "GET", route: "/api/users/:id" }, status_code })
      })
      return res.json({ ok: true })
    })
    export default router
  `, '/src/app.ts'));

  it('CommonJS file: require, and the handler gets its missing response parameter', () => checkFix('add-route-metrics', ts`
    //- /src/app.js
    const express = require('express');
    const app = express();
    app.$0post('/jobs', function () { return 1; });
    module.exports = app;
  `, ts`
    //- /src/app.js
    const express = require('express');
    const { httpRequestDuration, httpRequestsTotal } = require('./observability');
    const app = express();
    app.post('/jobs', function (_req, res) {
      const stopTimer = httpRequestDuration.startTimer({ method: 'POST', route: '/jobs' });
      res.once('finish', () => {
        const status_code = String(res.statusCode);
        stopTimer({ status_code });
        httpRequestsTotal.inc({ ...{ method: 'POST', route: '/jobs' }, status_code });
      });
      return 1; });
    module.exports = app;
    //- /src/observability.js
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    const { Counter, Histogram } = require('prom-client');

    /** RED: request duration by method, route template and status code. */
    const httpRequestDuration = exports.httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });

    /** RED: requests by method, route template and status code (errors are status_code 5xx). */
    const httpRequestsTotal = exports.httpRequestsTotal = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status_code'],
    });
  `, '/src/app.js'));

  it('not applicable when the metric exists without an export', () => checkFixNotApplicable('add-route-metrics', ts`
    import express from 'express';
    import { Histogram } from 'prom-client';
    const h = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    const app = express();
    app.$0get('/x', (req, res) => res.end());
  `));

  it('not applicable to an instrumented route (nothing to fix)', () => checkFixNotApplicable('add-route-metrics', ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    const c = new Counter({ name: 'x_total', help: 'x' });
    const app = express();
    app.$0get('/x', (req, res) => { c.inc(); res.end(); });
  `));
});
