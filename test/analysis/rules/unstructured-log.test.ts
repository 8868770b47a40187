import rule from '../../../src/analysis/rules/unstructured-log';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule unstructured-log', () => {
  it('reports console calls and interpolated messages in server and job code', () => checkRule(rule, {
    invalid: [
      // console in an Express handler
      ts`
        import express from 'express';
        const app = express();
        app.get('/orders/:id', (req, res) => {
          console.log('loading order', req.params.id);
        //^^^^^^^^^^^ console.log writes unstructured text in server code
          res.end();
        });
      `,
      // pino with a template message and no fields
      ts`
        import express from 'express';
        import pino from 'pino';
        const logger = pino();
        const app = express();
        app.post('/orders/:id/pay', (req, res) => {
          logger.info(\`order \${req.params.id} paid by \${req.query.user}\`);
          //          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Log message of logger.info interpolates req.params.id, req.query.user instead of passing them as fields
          res.end();
        });
      `,
      // a service reached from a route file: not importing any framework itself
      ts`
        //- /src/routes.ts
        import { Router } from 'express';
        import { charge } from './billing/charge';
        export const router = Router();
        router.post('/charge', async (req, res) => { await charge(req.body.amount); res.end(); });
        //- /src/billing/charge.ts
        import { gateway } from './gateway';
        export async function charge(amount: number) {
          try { await gateway(amount); } catch (err) {
            console.error('charge failed', err);
          //^^^^^^^^^^^^^ console.error writes unstructured text in server code
          }
        }
        //- /src/billing/gateway.ts
        export async function gateway(amount: number) {
          if (amount < 0) console.warn('negative amount');
          //              ^^^^^^^^^^^^ console.warn writes unstructured text in server code
        }
      `,
      // job code: a node-cron schedule
      ts`
        import cron from 'node-cron';
        cron.schedule('0 * * * *', async () => {
          const removed = await cleanup();
          console.info('cleanup removed ' + removed + ' rows');
        //^^^^^^^^^^^^ console.info writes unstructured text in server code
        });
        async function cleanup() { return 3; }
      `,
      // Nest Logger with a concatenation; winston in a Fastify app
      ts`
        //- /src/orders.service.ts
        import { Injectable, Logger } from '@nestjs/common';
        @Injectable()
        export class OrdersService {
          private readonly logger = new Logger(OrdersService.name);
          process(id: string) {
            this.logger.log('Processing order ' + id);
            //              ^^^^^^^^^^^^^^^^^^^^^^^^ Log message of this.logger.log interpolates id instead of passing it as a field
            try { return id; } catch (err) {
              this.logger.error(\`Order \${id} failed\`, (err as Error).stack);
              //                ^^^^^^^^^^^^^^^^^^^^ Log message of this.logger.error interpolates id instead of passing it as a field
            }
          }
        }
        //- /src/server.ts
        import Fastify from 'fastify';
        import winston from 'winston';
        const log = winston.createLogger({});
        const app = Fastify();
        app.get('/health', async () => {
          log.warn(\`health checked at \${Date.now()}\`);
          //       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Log message of log.warn interpolates Date.now() instead of passing it as a field
          return 'ok';
        });
      `,
      // Koa middleware, CommonJS
      ts`
        //- /src/app.js
        const Koa = require('koa');
        const app = new Koa();
        app.use(async (ctx, next) => {
          await next();
          console.log(\`\${ctx.method} \${ctx.path} \${ctx.status}\`);
        //^^^^^^^^^^^ console.log writes unstructured text in server code
        });
        module.exports = app;
      `,
    ],
    valid: [
      // CLIs and scripts: a shebang, commander, a scripts/ folder
      ts`
        //- /src/cli.ts
        #!/usr/bin/env node
        import { Command } from 'commander';
        const program = new Command();
        program.action(() => console.log('done'));
        //- /scripts/seed.ts
        import express from 'express';
        console.log('seeding', express.name);
      `,
      // browser code: a React component, 'use client'
      ts`
        //- /src/components/Button.tsx
        import React from 'react';
        export function Button() { console.log('render'); return null; }
        //- /src/app/widget.ts
        'use client';
        import { helper } from '../shared';
        console.log('widget', helper);
        //- /src/shared.ts
        export const helper = 1;
      `,
      // a logger's own implementation: JSON lines, level methods in logger.ts
      ts`
        //- /src/app.ts
        import express from 'express';
        import { logger } from './logger';
        import { audit } from './audit';
        const app = express();
        app.get('/x', (req, res) => { logger.info('hit', { path: req.path }); audit('x'); res.end(); });
        //- /src/logger.ts
        export const logger = {
          info(msg: string, fields: object) { console.log(\`\${new Date().toISOString()} \${msg}\`, fields); },
        };
        //- /src/audit.ts
        export function audit(what: string) { console.log(JSON.stringify({ level: 'info', msg: 'audit', what })); }
      `,
      // structured calls: fields next to an interpolated message, constant templates, printf style
      ts`
        import express from 'express';
        import pino from 'pino';
        const logger = pino();
        const SERVICE = 'orders';
        const app = express();
        app.get('/orders/:id', (req, res) => {
          logger.info({ orderId: req.params.id }, \`order \${req.params.id} loaded\`);
          logger.info(\`\${SERVICE} ready\`);
          logger.info('order %s loaded', req.params.id);
          logger.error(new Error('x'), 'failed ' + req.params.id);
          res.end();
        });
      `,
      // start-up lines interpolating configuration
      ts`
        import express from 'express';
        import pino from 'pino';
        import { env } from './env';
        const logger = pino();
        const PORT = Number(process.env.PORT ?? 3000);
        const app = express();
        app.listen(PORT, () => {
          logger.info(\`listening on http://\${env.HOST}:\${PORT} (\${process.env.NODE_ENV})\`);
          logger.info('server started at ' + env.baseUrl);
        });
      `,
      // Nest's start-up line with the server URL (quickstart-azure-containers)
      ts`
        import { Logger } from '@nestjs/common';
        import { NestFactory } from '@nestjs/core';
        import { AppModule } from './app.module';
        const logger = new Logger('NestApplication');
        NestFactory.create(AppModule).then(async (app) => {
          await app.listen(3000);
          logger.log(\`Listening on \${await app.getUrl()}\`);
        });
      `,
      // a utility that no server code imports, importing no framework
      ts`
        //- /src/util/report.ts
        export function printReport(rows: string[]) { for (const r of rows) console.log(r); }
        //- /src/app.ts
        import express from 'express';
        export const app = express();
      `,
      // look-alikes: a shadowed console, a non-logger log object
      ts`
        import express from 'express';
        const app = express();
        const console = { log: (..._a: unknown[]) => undefined };
        const log = { info: (m: string) => m };
        app.get('/x', (req, res) => { console.log('x'); log.info(\`path \${req.path}\`); res.end(); });
      `,
    ],
  }));
});
