/**
 * Dashboard benchmark: the built page in Debian's Chromium, fed by a local SSE server with
 * runtime-shaped `update` events for 1,000 routes (every route's numbers change in every event).
 *
 * - update-to-paint: from the arrival of an event to the first task after the next frame (the
 *   page's own `telltale:update-to-paint` User Timing measure), Routes view open with a route
 *   selected (its chart updates too). Events are sent 10 per second — ten times the real
 *   rate — and compared with a baseline in the same page: events that change nothing but the time.
 *   Then where the main thread's time goes (a Chromium trace), and the same updates with the table
 *   sorted by route, so rows keep their places.
 * - memory over a simulated hour: 3,600 events, one per simulated second (sent as soon as the
 *   previous one painted), JS heap after a forced GC and DOM node count every 900 events.
 *
 * `--quick` runs 60 latency events and 600 simulated seconds; `--no-hour` skips the hour. Diagnostics
 * (printed, no report): `--trace` (trace breakdown), `--profile [--focus "fn file:line"]` (V8 profile).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RouteRed, RoutesResponse, RuntimeUpdateEvent } from '../src/protocol/runtime';
import { encodeEvent } from '../src/runtime/server';
import { profileBreakdown, traceBreakdown } from './chromium-breakdown';
import { launchChromium } from '../test/webview/browser';
import { ensureBuilt, ROOT, STATIC_DIR } from '../test/webview/harness';

const quick = process.argv.includes('--quick');
const ROUTES = 1000;
const LATENCY_EVENTS = quick ? 60 : 200;
const HOUR = process.argv.includes('--no-hour') ? 0 : quick ? 600 : 3600;
const CHECK_EVERY = quick ? 150 : 900;
const T0 = 1_750_000_000_000;

function routes(tick: number, change: boolean): RoutesResponse {
  const k = change ? tick : 0;
  const list: RouteRed[] = [];
  for (let i = 0; i < ROUTES; i++) {
    const base = 1 + (i % 37);
    const rate = base * (1 + 0.5 * Math.sin((k + i) / 7));
    const errors = i % 10 === 0 ? rate * 0.05 * (1 + Math.cos(k / 5 + i)) : 0;
    list.push({
      method: ['GET', 'POST', 'PUT', 'DELETE'][i % 4], route: `/api/v1/resource-${i}/:id`,
      rate, requests: rate * 60, errors: errors * 60, errorRatio: errors / rate,
      p50: 0.005 + (i % 13) / 1000 + 0.001 * Math.sin(k + i), p95: 0.05 + (i % 7) / 100, p99: 0.1 + (i % 5) / 50 + 0.01 * Math.cos(k),
      code: { file: `src/routes/r${i % 50}.ts`, line: 10 + (i % 200), framework: 'express', path: `/api/v1/resource-${i}/:id` },
    });
  }
  return { source: 'local', at: T0 + tick * 1000, windowSeconds: 60, metrics: { requests: 'http_requests_total', duration: 'http_request_duration_seconds', routeLabel: 'route' }, routes: list };
}

/** A server with the runtime's API shape: the static page, JSON endpoints and an SSE stream we drive. */
async function fakeRuntime() {
  const clients = new Set<http.ServerResponse>();
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
  const json = (res: http.ServerResponse, body: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/api/health': return json(res, { ok: true, version: 'bench', startedAt: T0, source: 'local', targets: 1, targetsUp: 1, series: ROUTES * 14, samples: 0 });
      case '/api/targets': return json(res, { targets: [{ name: 'bench', url: 'http://127.0.0.1:1/metrics', intervalSeconds: 1, health: 'up', lastScrape: T0, lastSuccess: T0, samples: ROUTES * 14, series: ROUTES * 14, parseErrors: [], seriesRefused: 0, counterResets: 0, bytes: 0 }] });
      case '/api/routes': return json(res, routes(0, true));
      case '/api/jobs': return json(res, { source: 'local', at: T0, windowSeconds: 3600, jobs: [] });
      case '/api/drift': return json(res, { enabled: false, datasets: [] });
      case '/api/alerts': return json(res, { enabled: false, intervalSeconds: 0, firing: [], pending: [], resolved: [], rules: [], notifiers: [] });
      case '/api/inventory': return json(res, { inventory: null });
      case '/api/events':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write('retry: 2000\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      default: {
        const file = path.join(STATIC_DIR, url.pathname === '/' ? 'index.html' : url.pathname);
        if (!file.startsWith(STATIC_DIR) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
        res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
      }
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get clients() { return clients.size; },
    send(event: RuntimeUpdateEvent) {
      const data = encodeEvent(event); // the runtime's own wire format
      for (const c of clients) c.write(data);
    },
    close: () => new Promise<void>((r) => { for (const c of clients) c.end(); server.close(() => r()); server.closeAllConnections(); }),
  };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  ensureBuilt();
  const rt = await fakeRuntime();
  const browser = await launchChromium();
  const page: Page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error(`page ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  const paints: number[] = [];
  let waiter: (() => void) | undefined;
  const scripts: number[] = [];
  await page.exposeFunction('__ttPaint', (ms: number) => { paints.push(ms); waiter?.(); });
  await page.exposeFunction('__ttScript', (ms: number) => { scripts.push(ms); });
  const chartPaints: number[] = [];
  await page.exposeFunction('__ttChart', (ms: number) => { chartPaints.push(ms); });
  await page.addInitScript(() => {
    sessionStorage.setItem('telltale.dashboard.state', JSON.stringify({ view: 'routes', routeSort: { key: 'rate', dir: 'desc' }, routeFilter: '', selectedRoute: 'GET /api/v1/resource-0/:id' }));
    new PerformanceObserver((list) => {
      const w = window as unknown as { __ttPaint(ms: number): void; __ttScript(ms: number): void; __ttChart(ms: number): void };
      for (const e of list.getEntries()) {
        if (e.name === 'telltale:update-to-paint') w.__ttPaint(e.duration);
        else if (e.name === 'telltale:update-script') w.__ttScript(e.duration);
        else if (e.name === 'telltale:chart-to-paint') w.__ttChart(e.duration);
      }
    }).observe({ type: 'measure' });
  });
  await page.goto(rt.url + '/');
  await page.waitForSelector(`table.routes[aria-rowcount="${ROUTES + 1}"]`, { timeout: 60_000 });
  for (let i = 0; i < 50 && rt.clients === 0; i++) await sleep(100);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');

  let tick = 1;
  /** Sends one event and waits until it painted (bounded). */
  const sendAndWait = async (change: boolean) => {
    const done = new Promise<void>((r) => { waiter = r; });
    rt.send({ type: 'update', round: tick, at: T0 + tick * 1000, ...(change ? { routes: routes(tick, true) } : {}) });
    tick++;
    await Promise.race([done, sleep(5000)]);
    waiter = undefined;
  };

  const metrics = async () => {
    const m = await cdp.send('Performance.getMetrics') as { metrics: { name: string; value: number }[] };
    return Object.fromEntries(m.metrics.map((x) => [x.name, x.value]));
  };
  const latency = async (change: boolean): Promise<{ paint: number[]; script: number[]; chart: number[]; busyMs: Record<string, number> }> => {
    const from = paints.length, fromS = scripts.length, fromC = chartPaints.length;
    const m0 = await metrics();
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const next = Date.now() + 100;
      await sendAndWait(change);
      await sleep(Math.max(0, next - Date.now()));
    }
    await sleep(200);
    const m1 = await metrics();
    const per = (k: string) => ((m1[k] - m0[k]) * 1000) / LATENCY_EVENTS;
    return { paint: paints.slice(from), script: scripts.slice(fromS), chart: chartPaints.slice(fromC), busyMs: { task: per('TaskDuration'), script: per('ScriptDuration'), layout: per('LayoutDuration'), style: per('RecalcStyleDuration') } };
  };

  for (let i = 0; i < 20; i++) await sendAndWait(true); // warm-up (JIT, chart layout)
  const oneUpdate = async () => { await sendAndWait(true); await sleep(50); };
  if (process.argv.includes('--profile')) {
    // Diagnostics, not a result: where script time goes (`--focus "update main.js:123"` prints a call tree).
    const focus = process.argv.includes('--focus') ? process.argv[process.argv.indexOf('--focus') + 1] : undefined;
    console.error(await profileBreakdown(cdp, 30, oneUpdate, focus));
    process.exit(0);
  }
  if (process.argv.includes('--trace')) {
    const b = await traceBreakdown(cdp, 20, oneUpdate);
    console.error(`main thread per update ${b.perUpdateMs.toFixed(1)} ms\n${b.groups.map(([k, v]) => `${v.toFixed(2)} ms\t${k}`).join('\n')}\n\n${b.top.map(([k, v]) => `${v.toFixed(2)} ms\t${k}`).join('\n')}`);
    process.exit(0);
  }
  if (paints.length === 0) throw new Error('the page reported no update-to-paint measure: events do not arrive or do not render');
  console.error(`warm-up: ${paints.length} paints, median ${median(paints).toFixed(1)} ms`);
  const fullR = await latency(true);
  const idleR = await latency(false);
  const full = fullR.paint, idle = idleR.paint;
  const breakdown = await traceBreakdown(cdp, 20, oneUpdate);
  // The same updates with the table sorted by route: rows keep their places, only numbers change.
  await page.click('button[data-sort=route]');
  await page.waitForSelector('th[aria-sort=ascending] button[data-sort=route]');
  const stableR = await latency(true);
  await page.click('button[data-sort=rate]');
  const rows = Number(await page.getAttribute('table.routes', 'aria-rowcount')) - 1;
  const rendered = await page.locator('table.routes tbody tr[data-key]').count();
  const charts = await page.locator('.detail canvas').count();

  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const h = await cdp.send('Runtime.getHeapUsage') as { usedSize: number };
    const m = await cdp.send('Performance.getMetrics') as { metrics: { name: string; value: number }[] };
    const get = (n: string) => m.metrics.find((x) => x.name === n)?.value ?? NaN;
    return { heapMB: h.usedSize / 1048576, nodes: get('Nodes'), listeners: get('JSEventListeners') };
  };
  const samples: { t: number; heapMB: number; nodes: number; listeners: number }[] = [];
  const hourStart = tick;
  const started = Date.now();
  samples.push({ t: 0, ...(await heap()) });
  const hourPaints: number[] = [];
  for (let s = 1; s <= HOUR; s++) {
    const before = paints.length;
    await sendAndWait(true);
    if (paints.length > before) hourPaints.push(paints[paints.length - 1]);
    if (s % CHECK_EVERY === 0) samples.push({ t: s, ...(await heap()) });
  }
  const hourWall = (Date.now() - started) / 1000;
  await browser.close();
  await rt.close();

  const m = median(full), base = median(idle);
  const first = samples[1] ?? samples[0], last = samples[samples.length - 1];
  const growth = (last.heapMB - first.heapMB) / first.heapMB;
  const cpus = os.cpus();
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' / ');
  const md = `## Dashboard (bench/dashboard.bench.ts)

Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} logical CPUs (shared with other jobs; load average at the end ${load}), Node ${process.version}, Debian Chromium headless (--disable-gpu). ${quick ? '**--quick run.** ' : ''}
Page: dist/webview (production code path), Routes view with ${rows} rows (${rendered} in the DOM: the table renders the scrolled window) and a selected route (its chart.js chart: ${charts} canvas), fed by runtime-shaped SSE \`update\` events in which all ${ROUTES} routes change (rate, error %, p50/p95/p99, sparkline, charts).

### Update-to-paint (${LATENCY_EVENTS} events at 10/s — ten times the runtime's fastest rate)

| events | update-to-paint median (ms) | p90 (ms) | p99 (ms) | vs baseline | script part median (ms) | p90 (ms) | chart-to-paint median (ms) | p90 (ms) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${[['baseline: nothing changed (only the time)', idleR], [`${ROUTES} routes changed, sorted by req/s (rows change places every update)`, fullR], [`${ROUTES} routes changed, sorted by route (rows keep their places)`, stableR]]
    .map(([label, r]) => { const x = r as typeof fullR; return `| ${label} | ${median(x.paint).toFixed(2)} | ${pct(x.paint, 0.9).toFixed(2)} | ${pct(x.paint, 0.99).toFixed(2)} | ${(median(x.paint) / base).toFixed(2)}× | ${median(x.script).toFixed(2)} | ${pct(x.script, 0.9).toFixed(2)} | ${median(x.chart).toFixed(2)} | ${pct(x.chart, 0.9).toFixed(2)} |`; }).join('\n')}

Renderer main-thread time per event (CDP Performance metrics, less sensitive to other processes than wall time): baseline ${idleR.busyMs.task.toFixed(1)} ms (script ${idleR.busyMs.script.toFixed(1)}, style ${idleR.busyMs.style.toFixed(1)}, layout ${idleR.busyMs.layout.toFixed(1)}); ${ROUTES} routes changed **${fullR.busyMs.task.toFixed(1)} ms** (script ${fullR.busyMs.script.toFixed(1)}, style ${fullR.busyMs.style.toFixed(1)}, layout ${fullR.busyMs.layout.toFixed(1)}).

Update-to-paint runs from the event's arrival to the first task after the next frame, so it includes the wait for that frame: the 1,000 series of the table and their sparklines are on screen. The selected route's chart (one chart.js layout and redraw, ~4 ms here) is drawn in the task after that paint and shows one frame later: chart-to-paint runs from the same arrival to the paint after the chart's redraw. The baseline events carry no routes but still advance the history by one point, so every sparkline and the chart redraw. The script part is parsing, view-model and DOM writes.

Where the main thread's time goes per update, sorted by req/s (Chromium trace of 20 updates, self time per trace event, grouped; tracing itself adds some): ${breakdown.groups.map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}; total ${breakdown.perUpdateMs.toFixed(1)} ms. \`npx tsx bench/dashboard.bench.ts --trace\` (or \`--profile\`) prints the detail.

- Median update-to-paint with ${ROUTES} live series: **${m.toFixed(1)} ms** (budget < 16 ms: ${m < 16 ? 'met' : '**not met**'}); the selected route's chart follows one frame later (median ${median(fullR.chart).toFixed(1)} ms after the event). The measure spans the event stream, JSON parsing, the history, the table's in-place update and the frame that paints it.

### Memory over a simulated hour (${HOUR} updates, one per simulated second, ${hourWall.toFixed(0)} s wall time)

| simulated time | JS heap after GC (MB) | DOM nodes | event listeners |
| --- | ---: | ---: | ---: |
${samples.map((s) => `| ${s.t === 0 ? 'start' : `${Math.round(s.t / 60)} min`} | ${s.heapMB.toFixed(2)} | ${s.nodes} | ${s.listeners} |`).join('\n')}

- Heap from ${first.t / 60} min to ${last.t / 60} min: **${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%** (the first interval fills the bounded history: 360 points × 5 fields per route, then flat); DOM nodes ${first.nodes} → ${last.nodes}.
- Update-to-paint over the hour: median ${median(hourPaints)?.toFixed(1)} ms, p99 ${pct(hourPaints, 0.99)?.toFixed(1)} ms (events back to back, so the previous update's chart redraw is often still running when the next one arrives).
`;
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results/dashboard.md'), md);
  console.log(md);
  void hourStart;
}

main().catch((err) => { console.error(err); process.exit(1); });
