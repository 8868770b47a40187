/**
 * Two-sample Cramér–von Mises test (scipy `cramervonmises_2samp`, which evidently copies): midrank
 * statistic, exact p-value (Xiao et al.) when max(nx, ny) <= 20 under 'auto', otherwise the
 * limiting distribution (Csörgő–Faraway series with K_{1/4}).
 */
import { forEachTieGroup } from './ranks';
import { besselK, lgamma } from './special';
import { sortedCopy } from './wasserstein';

export type CvmMethod = 'auto' | 'exact' | 'asymptotic';
export interface CvmResult { statistic: number; pValue: number; method: 'exact' | 'asymptotic' }

/** scipy `_cdf_cvm_inf`. */
export function cdfCvmInf(x: number): number {
  let tot = 0;
  for (let k = 0; k < 1000; k++) {
    const u = Math.exp(lgamma(k + 0.5) - lgamma(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y ** 2) / (16 * x);
    const z = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    tot += z;
    if (!(Math.abs(z) >= 1e-7)) break;
  }
  return tot;
}

function pyFloorDiv(a: number, b: number): number {
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod && (b < 0) !== (mod < 0)) div -= 1;
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}

function gcdInt(a: number, b: number): number { while (b) [a, b] = [b, a % b]; return a; }

function binomExact(n: number, k: number): number {
  k = Math.min(k, n - k);
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return Math.round(r);
}

/** scipy `_pval_cvm_2samp_exact(U, m, n)`. */
export function pvalCvmExact(s: number, m: number, n: number): number {
  const lcm = (m / gcdInt(m, n)) * n;
  const a = lcm / m, b = lcm / n;
  const mn = m * n;
  const zeta = pyFloorDiv(lcm ** 2 * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn ** 2);
  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 1; v <= m; v++) gs.push(new Map());
  for (let u = 0; u <= n; u++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v <= m; v++) {
      const merged = new Map(tmp);
      for (const [key, f] of gs[v]) merged.set(key, (merged.get(key) ?? 0) + f);
      const res = (a * v - b * u) ** 2;
      tmp = new Map();
      for (const [key, f] of merged) tmp.set(key + res, f);
      next.push(tmp);
    }
    gs = next;
  }
  let hits = 0;
  for (const [value, freq] of gs[m]) if (value >= zeta) hits += freq;
  return hits / binomExact(m + n, m);
}

export function cramerVonMises2(x: Float64Array, y: Float64Array, method: CvmMethod = 'auto'): CvmResult {
  const nx = x.length, ny = y.length;
  if (nx <= 1 || ny <= 1) throw new RangeError('cramervonmises_2samp needs at least two observations in each sample');
  const m: 'exact' | 'asymptotic' = method === 'auto' ? (Math.max(nx, ny) > 20 ? 'asymptotic' : 'exact') : method;
  const a = sortedCopy(x), b = sortedCopy(y);
  let sx = 0, sy = 0, pos = 0;
  forEachTieGroup(a, b, (_v, ta, tb, belowA, belowB) => {
    const t = ta + tb;
    const r = pos + (t + 1) / 2;
    for (let q = 0; q < ta; q++) { const d = r - (belowA + q + 1); sx += d * d; }
    for (let q = 0; q < tb; q++) { const d = r - (belowB + q + 1); sy += d * d; }
    pos += t;
  });
  const u = nx * sx + ny * sy;
  const k = nx * ny, N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  let p: number;
  if (m === 'exact') {
    p = pvalCvmExact(u, nx, ny);
  } else {
    const et = (1 + 1 / N) / 6;
    let vt = (N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k);
    vt = vt / (45 * N ** 2 * 4 * k);
    const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
    p = tn < 0.003 ? 1 : Math.max(0, 1 - cdfCvmInf(tn));
  }
  return { statistic: t, pValue: p, method: m };
}
