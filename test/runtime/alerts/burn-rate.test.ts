/**
 * Burn-rate math against hand-computed values: the SRE workbook's own figures, then SLO rules
 * evaluated over our store (real parser, store and `increase`) with traffic whose ratios are
 * worked out by hand below.
 */
import assert from 'node:assert/strict';
import { budgetSpent, burnRate, burnRateWindows, reportedBurnRate } from '../../../src/runtime/alerts/burn-rate';
import { AlertEngine } from '../../../src/runtime/alerts/engine';
import { compileAlertsConfig } from '../../../src/runtime/alerts/rules';
import { LocalSource } from '../../../src/runtime/query/local-source';
import { parseExposition } from '../../../src/runtime/scrape/exposition';
import { SeriesStore } from '../../../src/runtime/store/store';
import type { AlertRuleConfig } from '../../../src/config/sections/alerts';
import { fakeInputs, recordingNotifier } from './helpers';

const close = (a: number | null, b: number, msg?: string) => assert.ok(a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${msg ?? ''} ${a} ≠ ${b}`);

describe('alerts: burn-rate arithmetic', () => {
  it('matches the SRE workbook: 14.4× over 1h and 6× over 6h spend 2% and 5% of a 30-day budget', () => {
    close(budgetSpent(14.4, 3_600_000), 0.02);
    close(budgetSpent(6, 6 * 3_600_000), 0.05);
    close(budgetSpent(1, 30 * 86_400_000), 1);
  });

  it('burn rate = bad ratio ÷ error budget', () => {
    close(burnRate({ bad: 20, total: 1000 }, 0.999), 20);       // 2% errors against a 0.1% budget
    close(burnRate({ bad: 1, total: 1000 }, 0.999), 1);         // exactly on budget
    close(burnRate({ bad: 3, total: 200 }, 0.99), 1.5);         // 1.5% against 1%
    assert.equal(burnRate({ bad: 0, total: 0 }, 0.999), null);  // no traffic: no verdict
    assert.equal(burnRate({ bad: 5, total: 8 }, 0.99, 10), null, 'below minRequests');
    close(burnRate({ bad: 12, total: 10 }, 0.9), 10, 'a ratio above 1 (scrape skew) is capped at 1');
  });

  it('a window pair fires only when both windows burn faster than its factor', () => {
    const windows = [{ longMs: 3_600_000, shortMs: 300_000, factor: 14.4 }, { longMs: 21_600_000, shortMs: 1_800_000, factor: 6 }];
    const counts = new Map([
      [3_600_000, { bad: 20, total: 1000 }],   // 20×
      [300_000, { bad: 2, total: 100 }],       // 20×
      [21_600_000, { bad: 30, total: 6000 }],  // 5×
      [1_800_000, { bad: 10, total: 1000 }],   // 10×
    ]);
    const states = burnRateWindows(windows, counts, 0.999);
    assert.deepEqual(states.map((s) => s.firing), [true, false]);
    close(states[0].longBurnRate, 20);
    close(states[1].longBurnRate, 5);
    close(states[1].shortBurnRate, 10);
    close(reportedBurnRate(states), 20);
    // The short window has recovered: the long one alone does not page (the workbook's reset time).
    counts.set(300_000, { bad: 0, total: 100 });
    assert.deepEqual(burnRateWindows(windows, counts, 0.999).map((s) => s.firing), [false, false]);
    close(reportedBurnRate(burnRateWindows(windows, counts, 0.999)), 20, 'not firing: the highest long-window burn rate');
  });
});

/**
 * Traffic scraped every 15 s at t = 15k + 5 s (k = 0…159, so no sample lies on a window edge):
 * per interval 200 requests on POST /orders, of which 1 fails (0.5%) until 32:00 and 60 (30%) after.
 * The counters start high, so `increase` extrapolates the bad and the total counters by the same
 * factor and their ratio is the ratio of the differences between the first and last sample in
 * the window. At 40:00 (windows: 1m → k 156…159, 5m → 140…159, 10m → 120…159, 30m → 40…159):
 *   1m:  3 burst intervals                   → 180 / 600    = 0.3       → burn 30     (objective 99%)
 *   5m:  19 burst intervals                  → 0.3                      → burn 30
 *   10m: 7 normal + 32 burst = 7 + 1920      → 1927 / 7800  = 0.247051… → burn 24.7051…
 *   30m: 87 normal + 32 burst = 87 + 1920    → 2007 / 23800 = 0.084327… → burn 8.43277…
 * At 33:00 (1m → k 128…131, 5m → 112…131, 10m → 92…131, 30m → 12…131):
 *   1m: 3 burst → 30; 5m: 15 + 240 = 255 / 3800 → 6.7105…; 10m: 35 + 240 = 275 / 7800 → 3.5256…;
 *   30m: 115 + 240 = 355 / 23800 → 1.4915…  → neither pair fires (the long windows hold it back).
 * Latency: of each interval's requests, 150 take ≤ 0.1 s, 30 more ≤ 0.25 s, 20 longer (bad for a
 * 0.25 s objective: 20 / 200 = 10%; for 0.1 s: 50 / 200 = 25%).
 */
function scrapes(store: SeriesStore): void {
  let ok = 1_000_000, bad = 10_000, le01 = 750_000, le025 = 900_000, count = 1_000_000;
  for (let k = 0; k < 160; k++) {
    const t = (15 * k + 5) * 1000;
    if (k > 0) {
      const errors = 15 * k + 5 > 1920 ? 60 : 1;
      bad += errors; ok += 200 - errors;
      le01 += 150; le025 += 180; count += 200;
    }
    const text = [
      '# TYPE http_requests_total counter',
      `http_requests_total{method="POST",route="/orders",status_code="201"} ${ok}`,
      `http_requests_total{method="POST",route="/orders",status_code="500"} ${bad}`,
      '# TYPE http_request_duration_seconds histogram',
      `http_request_duration_seconds_bucket{method="POST",route="/orders",le="0.1"} ${le01}`,
      `http_request_duration_seconds_bucket{method="POST",route="/orders",le="0.25"} ${le025}`,
      `http_request_duration_seconds_bucket{method="POST",route="/orders",le="+Inf"} ${count}`,
      `http_request_duration_seconds_count{method="POST",route="/orders"} ${count}`,
      `http_request_duration_seconds_sum{method="POST",route="/orders"} ${count * 0.1}`,
      '',
    ].join('\n');
    store.ingest('app', parseExposition(text).samples, t);
  }
}

describe('alerts: SLO rules over the store (hand-computed burn rates)', () => {
  const store = new SeriesStore({ retentionMs: 3_600_000 });
  scrapes(store);
  const source = new LocalSource(store);
  const windows = [{ long: '10m', short: '1m', burnRate: 14.4 }, { long: '30m', short: '5m', burnRate: 6 }];

  async function evaluateAt(atMs: number, rule: AlertRuleConfig) {
    const e = new AlertEngine({
      config: compileAlertsConfig({ rules: [rule], notifiers: [{ type: 'webhook', name: 'rec', url: 'http://127.0.0.1:1/' }] }, {}),
      inputs: { ...fakeInputs(), source },
      now: () => atMs,
      notifiers: [recordingNotifier()],
    });
    const r = await e.evaluate();
    await e.close();
    return { r, res: e.response() };
  }

  it('availability: fires at 40:00 with the burn rates worked out by hand', async () => {
    const { r, res } = await evaluateAt(2_400_000, { name: 'OrdersAvailability', objective: 0.99, windows });
    assert.deepEqual(r.errors, []);
    assert.equal(res.firing.length, 1);
    const a = res.firing[0];
    assert.deepEqual(a.labels, { alertname: 'OrdersAvailability', severity: 'page', slo: 'OrdersAvailability', route: '/orders', method: 'POST', sli: 'availability' });
    const [p1, p2] = a.burnRates!;
    assert.deepEqual([p1.longSeconds, p1.shortSeconds, p1.factor, p2.longSeconds, p2.shortSeconds, p2.factor], [600, 60, 14.4, 1800, 300, 6]);
    close(p1.shortBurnRate, 30, '1m');
    close(p2.shortBurnRate, 30, '5m');
    close(p1.longBurnRate, 1927 / 7800 / 0.01, '10m');
    close(p2.longBurnRate, 2007 / 23800 / 0.01, '30m');
    assert.deepEqual([p1.firing, p2.firing], [true, true]);
    close(a.value, 1927 / 7800 / 0.01, 'the value is the first firing pair\'s long-window burn rate');
    assert.match(a.annotations.summary, /POST \/orders: availability SLO 99% burning its error budget 24\.7× as fast as allowed/);
  });

  it('availability: a 1-minute spike at 33:00 does not fire (the long windows are below their factors)', async () => {
    const { res } = await evaluateAt(1_980_000, { name: 'OrdersAvailability', objective: 0.99, windows, for: 0 });
    assert.equal(res.firing.length + res.pending.length, 0);
  });

  it('latency: bad = requests slower than the threshold bucket', async () => {
    // 20 of 200 per interval are slower than 0.25 s: 10% bad against a 5% budget → burn 2 in every window.
    const { res, r } = await evaluateAt(2_400_000, { name: 'OrdersLatency', sli: 'latency', objective: 0.95, latencyThreshold: 0.25, windows: [{ long: '10m', short: '1m', burnRate: 1.5 }] });
    assert.deepEqual(r.errors, []);
    assert.equal(res.firing.length, 1);
    close(res.firing[0].burnRates![0].longBurnRate, 2);
    close(res.firing[0].burnRates![0].shortBurnRate, 2);
    // 50 of 200 slower than 0.1 s: 25% against 5% → 5: above a factor of 4.9, below 6.
    const fast = await evaluateAt(2_400_000, { name: 'Fast', sli: 'latency', objective: 0.95, latencyThreshold: 0.1, windows: [{ long: '10m', short: '1m', burnRate: 4.9 }] });
    assert.equal(fast.res.firing.length, 1);
    close(fast.res.firing[0].value, 5);
    const slower = await evaluateAt(2_400_000, { name: 'Fast', sli: 'latency', objective: 0.95, latencyThreshold: 0.1, windows: [{ long: '10m', short: '1m', burnRate: 6 }] });
    assert.equal(slower.res.firing.length, 0);
  });

  it('latency: a threshold that is not a bucket boundary is an error naming the boundaries', async () => {
    const { r, res } = await evaluateAt(2_400_000, { name: 'Odd', sli: 'latency', objective: 0.99, latencyThreshold: 0.3 });
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].error, /latencyThreshold 0\.3s is not a bucket boundary of http_request_duration_seconds \(boundaries: 0\.1, 0\.25\)/);
    assert.equal(res.rules[0].health, 'error');
  });

  it('aggregate: one alert for all matched routes, labelled by the SLO only', async () => {
    const { res } = await evaluateAt(2_400_000, { name: 'Shop', objective: 0.99, windows, aggregate: true, match: { route: '/ord*' } });
    assert.equal(res.firing.length, 1);
    assert.deepEqual(res.firing[0].labels, { alertname: 'Shop', severity: 'page', slo: 'Shop', sli: 'availability' });
    const none = await evaluateAt(2_400_000, { name: 'Other', objective: 0.99, windows, match: { route: '/users/*' } });
    assert.equal(none.res.firing.length, 0);
  });
});
