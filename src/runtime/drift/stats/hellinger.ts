/**
 * evidently's Hellinger distance (hellinger_distance.py). Categorical: sqrt(1 − Σ sqrt(p_ref p_cur)).
 * Numeric: Sturges edges over the *distinct values* of the union, density histograms of both
 * samples, Σ sqrt(h1 h2)·bin_width.
 */
import { type CategoryCounts, histogramCounts, sturgesEdges } from './binning';

export function hellingerCategorical(c: CategoryCounts): number {
  let h = 0;
  for (let i = 0; i < c.keys.length; i++) h += Math.sqrt((c.ref[i] / c.nRef) * (c.cur[i] / c.nCur));
  h = Math.min(Math.max(h, 0), 1);
  return Math.sqrt(1 - h);
}

function density(counts: Float64Array, edges: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  return Float64Array.from(counts, (c, i) => c / (edges[i + 1] - edges[i]) / total);
}

export function hellingerNumeric(ref: Float64Array, cur: Float64Array): number {
  const keys = new Set<number>();
  for (const x of [ref, cur]) for (let i = 0; i < x.length; i++) keys.add(x[i] === 0 ? 0 : x[i]);
  let lo = Infinity, hi = -Infinity;
  for (const k of keys) { if (k < lo) lo = k; if (k > hi) hi = k; }
  const edges = sturgesEdges(lo, hi, keys.size);
  const h1 = density(histogramCounts(ref, edges), edges);
  const h2 = density(histogramCounts(cur, edges), edges);
  const nb = edges.length - 1;
  const bw = (edges[nb] - edges[0]) / nb;
  let h = 0;
  for (let i = 0; i < nb; i++) h += Math.sqrt(h1[i] * h2[i]) * bw;
  h = Math.min(Math.max(h, 0), 1);
  return Math.sqrt(1 - h);
}
