/** Jensen–Shannon *distance* (scipy.spatial.distance.jensenshannon, natural log) on evidently's binned shares without zero fill. */
import { type Binned, percents } from './binning';
import { relEntr } from './kl';
import { pairwiseSum, pairwiseSumMapped } from './special';

export function jensenShannonDistance(pIn: Float64Array, qIn: Float64Array): number {
  const sp = pairwiseSum(pIn), sq = pairwiseSum(qIn);
  const n = pIn.length;
  const p = new Float64Array(n), q = new Float64Array(n), m = new Float64Array(n);
  for (let i = 0; i < n; i++) { p[i] = pIn[i] / sp; q[i] = qIn[i] / sq; m[i] = (p[i] + q[i]) / 2.0; }
  const left = pairwiseSumMapped(n, (i) => relEntr(p[i], m[i]));
  const right = pairwiseSumMapped(n, (i) => relEntr(q[i], m[i]));
  const js = left + right;
  return Math.sqrt(js / 2.0);
}

export function jensenShannon(b: Binned): number {
  return jensenShannonDistance(percents(b.refCounts, b.nRef), percents(b.curCounts, b.nCur));
}
