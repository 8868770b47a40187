import { ts } from '../helpers/annotated';
import { checkFix, checkFixNotApplicable } from '../helpers/fixes';

describe('fix add-job-instrumentation', () => {
  it("node-cron inline handler, no module yet: the module is created, a rowCount local is counted, the process gets a metrics server", () => checkFix('add-job-instrumentation', ts`
    //- /src/jobs/cleanup.ts
    import cron from 'node-cron';
    import { db } from '../db';

    // nightly cleanup
    cron.$0schedule('0 3 * * *', async () => {
      const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at < now()');
      if (rowCount === 0) return;
    }, { name: 'session-cleanup' });
    //- /src/db.ts
    export const db = { query: async (_sql: string) => ({ rowCount: 3 as number | null }) };
    //- /package.json
    {
      "name": "billing-worker",
      "dependencies": {
        "node-cron": "^3.0.3"
      }
    }
  `, ts`
    //- /src/jobs/cleanup.ts
    import cron from 'node-cron';
    import { db } from '../db';
    import '../metrics-server';
    import { runJob, rowsProcessedTotal } from '../observability';

    // nightly cleanup
    cron.schedule('0 3 * * *', async () => {
      return runJob('session-cleanup', async () => {
        const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at < now()');
        rowsProcessedTotal.inc({ job: 'session-cleanup' }, rowCount ?? 0);
        if (rowCount === 0) return;
      });
    }, { name: 'session-cleanup' });
    //- /package.json
    {
      "name": "billing-worker",
      "dependencies": {
        "@opentelemetry/api": "^1.9.0",
        "pino": "^10.4.0",
        "prom-client": "^15.1.3",
        "node-cron": "^3.0.3"
      }
    }
    //- /src/metrics-server.ts
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    import { startMetricsServer } from './observability';

    startMetricsServer();
    //- /src/observability.ts
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    import { SpanStatusCode, trace } from '@opentelemetry/api';
    import { createServer } from 'node:http';
    import { pino } from 'pino';
    import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';

    /** The Prometheus registry every metric below is registered in (prom-client's default). */
    export const registry = register;

    /** Batch jobs: runs by job and outcome (status="ok" | "error"). */
    export const jobRunsTotal = new Counter({
      name: 'job_runs_total',
      help: 'Job runs by outcome',
      labelNames: ['job', 'status'] as const,
    });

    /** Batch jobs: run duration (alert on the p95). */
    export const jobDurationSeconds = new Histogram({
      name: 'job_duration_seconds',
      help: 'Job run duration in seconds',
      labelNames: ['job'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    });

    /** Batch jobs: rows (items, records) processed. */
    export const rowsProcessedTotal = new Counter({
      name: 'rows_processed_total',
      help: 'Rows processed by jobs',
      labelNames: ['job'] as const,
    });

    /** Spans go through the global tracer provider (a no-op until an OpenTelemetry SDK is registered). */
    export const tracer = trace.getTracer('billing-worker');

    /** Structured JSON logs; every line logged inside a span carries its trace_id and span_id. */
    export const logger = pino({
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    });

    /**
     * Runs one job the way the batch checklist wants it observed: job_runs_total{job,status},
     * job_duration_seconds{job}, a span around the run and one structured log line per run (trace_id,
     * duration, outcome); a failure is recorded on the span, logged and rethrown. With countRows, a
     * returned number, array or { rowCount } is added to rows_processed_total{job}.
     */
    export function runJob<T>(job: string, fn: () => T, options: { countRows?: boolean } = {}): T {
      return tracer.startActiveSpan(\`job \${job}\`, { attributes: { 'job.name': job } }, (span) => {
        const stopTimer = jobDurationSeconds.startTimer({ job });
        const finish = (failed: boolean, outcome: unknown): void => {
          const duration_seconds = stopTimer();
          const status = failed ? 'error' : 'ok';
          jobRunsTotal.inc({ job, status });
          const rows = failed || !options.countRows ? undefined : rowCountOf(outcome);
          if (rows !== undefined) rowsProcessedTotal.inc({ job }, rows);
          if (failed) {
            span.recordException(outcome instanceof Error ? outcome : String(outcome));
            span.setStatus({ code: SpanStatusCode.ERROR });
            logger.error({ job, status, duration_seconds, err: outcome }, 'job failed');
          } else {
            logger.info({ job, status, duration_seconds, rows }, 'job finished');
          }
          span.end();
        };
        let result: T;
        try {
          result = fn();
        } catch (error) {
          finish(true, error);
          throw error;
        }
        if (typeof (result as { then?: unknown } | null)?.then === 'function') {
          return Promise.resolve(result).then(
            (value) => { finish(false, value); return value; },
            (error: unknown) => { finish(true, error); throw error; },
          ) as T;
        }
        finish(false, result);
        return result;
      });
    }

    /** A count a job returned: a number, an array's length or a query result's rowCount. */
    function rowCountOf(value: unknown): number | undefined {
      if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
      if (Array.isArray(value)) return value.length;
      const rowCount = (value as { rowCount?: unknown } | null | undefined)?.rowCount;
      return typeof rowCount === 'number' && rowCount >= 0 ? rowCount : undefined;
    }

    let metricsServer: ReturnType<typeof createServer> | undefined;

    /**
     * Serves the registry at /metrics on METRICS_PORT (default 9464; METRICS_HOST to bind one interface)
     * for processes without an HTTP app — workers, schedulers, scripts — with Node's default process
     * metrics. Idempotent, and it never keeps the process alive on its own.
     */
    export function startMetricsServer(port = Number(process.env.METRICS_PORT ?? 9464), host = process.env.METRICS_HOST): ReturnType<typeof createServer> {
      if (metricsServer) return metricsServer;
      if (!registry.getSingleMetric('process_cpu_user_seconds_total')) {
        collectDefaultMetrics({ register: registry });
        // gauges named like counters: Prometheus' linter (promtool check metrics) rejects them
        for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
      }
      // telltale-ignore-next-line uninstrumented-route -- the metrics endpoint itself
      const server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
          (error: unknown) => res.writeHead(500).end(String(error)),
        );
      });
      server.on('error', (error) => logger.error({ err: error, port }, 'metrics server failed'));
      server.listen(port, host, () => {
        const address = server.address();
        logger.info({ port: typeof address === 'object' && address ? address.port : port }, 'metrics server listening');
      });
      server.unref();
      metricsServer = server;
      return server;
    }
  `));

  it("BullMQ Worker processor returning an array: countRows, existing module reused", () => checkFix('add-job-instrumentation', ts`
    //- /src/workers/email.ts
    import { Worker } from 'bullmq';
    import { sendAll } from '../mail';

    export const worker = $0new Worker('emails', async (job) => {
      const sent = await sendAll(job.data.recipients);
      return sent.filter((r) => r.ok);
    }, { connection: { host: 'localhost' } });
    //- /src/mail.ts
    export async function sendAll(to: string[]) { return to.map(() => ({ ok: true })); }
    //- /src/observability.ts
    import { Counter } from 'prom-client';
    export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    export function runJob<T>(job: string, fn: () => T, _options: { countRows?: boolean } = {}): T {
      jobRunsTotal.inc({ job, status: 'ok' });
      return fn();
    }
    export function instrumentJob<A extends unknown[], R>(job: string, fn: (...args: A) => R): (...args: A) => R {
      return (...args) => runJob(job, () => fn(...args));
    }
    export function startMetricsServer(): void {}
  `, ts`
    //- /src/workers/email.ts
    import { Worker } from 'bullmq';
    import { sendAll } from '../mail';
    import '../metrics-server';
    import { runJob } from '../observability';

    export const worker = new Worker('emails', async (job) => {
      return runJob('emails', async () => {
        const sent = await sendAll(job.data.recipients);
        return sent.filter((r) => r.ok);
      }, { countRows: true });
    }, { connection: { host: 'localhost' } });
    //- /src/metrics-server.ts
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    import { startMetricsServer } from './observability';

    startMetricsServer();
  `));

  it("Bull named process handler", () => checkFix('add-job-instrumentation', ts`
    //- /src/queue.ts
    import Bull from 'bull';

    const reports = new Bull('reports');
    reports.$0process('monthly', async (job) => {
      await job.progress(50);
    });
    //- /src/observability.ts
    import { Counter } from 'prom-client';
    export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    export function runJob<T>(job: string, fn: () => T, _options: { countRows?: boolean } = {}): T {
      jobRunsTotal.inc({ job, status: 'ok' });
      return fn();
    }
    export function instrumentJob<A extends unknown[], R>(job: string, fn: (...args: A) => R): (...args: A) => R {
      return (...args) => runJob(job, () => fn(...args));
    }
    export function startMetricsServer(): void {}
  `, ts`
    //- /src/queue.ts
    import Bull from 'bull';
    import './metrics-server';
    import { runJob } from './observability';

    const reports = new Bull('reports');
    reports.process('monthly', async (job) => {
      return runJob('monthly', async () => {
        await job.progress(50);
      });
    });
    //- /src/metrics-server.ts
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    import { startMetricsServer } from './observability';

    startMetricsServer();
  `));

  it("Agenda define with a function expression", () => checkFix('add-job-instrumentation', ts`
    //- /src/agenda.ts
    import { Agenda } from 'agenda';

    const agenda = new Agenda({ db: { address: 'mongodb://localhost/agenda' } });
    agenda.$0define('send digest', async function (job) {
      console.log('digest for', job.attrs.data);
    });
    //- /src/observability.ts
    import { Counter } from 'prom-client';
    export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    export function runJob<T>(job: string, fn: () => T, _options: { countRows?: boolean } = {}): T {
      jobRunsTotal.inc({ job, status: 'ok' });
      return fn();
    }
    export function instrumentJob<A extends unknown[], R>(job: string, fn: (...args: A) => R): (...args: A) => R {
      return (...args) => runJob(job, () => fn(...args));
    }
    export function startMetricsServer(): void {}
  `, ts`
    //- /src/agenda.ts
    import { Agenda } from 'agenda';
    import './metrics-server';
    import { runJob } from './observability';

    const agenda = new Agenda({ db: { address: 'mongodb://localhost/agenda' } });
    agenda.define('send digest', async function (job) {
      return runJob('send digest', async () => {
        console.log('digest for', job.attrs.data);
      });
    });
    //- /src/metrics-server.ts
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    import { startMetricsServer } from './observability';

    startMetricsServer();
  `));

  it("@nestjs/schedule @Cron method returning a length, in an app that serves HTTP (no metrics server)", () => checkFix('add-job-instrumentation', ts`
    //- /src/tasks.service.ts
    import { Injectable } from '@nestjs/common';
    import { Cron, CronExpression } from '@nestjs/schedule';

    @Injectable()
    export class TasksService {
      private readonly items: string[] = [];

      $0@Cron(CronExpression.EVERY_HOUR, { name: 'refresh-cache' })
      async refresh(): Promise<number> {
        const fresh = await this.load();
        this.items.splice(0, this.items.length, ...fresh);
        return fresh.length;
      }

      private async load(): Promise<string[]> { return ['a']; }
    }
    //- /src/app.controller.ts
    import { Controller, Get } from '@nestjs/common';
    import { Counter } from 'prom-client';
    const hits = new Counter({ name: 'health_checks_total', help: 'Health checks' });
    @Controller()
    export class AppController {
      @Get('health')
      health() { hits.inc(); return 'ok'; }
    }
    //- /src/observability.ts
    import { Counter } from 'prom-client';
    export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    export function runJob<T>(job: string, fn: () => T, _options: { countRows?: boolean } = {}): T {
      jobRunsTotal.inc({ job, status: 'ok' });
      return fn();
    }
    export function instrumentJob<A extends unknown[], R>(job: string, fn: (...args: A) => R): (...args: A) => R {
      return (...args) => runJob(job, () => fn(...args));
    }
    export function startMetricsServer(): void {}
  `, ts`
    //- /src/tasks.service.ts
    import { Injectable } from '@nestjs/common';
    import { Cron, CronExpression } from '@nestjs/schedule';
    import { runJob } from './observability';

    @Injectable()
    export class TasksService {
      private readonly items: string[] = [];

      @Cron(CronExpression.EVERY_HOUR, { name: 'refresh-cache' })
      async refresh(): Promise<number> {
        return runJob('refresh-cache', async () => {
          const fresh = await this.load();
          this.items.splice(0, this.items.length, ...fresh);
          return fresh.length;
        }, { countRows: true });
      }

      private async load(): Promise<string[]> { return ['a']; }
    }
  `));

  it("setInterval with an expression-bodied callback", () => checkFix('add-job-instrumentation', ts`
    //- /src/server.ts
    import { prune } from './cache';

    export function start() {
      $0setInterval(() => prune(), 60_000);
    }
    start();
    //- /src/cache.ts
    export function prune(): number { return 0; }
    //- /src/observability.ts
    import { Counter } from 'prom-client';
    export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    export function runJob<T>(job: string, fn: () => T, _options: { countRows?: boolean } = {}): T {
      jobRunsTotal.inc({ job, status: 'ok' });
      return fn();
    }
    export function instrumentJob<A extends unknown[], R>(job: string, fn: (...args: A) => R): (...args: A) => R {
      return (...args) => runJob(job, () => fn(...args));
    }
    export function startMetricsServer(): void {}
  `, ts`
    //- /src/server.ts
    import { prune } from './cache';
    import './metrics-server';
    import { runJob } from './observability';

    export function start() {
      setInterval(() => runJob('prune', () => prune()), 60_000);
    }
    start();
    //- /src/metrics-server.ts
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    import { startMetricsServer } from './observability';

    startMetricsServer();
  `));

  it("a script's main: body wrapped (template literal lines untouched), metrics server imported", () => checkFix('add-job-instrumentation', ts`
    //- /scripts/backfill.ts
    import { readFileSync } from 'node:fs';

    function main(): void {
      const lines = readFileSync('input.csv', 'utf8').split('\\n');
      for (const line of lines) {
        console.log(\`line: \${line}
    continued\`);
      }
    }

    $0main();
    //- /scripts/observability.ts
    import { Counter } from 'prom-client';
    export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    export function runJob<T>(job: string, fn: () => T): T {
      jobRunsTotal.inc({ job, status: 'ok' });
      return fn();
    }
    export function startMetricsServer(): void {}
  `, ts`
    //- /scripts/backfill.ts
    import { readFileSync } from 'node:fs';
    import './metrics-server';
    import { runJob } from './observability';

    function main(): void {
      return runJob('backfill', () => {
        const lines = readFileSync('input.csv', 'utf8').split('\\n');
        for (const line of lines) {
          console.log(\`line: \${line}
    continued\`);
        }
      });
    }

    main();
    //- /scripts/metrics-server.ts
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    import { startMetricsServer } from './observability';

    startMetricsServer();
  `));

  it("CommonJS, double quotes, no semicolons: a handler passed by reference is wrapped with instrumentJob", () => checkFix('add-job-instrumentation', ts`
    //- /src/worker.js
    const cron = require("node-cron")
    const { syncInvoices } = require("./sync")

    cron.$0schedule("*/5 * * * *", syncInvoices)
    //- /src/sync.js
    async function syncInvoices() {
      const rows = await fetchRows()
      return rows
    }
    async function fetchRows() { return [] }
    module.exports = { syncInvoices }
    //- /package.json
    { "name": "invoices", "dependencies": { "node-cron": "^3.0.3" } }
  `, ts`
    //- /src/worker.js
    const cron = require("node-cron")
    const { syncInvoices } = require("./sync")
    require("./metrics-server")
    const { instrumentJob } = require("./observability")

    cron.schedule("*/5 * * * *", instrumentJob("syncInvoices", syncInvoices, { countRows: true }))
    //- /package.json
    { "name": "invoices", "dependencies": {
        "@opentelemetry/api": "^1.9.0",
        "pino": "^10.4.0",
        "prom-client": "^15.1.3", "node-cron": "^3.0.3" } }
    //- /src/metrics-server.js
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    const { startMetricsServer } = require("./observability")

    startMetricsServer()
    //- /src/observability.js
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    const { SpanStatusCode, trace } = require('@opentelemetry/api');
    const { createServer } = require('node:http');
    const { pino } = require('pino');
    const { Counter, Histogram, collectDefaultMetrics, register } = require('prom-client');

    /** The Prometheus registry every metric below is registered in (prom-client's default). */
    const registry = exports.registry = register;

    /** Batch jobs: runs by job and outcome (status="ok" | "error"). */
    const jobRunsTotal = exports.jobRunsTotal = new Counter({
      name: 'job_runs_total',
      help: 'Job runs by outcome',
      labelNames: ['job', 'status'],
    });

    /** Batch jobs: run duration (alert on the p95). */
    const jobDurationSeconds = exports.jobDurationSeconds = new Histogram({
      name: 'job_duration_seconds',
      help: 'Job run duration in seconds',
      labelNames: ['job'],
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    });

    /** Batch jobs: rows (items, records) processed. */
    const rowsProcessedTotal = exports.rowsProcessedTotal = new Counter({
      name: 'rows_processed_total',
      help: 'Rows processed by jobs',
      labelNames: ['job'],
    });

    /** Spans go through the global tracer provider (a no-op until an OpenTelemetry SDK is registered). */
    const tracer = exports.tracer = trace.getTracer('invoices');

    /** Structured JSON logs; every line logged inside a span carries its trace_id and span_id. */
    const logger = exports.logger = pino({
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    });

    /**
     * Runs one job the way the batch checklist wants it observed: job_runs_total{job,status},
     * job_duration_seconds{job}, a span around the run and one structured log line per run (trace_id,
     * duration, outcome); a failure is recorded on the span, logged and rethrown. With countRows, a
     * returned number, array or { rowCount } is added to rows_processed_total{job}.
     */
    function runJob(job, fn, options = {}) {
      return tracer.startActiveSpan(\`job \${job}\`, { attributes: { 'job.name': job } }, (span) => {
        const stopTimer = jobDurationSeconds.startTimer({ job });
        const finish = (failed, outcome) => {
          const duration_seconds = stopTimer();
          const status = failed ? 'error' : 'ok';
          jobRunsTotal.inc({ job, status });
          const rows = failed || !options.countRows ? undefined : rowCountOf(outcome);
          if (rows !== undefined) rowsProcessedTotal.inc({ job }, rows);
          if (failed) {
            span.recordException(outcome instanceof Error ? outcome : String(outcome));
            span.setStatus({ code: SpanStatusCode.ERROR });
            logger.error({ job, status, duration_seconds, err: outcome }, 'job failed');
          } else {
            logger.info({ job, status, duration_seconds, rows }, 'job finished');
          }
          span.end();
        };
        let result;
        try {
          result = fn();
        } catch (error) {
          finish(true, error);
          throw error;
        }
        if (typeof result?.then === 'function') {
          return Promise.resolve(result).then(
            (value) => { finish(false, value); return value; },
            (error) => { finish(true, error); throw error; },
          );
        }
        finish(false, result);
        return result;
      });
    }

    /** A count a job returned: a number, an array's length or a query result's rowCount. */
    function rowCountOf(value) {
      if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
      if (Array.isArray(value)) return value.length;
      const rowCount = value?.rowCount;
      return typeof rowCount === 'number' && rowCount >= 0 ? rowCount : undefined;
    }
    exports.runJob = runJob;

    /** \`fn\` wrapped so that every call is one observed job run (for handlers given to schedulers and workers). */
    function instrumentJob(job, fn, options = {}) {
      return function (...args) {
        return runJob(job, () => fn.apply(this, args), options);
      };
    }
    exports.instrumentJob = instrumentJob;

    let metricsServer;

    /**
     * Serves the registry at /metrics on METRICS_PORT (default 9464; METRICS_HOST to bind one interface)
     * for processes without an HTTP app — workers, schedulers, scripts — with Node's default process
     * metrics. Idempotent, and it never keeps the process alive on its own.
     */
    function startMetricsServer(port = Number(process.env.METRICS_PORT ?? 9464), host = process.env.METRICS_HOST) {
      if (metricsServer) return metricsServer;
      if (!registry.getSingleMetric('process_cpu_user_seconds_total')) {
        collectDefaultMetrics({ register: registry });
        // gauges named like counters: Prometheus' linter (promtool check metrics) rejects them
        for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
      }
      // telltale-ignore-next-line uninstrumented-route -- the metrics endpoint itself
      const server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
          (error) => res.writeHead(500).end(String(error)),
        );
      });
      server.on('error', (error) => logger.error({ err: error, port }, 'metrics server failed'));
      server.listen(port, host, () => {
        const address = server.address();
        logger.info({ port: typeof address === 'object' && address ? address.port : port }, 'metrics server listening');
      });
      server.unref();
      metricsServer = server;
      return server;
    }
    exports.startMetricsServer = startMetricsServer;
  `));

  it("cron package CronJob with a function expression", () => checkFix('add-job-instrumentation', ts`
    //- /src/scheduler.ts
    import { CronJob } from 'cron';

    export const job = $0new CronJob('0 */15 * * * *', function () {
      rotateKeys();
    }, null, true);

    function rotateKeys(): void {}
    //- /src/observability.ts
    import { Counter } from 'prom-client';
    export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    export function runJob<T>(job: string, fn: () => T, _options: { countRows?: boolean } = {}): T {
      jobRunsTotal.inc({ job, status: 'ok' });
      return fn();
    }
    export function instrumentJob<A extends unknown[], R>(job: string, fn: (...args: A) => R): (...args: A) => R {
      return (...args) => runJob(job, () => fn(...args));
    }
    export function startMetricsServer(): void {}
  `, ts`
    //- /src/scheduler.ts
    import { CronJob } from 'cron';
    import './metrics-server';
    import { runJob } from './observability';

    export const job = new CronJob('0 */15 * * * *', function () {
      return runJob('rotateKeys', () => {
        rotateKeys();
      });
    }, null, true);

    function rotateKeys(): void {}
    //- /src/metrics-server.ts
    /**
     * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes
     * without an HTTP app; job modules import it for that side effect. Added by Telltale.
     */
    import { startMetricsServer } from './observability';

    startMetricsServer();
  `));

  it('not applicable: a generator handler', () => checkFixNotApplicable('add-job-instrumentation', ts`
    import cron from 'node-cron';
    cron.$0schedule('* * * * *', function* () { yield 1; });
  `));

  it('not applicable: a sandboxed processor file (the handler is not in this file)', () => checkFixNotApplicable('add-job-instrumentation', ts`
    import { Worker } from 'bullmq';
    export const w = $0new Worker('pdf', './processors/pdf.js');
  `));

  it('not applicable: an instrumented job (nothing to fix)', () => checkFixNotApplicable('add-job-instrumentation', ts`
    import cron from 'node-cron';
    import { Counter } from 'prom-client';
    const runs = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
    cron.$0schedule('* * * * *', () => { runs.inc({ job: 'x', status: 'ok' }); });
  `));
});
