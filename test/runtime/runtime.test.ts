/**
 * The runtime against a real prom-client app on 127.0.0.1: scraped through the real HTTP stack,
 * views served by the real API. The expected numbers are computed independently from the app's
 * own /metrics with a plain regex reading, not our parser.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Inventory } from '../../src/protocol/inventory';
import type { JobsResponse, RoutesResponse, SeriesResponse, TargetsResponse } from '../../src/protocol/runtime';
import { histogramQuantile } from '../../src/runtime/query/histogram-quantile';
import { startRuntime, type RuntimeHandle } from '../../src/runtime/main';
import { sendTraffic, startExpressApp, type FixtureApp } from '../fixtures/runtime/express-app';
import { startFastifyApp } from '../fixtures/runtime/fastify-app';
import { getJson, readEvents, silentLogger, tmpDir } from './helpers';

/**
 * An independent reading of one /metrics snapshot (a plain regex over prom-client's output, not our
 * parser): per (route, method) the request count, the 5xx count and the cumulative buckets.
 */
function snapshot(text: string) {
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(l)!;
    const labels: Record<string, string> = {};
    for (const x of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[x[1]] = x[2];
    return { name: m[1], labels, value: Number(m[3]) };
  });
  const reqs = new Map<string, { total: number; errors: number }>();
  const buckets = new Map<string, Map<number, number>>();
  const jobs = new Map<string, number>();
  for (const { name, labels, value } of lines) {
    const k = `${labels.route} ${labels.method}`;
    if (name === 'http_requests_total') {
      const e = reqs.get(k) ?? { total: 0, errors: 0 };
      e.total += value;
      if (/^5/.test(labels.status_code)) e.errors += value;
      reqs.set(k, e);
    } else if (name === 'http_request_duration_seconds_bucket') {
      const b = buckets.get(k) ?? new Map<number, number>();
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      b.set(le, (b.get(le) ?? 0) + value);
      buckets.set(k, b);
    } else if (name === 'job_runs_total') {
      jobs.set(`${labels.job} ${labels.status}`, value);
    }
  }
  return { reqs, buckets, jobs };
}

const inventory: Inventory = {
  root: '/repo',
  routes: [
    { file: 'src/app.ts', line: 40, column: 3, method: 'GET', path: '/users/:id', framework: 'express', coverage: 'middleware' },
    { file: 'src/app.ts', line: 45, column: 3, method: 'POST', path: '/orders', framework: 'express', coverage: 'middleware' },
    { file: 'src/app.ts', line: 47, column: 3, method: 'GET', path: '/fail', framework: 'express', coverage: 'middleware' },
    { file: 'src/app.ts', line: 48, column: 3, method: 'GET', path: '/metrics', framework: 'express', coverage: 'none' },
  ],
  jobs: [{ file: 'src/jobs/nightly.ts', line: 7, column: 1, kind: 'node-cron', name: 'nightly-import', schedule: '0 3 * * *', coverage: 'handler' }],
  metrics: [
    { file: 'src/metrics.ts', line: 5, column: 14, name: 'http_request_duration_seconds', type: 'histogram', labelNames: ['method', 'route', 'status_code'], library: 'prom-client' },
    { file: 'src/metrics.ts', line: 11, column: 14, name: 'http_requests_total', type: 'counter', labelNames: ['method', 'route', 'status_code'], library: 'prom-client' },
  ],
  errors: [],
};

describe('runtime: a real prom-client app scraped over HTTP', function () {
  this.timeout(60_000);
  let app: FixtureApp;
  let rt: RuntimeHandle | undefined;
  let clock = 1_700_000_000_000;
  const tokenDir = tmpDir('tt-token-');

  before(async () => { app = await startExpressApp(); });
  after(async () => {
    await rt?.close();
    await app?.close();
    fs.rmSync(tokenDir, { recursive: true, force: true });
  });

  it('serves RED per route and job health equal to what the app\'s /metrics says', async () => {
    await sendTraffic(app.url, 5, { failEvery: 2 }); // every series exists before the first scrape
    app.runJob('nightly-import', true, 100, 2);
    rt = await startRuntime({ targets: [{ url: app.metricsUrl, name: 'shop' }], now: () => clock, autoScrape: false, logger: silentLogger, inventory, tokenDir });
    const t0 = clock;
    await rt.round();
    const a = snapshot(await (await fetch(app.metricsUrl)).text());
    const sent = await sendTraffic(app.url, 40, { failEvery: 3 });
    assert.ok(sent.requests > 100);
    app.runJob('nightly-import', true, 250, 3);
    app.runJob('nightly-import', false, 5, 40);
    const b = snapshot(await (await fetch(app.metricsUrl)).text());
    clock += 10_000;
    await rt.round();

    const { status, body } = await getJson<RoutesResponse>(`${rt.url}/api/routes?window=10s&at=${clock}`, rt.token);
    assert.equal(status, 200);
    assert.equal(body.metrics?.routeLabel, 'route');
    assert.deepEqual(body.metrics?.definedAt?.http_requests_total, { file: 'src/metrics.ts', line: 11, column: 14 });
    const rows = body.routes.filter((r) => r.route !== '/metrics');
    assert.deepEqual(rows.map((r) => `${r.route} ${r.method}`), ['/fail GET', '/orders POST', '/users/:id GET']);
    for (const row of rows) {
      const k = `${row.route} ${row.method}`;
      const total = b.reqs.get(k)!.total - a.reqs.get(k)!.total;
      const errors = b.reqs.get(k)!.errors - a.reqs.get(k)!.errors;
      assert.ok(total > 0, k);
      assert.equal(row.requests, total, `${k} requests`);
      assert.equal(row.rate, total / 10, `${k} rate`);
      assert.equal(row.errors, errors, `${k} errors`);
      assert.equal(row.errorRatio, errors / total, `${k} error ratio`);
      const deltas = [...b.buckets.get(k)!].map(([le, c]) => ({ le, count: (c - (a.buckets.get(k)!.get(le) ?? 0)) / 10 }));
      // Equal up to float rounding (we divide by the window in a different order).
      for (const [q, got] of [[0.5, row.p50], [0.95, row.p95], [0.99, row.p99]] as const) {
        const want = histogramQuantile(q, deltas);
        assert.ok(got !== null && Math.abs(got - want) <= 1e-12 * Math.max(1, want), `${k} p${q * 100}: ${got} vs ${want}`);
      }
      assert.ok(row.code, `${k} is linked to the code`);
    }
    const fail = rows.find((r) => r.route === '/fail')!;
    assert.equal(fail.errorRatio, 1);
    assert.deepEqual(fail.code, { file: 'src/app.ts', line: 47, column: 3, framework: 'express', path: '/fail' });
    assert.equal(rows.find((r) => r.route === '/orders')!.errorRatio, 0);
    const users = rows.find((r) => r.route === '/users/:id')!;
    assert.ok(users.p50! > 0 && users.p50! <= users.p95! && users.p95! <= users.p99!);

    const jobs = await getJson<JobsResponse>(`${rt.url}/api/jobs?window=10s&at=${clock}`, rt.token);
    const job = jobs.body.jobs.find((j) => j.job === 'nightly-import')!;
    assert.equal(job.ok, b.jobs.get('nightly-import success')! - a.jobs.get('nightly-import success')!);
    assert.equal(job.ok, 1);
    assert.equal(job.okTotal, 2);
    assert.equal(job.errorTotal, 1);
    assert.equal(job.lastRun, clock);
    assert.equal(job.rowsProcessed, 255);
    assert.ok(job.p95Duration !== null && job.p95Duration > 5 && job.p95Duration <= 30, `p95 ${job.p95Duration}`);
    assert.deepEqual(job.code, { file: 'src/jobs/nightly.ts', line: 7, column: 1, kind: 'node-cron' });
    // the error appeared in the window: the view knows the last status
    assert.ok(['success', 'error'].includes(job.lastStatus!));
    assert.ok(t0 < clock);
  });

  it('lists targets and series with their definition in the code; keeps exemplar-free series plain', async () => {
    const t = await getJson<TargetsResponse>(`${rt!.url}/api/targets`, rt!.token);
    assert.equal(t.body.targets[0].health, 'up');
    assert.equal(t.body.targets[0].name, 'shop');
    assert.equal(t.body.targets[0].format, 'prometheus');
    assert.ok(t.body.targets[0].series > 50);
    assert.deepEqual(t.body.suggestions, [{ path: '/metrics', file: 'src/app.ts', line: 48 }]);
    const s = await getJson<SeriesResponse>(`${rt!.url}/api/series?match=${encodeURIComponent('http_request_duration_seconds_bucket{route="/fail",le="+Inf"}')}`, rt!.token);
    assert.equal(s.status, 200);
    assert.equal(s.body.total, 1);
    assert.deepEqual(s.body.series[0].definedAt, { file: 'src/metrics.ts', line: 5, column: 14 });
    assert.equal(s.body.series[0].type, 'histogram');
    const bad = await getJson<{ error: string }>(`${rt!.url}/api/series?match=${encodeURIComponent('x{a=}')}`, rt!.token);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /bad matcher/);
    const badWindow = await getJson<{ error: string }>(`${rt!.url}/api/routes?window=forever`, rt!.token);
    assert.equal(badWindow.status, 400);
  });

  it('requires the token on every endpoint (401), accepts ?token= only for the stream and the page', async () => {
    for (const p of ['/api/health', '/api/targets', '/api/series', '/api/routes', '/api/jobs', '/api/drift', '/api/events', '/metrics', '/']) {
      assert.equal((await getJson(`${rt!.url}${p}`)).status, 401, p);
      assert.equal((await getJson(`${rt!.url}${p}`, 'wrong')).status, 401, p);
    }
    assert.equal((await getJson(`${rt!.url}/api/targets?token=${rt!.token}`)).status, 401, 'no query token for JSON endpoints');
    const page = await fetch(`${rt!.url}/?token=${rt!.token}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /dashboard is not built|<html/i);
    const cookie = page.headers.get('set-cookie');
    assert.match(cookie ?? '', /HttpOnly; SameSite=Strict/);
    const viaCookie = await fetch(`${rt!.url}/api/health`, { headers: { cookie: cookie!.split(';')[0] } });
    assert.equal(viaCookie.status, 200);
    const st = fs.statSync(rt!.tokenFile);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(rt!.tokenFile, 'utf8').trim(), rt!.token);
    assert.ok(rt!.url.startsWith('http://127.0.0.1:'));
  });

  it('streams one update event per scrape round (SSE) and exposes its own /metrics', async () => {
    await sendTraffic(app.url, 2);
    const events = await readEvents(`${rt!.url}/api/events?token=${rt!.token}`, 'update', 1, 10_000, async () => {
      await new Promise((r) => setTimeout(r, 100));
      clock += 5000;
      await rt!.round();
    }) as { type: string; round: number; routes?: RoutesResponse; targets?: unknown[] }[];
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'update');
    assert.ok(events[0].routes, 'the routes changed, so they are in the event');
    const m = await fetch(`${rt!.url}/metrics`, { headers: { authorization: `Bearer ${rt!.token}` } });
    const text = await m.text();
    assert.match(text, /telltale_target_up\{target="shop"\} 1/);
    assert.match(text, /telltale_scrape_duration_seconds_count\{target="shop"\} 3/);
    assert.match(text, /telltale_store_series \d+/);
    assert.match(text, /telltale_process_resident_memory_bytes \d+/);
  });

  it('removes the token file on close', async () => {
    const file = rt!.tokenFile;
    await rt!.close();
    assert.equal(fs.existsSync(file), false);
    rt = undefined;
  });
});

describe('runtime: express-prom-bundle naming (path label, histogram only) on Fastify', function () {
  this.timeout(30_000);
  it('uses the histogram count as the request count and the path label as the route', async () => {
    const app = await startFastifyApp();
    let clock = 1_800_000_000_000;
    const dir = tmpDir('tt-token-');
    const rt = await startRuntime({ targets: [{ url: app.metricsUrl }], now: () => clock, autoScrape: false, logger: silentLogger, tokenDir: dir });
    try {
      for (let i = 0; i < 3; i++) await (await fetch(`${app.url}/items/${i}`)).text();
      await (await fetch(`${app.url}/broken`)).text();
      await rt.round();
      for (let i = 0; i < 12; i++) await (await fetch(`${app.url}/items/${i}`)).text();
      for (let i = 0; i < 4; i++) await (await fetch(`${app.url}/broken`)).text();
      clock += 20_000;
      await rt.round();
      const r = await rt.routes({ windowMs: 20_000 });
      assert.equal(r.metrics?.requests, 'http_request_duration_seconds_count');
      assert.equal(r.metrics?.routeLabel, 'path');
      const broken = r.routes.find((x) => x.route === '/broken')!;
      assert.equal(broken.requests, 4);
      assert.equal(broken.errorRatio, 1);
      const items = r.routes.find((x) => x.route === '/items/:id')!;
      assert.equal(items.requests, 12);
      assert.equal(items.rate, 12 / 20);
      assert.equal(items.errorRatio, 0);
      assert.ok(items.p99 !== null && items.p99 > 0);
    } finally {
      await rt.close();
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

