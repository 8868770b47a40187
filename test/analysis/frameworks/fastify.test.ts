import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../../src/analysis/analyze';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('fastify recognizer', () => {
  it('shorthand methods with options objects and { handler } options', () => checkInventory(ts`
    import Fastify from 'fastify';
    const app = Fastify({ logger: true });
    app.get('/users/:id', async (req) => ({ id: req.params }));
    //  ^^^ GET /users/:id none
    app.post('/users', { schema: { body: {} } }, async (req, reply) => reply.code(201).send());
    //  ^^^^ POST /users none
    app.put('/users/:id', { handler: async () => ({}) });
    //  ^^^ PUT /users/:id none
    app.delete('/users/:id', { schema: {}, handler: async () => ({}) });
    //  ^^^^^^ DELETE /users/:id none
    app.all('/any', async () => 'x');
    //  ^^^ ANY /any none
    app.head('/h', async () => '');
    //  ^^^^ HEAD /h none
    app.patch('/p', async () => '').options('/o', async () => '');
    //  ^^^^^ PATCH /p none
    //                              ^^^^^^^ OPTIONS /o none
  `));

  it('route({ method, url | path }) with method arrays, one entry per method on the line of route', () => checkInventory(ts`
    const fastify = require('fastify')({ logger: true });
    fastify.route({ method: 'GET', url: '/a', handler: async () => 'a' });
    //      ^^^^^ GET /a none
    fastify.route({
    //      ^^^^^ POST /b none
    //      ^^^^^ PUT /b none
      method: ['POST', 'put'],
      path: '/b',
      schema: {},
      handler: async () => 'b',
    });
    const opts = { method: 'DELETE', url: '/c', handler: async () => 'c' };
    fastify.route(opts);
    //      ^^^^^ DELETE /c none
  `, '/src/server.js'));

  it('register(plugin, { prefix }) composes prefixes across files: typed consts, FastifyInstance params, require, import()', () => checkInventory(ts`
    //- /src/app.ts
    import fastify from 'fastify';
    import users from './routes/users';
    import { adminRoutes } from './routes/admin';
    const app = fastify();
    app.register(users, { prefix: '/api/users' });
    app.register(adminRoutes, { prefix: '/admin' });
    app.register(import('./routes/health'));
    app.register(require('./routes/legacy'), { prefix: '/legacy' });
    //- /src/routes/users.ts
    import type { FastifyPluginAsync } from 'fastify';
    const users: FastifyPluginAsync = async (fastify) => {
      fastify.get('/', async () => []);
      //      ^^^ GET /api/users none
      fastify.get('/:id', async () => ({}));
      //      ^^^ GET /api/users/:id none
    };
    export default users;
    //- /src/routes/admin.ts
    import { FastifyInstance } from 'fastify';
    export async function adminRoutes(app: FastifyInstance) {
      app.register(async (inner) => {
        inner.post('/reindex', async () => 'ok');
        //    ^^^^ POST /admin/v2/reindex none
      }, { prefix: '/v2' });
    }
    //- /src/routes/health.ts
    export default async function (app) {
      app.get('/health', async () => 'ok');
      //  ^^^ GET /health none
    }
    //- /src/routes/legacy.js
    module.exports = function (instance, opts, done) {
      instance.get('/old', (req, reply) => reply.send('old'));
      //       ^^^ GET /legacy/old none
      done();
    };
  `, '/src/app.ts'));

  it('fastify-plugin plugins share the parent context: no prefix of their own, hooks cover the parent', () => checkInventory(ts`
    //- /src/app.ts
    import Fastify from 'fastify';
    import metrics from './plugins/metrics';
    import { extraRoutes } from './plugins/extra';
    const app = Fastify();
    app.get('/root', async () => 'r');
    //  ^^^ GET /root middleware
    app.register(extraRoutes, { prefix: '/ignored' });
    app.register(async (child) => {
      child.get('/items', async () => []);
      //    ^^^^ GET /v1/items middleware
    }, { prefix: '/v1' });
    app.register(metrics);
    //- /src/plugins/metrics.ts
    import fp from 'fastify-plugin';
    import { Histogram } from 'prom-client';
    const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'h', labelNames: ['route'] });
    export default fp(async (fastify) => {
      fastify.addHook('onResponse', async (request, reply) => {
        duration.observe({ route: request.routeOptions.url }, reply.elapsedTime / 1000);
      });
    }, { name: 'metrics' });
    //- /src/plugins/extra.ts
    import fastifyPlugin from 'fastify-plugin';
    export const extraRoutes = fastifyPlugin(async function (app) {
      app.get('/extra', async () => 'e');
      //  ^^^ GET /extra middleware
    });
  `, '/src/app.ts'));

  it('coverage: metrics plugins in any order, hooks that record, encapsulation, handler metrics', () => checkInventory(ts`
    import Fastify from 'fastify';
    import fastifyMetrics from 'fastify-metrics';
    import { Counter, Histogram } from 'prom-client';
    const hits = new Counter({ name: 'hits_total', help: 'h' });
    const dur = new Histogram({ name: 'req_seconds', help: 'h' });
    const app = Fastify();
    app.register(async (covered) => {
      covered.get('/a', async () => 'a');
      //      ^^^ GET /a middleware
    });
    app.register(fastifyMetrics, { endpoint: '/metrics' });

    const other = Fastify();
    other.get('/counted', async () => { hits.inc(); return 'x'; });
    //    ^^^ GET /counted handler
    other.register(async (hooked) => {
      hooked.addHook('onRequest', async (req) => { (req as any).end = dur.startTimer(); });
      hooked.get('/hooked', async () => 'h');
      //     ^^^ GET /hooked middleware
    });
    other.register(async (sibling) => {
      sibling.get('/sibling', async () => 's');
      //      ^^^ GET /sibling none
    });
    other.get('/logged', { onRequest: [async (req) => { req.log.info('x'); }] }, async () => 'l');
    //    ^^^ GET /logged none
    other.addHook('onRequest', async (req) => { req.log.info('not a metric'); });
  `));

  it('OpenTelemetry plugins and auto-instrumentation', () => checkInventory(ts`
    //- /src/app.ts
    import Fastify from 'fastify';
    import openTelemetry from '@autotelic/fastify-opentelemetry';
    const app = Fastify();
    app.register(openTelemetry, { wrapRoutes: true });
    app.get('/traced', async () => 't');
    //  ^^^ GET /traced middleware
    //- /src/other.ts
    import Fastify from 'fastify';
    import { FastifyOtelInstrumentation } from '@fastify/otel';
    const otel = new FastifyOtelInstrumentation({ servername: 'svc' });
    const app2 = Fastify();
    await app2.register(otel.plugin());
    app2.get('/otel', async () => 'o');
    //   ^^^ GET /otel middleware
  `, '/src/app.ts'));

  it('@fastify/autoload: each file under dir is a plugin mounted at its directory path', () => checkInventory(ts`
    //- /src/app.ts
    import { join } from 'node:path';
    import AutoLoad from '@fastify/autoload';
    import type { FastifyPluginAsync } from 'fastify';
    const app: FastifyPluginAsync = async (fastify, opts) => {
      void fastify.register(AutoLoad, { dir: join(__dirname, 'plugins'), options: opts });
      void fastify.register(AutoLoad, { dir: join(__dirname, 'routes'), options: { prefix: '/api' } });
    };
    export default app;
    //- /src/plugins/sensible.ts
    import fp from 'fastify-plugin';
    export default fp(async (fastify) => { fastify.decorate('x', 1); });
    //- /src/routes/root.ts
    import { FastifyPluginAsync } from 'fastify';
    const root: FastifyPluginAsync = async (fastify) => {
      fastify.get('/', async () => ({ root: true }));
      //      ^^^ GET /api none
    };
    export default root;
    //- /src/routes/users/index.ts
    import { FastifyPluginAsync } from 'fastify';
    const users: FastifyPluginAsync = async (fastify) => {
      fastify.get('/:id', async () => ({}));
      //      ^^^ GET /api/users/:id none
    };
    export default users;
    //- /src/routes/users/ignored.ts
    export default async function (fastify: any) { fastify.get('/never-loaded', async () => 'x'); }
    //- /src/routes/orders/list.js
    module.exports = async function (fastify) {
      fastify.get('/', async () => []);
      //      ^^^ GET /api/orders none
    };
    //- /src/routes/orders/batch.js
    module.exports = async function (fastify) {
      fastify.post('/run', async () => 'ok');
      //      ^^^^ POST /api/batch/run none
    };
    module.exports.autoPrefix = '/batch';
  `, '/src/app.ts'));

  it('autoloaded fastify-plugin plugins registering a metrics plugin cover the whole app', () => checkInventory(ts`
    //- /src/app.ts
    import * as path from 'node:path';
    import { fileURLToPath } from 'node:url';
    import AutoLoad from '@fastify/autoload';
    import type { FastifyInstance } from 'fastify';
    const __dirname = path.dirname(fileURLToPath(import.meta.url));
    export default async function app(fastify: FastifyInstance) {
      await fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes') });
      await fastify.register(AutoLoad, { dir: path.join(__dirname, 'plugins') });
    }
    //- /src/plugins/metrics.ts
    import fp from 'fastify-plugin';
    import metricsPlugin from 'fastify-metrics';
    export default fp(async (fastify) => {
      await fastify.register(metricsPlugin, { endpoint: '/metrics' });
    });
    //- /src/routes/_id/index.ts
    import type { FastifyPluginAsync } from 'fastify';
    const byId: FastifyPluginAsync = async (fastify) => {
      fastify.get('/', async () => ({}));
      //      ^^^ GET /_id middleware
    };
    export default byId;
  `, '/src/app.ts'));

  it('fastify-cli style JS app exporting a plugin function', () => checkInventory(ts`
    //- /app.js
    'use strict'
    const path = require('node:path')
    const AutoLoad = require('@fastify/autoload')
    module.exports = async function (fastify, opts) {
      fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: Object.assign({}, opts) })
      fastify.get('/ping', async () => 'pong')
      //      ^^^ GET /ping none
    }
    //- /routes/example/index.js
    'use strict'
    module.exports = async function (fastify, opts) {
      fastify.get('/', async function (request, reply) { return 'this is an example' })
      //      ^^^ GET /example none
    }
  `, '/app.js'));

  it('factories returning the app, and functions receiving it', () => checkInventory(ts`
    //- /src/server.ts
    import Fastify, { FastifyInstance } from 'fastify';
    import { registerRoutes } from './routes';
    export function buildServer(): FastifyInstance {
      const server = Fastify();
      server.register(registerRoutes, { prefix: '/api' });
      return server;
    }
    const s = buildServer();
    s.get('/status', async () => 'ok');
    //^^^ GET /status none
    //- /src/routes.ts
    import type { FastifyInstance, FastifyPluginOptions } from 'fastify';
    import { orderRoutes } from './orders';
    export async function registerRoutes(app: FastifyInstance, _opts: FastifyPluginOptions) {
      app.register(orderRoutes, { prefix: '/orders' });
    }
    //- /src/orders.ts
    import type { FastifyPluginCallback } from 'fastify';
    export const orderRoutes: FastifyPluginCallback = (app, _opts, done) => {
      app.get('/:id', (req, reply) => { reply.send({}); });
      //  ^^^ GET /api/orders/:id none
      done();
    };
  `, '/src/server.ts'));

  it('look-alikes are not routes', () => checkInventory(ts`
    import Fastify from 'fastify';
    import fastifyModule from 'fastify';
    import axios from 'axios';
    import got from 'got';
    const app = Fastify();
    app.inject({ method: 'GET', url: '/users' });
    app.decorate('get', () => 1);
    app.register(import('@fastify/cors'));
    axios.get('/api/users');
    got.post('/api/users');
    new Map<string, string>().get('/a');
    const cache = { get: (k: string, h: () => void) => h(), route: (o: object) => o };
    cache.get('/x', () => {});
    cache.route({ method: 'GET', url: '/y', handler: () => {} });
    (fastifyModule as any).get('/not-an-instance', () => {});
    app.get('/real', async (req, reply) => { reply.header('x', 'y'); req.headers.get?.('a'); return 'ok'; });
    //  ^^^ GET /real none
  `));
});

describe('fastify recognizer against the real framework', () => {
  // The same multi-file app is loaded by Fastify itself (its onRoute hook lists what it registers)
  // and analyzed: both must give the same (method, full path) pairs.
  const files: Record<string, string> = {
    'app.js': `
      'use strict';
      const fp = require('fastify-plugin');
      const users = require('./routes/users');
      const shared = fp(async function (f) {
        f.get('/shared', async () => 's');
      });
      module.exports = async function app(fastify) {
        fastify.get('/', async () => 'root');
        fastify.register(users, { prefix: '/api/users' });
        fastify.register(require('./routes/admin'), { prefix: 'admin' });
        fastify.register(async (v1) => {
          v1.get('/items', async () => []);
          v1.register(async (nested) => {
            nested.post('/deep', async () => 'd');
          }, { prefix: '/nested' });
        }, { prefix: '/v1' });
        fastify.register(shared, { prefix: '/ignored' });
        fastify.register(require('./plugins/extra'));
        fastify.route({ method: ['GET', 'POST'], url: '/multi', handler: async () => 'm' });
      };
    `,
    'routes/users.js': `
      module.exports = async function (f) {
        f.get('/', async () => []);
        f.get('/:id', { schema: { params: { type: 'object' } } }, async () => ({}));
        f.put('/:id', { handler: async () => ({}) });
        f.delete('/:id', async () => ({}));
      };
    `,
    'routes/admin.js': `
      const routes = [
        { method: 'GET', url: '/daily', handler: async () => 'daily' },
        { method: ['PATCH', 'OPTIONS'], url: '/settings', handler: async () => 'settings' },
      ];
      module.exports = function (fastify, opts, done) {
        routes.forEach((route) => fastify.route(route));
        done();
      };
    `,
    'plugins/extra.js': `
      const fp = require('fastify-plugin');
      module.exports = fp(async (app) => {
        app.get('/extra', async () => 'e');
        app.register(async (child) => { child.get('/child', async () => 'c'); }, { prefix: '/x' });
      });
    `,
  };

  it('the analysis finds exactly the routes Fastify registers', async () => {
    const dir = writeRealApp(files);
    try {
      const Fastify = require('fastify');
      const app = Fastify({ exposeHeadRoutes: false });
      const registered = new Set<string>();
      app.addHook('onRoute', (o: { method: string | string[]; url: string }) => {
        for (const m of Array.isArray(o.method) ? o.method : [o.method]) registered.add(`${m} ${trimSlash(o.url)}`);
      });
      await app.register(require(path.join(dir, 'app.js')));
      await app.ready();
      await app.close();
      const analyzed = new Set(Analyzer.load(dir).inventory().routes.map((r) => `${r.method} ${r.path}`));
      assert.deepEqual([...analyzed].sort(), [...registered].sort());
      assert.ok(registered.size >= 14);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const cut = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(cut)).join('\n');
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** Writes a JS app under test/.tmp so that `require('fastify')` resolves to this repo's node_modules. */
function writeRealApp(files: Record<string, string>): string {
  const base = path.join(__dirname, '..', '..', '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'real-fastify-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), dedent(text));
  }
  return dir;
}

describe('fastify recognizer: handlers are not plugins', () => {
  it('an exported handler taking a FastifyRequest is not a scope', () => checkInventory(ts`
    //- /src/handlers.ts
    import type { FastifyRequest, FastifyReply } from 'fastify';
    export default async function handler(req: FastifyRequest, reply: FastifyReply) {
      const cache = (req as any).server.cache;
      req.headers['x'];
      (req as any).get('/not-a-route', () => {});
      return reply.send(cache);
    }
  `));
});
