/**
 * The runtime wires the real DriftMonitor from the `drift` config: after every scrape round the
 * online sources (a prom-client histogram and a category counter labelled by feature) are fed from
 * the store, /api/drift serves the reports and /metrics the drift gauges.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import type { DatasetDriftState } from '../../src/protocol/drift';
import type { DriftResponse } from '../../src/protocol/runtime';
import { startRuntime } from '../../src/runtime/main';
import { getJson, silentLogger, tmpDir } from './helpers';

describe('runtime: drift monitor wiring', function () {
  this.timeout(30_000);
  it('feeds scraped feature histograms and counters to the monitor and serves the result', async () => {
    const registry = new client.Registry();
    const hist = new client.Histogram({ name: 'feature_value', help: 'Feature values seen by the model.', labelNames: ['feature'], buckets: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], registers: [registry] });
    const cats = new client.Counter({ name: 'feature_category_total', help: 'Categories seen.', labelNames: ['feature', 'category'], registers: [registry] });
    const server = http.createServer(async (_req, res) => { res.setHeader('content-type', registry.contentType); res.end(await registry.metrics()); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const dir = tmpDir('tt-drift-wiring-');
    let clock = 1_900_000_000_000;
    const rt = await startRuntime({
      targets: [{ url, name: 'model' }], now: () => clock, autoScrape: false, logger: silentLogger, tokenDir: dir, configDir: dir,
      driftConfig: {
        online: [
          { dataset: 'live', kind: 'histogram', metric: 'feature_value', referenceWindow: { seconds: 30, endsSecondsAgo: 30 }, currentWindow: { seconds: 30 } },
          { dataset: 'live', kind: 'counter', metric: 'feature_category_total', referenceWindow: { seconds: 30, endsSecondsAgo: 30 }, currentWindow: { seconds: 30 } },
        ],
      },
    });
    try {
      assert.ok(rt.drift, 'a DriftMonitor was built from the config');
      let seed = 7;
      const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      const observe = (shifted: boolean) => {
        for (let i = 0; i < 200; i++) {
          hist.observe({ feature: 'age' }, (shifted ? 75 : 30) + rnd() * 15);
          hist.observe({ feature: 'income' }, 50 + rnd() * 15);
          cats.inc({ feature: 'country', category: rnd() < (shifted ? 0.2 : 0.7) ? 'fr' : 'de' });
          cats.inc({ feature: 'plan', category: rnd() < 0.5 ? 'free' : 'pro' });
        }
      };
      for (let step = 0; step <= 6; step++) {
        if (step > 0) observe(step > 3);
        await rt.round();
        clock += 10_000;
      }
      clock -= 10_000; // now = the last round
      await rt.drift!.refresh();
      const { status, body } = await getJson<DriftResponse>(`${rt.url}/api/drift`, rt.token);
      assert.equal(status, 200);
      assert.equal(body.enabled, true);
      const live = (body.datasets as DatasetDriftState[]).find((d) => d.dataset === 'live')!;
      const f = Object.fromEntries(live.online!.map((o) => [o.feature, o]));
      assert.deepEqual(Object.keys(f).sort(), ['age', 'country', 'income', 'plan']);
      assert.equal(f.age.drifted, true, JSON.stringify(f.age));
      assert.equal(f.income.drifted, false, JSON.stringify(f.income));
      assert.equal(f.country.drifted, true, JSON.stringify(f.country));
      assert.equal(f.plan.drifted, false, JSON.stringify(f.plan));
      assert.equal(f.age.currentCount, 600);
      const metrics = await (await fetch(`${rt.url}/metrics`, { headers: { authorization: `Bearer ${rt.token}` } })).text();
      assert.match(metrics, /telltale_feature_drifted\{dataset="live",feature="age",test="psi"\} 1/);
    } finally {
      await rt.close();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves an empty, disabled drift report without a drift config', async () => {
    const dir = tmpDir('tt-drift-none-');
    const rt = await startRuntime({ autoScrape: false, logger: silentLogger, tokenDir: dir });
    try {
      const { body } = await getJson<DriftResponse>(`${rt.url}/api/drift`, rt.token);
      assert.deepEqual(body, { enabled: false, datasets: [] });
    } finally {
      await rt.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
