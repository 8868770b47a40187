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
        httpRequestsTotal.inc({ method: 'GET', route: '/orders/:id', status_code });
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
        httpRequestsTotal.inc({ method: "GET", route: "/api/users/:id", status_code })
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
        httpRequestsTotal.inc({ method: 'POST', route: '/jobs', status_code });
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

  it("Koa handler: timed on ctx.res, composed template", () => checkFix('add-route-metrics', ts`
    //- /src/routes.ts
    import Router from '@koa/router';

    export const router = new Router({ prefix: '/api' });
    router.$0get('/orders/:id', async (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    //- /src/observability.ts
    import { Counter, Histogram } from 'prom-client';
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });
  `, ts`
    //- /src/routes.ts
    import Router from '@koa/router';
    import { httpRequestDuration, httpRequestsTotal } from './observability';

    export const router = new Router({ prefix: '/api' });
    router.get('/orders/:id', async (ctx) => {
      const stopTimer = httpRequestDuration.startTimer({ method: 'GET', route: '/api/orders/:id' });
      ctx.res.once('finish', () => {
        const status_code = String(ctx.res.statusCode);
        stopTimer({ status_code });
        httpRequestsTotal.inc({ method: 'GET', route: '/api/orders/:id', status_code });
      });
      ctx.body = { id: ctx.params.id };
    });
  `));

  it("Hono route: a middleware in front of the handler", () => checkFix('add-route-metrics', ts`
    //- /src/app.ts
    import { Hono } from 'hono';

    export const app = new Hono();
    app.$0post('/orders', async (c) => c.json({ ok: true }, 201));
    //- /src/observability.ts
    import { Counter, Histogram } from 'prom-client';
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });
  `, ts`
    //- /src/app.ts
    import { Hono } from 'hono';
    import { httpRequestDuration, httpRequestsTotal } from './observability';

    export const app = new Hono();
    app.post('/orders', async (c, next) => {
      const stopTimer = httpRequestDuration.startTimer({ method: 'POST', route: '/orders' });
      let status_code = '500';
      try {
        await next();
        status_code = String(c.res.status);
      } finally {
        stopTimer({ status_code });
        httpRequestsTotal.inc({ method: 'POST', route: '/orders', status_code });
      }
    }, async (c) => c.json({ ok: true }, 201));
  `));

  it("NestJS handler: @UseInterceptors(new HttpMetricsInterceptor()) (module section added)", () => checkFix('add-route-metrics', ts`
    //- /src/orders.controller.ts
    import { Controller, Get, Param } from '@nestjs/common';

    @Controller('orders')
    export class OrdersController {
      $0@Get(':id')
      find(@Param('id') id: string) {
        return { id };
      }
    }
    //- /src/observability.ts
    import { Counter, Histogram } from 'prom-client';
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });
  `, ts`
    //- /src/orders.controller.ts
    import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
    import { HttpMetricsInterceptor } from './observability';

    @Controller('orders')
    export class OrdersController {
      @UseInterceptors(new HttpMetricsInterceptor())
      @Get(':id')
      find(@Param('id') id: string) {
        return { id };
      }
    }
    //- /src/observability.ts
    import { Counter, Histogram } from 'prom-client';
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });

    /**
     * NestJS: RED metrics for every route, labelled by the route template Nest registered (global
     * prefix, version, controller and method paths), recorded when the response finishes so that
     * exception filters' statuses count. Register it with \`app.useGlobalInterceptors(new HttpMetricsInterceptor())\`.
     */
    export class HttpMetricsInterceptor {
      intercept<T>(context: NestContext, next: { handle(): T }): T {
        if (context.getType() !== 'http') return next.handle();
        const http = context.switchToHttp();
        const request = http.getRequest<NestRequest>();
        const reply = http.getResponse<NestResponse & { raw?: NestResponse }>();
        const response = reply.raw ?? reply;
        const labels = { method: request.method ?? 'GET', route: nestRouteTemplate(context, request) };
        const stopTimer = httpRequestDuration.startTimer(labels);
        response.once('finish', () => {
          const status_code = String(response.statusCode);
          stopTimer({ status_code });
          httpRequestsTotal.inc({ ...labels, status_code });
        });
        return next.handle();
      }
    }

    interface NestContext {
      getType(): string;
      switchToHttp(): { getRequest<R>(): R; getResponse<R>(): R };
      getClass(): object;
      getHandler(): object;
    }
    interface NestRequest { method?: string; route?: { path?: unknown }; routeOptions?: { url?: unknown }; routerPath?: unknown }
    interface NestResponse { statusCode: number; once(event: 'finish', listener: () => void): unknown }

    /** The registered path (Express \`req.route.path\`, Fastify \`routeOptions.url\`), else the controller and handler @…(path) metadata. */
    function nestRouteTemplate(context: NestContext, request: NestRequest): string {
      const registered = request.route?.path ?? request.routeOptions?.url ?? request.routerPath;
      if (typeof registered === 'string') return registered;
      const getMetadata = (Reflect as { getMetadata?: (key: string, target: object) => unknown }).getMetadata;
      const parts = [context.getClass(), context.getHandler()].map((target) => getMetadata?.('path', target));
      const path = parts.filter((p): p is string => typeof p === 'string').map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
      return getMetadata ? '/' + path : 'unmatched';
    }
  `));

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
