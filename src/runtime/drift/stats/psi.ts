/** Population Stability Index as evidently computes it (psi.py): Σ (r − c)·ln(r/c) over zero-filled bin shares. */
import { type Binned, fillZeroes, percents } from './binning';
import { pairwiseSumMapped } from './special';

/** PSI of two share vectors that are already zero-filled. */
export function psiFromPercents(r: Float64Array, c: Float64Array): number {
  return pairwiseSumMapped(r.length, (i) => (r[i] - c[i]) * Math.log(r[i] / c[i]));
}

export function psi(b: Binned): number {
  const r = fillZeroes(percents(b.refCounts, b.nRef)).filled;
  const c = fillZeroes(percents(b.curCounts, b.nCur)).filled;
  return psiFromPercents(r, c);
}
