/**
 * Descriptive statistics with numpy's exact methods: pairwise-summed mean, two-pass std (ddof 0
 * and 1), np.median, and np.quantile's linear / lower / higher / nearest / midpoint methods.
 */
import { pairwiseSum, roundHalfEven } from './special';

export type QuantileMethod = 'linear' | 'lower' | 'higher' | 'nearest' | 'midpoint';

/** np.mean. */
export function mean(x: Float64Array): number {
  return pairwiseSum(x) / x.length;
}

/** numpy's pairwise sum of (x − m)², specialised (no per-element closure) for speed. */
function pairwiseSqDev(x: Float64Array, m: number, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) { const d = x[start + i] - m; res += d * d; }
    return n === 0 ? 0 : res;
  }
  if (n <= 128) {
    let d = x[start] - m; let r0 = d * d;
    d = x[start + 1] - m; let r1 = d * d;
    d = x[start + 2] - m; let r2 = d * d;
    d = x[start + 3] - m; let r3 = d * d;
    d = x[start + 4] - m; let r4 = d * d;
    d = x[start + 5] - m; let r5 = d * d;
    d = x[start + 6] - m; let r6 = d * d;
    d = x[start + 7] - m; let r7 = d * d;
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const b = start + i;
      d = x[b] - m; r0 += d * d; d = x[b + 1] - m; r1 += d * d; d = x[b + 2] - m; r2 += d * d; d = x[b + 3] - m; r3 += d * d;
      d = x[b + 4] - m; r4 += d * d; d = x[b + 5] - m; r5 += d * d; d = x[b + 6] - m; r6 += d * d; d = x[b + 7] - m; r7 += d * d;
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) { d = x[start + i] - m; res += d * d; }
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSqDev(x, m, start, n2) + pairwiseSqDev(x, m, start + n2, n - n2);
}

function sumSqDev(x: Float64Array): number {
  return pairwiseSqDev(x, mean(x), 0, x.length);
}

/** np.std(x) (ddof 0). */
export function stdPop(x: Float64Array): number {
  return Math.sqrt(sumSqDev(x) / x.length);
}

/** np.std(x, ddof=1). */
export function stdSample(x: Float64Array): number {
  return Math.sqrt(sumSqDev(x) / (x.length - 1));
}

/** numpy `_lerp`: bit-exact linear interpolation. */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** np.quantile(x, q, method) for an ascending-sorted, non-empty x. */
export function quantileSorted(x: Float64Array, q: number, method: QuantileMethod = 'linear'): number {
  const n = x.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  switch (method) {
    case 'lower': return x[lo];
    case 'higher': return x[Math.min(Math.ceil(h), n - 1)];
    case 'nearest': return x[Math.min(roundHalfEven(h), n - 1)];
    case 'midpoint': {
      const vi = 0.5 * (Math.floor(h) + Math.ceil(h));
      const g = vi - lo;
      return g === 0 ? x[lo] : lerp(x[lo], x[hi], g);
    }
    default: return lerp(x[lo], x[hi], h - lo);
  }
}

/** np.median of a sorted array. */
export function medianSorted(x: Float64Array): number {
  const n = x.length;
  if (n === 0) return NaN;
  if (n % 2) return x[(n - 1) / 2];
  return (x[n / 2 - 1] + x[n / 2]) / 2;
}

export interface NumericSummary {
  nRaw: number;
  nullCount: number;
  nullFraction: number;
  posinfCount: number;
  neginfCount: number;
  nFinite: number;
  min: number;
  max: number;
  mean: number;
  stdPop: number;
  stdSample: number;
  median: number;
  nUnique: number;
  quantiles: Record<QuantileMethod, Record<'0.5' | '0.95' | '0.99', number>>;
}

export const SUMMARY_QUANTILES = [0.5, 0.95, 0.99] as const;
const METHODS: QuantileMethod[] = ['linear', 'lower', 'higher', 'nearest', 'midpoint'];

/** Splits raw values into the finite sample and the null / ±inf counts (evidently's cleaning). */
export function cleanNumeric(raw: ArrayLike<number>): { finite: Float64Array; nulls: number; posinf: number; neginf: number } {
  let nulls = 0, posinf = 0, neginf = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (v !== v) nulls++;
    else if (v === Infinity) posinf++;
    else if (v === -Infinity) neginf++;
  }
  const finite = new Float64Array(raw.length - nulls - posinf - neginf);
  let k = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (v === v && v !== Infinity && v !== -Infinity) finite[k++] = v;
  }
  return { finite, nulls, posinf, neginf };
}

/** Summary of a raw numeric column (NaN = null; ±inf counted apart, not null). `sortedFinite` may be passed if already at hand. */
export function describeNumeric(raw: ArrayLike<number>, sortedFinite?: Float64Array): NumericSummary {
  const { finite, nulls, posinf, neginf } = cleanNumeric(raw);
  const s = sortedFinite ?? finite.slice().sort();
  let nUnique = posinf > 0 ? 1 : 0;
  if (neginf > 0) nUnique++;
  for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) nUnique++;
  const quantiles = {} as NumericSummary['quantiles'];
  for (const m of METHODS) {
    quantiles[m] = { '0.5': quantileSorted(s, 0.5, m), '0.95': quantileSorted(s, 0.95, m), '0.99': quantileSorted(s, 0.99, m) };
  }
  const n = finite.length;
  return {
    nRaw: raw.length,
    nullCount: nulls,
    nullFraction: raw.length ? nulls / raw.length : 0,
    posinfCount: posinf,
    neginfCount: neginf,
    nFinite: n,
    min: n ? s[0] : NaN,
    max: n ? s[n - 1] : NaN,
    mean: n ? mean(finite) : NaN,
    stdPop: n ? stdPop(finite) : NaN,
    stdSample: n > 1 ? stdSample(finite) : NaN,
    median: medianSorted(s),
    nUnique,
    quantiles,
  };
}

export interface CategoricalSummary {
  nRaw: number;
  nullCount: number;
  nullFraction: number;
  nNonNull: number;
  nUnique: number;
  counts: Record<string, number>;
}

export function describeCategorical(raw: ArrayLike<string | number | null | undefined>): CategoricalSummary {
  const counts = new Map<string, number>();
  let nulls = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) { nulls++; continue; }
    const k = String(v);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const sortedKeys = [...counts.keys()].sort();
  return {
    nRaw: raw.length,
    nullCount: nulls,
    nullFraction: raw.length ? nulls / raw.length : 0,
    nNonNull: raw.length - nulls,
    nUnique: counts.size,
    counts: Object.fromEntries(sortedKeys.map((k) => [k, counts.get(k)!])),
  };
}
