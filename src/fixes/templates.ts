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
};

export function renderSection(section: Section, opts: { typescript: boolean; serviceName: string }): string {
  return (opts.typescript ? section.code : section.codeJs ?? section.code).replace(/AS_CONST/g, opts.typescript ? ' as const' : '').replace(/SERVICE_NAME/g, opts.serviceName);
}

/** The header of a new observability module. */
export const MODULE_HEADER = `/**
 * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
 * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
 */`;
