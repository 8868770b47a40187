/**
 * The runtime's drift monitor: recomputes every configured file dataset on refresh(), keeps online
 * windows fed by scrapes (histogram buckets / category counters) and tailed NDJSON feature logs,
 * and exports the latest results as Prometheus gauges. Bad data never throws: the error is kept
 * per dataset and the others keep running.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import type { DriftOnlineConfig, DriftSectionConfig } from '../../config/sections/drift';
import type { DatasetDriftState, DriftReport, OnlineFeatureDrift } from '../../protocol/drift';
import { expandGlob } from './read/glob';
import { readDataset } from './read/index';
import { pickField } from './read/ndjson';
import { driftReport } from './report';
import {
  type Bucket, compareCounts, compareHistograms, compareValues, countsDelta, FeatureLogWindow, histogramDelta,
  SnapshotSeries, toFeatureDrift, type Window, windowBounds, windowChange,
} from './online';

export type { DatasetDriftState } from '../../protocol/drift';

const DEFAULT_CURRENT: Window = { seconds: 3600 };
const DEFAULT_REFERENCE: Window = { seconds: 3600, endsSecondsAgo: 3600 };

interface LogTail { file: string; offset: number; partial: string }

export class DriftMonitor {
  private readonly fileStates = new Map<string, DatasetDriftState>();
  private readonly histograms = new Map<string, SnapshotSeries<Bucket[]>>();
  private readonly counters = new Map<string, SnapshotSeries<Record<string, number>>>();
  private readonly logWindows = new Map<string, FeatureLogWindow>();
  private readonly tails = new Map<string, LogTail>();
  private readonly onlineErrors = new Map<string, string>();
  private online: OnlineFeatureDrift[] = [];

  constructor(private readonly config: DriftSectionConfig, private readonly deps: { now(): number; baseDir: string }) {
    for (const ds of config.datasets ?? []) this.fileStates.set(ds.name, { dataset: ds.name, status: 'pending' });
  }

  private key(dataset: string, feature: string): string { return `${dataset}\u0000${feature}`; }

  private sourceFor(kind: DriftOnlineConfig['kind'], dataset: string, feature: string): DriftOnlineConfig | undefined {
    return (this.config.online ?? []).find((o) => o.kind === kind && o.dataset === dataset && (!o.features || o.features.includes(feature)));
  }

  observeHistogram(feature: string, dataset: string, tMs: number, buckets: { le: number; count: number }[]): void {
    const k = this.key(dataset, feature);
    let s = this.histograms.get(k);
    if (!s) this.histograms.set(k, (s = new SnapshotSeries()));
    s.add(tMs, buckets.map((b) => ({ le: b.le, count: b.count })));
  }

  observeCategoryCounts(feature: string, dataset: string, tMs: number, counts: Record<string, number>): void {
    const k = this.key(dataset, feature);
    let s = this.counters.get(k);
    if (!s) this.counters.set(k, (s = new SnapshotSeries()));
    s.add(tMs, { ...counts });
  }

  /** Reads lines appended to the configured NDJSON logs since the last call. */
  private tailLogs(): void {
    for (const src of this.config.online ?? []) {
      if (src.kind !== 'log' || !src.path) continue;
      const field = src.field ?? 'features';
      for (const file of expandGlob(src.path, this.deps.baseDir)) {
        let tail = this.tails.get(file);
        if (!tail) this.tails.set(file, (tail = { file, offset: 0, partial: '' }));
        let size: number;
        try { size = fs.statSync(file).size; } catch (err) { this.onlineErrors.set(src.dataset, `${file}: ${(err as Error).message}`); continue; }
        if (size < tail.offset) { tail.offset = 0; tail.partial = ''; } // truncated / rotated
        if (size === tail.offset) continue;
        const fd = fs.openSync(file, 'r');
        try {
          const buf = Buffer.alloc(size - tail.offset);
          fs.readSync(fd, buf, 0, buf.length, tail.offset);
          tail.offset = size;
          const text = tail.partial + buf.toString('utf8');
          const lines = text.split('\n');
          tail.partial = lines.pop() ?? '';
          let bad = 0;
          for (const line of lines) {
            if (!line.trim()) continue;
            let obj: unknown;
            try { obj = JSON.parse(line); } catch { bad++; continue; }
            if (!obj || typeof obj !== 'object') { bad++; continue; }
            const feats = pickField(obj as Record<string, unknown>, field);
            if (!feats || typeof feats !== 'object') continue;
            const time = (obj as { time?: unknown }).time;
            const t = typeof time === 'number' ? time : typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? Date.parse(time) : this.deps.now();
            for (const [feature, value] of Object.entries(feats as Record<string, unknown>)) {
              if (src.features && !src.features.includes(feature)) continue;
              const k = this.key(src.dataset, feature);
              let w = this.logWindows.get(k);
              if (!w) this.logWindows.set(k, (w = new FeatureLogWindow()));
              w.push(t, value);
            }
          }
          if (bad) this.onlineErrors.set(src.dataset, `${path.relative(this.deps.baseDir, file)}: ${bad} line(s) were not JSON objects and were skipped`);
        } finally {
          fs.closeSync(fd);
        }
      }
    }
  }

  private computeOnline(): OnlineFeatureDrift[] {
    const now = this.deps.now();
    const out: OnlineFeatureDrift[] = [];
    const windows = (src: DriftOnlineConfig | undefined): [[number, number], [number, number]] =>
      [windowBounds(now, src?.referenceWindow ?? DEFAULT_REFERENCE), windowBounds(now, src?.currentWindow ?? DEFAULT_CURRENT)];
    for (const [k, series] of this.histograms) {
      const [dataset, feature] = k.split('\u0000');
      const src = this.sourceFor('histogram', dataset, feature);
      const test = src?.test ?? 'psi';
      const [rw, cw] = windows(src);
      series.prune(Math.min(rw[0], cw[0]));
      const ref = windowChange(series, rw, histogramDelta), cur = windowChange(series, cw, histogramDelta);
      const c = ref && cur ? compareHistograms(ref, cur, test)
        : { score: null, referenceCount: 0, currentCount: 0, message: `not enough scrapes yet in the ${ref ? 'current' : 'reference'} window` };
      out.push(toFeatureDrift(dataset, feature, 'histogram', test, src?.threshold ?? 0.1, c));
    }
    for (const [k, series] of this.counters) {
      const [dataset, feature] = k.split('\u0000');
      const src = this.sourceFor('counter', dataset, feature);
      const test = src?.test ?? 'psi';
      const [rw, cw] = windows(src);
      series.prune(Math.min(rw[0], cw[0]));
      const ref = windowChange(series, rw, countsDelta), cur = windowChange(series, cw, countsDelta);
      const c = ref && cur ? compareCounts(ref, cur, test)
        : { score: null, referenceCount: 0, currentCount: 0, message: `not enough scrapes yet in the ${ref ? 'current' : 'reference'} window` };
      out.push(toFeatureDrift(dataset, feature, 'counter', test, src?.threshold ?? 0.1, c));
    }
    for (const [k, w] of this.logWindows) {
      const [dataset, feature] = k.split('\u0000');
      const src = this.sourceFor('log', dataset, feature);
      const test = src?.test ?? 'psi';
      const [rw, cw] = windows(src);
      w.prune(Math.min(rw[0], cw[0]));
      out.push(toFeatureDrift(dataset, feature, 'log', test, src?.threshold ?? 0.1, compareValues(w.values(rw), w.values(cw), test)));
    }
    return out;
  }

  async refresh(): Promise<void> {
    for (const ds of this.config.datasets ?? []) {
      const updatedAt = this.deps.now();
      try {
        const [ref, cur] = await Promise.all([
          readDataset(ds.reference, { baseDir: this.deps.baseDir, format: ds.format, field: ds.field }),
          readDataset(ds.current, { baseDir: this.deps.baseDir, format: ds.format, field: ds.field }),
        ]);
        const report: DriftReport = driftReport(ref, cur, {
          dataset: ds.name, driftShare: ds.driftShare ?? this.config.driftShare,
          allTest: ds.test, numTest: ds.numTest, catTest: ds.catTest,
          allThreshold: ds.threshold, numThreshold: ds.numThreshold, catThreshold: ds.catThreshold,
          columns: ds.columns, checks: { ...this.config.checks, ...ds.checks },
        });
        this.fileStates.set(ds.name, { dataset: ds.name, status: 'ok', updatedAt, report });
      } catch (err) {
        const prev = this.fileStates.get(ds.name);
        this.fileStates.set(ds.name, { dataset: ds.name, status: 'error', message: (err as Error).message, updatedAt, ...(prev?.report ? { report: prev.report } : {}) });
      }
    }
    try {
      this.tailLogs();
      this.online = this.computeOnline();
    } catch (err) {
      this.onlineErrors.set('*', (err as Error).message);
    }
  }

  reports(): DatasetDriftState[] {
    const out = new Map<string, DatasetDriftState>();
    for (const [name, st] of this.fileStates) out.set(name, { ...st });
    for (const f of this.online) {
      let st = out.get(f.dataset);
      if (!st) out.set(f.dataset, (st = { dataset: f.dataset, status: 'ok', updatedAt: this.deps.now() }));
      (st.online ??= []).push(f);
    }
    for (const [dataset, msg] of this.onlineErrors) {
      const st = out.get(dataset);
      if (st && st.status !== 'error') { st.message = st.message ? `${st.message}; ${msg}` : msg; }
    }
    return [...out.values()];
  }

  registerMetrics(registry: Registry): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'telltale_feature_drift_score', help: 'Latest drift score per feature (p-value for p-value tests, distance otherwise).',
      labelNames: ['dataset', 'feature', 'test'], registers: [registry],
      collect() {
        this.reset();
        for (const st of self.reports()) {
          for (const c of st.report?.columns ?? []) if (c.test && c.score !== null) this.set({ dataset: st.dataset, feature: c.column, test: c.test }, c.score);
          for (const f of st.online ?? []) if (f.score !== null) this.set({ dataset: st.dataset, feature: f.feature, test: f.test }, f.score);
        }
      },
    });
    new Gauge({
      name: 'telltale_feature_drifted', help: '1 when the feature drifted by its test and threshold, else 0.',
      labelNames: ['dataset', 'feature', 'test'], registers: [registry],
      collect() {
        this.reset();
        for (const st of self.reports()) {
          for (const c of st.report?.columns ?? []) if (c.test && !c.error) this.set({ dataset: st.dataset, feature: c.column, test: c.test }, c.drifted ? 1 : 0);
          for (const f of st.online ?? []) if (f.score !== null) this.set({ dataset: st.dataset, feature: f.feature, test: f.test }, f.drifted ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'telltale_dataset_drift_share', help: 'Share of tested columns that drifted in the latest report.',
      labelNames: ['dataset'], registers: [registry],
      collect() {
        this.reset();
        for (const st of self.reports()) if (st.report) this.set({ dataset: st.dataset }, st.report.driftedShare);
      },
    });
    new Gauge({
      name: 'telltale_data_null_ratio', help: 'Null fraction of each column of the current data in the latest report.',
      labelNames: ['dataset', 'column'], registers: [registry],
      collect() {
        this.reset();
        for (const st of self.reports()) for (const c of st.report?.columns ?? []) if (c.current) this.set({ dataset: st.dataset, column: c.column }, c.current.nullFraction);
      },
    });
  }
}
