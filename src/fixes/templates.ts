/**
 * The code Telltale writes, in one place: the sections of the project's observability module
 * (shared metrics, logger, tracer) and the snippets. Names and labels follow Prometheus
 * conventions: snake_case, `_total` counters, `_seconds` durations, bounded labels only.
 * `npm run gen` renders snippets/typescript.json from SNIPPETS.
 */

export interface Section {
  /** The export this section defines. */
  name: string;
  /** Prometheus metric name, when the section defines one (fixes reuse an existing definition of it). */
  metric?: string;
  labelNames?: string[];
  /** Named imports it needs, by package. */
  imports: Record<string, string[]>;
  /** Other sections it uses. */
  uses?: string[];
  /** ESM/TypeScript code; `AS_CONST` becomes ` as const` in TypeScript and nothing in JavaScript. */
  code: string;
  /** The JavaScript version when it differs by more than `AS_CONST` (type annotations). */
  codeJs?: string;
}

export const PACKAGE_VERSIONS: Record<string, string> = {
  'prom-client': '^15.1.3',
  pino: '^10.4.0',
  '@opentelemetry/api': '^1.9.0',
};

const LATENCY_BUCKETS = '[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]';
const JOB_BUCKETS = '[0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600]';

export const SECTIONS: Record<string, Section> = {
  registry: {
    name: 'registry',
    imports: { 'prom-client': ['register'] },
    code: `/** The Prometheus registry every metric below is registered in (prom-client's default). */
export const registry = register;`,
  },
  httpRequestDuration: {
    name: 'httpRequestDuration',
    metric: 'http_request_duration_seconds',
    labelNames: ['method', 'route', 'status_code'],
    imports: { 'prom-client': ['Histogram'] },
    code: `/** RED: request duration by method, route template and status code. */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration in seconds',
  labelNames: ['method', 'route', 'status_code']AS_CONST,
  buckets: ${LATENCY_BUCKETS},
});`,
  },
  httpRequestsTotal: {
    name: 'httpRequestsTotal',
    metric: 'http_requests_total',
    labelNames: ['method', 'route', 'status_code'],
    imports: { 'prom-client': ['Counter'] },
    code: `/** RED: requests by method, route template and status code (errors are status_code 5xx). */
export const httpRequestsTotal = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests',
  labelNames: ['method', 'route', 'status_code']AS_CONST,
});`,
  },
  jobRunsTotal: {
    name: 'jobRunsTotal',
    metric: 'job_runs_total',
    labelNames: ['job', 'status'],
    imports: { 'prom-client': ['Counter'] },
    code: `/** Batch jobs: runs by job and outcome (status="ok" | "error"). */
export const jobRunsTotal = new Counter({
  name: 'job_runs_total',
  help: 'Job runs by outcome',
  labelNames: ['job', 'status']AS_CONST,
});`,
  },
  jobDurationSeconds: {
    name: 'jobDurationSeconds',
    metric: 'job_duration_seconds',
    labelNames: ['job'],
    imports: { 'prom-client': ['Histogram'] },
    code: `/** Batch jobs: run duration (alert on the p95). */
export const jobDurationSeconds = new Histogram({
  name: 'job_duration_seconds',
  help: 'Job run duration in seconds',
  labelNames: ['job']AS_CONST,
  buckets: ${JOB_BUCKETS},
});`,
  },
  rowsProcessedTotal: {
    name: 'rowsProcessedTotal',
    metric: 'rows_processed_total',
    labelNames: ['job'],
    imports: { 'prom-client': ['Counter'] },
    code: `/** Batch jobs: rows (items, records) processed. */
export const rowsProcessedTotal = new Counter({
  name: 'rows_processed_total',
  help: 'Rows processed by jobs',
  labelNames: ['job']AS_CONST,
});`,
  },
  expressRouteTemplate: {
    name: 'expressRouteTemplate',
    imports: {},
    code: `/**
 * The Express route template a request matched ('/api/users/:id'), or 'unmatched'. Express resets
 * req.baseUrl when an error leaves a router, so then the mount prefix is recovered from the URL.
 */
export function expressRouteTemplate(req: { route?: { path?: unknown }; baseUrl?: string; originalUrl?: string; url?: string }): string {
  const routePath = req.route?.path;
  if (typeof routePath !== 'string') return 'unmatched';
  let base = req.baseUrl;
  if (base === undefined) {
    const segments = (req.originalUrl ?? req.url ?? '').split('?')[0].split('/');
    base = segments.slice(0, segments.length - routePath.split('/').filter(Boolean).length).join('/');
  }
  const template = base + routePath;
  return template.length > 1 ? template.replace(/\\/$/, '') : '/';
}`,
    codeJs: `/**
 * The Express route template a request matched ('/api/users/:id'), or 'unmatched'. Express resets
 * req.baseUrl when an error leaves a router, so then the mount prefix is recovered from the URL.
 */
export function expressRouteTemplate(req) {
  const routePath = req.route?.path;
  if (typeof routePath !== 'string') return 'unmatched';
  let base = req.baseUrl;
  if (base === undefined) {
    const segments = (req.originalUrl ?? req.url ?? '').split('?')[0].split('/');
    base = segments.slice(0, segments.length - routePath.split('/').filter(Boolean).length).join('/');
  }
  const template = base + routePath;
  return template.length > 1 ? template.replace(/\\/$/, '') : '/';
}`,
  },
  tracer: {
    name: 'tracer',
    imports: { '@opentelemetry/api': ['trace'] },
    code: `/** Spans go through the global tracer provider (a no-op until an OpenTelemetry SDK is registered). */
export const tracer = trace.getTracer('SERVICE_NAME');`,
  },
  logger: {
    name: 'logger',
    imports: { pino: ['pino'], '@opentelemetry/api': ['trace'] },
    code: `/** Structured JSON logs; every line logged inside a span carries its trace_id and span_id. */
export const logger = pino({
  mixin() {
    const span = trace.getActiveSpan();
    if (!span) return {};
    const { traceId, spanId } = span.spanContext();
    return { trace_id: traceId, span_id: spanId };
  },
});`,
  },
  httpErrorStatus: {
    name: 'httpErrorStatus',
    imports: {},
    code: `/** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
export function httpErrorStatus(error: unknown): number {
  const e = error as { status?: unknown; statusCode?: unknown; getStatus?: () => unknown } | null | undefined;
  const status = typeof e?.getStatus === 'function' ? e.getStatus() : e?.status ?? e?.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}`,
    codeJs: `/** The status a framework answers a thrown error with: its 4xx/5xx \`status\`/\`statusCode\`, else 500. */
export function httpErrorStatus(error) {
  const status = typeof error?.getStatus === 'function' ? error.getStatus() : error?.status ?? error?.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}`,
  },
  traceContext: {
    name: 'traceContext',
    imports: { '@opentelemetry/api': ['trace'] },
    code: `/** The active span's ids for log lines: a pino \`mixin\` (\`pino({ mixin: traceContext })\`). */
export function traceContext(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span || !trace.isSpanContextValid(span.spanContext())) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}`,
    codeJs: `/** The active span's ids for log lines: a pino \`mixin\` (\`pino({ mixin: traceContext })\`). */
export function traceContext() {
  const span = trace.getActiveSpan();
  if (!span || !trace.isSpanContextValid(span.spanContext())) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}`,
  },
  withTraceContext: {
    name: 'withTraceContext',
    imports: {},
    uses: ['traceContext'],
    code: `/** A pino \`mixin\` that also adds the active span's ids (its own fields win). */
export function withTraceContext<A extends unknown[]>(mixin: (...args: A) => object): (...args: A) => object {
  return function (this: unknown, ...args: A): object {
    return { ...traceContext(), ...mixin.apply(this, args) };
  };
}`,
    codeJs: `/** A pino \`mixin\` that also adds the active span's ids (its own fields win). */
export function withTraceContext(mixin) {
  return function (...args) {
    return { ...traceContext(), ...mixin.apply(this, args) };
  };
}`,
  },
  runJob: {
    name: 'runJob',
    imports: { '@opentelemetry/api': ['SpanStatusCode'] },
    uses: ['jobRunsTotal', 'jobDurationSeconds', 'rowsProcessedTotal', 'tracer', 'logger'],
    code: `/**
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
}`,
    codeJs: `/**
 * Runs one job the way the batch checklist wants it observed: job_runs_total{job,status},
 * job_duration_seconds{job}, a span around the run and one structured log line per run (trace_id,
 * duration, outcome); a failure is recorded on the span, logged and rethrown. With countRows, a
 * returned number, array or { rowCount } is added to rows_processed_total{job}.
 */
export function runJob(job, fn, options = {}) {
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
}`,
  },
  instrumentJob: {
    name: 'instrumentJob',
    imports: {},
    uses: ['runJob'],
    code: `/** \`fn\` wrapped so that every call is one observed job run (for handlers given to schedulers and workers). */
export function instrumentJob<A extends unknown[], R>(job: string, fn: (...args: A) => R, options: { countRows?: boolean } = {}): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    return runJob(job, () => fn.apply(this, args), options);
  };
}`,
    codeJs: `/** \`fn\` wrapped so that every call is one observed job run (for handlers given to schedulers and workers). */
export function instrumentJob(job, fn, options = {}) {
  return function (...args) {
    return runJob(job, () => fn.apply(this, args), options);
  };
}`,
  },
  startMetricsServer: {
    name: 'startMetricsServer',
    imports: { 'node:http': ['createServer'], 'prom-client': ['collectDefaultMetrics'] },
    uses: ['registry', 'logger'],
    code: `let metricsServer: ReturnType<typeof createServer> | undefined;

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
}`,
    codeJs: `let metricsServer;

/**
 * Serves the registry at /metrics on METRICS_PORT (default 9464; METRICS_HOST to bind one interface)
 * for processes without an HTTP app — workers, schedulers, scripts — with Node's default process
 * metrics. Idempotent, and it never keeps the process alive on its own.
 */
export function startMetricsServer(port = Number(process.env.METRICS_PORT ?? 9464), host = process.env.METRICS_HOST) {
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
}`,
  },
  HttpMetricsInterceptor: {
    name: 'HttpMetricsInterceptor',
    imports: {},
    uses: ['httpRequestDuration', 'httpRequestsTotal'],
    code: `/**
 * NestJS: RED metrics for every route, labelled by the route template Nest registered (global
 * prefix, version, controller and method paths), recorded when the response finishes so that
 * exception filters' statuses count. Register it with \`app.useGlobalInterceptors(new HttpMetricsInterceptor())\`.
 */
export class HttpMetricsInterceptor {
  intercept<T>(context: NestContext, next: { handle(): T }): T {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<NestRequest>();
    const reply = http.getResponse<NestResponse & { raw?: NestResponse }>();
    const response = reply.raw ?? reply;
    const labels = { method: request.method ?? 'GET', route: nestRouteTemplate(context, request) };
    const stopTimer = httpRequestDuration.startTimer(labels);
    response.once('finish', () => {
      const status_code = String(response.statusCode);
      stopTimer({ status_code });
      httpRequestsTotal.inc({ ...labels, status_code });
    });
    return next.handle();
  }
}

interface NestContext {
  getType(): string;
  switchToHttp(): { getRequest<R>(): R; getResponse<R>(): R };
  getClass(): object;
  getHandler(): object;
}
interface NestRequest { method?: string; route?: { path?: unknown }; routeOptions?: { url?: unknown }; routerPath?: unknown }
interface NestResponse { statusCode: number; once(event: 'finish', listener: () => void): unknown }

/** The registered path (Express \`req.route.path\`, Fastify \`routeOptions.url\`), else the controller and handler @…(path) metadata. */
function nestRouteTemplate(context: NestContext, request: NestRequest): string {
  const registered = request.route?.path ?? request.routeOptions?.url ?? request.routerPath;
  if (typeof registered === 'string') return registered;
  const getMetadata = (Reflect as { getMetadata?: (key: string, target: object) => unknown }).getMetadata;
  const parts = [context.getClass(), context.getHandler()].map((target) => getMetadata?.('path', target));
  const path = parts.filter((p): p is string => typeof p === 'string').map((p) => p.replace(/^\\/+|\\/+$/g, '')).filter(Boolean).join('/');
  return getMetadata ? '/' + path : 'unmatched';
}`,
  },
};

export function renderSection(section: Section, opts: { typescript: boolean; serviceName: string }): string {
  return (opts.typescript ? section.code : section.codeJs ?? section.code).replace(/AS_CONST/g, opts.typescript ? ' as const' : '').replace(/SERVICE_NAME/g, opts.serviceName);
}

/** The header of a new observability module. */
export const MODULE_HEADER = `/**
 * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
 * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
 */`;

/** A VS Code snippet (snippets/typescript.json). `where` says what the body is: top-level declarations or statements. */
export interface Snippet { name: string; prefix: string; description: string; where: 'module' | 'statement'; body: string[] }

/**
 * The editor snippets: the same conventions as the fixes (snake_case, `_total`, `_seconds`, bounded
 * labels, route templates as labels, the guide's job metrics, trace ids in logs).
 */
export const SNIPPETS: Snippet[] = [
  {
    name: 'prom-client Counter', prefix: 'tt-counter', where: 'module',
    description: "A prom-client Counter named <thing>_total with bounded labels (import { Counter } from 'prom-client')",
    body: [
      'export const ${1:ordersCreated}Total = new Counter({',
      "  name: '${2:orders_created}_total',",
      "  help: '${3:Orders created}',",
      "  labelNames: ['${4:status}'] as const,",
      '});',
    ],
  },
  {
    name: 'prom-client Histogram (seconds)', prefix: 'tt-histogram', where: 'module',
    description: "A prom-client Histogram of durations in seconds, <thing>_duration_seconds (import { Histogram } from 'prom-client')",
    body: [
      'export const ${1:checkout}DurationSeconds = new Histogram({',
      "  name: '${2:checkout}_duration_seconds',",
      "  help: '${3:Checkout duration in seconds}',",
      "  labelNames: ['${4:step}'] as const,",
      `  buckets: ${LATENCY_BUCKETS},`,
      '});',
    ],
  },
  {
    name: 'prom-client Gauge', prefix: 'tt-gauge', where: 'module',
    description: "A prom-client Gauge for a current value, e.g. a queue depth (import { Gauge } from 'prom-client')",
    body: [
      'export const ${1:queueDepth} = new Gauge({',
      "  name: '${2:queue_depth}',",
      "  help: '${3:Jobs waiting in the queue}',",
      "  labelNames: ['${4:queue}'] as const,",
      '});',
    ],
  },
  {
    name: 'Route timer (RED)', prefix: 'tt-route-timer', where: 'statement',
    description: 'Times this request with http_request_duration_seconds, labelled by method, route template and status code',
    body: [
      "const stopTimer = ${1:httpRequestDuration}.startTimer({ method: req.method, route: '${2:/orders/:id}' });",
      'res.once(\'finish\', () => stopTimer({ status_code: String(res.statusCode) }));',
      '$0',
    ],
  },
  {
    name: 'Job wrapper (runs, duration, rows)', prefix: 'tt-job', where: 'module',
    description: 'Runs a batch job with job_runs_total{job,status}, job_duration_seconds{job} and rows_processed_total{job}',
    body: [
      'export async function ${1:runNightlyExport}(): Promise<void> {',
      "  const job = '${2:nightly_export}';",
      '  const stopTimer = jobDurationSeconds.startTimer({ job });',
      '  try {',
      '    const rows = await ${3:exportRows}();',
      '    rowsProcessedTotal.inc({ job }, rows);',
      "    jobRunsTotal.inc({ job, status: 'ok' });",
      '  } catch (err) {',
      "    jobRunsTotal.inc({ job, status: 'error' });",
      '    throw err;',
      '  } finally {',
      '    stopTimer();',
      '  }',
      '}',
    ],
  },
  {
    name: 'OpenTelemetry span with error recording', prefix: 'tt-span', where: 'statement',
    description: "An active span that records exceptions and ends on every path (import { SpanStatusCode } from '@opentelemetry/api')",
    body: [
      "await tracer.startActiveSpan('${1:operation}', async (span) => {",
      '  try {',
      '    $0',
      '  } catch (err) {',
      '    span.recordException(err as Error);',
      '    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });',
      '    throw err;',
      '  } finally {',
      '    span.end();',
      '  }',
      '});',
    ],
  },
  {
    name: 'pino logger with trace context', prefix: 'tt-logger', where: 'module',
    description: "A pino logger whose lines carry trace_id and span_id of the active span (import { pino } from 'pino'; import { trace } from '@opentelemetry/api')",
    body: [
      'export const ${1:logger} = pino({',
      "  level: process.env.LOG_LEVEL ?? '${2:info}',",
      '  mixin() {',
      '    const span = trace.getActiveSpan();',
      '    if (!span) return {};',
      '    const { traceId, spanId } = span.spanContext();',
      '    return { trace_id: traceId, span_id: spanId };',
      '  },',
      '});',
    ],
  },
];

/** snippets/typescript.json, as VS Code reads it. */
export function renderSnippets(): string {
  const out: Record<string, { prefix: string; description: string; body: string[] }> = {};
  for (const s of SNIPPETS) out[s.name] = { prefix: s.prefix, description: s.description, body: s.body };
  return JSON.stringify(out, null, 2) + '\n';
}
