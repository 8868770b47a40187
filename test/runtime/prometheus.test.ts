/**
 * Our runtime and Debian's real Prometheus scrape the same fixture app; their views must agree.
 *
 * Prometheus is started here on 127.0.0.1 (free port, temporary config and TSDB, 1 s scrape
 * interval) and always killed in after(). Every wait is bounded.
 *
 * Tolerance, and why: both sources see the same counter increase over the window (traffic stops
 * well inside it), but each extrapolates it by window / sampled-interval, and the sampled interval
 * depends on when that scraper's first and last samples fell in the window: anywhere in the last
 * scrape interval at either edge. So counts and rates may differ by up to
 * 2·interval / (window − 2·interval) relative (≈ 7.7 % for 1 s and 28 s). Error ratios divide two
 * such numbers of the same target (same scrape times): ± 0.02 absolute. Quantiles interpolate in
 * the same bucket with bucket rates skewed by at most that factor: 10 % relative.
 * Where the two get the same stored samples (the query functions below), they must agree exactly.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PrometheusSource } from '../../src/runtime/prometheus-source';
import { histogramQuantile, parseLe } from '../../src/runtime/query/histogram-quantile';
import { increase, rate } from '../../src/runtime/query/rate';
import { startRuntime, type RuntimeHandle } from '../../src/runtime/main';
import { jobViews, routeViews } from '../../src/runtime/views';
import { sendTraffic, startExpressApp, type FixtureApp } from '../fixtures/runtime/express-app';
import { silentLogger, tmpDir } from './helpers';

const INTERVAL_S = 1;
const WINDOW_MS = 28_000;
const COUNT_TOL = (2 * INTERVAL_S) / (WINDOW_MS / 1000 - 2 * INTERVAL_S);

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (fs.existsSync(path.join(dir, bin))) return path.join(dir, bin);
  return undefined;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}
async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try { if (await check()) return; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

describe('runtime vs a real Prometheus on the same app', function () {
  this.timeout(120_000);
  const bin = which('prometheus');
  let app: FixtureApp | undefined;
  let prom: ChildProcess | undefined;
  let promLog = '';
  let rt: RuntimeHandle | undefined;
  let source: PrometheusSource;
  let promUrl = '';
  let dir: string;
  let at = 0;
  let trafficStart = 0;

  before(async function () {
    if (!bin) this.skip();
    dir = tmpDir('tt-prom-');
    app = await startExpressApp();
    await sendTraffic(app.url, 6, { failEvery: 2 }); // every series exists before either scraper starts
    app.runJob('export', true, 10, 0.3);
    const appHost = new URL(app.url).host;
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), [
      'global:',
      `  scrape_interval: ${INTERVAL_S}s`,
      `  scrape_timeout: ${INTERVAL_S}s`,
      'scrape_configs:',
      '  - job_name: app',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ['${appHost}']`,
      '',
    ].join('\n'));
    prom = spawn(bin!, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1h',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d) => { promLog = (promLog + d).slice(-4000); });
    prom.stderr!.on('data', (d) => { promLog = (promLog + d).slice(-4000); });
    promUrl = `http://127.0.0.1:${port}`;
    source = new PrometheusSource({ url: promUrl, stepMs: INTERVAL_S * 1000 });
    rt = await startRuntime({ targets: [{ url: app.metricsUrl, name: 'app', intervalMs: INTERVAL_S * 1000 }], logger: silentLogger, tokenDir: dir });
    await until('Prometheus to be ready', 30_000, async () => (await fetch(`${promUrl}/-/ready`)).ok);
    await until('three scrapes by both', 30_000, async () => {
      const v = await source.query('count_over_time(up{job="app"}[1m])', Date.now());
      const ours = rt!.store.select('http_requests_total')[0]?.length ?? 0;
      return (v[0]?.value ?? 0) >= 3 && ours >= 3;
    });
    // Traffic: about 5 s, then a quiet tail so both scrapers see the final counts twice.
    trafficStart = Date.now();
    for (let i = 0; i < 10; i++) {
      await sendTraffic(app.url, 4, { failEvery: 3 });
      if (i % 3 === 0) app.runJob('export', i !== 6, 100 + i, 0.2 + i / 10);
      await sleep(300);
    }
    await sleep(3 * INTERVAL_S * 1000 + 500);
    at = Date.now() - 1000;
    assert.ok(at - WINDOW_MS < trafficStart - 3 * INTERVAL_S * 1000, 'the window starts well before the traffic');
    await sleep(1500); // both have stored samples past `at`
  });

  after(async () => {
    await rt?.close();
    if (prom && prom.exitCode === null) {
      prom.kill('SIGTERM');
      await Promise.race([new Promise((r) => prom!.once('exit', r)), sleep(5000)]);
      if (prom.exitCode === null) prom.kill('SIGKILL');
    }
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same RED per route as the Prometheus source (within the scrape-alignment tolerance)', async () => {
    const ours = await routeViews(rt!.source, { atMs: at, windowMs: WINDOW_MS });
    const theirs = await routeViews(source, { atMs: at, windowMs: WINDOW_MS });
    const strip = (r: typeof ours) => r.routes.filter((x) => x.route !== '/metrics');
    const a = strip(ours), b = strip(theirs);
    assert.deepEqual(a.map((r) => `${r.method} ${r.route}`), ['GET /fail', 'POST /orders', 'GET /users/:id']);
    assert.deepEqual(b.map((r) => `${r.method} ${r.route}`), a.map((r) => `${r.method} ${r.route}`));
    for (let i = 0; i < a.length; i++) {
      const x = a[i], y = b[i];
      const ctx = `${x.method} ${x.route}: ours ${JSON.stringify(x)} prometheus ${JSON.stringify(y)}\nprometheus log: ${promLog}`;
      assert.ok(x.requests > 5, ctx);
      assert.ok(rel(x.requests, y.requests) <= COUNT_TOL, `requests ${ctx}`);
      assert.ok(rel(x.rate, y.rate) <= COUNT_TOL, `rate ${ctx}`);
      assert.ok(Math.abs(x.errorRatio! - y.errorRatio!) <= 0.02, `error ratio ${ctx}`);
      for (const q of ['p50', 'p95', 'p99'] as const) {
        assert.ok(x[q] !== null && y[q] !== null, `${q} ${ctx}`);
        assert.ok(rel(x[q]!, y[q]!) <= 0.1, `${q} ${ctx}`);
      }
    }
    assert.equal(a.find((r) => r.route === '/fail')!.errorRatio, 1);
  });

  it('gives the same job health as the Prometheus source', async () => {
    const ours = await jobViews(rt!.source, { atMs: at, windowMs: WINDOW_MS });
    const theirs = await jobViews(source, { atMs: at, windowMs: WINDOW_MS });
    const x = ours.jobs.find((j) => j.job === 'export')!, y = theirs.jobs.find((j) => j.job === 'export')!;
    const ctx = `ours ${JSON.stringify(x)} prometheus ${JSON.stringify(y)}`;
    assert.equal(x.okTotal, 4, ctx);
    assert.equal(x.errorTotal, 0 + 0 + 1, ctx); // the run at i = 6 failed
    assert.equal(y.okTotal, x.okTotal, ctx);
    assert.equal(y.errorTotal, x.errorTotal, ctx);
    assert.ok(rel(x.ok, y.ok) <= COUNT_TOL && rel(x.error, y.error) <= COUNT_TOL, ctx);
    assert.ok(rel(x.rowsProcessed!, y.rowsProcessed!) <= COUNT_TOL, ctx);
    assert.ok(Math.abs(x.lastRun! - y.lastRun!) <= 2 * INTERVAL_S * 1000 + 100, `last run ${ctx}`);
    assert.ok(x.lastRun! >= trafficStart && x.lastRun! <= at, ctx);
    assert.ok(rel(x.p95Duration!, y.p95Duration!) <= 0.1, ctx);
  });

  it('serves the Prometheus views through the API when started with a Prometheus URL', async () => {
    const dir2 = tmpDir('tt-prom-api-');
    const viaApi = await startRuntime({ prometheusUrl: promUrl, logger: silentLogger, tokenDir: dir2, autoScrape: false, config: { prometheus: { url: 'http://unused.invalid', step: '1s' } } });
    try {
      const res = await fetch(`${viaApi.url}/api/routes?window=28s&at=${at}`, { headers: { authorization: `Bearer ${viaApi.token}` } });
      const body = await res.json() as Awaited<ReturnType<typeof routeViews>>;
      assert.equal(body.source, 'prometheus');
      assert.deepEqual(body, await routeViews(source, { atMs: at, windowMs: WINDOW_MS }));
    } finally {
      await viaApi.close();
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('rate/increase/histogram_quantile over the samples Prometheus stored equal its own results exactly', async () => {
    let compared = 0;
    for (const [fn, f] of [['rate', rate], ['increase', increase]] as const) {
      const raw = await source.rangeSamples('http_requests_total[20s]', at);
      const res = await source.query(`${fn}(http_requests_total[20s])`, at);
      for (const s of raw) {
        const want = res.find((r) => r.labels.route === s.labels.route && r.labels.method === s.labels.method && r.labels.status_code === s.labels.status_code);
        const got = f(s.t, s.v, at, 20_000);
        assert.equal(got, want?.value, `${fn} ${JSON.stringify(s.labels)}`);
        compared++;
      }
    }
    const sel = 'http_request_duration_seconds_bucket{route="/users/:id",status_code="200"}';
    const raw = await source.rangeSamples(`${sel}[25s]`, at);
    const [want] = await source.query(`histogram_quantile(0.9, rate(${sel}[25s]))`, at);
    const got = histogramQuantile(0.9, raw.map((s) => ({ le: parseLe(s.labels.le)!, count: rate(s.t, s.v, at, 25_000)! })));
    assert.equal(got, want.value);
    assert.ok(compared >= 8, `compared ${compared}`);
  });
});
