import rule from '../../../src/analysis/rules/metric-created-per-call';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule metric-created-per-call', () => {
  it('reports metrics constructed per request or job run', () => checkRule(rule, {
    invalid: [
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        const app = express();
        app.post('/orders', (req, res) => {
          const created = new Counter({ name: 'orders_created_total', help: 'Orders created' });
        //                    ^^^^^^^ Counter orders_created_total is created on every request to POST /orders
          created.inc();
          res.status(201).end();
        });
      `,
      // in a helper in another file, called from the handler
      ts`
        //- /src/app.ts
        import express from 'express';
        import { recordOrder } from './metrics';
        const app = express();
        app.post('/orders', async (req, res) => { recordOrder(req.body.total); res.end(); });
        //- /src/metrics.ts
        import client from 'prom-client';
        export function recordOrder(total: number) {
          const h = new client.Histogram({ name: 'order_total_amount', help: 'Order amounts' });
        //                     ^^^^^^^^^ Histogram order_total_amount is created on every request to POST /orders (in recordOrder())
          h.observe(total);
        }
      `,
      // a cron job body
      ts`
        import cron from 'node-cron';
        import { Gauge } from 'prom-client';
        cron.schedule('*/5 * * * *', async () => {
          const g = new Gauge({ name: 'backlog_size', help: 'Backlog' });
        //              ^^^^^ Gauge backlog_size is created on every run of job cron '*/5 * * * *' (node-cron)
          g.set(await countBacklog());
        });
        declare function countBacklog(): Promise<number>;
      `,
      // request middleware, wherever it is registered
      ts`
        import type { Request, Response, NextFunction } from 'express';
        import { Histogram } from 'prom-client';
        export function timing(req: Request, res: Response, next: NextFunction) {
          const end = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency', labelNames: ['route'] }).startTimer();
        //                ^^^^^^^^^ Histogram http_request_duration_seconds is created on every request (in a request handler)
          res.on('finish', () => end({ route: req.route?.path }));
          next();
        }
      `,
      // an OpenTelemetry instrument, in a Koa-style middleware (JavaScript)
      ts`
        //- /src/mw.js
        const { metrics } = require('@opentelemetry/api');
        const meter = metrics.getMeter('api');
        module.exports = async function count(ctx, next) {
          meter.createCounter('api.requests').add(1);
        //      ^^^^^^^^^^^^^ Instrument api.requests (createCounter) is created on every request (in a request handler)
          await next();
        };
      `,
      // a class instantiated per request, with a metric field
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        class Checkout {
          private readonly attempts = new Counter({ name: 'checkout_attempts_total', help: 'Attempts' });
        //                                ^^^^^^^ Counter checkout_attempts_total is created on every request to POST /checkout (in new Checkout())
          run() { this.attempts.inc(); }
        }
        const app = express();
        app.post('/checkout', (req, res) => { new Checkout().run(); res.end(); });
      `,
      // a setInterval tick, through a method of an object
      ts`
        import { Summary } from 'prom-client';
        const poller = {
          tick() {
            const s = new Summary({ name: 'poll_duration_seconds', help: 'Poll' });
        //                ^^^^^^^ Summary poll_duration_seconds is created on every run of job poller.tick (interval) (in tick())
            s.observe(0.1);
          },
        };
        setInterval(() => poller.tick(), 10_000);
      `,
      // a Nest controller calling an injected service; an Express handler bound to a controller
      ts`
        //- /src/orders.service.ts
        import { Injectable } from '@nestjs/common';
        import { Counter } from 'prom-client';
        @Injectable()
        export class OrdersService {
          create(total: number) {
            const c = new Counter({ name: 'orders_total', help: 'Orders' });
        //                ^^^^^^^ Counter orders_total is created on every request to POST /orders (in create())
            c.inc();
            return total;
          }
        }
        //- /src/orders.controller.ts
        import { Body, Controller, Post } from '@nestjs/common';
        import { OrdersService } from './orders.service';
        @Controller('orders')
        export class OrdersController {
          constructor(private readonly orders: OrdersService) {}
          @Post()
          create(@Body() body: { total: number }) { return this.orders.create(body.total); }
        }
        //- /src/express.ts
        import express from 'express';
        import { Gauge } from 'prom-client';
        class UsersController {
          list(req: express.Request, res: express.Response) {
            new Gauge({ name: 'users_listed', help: 'Users' }).set(1);
        //      ^^^^^ Gauge users_listed is created on every request to GET /users
            res.end();
          }
        }
        const users = new UsersController();
        const app = express();
        app.get('/users', users.list.bind(users));
      `,
    ],
    valid: [
      // module level, used in the handler
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        const created = new Counter({ name: 'orders_created_total', help: 'Orders created' });
        const app = express();
        app.post('/orders', (req, res) => { created.inc(); res.end(); });
      `,
      // memoized: getSingleMetric ??, lazy init, cache.set, try around a duplicate
      ts`
        import express from 'express';
        import { Counter, register } from 'prom-client';
        let lazy: Counter | undefined;
        const cache = new Map<string, Counter>();
        const app = express();
        app.get('/a', (req, res) => {
          const a = (register.getSingleMetric('a_total') as Counter) ?? new Counter({ name: 'a_total', help: 'A' });
          if (!lazy) lazy = new Counter({ name: 'b_total', help: 'B' });
          if (!cache.has('c')) cache.set('c', new Counter({ name: 'c_total', help: 'C' }));
          let d: Counter;
          try { d = new Counter({ name: 'd_total', help: 'D' }); } catch { d = register.getSingleMetric('d_total') as Counter; }
          a.inc(); lazy.inc(); d.inc();
          res.end();
        });
      `,
      // a factory called once at start-up; a handler factory that creates the metric once
      ts`
        import express from 'express';
        import { Counter, Histogram } from 'prom-client';
        function createMetrics() {
          return { hits: new Counter({ name: 'hits_total', help: 'Hits' }) };
        }
        const metrics = createMetrics();
        function timed(name: string) {
          const h = new Histogram({ name, help: 'Handler latency' });
          return (req: express.Request, res: express.Response) => { const end = h.startTimer(); res.end(); end(); };
        }
        const app = express();
        app.get('/hits', (req, res) => { metrics.hits.inc(); res.end(); });
        app.get('/timed', timed('timed_seconds'));
      `,
      // a singleton class: fields created once
      ts`
        import express from 'express';
        import { Counter } from 'prom-client';
        class Metrics {
          readonly logins = new Counter({ name: 'logins_total', help: 'Logins' });
        }
        export const appMetrics = new Metrics();
        const app = express();
        app.post('/login', (req, res) => { appMetrics.logins.inc(); res.end(); });
      `,
      // a batch job's per-run registry pushed to a Pushgateway
      ts`
        import cron from 'node-cron';
        import { Gauge, Registry, Pushgateway } from 'prom-client';
        cron.schedule('0 * * * *', async () => {
          const registry = new Registry();
          const last = new Gauge({ name: 'job_last_success_seconds', help: 'Last success', registers: [registry] });
          last.setToCurrentTime();
          await new Pushgateway('http://pushgateway:9091', {}, registry).pushAdd({ jobName: 'hourly' });
        });
      `,
      // a lazy singleton getter called per request
      ts`
        //- /src/metrics.ts
        import { Counter } from 'prom-client';
        let instance: { hits: Counter } | undefined;
        function create() { return { hits: new Counter({ name: 'hits_total', help: 'Hits' }) }; }
        export function getMetrics() {
          if (instance) return instance;
          instance = create();
          return instance;
        }
        //- /src/app.ts
        import express from 'express';
        import { getMetrics } from './metrics';
        const app = express();
        app.get('/', (req, res) => { getMetrics().hits.inc(); res.end(); });
      `,
      // look-alikes: another library's Counter, a function that is never called per request
      ts`
        import express from 'express';
        import { Counter } from 'some-other-lib';
        import { Gauge } from 'prom-client';
        export function setup() { return new Gauge({ name: 'setup_gauge', help: 'Setup' }); }
        const app = express();
        app.get('/x', (req, res) => { new Counter('x'); res.end(); });
      `,
    ],
  }));
});
