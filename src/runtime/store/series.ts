/**
 * One series' history: a ring buffer of (timestamp, value) samples with a hard capacity.
 * Timestamps are kept as 32-bit millisecond offsets from a per-series base (rebased when they
 * would overflow, about every 24 days), values as float64: 12 bytes per sample. The buffers grow by
 * doubling up to the capacity, so a young or sparse series costs little.
 */
import type { Exemplar, Labels, MetricKind } from '../scrape/exposition';

const INT32_MAX = 2 ** 31 - 1;
const INITIAL_CAPACITY = 8;
let scratchT = new Float64Array(1024);
let scratchV = new Float64Array(1024);

export type AppendResult = 'ok' | 'out-of-order' | 'duplicate';

export class Series {
  /** Oldest sample's slot. */
  private head = 0;
  private count = 0;
  private base = 0;
  private ts: Int32Array;
  private vs: Float64Array;
  /** When the series disappeared from its target's scrape (Prometheus' stale marker). */
  staleAt: number | undefined;
  exemplar: Exemplar | undefined;
  /** The scrape round of its target that last saw it. */
  lastRound = 0;
  /** The series text as its target writes it (the store's scrape-cache key). */
  raw: string | undefined;

  constructor(
    readonly key: string,
    readonly name: string,
    readonly labels: Labels,
    readonly target: string,
    readonly type: MetricKind,
    readonly family: string | undefined,
    readonly capacity: number,
  ) {
    const c = Math.min(INITIAL_CAPACITY, capacity);
    this.ts = new Int32Array(c);
    this.vs = new Float64Array(c);
  }

  get length(): number { return this.count; }
  /** Bytes held by the sample buffers. */
  get bufferBytes(): number { return this.ts.byteLength + this.vs.byteLength; }

  /** Counters and the cumulative parts of histograms and summaries: values only grow until a reset. */
  get isCounter(): boolean {
    if (this.type === 'counter') return true;
    if (this.type === 'histogram' || this.type === 'summary') return /_(bucket|count|sum)$/.test(this.name);
    return false;
  }

  lastT(): number | undefined { return this.count ? this.base + this.ts[(this.head + this.count - 1) % this.ts.length] : undefined; }
  lastV(): number | undefined { return this.count ? this.vs[(this.head + this.count - 1) % this.vs.length] : undefined; }
  firstT(): number | undefined { return this.count ? this.base + this.ts[this.head] : undefined; }

  append(t: number, v: number): AppendResult {
    if (this.count) {
      const last = this.lastT()!;
      if (t < last) return 'out-of-order';
      if (t === last) return 'duplicate';
    } else {
      this.base = t;
    }
    let off = t - this.base;
    if (off > INT32_MAX) { this.rebase(t); off = t - this.base; }
    if (this.count === this.ts.length) {
      if (this.ts.length < this.capacity) this.grow(Math.min(this.capacity, this.ts.length * 2));
      else { this.head = (this.head + 1) % this.ts.length; this.count--; }
    }
    const i = (this.head + this.count) % this.ts.length;
    this.ts[i] = off;
    this.vs[i] = v;
    this.count++;
    this.staleAt = undefined;
    return 'ok';
  }

  /** Drops samples older than `minT`. */
  dropBefore(minT: number): void {
    while (this.count && this.base + this.ts[this.head] < minT) {
      this.head = (this.head + 1) % this.ts.length;
      this.count--;
    }
  }

  clear(): void { this.head = 0; this.count = 0; }

  /** Copies the samples with start <= t <= end into fresh arrays (time-ordered). */
  window(start: number, end: number): { t: Float64Array; v: Float64Array } {
    const n = this.count, cap = this.ts.length;
    // binary search over the logical index
    const at = (k: number): number => this.base + this.ts[(this.head + k) % cap];
    let lo = 0, hi = n;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (at(m) < start) lo = m + 1; else hi = m; }
    const from = lo;
    hi = n;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (at(m) <= end) lo = m + 1; else hi = m; }
    const to = lo;
    const t = new Float64Array(to - from), v = new Float64Array(to - from);
    for (let k = from; k < to; k++) {
      const i = (this.head + k) % cap;
      t[k - from] = this.base + this.ts[i];
      v[k - from] = this.vs[i];
    }
    return { t, v };
  }

  /**
   * Like window(), into arrays shared by every series: valid only until the next call. For
   * queries that consume the samples at once (rate over thousands of series without garbage).
   */
  scratchWindow(start: number, end: number): { t: Float64Array; v: Float64Array; from: number; to: number } {
    const n = this.count, cap = this.ts.length;
    const at = (k: number): number => this.base + this.ts[(this.head + k) % cap];
    let lo = 0, hi = n;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (at(m) < start) lo = m + 1; else hi = m; }
    const from = lo;
    hi = n;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (at(m) <= end) lo = m + 1; else hi = m; }
    const len = lo - from;
    if (scratchT.length < len) { scratchT = new Float64Array(Math.max(len, scratchT.length * 2)); scratchV = new Float64Array(scratchT.length); }
    for (let k = 0; k < len; k++) {
      const i = (this.head + from + k) % cap;
      scratchT[k] = this.base + this.ts[i];
      scratchV[k] = this.vs[i];
    }
    return { t: scratchT, v: scratchV, from: 0, to: len };
  }

  /** The last sample at or before `at` (Prometheus instant selection without the lookback). */
  sampleAt(at: number): { t: number; v: number } | undefined {
    const w = this.window(-Infinity, at);
    const n = w.t.length;
    return n ? { t: w.t[n - 1], v: w.v[n - 1] } : undefined;
  }

  private grow(capacity: number): void {
    const ts = new Int32Array(capacity), vs = new Float64Array(capacity);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) % this.ts.length;
      ts[k] = this.ts[i];
      vs[k] = this.vs[i];
    }
    this.ts = ts; this.vs = vs; this.head = 0;
  }

  private rebase(t: number): void {
    // Keep only the samples whose offset from the new base still fits, the newest first.
    const newBase = Math.max(this.firstT() ?? t, t - INT32_MAX);
    this.dropBefore(newBase);
    const delta = newBase - this.base;
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) % this.ts.length;
      this.ts[i] -= delta;
    }
    this.base = newBase;
  }
}
