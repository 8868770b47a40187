import rule from '../../../src/analysis/rules/high-cardinality-label';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule high-cardinality-label', () => {
  it('reports identifier-like label names and unbounded label values', () => checkRule(rule, {
    invalid: [
      // label names in labelNames, through the client namespace
      ts`
        import client from 'prom-client';
        export const logins = new client.Counter({ name: 'logins_total', help: 'Logins', labelNames: ['method', 'userId', 'client_ip'] });
        //                                                                                                      ^^^^^^^^ Label userId of metric logins_total is unbounded (an identifier)
        //                                                                                                                ^^^^^^^^^^^ Label client_ip of metric logins_total is unbounded (an identifier)
      `,
      // positional labels(): the name comes from labelNames
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        const hits = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['method', 'path'] });
        const app = express();
        app.get('/orders/:id', (req, res) => {
          hits.labels(req.method, req.path).inc();
          //                      ^^^^^^^^ Label path of metric http_requests_total is unbounded: req.path (the raw path)
          res.end();
        });
      `,
      // object form, destructured parameter, template literal
      ts`
        import express from 'express';
        import { Histogram } from 'prom-client';
        const duration = new Histogram({ name: 'order_lookup_seconds', help: 'Lookups', labelNames: ['order'] });
        const app = express();
        app.get('/orders/:id', (req, res) => {
          const { id } = req.params;
          const end = duration.startTimer();
          res.json({});
          end({ order: \`order-\${id}\` });
          //           ^^^^^^^^^^^^^ Label order of metric order_lookup_seconds is unbounded: req.params.id (a path parameter)
        });
      `,
      // a metric from another file, a Koa context path, through a same-file helper
      ts`
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
          requests.inc({ route: routeOf(ctx), status: String(ctx.status) });
          //                    ^^^^^^^^^^^^ Label route of metric requests_total is unbounded: ctx.path (the raw path)
        });
      `,
      // a parameter of a same-file helper, given the raw URL at its call site
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['url'] });
        //                                                                        ^^^^^ Label url of metric hits_total is unbounded (an identifier)
        function track(url: string) { hits.inc({ url }); }
        //                                       ^^^ Label url of metric hits_total is unbounded: req.originalUrl (the raw URL)
        const app = express();
        app.use((req, res, next) => { track(req.originalUrl); next(); });
      `,
      // a route template falling back to the raw path when no route matched (404 scans)
      ts`
        import express from 'express';
        import { Histogram } from 'prom-client';
        const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route', 'code'] });
        const app = express();
        app.use((req, res, next) => {
          const end = duration.startTimer();
          res.on('finish', () => {
            const route = req.route?.path || req.path;
            end({ method: req.method, route, code: res.statusCode });
            //                        ^^^^^ Label route of metric http_request_duration_seconds is unbounded: it falls back to req.path (the raw path)
            duration.labels(req.method, req.route ? req.route.path : req.originalUrl, String(res.statusCode));
            //                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Label route of metric http_request_duration_seconds is unbounded: it falls back to req.originalUrl (the raw URL)
          });
          next();
        });
      `,
      // a Next.js middleware: the request's nextUrl
      ts`
        import { NextRequest, NextResponse } from 'next/server';
        import { Counter } from 'prom-client';
        const hits = new Counter({ name: 'edge_hits_total', help: 'Hits', labelNames: ['page'] });
        export function middleware(request: NextRequest) {
          hits.inc({ page: request.nextUrl.pathname });
          //               ^^^^^^^^^^^^^^^^^^^^^^^^ Label page of metric edge_hits_total is unbounded: request.nextUrl.pathname (the raw URL)
          return NextResponse.next();
        }
      `,
      // random ids, time, error messages
      ts`
        import { randomUUID } from 'node:crypto';
        import { Gauge, Counter } from 'prom-client';
        const lastRun = new Gauge({ name: 'job_last_run_timestamp_seconds', help: 'Last run', labelNames: ['run'] });
        const failures = new Counter({ name: 'job_failures_total', help: 'Failures', labelNames: ['reason'] });
        export async function runJob(work: () => Promise<void>) {
          lastRun.set({ run: randomUUID() }, Date.now() / 1000);
          //                 ^^^^^^^^^^^^ Label run of metric job_last_run_timestamp_seconds is unbounded: randomUUID() (a random value (randomUUID))
          try { await work(); } catch (err) {
            failures.inc({ reason: (err as Error).message });
            //                     ^^^^^^^^^^^^^^^^^^^^^^ Label reason of metric job_failures_total is unbounded: err.message (an error message)
          }
        }
      `,
      // OpenTelemetry attributes: an identifier-like key, a user id value
      ts`
        import { metrics } from '@opentelemetry/api';
        const meter = metrics.getMeter('shop');
        const checkouts = meter.createCounter('checkouts');
        export function onCheckout(user: { id: string }, cart: { size: number }) {
          checkouts.add(1, { 'enduser.id': user.id, items: cart.size });
          //                               ^^^^^^^ Attribute enduser.id of metric checkouts is unbounded: user.id (the user)
        }
        export function onRefund(order: { total: number }) {
          checkouts.add(-1, { 'order.id': lookup(order) });
          //                  ^^^^^^^^^^ Attribute order.id of metric checkouts is unbounded (an identifier)
        }
        declare function lookup(o: unknown): string;
      `,
      // hot-shots tags, array and concatenation; a Fastify request
      ts`
        import Fastify from 'fastify';
        import StatsD from 'hot-shots';
        const statsd = new StatsD({ prefix: 'shop.' });
        const app = Fastify();
        app.get('/users/:id', async (request) => {
          statsd.increment('profile.views', 1, ['env:prod', 'user:' + request.params.id]);
          //                                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^ Tag user of metric profile.views is unbounded: request.params.id (a path parameter)
          return {};
        });
      `,
      // a NestJS-injected metric, typed by its prom-client class
      ts`
        import { Injectable } from '@nestjs/common';
        import { InjectMetric } from '@willsoto/nestjs-prometheus';
        import type { Counter } from 'prom-client';
        @Injectable()
        export class SearchService {
          constructor(@InjectMetric('searches_total') private readonly searches: Counter<string>) {}
          search(query: string, req: { query: Record<string, string> }) {
            this.searches.inc({ term: req.query.q });
            //                        ^^^^^^^^^^^ Label term of metric this.searches is unbounded: req.query.q (a query parameter)
            return query;
          }
        }
      `,
    ],
    valid: [
      // not a metric: a local object with an inc method
      ts`
        import express from 'express';
        const stats = { inc: (o: Record<string, string>) => o };
        const app = express();
        app.get('/x/:id', (req, res) => { stats.inc({ route: req.path, id: req.params.id }); res.end(); });
      `,
      // bounded values: method, route template, status code
      ts`
        import express from 'express';
        import { Histogram } from 'prom-client';
        const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route', 'status_code', 'shard_id'] });
        const app = express();
        app.use((req, res, next) => {
          const end = duration.startTimer({ method: req.method });
          res.on('finish', () => end({ route: req.baseUrl + req.route?.path, status_code: String(res.statusCode), shard_id: process.env.SHARD ?? '0' }));
          next();
        });
      `,
      // route templates of Fastify, Koa and Hono
      ts`
        import { Counter } from 'prom-client';
        const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['route', 'method'] });
        export function fastifyHook(request: { routeOptions: { url: string }; method: string }) { hits.inc({ route: request.routeOptions.url, method: request.method }); }
        export function koaMiddleware(ctx: { _matchedRoute: string; method: string }) { hits.labels(ctx._matchedRoute, ctx.method).inc(); }
        export function honoMiddleware(c: { req: { routePath: string; method: string } }) { hits.labels({ route: c.req.routePath, method: c.req.method }).inc(); }
      `,
      // enums, booleans, literal unions, constants; a route template passed to a helper
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        enum Outcome { Ok = 'ok', Failed = 'failed' }
        const ROUTE = '/checkout';
        const results = new Counter({ name: 'checkout_results_total', help: 'Results', labelNames: ['outcome', 'cached', 'tier', 'route'] });
        function record(tier: 'free' | 'pro', cached: boolean, route: string) {
          results.inc({ outcome: Outcome.Ok, cached: String(cached), tier, route });
        }
        const app = express();
        app.post('/checkout', (req, res) => { record('pro', req.headers['x-cache'] === 'hit', req.route.path); res.end(); });
        app.post(ROUTE, () => record('free', false, ROUTE));
      `,
      // a normalising helper from elsewhere, a regex replace: we cannot tell, so no finding
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        import { normalizePath } from 'prom-normalize';
        const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['path', 'path2'] });
        const app = express();
        app.use((req, res, next) => { hits.inc({ path: normalizePath(req.path), path2: req.path.replace(/\\d+/g, ':id') }); next(); });
      `,
      // error names and codes are bounded; constant StatsD tags; OTel http.route
      ts`
        import StatsD from 'hot-shots';
        import { metrics } from '@opentelemetry/api';
        const statsd = new StatsD();
        const meter = metrics.getMeter('api');
        const errors = meter.createCounter('errors');
        const SERVICE = 'api';
        export async function handle(req: { route: { path: string } }, work: () => Promise<void>) {
          try { await work(); } catch (err) {
            const e = err as NodeJS.ErrnoException;
            errors.add(1, { 'error.type': e.name, code: e.code ?? 'none', 'http.route': req.route.path });
            statsd.increment('errors', 1, ['env:prod', \`service:\${SERVICE}\`]);
          }
        }
      `,
      // labelNames on something that is not prom-client; Map#set with an id
      ts`
        import { Counter } from './my-counter';
        const c = new Counter({ name: 'x', labelNames: ['user_id'] });
        const cache = new Map<string, number>();
        export function f(userId: string) { cache.set(userId, 1); return c; }
      `,
    ],
  }));

  it('takes the identifier label list from options', () => checkRule(rule, {
    options: { extraIdentifierLabels: ['tenant'] },
    invalid: [ts`
      import { Counter } from 'prom-client';
      new Counter({ name: 'jobs_total', help: 'Jobs', labelNames: ['tenant', 'queue'] });
      //                                                           ^^^^^^^^ Label tenant of metric jobs_total is unbounded (an identifier)
    `],
    valid: [ts`
      import { Counter } from 'prom-client';
      new Counter({ name: 'jobs_total', help: 'Jobs', labelNames: ['queue', 'status'] });
    `],
  }));

  it('replaces the list with identifierLabels', () => checkRule(rule, {
    options: { identifierLabels: ['customer'] },
    valid: [ts`
      import { Counter } from 'prom-client';
      new Counter({ name: 'logins_total', help: 'Logins', labelNames: ['user_id'] });
    `],
  }));
});
