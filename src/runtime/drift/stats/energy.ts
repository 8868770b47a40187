/** Energy distance (scipy `energy_distance`): √2 · sqrt(Σ (F_ref − F_cur)² Δ). evidently's `ed` drifts when the distance is > 0.1. */
import { cdfDistanceSum, sortedCopy } from './wasserstein';

export function energyDistance(u: Float64Array, v: Float64Array, presorted = false): number {
  if (u.length === 0 || v.length === 0) throw new RangeError('energy_distance needs two non-empty samples');
  return Math.SQRT2 * Math.sqrt(cdfDistanceSum(presorted ? u : sortedCopy(u), presorted ? v : sortedCopy(v), 2));
}
