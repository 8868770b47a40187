import assert from 'node:assert/strict';
import { Analyzer } from '../../src/analysis/analyze';
import { runRules } from '../../src/analysis/findings';
import { preferredFixes } from '../../src/fixes/engine';
import { parseAnnotated, removeProject, ts, writeProject } from '../helpers/annotated';
import { checkFix, checkFixNotApplicable } from '../helpers/fixes';

describe('fix add-app-metrics', () => {
  it("Koa: the first middleware labels by ctx._matchedRoute, errors by their status; /metrics served", () => checkFix('add-app-metrics', ts`
    //- /src/app.ts
    import Koa from 'koa';
    import Router from '@koa/router';

    export const app = new Koa();
    const router = new Router({ prefix: '/api' });
    router.$0get('/orders/:id', (ctx) => { ctx.body = { id: ctx.params.id }; });
    router.post('/orders', (ctx) => { ctx.status = 201; });
    app.use(router.routes());
    //- /src/observability.ts
    import { Counter, Histogram, register } from 'prom-client';
    export const registry = register;
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });
  `, ts`
    //- /src/app.ts
    import Koa from 'koa';
    import Router from '@koa/router';
    import { httpRequestDuration, httpRequestsTotal, registry, httpErrorStatus } from './observability';

    export const app = new Koa();
    // RED metrics for every route, labelled by the matched route template (added by Telltale).
    app.use(async (ctx, next) => {
      const stopTimer = httpRequestDuration.startTimer();
      let status = 500;
      try {
        await next();
        status = ctx.status;
      } catch (error) {
        status = httpErrorStatus(error);
        throw error;
      } finally {
        const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
        const labels = { method: ctx.method, route: typeof matched === 'string' ? matched : 'unmatched', status_code: String(status) };
        stopTimer(labels);
        httpRequestsTotal.inc(labels);
      }
    });
    app.use(async (ctx, next) => {
      if (ctx.method !== 'GET' || ctx.path !== '/metrics') return next();
      ctx.set('Content-Type', registry.contentType);
      ctx.body = await registry.metrics();
    });
    const router = new Router({ prefix: '/api' });
    router.get('/orders/:id', (ctx) => { ctx.body = { id: ctx.params.id }; });
    router.post('/orders', (ctx) => { ctx.status = 201; });
    app.use(router.routes());
    //- /src/observability.ts
    import { Counter, Histogram, register } from 'prom-client';
    export const registry = register;
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });

    /** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
    export function httpErrorStatus(error: unknown): number {
      const e = error as { status?: unknown; statusCode?: unknown; getStatus?: () => unknown } | null | undefined;
      const status = typeof e?.getStatus === 'function' ? e.getStatus() : e?.status ?? e?.statusCode;
      return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
    }
  `));

  it("Hono: app.use('*') labels by c.req.routePath (unmatched when no handler answered); /metrics route", () => checkFix('add-app-metrics', ts`
    //- /src/app.ts
    import { Hono } from 'hono'

    const app = new Hono()
    app.$0get('/orders/:id', (c) => c.json({ id: c.req.param('id') }))
    app.post('/orders', (c) => c.body(null, 201))
    export default app
    //- /src/observability.ts
    import { Counter, Histogram, register } from 'prom-client';
    export const registry = register;
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });
  `, ts`
    //- /src/app.ts
    import { Hono } from 'hono'
    import { httpRequestDuration, httpRequestsTotal, registry } from './observability'

    const app = new Hono()
    // RED metrics for every route, labelled by the matched route template (added by Telltale).
    app.use('*', async (c, next) => {
      const stopTimer = httpRequestDuration.startTimer()
      const routeIndex = c.req.routeIndex
      let failed = true
      try {
        await next()
        failed = false
      } finally {
        // no handler after this middleware answered: a 404, not a route
        const route = c.req.routeIndex === routeIndex ? 'unmatched' : c.req.routePath
        const labels = { method: c.req.method, route, status_code: failed ? '500' : String(c.res.status) }
        stopTimer(labels)
        httpRequestsTotal.inc(labels)
      }
    })
    app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType }))
    app.get('/orders/:id', (c) => c.json({ id: c.req.param('id') }))
    app.post('/orders', (c) => c.body(null, 201))
    export default app
  `));

  it("NestJS: HttpMetricsInterceptor registered after NestFactory.create, /metrics on the HTTP adapter", () => checkFix('add-app-metrics', ts`
    //- /src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { AppModule } from './app.module';

    async function bootstrap() {
      const app = await NestFactory.create(AppModule);
      await app.listen(3000);
    }
    bootstrap();
    //- /src/app.module.ts
    import { Module } from '@nestjs/common';
    import { OrdersController } from './orders.controller';
    @Module({ controllers: [OrdersController] })
    export class AppModule {}
    //- /src/orders.controller.ts
    import { Controller, Get, Post, Param } from '@nestjs/common';
    @Controller('orders')
    export class OrdersController {
      $0@Get(':id')
      find(@Param('id') id: string) { return { id }; }
      @Post()
      create() { return {}; }
    }
    //- /src/observability.ts
    import { Counter, Histogram, register } from 'prom-client';
    export const registry = register;
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });
  `, ts`
    //- /src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { AppModule } from './app.module';
    import { HttpMetricsInterceptor, registry } from './observability';

    async function bootstrap() {
      const app = await NestFactory.create(AppModule);
      // RED metrics for every route, labelled by the matched route template (added by Telltale).
      app.useGlobalInterceptors(new HttpMetricsInterceptor());
      const httpAdapter = app.getHttpAdapter();
      httpAdapter.get('/metrics', async (_req, res) => {
        httpAdapter.setHeader(res, 'Content-Type', registry.contentType);
        httpAdapter.reply(res, await registry.metrics(), 200);
      });
      await app.listen(3000);
    }
    bootstrap();
    //- /src/observability.ts
    import { Counter, Histogram, register } from 'prom-client';
    export const registry = register;
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

  it("Koa in CommonJS JavaScript: the module is created, no type assertion", () => checkFix('add-app-metrics', ts`
    //- /src/server.js
    const Koa = require('koa');
    const Router = require('@koa/router');

    const app = new Koa();
    const router = new Router();
    router.$0get('/a', (ctx) => { ctx.body = 'a'; });
    router.get('/b', (ctx) => { ctx.body = 'b'; });
    app.use(router.routes());
    app.listen(3000);
    //- /package.json
    { "name": "koa-js", "dependencies": { "koa": "^3.0.0", "@koa/router": "^15.0.0" } }
  `, ts`
    //- /src/server.js
    const Koa = require('koa');
    const Router = require('@koa/router');
    const { httpRequestDuration, httpRequestsTotal, registry, httpErrorStatus } = require('./observability');

    const app = new Koa();
    // RED metrics for every route, labelled by the matched route template (added by Telltale).
    app.use(async (ctx, next) => {
      const stopTimer = httpRequestDuration.startTimer();
      let status = 500;
      try {
        await next();
        status = ctx.status;
      } catch (error) {
        status = httpErrorStatus(error);
        throw error;
      } finally {
        const matched = ctx._matchedRoute;
        const labels = { method: ctx.method, route: typeof matched === 'string' ? matched : 'unmatched', status_code: String(status) };
        stopTimer(labels);
        httpRequestsTotal.inc(labels);
      }
    });
    app.use(async (ctx, next) => {
      if (ctx.method !== 'GET' || ctx.path !== '/metrics') return next();
      ctx.set('Content-Type', registry.contentType);
      ctx.body = await registry.metrics();
    });
    const router = new Router();
    router.get('/a', (ctx) => { ctx.body = 'a'; });
    router.get('/b', (ctx) => { ctx.body = 'b'; });
    app.use(router.routes());
    app.listen(3000);
    //- /package.json
    { "name": "koa-js", "dependencies": {
        "prom-client": "^15.1.3", "koa": "^3.0.0", "@koa/router": "^15.0.0" } }
    //- /src/observability.js
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    const { Counter, Histogram, register } = require('prom-client');

    /** The Prometheus registry every metric below is registered in (prom-client's default). */
    const registry = exports.registry = register;

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

    /** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
    function httpErrorStatus(error) {
      const status = typeof error?.getStatus === 'function' ? error.getStatus() : error?.status ?? error?.statusCode;
      return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
    }
    exports.httpErrorStatus = httpErrorStatus;
  `));

  it("Express: an existing /metrics endpoint is kept (no second one)", () => checkFix('add-app-metrics', ts`
    //- /src/app.ts
    import express from 'express';
    import { registry } from './observability';

    const app = express();
    app.$0get('/a', (_req, res) => res.send('a'));
    app.get('/b', (_req, res) => res.send('b'));
    app.get('/metrics', async (_req, res) => { res.end(await registry.metrics()); });
    //- /src/observability.ts
    import { Counter, Histogram, register } from 'prom-client';
    export const registry = register;
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });
  `, ts`
    //- /src/app.ts
    import express from 'express';
    import { registry, httpRequestDuration, httpRequestsTotal, expressRouteTemplate } from './observability';

    const app = express();
    // RED metrics for every route, labelled by the matched route template (added by Telltale).
    app.use((req, res, next) => {
      const stopTimer = httpRequestDuration.startTimer();
      res.once('finish', () => {
        const labels = { method: req.method, route: expressRouteTemplate(req), status_code: String(res.statusCode) };
        stopTimer(labels);
        httpRequestsTotal.inc(labels);
      });
      next();
    });
    app.get('/a', (_req, res) => res.send('a'));
    app.get('/b', (_req, res) => res.send('b'));
    app.get('/metrics', async (_req, res) => { res.end(await registry.metrics()); });
    //- /src/observability.ts
    import { Counter, Histogram, register } from 'prom-client';
    export const registry = register;
    export const httpRequestDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['method', 'route', 'status_code'] });
    export const httpRequestsTotal = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['method', 'route', 'status_code'] });

    /**
     * The Express route template a request matched ('/api/users/:id'), or 'unmatched'. Express resets
     * req.baseUrl when an error leaves a router, so then the mount prefix is recovered from the URL.
     */
    export function expressRouteTemplate(req: { route?: { path?: unknown }; baseUrl?: string; originalUrl?: string; url?: string }): string {
      const routePath = req.route?.path;
      if (typeof routePath !== 'string') return 'unmatched';
      let base = req.baseUrl;
      if (base === undefined) {
        const segments = (req.originalUrl ?? req.url ?? '').split('?')[0].split('/');
        base = segments.slice(0, segments.length - routePath.split('/').filter(Boolean).length).join('/');
      }
      const template = base + routePath;
      return template.length > 1 ? template.replace(/\/$/, '') : '/';
    }
  `));

  it('not applicable to a JavaScript NestJS bootstrap (the interceptor section is TypeScript)', () => checkFixNotApplicable('add-app-metrics', ts`
    //- /src/main.js
    import { NestFactory } from '@nestjs/core';
    import { AppModule } from './app.module';
    const app = await NestFactory.create(AppModule);
    //- /src/app.module.js
    import { Module } from '@nestjs/common';
    import { OrdersController } from './orders.controller';
    @Module({ controllers: [OrdersController] })
    export class AppModule {}
    //- /src/orders.controller.js
    import { Controller, Get } from '@nestjs/common';
    @Controller('orders')
    export class OrdersController {
      $0@Get()
      list() { return []; }
    }
  `));
  it('fix all prefers the app-wide interceptor for a NestJS project with several uninstrumented routes', () => {
    const { files } = parseAnnotated(ts`
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import { AppModule } from './app.module';
      const app = await NestFactory.create(AppModule);
      //- /src/app.module.ts
      import { Module } from '@nestjs/common';
      import { OrdersController } from './orders.controller';
      @Module({ controllers: [OrdersController] })
      export class AppModule {}
      //- /src/orders.controller.ts
      import { Controller, Get, Post } from '@nestjs/common';
      @Controller('orders')
      export class OrdersController {
        @Get()
        list() { return []; }
        @Post()
        create() { return {}; }
      }
    `);
    const dir = writeProject(files);
    try {
      const analyzer = Analyzer.load(dir);
      const findings = runRules(analyzer).findings.filter((f) => f.rule === 'uninstrumented-route');
      assert.equal(findings.length, 2);
      assert.equal(preferredFixes(findings[0], findings, analyzer)[0].id, 'add-app-metrics');
    } finally {
      removeProject(dir);
    }
  });
});
