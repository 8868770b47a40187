/**
 * evidently's `z` test: two-proportion z-test with keys sorted and the first key encoded as 0,
 * p = 2·(1 − Φ(|z|)) computed literally; both samples holding one identical value give p = 1.
 */
import type { CategoryCounts } from './binning';
import { ndtr } from './special';

export interface ZTestResult { z: number; pValue: number; p1: number; p2: number; pooled: number }

export function proportionsZTest(c: CategoryCounts): ZTestResult {
  let refDistinct = 0, curDistinct = 0, refOnly = -1, curOnly = -1;
  for (let i = 0; i < c.keys.length; i++) {
    if (c.ref[i] > 0) { refDistinct++; refOnly = i; }
    if (c.cur[i] > 0) { curDistinct++; curOnly = i; }
  }
  if (refDistinct === 1 && curDistinct === 1 && refOnly === curOnly) return { z: 0, pValue: 1, p1: NaN, p2: NaN, pooled: NaN };
  const n1 = c.nRef, n2 = c.nCur;
  // encoding: keys[0] → 0, any other key → 1
  const p1 = (n1 - c.ref[0]) / n1;
  const p2 = (n2 - c.cur[0]) / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
  const pValue = 2 * (1 - ndtr(Math.abs(z)));
  return { z, pValue, p1, p2, pooled: P };
}
