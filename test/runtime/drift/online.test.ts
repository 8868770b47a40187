/**
 * Online drift: window deltas of cumulative buckets (resets included), PSI/JS on buckets against
 * the batch statistics, and the DriftMonitor end to end — file datasets, snapshots taken from a
 * real prom-client histogram and counter, a tailed pino-style NDJSON log, per-dataset errors and
 * the exported gauges read back from a real prom-client Registry.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Counter, Histogram, Registry } from 'prom-client';
import { DriftMonitor } from '../../../src/runtime/drift/monitor';
import { type Bucket, bucketCounts, compareCounts, compareHistograms, histogramDelta } from '../../../src/runtime/drift/online';
import { fillZeroes } from '../../../src/runtime/drift/stats/binning';
import { jensenShannonDistance } from '../../../src/runtime/drift/stats/jensenshannon';
import { psiFromPercents } from '../../../src/runtime/drift/stats/psi';

const golden = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/drift-golden/num_normal_shift_n200.json'), 'utf8'));

async function bucketsOf(reg: Registry, name: string, feature: string): Promise<Bucket[]> {
  const m = (await reg.getMetricsAsJSON()).find((x) => x.name === name)!;
  return (m.values as { metricName?: string; labels: Record<string, string | number>; value: number }[])
    .filter((v) => v.metricName === `${name}_bucket` && v.labels.feature === feature)
    .map((v) => ({ le: v.labels.le === '+Inf' ? Infinity : Number(v.labels.le), count: v.value }));
}

describe('online drift', () => {
  it('window deltas of cumulative buckets, with a counter reset', () => {
    const a: Bucket[] = [{ le: 1, count: 2 }, { le: 2, count: 5 }, { le: Infinity, count: 6 }];
    const b: Bucket[] = [{ le: 1, count: 4 }, { le: 2, count: 9 }, { le: Infinity, count: 12 }];
    assert.deepEqual(histogramDelta(a, b).map((x) => x.count), [2, 4, 6]);
    assert.deepEqual(bucketCounts(histogramDelta(a, b)).counts, [2, 2, 2]);
    const reset: Bucket[] = [{ le: 1, count: 1 }, { le: 2, count: 1 }, { le: Infinity, count: 3 }];
    assert.deepEqual(histogramDelta(b, reset).map((x) => x.count), [1, 1, 3]);
  });

  it('PSI and JS on buckets equal the statistics on the bucket shares', () => {
    const ref: Bucket[] = [{ le: 1, count: 10 }, { le: 2, count: 40 }, { le: 5, count: 90 }, { le: Infinity, count: 100 }];
    const cur: Bucket[] = [{ le: 1, count: 30 }, { le: 2, count: 60 }, { le: 5, count: 100 }, { le: Infinity, count: 100 }];
    const r = Float64Array.of(0.1, 0.3, 0.5, 0.1), c = Float64Array.of(0.3, 0.3, 0.4, 0);
    const p = compareHistograms(ref, cur, 'psi');
    assert.equal(p.score, psiFromPercents(fillZeroes(r).filled, fillZeroes(c).filled));
    assert.ok(p.score! > 0.1);
    assert.equal(compareHistograms(ref, cur, 'jensenshannon').score, jensenShannonDistance(r, c));
    assert.equal(compareHistograms(ref, ref, 'psi').score, 0);
    const empty = compareCounts({ a: 0 }, { a: 3 }, 'psi');
    assert.equal(empty.score, null);
    assert.match(empty.message!, /reference window/);
  });

  describe('DriftMonitor', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telltale-monitor-'));
      const csv = (xs: number[], nulls: number) => 'age,plan\n' + xs.map((x, i) => `${i < nulls ? '' : x},${['a', 'b'][i % 2]}`).join('\n') + '\n';
      fs.writeFileSync(path.join(dir, 'ref.csv'), csv(golden.data.reference, 0));
      fs.writeFileSync(path.join(dir, 'cur.csv'), csv(golden.data.current, 20));
      fs.writeFileSync(path.join(dir, 'broken.csv'), 'age,plan\n1,a,extra\n');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reports file datasets, online histogram/counter/log windows and exports gauges', async () => {
      let now = 1_000_000_000_000;
      const logFile = path.join(dir, 'app.log');
      fs.writeFileSync(logFile, '');
      const monitor = new DriftMonitor({
        datasets: [
          { name: 'users', reference: 'ref.csv', current: 'cur.csv' },
          { name: 'broken', reference: 'ref.csv', current: 'broken.csv' },
        ],
        online: [
          { dataset: 'live', kind: 'histogram', metric: 'model_feature_value', referenceWindow: { seconds: 60, endsSecondsAgo: 60 }, currentWindow: { seconds: 60 } },
          { dataset: 'live', kind: 'counter', metric: 'model_feature_category_total', referenceWindow: { seconds: 60, endsSecondsAgo: 60 }, currentWindow: { seconds: 60 }, test: 'jensenshannon' },
          { dataset: 'logs', kind: 'log', path: 'app.log', referenceWindow: { seconds: 60, endsSecondsAgo: 60 }, currentWindow: { seconds: 60 } },
        ],
      }, { now: () => now, baseDir: dir });

      // A running app's own prom-client metrics, observed and snapshotted as a scrape would.
      const app = new Registry();
      const h = new Histogram({ name: 'model_feature_value', help: 'feature values', labelNames: ['feature'], buckets: [-1, -0.5, 0, 0.5, 1, 1.5], registers: [app] });
      const cnt = new Counter({ name: 'model_feature_category_total', help: 'categories', labelNames: ['feature', 'category'], registers: [app] });
      const scrape = async () => {
        monitor.observeHistogram('age', 'live', now, await bucketsOf(app, 'model_feature_value', 'age'));
        const vals = (await cnt.get()).values.filter((v) => v.labels.feature === 'plan');
        monitor.observeCategoryCounts('plan', 'live', now, Object.fromEntries(vals.map((v) => [String(v.labels.category), v.value])));
      };
      const lines: string[] = [];
      await scrape();
      for (const x of golden.data.reference as number[]) { h.observe({ feature: 'age' }, x); cnt.inc({ feature: 'plan', category: x > 0 ? 'pro' : 'free' }); lines.push(JSON.stringify({ level: 30, time: now + 1000, msg: 'scored', features: { age: x } })); }
      now += 60_000;
      await scrape();
      for (const x of golden.data.current as number[]) { h.observe({ feature: 'age' }, x); cnt.inc({ feature: 'plan', category: x > 0.3 ? 'pro' : 'free' }); lines.push(JSON.stringify({ level: 30, time: now + 1000, msg: 'scored', features: { age: x } })); }
      fs.appendFileSync(logFile, lines.join('\n') + '\nnot json\n');
      now += 60_000;
      await scrape();

      await monitor.refresh();
      const states = monitor.reports();
      const users = states.find((s) => s.dataset === 'users')!;
      assert.equal(users.status, 'ok');
      const age = users.report!.columns.find((c) => c.column === 'age')!;
      assert.equal(age.test, 'ks');
      assert.ok(Math.abs(age.score! - golden.expected.ks['two-sided/auto'].p_value) < 0.05, 'nulls dropped, KS still on ~180 values');
      assert.equal(age.nCurrent, 180);
      const broken = states.find((s) => s.dataset === 'broken')!;
      assert.equal(broken.status, 'error');
      assert.match(broken.message!, /broken\.csv:2:\d+: expected 2 fields/);

      const live = states.find((s) => s.dataset === 'live')!;
      const hAge = live.online!.find((f) => f.feature === 'age')!;
      assert.equal(hAge.source, 'histogram');
      assert.equal(hAge.referenceCount, 200);
      assert.equal(hAge.currentCount, 200);
      assert.ok(hAge.score! > 0);
      const cPlan = live.online!.find((f) => f.feature === 'plan')!;
      assert.equal(cPlan.test, 'jensenshannon');
      assert.ok(cPlan.score! > 0);
      const logs = states.find((s) => s.dataset === 'logs')!;
      const lAge = logs.online!.find((f) => f.feature === 'age')!;
      assert.equal(lAge.referenceCount, 200);
      assert.equal(lAge.currentCount, 200);
      // raw values binned as evidently does: the same PSI as the batch statistic on the golden data
      assert.ok(Math.abs(lAge.score! - golden.expected.evidently_binned.psi) < 1e-12, `${lAge.score}`);
      assert.match(logs.message ?? '', /1 line\(s\) were not JSON/);

      const reg = new Registry();
      monitor.registerMetrics(reg);
      const text = await reg.metrics();
      assert.match(text, /telltale_feature_drift_score\{dataset="users",feature="age",test="ks"\} 0\.\d+/);
      assert.match(text, /telltale_feature_drifted\{dataset="users",feature="age",test="ks"\} [01]/);
      assert.match(text, /telltale_feature_drift_score\{dataset="live",feature="age",test="psi"\} \d/);
      assert.match(text, /telltale_dataset_drift_share\{dataset="users"\} (0|0\.5|1)\b/);
      assert.match(text, /telltale_data_null_ratio\{dataset="users",column="age"\} 0\.1\b/);
      assert.doesNotMatch(text, /dataset="broken"/);

      // the data changes on disk: refresh picks it up; a fixed file clears the error
      fs.writeFileSync(path.join(dir, 'broken.csv'), 'age,plan\n1,a\n2,b\n3,a\n');
      await monitor.refresh();
      assert.equal(monitor.reports().find((s) => s.dataset === 'broken')!.status, 'ok');
    });
  });
});
