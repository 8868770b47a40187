import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../../src/analysis/analyze';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('hono recognizer', () => {
  it('methods, chains, and chained calls without a path reuse the previous path', () => checkInventory(ts`
    import { Hono } from 'hono';
    type Env = { Bindings: { DB: unknown } };
    const app = new Hono<Env>();
    app.get('/users/:id', (c) => c.json({}));
    //  ^^^ GET /users/:id none
    app.post('/users', async (c) => c.json({}, 201)).put('/users/:id', (c) => c.text('ok'));
    //  ^^^^ POST /users none
    //                                               ^^^ PUT /users/:id none
    app.all('/any', (c) => c.text('x'));
    //  ^^^ ANY /any none
    app
      .get('/endpoint', (c) => c.text('GET'))
    // ^^^ GET /endpoint none
      .post((c) => c.text('POST'))
    // ^^^^ POST /endpoint none
      .delete((c) => c.text('DELETE'));
    // ^^^^^^ DELETE /endpoint none
    app.options('/o', (c) => c.body(null)).patch('/p', (c) => c.text('p'));
    //  ^^^^^^^ OPTIONS /o none
    //                                     ^^^^^ PATCH /p none
    export default app;
  `));

  it('on(method | [methods], path | [paths]) gives one entry per pair on the line of on', () => checkInventory(ts`
    import { Hono } from 'hono';
    const app = new Hono();
    app.on('PURGE', '/cache', (c) => c.text('purged'));
    //  ^^ PURGE /cache none
    app.on(['PUT', 'patch'], ['/a', '/b'], (c) => c.text('x'));
    //  ^^ PUT /a none
    //  ^^ PATCH /a none
    //  ^^ PUT /b none
    //  ^^ PATCH /b none
  `));

  it('route(prefix, sub) across files, RPC-style chained sub-apps, nested routes', () => checkInventory(ts`
    //- /src/index.ts
    import { Hono } from 'hono';
    import books from './books';
    import { users } from './users';
    const app = new Hono();
    const routes = app.route('/books', books).route('/users', users);
    export type AppType = typeof routes;
    export default app;
    //- /src/books.ts
    import { Hono } from 'hono';
    const books = new Hono()
      .get('/', (c) => c.json([]))
    // ^^^ GET /books none
      .post('/', (c) => c.json({}, 201))
    // ^^^^ POST /books none
      .get('/:id', (c) => c.json({}));
    // ^^^ GET /books/:id none
    export default books;
    //- /src/users.ts
    import { Hono } from 'hono';
    import admin from './admin';
    export const users = new Hono();
    users.get('/:id', (c) => c.json({}));
    //    ^^^ GET /users/:id none
    users.route('/admin', admin);
    //- /src/admin.ts
    import { Hono } from 'hono';
    const admin = new Hono();
    admin.delete('/:id', (c) => c.text('gone'));
    //    ^^^^^^ DELETE /users/admin/:id none
    export default admin;
  `, '/src/index.ts'));

  it('basePath: derived apps and chained basePath calls', () => checkInventory(ts`
    import { Hono } from 'hono';
    import { v2 } from './v2';
    const app = new Hono();
    const api = new Hono().basePath('/api');
    api.get('/health', (c) => c.text('ok'));
    //  ^^^ GET /api/health none
    app.basePath('/v1').get('/items', (c) => c.json([]));
    //                  ^^^ GET /v1/items none
    app.basePath('/v2').route('/things', v2);
    const v1 = app.basePath('/v1');
    v1.post('/items', (c) => c.json({}));
    // ^^^^ POST /v1/items none
    app.route('/', api);
    //- /src/v2.ts
    import { Hono } from 'hono';
    export const v2 = new Hono();
    v2.get('/', (c) => c.json([]));
    // ^^^ GET /v2/things none
  `));

  it('OpenAPIHono: openapi(createRoute({ method, path })) keeps {param} syntax', () => checkInventory(ts`
    //- /src/app.ts
    import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
    import { getUserRoute } from './routes';
    const app = new OpenAPIHono();
    app.openapi(getUserRoute, (c) => c.json({ id: c.req.valid('param').id }));
    //  ^^^^^^^ GET /users/{id} none
    app.openapi(createRoute({ method: 'post', path: '/users', responses: {} }), (c) => c.json({}, 201));
    //  ^^^^^^^ POST /users none
    app.doc('/doc', { openapi: '3.0.0', info: { title: 'x', version: '1' } });
    const sub = new OpenAPIHono().openapi(createRoute({ method: 'delete', path: '/{id}', responses: {} }), (c) => c.body(null));
    //                            ^^^^^^^ DELETE /items/{id} none
    app.route('/items', sub);
    export default app;
    void z;
    //- /src/routes.ts
    import { createRoute, z } from '@hono/zod-openapi';
    export const getUserRoute = createRoute({
      method: 'get',
      path: '/users/{id}',
      request: { params: z.object({ id: z.string() }) },
      responses: {},
    });
  `, '/src/app.ts'));

  it('coverage: @hono/prometheus and recording middleware registered before, handler metrics', () => checkInventory(ts`
    import { Hono } from 'hono';
    import { prometheus } from '@hono/prometheus';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'hits_total', help: 'h' });
    const { printMetrics, registerMetrics } = prometheus();
    const app = new Hono();
    app.get('/early', (c) => c.text('e'));
    //  ^^^ GET /early none
    app.get('/counted', (c) => { hits.inc(); return c.text('c'); });
    //  ^^^ GET /counted handler
    app.use('*', registerMetrics);
    app.get('/metrics', printMetrics);
    //  ^^^ GET /metrics middleware
    app.get('/late', (c) => c.text('l'));
    //  ^^^ GET /late middleware
    const other = new Hono();
    other.use(async (c, next) => { const end = hits.inc(); await next(); return end; });
    other.get('/x', (c) => c.text('x'));
    //    ^^^ GET /other/x middleware
    app.route('/other', other);
  `));

  it('coverage: @hono/otel and middleware on a parent app before the route() mount', () => checkInventory(ts`
    //- /src/index.ts
    import { Hono } from 'hono';
    import { httpInstrumentationMiddleware } from '@hono/otel';
    import orders from './orders';
    const app = new Hono();
    app.route('/before', orders);
    app.use(httpInstrumentationMiddleware({ serviceName: 'svc' }));
    app.route('/after', orders);
    //- /src/orders.ts
    import { Hono } from 'hono';
    const orders = new Hono();
    orders.get('/', (c) => c.json([]));
    //     ^^^ GET /before none
    //     ^^^ GET /after middleware
    export default orders;
  `, '/src/index.ts'));

  it('apps received as parameters and factories', () => checkInventory(ts`
    //- /src/index.ts
    import { Hono } from 'hono';
    import { createFactory } from 'hono/factory';
    import { registerRoutes } from './register';
    const app = new Hono();
    registerRoutes(app);
    const factory = createFactory();
    const made = factory.createApp();
    made.get('/made', (c) => c.text('m'));
    //   ^^^ GET /made none
    //- /src/register.ts
    import type { Hono } from 'hono';
    export function registerRoutes(app: Hono) {
      app.get('/registered', (c) => c.text('r'));
      //  ^^^ GET /registered none
    }
  `, '/src/index.ts'));

  it('look-alikes are not routes', () => checkInventory(ts`
    import { Hono } from 'hono';
    import { hc } from 'hono/client';
    const app = new Hono();
    app.get('/real', async (c) => {
    //  ^^^ GET /real none
      const user = c.get('user');
      c.req.header('x');
      const m = new Map<string, string>();
      m.get('/a');
      await fetch('/api/users');
      return c.json({ user });
    });
    const client = hc<typeof app>('http://localhost');
    (client as any).get('/x');
    app.request('/real');
    const router = { get: (p: string, h: () => void) => h(), on: (a: string, b: string, h: () => void) => h() };
    router.get('/x', () => {});
    router.on('GET', '/y', () => {});
    export default { fetch: app.fetch };
  `));
});

describe('hono recognizer against the real framework', () => {
  // The same multi-file app is built with Hono (app.routes lists every composed route) and analyzed:
  // both must give the same (method, full path) pairs.
  const files: Record<string, string> = {
    'index.js': `
      'use strict';
      const { Hono } = require('hono');
      const books = require('./books');
      const { users } = require('./users');
      const app = new Hono();
      app.use('*', async (c, next) => { await next(); });
      app.get('/', (c) => c.text('root')).post((c) => c.text('posted'));
      app.on(['PUT', 'PATCH'], ['/a', '/b'], (c) => c.text('x'));
      app.all('/any', (c) => c.text('any'));
      app.route('/books', books);
      const api = app.basePath('/api');
      api.route('/users', users);
      api.get('/ping', (c) => c.text('pong'));
      app.basePath('/v1').get('/items', (c) => c.json([]));
      const status = new Hono().basePath('/status');
      status.get('/', (c) => c.text('ok'));
      app.route('/', status);
      module.exports = app;
    `,
    'books.js': `
      const { Hono } = require('hono');
      module.exports = new Hono()
        .get('/', (c) => c.json([]))
        .post('/', (c) => c.json({}, 201))
        .get('/:id', (c) => c.json({}))
        .delete((c) => c.body(null, 204));
    `,
    'users.js': `
      const { Hono } = require('hono');
      const admin = require('./admin');
      const users = new Hono();
      users.get('/:id', (c) => c.json({}));
      users.route('/admin', admin);
      module.exports = { users };
    `,
    'admin.js': `
      const { Hono } = require('hono');
      const admin = new Hono();
      admin.options('/', (c) => c.body(null));
      admin.patch('/:id', (c) => c.json({}));
      module.exports = admin;
    `,
  };

  it('the analysis finds exactly the routes Hono registers', () => {
    const dir = writeRealApp(files, 'real-hono-');
    try {
      const app = require(path.join(dir, 'index.js'));
      const registered = new Set<string>();
      for (const r of app.routes as Array<{ method: string; path: string }>) {
        if (r.method === 'ALL' && r.path.endsWith('*')) continue; // middleware
        registered.add(`${r.method === 'ALL' ? 'ANY' : r.method} ${trimSlash(r.path)}`);
      }
      const analyzed = new Set(Analyzer.load(dir).inventory().routes.map((r) => `${r.method} ${r.path}`));
      assert.deepEqual([...analyzed].sort(), [...registered].sort());
      assert.ok(registered.size >= 16);
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
