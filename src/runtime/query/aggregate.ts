/** `sum by (…)` and ratios over instant vectors: plain arrays of { labels, value }. */
import type { Labels } from '../scrape/exposition';

export interface VectorElement { labels: Labels; value: number }
export type Vector = VectorElement[];

/** The grouping key of `by (labels)`: a missing label counts as the empty string, as in PromQL. */
export function groupKey(labels: Labels, by: readonly string[]): string {
  let k = '';
  for (const l of by) k += (labels[l] ?? '') + '\u0000';
  return k;
}

export function pick(labels: Labels, by: readonly string[]): Labels {
  const out: Labels = {};
  for (const l of by) if (labels[l] !== undefined && labels[l] !== '') out[l] = labels[l];
  return out;
}

/** `sum by (by) (vector)`. */
export function sumBy(vector: Vector, by: readonly string[]): Vector {
  const groups = new Map<string, VectorElement>();
  for (const e of vector) {
    const k = groupKey(e.labels, by);
    const g = groups.get(k);
    if (g) g.value += e.value;
    else groups.set(k, { labels: pick(e.labels, by), value: e.value });
  }
  return [...groups.values()];
}

/**
 * `numerator / denominator` matched on the given labels (`on (on)`); elements of the denominator
 * without a match are kept with `missing` (0 for error ratios: no errors), division by zero gives
 * NaN, like PromQL (which would give NaN or ±Inf).
 */
export function ratio(numerator: Vector, denominator: Vector, on: readonly string[], missing = 0): Vector {
  const num = new Map<string, number>();
  for (const e of numerator) num.set(groupKey(e.labels, on), e.value);
  return denominator.map((d) => {
    const n = num.get(groupKey(d.labels, on)) ?? missing;
    return { labels: pick(d.labels, on), value: d.value === 0 ? NaN : n / d.value };
  });
}
