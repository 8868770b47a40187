/**
 * rate/increase/delta and histogram_quantile against hand-checked values and against the real
 * Prometheus engine: `promtool test rules` evaluates the same expressions over the same samples and
 * fails unless its result equals ours exactly (promtool compares floats exactly).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ratio, sumBy, type Vector } from '../../src/runtime/query/aggregate';
import { histogramQuantile } from '../../src/runtime/query/histogram-quantile';
import { delta, extrapolatedRate, increase, rate } from '../../src/runtime/query/rate';

const MIN = 60_000;
const series = (step: number, values: (number | null)[]) => {
  const t: number[] = [], v: number[] = [];
  values.forEach((x, i) => { if (x !== null) { t.push(i * step); v.push(x); } });
  return { t, v };
};

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

describe('runtime: query functions', () => {
  it('increase adds counter resets back (Prometheus functions.test: 0+10x5 0+10x5 → 90)', () => {
    const foo = series(5 * MIN, Array.from({ length: 11 }, (_, i) => i * 10));
    const bar = series(5 * MIN, [0, 10, 20, 30, 40, 50, 0, 10, 20, 30, 40]);
    assert.equal(increase(foo.t, foo.v, 50 * MIN, 50 * MIN), 100);
    assert.equal(increase(bar.t, bar.v, 50 * MIN, 50 * MIN), 90);
    // A range twice as long: the counter started at 0, so no extrapolation below zero.
    assert.equal(increase(foo.t, foo.v, 50 * MIN, 100 * MIN), 100);
    assert.equal(rate(bar.t, bar.v, 50 * MIN, 50 * MIN), 90 / 3000);
  });

  it('extrapolates by half an interval when the first sample is far from the range start', () => {
    const s = series(MIN, [100, 110, 120]); // at 0, 1m, 2m; counter far from zero
    // range [−8m, 2m]: 10 m long; durationToStart 8 m > 1.1 m → extrapolate 0.5 m; end 0.
    const r = extrapolatedRate({ t: s.t, v: s.v }, -8 * MIN, 2 * MIN, true, false);
    assert.equal(r, 20 * (150 / 120));
    assert.equal(increase(s.t, s.v, 2 * MIN, 10 * MIN), 20 * (150 / 120));
  });

  it('returns nothing with fewer than two samples, and delta does not treat drops as resets', () => {
    assert.equal(rate([1000], [5], 1000, 60_000), undefined);
    const g = series(MIN, [10, 5, 7]);
    assert.equal(delta(g.t, g.v, 2 * MIN, 2 * MIN), -3);
    assert.equal(increase(g.t, g.v, 2 * MIN, 2 * MIN), 7 + 10 - 10 + 0 * 0 + (5 - 5)); // 7-10+10 = 7
  });

  it('histogram_quantile: interpolation, the +Inf rule, merging and monotonic fix', () => {
    const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));
    assert.equal(histogramQuantile(0.5, b([[1, 5], [2, 10], [Infinity, 10]])), 1);
    assert.equal(histogramQuantile(0.75, b([[1, 5], [2, 10], [Infinity, 10]])), 1.5);
    // Rank in the +Inf bucket: the largest finite bound.
    assert.equal(histogramQuantile(0.99, b([[1, 5], [2, 6], [Infinity, 10]])), 2);
    // No +Inf bucket: NaN. Fewer than two buckets: NaN. No observations: NaN.
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[1, 5], [2, 10]]))));
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[Infinity, 10]]))));
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[1, 0], [Infinity, 0]]))));
    // q outside [0, 1]
    assert.equal(histogramQuantile(-1, b([[1, 5], [Infinity, 10]])), -Infinity);
    assert.equal(histogramQuantile(2, b([[1, 5], [Infinity, 10]])), Infinity);
    // Non-monotonic: the dip at le=2 is lifted to 8.
    assert.equal(histogramQuantile(0.5, b([[1, 8], [2, 3], [4, 12], [Infinity, 16]])), 1 * (8 / 8));
    // Unsorted input and duplicate bounds are merged.
    assert.equal(histogramQuantile(0.5, b([[Infinity, 5], [1, 2], [Infinity, 5], [1, 3]])), 1);
    // A lowest bucket with a bound <= 0 is not interpolated from 0.
    assert.equal(histogramQuantile(0.1, b([[-1, 5], [0, 8], [Infinity, 10]])), -1);
  });

  it('sum by and ratios follow PromQL grouping (missing labels group as empty)', () => {
    const v: Vector = [
      { labels: { route: '/a', code: '200' }, value: 3 },
      { labels: { route: '/a', code: '500' }, value: 1 },
      { labels: { code: '500' }, value: 2 },
    ];
    const s = sumBy(v, ['route']);
    assert.deepEqual(s, [{ labels: { route: '/a' }, value: 4 }, { labels: {}, value: 2 }]);
    const r = ratio(sumBy(v.filter((e) => e.labels.code === '500'), ['route']), s, ['route']);
    assert.deepEqual(r.map((e) => e.value), [0.25, 1]);
  });

  describe('equals the real Prometheus engine (promtool test rules)', function () {
    const promtool = which('promtool');
    before(function () { if (!promtool) this.skip(); });

    it('rate/increase/delta and histogram_quantile on random counters with resets and gaps', function () {
      this.timeout(60_000);
      let seed = 42;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const stepS = 15;
      const cases: { expr: string; at: number; labels: string; value: number | undefined }[] = [];
      const inputs: string[] = [];
      for (let k = 0; k < 12; k++) {
        const vals: (number | null)[] = [];
        let v = Math.floor(rnd() * 50);
        for (let i = 0; i < 40; i++) {
          if (rnd() < 0.1) { vals.push(null); continue; }
          if (rnd() < 0.07) v = Math.floor(rnd() * 5); else v += Math.floor(rnd() * 20) + (rnd() < 0.3 ? 0.25 : 0);
          vals.push(v);
        }
        inputs.push(`      - series: 'c{k="${k}"}'\n        values: '${vals.map((x) => (x === null ? '_' : String(x))).join(' ')}'`);
        const s = series(stepS * 1000, vals);
        for (const [fn, f] of [['rate', rate], ['increase', increase], ['delta', delta]] as const) {
          const at = (Math.floor(rnd() * 30) + 8) * stepS * 1000 + Math.floor(rnd() * stepS) * 1000;
          const rangeS = [30, 60, 95, 120, 300][Math.floor(rnd() * 5)];
          cases.push({ expr: `${fn}(c{k="${k}"}[${rangeS}s])`, at, labels: `{k="${k}"}`, value: f(s.t, s.v, at, rangeS * 1000) });
        }
      }
      // Histograms: cumulative buckets over time; quantiles of their rates.
      const les = [0.05, 0.1, 0.25, 0.5, 1, Infinity];
      for (let k = 0; k < 6; k++) {
        const perLe: number[][] = les.map(() => []);
        const cum = les.map(() => 0);
        for (let i = 0; i < 20; i++) {
          let acc = 0;
          for (let j = 0; j < les.length; j++) { acc += Math.floor(rnd() * 4); cum[j] += acc; }
          // one non-monotonic glitch in the middle of histogram 3
          perLe.forEach((arr, j) => arr.push(k === 3 && i === 10 && j === 2 ? cum[j] - 50 : cum[j]));
        }
        les.forEach((le, j) => inputs.push(`      - series: 'h_bucket{k="${k}",le="${le === Infinity ? '+Inf' : le}"}'\n        values: '${perLe[j].join(' ')}'`));
        for (const q of [0.5, 0.9, 0.99]) {
          const at = 19 * stepS * 1000;
          const buckets = les.map((le, j) => {
            const s = series(stepS * 1000, perLe[j]);
            return { le, count: rate(s.t, s.v, at, 120_000) ?? NaN };
          });
          cases.push({ expr: `histogram_quantile(${q}, rate(h_bucket{k="${k}"}[120s]))`, at, labels: `{k="${k}"}`, value: histogramQuantile(q, buckets) });
        }
      }
      const yaml = [
        'evaluation_interval: 1m',
        'tests:',
        `  - interval: ${stepS}s`,
        '    input_series:',
        ...inputs,
        '    promql_expr_test:',
        ...cases.map((c) => [
          `      - expr: '${c.expr}'`,
          `        eval_time: ${c.at / 1000}s`,
          c.value === undefined ? '        exp_samples: []' : `        exp_samples:\n          - labels: '${c.labels}'\n            value: ${String(c.value)}`,
        ].join('\n')),
      ].join('\n') + '\n';
      assert.ok(cases.filter((c) => c.value !== undefined && !Number.isNaN(c.value)).length >= 40);
      assert.ok(cases.every((c) => c.value === undefined || !Number.isNaN(c.value)), 'no NaN in the promtool cases');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-promtool-'));
      try {
        const file = path.join(dir, 'query.test.yml');
        fs.writeFileSync(file, yaml);
        const r = spawnSync(promtool!, ['test', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 0, `promtool disagrees:\n${r.stdout}\n${r.stderr}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
