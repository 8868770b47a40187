/**
 * Mann–Whitney U test as scipy 1.10.1 `mannwhitneyu(x, y, use_continuity=True)` computes it
 * (midranks, tie-corrected normal approximation, exact null distribution when n1, n2 <= 8 and no
 * ties under 'auto'). evidently's `mannw` uses alternative 'less' with x = reference.
 */
import { forEachTieGroup } from './ranks';
import { ndtr } from './special';
import { sortedCopy } from './wasserstein';

export type MwuAlternative = 'two-sided' | 'less' | 'greater';
export type MwuMethod = 'auto' | 'asymptotic' | 'exact';

export interface MwuResult { u1: number; pValue: number; method: 'asymptotic' | 'exact'; hasTies: boolean }

/** Counts of U = 0..mn for samples of sizes m and n without ties (generating function ∏ (1−q^{n+i})/(1−q^i)). */
export function mwuCounts(m: number, n: number): Float64Array {
  const N = m * n;
  const c = new Float64Array(N + m + n + 2);
  c[0] = 1;
  let deg = 0;
  for (let i = 1; i <= m; i++) {
    // multiply by (1 - q^{n+i})
    const s = n + i;
    for (let k = deg + s; k >= s; k--) c[k] -= c[k - s];
    deg += n;
    // divide by (1 - q^i): prefix recurrence
    for (let k = i; k <= deg + i; k++) c[k] += c[k - i];
  }
  return c.slice(0, N + 1);
}

function exactSf(u: number, m: number, n: number): number {
  const counts = mwuCounts(m, n);
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  const mn = m * n;
  const cdf = (k: number): number => { let s = 0; for (let j = 0; j <= k; j++) s += counts[j] / total; return s; };
  const kc = mn - u;
  if (u < kc) return 1 - cdf(u) + counts[u] / total;
  return cdf(kc);
}

export function mannWhitneyU(x: Float64Array, y: Float64Array, alternative: MwuAlternative = 'two-sided', method: MwuMethod = 'auto'): MwuResult {
  const n1 = x.length, n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannwhitneyu needs two non-empty samples');
  const a = sortedCopy(x), b = sortedCopy(y);
  let r1 = 0, tieTerm = 0, hasTies = false, pos = 0;
  forEachTieGroup(a, b, (_v, ta, tb) => {
    const t = ta + tb;
    r1 += ta * (pos + (t + 1) / 2);
    if (t > 1) { hasTies = true; tieTerm += t * t * t - t; }
    pos += t;
  });
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  let U: number, f: number;
  if (alternative === 'greater') { U = u1; f = 1; } else if (alternative === 'less') { U = u2; f = 1; } else { U = Math.max(u1, u2); f = 2; }
  let m: 'asymptotic' | 'exact';
  if (method === 'auto') m = (n1 > 8 && n2 > 8) || hasTies ? 'asymptotic' : 'exact';
  else m = method;
  let p: number;
  if (m === 'exact') {
    p = exactSf(Math.trunc(U), n1, n2);
  } else {
    const mu = (n1 * n2) / 2;
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * ((n + 1) - tieTerm / (n * (n - 1))));
    const z = (U - mu - 0.5) / s;
    p = ndtr(-z);
  }
  p *= f;
  return { u1, pValue: Math.min(Math.max(p, 0), 1), method: m, hasTies };
}
