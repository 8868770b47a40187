/**
 * A thousand routes in a real browser: a prom-client registry with 1,000 routes served on
 * 127.0.0.1, scraped by a real runtime on an injected clock, shown by the built page. Only the
 * scrolled window of rows is in the DOM and rows are recycled slots, so these tests check what
 * recycling could get wrong: every rendered row shows the route its key names, in sort order, at
 * its aria-rowindex, after scrolling, after a re-sort moved routes between slots, and the focused
 * route keeps the focus when it moves.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { Counter, Histogram, Registry } from 'prom-client';
import { startRuntime, type RuntimeHandle } from '../../src/runtime/main';
import { formatRate } from '../../webview/model';
import { silentLogger, tmpDir } from '../runtime/helpers';
import { launchChromium, type Browser } from './browser';
import { ensureBuilt, STATIC_DIR } from './harness';

const ROUTES = 1000;
const WINDOW_S = 10;
const route = (i: number) => `/api/items-${String(i).padStart(4, '0')}/:id`;

describe('dashboard with 1,000 routes (windowed, recycled rows) against a real runtime', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: http.Server;
  let rt: RuntimeHandle;
  let page: Page;
  const tokenDir = tmpDir('tt-web-many-');
  const registry = new Registry();
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests.', labelNames: ['method', 'route', 'status_code'], registers: [registry] });
  const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labelNames: ['method', 'route', 'status_code'], buckets: [0.01, 0.1, 1], registers: [registry] });
  /** Requests added per route in the current window (what its req/s will be × WINDOW_S). */
  const added = new Map<string, number>();
  let clock = Math.floor(Date.now() / 1000) * 1000;

  const traffic = (count: (i: number) => number) => {
    added.clear();
    for (let i = 0; i < ROUTES; i++) {
      const n = count(i);
      requests.inc({ method: 'GET', route: route(i), status_code: '200' }, n);
      for (let k = 0; k < Math.min(n, 3); k++) duration.observe({ method: 'GET', route: route(i), status_code: '200' }, 0.05);
      added.set(`GET ${route(i)}`, n);
    }
  };
  const rate = (key: string) => formatRate((added.get(key) ?? 0) / WINDOW_S);
  /** Keys in the order the table must show them: req/s descending, ties by route. */
  const expectedOrder = () => [...added].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);

  /** What the DOM shows: per rendered row its key, aria-rowindex, route text and req/s text. */
  const rendered = () => page.$$eval('table.routes tbody tr[data-key]', (trs) => trs.map((tr) => ({
    key: tr.getAttribute('data-key')!, index: Number(tr.getAttribute('aria-rowindex')),
    method: tr.querySelector('td.method')!.textContent!, route: tr.querySelector('td.route')!.textContent!,
    rate: tr.querySelector('td[data-col=rate]')!.textContent!, spark: tr.querySelector('svg.spark')!.getAttribute('aria-label')!,
  })));
  const checkRendered = async (what: string) => {
    const order = expectedOrder();
    const rows = await rendered();
    assert.ok(rows.length > 10 && rows.length < 120, `${what}: a window of rows is rendered (${rows.length}), not all ${ROUTES}`);
    for (const [j, r] of rows.entries()) {
      assert.equal(`${r.method} ${r.route}`, r.key, `${what}: row ${j} shows the route its key names`);
      assert.equal(r.spark, `Requests per second of ${r.key}`, `${what}: the sparkline is labelled for its row`);
      assert.equal(order[r.index - 2], r.key, `${what}: aria-rowindex ${r.index} is the route's place in the sort`);
      assert.equal(r.rate, rate(r.key), `${what}: ${r.key} req/s`);
      if (j > 0) assert.equal(r.index, rows[j - 1].index + 1, `${what}: rendered rows are consecutive`);
    }
    return rows;
  };
  const round = async () => {
    clock += WINDOW_S * 1000;
    await rt.round();
  };

  before(async () => {
    ensureBuilt();
    server = http.createServer(async (_req, res) => { res.writeHead(200, { 'content-type': registry.contentType }); res.end(await registry.metrics()); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    traffic(() => 1); // every series exists before the first scrape
    rt = await startRuntime({
      staticDir: STATIC_DIR, logger: silentLogger, tokenDir, config: { window: `${WINDOW_S}s` },
      targets: [{ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, name: 'many' }], now: () => clock, autoScrape: false,
    });
    await rt.round();
    traffic((i) => 1 + ((i * 7919) % 997)); // distinct rates in a scrambled order
    await round();
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${rt.url}/?token=${rt.token}`);
    await page.click('vscode-panel-tab[data-view=routes]');
    await page.waitForSelector(`table.routes[aria-rowcount="${ROUTES + 1}"]`);
  });
  after(async () => {
    await browser?.close();
    await rt?.close();
    await new Promise<void>((r) => server ? server.close(() => r()) : r());
    fs.rmSync(tokenDir, { recursive: true, force: true });
  });

  it('renders only the rows in view, in sort order, each showing its own route and numbers', async () => {
    const rows = await checkRendered('top');
    assert.equal(rows[0].index, 2, 'the window starts at the first route');
    assert.equal(rows[0].key, expectedOrder()[0]);
    // laid out as flex rows, the table keeps its semantics through explicit roles
    const table = page.getByRole('table', { name: 'Routes' });
    assert.equal(await table.getByRole('row').count(), rows.length + 1, 'a header row and the rendered rows');
    assert.equal(await table.getByRole('columnheader').count(), 9);
    assert.equal(await table.getByRole('row').nth(1).getByRole('cell').count(), 9);
  });

  it('scrolling renders the rows that come into view', async () => {
    await page.$eval('.routes-wrap', (w) => { w.scrollTop = 500 * 32; });
    await page.waitForFunction(() => {
      const first = document.querySelector('table.routes tbody tr[data-key]');
      return first && Number(first.getAttribute('aria-rowindex')) > 400;
    });
    const rows = await checkRendered('scrolled');
    assert.ok(rows.some((r) => r.index === 502), 'the 501st route is rendered');
    await page.$eval('.routes-wrap', (w) => { w.scrollTop = 0; });
    await page.waitForFunction(() => document.querySelector('table.routes tbody tr[data-key]')?.getAttribute('aria-rowindex') === '2');
  });

  it('after a re-sort moved every route, rows still match their keys; the focused route keeps the focus', async () => {
    const before = expectedOrder();
    const focusKey = before[3];
    await page.focus(`tr[data-key="${focusKey}"]`);
    // reverse the ranking: the focused route (4th) becomes 4th from the top again only by accident
    const rank = new Map(before.map((k, i) => [k, i]));
    traffic((i) => 2 + (rank.get(`GET ${route(i)}`)! % 997) + (`GET ${route(i)}` === focusKey ? 5000 : 0));
    await round();
    const top = expectedOrder()[0];
    assert.equal(top, focusKey, 'the focused route is now the busiest');
    await page.waitForFunction((k) => document.querySelector('table.routes tbody tr[data-key]')?.getAttribute('data-key') === k, top);
    await checkRendered('re-sorted');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-key')), focusKey, 'focus followed the route to its new row');
  });

  it('a taller window fills with rows at once, without waiting for an update', async () => {
    /** Whether the rendered rows cover the table's visible area (no blank band at the bottom). */
    const covered = () => page.$eval('.routes-wrap', (w) => {
      const rows = Array.from(w.querySelectorAll('tbody tr[data-key]'));
      const bottom = Math.max(...rows.map((r) => r.getBoundingClientRect().bottom));
      return { rows: rows.length, covered: bottom >= w.getBoundingClientRect().bottom - 1 };
    });
    const before = await covered();
    assert.ok(before.covered, 'the rows cover the table');
    await page.setViewportSize({ width: 1280, height: 1600 });
    try {
      await page.waitForFunction(() => {
        const w = document.querySelector('.routes-wrap')!;
        const rows = Array.from(w.querySelectorAll('tbody tr[data-key]'));
        return Math.max(...rows.map((r) => r.getBoundingClientRect().bottom)) >= w.getBoundingClientRect().bottom - 1;
      }, undefined, { timeout: 5000 });
      const after = await covered();
      assert.ok(after.rows > before.rows, `more rows for the taller table (${before.rows} → ${after.rows})`);
      await checkRendered('taller');
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('a deep link (#route=…, what a code lens sends in VS Code) selects the route, clears a filter hiding it and scrolls it into view', async () => {
    const order = expectedOrder();
    const key = order[700];
    const input = page.locator('vscode-text-field[data-field=route-filter] input');
    await input.fill(route(3)); // hides the route asked for
    await page.waitForFunction(() => document.querySelectorAll('table.routes tbody tr[data-key]').length === 1);
    await page.evaluate((k) => { location.hash = `route=${encodeURIComponent(k)}`; }, key);
    const row = page.locator(`tr[data-key="${key}"]`);
    await row.waitFor({ timeout: 10_000 });
    assert.equal(await input.inputValue(), '', 'the filter was cleared');
    assert.equal(await row.getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('.detail h2').innerText(), key);
    const visible = await page.$eval('.routes-wrap', (w, k) => {
      const r = w.querySelector(`tr[data-key="${k}"]`)!.getBoundingClientRect(), b = w.getBoundingClientRect();
      return r.top >= b.top && r.bottom <= b.bottom;
    }, key);
    assert.ok(visible, 'the row is scrolled into the visible part of the table');
    await checkRendered('revealed');
    await page.evaluate(() => { history.replaceState(null, '', location.pathname); document.querySelector('.routes-wrap')!.scrollTop = 0; });
    await page.waitForFunction(() => document.querySelector('table.routes tbody tr[data-key]')?.getAttribute('aria-rowindex') === '2');
  });

  it('the keyboard walks the whole list: End, Home, PageDown', async () => {
    const order = expectedOrder();
    await page.focus(`tr[data-key="${order[0]}"]`);
    await page.keyboard.press('End');
    await page.waitForFunction((k) => document.activeElement?.getAttribute('data-key') === k, order[ROUTES - 1]);
    await checkRendered('end');
    await page.keyboard.press('Home');
    await page.waitForFunction((k) => document.activeElement?.getAttribute('data-key') === k, order[0]);
    await page.keyboard.press('PageDown');
    const at = await page.evaluate(() => Number(document.activeElement?.getAttribute('aria-rowindex')));
    assert.ok(at > 5, `PageDown moved a page (to row ${at})`);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-key')), order[at - 2]);
  });
});
