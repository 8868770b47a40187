/** The dashboard's pure view-model: rows, sorting, filtering, job order, coverage, conditions, formatting, saved state. */
import assert from 'node:assert/strict';
import type { Inventory } from '../../src/protocol/inventory';
import type { JobsResponse, RoutesResponse, TargetState } from '../../src/protocol/runtime';
import {
  alertRows,
  buildJobRows, buildRouteRows, chartSeries, conditions, coverageByFramework, datasetVerdict, filterRoutes, formatAgo, formatPercent,
  formatRate, formatScore, formatSeconds, nextSort, parseDriftDatasets, restoreViewState, sortRoutes,
} from '../../webview/model';

const inventory: Inventory = {
  root: '/repo',
  routes: [
    { file: 'src/app.ts', line: 10, column: 1, method: 'GET', path: '/users/:id', framework: 'express', coverage: 'middleware' },
    { file: 'src/app.ts', line: 20, column: 1, method: 'POST', path: '/orders', framework: 'express', coverage: 'handler' },
    { file: 'src/admin.ts', line: 5, column: 1, method: 'DELETE', path: '/admin/cache', framework: 'express', coverage: 'none' },
    { file: 'src/app.ts', line: 30, column: 1, method: 'GET', path: '/metrics', framework: 'express', coverage: 'none' },
    { file: 'src/hooks.ts', line: 3, column: 1, method: 'POST', path: '/hooks', framework: 'fastify', coverage: 'none' },
  ],
  jobs: [
    { file: 'src/jobs.ts', line: 1, column: 1, kind: 'node-cron', name: 'nightly', schedule: '0 3 * * *', coverage: 'handler' },
    { file: 'src/jobs.ts', line: 9, column: 1, kind: 'interval', name: 'cleanup', coverage: 'none' },
  ],
  metrics: [],
  errors: [],
};

const route = (method: string, r: string, rate: number, errorRatio: number | null, p95: number | null, code?: { file: string; line: number }) => ({
  method, route: r, rate, requests: rate * 60, errors: (errorRatio ?? 0) * rate * 60, errorRatio, p50: p95 === null ? null : p95 / 2, p95, p99: p95 === null ? null : p95 * 1.5,
  ...(code ? { code: { ...code, framework: 'express', path: r } } : {}),
});

const routes: RoutesResponse = {
  source: 'local', at: 1_000_000, windowSeconds: 60,
  routes: [
    route('GET', '/users/:id', 5, 0.01, 0.05, { file: 'src/app.ts', line: 10 }),
    route('POST', '/orders', 2, 0, 0.2, { file: 'src/app.ts', line: 20 }),
    route('GET', '/fail', 0.5, 1, null),
    route('GET', '/metrics', 1, 0, 0.003, { file: 'src/app.ts', line: 30 }),
  ],
};

describe('webview model: routes', () => {
  it('joins measured routes with the uninstrumented routes of the inventory (plumbing paths left out)', () => {
    const rows = buildRouteRows(routes, inventory);
    assert.deepEqual(rows.map((r) => `${r.key}${r.instrumented ? '' : ' (none)'}`),
      ['GET /users/:id', 'POST /orders', 'GET /fail', 'GET /metrics', 'DELETE /admin/cache (none)', 'POST /hooks (none)']);
    assert.deepEqual(rows.find((r) => r.key === 'DELETE /admin/cache')!.code, { file: 'src/admin.ts', line: 5, column: 1 });
    assert.equal(rows.find((r) => r.key === 'GET /users/:id')!.coverage, 'middleware');
    // a route the runtime measures is never listed twice, even when the inventory says coverage none
    assert.equal(rows.filter((r) => r.route === '/metrics').length, 1);
  });

  it('works without an inventory and without routes', () => {
    assert.equal(buildRouteRows(routes, null).length, 4);
    assert.deepEqual(buildRouteRows(undefined, undefined), []);
  });

  it('sorts by a number with rows lacking a value last in both directions', () => {
    const rows = buildRouteRows(routes, inventory);
    const desc = sortRoutes(rows, { key: 'p95', dir: 'desc' }).map((r) => r.key);
    assert.deepEqual(desc.slice(0, 3), ['POST /orders', 'GET /users/:id', 'GET /metrics']);
    assert.deepEqual(desc.slice(3), ['DELETE /admin/cache', 'GET /fail', 'POST /hooks']);
    const asc = sortRoutes(rows, { key: 'p95', dir: 'asc' }).map((r) => r.key);
    assert.deepEqual(asc.slice(0, 3), ['GET /metrics', 'GET /users/:id', 'POST /orders']);
    assert.deepEqual(asc.slice(3), ['DELETE /admin/cache', 'GET /fail', 'POST /hooks']);
  });

  it('sorts by text and flips on the second click', () => {
    const rows = buildRouteRows(routes, null);
    assert.deepEqual(sortRoutes(rows, { key: 'route', dir: 'asc' }).map((r) => r.route), ['/fail', '/metrics', '/orders', '/users/:id']);
    assert.deepEqual(sortRoutes(rows, { key: 'route', dir: 'desc' }).map((r) => r.route), ['/users/:id', '/orders', '/metrics', '/fail']);
    assert.deepEqual(nextSort({ key: 'rate', dir: 'desc' }, 'rate'), { key: 'rate', dir: 'asc' });
    assert.deepEqual(nextSort({ key: 'rate', dir: 'desc' }, 'route'), { key: 'route', dir: 'asc' });
    assert.deepEqual(nextSort({ key: 'route', dir: 'asc' }, 'errorRatio'), { key: 'errorRatio', dir: 'desc' });
  });

  it('filters on every term, case-insensitively, over method, path, file and state', () => {
    const rows = buildRouteRows(routes, inventory);
    assert.deepEqual(filterRoutes(rows, 'ORDERS').map((r) => r.key), ['POST /orders']);
    assert.deepEqual(filterRoutes(rows, 'get  users').map((r) => r.key), ['GET /users/:id']);
    assert.deepEqual(filterRoutes(rows, 'admin.ts').map((r) => r.key), ['DELETE /admin/cache']);
    assert.deepEqual(filterRoutes(rows, 'uninstrumented').map((r) => r.key), ['DELETE /admin/cache', 'POST /hooks']);
    assert.equal(filterRoutes(rows, '   ').length, rows.length);
    assert.equal(filterRoutes(rows, 'nothing-like-this').length, 0);
  });
});

describe('webview model: jobs and coverage', () => {
  const jobs: JobsResponse = {
    source: 'local', at: 0, windowSeconds: 3600,
    jobs: [
      { job: 'nightly', lastRun: 100, lastStatus: 'success', lastSuccess: 100, ok: 3, error: 0, okTotal: 10, errorTotal: 0, p95Duration: 2, rowsProcessed: 50 },
      { job: 'export', lastRun: 200, lastStatus: 'error', lastSuccess: 50, ok: 1, error: 2, okTotal: 5, errorTotal: 2, p95Duration: 9, rowsProcessed: 0 },
      { job: 'billing', lastRun: 300, lastStatus: 'completed', ok: 4, error: 1, okTotal: 4, errorTotal: 1, p95Duration: 1, rowsProcessed: null },
      { job: 'never-worked', ok: 0, error: 0, okTotal: 0, errorTotal: 7, p95Duration: null, rowsProcessed: null },
    ],
  };

  it('puts failing jobs first, then jobs with errors, then the rest; inventory-only jobs join', () => {
    const rows = buildJobRows(jobs, inventory);
    assert.deepEqual(rows.map((r) => `${r.name}:${r.status}`), ['export:failing', 'never-worked:failing', 'billing:errors', 'nightly:ok', 'cleanup:uninstrumented']);
    assert.equal(rows.find((r) => r.name === 'nightly')!.schedule, '0 3 * * *');
    assert.equal(rows.find((r) => r.name === 'export')!.lastSuccess, 50);
  });

  it('counts instrumented routes per framework and jobs per kind', () => {
    assert.deepEqual(coverageByFramework(inventory), [
      { group: 'interval', kind: 'jobs', instrumented: 0, total: 1 },
      { group: 'node-cron', kind: 'jobs', instrumented: 1, total: 1 },
      { group: 'express', kind: 'routes', instrumented: 2, total: 3 },
      { group: 'fastify', kind: 'routes', instrumented: 0, total: 1 },
    ]);
    assert.deepEqual(coverageByFramework(null), []);
  });
});

describe('webview model: page conditions', () => {
  const target = (o: Partial<TargetState>): TargetState => ({ name: 'app', url: 'http://127.0.0.1:3000/metrics', intervalSeconds: 5, health: 'up', samples: 0, series: 0, parseErrors: [], seriesRefused: 0, counterResets: 0, bytes: 0, ...o });
  const kinds = (c: ReturnType<typeof conditions>) => c.map((x) => x.kind);

  it('no targets (with the inventory\'s suggestions), but not for a Prometheus source', () => {
    const c = conditions({ targets: [], suggestions: [{ path: '/metrics', file: 'src/app.ts', line: 30 }], inventory, now: 0 });
    assert.deepEqual(c[0], { kind: 'no-targets', suggestions: [{ path: '/metrics', file: 'src/app.ts', line: 30 }] });
    assert.deepEqual(kinds(conditions({ targets: [], source: 'prometheus', inventory, now: 0 })), []);
  });

  it('a down target, with waiting only while some target has not been scraped', () => {
    const down = target({ name: 'billing', health: 'down', lastError: { kind: 'refused', message: 'connection refused', at: 1 } });
    assert.deepEqual(kinds(conditions({ targets: [down, target({ health: 'unknown' })], inventory, now: 10 })), ['target-down', 'waiting']);
    assert.deepEqual(kinds(conditions({ targets: [down], routes, inventory, now: 10 })), ['target-down']);
  });

  it('waiting is bounded: after two intervals without route metrics it says so instead', () => {
    const t = target({ lastSuccess: 1000, series: 0 });
    const empty: RoutesResponse = { source: 'local', at: 0, windowSeconds: 60, routes: [] };
    assert.deepEqual(kinds(conditions({ targets: [t], routes: empty, inventory, now: 5000 })), ['waiting']);
    assert.deepEqual(kinds(conditions({ targets: [target({ lastSuccess: 1000, series: 40 })], routes: empty, inventory, now: 5000 })), ['no-route-metrics']);
    assert.deepEqual(kinds(conditions({ targets: [t], routes: empty, inventory, now: 20_000 })), ['no-route-metrics']);
    const withMetrics = { ...empty, metrics: { requests: 'http_requests_total' } };
    assert.deepEqual(kinds(conditions({ targets: [target({ lastSuccess: 1000, series: 40 })], routes: withMetrics, inventory, now: 20_000 })), ['no-traffic']);
  });

  it('an empty or missing inventory', () => {
    assert.deepEqual(kinds(conditions({ targets: [target({})], routes, inventory: null, now: 0 })), ['empty-inventory']);
    assert.deepEqual(kinds(conditions({ targets: [target({})], routes, inventory: { ...inventory, routes: [], jobs: [] }, now: 0 })), ['empty-inventory']);
    assert.deepEqual(kinds(conditions({ targets: [target({})], routes, inventory: undefined, now: 0 })), [], 'not loaded yet is not empty');
  });
});

describe('webview model: drift, formatting and saved state', () => {
  it('keeps well-formed datasets and counts the rest', () => {
    const report = { columns: [{ column: 'a', drifted: true }], checks: [], driftedShare: 1, datasetDrift: true, failed: false };
    const { datasets, rejected } = parseDriftDatasets([
      { dataset: 'orders', status: 'ok', report }, { dataset: 'x', status: 'weird' }, 'nonsense', { dataset: 'p', status: 'pending' },
      { dataset: 'bad', status: 'ok', report: { columns: 'no' } },
    ]);
    assert.deepEqual(datasets.map((d) => d.dataset), ['orders', 'p']);
    assert.equal(rejected, 3);
    assert.equal(datasetVerdict(datasets[0]), 'drift');
    assert.equal(datasetVerdict(datasets[1]), 'pending');
    assert.equal(datasetVerdict({ dataset: 'e', status: 'error', message: 'no file' }), 'error');
    assert.deepEqual(parseDriftDatasets(undefined), { datasets: [], rejected: 0 });
  });

  it('chart series in percent with bin labels', () => {
    assert.deepEqual(chartSeries({ kind: 'histogram', edges: [0, 0.5, 1], reference: [0.25, 0.75], current: [0.5, 0.5] }),
      { labels: ['0–0.5', '0.5–1'], reference: [25, 75], current: [50, 50] });
    assert.deepEqual(chartSeries({ kind: 'categories', keys: ['DE', 'FR'], reference: [0.123456, 0.876544], current: [1, 0] }),
      { labels: ['DE', 'FR'], reference: [12.35, 87.65], current: [100, 0] });
  });

  it('formats numbers for people', () => {
    assert.equal(formatRate(0), '0/s');
    assert.equal(formatRate(0.004), '<0.01/s');
    assert.equal(formatRate(2.666), '2.67/s');
    assert.equal(formatRate(14.81), '14.8/s');
    assert.equal(formatRate(1234.4), '1,234/s');
    assert.equal(formatRate(null), '—');
    assert.equal(formatPercent(0.1134), '11.3%');
    assert.equal(formatPercent(0.0004), '<0.1%');
    assert.equal(formatPercent(1), '100%');
    assert.equal(formatSeconds(0.0004), '400 µs');
    assert.equal(formatSeconds(0.0042), '4.2 ms');
    assert.equal(formatSeconds(0.2), '200 ms');
    assert.equal(formatSeconds(1.254), '1.25 s');
    assert.equal(formatSeconds(600), '10.0 min');
    assert.equal(formatSeconds(NaN), '—');
    assert.equal(formatScore(8.51e-19), '8.51e-19');
    assert.equal(formatScore(0.35219), '0.3522');
    assert.equal(formatAgo(undefined, 0), 'never');
    assert.equal(formatAgo(10_000, 10_500), 'just now');
    assert.equal(formatAgo(0 + 1, 45_001), '45 s ago');
    assert.equal(formatAgo(1, 1 + 10 * 60_000), '10 min ago');
    assert.equal(formatAgo(1, 1 + 5 * 3_600_000), '5 h ago');
  });

  it('restores only the valid parts of a saved state', () => {
    assert.deepEqual(restoreViewState({ view: 'drift', routeSort: { key: 'p99', dir: 'asc' }, routeFilter: 'x', selectedRoute: 'GET /a' }),
      { view: 'drift', routeSort: { key: 'p99', dir: 'asc' }, routeFilter: 'x', selectedRoute: 'GET /a' });
    assert.deepEqual(restoreViewState({ view: '<script>', routeSort: { key: 'constructor', dir: 'up' }, routeFilter: 7 }),
      { view: 'overview', routeSort: { key: 'rate', dir: 'desc' }, routeFilter: '' });
    assert.deepEqual(restoreViewState('garbage'), restoreViewState(undefined));
  });
});

describe('alert rows', () => {
  const base = { enabled: true, intervalSeconds: 15, pending: [], resolved: [], rules: [], notifiers: [] };
  const inst = (over: Record<string, unknown>) => ({
    fingerprint: String(Math.random()), rule: 'RouteErrorRatio', status: 'firing', severity: 'warning',
    labels: { alertname: 'RouteErrorRatio', route: '/api/orders/:id', method: 'GET' }, annotations: { summary: 'GET /api/orders/:id fails 12.5% of requests' },
    value: 0.125, activeAt: 1000, firedAt: 2000, lastEvaluatedAt: 3000, code: { file: 'src/orders.ts', line: 31 }, ...over,
  });

  it('lists firing alerts critical first, with subject, value and code link', () => {
    const rows = alertRows({ ...base, firing: [inst({}), inst({ rule: 'JobFailing', severity: 'critical', labels: { job: 'nightly-rollup' }, value: 3, code: undefined })] } as never);
    assert.deepEqual(rows.firing.map((r) => [r.rule, r.subject, r.value]), [['JobFailing', 'job nightly-rollup', '3'], ['RouteErrorRatio', 'GET /api/orders/:id', '0.125']]);
    assert.deepEqual(rows.firing[1].code, { file: 'src/orders.ts', line: 31, column: undefined });
    assert.equal(rows.firing[1].since, 2000);
  });

  it('resolved alerts newest first; no response gives empty lists', () => {
    const rows = alertRows({ ...base, firing: [], resolved: [inst({ status: 'resolved', resolvedAt: 5000, rule: 'a' }), inst({ status: 'resolved', resolvedAt: 9000, rule: 'b' })] } as never);
    assert.deepEqual(rows.resolved.map((r) => r.rule), ['b', 'a']);
    assert.deepEqual(alertRows(undefined), { firing: [], pending: [], resolved: [] });
  });
});
