/**
 * Hand cases beside the goldens: ties, constant references, empty samples, NaN/±inf cleaning,
 * Sturges power-of-two and degenerate ranges, numpy-exact summation and quantiles. Expected values
 * come from scipy (noted per case) or from the definitions.
 */
import assert from 'node:assert/strict';
import { columnDrift } from '../../../src/runtime/drift/report';
import { andersonKsamp2 } from '../../../src/runtime/drift/stats/anderson';
import { binData, countCategories, fillZeroes, histogramCounts, linspace, sturgesEdges } from '../../../src/runtime/drift/stats/binning';
import { chisquareGof } from '../../../src/runtime/drift/stats/chisquare';
import { cramerVonMises2 } from '../../../src/runtime/drift/stats/cramervonmises';
import { cleanNumeric, describeNumeric, lerp, quantileSorted } from '../../../src/runtime/drift/stats/describe';
import { energyDistance } from '../../../src/runtime/drift/stats/energy';
import { ks2samp } from '../../../src/runtime/drift/stats/ks';
import { mannWhitneyU, mwuCounts } from '../../../src/runtime/drift/stats/mannwhitney';
import { psi } from '../../../src/runtime/drift/stats/psi';
import { sortedFloat64 } from '../../../src/runtime/drift/stats/sort';
import { pairwiseSum, roundHalfEven } from '../../../src/runtime/drift/stats/special';
import { wassersteinDistance, wassersteinNormed } from '../../../src/runtime/drift/stats/wasserstein';
import { proportionsZTest } from '../../../src/runtime/drift/stats/ztest';

const f = (...x: number[]): Float64Array => Float64Array.from(x);
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('drift statistics: hand cases', () => {
  // scipy: ks_2samp, mannwhitneyu(asymptotic), wasserstein/energy_distance, cramervonmises_2samp, anderson_ksamp
  const R = f(1, 1, 2, 2, 3, 3, 3, 4), C = f(2, 2, 3, 3, 3, 4, 4, 5, 5);
  it('ties: KS exact and asymptotic', () => {
    const k = ks2samp(R, C);
    assert.equal(k.statistic, 0.3194444444444444);
    assert.ok(rel(k.pValue, 0.6401480872069107) < 1e-12);
    assert.ok(rel(ks2samp(R, C, 'two-sided', 'asymp').pValue, 0.70851730395519) < 1e-12);
  });
  it('ties: Mann-Whitney with tie correction, Wasserstein, energy, CvM and AD', () => {
    const m = mannWhitneyU(R, C, 'less', 'auto');
    assert.equal(m.method, 'asymptotic'); // ties force the normal approximation
    assert.equal(m.u1, 18.5);
    assert.ok(rel(m.pValue, 0.04556435508873964) < 1e-12);
    assert.ok(rel(wassersteinDistance(R, C), 1.0694444444444444) < 1e-14);
    assert.ok(rel(energyDistance(R, C), 0.7630045386011317) < 1e-14);
    const cvm = cramerVonMises2(R, C);
    assert.equal(cvm.method, 'exact');
    assert.ok(rel(cvm.statistic, 0.2881944444444442) < 1e-12);
    assert.ok(rel(cvm.pValue, 0.15783628136569314) < 1e-12);
    assert.ok(rel(andersonKsamp2(R, C).statistic, 1.832909984715903) < 1e-12);
  });
  it('Mann-Whitney exact null distribution sums to C(m+n, m) and is symmetric', () => {
    const c = mwuCounts(4, 5);
    assert.equal(c.reduce((a, b) => a + b, 0), 126);
    for (let k = 0; k <= 20; k++) assert.equal(c[k], c[20 - k]);
    assert.deepEqual([...c.slice(0, 4)], [1, 1, 2, 3]);
  });

  it('constant reference: KS, normed Wasserstein floor 0.001, one Sturges bin', () => {
    const ref = new Float64Array(50).fill(5), cur = f(...new Array(30).fill(5), ...new Array(10).fill(6));
    assert.ok(rel(ks2samp(ref, cur).pValue, 0.10550568706088177) < 1e-12); // scipy
    const w = wassersteinNormed(ref, cur);
    assert.equal(w.distance, 0.25);
    assert.equal(w.norm, 0.001);
    assert.equal(w.normed, 250);
    const edges = sturgesEdges(5, 5, 100);
    assert.deepEqual([...edges], [4.5, 5.5]);
    const same = binData(new Float64Array(30).fill(5), new Float64Array(30).fill(5), 'num');
    assert.equal(psi(same), 0);
    assert.equal(ks2samp(ref, ref).pValue, 1);
  });

  it('Sturges bins: the power-of-two quirk and numpy linspace edges', () => {
    // N = 1024: ptp / (ptp / 11) can round above 11 → 12 bins, as numpy does
    const e = sturgesEdges(0, 0.3, 1024);
    assert.equal(e.length - 1, Math.ceil(0.3 / (0.3 / (Math.log2(1024) + 1))));
    const l = linspace(0, 1, 11);
    assert.equal(l[3], 3 * 0.1); // i*step + start, not i/div
    assert.equal(l[10], 1);
    // right-open bins, last bin closed
    assert.deepEqual([...histogramCounts(f(0, 0.5, 1, 1.5, 2, 2, 3), f(0, 1, 2))], [2, 4]); // 3 is outside
  });

  it('NaN and ±inf are dropped before testing, counted apart in describe', () => {
    const raw = f(1, NaN, 2, Infinity, 3, -Infinity, 4);
    const c = cleanNumeric(raw);
    assert.deepEqual([...c.finite], [1, 2, 3, 4]);
    assert.deepEqual([c.nulls, c.posinf, c.neginf], [1, 1, 1]);
    const d = describeNumeric(raw);
    assert.equal(d.nullFraction, 1 / 7);
    assert.equal(d.max, 4);
    assert.equal(d.mean, 2.5);
    const k1 = ks2samp(cleanNumeric(f(1, 2, 3, Infinity, NaN)).finite, f(2, 3, 4));
    const k2 = ks2samp(f(1, 2, 3), f(2, 3, 4));
    assert.deepEqual(k1, k2);
  });

  it('empty current and empty samples: a per-column error, statistics refuse', () => {
    assert.throws(() => ks2samp(f(), f(1)), RangeError);
    assert.throws(() => wassersteinDistance(f(1), f()), RangeError);
    const d = columnDrift({ name: 'x', kind: 'number', dtype: 'float', values: f(1, 2, 3) }, { name: 'x', kind: 'number', dtype: 'float', values: f(NaN, NaN) }, {}, {});
    assert.equal(d.error, 'no non-null values in current');
    assert.equal(d.drifted, false);
    assert.equal(d.score, null);
  });

  it('categories: new category gives chi-square p = 0; z-test single identical value p = 1; zero fill per vector', () => {
    const c = countCategories(['a', 'a', 'b', null], ['a', 'c', 'c']);
    assert.deepEqual(c.keys, ['a', 'b', 'c']);
    assert.equal(c.nRef, 3);
    const g = chisquareGof(c);
    assert.equal(g.statistic, Infinity);
    assert.equal(g.pValue, 0);
    assert.equal(proportionsZTest(countCategories(['x', 'x'], ['x'])).pValue, 1);
    const z = fillZeroes(f(0.5, 0, 0.5));
    assert.equal(z.fill, 0.0001);
    const tiny = fillZeroes(f(0.99995, 0, 0.00005));
    assert.equal(tiny.fill, 0.00005 / 1e6);
  });

  it('numpy pairwise summation and quantile methods', () => {
    const x = Float64Array.from({ length: 1000 }, (_v, i) => 0.1 * i + 1e-3 / (i + 1));
    // pairwise: 8 accumulators per block of <= 128 → differs from a naive loop in general
    let naive = 0;
    for (const v of x) naive += v;
    assert.ok(Math.abs(pairwiseSum(x) - naive) < 1e-9);
    assert.equal(roundHalfEven(2.5), 2);
    assert.equal(roundHalfEven(3.5), 4);
    assert.equal(roundHalfEven(-2.5), -2);
    const s = f(1, 2, 3, 4);
    assert.equal(quantileSorted(s, 0.5, 'linear'), 2.5);
    assert.equal(quantileSorted(s, 0.5, 'lower'), 2);
    assert.equal(quantileSorted(s, 0.5, 'higher'), 3);
    assert.equal(quantileSorted(s, 0.5, 'nearest'), 3); // h = 1.5 rounds half to even: x[2]
    assert.equal(quantileSorted(s, 0.5, 'midpoint'), 2.5);
    assert.equal(lerp(1, 3, 0.75), 3 - (3 - 1) * 0.25);
  });
});

describe('radix sort of Float64Array', () => {
  it('matches TypedArray#sort on mixed signs, zeros, duplicates and infinities', () => {
    let s = 7;
    const next = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
    for (const n of [10, 5000, 70000]) {
      const x = Float64Array.from({ length: n }, (_v, i) => (i % 97 === 0 ? [0, -0, Infinity, -Infinity, 1e-310, -1e-310][i % 6] : (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6)));
      for (let i = 0; i < n / 10; i++) x[i * 3 % n] = 1.5; // duplicates
      const a = sortedFloat64(x), b = Float64Array.from(x).sort();
      assert.deepEqual([...a].map((v) => (Object.is(v, -0) ? 0 : v)), [...b].map((v) => (Object.is(v, -0) ? 0 : v)));
      assert.equal(x.length, n, 'input untouched');
    }
  });
});
