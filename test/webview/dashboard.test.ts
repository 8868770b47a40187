/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the
 * standalone page served by a real runtime scraping the fixture Express/prom-client app on
 * 127.0.0.1 under bounded test traffic. Expected numbers are computed independently from the app's
 * own /metrics (a plain regex reading), then formatted the way the table formats them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Counter } from 'prom-client';
import { histogramQuantile } from '../../src/runtime/query/histogram-quantile';
import { startRuntime, type RuntimeHandle, type RuntimeOptions } from '../../src/runtime/main';
import type { JobsResponse } from '../../src/protocol/runtime';
import { formatCount, formatPercent, formatRate, formatScore, formatSeconds } from '../../webview/model';
import { sendTraffic, startExpressApp, type FixtureApp } from '../fixtures/runtime/express-app';
import { silentLogger, tmpDir } from '../runtime/helpers';
import { launchChromium, type Browser } from './browser';
import { lowContrastTexts } from '../helpers/contrast.cjs';
import { csvDriftProvider, ensureBuilt, fixtureInventory, ROOT, STATIC_DIR } from './harness';

const XSS = '<img src=x onerror=alert(1)>';

/** Per "METHOD route": requests, 5xx and cumulative buckets, read from one /metrics text. */
function snapshot(text: string) {
  const reqs = new Map<string, { total: number; errors: number }>();
  const buckets = new Map<string, Map<number, number>>();
  for (const l of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(l);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const x of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[x[1]] = x[2];
    const k = `${labels.method} ${labels.route}`;
    const v = Number(m[3]);
    if (m[1] === 'http_requests_total') {
      const e = reqs.get(k) ?? { total: 0, errors: 0 };
      e.total += v;
      if (/^5/.test(labels.status_code)) e.errors += v;
      reqs.set(k, e);
    } else if (m[1] === 'http_request_duration_seconds_bucket') {
      const b = buckets.get(k) ?? new Map<number, number>();
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      b.set(le, (b.get(le) ?? 0) + v);
      buckets.set(k, b);
    }
  }
  return { reqs, buckets };
}

const metricsText = async (app: FixtureApp) => (await fetch(app.metricsUrl, { signal: AbortSignal.timeout(5000) })).text();

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('dashboard in Chromium against a real runtime', function () {
  this.timeout(120_000);
  let browser: Browser;
  let app: FixtureApp;
  const runtimes: RuntimeHandle[] = [];
  const tokenDir = tmpDir('tt-web-token-');
  const violations: string[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  before(async function () {
    ensureBuilt();
    browser = await launchChromium();
    app = await startExpressApp();
  });
  after(async () => {
    for (const rt of runtimes) await rt.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    fs.rmSync(tokenDir, { recursive: true, force: true });
  });

  async function runtime(options: RuntimeOptions): Promise<RuntimeHandle> {
    const rt = await startRuntime({ staticDir: STATIC_DIR, logger: silentLogger, tokenDir, ...options });
    runtimes.push(rt);
    return rt;
  }

  async function open(rt: RuntimeHandle, opts: { dark?: boolean } = {}): Promise<Page> {
    const page = await browser.context.newPage();
    if (opts.dark) await page.emulateMedia({ colorScheme: 'dark' });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
    });
    page.on('console', (m) => { if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(m.text()); });
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${rt.url}/?token=${rt.token}`);
    return page;
  }

  const tab = async (page: Page, view: string) => {
    await page.click(`vscode-panel-tab[data-view=${view}]`);
    await page.waitForSelector(`[data-view-body=${view}]:visible`);
  };
  const rowKeys = (page: Page) => page.$$eval('table.routes tbody tr[data-key]', (trs) => trs.map((t) => t.getAttribute('data-key')!));
  const cell = (page: Page, key: string, col: string) => page.locator(`tr[data-key="${key}"] td[data-col=${col}]`).innerText();
  /** No view is ever blank: it has a sentence or a table to show. */
  const assertNotBlank = async (page: Page, view: string) => {
    const text = await page.locator(`[data-view-body=${view}]`).innerText();
    assert.ok(text.trim().length > 20, `${view} is blank: ${JSON.stringify(text)}`);
  };

  describe('numbers, sorting, filtering, code links, drift, escaping (scrape rounds on an injected clock)', () => {
    let rt: RuntimeHandle;
    let page: Page;
    let a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>;
    let clock = Math.floor(Date.now() / 1000) * 1000;
    const drift = csvDriftProvider(() => clock);

    before(async () => {
      await sendTraffic(app.url, 4, { failEvery: 2 }); // every series exists before the first scrape
      const requests = app.registry.getSingleMetric('http_requests_total') as Counter<string>;
      requests.inc({ method: 'GET', route: XSS, status_code: '200' }, 3);
      for (const [job, ok] of [['nightly-import', true], ['send-reports', false], [XSS, false]] as const) app.runJob(job, ok, 1, 1);
      await metricsText(app); // GET /metrics has a series before the first scrape as well
      rt = await runtime({
        config: { window: '10s', jobWindow: '10m' }, targets: [{ url: app.metricsUrl, name: 'shop' }],
        now: () => clock, autoScrape: false, inventory: fixtureInventory(), drift,
        alertsConfig: { rules: [{ name: 'RouteErrors', view: 'route.errorRatio', op: '>', threshold: 0.2, severity: 'critical' }] },
      });
      await rt.round();
      a = snapshot(await metricsText(app));
      await sendTraffic(app.url, 30, { failEvery: 3 });
      requests.inc({ method: 'GET', route: XSS, status_code: '200' }, 5);
      app.runJob('nightly-import', true, 120, 2);
      app.runJob('send-reports', false, 0, 12);
      app.runJob(XSS, false, 1, 1);
      b = snapshot(await metricsText(app));
      clock += 10_000;
      await rt.round();
      await drift.refresh();
      page = await open(rt);
      await page.waitForSelector('[data-field=runtime-status].status-running');
    });
    after(async () => { await page?.close(); });

    it('shows every route of the fixture with the numbers its /metrics implies', async () => {
      await tab(page, 'routes');
      await page.waitForSelector('tr[data-key="GET /users/:id"] td[data-col=rate]');
      for (const k of ['GET /users/:id', 'POST /orders', 'GET /fail']) {
        const total = b.reqs.get(k)!.total - a.reqs.get(k)!.total;
        const errors = b.reqs.get(k)!.errors - a.reqs.get(k)!.errors;
        assert.ok(total > 0, k);
        assert.equal(await cell(page, k, 'rate'), formatRate(total / 10), `${k} req/s`);
        assert.equal(await cell(page, k, 'errorRatio'), formatPercent(errors / total), `${k} error %`);
        const deltas = [...b.buckets.get(k)!].map(([le, c]) => ({ le, count: (c - (a.buckets.get(k)!.get(le) ?? 0)) / 10 }));
        for (const [q, col] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) {
          // the runtime divides by the window in another order: equal up to float rounding, so either neighbour's text is right
          const want = histogramQuantile(q, deltas);
          const got = await cell(page, k, col);
          assert.ok([want * (1 - 1e-9), want, want * (1 + 1e-9)].map(formatSeconds).includes(got), `${k} ${col}: ${got} vs ${formatSeconds(want)}`);
        }
      }
      assert.equal(await cell(page, 'GET /fail', 'errorRatio'), '100%');
      assert.equal(await page.locator('tr[data-key="POST /orders"] td.code').innerText(), 'src/app.ts:45');
      // the inventory's uninstrumented routes are listed with an Instrument action
      for (const k of ['DELETE /admin/cache', 'PUT /admin/users/:id/role', 'POST /webhooks/github']) {
        assert.equal(await cell(page, k, 'rate'), 'not instrumented', k);
        assert.equal(await page.locator(`tr[data-key="${k}"] vscode-button[data-action=instrument]`).count(), 1, k);
      }
      assert.match(await page.locator('[data-field=route-count]').innerText(), /^8 routes · 3 not instrumented · over the last 10 s$/);
      await assertNotBlank(page, 'routes');
    });

    it('sorts by any column, numbers with missing values last', async () => {
      const measured = ['GET /users/:id', 'POST /orders', 'GET /fail', 'GET /metrics', `GET ${XSS}`];
      const rate = new Map<string, number>();
      for (const k of measured) rate.set(k, Number((await cell(page, k, 'rate')).replace(/[^\d.]/g, '')));
      const byRate = (dir: number) => [...measured].sort((x, y) => dir * (rate.get(x)! - rate.get(y)!) || (x.split(' ')[1] < y.split(' ')[1] ? -1 : 1));
      const keys = await rowKeys(page);
      assert.deepEqual(keys.slice(0, 5).map((k) => rate.get(k)), byRate(-1).map((k) => rate.get(k)), 'default: req/s descending');
      assert.deepEqual(keys.slice(5).sort(), ['DELETE /admin/cache', 'POST /webhooks/github', 'PUT /admin/users/:id/role']);
      await page.click('button[data-sort=rate]');
      assert.equal(await page.getAttribute('th:has(button[data-sort=rate])', 'aria-sort'), 'ascending');
      const asc = await rowKeys(page);
      assert.deepEqual(asc.slice(0, 5).map((k) => rate.get(k)), byRate(1).map((k) => rate.get(k)));
      assert.ok(asc.slice(5).every((k) => !measured.includes(k)), 'uninstrumented rows stay last');
      await page.click('button[data-sort=route]');
      const byRoute = await page.$$eval('table.routes tbody tr[data-key] td.route', (tds) => tds.map((t) => t.textContent!));
      assert.deepEqual(byRoute, [...byRoute].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      await page.click('button[data-sort=route]');
      const byRouteDesc = await page.$$eval('table.routes tbody tr[data-key] td.route', (tds) => tds.map((t) => t.textContent!));
      assert.deepEqual(byRouteDesc, [...byRoute].reverse());
      assert.equal(await page.getAttribute('th:has(button[data-sort=route])', 'aria-sort'), 'descending');
      await page.click('button[data-sort=p99]');
      const p99 = await page.$$eval('table.routes tbody tr[data-key] td[data-col=p99]', (tds) => tds.map((t) => t.textContent!));
      assert.equal(p99[0], formatSeconds(Math.max(...['GET /users/:id', 'POST /orders', 'GET /fail'].map((k) => {
        const deltas = [...b.buckets.get(k)!].map(([le, c]) => ({ le, count: c - (a.buckets.get(k)!.get(le) ?? 0) }));
        return histogramQuantile(0.99, deltas);
      }))));
      assert.equal(p99.at(-1), '—');
    });

    it('filters by method, path and file, says when nothing matches, and keeps the filter across a reload', async () => {
      const input = page.locator('vscode-text-field[data-field=route-filter] input');
      try {
      await input.fill('orders');
      assert.deepEqual(await rowKeys(page), ['POST /orders']);
      assert.match(await page.locator('[data-field=route-count]').innerText(), /^1 of 8 routes/);
      await input.fill('ADMIN');
      assert.deepEqual((await rowKeys(page)).sort(), ['DELETE /admin/cache', 'PUT /admin/users/:id/role']);
      await input.fill('get app.ts');
      assert.deepEqual((await rowKeys(page)).sort(), ['GET /fail', 'GET /metrics', 'GET /users/:id']);
      await input.fill('zzz-nothing');
      assert.deepEqual(await rowKeys(page), []);
      assert.equal(await page.locator('tr.empty-row').innerText(), 'No route matches “zzz-nothing”.');
      await input.fill('users');
      await page.reload();
      await page.waitForSelector('tr[data-key="GET /users/:id"]');
      assert.equal(await page.locator('vscode-text-field[data-field=route-filter] input').inputValue(), 'users', 'state survives a reload (sessionStorage)');
      assert.deepEqual((await rowKeys(page)).sort(), ['GET /users/:id', 'PUT /admin/users/:id/role']);
      assert.equal(await page.getAttribute('th:has(button[data-sort=p99])', 'aria-sort'), 'descending', 'the sort survives too');
      } finally {
        await page.locator('vscode-text-field[data-field=route-filter] input').fill('');
      }
      assert.equal((await rowKeys(page)).length, 8);
    });

    it('a row click opens its handler and shows the route\'s charts; the keyboard does the same', async () => {
      await page.click('tr[data-key="POST /orders"] td.route');
      const toast = page.locator('[data-notice]').last();
      assert.match(await toast.innerText(), /src\/app\.ts:45/);
      assert.equal(await toast.locator('a').getAttribute('href'), 'vscode://file/home/dev/shop/src/app.ts:45:3');
      assert.equal(await page.locator('.detail h2').innerText(), 'POST /orders');
      assert.equal(await page.locator('.detail canvas').count(), 1, 'rate, errors and latency: one chart of three panels');
      assert.equal(await page.getAttribute('.detail canvas', 'aria-label'), 'POST /orders over time');
      assert.deepEqual(await page.$$eval('.detail .chart-key', (ks) => ks.map((k) => k.textContent)), ['req/s', '5xx share', 'p50', 'p95', 'p99']);
      assert.equal(await page.getAttribute('tr[data-key="POST /orders"]', 'aria-selected'), 'true');
      // keyboard: focus a row, arrow down, Enter
      const keys = await rowKeys(page);
      await page.focus(`tr[data-key="${keys[0]}"]`);
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-key')), keys[1]);
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('.detail h2').innerText(), keys[1].replace(' ', ' '));
      // Instrument on an uninstrumented route: standalone explains where fixes run
      await page.click('tr[data-key="DELETE /admin/cache"] vscode-button[data-action=instrument]');
      assert.match(await page.locator('[data-notice]').last().innerText(), /npx telltale fix src\/admin\/router\.ts --fix add-route-metrics --diff.*src\/admin\/router\.ts:12/s);
    });

    it('shows a label value like <img src=x onerror=alert(1)> as text and runs nothing', async () => {
      const xssCell = page.locator('td.route', { hasText: XSS });
      assert.equal(await xssCell.count(), 1);
      assert.equal(await xssCell.innerText(), XSS);
      assert.equal(await cell(page, `GET ${XSS}`, 'rate'), formatRate(5 / 10));
      await tab(page, 'jobs');
      assert.equal(await page.locator('[data-view-body=jobs] td.route', { hasText: XSS }).count(), 1, 'a job name too');
      await tab(page, 'overview');
      await page.waitForTimeout(300); // any onerror would have fired by now
      assert.equal(await page.locator('img').count(), 0, 'no img element anywhere');
      assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
      assert.deepEqual(dialogs, []);
    });

    it('lists jobs failing first, with runs, duration, rows and the code link', async () => {
      await tab(page, 'jobs');
      const rows = await page.$$eval('table.jobs tbody tr', (trs) => trs.map((t) => [t.getAttribute('data-job'), t.querySelector('.badge')!.textContent]));
      const statuses = rows.map((r) => r[1]);
      assert.deepEqual(statuses.slice(0, 2), ['failing', 'failing']);
      assert.deepEqual(rows.slice(0, 2).map((r) => r[0]).sort(), [XSS, 'send-reports'].sort());
      assert.deepEqual(rows.slice(2), [['nightly-import', 'ok'], ['cleanup-sessions', 'not instrumented']]);
      // the numbers are the runtime's own (Prometheus increase semantics, tested in test/runtime): shown as served
      const api = await (await fetch(`${rt.url}/api/jobs`, { headers: { authorization: `Bearer ${rt.token}` } })).json() as JobsResponse;
      const j = api.jobs.find((x) => x.job === 'nightly-import')!;
      const nightly = await page.locator('tr[data-job=nightly-import]').innerText();
      assert.ok(nightly.includes(`${formatCount(Math.round(j.ok))} / ${formatCount(Math.round(j.error))}`), `window runs in ${nightly}`);
      assert.ok(nightly.includes(`${formatCount(j.okTotal)} / ${formatCount(j.errorTotal)}`), 'all-time runs');
      assert.ok(nightly.includes(formatSeconds(j.p95Duration)), 'p95');
      assert.ok(nightly.includes(formatCount(Math.round(j.rowsProcessed!))) && j.rowsProcessed! >= 120, 'rows processed in the window');
      assert.equal(j.okTotal, 2);
      assert.match(nightly, /src\/jobs\/nightly\.ts:7/);
      assert.match(nightly, /node-cron · 0 3 \* \* \*/);
      assert.match(nightly, /success\s+\S/, 'last status');
      assert.match(nightly, /just now\s+src/, 'since last success');
      assert.match(await page.locator('tr[data-job=send-reports]').innerText(), /none in 10 min/, 'never succeeded');
      // a deep link (what a job's code lens sends in VS Code) opens Jobs with that job selected
      await tab(page, 'overview');
      await page.evaluate(() => { location.hash = 'job=nightly-import'; });
      await page.waitForSelector('[data-view-body=jobs]:visible');
      await page.waitForSelector('tr[data-job=nightly-import][aria-selected=true]');
      assert.equal(await page.locator('table.jobs tr[aria-selected=true]').count(), 1);
      await page.evaluate(() => { history.replaceState(null, '', location.pathname); });
    });

    it('renders the drift report: verdict, per-column test/score/threshold/badge, overlays, checks', async () => {
      await tab(page, 'drift');
      await page.waitForSelector('[data-dataset-detail=orders]');
      const report = (drift.reports()[0] as { report: import('../../src/protocol/drift').DriftReport }).report;
      assert.ok(report.datasetDrift, 'the fixture data drifts');
      assert.match(await page.locator('button[data-dataset=orders]').innerText(), /drift detected/);
      assert.match(await page.locator('.dataset-detail .summary').innerText(), new RegExp(`^${report.nDrifted} of ${report.nTested} tested columns drifted`));
      for (const c of report.columns) {
        const text = await page.locator(`tr[data-column=${c.column}]`).innerText();
        assert.ok(text.includes(c.test!), `${c.column} test`);
        assert.ok(text.includes(formatScore(c.score)), `${c.column} score ${formatScore(c.score)} in ${text}`);
        assert.ok(text.includes(formatScore(c.threshold)), `${c.column} threshold`);
        assert.match(text, c.drifted ? /drifted/ : /\bok\b/, c.column);
      }
      const charted = report.columns.filter((c) => c.chart).map((c) => c.column).sort();
      assert.deepEqual((await page.$$eval('figure[data-chart-column]', (fs) => fs.map((f) => f.getAttribute('data-chart-column')!))).sort(), charted);
      assert.equal(await page.locator('figure[data-chart-column] canvas').count(), charted.length);
      assert.equal(await page.locator('table.drift-checks tbody tr').count(), report.checks.length);
      const fail = report.checks.find((c) => c.status === 'fail')!;
      assert.ok(fail, 'the fixture fails a check');
      assert.match(await page.locator('table.drift-checks').innerText(), new RegExp(fail.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });

    it('lists a firing alert with its rule, route and a link to the code, on Alerts and the Overview', async () => {
      const result = await rt.evaluateAlerts();
      assert.deepEqual(result.errors, []);
      assert.ok(result.transitions.length > 0, `the failing route fires the rule (the test can fail): ${JSON.stringify(result)}`);
      await page.reload();
      await tab(page, 'alerts');
      const row = page.locator('[data-view-body=alerts] tr[data-alert=RouteErrors][data-status=firing]').first();
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, /critical/);
      assert.match(text, /RouteErrors/);
      assert.match(await row.locator('button.code-link').innerText(), /^src\/[\w/.-]+:\d+$/, 'the alert links to the route in the code');
      assert.match(await page.locator('vscode-panel-tab[data-view=alerts]').innerText(), /Alerts \(\d+ firing\)/);
      assert.match(await page.locator('[data-view-body=alerts] tr[data-rule=RouteErrors]').innerText(), /route\.errorRatio/);
      await tab(page, 'overview');
      await page.locator('[data-view-body=overview] tr[data-alert=RouteErrors]').first().waitFor();
      for (const v of ['overview', 'routes', 'jobs', 'drift', 'alerts']) { await tab(page, v); await assertNotBlank(page, v); }
    });
  });

  describe('states a real product shows', () => {
    it('no targets configured: how to add one, with the inventory\'s suggestion', async () => {
      const rt = await runtime({ autoScrape: false, inventory: fixtureInventory() });
      const page = await open(rt);
      const n = page.locator('[data-view-body=overview] [data-state=no-targets]');
      await n.waitFor();
      const text = await n.innerText();
      assert.match(text, /No targets configured/);
      assert.match(text, /\/metrics — src\/app\.ts:48/);
      assert.match(text, /npx telltale runtime --target http:\/\/127\.0\.0\.1:3000\/metrics/);
      await tab(page, 'routes');
      await page.locator('[data-view-body=routes] [data-state=no-targets]').waitFor();
      await tab(page, 'alerts');
      assert.match(await page.locator('[data-view-body=alerts] [data-state=no-alert-rules]').innerText(), /No alert rules configured/);
      await page.close();
    });

    it('waiting for the first samples, then target down with its error', async () => {
      const port = await closedPort();
      const rt = await runtime({ autoScrape: false, targets: [{ url: `http://127.0.0.1:${port}/metrics`, name: 'billing' }], inventory: fixtureInventory() });
      const page = await open(rt);
      const waiting = page.locator('[data-view-body=overview] [data-state=waiting]');
      await waiting.waitFor();
      assert.match(await waiting.innerText(), /Waiting for the first samples.*billing is scraped every 5 s/s);
      await rt.round(); // the scrape fails: the SSE update turns "waiting" into "down"
      const down = page.locator('[data-view-body=overview] [data-state=target-down]');
      await down.waitFor();
      assert.match(await down.innerText(), /Target billing is down/);
      assert.match(await down.locator('[data-field=target-error]').innerText(), /^refused: .*connection refused/);
      assert.equal(await waiting.count(), 0);
      assert.match(await page.locator('tr[data-target=billing]').innerText(), /down/);
      await page.close();
    });

    it('an empty inventory, explained with the commands that make one', async () => {
      const rt = await runtime({ autoScrape: false, targets: [{ url: app.metricsUrl, name: 'shop' }] });
      await rt.round();
      const page = await open(rt);
      const n = page.locator('[data-view-body=overview] [data-state=empty-inventory]');
      await n.waitFor();
      assert.match(await n.innerText(), /npx telltale inventory --format json/);
      await page.close();
    });

    it('runtime not running: the page explains how to start it instead of spinning', async () => {
      const rt = await runtime({ autoScrape: false, targets: [{ url: app.metricsUrl, name: 'shop' }], inventory: fixtureInventory() });
      const page = await open(rt);
      await page.waitForSelector('[data-field=runtime-status].status-running');
      await rt.close();
      const n = page.locator('[data-state=runtime-stopped]');
      await n.waitFor({ timeout: 15_000 });
      assert.match(await n.innerText(), /The Telltale runtime is not running/);
      assert.match(await n.innerText(), /npx telltale runtime/);
      assert.equal(await page.locator('[data-field=runtime-status]').innerText(), 'runtime not running');
      assert.equal(await page.locator('vscode-panels').isHidden(), true, 'no stale panels behind the notice');
      await page.close();
    });
  });

  describe('live updates and screenshots', () => {
    let live: FixtureApp | undefined;
    after(async () => { await live?.close(); });

    it('updates the table from the event stream while traffic flows; screenshots of every view', async function () {
      const app = live = await startExpressApp(); // a clean app: the README's pictures show no test oddities
      await sendTraffic(app.url, 1);
      app.runJob('nightly-import', true, 1, 1);
      app.runJob('send-reports', true, 1, 1);
      app.runJob('send-reports', false, 0, 1);
      const rt = await runtime({ config: { scrapeInterval: 1, window: '10s', jobWindow: '10m' }, targets: [{ url: app.metricsUrl, name: 'shop' }], inventory: fixtureInventory(), drift: csvDriftProvider() });
      const stopAt = Date.now() + 9000;
      let sent = 0;
      const traffic = (async () => {
        let i = 0;
        while (Date.now() < stopAt && sent < 3000) {
          sent += (await sendTraffic(app.url, 2 + (i++ % 4), { failEvery: 5 })).requests;
          await new Promise((r) => setTimeout(r, 150));
        }
      })();
      const page = await open(rt);
      await new Promise((r) => setTimeout(r, 1500));
      app.runJob('nightly-import', true, 5400, 3.2);
      await tab(page, 'routes');
      await page.waitForSelector('tr[data-key="GET /users/:id"] td[data-col=rate]');
      const seen = new Set<string>();
      for (let i = 0; i < 20 && seen.size < 3; i++) {
        seen.add(await cell(page, 'GET /users/:id', 'rate'));
        await page.waitForTimeout(400);
      }
      assert.ok(seen.size >= 3, `the rate changed with each scrape: ${[...seen].join(', ')}`);
      await page.click('tr[data-key="GET /users/:id"] td.route');
      app.runJob('send-reports', false, 0, 14);
      await traffic;
      await page.waitForTimeout(1200);
      await tab(page, 'routes');
      // the selected route's chart drew its lines over the scrapes: some pixels in the plot carry a series colour, not only the background
      const drawn = await page.$eval('.detail canvas', (c) => {
        const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
        let coloured = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) coloured++;
        return coloured;
      });
      assert.ok(drawn > 200, `series lines drawn (${drawn} coloured pixels)`);
      // switching to a dark theme with the page open redraws the chart in the dark theme's colours
      // (the req/s line: --vscode-charts-blue is #1a85ff light, #3794ff dark in the standalone page)
      const near = (rgb: [number, number, number]) => page.$eval('.detail canvas', (c, want) => {
        const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.hypot(d[i] - want[0], d[i + 1] - want[1], d[i + 2] - want[2]) < 12) n++;
        return n;
      }, rgb);
      const lightBlue: [number, number, number] = [0x1a, 0x85, 0xff], darkBlue: [number, number, number] = [0x37, 0x94, 0xff];
      assert.ok(await near(lightBlue) > 20 && await near(darkBlue) < 5, 'light: the rate line in the light blue');
      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        await page.waitForFunction((want) => {
          const c = document.querySelector('.detail canvas') as HTMLCanvasElement | null;
          if (!c) return false;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.hypot(d[i] - want[0], d[i + 1] - want[1], d[i + 2] - want[2]) < 12) n++;
          return n > 20;
        }, darkBlue, { timeout: 5000 });
        assert.ok(await near(lightBlue) < 5, 'dark: no light-theme blue left');
        assert.deepEqual(await page.evaluate(lowContrastTexts, { selector: '#app', min: 4.5 }), [], 'dark after the switch: every text reaches AA');
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
      const outDir = process.env.TELLTALE_SCREENSHOTS ? path.join(ROOT, 'docs/screenshots') : path.join(ROOT, 'test/.tmp/screenshots');
      fs.mkdirSync(outDir, { recursive: true });
      const shots: string[] = [];
      const dismiss = async (p: Page) => { for (const b of await p.$$('[data-notice] button')) await b.click(); };
      for (const v of ['overview', 'routes', 'jobs', 'drift', 'alerts']) {
        await tab(page, v);
        await dismiss(page);
        await page.waitForTimeout(300);
        const file = path.join(outDir, `dashboard-${v}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
        assert.deepEqual(await page.evaluate(lowContrastTexts, { selector: '#app', min: 4.5 }), [], `${v} (light): every text reaches WCAG AA contrast`);
      }
      const dark = await open(rt, { dark: true });
      await tab(dark, 'routes');
      await dark.waitForSelector('tr[data-key="GET /users/:id"]');
      await dark.click('tr[data-key="POST /orders"] td.route');
      await dark.waitForTimeout(800);
      await dismiss(dark);
      const darkFile = path.join(outDir, 'dashboard-routes-dark.png');
      await dark.screenshot({ path: darkFile, fullPage: true });
      shots.push(darkFile);
      for (const v of ['overview', 'routes', 'jobs', 'drift', 'alerts']) {
        await tab(dark, v);
        assert.deepEqual(await dark.evaluate(lowContrastTexts, { selector: '#app', min: 4.5 }), [], `${v} (dark): every text reaches WCAG AA contrast`);
      }
      for (const f of shots) {
        const buf = fs.readFileSync(f);
        assert.equal(buf.subarray(1, 4).toString(), 'PNG', f);
        assert.ok(buf.length > 20_000, `${f} has content (${buf.length} bytes)`);
      }
      await page.close();
      await dark.close();
    });
  });

  describe('over the whole session', () => {
    it('caused no CSP violation, no uncaught error, no dialog and no request off 127.0.0.1', () => {
      assert.deepEqual(violations, []);
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(browser.blocked, []);
    });
  });
});
