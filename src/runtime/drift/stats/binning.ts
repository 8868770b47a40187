/**
 * evidently's `get_binned_data` (stattests/utils.py): a Sturges histogram over the pooled sample for
 * numeric data whose reference has more than 20 distinct values, otherwise one bin per distinct value
 * of the union; plus the per-vector zero fill that PSI and KL use. Also the category counting that
 * the categorical tests share.
 */
export type CategoryKey = string | number;

/** Counts per distinct non-null value of the union of two samples; keys sorted (numbers first, numerically; then strings by code point). */
export interface CategoryCounts {
  keys: CategoryKey[];
  ref: Float64Array;
  cur: Float64Array;
  nRef: number;
  nCur: number;
}

export interface Binned {
  branch: 'histogram_sturges' | 'value_counts';
  /** Bin edges (histogram branch), nBins + 1 of them. */
  edges?: Float64Array;
  /** One key per bin (value-counts branch). */
  keys?: CategoryKey[];
  refCounts: Float64Array;
  curCounts: Float64Array;
  nRef: number;
  nCur: number;
}

export function compareKeys(a: CategoryKey, b: CategoryKey): number {
  const na = typeof a === 'number', nb = typeof b === 'number';
  if (na && nb) return (a as number) - (b as number);
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildCounts(keysMap: Map<CategoryKey, number>, refCount: number[], curCount: number[], nRef: number, nCur: number): CategoryCounts {
  const keys = [...keysMap.keys()].sort(compareKeys);
  const ref = new Float64Array(keys.length), cur = new Float64Array(keys.length);
  keys.forEach((k, i) => { const j = keysMap.get(k)!; ref[i] = refCount[j]; cur[i] = curCount[j]; });
  return { keys, ref, cur, nRef, nCur };
}

/** Value counts of two categorical samples; null/undefined (and NaN) are dropped. */
export function countCategories(ref: ArrayLike<CategoryKey | null | undefined>, cur: ArrayLike<CategoryKey | null | undefined>): CategoryCounts {
  const index = new Map<CategoryKey, number>();
  const rc: number[] = [], cc: number[] = [];
  let nRef = 0, nCur = 0;
  const add = (v: CategoryKey | null | undefined, which: number[]): boolean => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return false;
    const key = typeof v === 'number' && v === 0 ? 0 : v; // -0 and 0 are one value
    let j = index.get(key);
    if (j === undefined) { j = rc.length; index.set(key, j); rc.push(0); cc.push(0); }
    which[j]++;
    return true;
  };
  for (let i = 0; i < ref.length; i++) if (add(ref[i], rc)) nRef++;
  for (let i = 0; i < cur.length; i++) if (add(cur[i], cc)) nCur++;
  return buildCounts(index, rc, cc, nRef, nCur);
}

/** Value counts of two cleaned numeric samples (keys are the distinct numbers). */
export function countValues(ref: Float64Array, cur: Float64Array): CategoryCounts {
  return countCategories(ref, cur);
}

/** Number of distinct values of `x`, counting at most `limit + 1` (early exit). */
export function nUniqueUpTo(x: Float64Array, limit: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < x.length; i++) {
    seen.add(x[i] === 0 ? 0 : x[i]);
    if (seen.size > limit) return seen.size;
  }
  return seen.size;
}

/** Distinct values of the union of two numeric samples. */
export function nUniqueUnion(a: Float64Array, b: Float64Array, limit = Infinity): number {
  const seen = new Set<number>();
  for (const x of [a, b]) {
    for (let i = 0; i < x.length; i++) {
      seen.add(x[i] === 0 ? 0 : x[i]);
      if (seen.size > limit) return seen.size;
    }
  }
  return seen.size;
}

/** numpy `histogram_bin_edges(x, bins='sturges')` given the pooled size and range. */
export function sturgesEdges(lo: number, hi: number, size: number): Float64Array {
  let first = lo, last = hi;
  if (first === last) { first -= 0.5; last += 0.5; }
  const width = (hi - lo) / (Math.log2(size) + 1.0);
  const nbins = width !== 0 ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, nbins + 1);
}

/** numpy `linspace(start, stop, num)` with endpoint: i*step + start, last = stop exactly. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  if (step === 0) for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
  else for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * numpy `histogram(x, bins=edges)` counts: bin i holds edges[i] <= v < edges[i+1], the last bin is
 * closed; values outside [edges[0], edges[nb]] are not counted.
 */
export function histogramCounts(x: Float64Array, edges: Float64Array): Float64Array {
  const nb = edges.length - 1;
  const counts = new Float64Array(nb);
  const first = edges[0], last = edges[nb];
  const scale = nb / (last - first);
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    if (!(v >= first && v <= last)) continue;
    let i = Math.floor((v - first) * scale);
    if (i > nb - 1) i = nb - 1;
    if (i < 0) i = 0;
    while (i > 0 && v < edges[i]) i--;
    while (i < nb - 1 && v >= edges[i + 1]) i++;
    counts[i]++;
  }
  return counts;
}

function minMax(x: Float64Array, acc: [number, number]): void {
  let lo = acc[0], hi = acc[1];
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  acc[0] = lo; acc[1] = hi;
}

/** The Sturges histogram of both samples over the pooled range. */
export function sturgesHistogram(ref: Float64Array, cur: Float64Array): { edges: Float64Array; refCounts: Float64Array; curCounts: Float64Array } {
  const mm: [number, number] = [Infinity, -Infinity];
  minMax(ref, mm);
  minMax(cur, mm);
  const edges = sturgesEdges(mm[0], mm[1], ref.length + cur.length);
  return { edges, refCounts: histogramCounts(ref, edges), curCounts: histogramCounts(cur, edges) };
}

/**
 * evidently `get_binned_data(ref, cur, column_type)`: numeric data whose reference has more than 20
 * distinct values → Sturges histogram on the pooled sample; otherwise value counts over the union.
 */
export function binData(ref: Float64Array | CategoryCounts, cur: Float64Array | null, columnType: 'num' | 'cat'): Binned {
  if (!(ref instanceof Float64Array)) {
    return { branch: 'value_counts', keys: ref.keys, refCounts: ref.ref, curCounts: ref.cur, nRef: ref.nRef, nCur: ref.nCur };
  }
  const c = cur!;
  if (columnType === 'num' && nUniqueUpTo(ref, 20) > 20) {
    const h = sturgesHistogram(ref, c);
    return { branch: 'histogram_sturges', edges: h.edges, refCounts: h.refCounts, curCounts: h.curCounts, nRef: ref.length, nCur: c.length };
  }
  const counts = countValues(ref, c);
  return { branch: 'value_counts', keys: counts.keys, refCounts: counts.ref, curCounts: counts.cur, nRef: counts.nRef, nCur: counts.nCur };
}

export function percents(counts: Float64Array, n: number): Float64Array {
  const p = new Float64Array(counts.length);
  for (let i = 0; i < p.length; i++) p[i] = counts[i] / n;
  return p;
}

/** evidently's zero fill: zeros become min(nonzero)/1e6 if that minimum is <= 1e-4, else 1e-4. No renormalisation. */
export function fillZeroes(p: Float64Array): { filled: Float64Array; fill: number } {
  let m = Infinity;
  for (let i = 0; i < p.length; i++) if (p[i] !== 0 && p[i] < m) m = p[i];
  const fill = m <= 0.0001 ? m / 10 ** 6 : 0.0001;
  const filled = Float64Array.from(p, (v) => (v === 0 ? fill : v));
  return { filled, fill };
}
