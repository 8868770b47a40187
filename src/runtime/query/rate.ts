/**
 * `rate`, `increase` and `delta` with Prometheus' semantics (promql/functions.go,
 * extrapolatedRate, as in Prometheus 2.x): counter resets are added back, and the result is
 * extrapolated towards the edges of the range — fully when a sample lies within 1.1 average sample
 * intervals of the edge, otherwise by half an interval — and never below zero for a counter.
 * Pure functions over parallel arrays of timestamps (ms) and values, sorted by time.
 */

export interface SampleArrays {
  /** Timestamps in ms, ascending. */
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  /** Use only indexes [from, to). Defaults to the whole arrays. */
  from?: number;
  to?: number;
}

/**
 * The core of rate/increase/delta. `rangeStartMs`/`rangeEndMs` are the edges of the range
 * selector (`at - range` and `at`); the samples passed must already lie inside it.
 * Returns undefined when fewer than two samples are present (Prometheus returns no value).
 */
export function extrapolatedRate(s: SampleArrays, rangeStartMs: number, rangeEndMs: number, isCounter: boolean, isRate: boolean): number | undefined {
  const from = s.from ?? 0;
  const to = s.to ?? s.t.length;
  const n = to - from;
  if (n < 2) return undefined;
  const firstT = s.t[from], lastT = s.t[to - 1];
  const firstV = s.v[from], lastV = s.v[to - 1];
  let result = lastV - firstV;
  if (isCounter) {
    let prev = firstV;
    for (let i = from + 1; i < to; i++) {
      const v = s.v[i];
      if (v < prev) result += prev;
      prev = v;
    }
  }
  let durationToStart = (firstT - rangeStartMs) / 1000;
  const durationToEnd = (rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  if (isCounter && result > 0 && firstV >= 0) {
    // A counter cannot go below zero: do not extrapolate further back than where it would hit 0.
    const durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
  // Same operation order as Prometheus, so results agree to the last bit.
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= (rangeEndMs - rangeStartMs) / 1000;
  return result * factor;
}

/** Index of the first sample with t >= x (binary search). */
export function lowerBound(t: ArrayLike<number>, x: number, from = 0, to = t.length): number {
  let lo = from, hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Index after the last sample with t <= x. */
export function upperBound(t: ArrayLike<number>, x: number, from = 0, to = t.length): number {
  let lo = from, hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Selects the samples of a range selector `[range]` evaluated at `atMs`: both edges included,
 * as in Prometheus 2.x.
 */
export function selectRange(t: ArrayLike<number>, atMs: number, rangeMs: number): { from: number; to: number } {
  return { from: lowerBound(t, atMs - rangeMs), to: upperBound(t, atMs) };
}

/** `rate(x[range])` at `atMs`, per second. */
export function rate(t: ArrayLike<number>, v: ArrayLike<number>, atMs: number, rangeMs: number): number | undefined {
  const { from, to } = selectRange(t, atMs, rangeMs);
  return extrapolatedRate({ t, v, from, to }, atMs - rangeMs, atMs, true, true);
}

/** `increase(x[range])` at `atMs`. */
export function increase(t: ArrayLike<number>, v: ArrayLike<number>, atMs: number, rangeMs: number): number | undefined {
  const { from, to } = selectRange(t, atMs, rangeMs);
  return extrapolatedRate({ t, v, from, to }, atMs - rangeMs, atMs, true, false);
}

/** `delta(x[range])` at `atMs` (gauges: no reset handling). */
export function delta(t: ArrayLike<number>, v: ArrayLike<number>, atMs: number, rangeMs: number): number | undefined {
  const { from, to } = selectRange(t, atMs, rangeMs);
  return extrapolatedRate({ t, v, from, to }, atMs - rangeMs, atMs, false, false);
}
