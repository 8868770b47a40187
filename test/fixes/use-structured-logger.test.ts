import assert from 'node:assert/strict';
import path from 'node:path';
import { Analyzer } from '../../src/analysis/analyze';
import { fixAll } from '../../src/fixes/engine';
import { checkFix } from '../helpers/fixes';
import { parseAnnotated, removeProject, ts, writeProject } from '../helpers/annotated';
import { notApplicableReason, runFixedCode } from '../helpers/run-fixed';

const OBSERVABILITY_LOGGER = ts`
  /**
   * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
   * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
   */
  import { trace } from '@opentelemetry/api';
  import { pino } from 'pino';

  /** Structured JSON logs; every line logged inside a span carries its trace_id and span_id. */
  export const logger = pino({
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  });
`;

describe('fix use-structured-logger', () => {
  it('console.log in an Express handler: the observability module\'s pino logger, pino added to package.json', () => checkFix('use-structured-logger', ts`
    //- /src/index.ts
    import express from 'express';
    const app = express();
    app.get('/orders/:id', (req, res) => {
      $0console.log('loading order', req.params.id);
      res.end();
    });
    //- /package.json
    {
      "name": "shop",
      "dependencies": {
        "express": "^5.0.0"
      }
    }
  `, ts`
    //- /src/index.ts
    import express from 'express';
    import { logger } from './observability';
    const app = express();
    app.get('/orders/:id', (req, res) => {
      logger.info({ id: req.params.id }, 'loading order');
      res.end();
    });
    //- /package.json
    {
      "name": "shop",
      "dependencies": {
        "@opentelemetry/api": "^1.9.0",
        "pino": "^10.4.0",
        "express": "^5.0.0"
      }
    }
  ` + '//- /src/observability.ts\n' + OBSERVABILITY_LOGGER));

  it('an interpolated pino message becomes fields and a constant message', () => checkFix('use-structured-logger', ts`
    import express from 'express';
    import pino from 'pino';
    const logger = pino();
    const app = express();
    app.post('/orders/:id/pay', (req, res) => {
      logger.info($0\`order \${req.params.id} paid by \${req.query.user}\`);
      res.end();
    });
  `, ts`
    import express from 'express';
    import pino from 'pino';
    const logger = pino();
    const app = express();
    app.post('/orders/:id/pay', (req, res) => {
      logger.info({ id: req.params.id, user: req.query.user }, 'order paid');
      res.end();
    });
  `));

  it('CommonJS, double quotes, no semicolons: console.error with the caught error logs it as err', () => checkFix('use-structured-logger', ts`
    //- /src/app.js
    const express = require("express")
    const app = express()
    app.post("/charge", async (req, res) => {
      try {
        await charge(req.body.amount)
      } catch (err) {
        $0console.error("charge failed:", err)
      }
      res.end()
    })
    async function charge(amount) { return amount }
    module.exports = app
  `, ts`
    //- /src/app.js
    const express = require("express")
    const { logger } = require("./observability")
    const app = express()
    app.post("/charge", async (req, res) => {
      try {
        await charge(req.body.amount)
      } catch (err) {
        logger.error({ err }, "charge failed")
      }
      res.end()
    })
    async function charge(amount) { return amount }
    module.exports = app
    //- /src/observability.js
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    const { trace } = require('@opentelemetry/api');
    const { pino } = require('pino');

    /** Structured JSON logs; every line logged inside a span carries its trace_id and span_id. */
    const logger = exports.logger = pino({
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    });
  `, '/src/app.js'));

  it('reuses the project\'s exported pino logger; a concatenation in a cron job', () => checkFix('use-structured-logger', ts`
    //- /src/log.ts
    import pino from 'pino';
    export const log = pino({ level: 'info' });
    //- /src/jobs.ts
    import cron from 'node-cron';
    cron.schedule('0 * * * *', async () => {
      const removed = await cleanup();
      $0console.info('cleanup removed ' + removed + ' rows');
    });
    async function cleanup() { return 3; }
  `, ts`
    //- /src/jobs.ts
    import cron from 'node-cron';
    import { log } from './log';
    cron.schedule('0 * * * *', async () => {
      const removed = await cleanup();
      log.info({ removed }, 'cleanup removed rows');
    });
    async function cleanup() { return 3; }
  `));

  it('winston keeps its (message, meta) order; a template without constant text gives fields only', () => {
    checkFix('use-structured-logger', ts`
      import Fastify from 'fastify';
      import winston from 'winston';
      const log = winston.createLogger({});
      const app = Fastify();
      app.get('/health', async () => {
        log.warn($0\`health checked at \${Date.now()}\`);
        return 'ok';
      });
    `, ts`
      import Fastify from 'fastify';
      import winston from 'winston';
      const log = winston.createLogger({});
      const app = Fastify();
      app.get('/health', async () => {
        log.warn('health checked', { now: Date.now() });
        return 'ok';
      });
    `);
    checkFix('use-structured-logger', ts`
      import Koa from 'koa';
      import pino from 'pino';
      export const logger = pino();
      const app = new Koa();
      app.use(async (ctx, next) => {
        await next();
        $0console.log(\`\${ctx.method} \${ctx.path} \${ctx.status}\`);
      });
    `, ts`
      import Koa from 'koa';
      import pino from 'pino';
      export const logger = pino();
      const app = new Koa();
      app.use(async (ctx, next) => {
        await next();
        logger.info({ method: ctx.method, path: ctx.path, status: ctx.status });
      });
    `);
  });

  it('not applicable: a Nest Logger (its own field convention), a name clash with a non-pino logger', () => {
    assert.match(notApplicableReason('use-structured-logger', ts`
      import { Injectable, Logger } from '@nestjs/common';
      @Injectable()
      export class OrdersService {
        private readonly logger = new Logger(OrdersService.name);
        process(id: string) {
          this.logger.log($0'Processing order ' + id);
        }
      }
    `), /field convention is not known/);
    assert.match(notApplicableReason('use-structured-logger', ts`
      import express from 'express';
      const logger = { audit: (m: string) => m };
      const app = express();
      app.get('/x', (req, res) => { $0console.log('hit', req.path); logger.audit('x'); res.end(); });
    `), /'logger' is already defined in src\/index.ts and is not a pino logger/);
  });

  it('fix all in one file: every console call is rewritten though each fix moves the lines after it (a call moving into a fixed one\'s place too); console.log() goes', () => {
    const { files } = parseAnnotated(ts`
      import express from 'express';
      export const app = express();
      app.get('/a/:id', (req, res) => {
        console.log();
        console.log('loading', req.params.id);
        console.warn('loaded %s items', req.params.id);
        console.error(\`unknown kind \${req.query.kind}\`);
        res.end();
      });
    `);
    const dir = writeProject(files);
    try {
      const result = fixAll(Analyzer.load(dir), { rules: ['unstructured-log'], dryRun: true });
      assert.deepEqual(result.failed, []);
      assert.equal(result.applied.length, 4);
      assert.deepEqual(result.remaining.filter((f) => f.rule === 'unstructured-log'), []);
      assert.equal([...result.changes.values()].find((c) => c.after.includes('express'))?.after, ts`
        import express from 'express';
        import { logger } from './observability';
        export const app = express();
        app.get('/a/:id', (req, res) => {
          logger.info({ id: req.params.id }, 'loading');
          logger.warn({ id: req.params.id }, 'loaded items');
          logger.error({ kind: req.query.kind }, 'unknown kind');
          res.end();
        });
      `);
    } finally {
      removeProject(dir);
    }
    // the next call takes the removed one's place (same line, column and message): still fixed
    const dir2 = writeProject(parseAnnotated(ts`
      import express from 'express';
      export const app = express();
      app.get('/a/:id', (req, res) => {
        console.log();
        console.log('loading', req.params.id);
        res.end();
      });
    `).files);
    try {
      const result = fixAll(Analyzer.load(dir2), { rules: ['unstructured-log'], dryRun: true });
      assert.equal(result.applied.length, 2);
      assert.deepEqual(result.remaining.filter((f) => f.rule === 'unstructured-log'), []);
    } finally {
      removeProject(dir2);
    }
  });

  it('real run (fix all): the fixed code writes JSON lines with the fields, the constant message, the level and the error', () => {
    const { files } = parseAnnotated(ts`
      //- /src/handlers.ts
      import express from 'express';
      export const app = express();
      export function onLogin(id: string, attempts: number) {
        console.log(\`user \${id} logged in after \${attempts} attempts\`);
      }
      //- /src/billing.ts
      import express from 'express';
      export const billing = express.Router();
      export function onFailure(err: Error) {
        console.error('charge failed', err);
      }
      //- /package.json
      { "name": "svc", "dependencies": { "express": "^5.0.0" } }
    `);
    const dir = writeProject(files);
    try {
      const result = fixAll(Analyzer.load(dir), { rules: ['unstructured-log'], dryRun: true });
      assert.deepEqual(result.applied.map((a) => a.fix), ['use-structured-logger', 'use-structured-logger']);
      const after: Record<string, string> = {};
      for (const [abs, c] of result.changes) after['/' + path.relative(dir, abs)] = c.after;
      // the dependencies are added once, though two fixes needed them before anything was written
      assert.deepEqual(Object.keys(JSON.parse(after['/package.json']).dependencies).sort(), ['@opentelemetry/api', 'express', 'pino']);
      assert.equal(after['/package.json'].match(/"pino"/g)?.length, 1);
      const handlers = after['/src/handlers.ts'];
      assert.equal(handlers.match(/import \{ logger \} from '\.\/observability';/g)?.length, 1, handlers);
      assert.match(handlers, /logger\.info\(\{ id, attempts \}, 'user logged in after attempts'\);/);
      assert.match(after['/src/billing.ts'], /logger\.error\(\{ err \}, 'charge failed'\);/);
      const out = runFixedCode(after, { name: '/main.ts', code: `import { onLogin } from './src/handlers';\nimport { onFailure } from './src/billing';\nonLogin('u-7', 3);\nonFailure(new Error('card declined'));\n` });
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.json.length, 2, out.stdout);
      const [login, failure] = out.json;
      assert.equal(login.level, 30);
      assert.equal(login.msg, 'user logged in after attempts');
      assert.equal(login.id, 'u-7');
      assert.equal(login.attempts, 3);
      assert.equal(failure.level, 50);
      assert.equal(failure.msg, 'charge failed');
      const err = failure.err as Record<string, unknown>;
      assert.equal(err.type, 'Error');
      assert.equal(err.message, 'card declined');
      assert.match(String(err.stack), /card declined/);
    } finally {
      removeProject(dir);
    }
  });
});
