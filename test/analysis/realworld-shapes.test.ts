/**
 * Shapes met in real open-source applications (bench/results/realworld.md) that the recognizers
 * first got wrong, reduced to their minimal form.
 */
import { ts } from '../helpers/annotated';
import { checkInventory } from '../helpers/inventory';

describe('real-world shapes', () => {
  it('Bull queues made lazily by a getter around a project factory are named by the factory call (Outline)', () => checkInventory(ts`
    //- /server/queues/queue.ts
    import Queue from 'bull';
    export function createQueue(name: string, opts?: object) {
      const queue = new Queue(name, { defaultJobOptions: opts });
      return queue;
    }
    //- /server/queues/index.ts
    import { createQueue } from './queue';
    let _events: ReturnType<typeof createQueue> | undefined;
    export const eventQueue = () => {
      if (!_events) {
        _events = createQueue('globalEvents', { attempts: 5 });
      }
      return _events;
    };
    let _tasks;
    export function taskQueue() {
      if (!_tasks) _tasks = createQueue('tasks');
      return _tasks;
    }
    //- /server/worker.ts
    import { eventQueue, taskQueue } from './queues';
    export default function init() {
      eventQueue().process(4, async (job) => job.data);
      //           ^^^^^^^ job bull globalEvents none
      taskQueue()
        .process(async (job) => job.data)
      // ^^^^^^^ job bull tasks none
        .catch(() => undefined);
    }
  `, '/server/worker.ts'));

  it('a router or app assigned after its declaration (let x; x = express.Router())', () => checkInventory(ts`
    //- /src/routes.js
    const express = require('express');
    let router;
    router = express.Router();
    router.get('/items', (req, res) => res.json([]));
    //     ^^^ GET /api/items none
    module.exports = router;
    //- /src/app.js
    const express = require('express');
    let app = null;
    function getApp() {
      if (!app) app = express();
      return app;
    }
    getApp().use('/api', require('./routes'));
    const cache = new Map();
    let lookup;
    lookup = cache;
    lookup.get('/items');
  `, '/src/routes.js'));

  it('routers mounted from an array of { path, route } in forEach / for…of keep each prefix with its router (node-express-boilerplate)', () => checkInventory(ts`
    //- /src/routes/auth.route.ts
    import express from 'express';
    export const router = express.Router();
    router.post('/login', (req, res) => res.end());
    //     ^^^^ POST /v1/auth/login none
    //- /src/routes/user.route.ts
    import express from 'express';
    const router = express.Router();
    router.route('/:userId').get((req, res) => res.end());
    //                       ^^^ GET /v1/users/:userId none
    export default router;
    //- /src/routes/docs.route.ts
    import { Router } from 'express';
    const docs = Router();
    docs.get('/', (req, res) => res.end());
    //   ^^^ GET /v1/docs none
    //   ^^^ GET /v2/docs none
    export default docs;
    //- /src/routes/index.ts
    import express from 'express';
    import { router as authRoute } from './auth.route';
    import userRoute from './user.route';
    import docsRoute from './docs.route';
    export const routes = express.Router();
    const defaultRoutes = [
      { path: '/auth', route: authRoute },
      { path: '/users', route: userRoute },
    ];
    const devRoutes = [{ path: '/docs', route: docsRoute }];
    defaultRoutes.forEach((route) => {
      routes.use(route.path, route.route);
    });
    for (const { path, route } of [...devRoutes]) routes.use(path, route);
    export const v2 = express.Router();
    devRoutes.map(({ path, route: r }) => v2.use(path, r));
    //- /src/app.ts
    import express from 'express';
    import { routes, v2 } from './routes';
    const app = express();
    app.use('/v1', routes);
    app.use('/v2', v2);
  `, '/src/routes/auth.route.ts'));

  it('Fastify options built with Object.assign({ prefix }, opts) (fastify-cli app templates, dev-says)', () => checkInventory(ts`
    //- /src/app.js
    const AutoLoad = require('fastify-autoload');
    const path = require('path');
    module.exports = async function (fastify, opts) {
      fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: Object.assign({ prefix: '/api' }, opts) });
      fastify.register(require('./admin'), Object.assign({}, opts, { prefix: '/admin' }));
    };
    //- /src/routes/users/index.js
    module.exports = async function (fastify) {
      fastify.get('/', async () => 'x');
      //      ^^^ GET /api/users none
    };
    //- /src/routes/root.js
    module.exports = async function (fastify) {
      fastify.route({ method: 'GET', path: '/health', handler: async () => 'ok' });
      //      ^^^^^ GET /api/health none
    };
    //- /src/admin.js
    module.exports = async function (fastify) {
      fastify.delete('/cache', async () => 'ok');
      //      ^^^^^^ DELETE /admin/cache none
    };
  `, '/src/routes/users/index.js'));

  it('Nest global prefix read from @nestjs/config: registerAs factories, .env files, defaults (nestjs-boilerplate)', () => {
    checkInventory(ts`
      //- /src/config/app.config.ts
      import { registerAs } from '@nestjs/config';
      export default registerAs('app', () => {
        return { port: 3000, http: { apiPrefix: process.env.API_PREFIX || 'api' } };
      });
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import { VersioningType } from '@nestjs/common';
      import { ConfigService } from '@nestjs/config';
      import { AppModule } from './app.module';
      async function bootstrap() {
        const app = await NestFactory.create(AppModule);
        const configService = app.get(ConfigService);
        app.setGlobalPrefix(configService.getOrThrow('app.http.apiPrefix', { infer: true }), { exclude: ['/'] });
        app.enableVersioning({ type: VersioningType.URI });
        await app.listen(3000);
      }
      void bootstrap();
      //- /src/users/users.controller.ts
      import { Controller, Get } from '@nestjs/common';
      @Controller({ path: 'users', version: '1' })
      export class UsersController {
        @Get(':id')
      //^^^^^^^^^^^ GET /api/v1/users/:id none
        findOne() { return {}; }
      }
      //- /src/home.controller.ts
      import { Controller, Get } from '@nestjs/common';
      @Controller()
      export class HomeController {
        @Get()
      //^^^^^^ GET / none
        info() { return {}; }
      }
    `, '/src/users/users.controller.ts');
    checkInventory(ts`
      //- /.env.example
      PORT=3000
      GLOBAL_PREFIX="rest"
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import { ConfigService } from '@nestjs/config';
      import { AppModule } from './app.module';
      async function bootstrap() {
        const app = await NestFactory.create(AppModule);
        const config = app.get(ConfigService);
        app.setGlobalPrefix(config.get<string>('GLOBAL_PREFIX'));
        await app.listen(3000);
      }
      bootstrap();
      //- /src/cats.controller.ts
      import { Controller, Post } from '@nestjs/common';
      @Controller('cats')
      export class CatsController {
        @Post()
      //^^^^^^^ POST /rest/cats none
        create() { return {}; }
      }
    `, '/src/cats.controller.ts');
    checkInventory(ts`
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import { ConfigService } from '@nestjs/config';
      import { AppModule } from './app.module';
      async function bootstrap() {
        const app = await NestFactory.create(AppModule);
        app.setGlobalPrefix(app.get(ConfigService).get('API_PREFIX', 'v2'));
        await app.listen(3000);
      }
      bootstrap();
      //- /src/cats.controller.ts
      import { Controller, Post } from '@nestjs/common';
      @Controller('cats')
      export class CatsController {
        @Post()
      //^^^^^^^ POST /v2/cats none
        create() { return {}; }
      }
    `, '/src/cats.controller.ts');
  });

  it('each call of a router factory is its own router; what the factory registers hangs under every instance (hono-open-api-starter)', () => checkInventory(ts`
    //- /src/lib/create-app.ts
    import { OpenAPIHono } from '@hono/zod-openapi';
    import { prometheus } from '@hono/prometheus';
    export function createRouter() {
      const router = new OpenAPIHono({ strict: false });
      router.get('/ping', (c) => c.text('pong'));
      //     ^^^ GET /api/ping middleware
      //     ^^^ GET /api/tasks/ping middleware
      //     ^^^ GET /ping none
      return router;
    }
    export default function createApp() {
      const app = createRouter();
      app.use(prometheus().registerMetrics);
      return app;
    }
    //- /src/routes/tasks.routes.ts
    import { createRoute } from '@hono/zod-openapi';
    export const list = createRoute({ path: '/', method: 'get', responses: {} });
    export const getOne = createRoute({ path: '/{id}', method: 'get', responses: {} });
    //- /src/routes/tasks.index.ts
    import { createRouter } from '../lib/create-app';
    import * as routes from './tasks.routes';
    const router = createRouter()
      .openapi(routes.list, (c) => c.json([]))
    // ^^^^^^^ GET /api/tasks middleware
      .openapi(routes.getOne, (c) => c.json({}));
    // ^^^^^^^ GET /api/tasks/{id} middleware
    export default router;
    //- /src/routes/index.route.ts
    import { createRouter } from '../lib/create-app';
    const router = createRouter();
    router.get('/', (c) => c.json({ message: 'x' }));
    //     ^^^ GET /api middleware
    export default router;
    //- /src/app.ts
    import createApp from './lib/create-app';
    import index from './routes/index.route';
    import tasks from './routes/tasks.index';
    const app = createApp();
    const routes = [{ prefix: '/api', router: index }, { prefix: '/api/tasks', router: tasks }] as const;
    routes.forEach(({ prefix, router }) => {
      app.route(prefix, router);
    });
    export default app;
  `, '/src/routes/tasks.index.ts'));

  it('routers iterated in forEach/map callbacks are mounted (Hono route, Koa use(r.routes()))', () => checkInventory(ts`
    //- /src/hono.ts
    import { Hono } from 'hono';
    const a = new Hono();
    a.get('/x', (c) => c.text('x'));
    //^^^ GET /api/x none
    const b = new Hono().basePath('/b');
    b.post('/y', (c) => c.text('y'));
    //^^^^ POST /api/b/y none
    const app = new Hono();
    const routers = [a, b];
    routers.forEach((r) => app.route('/api', r));
    //- /src/koa.ts
    import Koa from 'koa';
    import Router from '@koa/router';
    const users = new Router({ prefix: '/users' });
    users.get('/', (ctx) => { ctx.body = []; });
    //    ^^^ GET /users none
    const health = new Router();
    health.get('/health', (ctx) => { ctx.body = 'ok'; });
    //     ^^^ GET /health none
    const koa = new Koa();
    [users, health].map((router) => koa.use(router.routes()).use(router.allowedMethods()));
    const cache = new Map([['a', 1]]);
    [cache].forEach((m) => m.get('/x'));
  `, '/src/hono.ts'));

  it('Nest app middleware imported through tsconfig baseUrl (src/middleware/prom) is express-prom-bundle, not a package of that name (quickstart-azure-containers)', () => checkInventory(ts`
    //- /tsconfig.json
    { "compilerOptions": { "baseUrl": "./", "experimentalDecorators": true } }
    //- /src/middleware/prom.ts
    import promBundle from 'express-prom-bundle';
    export const metricsMiddleware = promBundle({ includeMethod: true, includePath: true });
    //- /src/app.ts
    import { NestFactory } from '@nestjs/core';
    import { NestExpressApplication } from '@nestjs/platform-express';
    import { metricsMiddleware } from 'src/middleware/prom';
    import { AppModule } from './app.module';
    export async function bootstrap() {
      const app: NestExpressApplication = await NestFactory.create<NestExpressApplication>(AppModule);
      app.use(metricsMiddleware);
      app.setGlobalPrefix('api');
      return app;
    }
    //- /src/users.controller.ts
    import { Controller, Get } from '@nestjs/common';
    @Controller('users')
    export class UsersController {
      @Get()
    //^^^^^^ GET /api/users middleware
      findAll() { return []; }
    }
  `, '/src/users.controller.ts'));

  it('vendor OpenTelemetry distributions started in the process make routes auto (Azure Monitor)', () => checkInventory(ts`
    //- /src/instrumentation.ts
    import { useAzureMonitor } from '@azure/monitor-opentelemetry';
    if (process.env.APPLICATIONINSIGHTS_CONNECTION_STRING) useAzureMonitor();
    //- /src/main.ts
    import './instrumentation';
    import express from 'express';
    const app = express();
    app.get('/orders', (req, res) => res.json([]));
    //  ^^^ GET /orders auto
    app.listen(3000);
  `, '/src/main.ts'));
});
