/**
 * `histogram_quantile` over classic (bucketed) histograms with Prometheus' exact rules
 * (promql/quantile.go, bucketQuantile): buckets sorted by upper bound, equal bounds merged, the
 * `+Inf` bucket required, counts forced monotonic, linear interpolation inside the bucket the rank
 * falls in, the lowest bucket interpolated from 0 (unless its bound is <= 0), and a rank in the
 * `+Inf` bucket answered with the largest finite bound.
 */

export interface Bucket {
  /** Upper bound (`le`). */
  le: number;
  /** Cumulative count. */
  count: number;
}

export function histogramQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (input.length === 0) return NaN;
  const sorted = [...input].sort((a, b) => a.le - b.le);
  if (sorted[sorted.length - 1].le !== Infinity) return NaN;
  // Merge buckets with the same upper bound (they come from series that differ only in labels
  // dropped by the aggregation).
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.le === b.le) last.count += b.count;
    else buckets.push({ le: b.le, count: b.count });
  }
  // Non-monotonic counts (scrape races, precision loss) are forced up to the running maximum.
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0 || Number.isNaN(observations)) return NaN;
  let rank = q * observations;
  // First bucket (excluding +Inf) whose count reaches the rank.
  let b = buckets.length - 1;
  for (let i = 0; i < buckets.length - 1; i++) {
    if (buckets[i].count >= rank) { b = i; break; }
  }
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le;
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le;
  let bucketStart = 0;
  const bucketEnd = buckets[b].le;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** Parses an `le` label value as Prometheus does; undefined when it is not a number. */
export function parseLe(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  const t = le.trim().toLowerCase();
  if (t === '+inf' || t === 'inf') return Infinity;
  if (t === '-inf') return -Infinity;
  const v = Number(t);
  return t !== '' && !Number.isNaN(v) ? v : undefined;
}
