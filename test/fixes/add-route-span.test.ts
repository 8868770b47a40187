import { ts } from '../helpers/annotated';
import { checkFix, checkFixNotApplicable } from '../helpers/fixes';

describe('fix add-route-span', () => {
  it("Express async handler: an active span around the body, status from the response or the error", () => checkFix('add-route-span', ts`
    //- /src/app.ts
    import express from 'express';
    import { findOrder } from './orders';

    const app = express();
    app.$0get('/orders/:id', async (req, res) => {
      const order = await findOrder(req.params.id);
      if (!order) return res.status(404).json({ error: 'not found' });
      res.json(order);
    });
    //- /src/orders.ts
    export async function findOrder(id: string) { return id === '1' ? { id } : undefined; }
    //- /package.json
    {
      "name": "orders-api",
      "dependencies": {
        "express": "^5.1.0"
      }
    }
  `, ts`
    //- /src/app.ts
    import express from 'express';
    import { findOrder } from './orders';
    import { SpanStatusCode } from '@opentelemetry/api';
    import { tracer, httpErrorStatus } from './observability';

    const app = express();
    app.get('/orders/:id', async (req, res) => {
      return tracer.startActiveSpan('GET /orders/:id', { attributes: { 'http.route': '/orders/:id', 'http.request.method': 'GET' } }, async (span) => {
        let failed = false;
        try {
          const order = await findOrder(req.params.id);
          if (!order) return res.status(404).json({ error: 'not found' });
          res.json(order);
        } catch (error) {
          failed = true;
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('http.response.status_code', httpErrorStatus(error));
          throw error;
        } finally {
          if (!failed) span.setAttribute('http.response.status_code', res.statusCode);
          span.end();
        }
      });
    });
    //- /package.json
    {
      "name": "orders-api",
      "dependencies": {
        "@opentelemetry/api": "^1.9.0",
        "express": "^5.1.0"
      }
    }
    //- /src/observability.ts
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    import { trace } from '@opentelemetry/api';

    /** Spans go through the global tracer provider (a no-op until an OpenTelemetry SDK is registered). */
    export const tracer = trace.getTracer('orders-api');

    /** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
    export function httpErrorStatus(error: unknown): number {
      const e = error as { status?: unknown; statusCode?: unknown; getStatus?: () => unknown } | null | undefined;
      const status = typeof e?.getStatus === 'function' ? e.getStatus() : e?.status ?? e?.statusCode;
      return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
    }
  `));

  it("Fastify: the reply parameter is named, the project's tracer is reused", () => checkFix('add-route-span', ts`
    //- /src/routes.ts
    import Fastify from 'fastify';
    import { tracer } from './observability';

    const app = Fastify();
    app.$0post('/orders', async (request, reply) => {
      reply.code(201);
      return { ok: true, body: request.body };
    });
    //- /src/observability.ts
    import { trace } from '@opentelemetry/api';
    export const tracer = trace.getTracer('orders');
  `, ts`
    //- /src/routes.ts
    import Fastify from 'fastify';
    import { tracer, httpErrorStatus } from './observability';
    import { SpanStatusCode } from '@opentelemetry/api';

    const app = Fastify();
    app.post('/orders', async (request, reply) => {
      return tracer.startActiveSpan('POST /orders', { attributes: { 'http.route': '/orders', 'http.request.method': 'POST' } }, async (span) => {
        let failed = false;
        try {
          reply.code(201);
          return { ok: true, body: request.body };
        } catch (error) {
          failed = true;
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('http.response.status_code', httpErrorStatus(error));
          throw error;
        } finally {
          if (!failed) span.setAttribute('http.response.status_code', reply.statusCode);
          span.end();
        }
      });
    });
    //- /src/observability.ts
    import { trace } from '@opentelemetry/api';
    export const tracer = trace.getTracer('orders');

    /** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
    export function httpErrorStatus(error: unknown): number {
      const e = error as { status?: unknown; statusCode?: unknown; getStatus?: () => unknown } | null | undefined;
      const status = typeof e?.getStatus === 'function' ? e.getStatus() : e?.status ?? e?.statusCode;
      return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
    }
  `));

  it("Koa router in CommonJS without semicolons: composed template in the span name", () => checkFix('add-route-span', ts`
    //- /src/router.js
    const Router = require('@koa/router')
    const { tracer } = require('./observability')

    const router = new Router({ prefix: '/api' })
    router.$0get('/items/:id', (ctx) => {
      ctx.body = { id: ctx.params.id }
    })
    module.exports = router
    //- /src/observability.js
    const { trace } = require('@opentelemetry/api')
    exports.tracer = trace.getTracer('items')
  `, ts`
    //- /src/router.js
    const Router = require('@koa/router')
    const { tracer, httpErrorStatus } = require('./observability')
    const { SpanStatusCode } = require('@opentelemetry/api')

    const router = new Router({ prefix: '/api' })
    router.get('/items/:id', (ctx) => {
      return tracer.startActiveSpan('GET /api/items/:id', { attributes: { 'http.route': '/api/items/:id', 'http.request.method': 'GET' } }, (span) => {
        let failed = false
        try {
          ctx.body = { id: ctx.params.id }
        } catch (error) {
          failed = true
          span.recordException(error instanceof Error ? error : String(error))
          span.setStatus({ code: SpanStatusCode.ERROR })
          span.setAttribute('http.response.status_code', httpErrorStatus(error))
          throw error
        } finally {
          if (!failed) span.setAttribute('http.response.status_code', ctx.status)
          span.end()
        }
      })
    })
    module.exports = router
    //- /src/observability.js
    const { trace } = require('@opentelemetry/api')
    exports.tracer = trace.getTracer('items')

    /** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
    function httpErrorStatus(error) {
      const status = typeof error?.getStatus === 'function' ? error.getStatus() : error?.status ?? error?.statusCode
      return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500
    }
    exports.httpErrorStatus = httpErrorStatus
  `));

  it("Hono: a middleware in front of the handler reads c.error and c.res.status", () => checkFix('add-route-span', ts`
    //- /src/app.ts
    import { Hono } from 'hono';
    import { tracer } from './observability';

    export const app = new Hono().basePath('/v1');
    app.$0get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
    //- /src/observability.ts
    import { trace } from '@opentelemetry/api';
    export const tracer = trace.getTracer('items');
  `, ts`
    //- /src/app.ts
    import { Hono } from 'hono';
    import { tracer } from './observability';
    import { SpanStatusCode } from '@opentelemetry/api';

    export const app = new Hono().basePath('/v1');
    app.get('/items/:id', async (c, next) => {
      await tracer.startActiveSpan('GET /v1/items/:id', { attributes: { 'http.route': '/v1/items/:id', 'http.request.method': 'GET' } }, async (span) => {
        try {
          await next();
          if (c.error) {
            span.recordException(c.error);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.setAttribute('http.response.status_code', c.res.status);
        } finally {
          span.end();
        }
      });
    }, (c) => c.json({ id: c.req.param('id') }));
  `));

  it("NestJS controller method: body wrapped, error status from the exception", () => checkFix('add-route-span', ts`
    //- /src/items.controller.ts
    import { Controller, Get, Param } from '@nestjs/common';
    import { trace } from '@opentelemetry/api';
    import { tracer } from './observability';

    @Controller('items')
    export class ItemsController {
      $0@Get(':id')
      find(@Param('id') id: string) {
        return { id, at: \`\${Date.now()}\` };
      }
    }
    //- /src/observability.ts
    import { trace } from '@opentelemetry/api';
    export const tracer = trace.getTracer('items');
  `, ts`
    //- /src/items.controller.ts
    import { Controller, Get, Param } from '@nestjs/common';
    import { trace, SpanStatusCode } from '@opentelemetry/api';
    import { tracer, httpErrorStatus } from './observability';

    @Controller('items')
    export class ItemsController {
      @Get(':id')
      find(@Param('id') id: string) {
        return tracer.startActiveSpan('GET /items/:id', { attributes: { 'http.route': '/items/:id', 'http.request.method': 'GET' } }, (span) => {
          try {
            return { id, at: \`\${Date.now()}\` };
          } catch (error) {
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.setAttribute('http.response.status_code', httpErrorStatus(error));
            throw error;
          } finally {
            span.end();
          }
        });
      }
    }
    //- /src/observability.ts
    import { trace } from '@opentelemetry/api';
    export const tracer = trace.getTracer('items');

    /** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
    export function httpErrorStatus(error: unknown): number {
      const e = error as { status?: unknown; statusCode?: unknown; getStatus?: () => unknown } | null | undefined;
      const status = typeof e?.getStatus === 'function' ? e.getStatus() : e?.status ?? e?.statusCode;
      return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
    }
  `));

  it('not applicable: a handler defined elsewhere (it may serve other routes)', () => checkFixNotApplicable('add-route-span', ts`
    import express from 'express';
    import { getOrder } from './handlers';
    const app = express();
    app.$0get('/orders/:id', getOrder);
  `));

  it('not applicable: destructured parameters', () => checkFixNotApplicable('add-route-span', ts`
    import express from 'express';
    const app = express();
    app.$0get('/orders/:id', ({ params }) => params.id);
  `));
});
