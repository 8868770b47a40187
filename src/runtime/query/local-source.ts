/**
 * The view primitives (views.ts) evaluated over our own store with the Prometheus-semantics
 * query functions: the local counterpart of prometheus-source.ts.
 */
import type { Labels } from '../scrape/exposition';
import type { Series } from '../store/series';
import type { SeriesStore } from '../store/store';
import type { LabelFilter, TimedValue, ViewSource } from '../views';
import { groupKey, pick, sumBy, type Vector } from './aggregate';
import { histogramQuantile, parseLe } from './histogram-quantile';
import { extrapolatedRate } from './rate';

/** Prometheus' default lookback for instant selectors. */
export const LOOKBACK_MS = 5 * 60_000;

export function filterFn(filter?: LabelFilter): ((labels: Labels) => boolean) | undefined {
  if (!filter) return undefined;
  const re = new RegExp(`^(?:${filter.regex})$`);
  return (labels) => re.test(labels[filter.label] ?? '');
}

export class LocalSource implements ViewSource {
  readonly kind = 'local' as const;
  constructor(private readonly store: SeriesStore) {}

  async metricLabels(names: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const name of names) {
      const set = this.store.labelNames(name);
      if (set) out.set(name, set as Set<string>);
    }
    return out;
  }

  /** `increase(metric{filter}[window])` per series at `at`. */
  increaseVector(metric: string, windowMs: number, atMs: number, filter?: LabelFilter, isRate = false): Vector {
    const out: Vector = [];
    for (const s of this.store.select(metric, filterFn(filter))) {
      const w = s.scratchWindow(atMs - windowMs, atMs);
      const v = extrapolatedRate(w, atMs - windowMs, atMs, true, isRate);
      if (v !== undefined) out.push({ labels: s.labels, value: v });
    }
    return out;
  }

  async sumIncrease(metric: string, by: readonly string[], windowMs: number, atMs: number, filter?: LabelFilter): Promise<Vector> {
    return sumBy(this.increaseVector(metric, windowMs, atMs, filter), by);
  }

  async quantile(q: number, bucketMetric: string, by: readonly string[], windowMs: number, atMs: number): Promise<Vector> {
    const groups = new Map<string, { labels: Labels; buckets: Map<number, number> }>();
    for (const e of this.increaseVector(bucketMetric, windowMs, atMs, undefined, true)) {
      const le = parseLe(e.labels.le);
      if (le === undefined) continue;
      const k = groupKey(e.labels, by);
      let g = groups.get(k);
      if (!g) { g = { labels: pick(e.labels, by), buckets: new Map() }; groups.set(k, g); }
      g.buckets.set(le, (g.buckets.get(le) ?? 0) + e.value);
    }
    return [...groups.values()].map((g) => ({
      labels: g.labels,
      value: histogramQuantile(q, [...g.buckets].map(([le, count]) => ({ le, count }))),
    }));
  }

  async sumLatest(metric: string, by: readonly string[], atMs: number): Promise<Vector> {
    const v: Vector = [];
    for (const s of this.store.select(metric)) {
      const smp = s.sampleAt(atMs);
      if (!smp || smp.t < atMs - LOOKBACK_MS) continue;
      if (s.staleAt !== undefined && s.staleAt <= atMs && smp.t < s.staleAt) continue;
      v.push({ labels: s.labels, value: smp.v });
    }
    return sumBy(v, by);
  }

  async lastIncrease(metric: string, by: readonly string[], windowMs: number, atMs: number): Promise<TimedValue[]> {
    const series = this.store.select(metric);
    const start = atMs - windowMs;
    // Evaluate `sum by (by)(metric)` at every sample time in the window, as a range query would.
    const windows = series.map((s) => ({ s, w: s.window(start - LOOKBACK_MS, atMs), i: 0 }));
    const times = new Set<number>();
    for (const { w } of windows) for (const t of w.t) if (t >= start) times.add(t);
    const sorted = [...times].sort((a, b) => a - b);
    const groups = new Map<string, { labels: Labels; members: typeof windows }>();
    for (const x of windows) {
      const k = groupKey(x.s.labels, by);
      let g = groups.get(k);
      if (!g) { g = { labels: pick(x.s.labels, by), members: [] }; groups.set(k, g); }
      g.members.push(x);
    }
    const out: TimedValue[] = [];
    for (const g of groups.values()) {
      let prev: number | undefined;
      let last: number | undefined;
      let first = true;
      for (const m of g.members) m.i = 0;
      for (const t of sorted) {
        let sum = 0, present = false;
        for (const m of g.members) {
          while (m.i < m.w.t.length && m.w.t[m.i] <= t) m.i++;
          if (m.i === 0) continue;
          const lt = m.w.t[m.i - 1];
          if (lt < t - LOOKBACK_MS || (m.s.staleAt !== undefined && m.s.staleAt <= t && lt < m.s.staleAt)) continue;
          sum += m.w.v[m.i - 1];
          present = true;
        }
        if (!present) { prev = undefined; first = false; continue; }
        if (prev === undefined ? !first && sum > 0 : sum > prev) last = t;
        prev = sum;
        first = false;
      }
      if (last !== undefined) out.push({ labels: g.labels, t: last });
    }
    return out;
  }

  /** Every series (for /api/series). */
  series(): IterableIterator<Series> { return this.store.all(); }
}
