import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('node:http recognizer', () => {
  it('createServer from http, node:http, https, http2 in every import style', () => checkInventory(ts`
    //- /src/a.ts
    import http from 'http';
    http.createServer((req, res) => res.end('a')).listen(3000);
    //   ^^^^^^^^^^^^ ANY /* none
    //- /src/b.ts
    import { createServer } from 'node:http';
    const server = createServer(function (req, res) { res.end(); });
    //             ^^^^^^^^^^^^ ANY /* none
    server.listen(3001);
    //- /src/c.js
    const https = require('https');
    const fs = require('fs');
    https.createServer({ key: fs.readFileSync('k') }, (req, res) => res.end()).listen(443);
    //    ^^^^^^^^^^^^ ANY /* none
    //- /src/d.ts
    import * as http2 from 'node:http2';
    const opts = { allowHTTP1: true };
    http2.createSecureServer(opts, onRequest);
    //    ^^^^^^^^^^^^^^^^^^ ANY /* none
    function onRequest(req: unknown, res: { end(): void }) { res.end(); }
  `));

  it('a handler defined elsewhere (same file, other file) is followed for coverage', () => checkInventory(ts`
    //- /src/server.ts
    import { createServer } from 'node:https';
    import { handle } from './handler';
    import { readFileSync } from 'node:fs';
    const options = { cert: readFileSync('c'), key: readFileSync('k') };
    export const server = createServer(options, handle).listen(8443);
    //                    ^^^^^^^^^^^^ ANY /* handler
    //- /src/handler.ts
    import type { IncomingMessage, ServerResponse } from 'node:http';
    import { Counter } from 'prom-client';
    const requests = new Counter({ name: 'http_requests_total', help: 'requests' });
    export function handle(req: IncomingMessage, res: ServerResponse) {
      requests.inc();
      res.end('ok');
    }
  `, '/src/server.ts'));

  it('createServer() without a handler counts when a request listener is attached', () => checkInventory(ts`
    //- /src/a.ts
    import http from 'node:http';
    import { trace } from '@opentelemetry/api';
    const server = http.createServer();
    //                  ^^^^^^^^^^^^ ANY /* handler
    server.on('request', (req, res) => {
      trace.getTracer('app').startActiveSpan('request', (span) => { res.end(); span.end(); });
    });
    server.listen(8080);
    //- /src/b.ts
    import { createServer } from 'http';
    void createServer().on('request', (req, res) => res.end()).listen(8081);
    //   ^^^^^^^^^^^^ ANY /* none
    //- /src/shared-server.ts
    import { createServer } from 'node:http';
    export const shared = createServer();
    //                    ^^^^^^^^^^^^ ANY /* handler
    //- /src/listen.ts
    import { shared } from './shared-server';
    import { metrics } from '@opentelemetry/api';
    const hits = metrics.getMeter('app').createCounter('hits');
    shared.on('request', (req, res) => { hits.add(1); res.end(); });
    //- /src/ws.ts
    import http from 'http';
    import { WebSocketServer } from 'ws';
    const server = http.createServer();
    new WebSocketServer({ server });
    server.on('upgrade', () => {});
    server.listen(8082);
  `));

  it('servers wrapping an app of another recognized framework are not counted again', () => checkInventory(ts`
    //- /src/app.ts
    import express from 'express';
    const app = express();
    app.get('/health', (req, res) => res.send('ok'));
    //  ^^^ GET /health none
    export default app;
    //- /src/server.ts
    import http from 'http';
    import app from './app';
    http.createServer(app).listen(3000);
    //- /src/koa.ts
    import Koa from 'koa';
    import { createServer } from 'node:http';
    const k = new Koa();
    createServer(k.callback()).listen(3001);
    //- /src/typed.ts
    import https from 'https';
    import type { Express } from 'express';
    export function start(app: Express, opts: object) {
      return https.createServer(opts, app).listen(443);
    }
    //- /src/fastify.ts
    import Fastify from 'fastify';
    import http from 'node:http';
    const fastify = Fastify();
    http.createServer(async (req, res) => { await fastify.ready(); fastify.server.emit('request', req, res); }).listen(3002);
  `, '/src/app.ts'));

  it('a Next.js custom server delegating to the Next request handler is not a route', () => checkInventory(ts`
    //- /server.js
    const { createServer } = require('http');
    const { parse } = require('url');
    const next = require('next');
    const app = next({ dev: process.env.NODE_ENV !== 'production' });
    const handle = app.getRequestHandler();
    app.prepare().then(() => {
      createServer((req, res) => {
        const parsedUrl = parse(req.url, true);
        handle(req, res, parsedUrl);
      }).listen(3000);
    });
  `, '/server.js'));

  it('a CommonJS app required from another file is followed (express-generator style)', () => checkInventory(ts`
    //- /src/app.js
    const express = require('express');
    const app = express();
    module.exports = app;
    //- /src/www.js
    const http = require('http');
    const app = require('./app');
    const server = http.createServer(app);
    server.listen(process.env.PORT || 3000);
  `, '/src/www.js'));

  it('a server handler wrapped by a project helper that records a metric is covered', () => checkInventory(ts`
    import http from 'node:http';
    import { Histogram } from 'prom-client';
    const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'd' });
    function withMetrics(h: http.RequestListener): http.RequestListener {
      return (req, res) => { const end = duration.startTimer(); res.on('finish', () => end()); h(req, res); };
    }
    http.createServer(withMetrics((req, res) => res.end())).listen(1);
    //   ^^^^^^^^^^^^ ANY /* handler
  `));

  it('look-alikes: createServer of other packages, net, vite, proxies, local functions', () => checkInventory(ts`
    import net from 'node:net';
    import { createServer as createViteServer } from 'vite';
    import httpProxy from 'http-proxy';
    import tls from 'tls';
    net.createServer((socket) => socket.end()).listen(1);
    tls.createServer({}, (socket) => socket.end());
    createViteServer({ server: { middlewareMode: true } });
    httpProxy.createServer({ target: 'http://localhost:9000' }).listen(8000);
    const local = { createServer: (h: () => void) => h };
    local.createServer(() => {});
    function createServer(h: () => void) { return h; }
    createServer(() => {});
  `));
});
