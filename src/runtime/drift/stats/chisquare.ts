/**
 * evidently's `chisquare` test: goodness of fit of the current counts against expected counts
 * taken from the reference (f_exp = ref_count · n_cur/n_ref), scipy.stats.chisquare with dof K−1.
 * A category absent from the reference gives stat = +inf and p = 0. Also scipy's chi2_contingency.
 */
import type { CategoryCounts } from './binning';
import { chi2Sf, pairwiseSumMapped } from './special';

export interface ChiSquareResult { statistic: number; pValue: number; dof: number }

export function chisquareGof(c: CategoryCounts): ChiSquareResult & { fObs: Float64Array; fExp: Float64Array } {
  const k = c.keys.length;
  const kNorm = c.nCur / c.nRef;
  const fExp = new Float64Array(k), fObs = new Float64Array(k);
  for (let i = 0; i < k; i++) { fExp[i] = c.ref[i] * kNorm; fObs[i] = c.cur[i]; }
  const statistic = pairwiseSumMapped(k, (i) => {
    const d = fObs[i] - fExp[i];
    return fExp[i] === 0 ? (d === 0 ? NaN : Infinity) : (d * d) / fExp[i];
  });
  const dof = k - 1;
  const pValue = statistic === Infinity ? 0 : dof <= 0 ? NaN : chi2Sf(statistic, dof);
  return { statistic, pValue, dof, fObs, fExp };
}

/** scipy.stats.chi2_contingency([[ref counts], [cur counts]], correction). Yates only when dof == 1. */
export function chi2Contingency(c: CategoryCounts, correction = true): ChiSquareResult & { yatesApplied: boolean } {
  const k = c.keys.length;
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof: 0, yatesApplied: false };
  let sr = 0, sc = 0;
  for (let i = 0; i < k; i++) { sr += c.ref[i]; sc += c.cur[i]; }
  const total = sr + sc;
  const obs: number[] = [], exp: number[] = [];
  for (const [row, rs] of [[c.ref, sr], [c.cur, sc]] as const) {
    for (let i = 0; i < k; i++) { obs.push(row[i]); exp.push((rs * (c.ref[i] + c.cur[i])) / total); }
  }
  const yates = correction && dof === 1;
  if (yates) {
    for (let i = 0; i < obs.length; i++) {
      const diff = exp[i] - obs[i];
      obs[i] += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
    }
  }
  const statistic = pairwiseSumMapped(obs.length, (i) => ((obs[i] - exp[i]) ** 2) / exp[i]);
  return { statistic, pValue: chi2Sf(statistic, dof), dof, yatesApplied: yates };
}
