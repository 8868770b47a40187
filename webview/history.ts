/**
 * Bounded history of the live numbers, for sparklines and the per-route charts. Every buffer is a
 * fixed-size ring and the number of keys is capped, so an hour (or a day) of updates uses the same
 * memory as the first few minutes.
 */

/** A fixed-capacity ring of (t, v) with v possibly NaN for "no value". */
export class Ring {
  readonly t: Float64Array;
  readonly v: Float64Array;
  private start = 0;
  private n = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new TypeError(`Ring capacity must be an integer >= 2, got ${capacity}`);
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  get length(): number { return this.n; }

  /** Appends, or replaces the last point when `t` is not after it (a repeated update). */
  push(t: number, v: number): void {
    if (this.n > 0) {
      const last = (this.start + this.n - 1) % this.capacity;
      if (t <= this.t[last]) {
        if (t === this.t[last]) this.v[last] = v;
        return;
      }
    }
    const i = (this.start + this.n) % this.capacity;
    this.t[i] = t;
    this.v[i] = v;
    if (this.n < this.capacity) this.n++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Inserts an older point in order (backfill); drops it when the ring is full of newer ones. */
  insert(t: number, v: number): void {
    const pts = this.points();
    if (pts.some((p) => p.t === t)) return;
    pts.push({ t, v });
    pts.sort((a, b) => a.t - b.t);
    this.clear();
    for (const p of pts.slice(-this.capacity)) this.push(p.t, p.v);
  }

  at(k: number): { t: number; v: number } {
    const i = (this.start + k) % this.capacity;
    return { t: this.t[i], v: this.v[i] };
  }

  points(): { t: number; v: number }[] {
    const out: { t: number; v: number }[] = [];
    for (let k = 0; k < this.n; k++) out.push(this.at(k));
    return out;
  }

  /** The last `count` values (NaN for gaps), oldest first. */
  lastValues(count: number): number[] {
    const m = Math.min(count, this.n);
    const out = new Array<number>(m);
    for (let k = 0; k < m; k++) out[k] = this.v[(this.start + this.n - m + k) % this.capacity];
    return out;
  }

  clear(): void { this.start = 0; this.n = 0; }
}

export const ROUTE_FIELDS = ['rate', 'errorRatio', 'p50', 'p95', 'p99'] as const;
export type RouteField = (typeof ROUTE_FIELDS)[number];

export interface RoutePoint { rate: number; errorRatio: number | null; p50: number | null; p95: number | null; p99: number | null }

interface Entry { rings: Record<RouteField, Ring>; lastSeen: number }

/**
 * Per-route rings of rate, error ratio and quantiles. Keys not seen for `evictAfterMs` are dropped,
 * and at most `maxKeys` routes are kept (the least recently seen go first).
 */
export class RouteHistory {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every record or backfill: views redraw history-based pictures only when it moved. */
  version = 0;

  constructor(readonly options: { capacity: number; maxKeys: number; evictAfterMs: number }) {}

  get size(): number { return this.entries.size; }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      const c = this.options.capacity;
      e = { rings: { rate: new Ring(c), errorRatio: new Ring(c), p50: new Ring(c), p95: new Ring(c), p99: new Ring(c) }, lastSeen: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Records one update (all routes at time `t`), then evicts. */
  record(t: number, points: Iterable<[string, RoutePoint]>): void {
    this.version++;
    for (const [key, p] of points) {
      const e = this.entry(key);
      if (t > e.lastSeen) e.lastSeen = t;
      // unrolled: this runs for every route on every update
      const r = e.rings;
      r.rate.push(t, p.rate);
      r.errorRatio.push(t, p.errorRatio ?? NaN);
      r.p50.push(t, p.p50 ?? NaN);
      r.p95.push(t, p.p95 ?? NaN);
      r.p99.push(t, p.p99 ?? NaN);
    }
    this.evict(t);
  }

  /** Records an older snapshot (backfill) without touching recency. */
  backfill(t: number, points: Iterable<[string, RoutePoint]>): void {
    this.version++;
    for (const [key, p] of points) {
      const e = this.entry(key);
      e.lastSeen = Math.max(e.lastSeen, t);
      for (const f of ROUTE_FIELDS) e.rings[f].insert(t, p[f] ?? NaN);
    }
    this.evict(t);
  }

  private evict(now: number): void {
    for (const [k, e] of this.entries) if (now - e.lastSeen > this.options.evictAfterMs) this.entries.delete(k);
    if (this.entries.size <= this.options.maxKeys) return;
    const byAge = [...this.entries].sort((a, b) => a[1].lastSeen - b[1].lastSeen);
    for (const [k] of byAge.slice(0, this.entries.size - this.options.maxKeys)) this.entries.delete(k);
  }

  ring(key: string, field: RouteField): Ring | undefined {
    return this.entries.get(key)?.rings[field];
  }

  /** Total points held (for the memory benchmark and tests). */
  points(): number {
    let n = 0;
    for (const e of this.entries.values()) for (const f of ROUTE_FIELDS) n += e.rings[f].length;
    return n;
  }
}
