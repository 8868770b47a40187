/**
 * The bounded in-memory store: series by target, name and identity, each a ring buffer (series.ts).
 * Bounds: samples per series, series per target, series in total, and a retention time. A series
 * beyond a limit is refused and counted, never silently kept or dropped.
 */
import { type Labels, type MetricKind, type Sample, seriesKey } from '../scrape/exposition';
import { Series } from './series';

export interface StoreLimits {
  /** Samples kept per series (ring buffer). Default 720 (an hour at 5 s). */
  maxSamplesPerSeries?: number;
  /** Series in the whole store. Default 100,000. */
  maxSeries?: number;
  /** Series per target. Default 50,000. */
  maxSeriesPerTarget?: number;
  /** Samples older than this are dropped, and series stale for this long removed. Default 1 h. */
  retentionMs?: number;
}

export interface IngestResult {
  added: number;
  updated: number;
  /** New series refused by a limit. */
  refused: number;
  refusedBy?: 'maxSeries' | 'maxSeriesPerTarget';
  outOfOrder: number;
  duplicates: number;
  counterResets: number;
  /** Series of the target that disappeared in this scrape. */
  staled: number;
}

interface TargetEntry {
  series: Set<Series>;
  round: number;
  /** Raw series text as the target writes it → series (Prometheus' scrape cache). */
  cache: Map<string, Series>;
}

/** A copy of a string that does not keep the scrape body it was sliced from alive. */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

function detachLabels(labels: Labels): Labels {
  const out: Labels = {};
  for (const k in labels) {
    const v = detach(labels[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[detach(k)] = v;
  }
  return out;
}

export class SeriesStore {
  readonly maxSamplesPerSeries: number;
  readonly maxSeries: number;
  readonly maxSeriesPerTarget: number;
  readonly retentionMs: number;
  private readonly byKey = new Map<string, Series>();
  private readonly byName = new Map<string, Set<Series>>();
  private readonly byTarget = new Map<string, TargetEntry>();
  private readonly labelsByName = new Map<string, Map<string, number>>();

  constructor(limits: StoreLimits = {}) {
    this.maxSamplesPerSeries = positive(limits.maxSamplesPerSeries ?? 720, 'maxSamplesPerSeries');
    this.maxSeries = positive(limits.maxSeries ?? 100_000, 'maxSeries');
    this.maxSeriesPerTarget = positive(limits.maxSeriesPerTarget ?? 50_000, 'maxSeriesPerTarget');
    this.retentionMs = positive(limits.retentionMs ?? 3_600_000, 'retentionMs');
  }

  get seriesCount(): number { return this.byKey.size; }

  /** Samples held, and bytes of their buffers. */
  stats(): { series: number; samples: number; bufferBytes: number } {
    let samples = 0, bufferBytes = 0;
    for (const s of this.byKey.values()) { samples += s.length; bufferBytes += s.bufferBytes; }
    return { series: this.byKey.size, samples, bufferBytes };
  }

  targetSeriesCount(target: string): number { return this.byTarget.get(target)?.series.size ?? 0; }

  /** The label sets of a target's series by their raw text, for the parser to reuse (ParseOptions.known). */
  knownSeries(target: string): { get(raw: string): Labels | undefined } {
    const cache = this.byTarget.get(target)?.cache;
    return { get: (raw) => cache?.get(raw)?.labels };
  }

  /** For each name: its label names with the number of series carrying each. */
  labelNames(name: string): ReadonlySet<string> | undefined {
    const m = this.labelsByName.get(name);
    return m ? new Set(m.keys()) : undefined;
  }

  /**
   * Stores one scrape of `target` taken at `tMs`. Samples with their own timestamp keep it.
   * Series of the target missing from this scrape become stale.
   */
  ingest(target: string, samples: readonly Sample[], tMs: number): IngestResult {
    const r: IngestResult = { added: 0, updated: 0, refused: 0, outOfOrder: 0, duplicates: 0, counterResets: 0, staled: 0 };
    let entry = this.byTarget.get(target);
    if (!entry) { entry = { series: new Set(), round: 0, cache: new Map() }; this.byTarget.set(target, entry); }
    const round = ++entry.round;
    const prefix = target + '\u0000';
    const cache = entry.cache;
    for (const smp of samples) {
      const fam = smp.family;
      // `_created` samples are metadata (when a counter started), not history worth keeping.
      if (fam && smp.name.endsWith('_created') && fam.name !== smp.name) continue;
      let s = smp.raw !== undefined ? cache.get(smp.raw) : undefined;
      if (!s) {
        const key = prefix + seriesKey(smp.name, smp.labels);
        s = this.byKey.get(key);
        if (!s) {
          if (this.byKey.size >= this.maxSeries) { r.refused++; r.refusedBy ??= 'maxSeries'; continue; }
          if (entry.series.size >= this.maxSeriesPerTarget) { r.refused++; r.refusedBy ??= 'maxSeriesPerTarget'; continue; }
          s = new Series(key, detach(smp.name), detachLabels(smp.labels), target, fam?.type ?? 'unknown', fam ? detach(fam.name) : undefined, this.maxSamplesPerSeries);
          this.byKey.set(key, s);
          let byName = this.byName.get(s.name);
          if (!byName) { byName = new Set(); this.byName.set(s.name, byName); }
          byName.add(s);
          let ln = this.labelsByName.get(s.name);
          if (!ln) { ln = new Map(); this.labelsByName.set(s.name, ln); }
          for (const l in s.labels) ln.set(l, (ln.get(l) ?? 0) + 1);
          entry.series.add(s);
          r.added++;
        } else {
          r.updated++;
        }
        if (smp.raw !== undefined && s.raw === undefined) { s.raw = detach(smp.raw); cache.set(s.raw, s); }
      } else {
        r.updated++;
      }
      if (s.lastRound === round) { r.duplicates++; continue; } // the same series twice in one scrape
      s.lastRound = round;
      const prev = s.lastV();
      const res = s.append(smp.timestampMs ?? tMs, smp.value);
      if (res === 'out-of-order') r.outOfOrder++;
      else if (res === 'duplicate') r.duplicates++;
      else if (prev !== undefined && smp.value < prev && s.isCounter) r.counterResets++;
      if (smp.exemplar && (s.exemplar?.value !== smp.exemplar.value || s.exemplar?.timestampMs !== smp.exemplar.timestampMs)) {
        s.exemplar = { labels: detachLabels(smp.exemplar.labels), value: smp.exemplar.value, timestampMs: smp.exemplar.timestampMs };
      }
    }
    for (const s of entry.series) {
      if (s.lastRound !== round && s.staleAt === undefined) { s.staleAt = tMs; r.staled++; }
    }
    return r;
  }

  /** A failed scrape: every series of the target goes stale (as Prometheus does). */
  markTargetStale(target: string, tMs: number): number {
    let n = 0;
    for (const s of this.byTarget.get(target)?.series ?? []) if (s.staleAt === undefined) { s.staleAt = tMs; n++; }
    return n;
  }

  /** Forgets the samples of a target's series (after the clock jumped backwards). */
  resetTarget(target: string): void {
    for (const s of this.byTarget.get(target)?.series ?? []) s.clear();
  }

  /** Removes a target and its series. */
  removeTarget(target: string): void {
    for (const s of this.byTarget.get(target)?.series ?? []) this.delete(s);
    this.byTarget.delete(target);
  }

  /** Drops samples older than the retention and series stale (or empty) for longer than it. */
  gc(nowMs: number): number {
    const minT = nowMs - this.retentionMs;
    let removed = 0;
    for (const s of this.byKey.values()) {
      s.dropBefore(minT);
      if ((s.staleAt !== undefined && s.staleAt < minT) || (s.length === 0 && s.staleAt !== undefined)) { this.delete(s); removed++; }
    }
    return removed;
  }

  /** Series named `name` whose labels pass `filter`. */
  select(name: string, filter?: (labels: Labels) => boolean): Series[] {
    const set = this.byName.get(name);
    if (!set) return [];
    const out: Series[] = [];
    for (const s of set) if (!filter || filter(s.labels)) out.push(s);
    return out;
  }

  names(): string[] { return [...this.byName.keys()]; }

  *all(): IterableIterator<Series> { yield* this.byKey.values(); }

  private delete(s: Series): void {
    this.byKey.delete(s.key);
    const byName = this.byName.get(s.name);
    byName?.delete(s);
    if (byName && byName.size === 0) this.byName.delete(s.name);
    const ln = this.labelsByName.get(s.name);
    if (ln) {
      for (const l in s.labels) { const n = (ln.get(l) ?? 1) - 1; if (n > 0) ln.set(l, n); else ln.delete(l); }
      if (ln.size === 0) this.labelsByName.delete(s.name);
    }
    const entry = this.byTarget.get(s.target);
    entry?.series.delete(s);
    if (s.raw !== undefined) entry?.cache.delete(s.raw);
  }
}

function positive(v: number, field: string): number {
  if (!Number.isFinite(v) || v <= 0 || Math.floor(v) !== v) throw new TypeError(`${field} must be a positive integer, got ${v}`);
  return v;
}

export type { MetricKind };
