/**
 * The derived views the dashboard and code lenses need — RED per route and health per job — and
 * their join to the code through the inventory. The views are written once over a few
 * primitives (`ViewSource`) that both our own store (query/local-source.ts) and a real Prometheus
 * server (prometheus-source.ts) evaluate, so the two sources cannot drift apart in meaning.
 */
import type { Inventory, JobEntry, MetricDefinition, RouteEntry } from '../protocol/inventory';
import type { CodeLink, JobHealth, JobsResponse, RouteRed, RoutesResponse } from '../protocol/runtime';
import type { Labels } from './scrape/exposition';
import { groupKey, type Vector } from './query/aggregate';

/** `label =~ regex` (fully anchored, as in PromQL). */
export interface LabelFilter { label: string; regex: string }
export interface TimedValue { labels: Labels; t: number }

export interface ViewSource {
  readonly kind: 'local' | 'prometheus';
  /** For each metric name that has series: the label names its series carry. */
  metricLabels(names: readonly string[], atMs: number): Promise<Map<string, Set<string>>>;
  /** `sum by (by) (increase(metric{filter}[window]))` at `at`. */
  sumIncrease(metric: string, by: readonly string[], windowMs: number, atMs: number, filter?: LabelFilter): Promise<Vector>;
  /** `histogram_quantile(q, sum by (by, le) (rate(bucketMetric[window])))` at `at`. */
  quantile(q: number, bucketMetric: string, by: readonly string[], windowMs: number, atMs: number): Promise<Vector>;
  /** `sum by (by) (metric)` at `at`. */
  sumLatest(metric: string, by: readonly string[], atMs: number): Promise<Vector>;
  /** Per group of `sum by (by) (metric)`: the last time within the window it increased (or appeared). */
  lastIncrease(metric: string, by: readonly string[], windowMs: number, atMs: number): Promise<TimedValue[]>;
}

/** Request counters, most specific first (prom-client examples, express-prom-bundle, OTel, Micrometer). */
export const REQUEST_COUNTERS = ['http_requests_total', 'http_server_requests_total', 'http_request_total', 'requests_total'];
/** Request duration histograms (seconds). `_count` doubles as the request counter when no counter exists. */
export const DURATION_HISTOGRAMS = ['http_request_duration_seconds', 'http_server_request_duration_seconds', 'http_server_duration_seconds', 'http_server_requests_seconds', 'http_request_duration'];
export const ROUTE_LABELS = ['route', 'path', 'http_route', 'handler', 'endpoint', 'uri', 'url'];
export const METHOD_LABELS = ['method', 'http_method', 'http_request_method', 'verb'];
export const STATUS_LABELS = ['status_code', 'code', 'status', 'http_status_code', 'http_response_status_code', 'statusCode'];
export const JOB_LABELS = ['job', 'job_name', 'task', 'queue'];
const OK_STATUSES = /^(ok|success|succeeded|successful|completed|complete|done|passed)$/i;

export interface ViewOptions {
  atMs: number;
  windowMs: number;
  inventory?: Inventory;
}

const first = (candidates: readonly string[], present: Set<string> | undefined): string | undefined =>
  present ? candidates.find((c) => present.has(c)) : undefined;

const orNull = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/** RED per route. */
export async function routeViews(source: ViewSource, opts: ViewOptions): Promise<RoutesResponse> {
  const { atMs, windowMs } = opts;
  const base: RoutesResponse = { source: source.kind, at: atMs, windowSeconds: windowMs / 1000, routes: [] };
  const names = [...REQUEST_COUNTERS, ...DURATION_HISTOGRAMS.flatMap((h) => [h + '_count', h + '_bucket'])];
  const present = await source.metricLabels(names, atMs);
  const histogram = DURATION_HISTOGRAMS.find((h) => present.has(h + '_bucket'));
  const requests = REQUEST_COUNTERS.find((c) => present.has(c)) ?? (histogram ? histogram + '_count' : DURATION_HISTOGRAMS.map((h) => h + '_count').find((c) => present.has(c)));
  if (!requests) return base;
  const labels = present.get(requests);
  const routeLabel = first(ROUTE_LABELS, labels);
  const methodLabel = first(METHOD_LABELS, labels);
  const statusLabel = first(STATUS_LABELS, labels);
  const familyOf = (n: string): string => n.replace(/_(count|bucket|sum)$/, '');
  const definedAt: Record<string, CodeLink> = {};
  for (const m of [requests, histogram].filter((x): x is string => !!x)) {
    const def = findMetricDefinition(opts.inventory, m.endsWith('_count') ? familyOf(m) : m);
    if (def) definedAt[m.endsWith('_count') ? familyOf(m) : m] = { file: def.file, line: def.line, column: def.column };
  }
  base.metrics = { requests, duration: histogram, routeLabel, methodLabel, statusLabel, definedAt };
  if (!routeLabel) return base;
  const by = methodLabel ? [routeLabel, methodLabel] : [routeLabel];
  const histLabels = histogram ? present.get(histogram + '_bucket') : undefined;
  const hRoute = first(ROUTE_LABELS, histLabels);
  const hMethod = first(METHOD_LABELS, histLabels);
  const hBy = hRoute ? (hMethod ? [hRoute, hMethod] : [hRoute]) : undefined;

  const [total, errors, p50, p95, p99] = await Promise.all([
    source.sumIncrease(requests, by, windowMs, atMs),
    statusLabel ? source.sumIncrease(requests, by, windowMs, atMs, { label: statusLabel, regex: '5..' }) : Promise.resolve([] as Vector),
    ...[0.5, 0.95, 0.99].map((q) => (histogram && hBy ? source.quantile(q, histogram + '_bucket', hBy, windowMs, atMs) : Promise.resolve([] as Vector))),
  ]);
  const keyOf = (l: Labels, r: string, m?: string): string => `${l[r] ?? ''}\u0000${m ? l[m] ?? '' : ''}`;
  const errorsBy = new Map(errors.map((e) => [keyOf(e.labels, routeLabel, methodLabel), e.value]));
  const q = (vec: Vector): Map<string, number> => new Map(vec.map((e) => [keyOf(e.labels, hRoute!, hMethod), e.value]));
  const [q50, q95, q99] = [q(p50), q(p95), q(p99)];
  const seconds = windowMs / 1000;
  for (const e of total) {
    const route = e.labels[routeLabel] ?? '';
    const method = methodLabel ? (e.labels[methodLabel] ?? '').toUpperCase() : 'ANY';
    const k = keyOf(e.labels, routeLabel, methodLabel);
    const err = errorsBy.get(k) ?? 0;
    const row: RouteRed = {
      method,
      route,
      rate: e.value / seconds,
      requests: e.value,
      errors: err,
      errorRatio: e.value > 0 ? err / e.value : null,
      p50: orNull(q50.get(k)),
      p95: orNull(q95.get(k)),
      p99: orNull(q99.get(k)),
    };
    const entry = findRoute(opts.inventory, method, route);
    if (entry) row.code = { file: entry.file, line: entry.line, column: entry.column, framework: entry.framework, path: entry.path };
    base.routes.push(row);
  }
  base.routes.sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
  return base;
}

/** Health per job from job_runs_total{job,status}, job_duration_seconds{job}, rows_processed_total{job}. */
export async function jobViews(source: ViewSource, opts: ViewOptions): Promise<JobsResponse> {
  const { atMs, windowMs } = opts;
  const out: JobsResponse = { source: source.kind, at: atMs, windowSeconds: windowMs / 1000, jobs: [] };
  const present = await source.metricLabels(['job_runs_total', 'job_duration_seconds_bucket', 'rows_processed_total'], atMs);
  const runs = present.get('job_runs_total');
  const jobLabel = first(JOB_LABELS, runs ?? present.get('job_duration_seconds_bucket') ?? present.get('rows_processed_total'));
  if (!jobLabel) return out;
  const statusLabel = first(['status', 'result', 'outcome', 'state'], runs);
  const by = statusLabel ? [jobLabel, statusLabel] : [jobLabel];
  const [inc, totals, lastBy, lastAny, p95, rows] = await Promise.all([
    runs ? source.sumIncrease('job_runs_total', by, windowMs, atMs) : Promise.resolve([] as Vector),
    runs ? source.sumLatest('job_runs_total', by, atMs) : Promise.resolve([] as Vector),
    runs && statusLabel ? source.lastIncrease('job_runs_total', by, windowMs, atMs) : Promise.resolve([] as TimedValue[]),
    runs ? source.lastIncrease('job_runs_total', [jobLabel], windowMs, atMs) : Promise.resolve([] as TimedValue[]),
    present.has('job_duration_seconds_bucket') ? source.quantile(0.95, 'job_duration_seconds_bucket', [jobLabel], windowMs, atMs) : Promise.resolve([] as Vector),
    present.has('rows_processed_total') ? source.sumIncrease('rows_processed_total', [jobLabel], windowMs, atMs) : Promise.resolve([] as Vector),
  ]);
  const jobs = new Map<string, JobHealth>();
  const get = (name: string): JobHealth => {
    let j = jobs.get(name);
    if (!j) { j = { job: name, ok: 0, error: 0, okTotal: 0, errorTotal: 0, p95Duration: null, rowsProcessed: null }; jobs.set(name, j); }
    return j;
  };
  const isOk = (l: Labels): boolean => !statusLabel || OK_STATUSES.test(l[statusLabel] ?? '');
  for (const e of inc) { const j = get(e.labels[jobLabel] ?? ''); if (isOk(e.labels)) j.ok += e.value; else j.error += e.value; }
  for (const e of totals) { const j = get(e.labels[jobLabel] ?? ''); if (isOk(e.labels)) j.okTotal += e.value; else j.errorTotal += e.value; }
  for (const e of lastAny) get(e.labels[jobLabel] ?? '').lastRun = e.t;
  const lastStatus = new Map<string, TimedValue>();
  for (const e of lastBy) {
    const k = groupKey(e.labels, [jobLabel]);
    const cur = lastStatus.get(k);
    if (!cur || e.t > cur.t) lastStatus.set(k, e);
  }
  for (const e of lastBy) {
    if (!isOk(e.labels)) continue;
    const j = get(e.labels[jobLabel] ?? '');
    j.lastSuccess = Math.max(j.lastSuccess ?? 0, e.t);
  }
  for (const e of lastStatus.values()) {
    const j = get(e.labels[jobLabel] ?? '');
    j.lastStatus = e.labels[statusLabel!];
    j.lastRun = Math.max(j.lastRun ?? 0, e.t);
  }
  for (const e of p95) get(e.labels[jobLabel] ?? '').p95Duration = orNull(e.value);
  for (const e of rows) get(e.labels[jobLabel] ?? '').rowsProcessed = e.value;
  for (const j of jobs.values()) {
    const entry = opts.inventory?.jobs.find((x: JobEntry) => x.name === j.job);
    if (entry) j.code = { file: entry.file, line: entry.line, column: entry.column, kind: entry.kind };
  }
  out.jobs = [...jobs.values()].sort((a, b) => a.job.localeCompare(b.job));
  return out;
}

/** The inventory's definition of a metric family (or of the sample's family, by suffix). */
export function findMetricDefinition(inventory: Inventory | undefined, name: string): MetricDefinition | undefined {
  if (!inventory) return undefined;
  const exact = inventory.metrics.find((m) => m.name === name);
  if (exact) return exact;
  const m = /^(.*?)(_total|_bucket|_count|_sum|_created|_info)$/.exec(name);
  if (!m) return undefined;
  return inventory.metrics.find((d) => d.name === m[1] || (m[2] === '_total' && d.name === name));
}

/** Splits a route path into segments with parameters normalized to '*'. */
function routeShape(path: string): string[] {
  const noQuery = path.split('?')[0];
  return noQuery.split('/').filter((s, i, a) => s !== '' || i === a.length - 1 && a.length === 1)
    .map((s) => (/^(:\w+\??|\{[^}]*\}|<[^>]*>|\[[^\]]*\]|#val|\*+|\$\w*)$/.test(s) ? '*' : s));
}

/**
 * The inventory route a route label points to: the same method (or ANY) and the same path, with
 * parameters in any syntax (`:id`, `{id}`, `#val` of express-prom-bundle, `[id]` of Next) equal.
 */
export function findRoute(inventory: Inventory | undefined, method: string, route: string): RouteEntry | undefined {
  if (!inventory || !route) return undefined;
  const shape = routeShape(route).join('/');
  const candidates = inventory.routes.filter((r) => r.path === route || routeShape(r.path).join('/') === shape);
  return candidates.find((r) => r.method === method) ?? candidates.find((r) => r.method === 'ANY' || method === 'ANY') ?? undefined;
}
