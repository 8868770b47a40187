/**
 * Feeds the drift monitor's online sources from the scrape store after every round: for a
 * `histogram` source the cumulative buckets of `<metric>_bucket` per feature (summed over the other
 * labels and targets), for a `counter` source the per-category counts of `<metric>` per feature.
 */
import type { DriftOnlineConfig } from '../config/sections/drift';
import { parseLe } from './query/histogram-quantile';
import type { SeriesStore } from './store/store';

export interface OnlineDriftSink {
  observeHistogram(feature: string, dataset: string, tMs: number, buckets: { le: number; count: number }[]): void;
  observeCategoryCounts(feature: string, dataset: string, tMs: number, counts: Record<string, number>): void;
}

/** Returns how many (dataset, feature) snapshots were passed on. */
export function feedDrift(sink: OnlineDriftSink, sources: readonly DriftOnlineConfig[], store: SeriesStore, tMs: number): number {
  let fed = 0;
  for (const src of sources) {
    if (!src.metric || (src.kind !== 'histogram' && src.kind !== 'counter')) continue;
    const featureLabel = src.featureLabel ?? 'feature';
    const wanted = src.features ? new Set(src.features) : undefined;
    const latest = (name: string) => store.select(name).filter((s) => s.staleAt === undefined && s.length > 0 && (!wanted || wanted.has(s.labels[featureLabel] ?? '')));
    if (src.kind === 'histogram') {
      const byFeature = new Map<string, Map<number, number>>();
      for (const s of latest(src.metric.replace(/_bucket$/, '') + '_bucket')) {
        const feature = s.labels[featureLabel];
        const le = parseLe(s.labels.le);
        if (feature === undefined || le === undefined) continue;
        let m = byFeature.get(feature);
        if (!m) byFeature.set(feature, (m = new Map()));
        m.set(le, (m.get(le) ?? 0) + s.lastV()!);
      }
      for (const [feature, m] of byFeature) {
        sink.observeHistogram(feature, src.dataset, tMs, [...m].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count })));
        fed++;
      }
    } else {
      const categoryLabel = src.categoryLabel ?? 'category';
      const byFeature = new Map<string, Record<string, number>>();
      for (const s of latest(src.metric)) {
        const feature = s.labels[featureLabel];
        const category = s.labels[categoryLabel];
        if (feature === undefined || category === undefined) continue;
        let counts = byFeature.get(feature);
        if (!counts) byFeature.set(feature, (counts = {}));
        counts[category] = (counts[category] ?? 0) + s.lastV()!;
      }
      for (const [feature, counts] of byFeature) {
        sink.observeCategoryCounts(feature, src.dataset, tMs, counts);
        fed++;
      }
    }
  }
  return fed;
}
