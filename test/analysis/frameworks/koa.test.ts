import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../../src/analysis/analyze';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('koa recognizer', () => {
  it('@koa/router methods incl. del and all, chains, mounted on a Koa app', () => checkInventory(ts`
    import Koa from 'koa';
    import Router from '@koa/router';
    const app = new Koa();
    const router = new Router();
    router.get('/users/:id', async (ctx) => { ctx.body = {}; });
    //     ^^^ GET /users/:id none
    router.del('/users/:id', async (ctx) => { ctx.status = 204; });
    //     ^^^ DELETE /users/:id none
    router.all('/any', async (ctx) => { ctx.body = 'x'; });
    //     ^^^ ANY /any none
    router
      .post('/users', async (ctx) => { ctx.status = 201; })
    // ^^^^ POST /users none
      .put('/users/:id', async (ctx) => { ctx.body = {}; })
    // ^^^ PUT /users/:id none
      .patch(['/a', '/b'], async (ctx) => { ctx.body = {}; });
    // ^^^^^ PATCH /a none
    // ^^^^^ PATCH /b none
    app.use(router.routes()).use(router.allowedMethods());
  `));

  it('prefixes: constructor option, router.prefix(), chained prefix, named routes', () => checkInventory(ts`
    const Koa = require('koa');
    const Router = require('koa-router');
    const app = new Koa();
    const api = new Router({ prefix: '/api' });
    api.get('user', '/users/:id', (ctx) => { ctx.body = 'u'; });
    //  ^^^ GET /api/users/:id none
    api.get('/', (ctx) => { ctx.body = 'root'; });
    //  ^^^ GET /api none
    const v1 = Router();
    v1.prefix('/v1');
    v1.post('/items', (ctx) => { ctx.body = 'i'; });
    // ^^^^ POST /v1/items none
    const v2 = new Router().prefix('/v2');
    v2.get('/items', (ctx) => { ctx.body = 'i'; });
    // ^^^ GET /v2/items none
    app.use(api.routes());
    app.use(v1.routes());
    app.use(v2.routes());
  `, '/src/app.js'));

  it('nested routers across files: use(path, sub.routes()), use(sub.routes()), register()', () => checkInventory(ts`
    //- /src/app.ts
    import Koa from 'koa';
    import { apiRouter } from './routes';
    const app = new Koa();
    app.use(apiRouter.routes());
    //- /src/routes/index.ts
    import Router from '@koa/router';
    import users from './users';
    import { createOrders } from './orders';
    export const apiRouter = new Router({ prefix: '/api' });
    apiRouter.use('/users', users.routes(), users.allowedMethods());
    apiRouter.use(createOrders().routes());
    //- /src/routes/users.ts
    import Router from '@koa/router';
    const router = new Router();
    router.get('/:id', async (ctx) => { ctx.body = {}; });
    //     ^^^ GET /api/users/:id none
    router.register('/bulk', ['POST', 'put'], async (ctx) => { ctx.body = 'ok'; });
    //     ^^^^^^^^ POST /api/users/bulk none
    //     ^^^^^^^^ PUT /api/users/bulk none
    export default router;
    //- /src/routes/orders.ts
    import Router from '@koa/router';
    export function createOrders() {
      const r = new Router({ prefix: '/orders' });
      r.get('/', async (ctx) => { ctx.body = []; });
      //^^^ GET /api/orders none
      return r;
    }
  `, '/src/app.ts'));

  it('routers exported as router.routes(), koa-mount, compose, class-held routers', () => checkInventory(ts`
    //- /src/app.js
    const Koa = require('koa');
    const mount = require('koa-mount');
    const compose = require('koa-compose');
    const app = new Koa();
    app.use(require('./health'));
    app.use(mount('/v3', require('./v3')));
    app.use(compose([require('./books').routes()]));
    //- /src/health.js
    const Router = require('@koa/router');
    const router = new Router();
    router.get('/health', (ctx) => { ctx.body = 'ok'; });
    //     ^^^ GET /health none
    module.exports = router.routes();
    //- /src/v3.js
    const Router = require('@koa/router');
    const r = new Router();
    r.get('/things', (ctx) => { ctx.body = []; });
    //^^^ GET /v3/things none
    module.exports = r.middleware();
    //- /src/books.ts
    import Router from '@koa/router';
    class BooksController {
      router = new Router({ prefix: '/books' });
      constructor() {
        this.router.get('/', (ctx) => { ctx.body = []; });
        //          ^^^ GET /books none
      }
    }
    const c = new BooksController();
    export const routes = () => c.router.routes();
    export default c.router;
  `, '/src/app.js'));

  it('koa-combine-routers: routers combined in another file', () => checkInventory(ts`
    //- /src/app.js
    const Koa = require('koa');
    const router = require('./routes');
    const app = new Koa();
    app.use(router());
    //- /src/routes/index.js
    const combineRouters = require('koa-combine-routers');
    const a = require('./a');
    module.exports = combineRouters(a, [require('./b')]);
    //- /src/routes/a.js
    const Router = require('koa-router');
    const router = new Router({ prefix: '/a' });
    router.get('/', (ctx) => { ctx.body = 'a'; });
    //     ^^^ GET /a none
    module.exports = router;
    //- /src/routes/b.js
    const Router = require('koa-router');
    const router = new Router();
    router.post('/b', (ctx) => { ctx.body = 'b'; });
    //     ^^^^ POST /b none
    module.exports = router;
  `, '/src/app.js'));

  it('coverage: middleware order on the app and on routers, handler metrics', () => checkInventory(ts`
    import Koa from 'koa';
    import Router from '@koa/router';
    import { Counter, Histogram } from 'prom-client';
    const hits = new Counter({ name: 'hits_total', help: 'h' });
    const dur = new Histogram({ name: 'http_request_duration_seconds', help: 'h', labelNames: ['route'] });
    const early = new Router();
    early.get('/early', (ctx) => { ctx.body = 'e'; });
    //    ^^^ GET /early none
    const counted = new Router();
    counted.get('/counted', (ctx) => { hits.inc(); ctx.body = 'c'; });
    //      ^^^ GET /counted handler
    const late = new Router();
    late.get('/late', (ctx) => { ctx.body = 'l'; });
    //   ^^^ GET /late middleware
    const scoped = new Router();
    scoped.get('/before-use', (ctx) => { ctx.body = 'b'; });
    //     ^^^ GET /before-use none
    scoped.use(async (ctx, next) => { const end = dur.startTimer(); await next(); end({ route: ctx.path }); });
    scoped.get('/after-use', (ctx) => { ctx.body = 'a'; });
    //     ^^^ GET /after-use middleware
    const app = new Koa();
    app.use(early.routes());
    app.use(counted.routes());
    app.use(scoped.routes());
    app.use(async (ctx, next) => { const end = dur.startTimer(); await next(); end({ route: ctx._matchedRoute }); });
    app.use(late.routes());
  `));

  it('coverage: known metrics middleware packages', () => checkInventory(ts`
    const Koa = require('koa');
    const Router = require('@koa/router');
    const prometheus = require('koa-prometheus-exporter');
    const app = new Koa();
    app.use(prometheus.middleware({}));
    const router = new Router();
    router.get('/m', (ctx) => { ctx.body = 'm'; });
    //     ^^^ GET /m middleware
    app.use(router.routes());
  `, '/src/app.js'));

  it('a router passed to a function registering routes on it', () => checkInventory(ts`
    //- /src/app.ts
    import Koa from 'koa';
    import Router from '@koa/router';
    import { registerUserRoutes } from './users';
    const router = new Router({ prefix: '/api' });
    registerUserRoutes(router);
    new Koa().use(router.routes());
    //- /src/users.ts
    import type Router from '@koa/router';
    export function registerUserRoutes(r: Router) {
      r.get('/users', async (ctx) => { ctx.body = []; });
      //^^^ GET /api/users none
    }
  `, '/src/app.ts'));

  it('look-alikes are not routes', () => checkInventory(ts`
    import Koa from 'koa';
    import Router from '@koa/router';
    import VueRouter from 'vue-router';
    import axios from 'axios';
    const app = new Koa();
    const router = new Router();
    router.get('/real', async (ctx) => {
    //     ^^^ GET /real none
      ctx.get('Content-Type');
      ctx.request.get('x');
      ctx.cookies.get('sid');
      const m = new Map<string, number>();
      m.get('/users');
      await axios.get('/api/users');
    });
    const vr = new VueRouter({ routes: [] });
    (vr as any).get('/not', () => {});
    app.use(router.routes());
    const plain = { get: (p: string, h: () => void) => h(), use: (x: unknown) => x };
    plain.get('/x', () => {});
    (app as any).get('/not-a-koa-route', () => {});
  `));
});

describe('koa recognizer against the real framework', () => {
  // The same multi-file app is built with Koa and @koa/router (their router stacks list the composed
  // routes) and analyzed: both must give the same (method, full path) pairs.
  const files: Record<string, string> = {
    'app.js': `
      'use strict';
      const Koa = require('koa');
      const api = require('./routes');
      const health = require('./health');
      function createApp() {
        const app = new Koa();
        app.use(health.routes());
        app.use(api.routes()).use(api.allowedMethods());
        return app;
      }
      module.exports = { createApp };
    `,
    'health.js': `
      const Router = require('@koa/router');
      const router = new Router();
      router.get('/healthz', (ctx) => { ctx.body = 'ok'; });
      module.exports = router;
    `,
    'routes/index.js': `
      const Router = require('@koa/router');
      const users = require('./users');
      const orders = require('./orders');
      const api = new Router({ prefix: '/api' });
      api.use('/users', users.routes(), users.allowedMethods());
      api.use(orders.routes());
      api.get('/', (ctx) => { ctx.body = 'api'; });
      module.exports = api;
    `,
    'routes/users.js': `
      const Router = require('@koa/router');
      const router = new Router();
      router
        .get('users', '/', (ctx) => { ctx.body = []; })
        .get('user', '/:id', (ctx) => { ctx.body = {}; })
        .post('/', (ctx) => { ctx.status = 201; })
        .del('/:id', (ctx) => { ctx.status = 204; });
      module.exports = router;
    `,
    'routes/orders.js': `
      const Router = require('@koa/router');
      const orders = new Router();
      orders.prefix('/orders');
      orders.get('/', (ctx) => { ctx.body = []; });
      orders.register('/:id/items', ['GET', 'POST'], (ctx) => { ctx.body = []; });
      orders.patch(['/:id', '/:id/status'], (ctx) => { ctx.body = {}; });
      module.exports = orders;
    `,
  };

  it('the analysis finds exactly the routes the routers hold', () => {
    const dir = writeRealApp(files, 'real-koa-');
    try {
      const app = require(path.join(dir, 'app.js')).createApp();
      const registered = new Set<string>();
      for (const mw of app.middleware as Array<{ router?: { stack: Array<{ methods: string[]; path: string }> } }>) {
        for (const layer of mw.router?.stack ?? []) {
          if (!layer.methods.length) continue;
          const methods = layer.methods.filter((m) => m !== 'HEAD' || !layer.methods.includes('GET'));
          for (const m of methods) registered.add(`${m} ${trimSlash(layer.path)}`);
        }
      }
      const analyzed = new Set(Analyzer.load(dir).inventory().routes.map((r) => `${r.method} ${r.path}`));
      assert.deepEqual([...analyzed].sort(), [...registered].sort());
      assert.ok(registered.size >= 11);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const cut = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** Writes a JS app under test/.tmp so that its requires resolve to this repo's node_modules. */
function writeRealApp(files: Record<string, string>, prefix: string): string {
  const base = path.join(__dirname, '..', '..', '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, prefix));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), dedent(text));
  }
  return dir;
}

describe('koa recognizer: route modules called with the router', () => {
  it('a default-exported function called under its import name', () => checkInventory(ts`
    //- /src/app.ts
    import Koa from 'koa';
    import Router from 'koa-router';
    import user from './user.routes';
    const users = require('./legacy.routes');
    const app = new Koa();
    const router = new Router({ prefix: '/api' });
    user(router);
    users(router);
    app.use(router.routes());
    //- /src/user.routes.ts
    export default function registerUserRoutes(router) {
      router.get('/user/:id', async (ctx) => { ctx.body = {}; });
      //     ^^^ GET /api/user/:id none
    }
    //- /src/legacy.routes.js
    module.exports = function (r) {
      r.post('/legacy', async (ctx) => { ctx.body = 'ok'; });
      //^^^^ POST /api/legacy none
    };
  `, '/src/app.ts'));
});
