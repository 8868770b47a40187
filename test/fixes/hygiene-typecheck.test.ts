/**
 * The hygiene fixes' output type-checks with the real library types (express, fastify, koa, hono,
 * prom-client, pino, @opentelemetry/api): each case is fixed in its own folder of one project under
 * test/.tmp, and one strict `tsc --noEmit` checks them all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ts, removeProject } from '../helpers/annotated';
import { runFix } from '../helpers/fixes';

const ROOT = path.resolve(__dirname, '../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

const CASES: Array<[fix: string, before: string]> = [
  ['use-route-template-label', ts`
    import express from 'express';
    import { Histogram } from 'prom-client';
    const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route'] as const });
    export const app = express();
    app.use((req, res, next) => {
      const end = duration.startTimer({ method: req.method });
      res.on('finish', () => end({ route: $0req.originalUrl }));
      next();
    });
  `],
  ['use-route-template-label', ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['method', 'path'] as const });
    export const app = express();
    app.get('/orders/:id', (req, res) => {
      hits.labels(req.method, $0req.path.toLowerCase()).inc();
      res.end();
    });
  `],
  ['use-route-template-label', ts`
    import Fastify from 'fastify';
    import { Counter } from 'prom-client';
    const requests = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['route', 'status_code'] as const });
    export const app = Fastify();
    app.addHook('onResponse', async (request, reply) => {
      requests.labels($0request.url, String(reply.statusCode)).inc();
    });
  `],
  ['use-route-template-label', ts`
    import Koa from 'koa';
    import { Counter } from 'prom-client';
    const requests = new Counter({ name: 'requests_total', help: 'Requests', labelNames: ['route'] as const });
    export const app = new Koa();
    app.use(async (ctx, next) => {
      await next();
      requests.labels($0ctx.path).inc();
    });
  `],
  ['use-route-template-label', ts`
    import { Hono } from 'hono';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['route'] as const });
    export const app = new Hono();
    app.use(async (c, next) => {
      await next();
      hits.inc({ route: $0c.req.path });
    });
  `],
  ['drop-label', ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'hits_total', help: 'Hits', labelNames: ['method', 'user_id'] as const });
    export const app = express();
    app.get('/me', (req, res) => {
      hits.inc({ method: req.method, user_id: $0String(req.query.user) });
      hits.labels(req.method, String(req.query.user)).inc();
      res.end();
    });
  `],
  ['end-span-in-finally', ts`
    import { trace } from '@opentelemetry/api';
    const tracer = trace.getTracer('svc');
    export async function load(id: string, find: (id: string) => Promise<string>): Promise<string | null> {
      const span = tracer.$0startSpan('load');
      if (!id) return null;
      const row = await find(id);
      span.end();
      return row;
    }
  `],
  ['end-span-in-finally', ts`
    import { trace } from '@opentelemetry/api';
    const tracer = trace.getTracer('svc');
    export function run(job: () => Promise<number>): Promise<number> {
      return tracer.$0startActiveSpan('run', async () => job());
    }
  `],
  ['hoist-metric-to-module', ts`
    import express from 'express';
    import { Counter } from 'prom-client';
    export const app = express();
    app.post('/orders', (req, res) => {
      const created = new $0Counter({ name: 'orders_created_total', help: 'Orders', labelNames: ['channel'] as const });
      created.inc({ channel: 'web' });
      res.end();
    });
  `],
  ['use-structured-logger', ts`
    import express from 'express';
    export const app = express();
    app.get('/orders/:id', (req, res) => {
      $0console.log(\`order \${req.params.id} loaded for \${req.query.user}\`);
      res.end();
    });
  `],
  ['log-swallowed-error', ts`
    export async function notify(send: () => Promise<void>): Promise<void> {
      try { await send(); } $0catch {}
      await send().catch(() => undefined);
    }
  `],
  ['redact-log-field', ts`
    import pino from 'pino';
    const logger = pino();
    export function login(body: { user: string; password: string }) {
      logger.info({ user: body.user, $0password: body.password }, 'login');
    }
  `],
];

describe('hygiene fixes: the fixed code type-checks with the real library types', function () {
  this.timeout(120_000);
  it(`${CASES.length} fixed cases pass strict tsc --noEmit`, () => {
    fs.mkdirSync(path.join(ROOT, 'test/.tmp'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, 'test/.tmp/hygiene-tsc-'));
    try {
      CASES.forEach(([fix, before], i) => {
        const run = runFix(fix, before);
        try {
          const changed = Object.entries(run.after).filter(([name, text]) => text !== run.files[name]);
          assert.ok(changed.length, `case ${i + 1} (${fix}) changed nothing`);
          for (const [name, text] of Object.entries(run.after)) {
            const abs = path.join(dir, `case${i + 1}`, name);
            fs.mkdirSync(path.dirname(abs), { recursive: true });
            fs.writeFileSync(abs, text);
          }
        } finally {
          removeProject(run.dir);
        }
      });
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, skipLibCheck: true, types: ['node'], noEmit: true },
        include: ['case*/**/*.ts'],
      }));
      const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 100_000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
