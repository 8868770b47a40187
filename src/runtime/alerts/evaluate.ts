/**
 * One evaluation of one rule over the runtime's live views: the samples (one per route, job,
 * dataset or target the rule matches) with their value and whether the condition holds. Threshold
 * rules read the same views the dashboard shows (views.ts); SLO rules ask the view source for the
 * good/bad event counts of each burn-rate window. A failing source throws; the engine records it
 * per rule and keeps the rule's alerts as they were.
 */
import type { AlertOp, BurnRateWindowState } from '../../protocol/alerts';
import type { DatasetDriftState } from '../../protocol/drift';
import type { Inventory } from '../../protocol/inventory';
import type { CodeLink, JobsResponse, Labels, RoutesResponse, TargetState } from '../../protocol/runtime';
import { parseLe } from '../query/histogram-quantile';
import { groupKey, type Vector } from '../query/aggregate';
import {
  DURATION_HISTOGRAMS, METHOD_LABELS, REQUEST_COUNTERS, ROUTE_LABELS, STATUS_LABELS, findRoute, type ViewSource,
} from '../views';
import { burnRateWindows, reportedBurnRate, type WindowCounts } from './burn-rate';
import type { AlertRule, SloRule, ThresholdRule } from './rules';

export interface AlertInputs {
  routes(windowMs: number, atMs: number): Promise<RoutesResponse>;
  jobs(windowMs: number, atMs: number): Promise<JobsResponse>;
  targets(): TargetState[];
  drift(): DatasetDriftState[];
  /** SLO rules query it directly (counts per window). */
  source?: ViewSource;
  inventory?: Inventory;
  /** Window of route views when a rule sets none (runtime.window). */
  defaultWindowMs: number;
  /** Window of job views when a rule sets none (runtime.jobWindow). */
  defaultJobWindowMs: number;
}

export interface AlertSample {
  /** The labels naming what is watched: route+method, job, dataset, target, or slo. */
  subject: Labels;
  value: number | null;
  /** The condition holds. */
  active: boolean;
  code?: CodeLink;
  burnRates?: BurnRateWindowState[];
  /** Said in the description when the value is a bound rather than a measurement. */
  note?: string;
}

/** Per evaluation: views computed once per window. */
export class ViewCache {
  private readonly routes = new Map<number, Promise<RoutesResponse>>();
  private readonly jobs = new Map<number, Promise<JobsResponse>>();
  constructor(private readonly inputs: AlertInputs, readonly atMs: number) {}
  routeView(windowMs: number): Promise<RoutesResponse> {
    let p = this.routes.get(windowMs);
    if (!p) { p = this.inputs.routes(windowMs, this.atMs); this.routes.set(windowMs, p); }
    return p;
  }
  jobView(windowMs: number): Promise<JobsResponse> {
    let p = this.jobs.get(windowMs);
    if (!p) { p = this.inputs.jobs(windowMs, this.atMs); this.jobs.set(windowMs, p); }
    return p;
  }
}

export function compare(op: AlertOp, v: number, t: number): boolean {
  switch (op) {
    case '>': return v > t;
    case '>=': return v >= t;
    case '<': return v < t;
    case '<=': return v <= t;
    case '==': return v === t;
    case '!=': return v !== t;
  }
}

const link = (c: CodeLink | undefined): CodeLink | undefined => (c ? { file: c.file, line: c.line, ...(c.column !== undefined ? { column: c.column } : {}) } : undefined);

async function evaluateThreshold(rule: ThresholdRule, inputs: AlertInputs, cache: ViewCache): Promise<AlertSample[]> {
  const at = cache.atMs;
  const out: AlertSample[] = [];
  const push = (subject: Labels, value: number | null, extra: Partial<AlertSample> = {}, eligible = true): void => {
    out.push({ subject, value, active: eligible && value !== null && compare(rule.op, value, rule.threshold), ...extra });
  };
  switch (rule.view) {
    case 'route.errorRatio': case 'route.p95': case 'route.p99': case 'route.rate': {
      const view = await cache.routeView(rule.windowMs ?? inputs.defaultWindowMs);
      for (const r of view.routes) {
        if (!rule.match.test('route', r.route) || !rule.match.test('method', r.method)) continue;
        const value = rule.view === 'route.errorRatio' ? r.errorRatio : rule.view === 'route.p95' ? r.p95 : rule.view === 'route.p99' ? r.p99 : r.rate;
        push({ route: r.route, method: r.method }, value, { code: link(r.code) }, r.requests >= rule.minRequests);
      }
      return out;
    }
    case 'job.errors': case 'job.lastSuccessAge': {
      // A last-success age can only exceed the threshold inside a window longer than it.
      const windowMs = rule.windowMs ?? (rule.view === 'job.lastSuccessAge' ? Math.max(inputs.defaultJobWindowMs, Math.ceil(rule.threshold * 1500)) : inputs.defaultJobWindowMs);
      const view = await cache.jobView(windowMs);
      for (const j of view.jobs) {
        if (!rule.match.test('job', j.job)) continue;
        if (rule.view === 'job.errors') { push({ job: j.job }, j.error, { code: link(j.code) }); continue; }
        if (j.lastSuccess !== undefined) push({ job: j.job }, (at - j.lastSuccess) / 1000, { code: link(j.code) });
        else push({ job: j.job }, windowMs / 1000, { code: link(j.code), note: `no successful run within the last ${windowMs / 1000}s (the value is a lower bound)` });
      }
      return out;
    }
    case 'drift.share': {
      for (const d of inputs.drift()) {
        if (!rule.match.test('dataset', d.dataset)) continue;
        push({ dataset: d.dataset }, d.status === 'ok' && d.report ? d.report.driftedShare : null);
      }
      return out;
    }
    case 'target.down': {
      for (const t of inputs.targets()) {
        if (!rule.match.test('target', t.name)) continue;
        push({ target: t.name }, t.health === 'unknown' ? null : t.health === 'down' ? 1 : 0, { code: metricsRouteOf(inputs.inventory, t.url), note: t.lastError?.message });
      }
      return out;
    }
  }
}

/** The inventory's `/metrics` route serving a target URL's path, when exactly one does. */
function metricsRouteOf(inventory: Inventory | undefined, url: string): CodeLink | undefined {
  let p: string;
  try { p = new URL(url).pathname; } catch { return undefined; }
  const found = (inventory?.routes ?? []).filter((r) => r.path === p && (r.method === 'GET' || r.method === 'ANY'));
  return found.length === 1 ? { file: found[0].file, line: found[0].line, column: found[0].column } : undefined;
}

/** The request metrics of the routes, found the way views.ts finds them. */
export interface RouteMetricNames {
  requests: string;
  routeLabel: string;
  methodLabel?: string;
  statusLabel?: string;
  /** Duration histogram base name (…_bucket, …_count), with its own route/method labels. */
  histogram?: string;
  histogramRouteLabel?: string;
  histogramMethodLabel?: string;
}

const firstOf = (candidates: readonly string[], present: ReadonlySet<string> | undefined): string | undefined =>
  present ? candidates.find((c) => present.has(c)) : undefined;

export async function detectRouteMetrics(source: ViewSource, atMs: number): Promise<RouteMetricNames | undefined> {
  const names = [...REQUEST_COUNTERS, ...DURATION_HISTOGRAMS.flatMap((h) => [h + '_count', h + '_bucket'])];
  const present = await source.metricLabels(names, atMs);
  const histogram = DURATION_HISTOGRAMS.find((h) => present.has(h + '_bucket'));
  const requests = REQUEST_COUNTERS.find((c) => present.has(c)) ?? (histogram ? histogram + '_count' : undefined);
  if (!requests) return undefined;
  const labels = present.get(requests);
  const routeLabel = firstOf(ROUTE_LABELS, labels);
  if (!routeLabel) return undefined;
  const hLabels = histogram ? present.get(histogram + '_bucket') : undefined;
  return {
    requests, routeLabel, methodLabel: firstOf(METHOD_LABELS, labels), statusLabel: firstOf(STATUS_LABELS, labels),
    histogram, histogramRouteLabel: firstOf(ROUTE_LABELS, hLabels), histogramMethodLabel: firstOf(METHOD_LABELS, hLabels),
  };
}

interface SubjectCounts { route: string; method: string; counts: Map<number, WindowCounts> }

async function evaluateSlo(rule: SloRule, inputs: AlertInputs, cache: ViewCache): Promise<AlertSample[]> {
  const source = inputs.source;
  if (!source) throw new Error('SLO rules need a view source');
  const at = cache.atMs;
  const m = await detectRouteMetrics(source, at);
  if (!m) return [];
  let routeLabel: string, methodLabel: string | undefined;
  const windowsMs = [...new Set(rule.windows.flatMap((w) => [w.longMs, w.shortMs]))].sort((a, b) => a - b);
  const subjects = new Map<string, SubjectCounts>();
  const subjectOf = (labels: Labels): SubjectCounts | undefined => {
    const route = labels[routeLabel] ?? '';
    const method = methodLabel ? (labels[methodLabel] ?? '').toUpperCase() : 'ANY';
    if (!rule.match.test('route', route) || !rule.match.test('method', method)) return undefined;
    const k = rule.aggregate ? '' : `${route}\u0000${method}`;
    let s = subjects.get(k);
    if (!s) { s = { route, method, counts: new Map() }; subjects.set(k, s); }
    return s;
  };
  const add = (s: SubjectCounts, w: number, bad: number, total: number): void => {
    const c = s.counts.get(w) ?? { bad: 0, total: 0 };
    c.bad += bad; c.total += total;
    s.counts.set(w, c);
  };

  if (rule.sli === 'availability') {
    if (!m.statusLabel) throw new Error(`${m.requests} has no status code label (${STATUS_LABELS.join(', ')}): an availability SLO needs one`);
    routeLabel = m.routeLabel; methodLabel = m.methodLabel;
    const by = methodLabel ? [routeLabel, methodLabel] : [routeLabel];
    const results = await Promise.all(windowsMs.map((w) => Promise.all([
      source.sumIncrease(m.requests, by, w, at),
      source.sumIncrease(m.requests, by, w, at, { label: m.statusLabel!, regex: '5..' }),
    ])));
    windowsMs.forEach((w, i) => {
      const [total, bad] = results[i];
      const badBy = new Map(bad.map((e) => [groupKey(e.labels, by), e.value]));
      for (const e of total) {
        const s = subjectOf(e.labels);
        if (s) add(s, w, badBy.get(groupKey(e.labels, by)) ?? 0, e.value);
      }
    });
  } else {
    if (!m.histogram || !m.histogramRouteLabel) throw new Error('no request duration histogram with a route label: a latency SLO needs one (http_request_duration_seconds{route,…})');
    routeLabel = m.histogramRouteLabel; methodLabel = m.histogramMethodLabel;
    const by = methodLabel ? [routeLabel, methodLabel] : [routeLabel];
    const threshold = rule.latencyThreshold!;
    const results: [Vector, Vector][] = await Promise.all(windowsMs.map((w) => Promise.all([
      source.sumIncrease(m.histogram + '_count', by, w, at),
      source.sumIncrease(m.histogram + '_bucket', [...by, 'le'], w, at),
    ])));
    const boundaries = new Set<number>();
    windowsMs.forEach((w, i) => {
      const [total, buckets] = results[i];
      const good = new Map<string, number>();
      for (const b of buckets) {
        const le = parseLe(b.labels.le);
        if (le === undefined) continue;
        boundaries.add(le);
        if (le === threshold) good.set(groupKey(b.labels, by), (good.get(groupKey(b.labels, by)) ?? 0) + b.value);
      }
      for (const e of total) {
        const s = subjectOf(e.labels);
        if (s) add(s, w, Math.max(0, e.value - (good.get(groupKey(e.labels, by)) ?? 0)), e.value);
      }
    });
    if (boundaries.size > 0 && !boundaries.has(threshold)) {
      const list = [...boundaries].filter(Number.isFinite).sort((a, b) => a - b).join(', ');
      throw new Error(`latencyThreshold ${threshold}s is not a bucket boundary of ${m.histogram} (boundaries: ${list}); requests cannot be counted as fast or slow at it`);
    }
  }

  const out: AlertSample[] = [];
  for (const s of subjects.values()) {
    const states = burnRateWindows(rule.windows, s.counts, rule.objective, rule.minRequests);
    const subject: Labels = rule.aggregate ? { slo: rule.name } : { slo: rule.name, route: s.route, method: s.method };
    const entry = rule.aggregate ? undefined : findRoute(inputs.inventory, s.method, s.route);
    out.push({
      subject, value: reportedBurnRate(states), active: states.some((x) => x.firing), burnRates: states,
      code: entry ? { file: entry.file, line: entry.line, column: entry.column } : undefined,
    });
  }
  return out;
}

export function evaluateRule(rule: AlertRule, inputs: AlertInputs, cache: ViewCache): Promise<AlertSample[]> {
  return rule.kind === 'slo' ? evaluateSlo(rule, inputs, cache) : evaluateThreshold(rule, inputs, cache);
}
