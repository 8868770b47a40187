/**
 * 1-Wasserstein distance (scipy `wasserstein_distance`) and evidently's normed form:
 * W1 / max(std_pop(ref), 0.001). Works on sorted copies with one merge pass; the sum is
 * compensated (Neumaier), so it agrees with numpy's pairwise sum to ~1e-15.
 */
import { stdPop } from './describe';
import { sortedFloat64 } from './sort';

export function sortedCopy(x: Float64Array): Float64Array {
  return sortedFloat64(x);
}

/**
 * Σ |F_a − F_b|^p · Δ over the pooled sorted values, for sorted samples a and b
 * (scipy `_cdf_distance` before its final root).
 */
export function cdfDistanceSum(a: Float64Array, b: Float64Array, p: 1 | 2): number {
  const n1 = a.length, n2 = b.length;
  let i = 0, j = 0;
  let sum = 0, comp = 0;
  // Walk the pooled order; the gap to the next pooled value is non-zero only once every copy of the
  // current value is consumed, so |F_a − F_b| there is the right-continuous ECDF difference.
  while (i < n1 || j < n2) {
    let v: number;
    if (j >= n2 || (i < n1 && a[i] <= b[j])) v = a[i++]; else v = b[j++];
    if (i >= n1 && j >= n2) break;
    const next = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    const delta = next - v;
    if (delta === 0) continue;
    const d = Math.abs(i / n1 - j / n2);
    const term = (p === 1 ? d : d * d) * delta;
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  return sum + comp;
}

/** scipy.stats.wasserstein_distance(u, v) on cleaned samples. */
export function wassersteinDistance(u: Float64Array, v: Float64Array, presorted = false): number {
  if (u.length === 0 || v.length === 0) throw new RangeError('wasserstein_distance needs two non-empty samples');
  return cdfDistanceSum(presorted ? u : sortedCopy(u), presorted ? v : sortedCopy(v), 1);
}

export interface WassersteinNormed { distance: number; norm: number; normed: number }

/** evidently `wasserstein` (wasserstein_distance_norm.py): W1 / max(np.std(ref), 0.001). */
export function wassersteinNormed(ref: Float64Array, cur: Float64Array, sortedRef?: Float64Array, sortedCur?: Float64Array): WassersteinNormed {
  const distance = cdfDistanceSum(sortedRef ?? sortedCopy(ref), sortedCur ?? sortedCopy(cur), 1);
  const norm = Math.max(stdPop(ref), 0.001);
  return { distance, norm, normed: distance / norm };
}
