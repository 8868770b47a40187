/**
 * Pure view-model functions of the dashboard: rows from the runtime's responses joined with the
 * inventory, sorting, filtering, ordering, the page conditions (runtime down, no targets, waiting…)
 * and number formatting. No DOM here, so all of it is unit-tested in Node.
 */
import type { AlertInstance, AlertsResponse } from '../src/protocol/alerts';
import type { DashboardViewState, RouteSortKey } from '../src/protocol/dashboard';
import type { ColumnChart, DatasetDriftState, DriftReport } from '../src/protocol/drift';
import type { Coverage, Inventory } from '../src/protocol/inventory';
import type { CodeLink, JobsResponse, RoutesResponse, TargetState } from '../src/protocol/runtime';

// ---------------------------------------------------------------- formatting

export const DASH = '—';

export function formatRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (v === 0) return '0/s';
  if (v < 0.01) return '<0.01/s';
  if (v < 10) return `${v.toFixed(2)}/s`;
  if (v < 100) return `${v.toFixed(1)}/s`;
  return `${Math.round(v).toLocaleString('en-US')}/s`;
}

export function formatPercent(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return DASH;
  if (r === 0) return '0%';
  if (r < 0.001) return '<0.1%';
  if (r >= 1) return '100%';
  return `${(r * 100).toFixed(1)}%`;
}

/** Seconds → `850 µs`, `4.2 ms`, `120 ms`, `1.25 s`, `2.0 min`. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return DASH;
  if (s === 0) return '0 ms';
  if (s < 0.001) return `${Math.round(s * 1e6)} µs`;
  if (s < 0.01) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  const r = Math.abs(n - Math.round(n)) < 1e-9 ? Math.round(n) : Number(n.toFixed(2));
  return r.toLocaleString('en-US');
}

/** `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`; `never` without a time. */
export function formatAgo(t: number | undefined, now: number): string {
  if (t === undefined || !Number.isFinite(t) || t <= 0) return 'never';
  const s = Math.max(0, (now - t) / 1000);
  if (s < 2) return 'just now';
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (v === 0) return '0';
  if (Math.abs(v) < 0.001) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

export function codeLabel(code: CodeLink | undefined): string {
  return code ? `${code.file}:${code.line}` : '';
}

// ---------------------------------------------------------------- routes

export const routeKey = (method: string, route: string): string => `${method} ${route}`;

export interface RouteRow {
  key: string;
  method: string;
  route: string;
  /** False for inventory routes with no metrics (coverage none) that the runtime does not see. */
  instrumented: boolean;
  rate: number | null;
  requests: number | null;
  errors: number | null;
  errorRatio: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  code?: CodeLink;
  framework?: string;
  coverage?: Coverage;
}

const placeIndex = new WeakMap<Inventory, Map<string, Inventory['routes'][number]>>();
/** The inventory's routes by "file:line" (built once per inventory: route rows join on it every update). */
function byPlace(inventory: Inventory): Map<string, Inventory['routes'][number]> {
  let m = placeIndex.get(inventory);
  if (!m) {
    m = new Map();
    for (const e of inventory.routes) if (!m.has(`${e.file}:${e.line}`)) m.set(`${e.file}:${e.line}`, e);
    placeIndex.set(inventory, m);
  }
  return m;
}

/** Paths that are plumbing, not product routes (still shown when they carry traffic). */
const PLUMBING = /^\/(metrics|healthz?|readyz?|livez?)\/?$/;

/**
 * One row per route the runtime measures, plus the inventory's uninstrumented routes it does not
 * measure (with an "Instrument" action). Routes the runtime sees are never hidden.
 */
export function buildRouteRows(routes: RoutesResponse | undefined, inventory: Inventory | null | undefined): RouteRow[] {
  const rows: RouteRow[] = [];
  const seen = new Set<string>();
  const seenCode = new Set<string>();
  for (const r of routes?.routes ?? []) {
    const key = routeKey(r.method, r.route);
    if (seen.has(key)) continue;
    seen.add(key);
    const code = r.code ? { file: r.code.file, line: r.code.line, column: r.code.column } : undefined;
    const entry = code && inventory ? byPlace(inventory).get(`${code.file}:${code.line}`) : undefined;
    if (code && inventory) seenCode.add(`${code.file}:${code.line}`);
    rows.push({
      key, method: r.method, route: r.route, instrumented: true,
      rate: r.rate, requests: r.requests, errors: r.errors, errorRatio: r.errorRatio, p50: r.p50, p95: r.p95, p99: r.p99,
      code, framework: r.code?.framework, coverage: entry?.coverage,
    });
  }
  for (const e of inventory?.routes ?? []) {
    if (e.coverage !== 'none' || PLUMBING.test(e.path)) continue;
    const key = routeKey(e.method, e.path);
    if (seen.has(key) || seenCode.has(`${e.file}:${e.line}`)) continue;
    seen.add(key);
    rows.push({
      key, method: e.method, route: e.path, instrumented: false,
      rate: null, requests: null, errors: null, errorRatio: null, p50: null, p95: null, p99: null,
      code: { file: e.file, line: e.line, column: e.column }, framework: e.framework, coverage: e.coverage,
    });
  }
  return rows;
}

/** Case-insensitive; every whitespace-separated term must match the method, route, file or framework. */
export function filterRoutes(rows: readonly RouteRow[], filter: string): RouteRow[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...rows];
  return rows.filter((r) => {
    const hay = `${r.method} ${r.route} ${r.code?.file ?? ''} ${r.framework ?? ''} ${r.instrumented ? '' : 'uninstrumented'}`.toLowerCase();
    return terms.every((t) => hay.includes(t));
  });
}

/** Sorts by a column; rows without a value (uninstrumented, no traffic) always go last. Stable ties by route, method. */
export function sortRoutes(rows: readonly RouteRow[], sort: DashboardViewState['routeSort']): RouteRow[] {
  const { key, dir } = sort;
  const sign = dir === 'asc' ? 1 : -1;
  const tie = (a: RouteRow, b: RouteRow) => cmpStr(a.route, b.route) || cmpStr(a.method, b.method);
  return [...rows].sort((a, b) => {
    if (key === 'method' || key === 'route') return sign * (cmpStr(a[key], b[key]) || (key === 'method' ? cmpStr(a.route, b.route) : cmpStr(a.method, b.method)));
    const va = a[key], vb = b[key];
    const na = va === null || Number.isNaN(va), nb = vb === null || Number.isNaN(vb);
    if (na || nb) return na === nb ? tie(a, b) : na ? 1 : -1;
    return sign * (va - vb) || tie(a, b);
  });
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const SORT_KEYS: readonly RouteSortKey[] = ['method', 'route', 'rate', 'errorRatio', 'p50', 'p95', 'p99'];

/** Clicking a column header: the same column flips, a new one starts descending for numbers, ascending for text. */
export function nextSort(current: DashboardViewState['routeSort'], key: RouteSortKey): DashboardViewState['routeSort'] {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'method' || key === 'route' ? 'asc' : 'desc' };
}

// ---------------------------------------------------------------- jobs

const OK_STATUS = /^(ok|success|succeeded|successful|completed|complete|done|passed)$/i;

export type JobStatus = 'failing' | 'errors' | 'ok' | 'idle' | 'uninstrumented';

export interface JobRow {
  key: string;
  name: string;
  status: JobStatus;
  lastRun?: number;
  lastStatus?: string;
  lastSuccess?: number;
  ok: number | null;
  error: number | null;
  okTotal: number | null;
  errorTotal: number | null;
  p95: number | null;
  rows: number | null;
  code?: CodeLink;
  kind?: string;
  schedule?: string;
}

const JOB_ORDER: Record<JobStatus, number> = { failing: 0, errors: 1, ok: 2, idle: 3, uninstrumented: 4 };

/** Runtime jobs joined with the inventory's jobs; failing first, then jobs with errors, then by name. */
export function buildJobRows(jobs: JobsResponse | undefined, inventory: Inventory | null | undefined): JobRow[] {
  const rows: JobRow[] = [];
  const seen = new Set<string>();
  for (const j of jobs?.jobs ?? []) {
    seen.add(j.job);
    const inv = inventory?.jobs.find((e) => e.name === j.job);
    // Failing: the last run seen failed, or (no run in the window) it has failed and never succeeded.
    const lastFailed = j.lastStatus !== undefined ? !OK_STATUS.test(j.lastStatus) : j.errorTotal > 0 && j.okTotal === 0;
    const status: JobStatus = lastFailed ? 'failing' : j.error > 0 ? 'errors' : j.ok > 0 || j.lastRun ? 'ok' : 'idle';
    rows.push({
      key: j.job, name: j.job, status, lastRun: j.lastRun, lastStatus: j.lastStatus, lastSuccess: j.lastSuccess,
      ok: j.ok, error: j.error, okTotal: j.okTotal, errorTotal: j.errorTotal, p95: j.p95Duration, rows: j.rowsProcessed,
      code: j.code ? { file: j.code.file, line: j.code.line, column: j.code.column } : undefined,
      kind: j.code?.kind ?? inv?.kind, schedule: inv?.schedule,
    });
  }
  for (const e of inventory?.jobs ?? []) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    rows.push({
      key: e.name, name: e.name, status: e.coverage === 'none' ? 'uninstrumented' : 'idle',
      ok: null, error: null, okTotal: null, errorTotal: null, p95: null, rows: null,
      code: { file: e.file, line: e.line, column: e.column }, kind: e.kind, schedule: e.schedule,
    });
  }
  return rows.sort((a, b) => JOB_ORDER[a.status] - JOB_ORDER[b.status] || cmpStr(a.name, b.name));
}

// ---------------------------------------------------------------- inventory coverage

export interface CoverageRow { group: string; kind: 'routes' | 'jobs'; instrumented: number; total: number }

/** Routes per framework and jobs per kind: how many are instrumented (any coverage but none). */
export function coverageByFramework(inventory: Inventory | null | undefined): CoverageRow[] {
  const out = new Map<string, CoverageRow>();
  const add = (kind: 'routes' | 'jobs', group: string, covered: boolean) => {
    const k = `${kind}:${group}`;
    const row = out.get(k) ?? { group, kind, instrumented: 0, total: 0 };
    row.total++;
    if (covered) row.instrumented++;
    out.set(k, row);
  };
  for (const r of inventory?.routes ?? []) if (!PLUMBING.test(r.path)) add('routes', r.framework, r.coverage !== 'none');
  for (const j of inventory?.jobs ?? []) add('jobs', j.kind, j.coverage !== 'none');
  return [...out.values()].sort((a, b) => cmpStr(a.kind, b.kind) || b.total - a.total || cmpStr(a.group, b.group));
}

// ---------------------------------------------------------------- page conditions

export type Condition =
  | { kind: 'no-targets'; suggestions: { path: string; file: string; line: number }[] }
  | { kind: 'target-down'; target: TargetState }
  | { kind: 'waiting'; targets: TargetState[] }
  | { kind: 'no-route-metrics'; targets: TargetState[] }
  | { kind: 'no-traffic'; windowSeconds: number }
  | { kind: 'empty-inventory' };

export interface ConditionInput {
  targets?: TargetState[];
  suggestions?: { path: string; file: string; line: number }[];
  /** The views come from a Prometheus server (no targets of our own then). */
  source?: 'local' | 'prometheus';
  routes?: RoutesResponse;
  inventory?: Inventory | null;
  now: number;
}

/**
 * What the routes and overview pages must explain before (or next to) their numbers. Waiting is
 * bounded: a target that was scraped successfully twice or more no longer counts as waiting, so
 * "waiting for the first samples" turns into a precise explanation instead of a spinner forever.
 */
export function conditions(input: ConditionInput): Condition[] {
  const out: Condition[] = [];
  const targets = input.targets ?? [];
  if (input.source !== 'prometheus' && input.targets !== undefined && targets.length === 0) {
    out.push({ kind: 'no-targets', suggestions: input.suggestions ?? [] });
  }
  for (const t of targets) if (t.health === 'down') out.push({ kind: 'target-down', target: t });
  const waiting = targets.filter((t) => t.health === 'unknown' || (t.health === 'up' && isFresh(t, input.now)));
  const up = targets.filter((t) => t.health === 'up');
  const noRoutes = (input.routes?.routes.length ?? 0) === 0;
  if (noRoutes && waiting.length > 0) out.push({ kind: 'waiting', targets: waiting });
  else if (noRoutes && input.routes && up.length > 0 && !input.routes.metrics) out.push({ kind: 'no-route-metrics', targets: up });
  else if (noRoutes && input.routes?.metrics) out.push({ kind: 'no-traffic', windowSeconds: input.routes.windowSeconds });
  if (input.inventory !== undefined && (input.inventory === null || (input.inventory.routes.length === 0 && input.inventory.jobs.length === 0))) {
    out.push({ kind: 'empty-inventory' });
  }
  return out;
}

/** Up, but rates need two scrapes: within two intervals of the first success it is still "waiting". */
function isFresh(t: TargetState, now: number): boolean {
  if (t.lastSuccess === undefined) return true;
  return t.series === 0 && now - t.lastSuccess < 2 * t.intervalSeconds * 1000;
}

// ---------------------------------------------------------------- drift

/** Datasets from `/api/drift` (typed `unknown[]` by the API): keeps the well-formed ones, reports the rest. */
export function parseDriftDatasets(raw: unknown): { datasets: DatasetDriftState[]; rejected: number } {
  const list = Array.isArray(raw) ? raw : [];
  const datasets: DatasetDriftState[] = [];
  let rejected = 0;
  for (const d of list) {
    if (isObject(d) && typeof d.dataset === 'string' && (d.status === 'ok' || d.status === 'error' || d.status === 'pending')
      && (d.report === undefined || isReport(d.report))) datasets.push(d as unknown as DatasetDriftState);
    else rejected++;
  }
  return { datasets, rejected };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isReport(x: unknown): x is DriftReport {
  return isObject(x) && Array.isArray(x.columns) && Array.isArray(x.checks) && typeof x.driftedShare === 'number'
    && x.columns.every((c) => isObject(c) && typeof c.column === 'string' && typeof c.drifted === 'boolean');
}

export type Verdict = 'drift' | 'no-drift' | 'failed' | 'pending' | 'error';

export function datasetVerdict(d: DatasetDriftState): Verdict {
  if (d.status === 'error') return 'error';
  if (!d.report) return 'pending';
  if (d.report.datasetDrift) return 'drift';
  return d.report.failed ? 'failed' : 'no-drift';
}

/** Chart labels and the two series of a reference-vs-current chart, in percent of rows. */
export function chartSeries(chart: ColumnChart): { labels: string[]; reference: number[]; current: number[] } {
  const pct = (xs: number[]) => xs.map((x) => Math.round(x * 10000) / 100);
  if (chart.kind === 'categories') return { labels: [...chart.keys], reference: pct(chart.reference), current: pct(chart.current) };
  const labels = chart.reference.map((_, i) => `${formatScore(chart.edges[i])}–${formatScore(chart.edges[i + 1])}`);
  return { labels, reference: pct(chart.reference), current: pct(chart.current) };
}

// ---------------------------------------------------------------- view state

export const DEFAULT_VIEW_STATE: DashboardViewState = { view: 'overview', routeSort: { key: 'rate', dir: 'desc' }, routeFilter: '' };

const VIEWS = ['overview', 'routes', 'jobs', 'drift', 'alerts'] as const;

/** A saved state is ours but may be from an older version: keep what is valid, default the rest. */
export function restoreViewState(raw: unknown): DashboardViewState {
  const s: DashboardViewState = { ...DEFAULT_VIEW_STATE, routeSort: { ...DEFAULT_VIEW_STATE.routeSort } };
  if (!isObject(raw)) return s;
  if (typeof raw.view === 'string' && (VIEWS as readonly string[]).includes(raw.view)) s.view = raw.view as DashboardViewState['view'];
  if (isObject(raw.routeSort) && (SORT_KEYS as readonly unknown[]).includes(raw.routeSort.key) && (raw.routeSort.dir === 'asc' || raw.routeSort.dir === 'desc')) {
    s.routeSort = { key: raw.routeSort.key as RouteSortKey, dir: raw.routeSort.dir };
  }
  if (typeof raw.routeFilter === 'string') s.routeFilter = raw.routeFilter.slice(0, 200);
  if (typeof raw.selectedRoute === 'string') s.selectedRoute = raw.selectedRoute;
  if (typeof raw.selectedDataset === 'string') s.selectedDataset = raw.selectedDataset;
  if (typeof raw.selectedJob === 'string') s.selectedJob = raw.selectedJob;
  return s;
}

// ------------------------------------------------------------------------------------------ alerts

export interface AlertRow {
  fingerprint: string;
  status: 'firing' | 'pending' | 'resolved';
  severity: string;
  rule: string;
  /** What it is about: `GET /api/orders/:id`, `job nightly-rollup`, `dataset scoring`, `target api`. */
  subject: string;
  summary: string;
  value: string;
  /** When it started firing (pending: became active; resolved: resolved). */
  since: number;
  code?: { file: string; line: number; column?: number };
}

/** The alert lists of `/api/alerts`, firing first (critical first), then pending, then resolved (newest first). */
export function alertRows(alerts: AlertsResponse | undefined): { firing: AlertRow[]; pending: AlertRow[]; resolved: AlertRow[] } {
  const rank: Record<string, number> = { critical: 0, page: 1, warning: 2, ticket: 3, info: 4 };
  const row = (a: AlertInstance): AlertRow => {
    const l = a.labels ?? {};
    const subject = l.route ? `${l.method ? l.method + ' ' : ''}${l.route}` : l.job ? `job ${l.job}` : l.dataset ? `dataset ${l.dataset}` : l.target ? `target ${l.target}` : '';
    return {
      fingerprint: a.fingerprint, status: a.status, severity: a.severity, rule: a.rule, subject,
      summary: a.annotations?.summary ?? a.annotations?.description ?? '',
      value: a.value === null || a.value === undefined ? '—' : Math.abs(a.value) >= 100 || Number.isInteger(a.value) ? String(Math.round(a.value * 100) / 100) : a.value.toPrecision(3),
      since: (a.status === 'resolved' ? a.resolvedAt : a.status === 'firing' ? a.firedAt : a.activeAt) ?? a.activeAt,
      code: a.code ? { file: a.code.file, line: a.code.line, column: a.code.column } : undefined,
    };
  };
  const bySeverity = (x: AlertRow, y: AlertRow) => (rank[x.severity] ?? 9) - (rank[y.severity] ?? 9) || y.since - x.since;
  return {
    firing: (alerts?.firing ?? []).map(row).sort(bySeverity),
    pending: (alerts?.pending ?? []).map(row).sort(bySeverity),
    resolved: (alerts?.resolved ?? []).map(row).sort((x, y) => y.since - x.since),
  };
}
