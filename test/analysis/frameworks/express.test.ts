import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('express recognizer', () => {
  it('app routes with every method, path arrays and regexes', () => checkInventory(ts`
    import express from 'express';
    const app = express();
    app.get('/orders/:id', (req, res) => res.json({}));
    //  ^^^ GET /orders/:id none
    app.post(['/a', '/b'], auth, (req, res) => res.end());
    //  ^^^^ POST /a none
    //  ^^^^ POST /b none
    app.all('/any', (req, res) => res.end());
    //  ^^^ ANY /any none
    app.delete(/^\/regex$/, (req, res) => res.end());
    //  ^^^^^^ DELETE /^\/regex$/ none
  `));

  it('app.route chains give one entry per method', () => checkInventory(ts`
    const express = require('express');
    const app = express();
    app.route('/book').get((req, res) => res.send('a')).put((req, res) => res.send('b'));
    //                 ^^^ GET /book none
    //                                                  ^^^ PUT /book none
  `));

  it('composes mount prefixes across files (default, named, factory exports)', () => checkInventory(ts`
    //- /src/app.ts
    import express from 'express';
    import users from './users';
    import { makeOrders } from './orders';
    const app = express();
    app.use('/api/users', users);
    app.use('/api', makeOrders());
    //- /src/users.ts
    import { Router } from 'express';
    const router = Router();
    router.get('/:id', (req, res) => res.json({}));
    //     ^^^ GET /api/users/:id none
    export default router;
    //- /src/orders.ts
    import express from 'express';
    export function makeOrders() {
      const r = express.Router();
      r.get('/orders', (req, res) => res.json([]));
      //^^^ GET /api/orders none
      return r;
    }
  `, '/src/app.ts'));

  it('nested routers and CommonJS module.exports', () => checkInventory(ts`
    //- /src/app.js
    const express = require('express');
    const app = express();
    app.use('/v1', require('./v1'));
    //- /src/v1.js
    const router = require('express').Router();
    const admin = require('./admin');
    router.use('/admin', admin);
    module.exports = router;
    //- /src/admin.js
    const { Router } = require('express');
    const r = Router();
    r.patch('/users/:id', function (req, res) { res.end(); });
    //^^^^^ PATCH /v1/admin/users/:id none
    module.exports = r;
  `, '/src/app.js'));

  it('functions receiving the app register routes on it', () => checkInventory(ts`
    //- /src/app.ts
    import express from 'express';
    import { registerRoutes } from './routes';
    const app = express();
    registerRoutes(app);
    //- /src/routes.ts
    import type { Express } from 'express';
    export function registerRoutes(app: Express) {
      app.get('/ping', (_req, res) => res.send('pong'));
      //  ^^^ GET /ping none
    }
  `, '/src/app.ts'));

  it('coverage: handler metrics, helpers, and middleware registered before', () => checkInventory(ts`
    import express from 'express';
    import { Counter, Histogram } from 'prom-client';
    const hits = new Counter({ name: 'hits_total', help: 'h' });
    const dur = new Histogram({ name: 'http_request_duration_seconds', help: 'd', labelNames: ['route'] });
    function track() { hits.inc(); }
    const app = express();
    app.get('/a', (req, res) => { hits.inc(); res.end(); });
    //  ^^^ GET /a handler
    app.get('/b', (req, res) => { track(); res.end(); });
    //  ^^^ GET /b handler
    app.get('/before', (req, res) => res.end());
    //  ^^^ GET /before none
    app.use((req, res, next) => { const end = dur.startTimer(); res.on('finish', () => end({ route: req.route?.path })); next(); });
    app.get('/after', (req, res) => res.end());
    //  ^^^ GET /after middleware
  `));

  it('auto-instrumentation covers what nothing else does', () => checkInventory(ts`
    //- /src/tracing.ts
    import { NodeSDK } from '@opentelemetry/sdk-node';
    import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
    new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();
    //- /src/app.ts
    import './tracing';
    import express from 'express';
    const app = express();
    app.get('/x', (req, res) => res.end());
    //  ^^^ GET /x auto
  `));

  it('look-alikes are not routes', () => checkInventory(ts`
    import express from 'express';
    import axios from 'axios';
    import request from 'supertest';
    const app = express();
    const m = new Map<string, string>();
    m.get('/orders');
    new URLSearchParams('a=1').get('a');
    axios.get('/api/users');
    request(app).get('/api/users').expect(200);
    app.get('title');
    const router = { get: (p: string, h: () => void) => h() };
    router.get('/x', () => {});
  `));
});
