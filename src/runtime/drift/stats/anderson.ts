/**
 * Anderson–Darling k-sample test for k = 2 (scipy 1.10.1 `anderson_ksamp([ref, cur], midrank=True)`):
 * the standardised statistic and its interpolated significance level, capped to [0.001, 0.25].
 */
import { forEachTieGroup } from './ranks';
import { pairwiseSum } from './special';
import { sortedCopy } from './wasserstein';

export const AD_CRITICAL_K2 = [0.32500000000000007, 1.226, 1.9609999999999999, 2.718, 3.752, 4.592, 6.546];
const AD_POLY_K2 = [0.01819809457411147, -1.0082265644652515, -1.077770279820484];

export interface AndersonResult { statistic: number; pValue: number; capped: 'none' | 'capped_at_0.25' | 'floored_at_0.001' }

export function andersonKsamp2(ref: Float64Array, cur: Float64Array): AndersonResult {
  const s1 = sortedCopy(ref), s2 = sortedCopy(cur);
  const n1 = s1.length, n2 = s2.length, N = n1 + n2;
  const k = 2;
  const inner1: number[] = [], inner2: number[] = [];
  let distinct = 0;
  forEachTieGroup(s1, s2, () => { distinct++; });
  const allDistinct = distinct === N;
  if (distinct < 2) throw new RangeError('anderson_ksamp needs at least two distinct values');
  forEachTieGroup(s1, s2, (_v, ta, tb, belowA, belowB) => {
    const lj = allDistinct ? 1 : ta + tb;
    const Bj = belowA + belowB + lj / 2;
    const denom = Bj * (N - Bj) - (N * lj) / 4;
    const M1 = belowA + ta - ta / 2;
    const M2 = belowB + tb - tb / 2;
    inner1.push(((lj / N) * (N * M1 - Bj * n1) ** 2) / denom);
    inner2.push(((lj / N) * (N * M2 - Bj * n2) ** 2) / denom);
  });
  let A2akN = 0;
  A2akN += pairwiseSum(inner1) / n1;
  A2akN += pairwiseSum(inner2) / n2;
  A2akN *= (N - 1) / N;
  const H = 1 / n1 + 1 / n2;
  const hsCs = new Float64Array(N - 2);
  let acc = 0;
  for (let i = 0; i < N - 2; i++) { acc += 1 / (N - 1 - i); hsCs[i] = acc; }
  const h = hsCs[N - 3] + 1;
  const gTerms = new Float64Array(N - 2);
  for (let i = 0; i < N - 2; i++) gTerms[i] = hsCs[i] / (i + 2);
  const g = pairwiseSum(gTerms);
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const A2 = (A2akN - (k - 1)) / Math.sqrt(sigmasq);
  if (A2 < AD_CRITICAL_K2[0]) return { statistic: A2, pValue: 0.25, capped: 'capped_at_0.25' };
  if (A2 > AD_CRITICAL_K2[AD_CRITICAL_K2.length - 1]) return { statistic: A2, pValue: 0.001, capped: 'floored_at_0.001' };
  const lp = (AD_POLY_K2[0] * A2 + AD_POLY_K2[1]) * A2 + AD_POLY_K2[2];
  return { statistic: A2, pValue: Math.exp(lp), capped: 'none' };
}
