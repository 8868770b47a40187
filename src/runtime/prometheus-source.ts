/**
 * The same views (views.ts) computed by a real Prometheus server through its HTTP API
 * (`/api/v1/query`, `/api/v1/query_range`): the path for users who outgrow one machine.
 * Every primitive is one PromQL expression, so Prometheus does the evaluation itself.
 */
import type { Labels } from './scrape/exposition';
import type { Vector } from './query/aggregate';
import type { LabelFilter, TimedValue, ViewSource } from './views';

export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  ok: boolean; status: number; text(): Promise<string>;
}>;

export interface PrometheusSourceOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:9090 */
  url: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Step of range queries (lastIncrease), ms. Default 15 s; use the scrape interval. */
  stepMs?: number;
  /** Extra headers (e.g. Authorization). */
  headers?: Record<string, string>;
}

interface PromVectorResult { metric: Labels; value: [number, string] }
interface PromMatrixResult { metric: Labels; values: [number, string][] }
interface PromResponse<T> { status: 'success' | 'error'; data?: { resultType: string; result: T }; error?: string; errorType?: string }

export class PrometheusError extends Error { override name = 'PrometheusError'; }

const IDENT = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function check(re: RegExp, v: string, what: string): string {
  if (!re.test(v)) throw new TypeError(`invalid ${what} '${v}'`);
  return v;
}
const byClause = (by: readonly string[]): string => `by (${by.map((l) => check(IDENT, l, 'label name')).join(', ')})`;
const selector = (metric: string, filter?: LabelFilter): string =>
  check(METRIC, metric, 'metric name') + (filter ? `{${check(IDENT, filter.label, 'label name')}=~${JSON.stringify(filter.regex)}}` : '');
const range = (ms: number): string => `[${Math.max(1, Math.round(ms))}ms]`;
const promTime = (ms: number): string => (ms / 1000).toFixed(3);

export function parsePromValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s); // 'NaN' → NaN
}

export class PrometheusSource implements ViewSource {
  readonly kind = 'prometheus' as const;
  private readonly base: string;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;
  private readonly stepMs: number;

  constructor(private readonly options: PrometheusSourceOptions) {
    let u: URL;
    try { u = new URL(options.url); } catch { throw new TypeError(`prometheus url '${options.url}' is not a URL`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`prometheus url '${options.url}' must be http(s)`);
    this.base = u.toString().replace(/\/$/, '');
    this.fetchFn = options.fetch ?? (fetch as unknown as FetchLike);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.stepMs = options.stepMs ?? 15_000;
  }

  private async api<T>(path: string, params: Record<string, string>): Promise<T> {
    const body = new URLSearchParams(params).toString();
    const signal = AbortSignal.timeout(this.timeoutMs);
    let res;
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method: 'POST', signal, body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...this.options.headers },
      });
    } catch (err) {
      throw new PrometheusError(`${this.base}${path}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let json: PromResponse<T>;
    try { json = JSON.parse(text) as PromResponse<T>; } catch { throw new PrometheusError(`${this.base}${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`); }
    if (json.status !== 'success' || !json.data) throw new PrometheusError(`${this.base}${path}: ${json.errorType ?? 'error'}: ${json.error ?? `HTTP ${res.status}`} (query: ${params.query})`);
    return json.data.result;
  }

  /** An instant query; the result as a vector. */
  async query(expr: string, atMs: number): Promise<Vector> {
    const result = await this.api<PromVectorResult[]>('/api/v1/query', { query: expr, time: promTime(atMs) });
    return result.map((r) => ({ labels: r.metric, value: parsePromValue(r.value[1]) }));
  }

  /** A range query; per series its (t ms, value) points. */
  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<{ labels: Labels; points: { t: number; v: number }[] }[]> {
    const result = await this.api<PromMatrixResult[]>('/api/v1/query_range', { query: expr, start: promTime(startMs), end: promTime(endMs), step: `${stepMs / 1000}` });
    return result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => ({ t: Math.round(t * 1000), v: parsePromValue(v) })) }));
  }

  /** The raw samples of `selector[range]` at `at` (what a range selector returns). */
  async rangeSamples(expr: string, atMs: number): Promise<{ labels: Labels; t: number[]; v: number[] }[]> {
    const result = await this.api<PromMatrixResult[]>('/api/v1/query', { query: expr, time: promTime(atMs) });
    return result.map((r) => ({ labels: r.metric, t: r.values.map(([t]) => Math.round(t * 1000)), v: r.values.map(([, v]) => parsePromValue(v)) }));
  }

  async metricLabels(names: readonly string[], atMs: number): Promise<Map<string, Set<string>>> {
    names.forEach((n) => check(METRIC, n, 'metric name'));
    const vec = await this.query(`{__name__=~${JSON.stringify(names.join('|'))}}`, atMs);
    const out = new Map<string, Set<string>>();
    for (const e of vec) {
      const name = e.labels.__name__;
      let set = out.get(name);
      if (!set) { set = new Set(); out.set(name, set); }
      for (const l in e.labels) if (l !== '__name__') set.add(l);
    }
    return out;
  }

  async sumIncrease(metric: string, by: readonly string[], windowMs: number, atMs: number, filter?: LabelFilter): Promise<Vector> {
    return await this.query(`sum ${byClause(by)} (increase(${selector(metric, filter)}${range(windowMs)}))`, atMs);
  }

  async quantile(q: number, bucketMetric: string, by: readonly string[], windowMs: number, atMs: number): Promise<Vector> {
    return this.query(`histogram_quantile(${q}, sum ${byClause([...by, 'le'])} (rate(${selector(bucketMetric)}${range(windowMs)})))`, atMs);
  }

  async sumLatest(metric: string, by: readonly string[], atMs: number): Promise<Vector> {
    return this.query(`sum ${byClause(by)} (${selector(metric)})`, atMs);
  }

  async lastIncrease(metric: string, by: readonly string[], windowMs: number, atMs: number): Promise<TimedValue[]> {
    const start = atMs - windowMs;
    const series = await this.queryRange(`sum ${byClause(by)} (${selector(metric)})`, start, atMs, this.stepMs);
    const out: TimedValue[] = [];
    for (const s of series) {
      let last: number | undefined;
      for (let i = 0; i < s.points.length; i++) {
        const p = s.points[i];
        const prev = i > 0 && s.points[i - 1].t >= p.t - this.stepMs * 1.5 ? s.points[i - 1] : undefined;
        // Appearing after the first step with a positive value counts as an increase.
        if (prev ? p.v > prev.v : p.t > start + this.stepMs / 2 && p.v > 0) last = p.t;
      }
      if (last !== undefined) out.push({ labels: s.labels, t: last });
    }
    return out;
  }
}
