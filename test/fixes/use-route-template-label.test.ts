import assert from 'node:assert/strict';
import { ts } from '../helpers/annotated';
import { checkFix } from '../helpers/fixes';
import { notApplicableReason } from '../helpers/run-fixed';

describe('fix use-route-template-label', () => {
  it('inside one route\'s handler: the composed template as a literal', () => checkFix('use-route-template-label', ts`
    //- /src/orders.ts
    import { Router } from 'express';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'order_hits_total', help: 'Hits', labelNames: ['method', 'path'] });
    export const orders = Router();
    orders.get('/:id', (req, res) => {
      hits.labels(req.method, $0req.path).inc();
      res.end();
    });
    //- /src/app.ts
    import express from 'express';
    import { orders } from './orders';
    export const app = express();
    app.use('/api/orders', orders);
  `, ts`
    //- /src/orders.ts
    import { Router } from 'express';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'order_hits_total', help: 'Hits', labelNames: ['method', 'path'] });
    export const orders = Router();
    orders.get('/:id', (req, res) => {
      hits.labels(req.method, '/api/orders/:id').inc();
      res.end();
    });
  `, '/src/orders.ts'));

  it('Express middleware: expressRouteTemplate(req) from the observability module', () => checkFix('use-route-template-label', ts`
    import express from 'express';
    import { Histogram } from 'prom-client';
    const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route'] });
    const app = express();
    app.use((req, res, next) => {
      const end = duration.startTimer({ method: req.method });
      res.on('finish', () => end({ route: $0req.originalUrl }));
      next();
    });
  `, ts`
    import express from 'express';
    import { Histogram } from 'prom-client';
    import { expressRouteTemplate } from './observability';
    const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route'] });
    const app = express();
    app.use((req, res, next) => {
      const end = duration.startTimer({ method: req.method });
      res.on('finish', () => end({ route: expressRouteTemplate(req) }));
      next();
    });
    //- /src/observability.ts
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */

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

  it('req.baseUrl + req.path is replaced whole (the template has the prefix); a template literal gets the route inline', () => {
    checkFix('use-route-template-label', ts`
      //- /src/orders.ts
      import { Router } from 'express';
      import { Counter } from 'prom-client';
      const hits = new Counter({ name: 'order_hits_total', help: 'Hits', labelNames: ['route'] });
      export const orders = Router();
      orders.get('/:id', (req, res) => {
        hits.inc({ route: \`\${req.baseUrl}\${$0req.path}\` });
        res.end();
      });
      //- /src/app.ts
      import express from 'express';
      import { orders } from './orders';
      export const app = express();
      app.use('/api/orders', orders);
    `, ts`
      //- /src/orders.ts
      import { Router } from 'express';
      import { Counter } from 'prom-client';
      const hits = new Counter({ name: 'order_hits_total', help: 'Hits', labelNames: ['route'] });
      export const orders = Router();
      orders.get('/:id', (req, res) => {
        hits.inc({ route: '/api/orders/:id' });
        res.end();
      });
    `, '/src/orders.ts');
    checkFix('use-route-template-label', ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      import { expressRouteTemplate } from './observability';
      const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['route', 'page'] });
      const app = express();
      app.get('/pages/:slug', (req, res) => {
        hits.inc({ route: expressRouteTemplate(req), page: \`page:\${$0req.path}\` });
        res.end();
      });
      app.use((req, res, next) => {
        res.on('finish', () => hits.inc({ route: req.baseUrl + req.path, page: 'none' }));
        next();
      });
      //- /src/observability.ts
      export function expressRouteTemplate(req: { route?: { path?: unknown }; baseUrl?: string }): string {
        return typeof req.route?.path === 'string' ? (req.baseUrl ?? '') + req.route.path : 'unmatched';
      }
    `, ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      import { expressRouteTemplate } from './observability';
      const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['route', 'page'] });
      const app = express();
      app.get('/pages/:slug', (req, res) => {
        hits.inc({ route: expressRouteTemplate(req), page: \`page:/pages/:slug\` });
        res.end();
      });
      app.use((req, res, next) => {
        res.on('finish', () => hits.inc({ route: req.baseUrl + req.path, page: 'none' }));
        next();
      });
    `);
    checkFix('use-route-template-label', ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      import { expressRouteTemplate } from './observability';
      const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['route'] });
      const app = express();
      app.use((req, res, next) => {
        res.on('finish', () => hits.inc({ route: req.baseUrl + $0req.path }));
        next();
      });
      //- /src/observability.ts
      export function expressRouteTemplate(req: { route?: { path?: unknown }; baseUrl?: string }): string {
        return typeof req.route?.path === 'string' ? (req.baseUrl ?? '') + req.route.path : 'unmatched';
      }
    `, ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      import { expressRouteTemplate } from './observability';
      const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['route'] });
      const app = express();
      app.use((req, res, next) => {
        res.on('finish', () => hits.inc({ route: expressRouteTemplate(req) }));
        next();
      });
    `);
  });

  it('Fastify onResponse hook: request.routeOptions.url', () => checkFix('use-route-template-label', ts`
    import Fastify from 'fastify';
    import { Counter } from 'prom-client';
    const requests = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['route', 'status_code'] });
    const app = Fastify();
    app.addHook('onResponse', async (request, reply) => {
      requests.inc({ route: $0request.url, status_code: String(reply.statusCode) });
    });
  `, ts`
    import Fastify from 'fastify';
    import { Counter } from 'prom-client';
    const requests = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['route', 'status_code'] });
    const app = Fastify();
    app.addHook('onResponse', async (request, reply) => {
      requests.inc({ route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) });
    });
  `));

  it('Koa: a same-file helper that only feeds the label is rewritten to ctx._matchedRoute', () => checkFix('use-route-template-label', ts`
    //- /src/metrics.ts
    import { Counter } from 'prom-client';
    export const requests = new Counter({ name: 'requests_total', help: 'Requests', labelNames: ['route', 'status'] });
    //- /src/app.ts
    import Koa from 'koa';
    import { requests } from './metrics';
    const app = new Koa();
    function routeOf(ctx: Koa.Context) { return ctx.path.toLowerCase(); }
    app.use(async (ctx, next) => {
      await next();
      requests.inc({ route: $0routeOf(ctx), status: String(ctx.status) });
    });
  `, ts`
    //- /src/app.ts
    import Koa from 'koa';
    import { requests } from './metrics';
    const app = new Koa();
    function routeOf(ctx: Koa.Context) { return String(ctx._matchedRoute ?? 'unmatched').toLowerCase(); }
    app.use(async (ctx, next) => {
      await next();
      requests.inc({ route: routeOf(ctx), status: String(ctx.status) });
    });
  `, '/src/app.ts'));

  it('Hono, CommonJS, double quotes, no semicolons: c.req.routePath', () => checkFix('use-route-template-label', ts`
    //- /src/app.js
    const { Hono } = require("hono")
    const client = require("prom-client")
    const hits = new client.Counter({ name: "hits_total", help: "Hits", labelNames: ["route"] })
    const app = new Hono()
    app.use(async (c, next) => {
      await next()
      hits.inc({ route: $0c.req.path })
    })
    module.exports = app
  `, ts`
    //- /src/app.js
    const { Hono } = require("hono")
    const client = require("prom-client")
    const hits = new client.Counter({ name: "hits_total", help: "Hits", labelNames: ["route"] })
    const app = new Hono()
    app.use(async (c, next) => {
      await next()
      hits.inc({ route: c.req.routePath })
    })
    module.exports = app
  `, '/src/app.js'));

  it('not applicable: an id is not a path; a variable also used outside labels', () => {
    assert.match(notApplicableReason('use-route-template-label', ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      const views = new Counter({ name: 'views_total', help: 'Views', labelNames: ['order'] });
      const app = express();
      app.get('/orders/:id', (req, res) => { views.inc({ order: $0req.params.id }); res.end(); });
    `), /a path parameter \(req\.params\.id\), not the raw path/);
    assert.match(notApplicableReason('use-route-template-label', ts`
      import express from 'express';
      import { Counter } from 'prom-client';
      const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['path'] });
      const app = express();
      app.use((req, res, next) => {
        const p = req.path;
        hits.inc({ path: $0p });
        res.setHeader('x-path', p);
        next();
      });
    `), /p is also used outside metric labels \(line 8\)/);
  });
});
