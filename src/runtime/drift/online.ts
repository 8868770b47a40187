/**
 * Online drift from a running app that has no Telltale code in it: cumulative prom-client histogram
 * buckets of a feature (`…_bucket{feature="age",le="…"}`) or per-category counters are snapshotted
 * at each scrape; the distribution of a window is the difference of two snapshots; a reference
 * window and a current window are compared with PSI (evidently's zero fill) or Jensen–Shannon.
 * NDJSON feature logs (pino lines carrying `features`) feed sliding windows of raw values.
 */
import type { ColumnChart, OnlineFeatureDrift } from '../../protocol/drift';
import { type Binned, binData, countCategories } from './stats/binning';
import { jensenShannon, jensenShannonDistance } from './stats/jensenshannon';
import { psi, psiFromPercents } from './stats/psi';
import { fillZeroes } from './stats/binning';

export interface Bucket { le: number; count: number }
export interface Window { seconds: number; endsSecondsAgo?: number }
export type OnlineTest = 'psi' | 'jensenshannon';

/** Per-bucket (non-cumulative) counts from cumulative `le` buckets, sorted by le; +Inf last. */
export function bucketCounts(buckets: Bucket[]): { le: number[]; counts: number[] } {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const le: number[] = [], counts: number[] = [];
  let prev = 0;
  for (const b of sorted) { le.push(b.le); counts.push(Math.max(0, b.count - prev)); prev = b.count; }
  return { le, counts };
}

/**
 * Observations between two cumulative snapshots, per bucket. A counter reset (any cumulative count
 * going down, e.g. the app restarted) means everything in `end` happened since the reset.
 */
export function histogramDelta(start: Bucket[] | undefined, end: Bucket[]): Bucket[] {
  if (!start) return end.map((b) => ({ ...b }));
  const s = new Map(start.map((b) => [b.le, b.count]));
  const reset = end.some((b) => (s.get(b.le) ?? 0) > b.count);
  return end.map((b) => ({ le: b.le, count: reset ? b.count : b.count - (s.get(b.le) ?? 0) }));
}

export function countsDelta(start: Record<string, number> | undefined, end: Record<string, number>): Record<string, number> {
  if (!start) return { ...end };
  const reset = Object.entries(end).some(([k, v]) => (start[k] ?? 0) > v);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(end)) out[k] = reset ? v : v - (start[k] ?? 0);
  return out;
}

function score(test: OnlineTest, ref: number[], cur: number[]): number {
  const nr = ref.reduce((a, b) => a + b, 0), nc = cur.reduce((a, b) => a + b, 0);
  const r = Float64Array.from(ref, (v) => v / nr), c = Float64Array.from(cur, (v) => v / nc);
  if (test === 'jensenshannon') return jensenShannonDistance(r, c);
  return psiFromPercents(fillZeroes(r).filled, fillZeroes(c).filled);
}

export interface Comparison { score: number | null; referenceCount: number; currentCount: number; message?: string; chart?: ColumnChart }

/** Compares two windows of one histogram (cumulative buckets already reduced to the window). */
export function compareHistograms(ref: Bucket[], cur: Bucket[], test: OnlineTest): Comparison {
  const a = bucketCounts(ref), b = bucketCounts(cur);
  const les = [...new Set([...a.le, ...b.le])].sort((x, y) => x - y);
  const pick = (x: { le: number[]; counts: number[] }): number[] => {
    // re-bucket onto the union of bounds (identical bounds in practice: same histogram)
    const cum = new Map<number, number>();
    let acc = 0;
    x.le.forEach((l, i) => { acc += x.counts[i]; cum.set(l, acc); });
    let last = 0;
    return les.map((l) => { const v = cum.get(l) ?? last; const d = v - last; last = v; return d; });
  };
  const rc = pick(a), cc = pick(b);
  const nr = rc.reduce((s, v) => s + v, 0), nc = cc.reduce((s, v) => s + v, 0);
  const chart: ColumnChart = { kind: 'categories', keys: les.map((l) => `≤ ${l}`), reference: rc.map((v) => (nr ? v / nr : 0)), current: cc.map((v) => (nc ? v / nc : 0)) };
  if (nr === 0 || nc === 0) return { score: null, referenceCount: nr, currentCount: nc, message: nr === 0 ? 'no observations in the reference window' : 'no observations in the current window', chart };
  return { score: score(test, rc, cc), referenceCount: nr, currentCount: nc, chart };
}

export function compareCounts(ref: Record<string, number>, cur: Record<string, number>, test: OnlineTest): Comparison {
  const keys = [...new Set([...Object.keys(ref), ...Object.keys(cur)])].sort();
  const rc = keys.map((k) => Math.max(0, ref[k] ?? 0)), cc = keys.map((k) => Math.max(0, cur[k] ?? 0));
  const nr = rc.reduce((s, v) => s + v, 0), nc = cc.reduce((s, v) => s + v, 0);
  const chart: ColumnChart = { kind: 'categories', keys, reference: rc.map((v) => (nr ? v / nr : 0)), current: cc.map((v) => (nc ? v / nc : 0)) };
  if (nr === 0 || nc === 0) return { score: null, referenceCount: nr, currentCount: nc, message: nr === 0 ? 'no observations in the reference window' : 'no observations in the current window', chart };
  return { score: score(test, rc, cc), referenceCount: nr, currentCount: nc, chart };
}

/** Time-ordered snapshots of one cumulative series, bounded in count. */
export class SnapshotSeries<T> {
  private points: { t: number; v: T }[] = [];
  constructor(private readonly max = 5000) {}
  add(t: number, v: T): void {
    if (this.points.length && t < this.points[this.points.length - 1].t) return; // out of order: ignore
    this.points.push({ t, v });
    if (this.points.length > this.max) this.points.splice(0, this.points.length - this.max);
  }
  /** Drops snapshots older than `t`, keeping the last one before it (a window baseline). */
  prune(t: number): void {
    let i = 0;
    while (i + 1 < this.points.length && this.points[i + 1].t <= t) i++;
    if (i > 0) this.points.splice(0, i);
  }
  /** Latest snapshot at or before t, else undefined. */
  at(t: number): { t: number; v: T } | undefined {
    let best;
    for (const p of this.points) { if (p.t <= t) best = p; else break; }
    return best;
  }
  /** Earliest snapshot after t (first one inside a window when none precedes it). */
  after(t: number): { t: number; v: T } | undefined {
    return this.points.find((p) => p.t > t);
  }
  get size(): number { return this.points.length; }
}

/** [start, end] in ms of a window ending `endsSecondsAgo` before now. */
export function windowBounds(now: number, w: Window): [number, number] {
  const end = now - (w.endsSecondsAgo ?? 0) * 1000;
  return [end - w.seconds * 1000, end];
}

/**
 * The change of a cumulative series over [start, end]: snapshot at end minus the snapshot at
 * start (or the first snapshot inside the window if none precedes it). Undefined with < 2 points.
 */
export function windowChange<T>(s: SnapshotSeries<T>, [start, end]: [number, number], delta: (a: T | undefined, b: T) => T): T | undefined {
  const last = s.at(end);
  if (!last || last.t < start) return undefined;
  const base = s.at(start) ?? s.after(start);
  if (!base || base.t >= last.t) return undefined;
  return delta(base.v, last.v);
}

/** Sliding windows of raw feature values from NDJSON logs (numbers or categories), bounded. */
export class FeatureLogWindow {
  private t: number[] = [];
  private v: (number | string | null)[] = [];
  constructor(private readonly maxPoints = 200000) {}
  push(tMs: number, value: unknown): void {
    if (value === undefined) return;
    const x = value === null ? null : typeof value === 'number' ? value : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
    this.t.push(tMs);
    this.v.push(x);
    if (this.t.length > this.maxPoints) { const k = this.t.length - this.maxPoints; this.t.splice(0, k); this.v.splice(0, k); }
  }
  prune(beforeMs: number): void {
    let i = 0;
    while (i < this.t.length && this.t[i] < beforeMs) i++;
    if (i) { this.t.splice(0, i); this.v.splice(0, i); }
  }
  values([start, end]: [number, number]): (number | string | null)[] {
    const out: (number | string | null)[] = [];
    for (let i = 0; i < this.t.length; i++) if (this.t[i] >= start && this.t[i] <= end) out.push(this.v[i]);
    return out;
  }
}

/** Compares raw values of two windows: numbers with evidently's binning, otherwise categories. */
export function compareValues(ref: (number | string | null)[], cur: (number | string | null)[], test: OnlineTest): Comparison {
  const numeric = [...ref, ...cur].every((v) => v === null || typeof v === 'number');
  let b: Binned;
  if (numeric) {
    const r = Float64Array.from(ref.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
    const c = Float64Array.from(cur.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
    if (!r.length || !c.length) return { score: null, referenceCount: r.length, currentCount: c.length, message: !r.length ? 'no values in the reference window' : 'no values in the current window' };
    b = binData(r, c, 'num');
  } else {
    const counts = countCategories(ref.map((v) => (v === null ? null : String(v))), cur.map((v) => (v === null ? null : String(v))));
    if (!counts.nRef || !counts.nCur) return { score: null, referenceCount: counts.nRef, currentCount: counts.nCur, message: !counts.nRef ? 'no values in the reference window' : 'no values in the current window' };
    b = binData(counts, null, 'cat');
  }
  const sc = test === 'psi' ? psi(b) : jensenShannon(b);
  const chart: ColumnChart = b.branch === 'histogram_sturges'
    ? { kind: 'histogram', edges: [...b.edges!], reference: Array.from(b.refCounts, (v) => v / b.nRef), current: Array.from(b.curCounts, (v) => v / b.nCur) }
    : { kind: 'categories', keys: b.keys!.map(String), reference: Array.from(b.refCounts, (v) => v / b.nRef), current: Array.from(b.curCounts, (v) => v / b.nCur) };
  return { score: sc, referenceCount: b.nRef, currentCount: b.nCur, chart };
}

export function toFeatureDrift(dataset: string, feature: string, source: OnlineFeatureDrift['source'], test: OnlineTest, threshold: number, c: Comparison): OnlineFeatureDrift {
  return {
    dataset, feature, source, test, score: c.score, threshold, drifted: c.score !== null && c.score >= threshold,
    referenceCount: c.referenceCount, currentCount: c.currentCount, ...(c.message ? { message: c.message } : {}), ...(c.chart ? { chart: c.chart } : {}),
  };
}
