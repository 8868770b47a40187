/** KL divergence as evidently computes it (kl_div.py): scipy.stats.entropy(r, c) on zero-filled shares, renormalised, natural log. */
import { type Binned, fillZeroes, percents } from './binning';
import { pairwiseSum, pairwiseSumMapped } from './special';

/** scipy.special.rel_entr. */
export function relEntr(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** scipy.stats.entropy(pk, qk): both normalised to sum 1, then Σ rel_entr. */
export function entropy(pk: Float64Array, qk: Float64Array): number {
  const sp = pairwiseSum(pk), sq = pairwiseSum(qk);
  return pairwiseSumMapped(pk.length, (i) => relEntr(pk[i] / sp, qk[i] / sq));
}

export function klDiv(b: Binned): number {
  const r = fillZeroes(percents(b.refCounts, b.nRef)).filled;
  const c = fillZeroes(percents(b.curCounts, b.nCur)).filled;
  return entropy(r, c);
}
