/**
 * Scrapes Prometheus endpoints into the store. Each target has its own interval and a timeout;
 * a round scrapes every target that is due, in parallel, then stores the results. The clock and
 * `fetch` are injected, so tests drive time and faults directly.
 *
 * Every failure ends in a per-target state (health, last error, last success) and never stops
 * the other targets: connection refused, timeout, non-2xx, HTML, garbage, a body over the size
 * limit (counted after gzip decoding), new series over a limit, a clock that jumped.
 */
import type { ScrapeErrorKind, TargetState } from '../../protocol/runtime';
import type { IngestResult, SeriesStore } from '../store/store';
import { type Exposition, type ExpositionFormat, formatOfContentType, parseExposition } from './exposition';
import { nodeFetch } from './http-fetch';

export const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface TargetConfig {
  url: string;
  name?: string;
  /** Scrape interval, ms. */
  intervalMs?: number;
}

/** The slice of WHATWG fetch the scraper uses. */
export type ScrapeFetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal; redirect?: 'follow' | 'error' | 'manual' }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  /** Decoded body chunks (WHATWG ReadableStream and Node streams are both async-iterable). */
  body: AsyncIterable<Uint8Array> | null;
}>;

/** Stops reading a body we do not want (HTML, a non-2xx answer, over the size limit). */
async function discard(body: AsyncIterable<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const b = body as { cancel?: () => Promise<void>; destroy?: () => void };
  try {
    if (typeof b.cancel === 'function') await b.cancel();
    else if (typeof b.destroy === 'function') b.destroy();
  } catch { /* already closed */ }
}

export interface ScrapeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export interface ScraperOptions {
  now?: () => number;
  fetch?: ScrapeFetch;
  /** Default interval, ms (5 s). */
  intervalMs?: number;
  /** Per-scrape timeout, ms (default: the interval, at most 10 s). */
  timeoutMs?: number;
  /** Body size limit after decoding, bytes (default 50 MB). */
  maxBodyBytes?: number;
  logger?: ScrapeLogger;
  /** Called after every round, with the names of the targets scraped. */
  onRound?: (round: RoundResult) => void;
}

export interface ScrapeOutcome {
  target: string;
  ok: boolean;
  durationMs: number;
  ingest?: IngestResult;
}

export interface RoundResult {
  round: number;
  at: number;
  outcomes: ScrapeOutcome[];
}

class ScrapeFailure extends Error {
  constructor(readonly kind: ScrapeErrorKind, message: string) { super(message); }
}

interface Target {
  cfg: Required<TargetConfig>;
  state: TargetState;
  nextDue: number;
  timeoutMs: number;
}

const MAX_PARSE_ERRORS_SHOWN = 10;

export function defaultTargetName(url: string): string {
  const u = new URL(url);
  return u.pathname === '/metrics' || u.pathname === '/' ? u.host : `${u.host}${u.pathname}`;
}

export class Scraper {
  private readonly targets = new Map<string, Target>();
  private readonly now: () => number;
  private readonly fetchFn: ScrapeFetch;
  private readonly maxBodyBytes: number;
  private round = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<RoundResult> | undefined;
  private stopped = true;

  constructor(targets: readonly TargetConfig[], private readonly store: SeriesStore, private readonly options: ScraperOptions = {}) {
    this.now = options.now ?? Date.now;
    this.fetchFn = options.fetch ?? nodeFetch;
    this.maxBodyBytes = options.maxBodyBytes ?? 50 * 1024 * 1024;
    if (!(this.maxBodyBytes > 0)) throw new TypeError(`maxBodyBytes must be positive, got ${options.maxBodyBytes}`);
    for (const t of targets) this.addTarget(t);
  }

  addTarget(t: TargetConfig): TargetState {
    let u: URL;
    try { u = new URL(t.url); } catch { throw new TypeError(`target url '${t.url}' is not a URL`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`target url '${t.url}' must be http(s)`);
    const intervalMs = t.intervalMs ?? this.options.intervalMs ?? 5000;
    if (!(intervalMs >= 100)) throw new TypeError(`target '${t.url}': interval must be at least 100 ms, got ${intervalMs}`);
    const name = t.name ?? defaultTargetName(t.url);
    if (this.targets.has(name)) throw new TypeError(`two targets are named '${name}'`);
    const timeoutMs = Math.min(this.options.timeoutMs ?? Math.min(intervalMs, 10_000), intervalMs);
    const state: TargetState = { name, url: u.toString(), intervalSeconds: intervalMs / 1000, health: 'unknown', samples: 0, series: 0, parseErrors: [], seriesRefused: 0, counterResets: 0, bytes: 0 };
    this.targets.set(name, { cfg: { url: u.toString(), name, intervalMs }, state, nextDue: -Infinity, timeoutMs });
    return state;
  }

  removeTarget(name: string): void {
    this.targets.delete(name);
    this.store.removeTarget(name);
  }

  states(): TargetState[] {
    return [...this.targets.values()].map((t) => ({ ...t.state, series: this.store.targetSeriesCount(t.cfg.name), parseErrors: [...t.state.parseErrors] }));
  }

  /** Scrapes every due target (or all with `all`), stores the results and returns the outcomes. */
  async runRound(all = false): Promise<RoundResult> {
    while (this.running) await this.running.catch(() => undefined);
    const p = this.doRound(all);
    this.running = p;
    try { return await p; } finally { this.running = undefined; }
  }

  private async doRound(all: boolean): Promise<RoundResult> {
    const at = this.now();
    const due = [...this.targets.values()].filter((t) => all || t.nextDue <= at);
    // Keep each target's phase while on time; after a stall or a clock jump, start again from now.
    for (const t of due) t.nextDue = t.nextDue + t.cfg.intervalMs > at && t.nextDue + t.cfg.intervalMs <= at + t.cfg.intervalMs ? t.nextDue + t.cfg.intervalMs : at + t.cfg.intervalMs;
    const outcomes = await Promise.all(due.map((t) => this.scrapeOne(t)));
    this.store.gc(this.now());
    const result = { round: ++this.round, at, outcomes };
    this.options.onRound?.(result);
    return result;
  }

  /** Starts the scrape loop (the first round right away). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runRound().catch((err) => this.options.logger?.warn({ err }, 'scrape round failed')).finally(() => {
        const now = this.now();
        let next = Infinity;
        for (const t of this.targets.values()) next = Math.min(next, t.nextDue);
        // Clamp: a clock jump must not stall the loop or make it spin.
        const delay = Number.isFinite(next) ? Math.max(50, Math.min(next - now, 60_000)) : 1000;
        this.schedule(delay);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async scrapeOne(t: Target): Promise<ScrapeOutcome> {
    const s = t.state;
    const start = this.now();
    const startedHr = performance.now();
    let clockNote: string | undefined;
    if (s.lastScrape !== undefined && start < s.lastScrape) {
      // The wall clock went backwards: stored samples are "in the future" and would make every new
      // sample out of order. Forget this target's history and start again.
      this.store.resetTarget(t.cfg.name);
      clockNote = `the clock jumped back ${((s.lastScrape - start) / 1000).toFixed(1)} s; this target's history was reset`;
    } else if (s.lastScrape !== undefined && start - s.lastScrape > Math.max(10 * t.cfg.intervalMs, 60_000)) {
      clockNote = `no scrape for ${((start - s.lastScrape) / 1000).toFixed(0)} s (clock jump or suspend); the history has a gap`;
    }
    s.lastScrape = start;
    const prevHealth = s.health;
    try {
      const { text, format } = await this.fetchBody(t);
      const exp: Exposition & { errorCount: number } = parseExposition(text, { format, maxErrors: MAX_PARSE_ERRORS_SHOWN, known: this.store.knownSeries(t.cfg.name) });
      s.bytes = Buffer.byteLength(text);
      s.parseErrors = exp.errors.map((e) => ({ line: e.line, message: e.message }));
      if (exp.samples.length === 0 && exp.errorCount > 0) {
        const e = exp.errors[0];
        throw new ScrapeFailure('parse', `not a Prometheus exposition: line ${e.line}: ${e.message}${exp.errorCount > 1 ? ` (and ${exp.errorCount - 1} more malformed lines)` : ''}`);
      }
      const ingest = this.store.ingest(t.cfg.name, exp.samples, start);
      s.health = 'up';
      s.format = exp.format;
      s.samples = exp.samples.length;
      s.lastSuccess = start;
      s.seriesRefused = ingest.refused;
      s.counterResets = ingest.counterResets;
      s.lastDurationMs = performance.now() - startedHr;
      s.lastError = undefined;
      if (clockNote) s.lastError = { kind: 'clock', message: clockNote, at: start };
      if (exp.errorCount > 0) {
        const e = exp.errors[0];
        s.lastError = { kind: 'parse', message: `${exp.errorCount} malformed line${exp.errorCount > 1 ? 's' : ''} skipped, the rest kept (line ${e.line}: ${e.message})`, at: start };
      }
      if (ingest.refused > 0) {
        const limit = ingest.refusedBy === 'maxSeriesPerTarget' ? `the per-target series limit (${this.store.maxSeriesPerTarget})` : `the total series limit (${this.store.maxSeries})`;
        s.lastError = { kind: 'series-limit', message: `${ingest.refused} new series refused: ${limit} is reached (a label with too many values?)`, at: start };
      }
      if (ingest.outOfOrder > 0) this.options.logger?.debug?.({ target: t.cfg.name, outOfOrder: ingest.outOfOrder }, 'out-of-order samples dropped');
      if (s.lastError) this.options.logger?.warn({ target: t.cfg.name, kind: s.lastError.kind }, s.lastError.message);
      if (prevHealth !== 'up') this.options.logger?.info({ target: t.cfg.name, url: t.cfg.url, samples: s.samples }, 'target up');
      return { target: t.cfg.name, ok: true, durationMs: s.lastDurationMs, ingest };
    } catch (err) {
      const f = err instanceof ScrapeFailure ? err : new ScrapeFailure('network', (err as Error)?.message ?? String(err));
      s.health = 'down';
      s.samples = 0;
      s.lastDurationMs = performance.now() - startedHr;
      s.lastError = { kind: f.kind, message: clockNote ? `${f.message}; ${clockNote}` : f.message, at: start };
      if (f.kind !== 'parse') s.parseErrors = [];
      this.store.markTargetStale(t.cfg.name, start);
      if (prevHealth !== 'down') this.options.logger?.warn({ target: t.cfg.name, url: t.cfg.url, kind: f.kind }, `target down: ${f.message}`);
      return { target: t.cfg.name, ok: false, durationMs: s.lastDurationMs };
    }
  }

  private async fetchBody(t: Target): Promise<{ text: string; format: ExpositionFormat }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new ScrapeFailure('timeout', `no complete answer within ${t.timeoutMs} ms`)), t.timeoutMs);
    try {
      let res;
      try {
        res = await this.fetchFn(t.cfg.url, {
          signal: controller.signal,
          redirect: 'follow',
          headers: {
            accept: ACCEPT,
            'accept-encoding': 'gzip',
            'user-agent': 'telltale-runtime',
            'x-prometheus-scrape-timeout-seconds': String(t.timeoutMs / 1000),
          },
        });
      } catch (err) {
        throw classify(err, controller.signal, t.cfg.url);
      }
      if (res.status < 200 || res.status > 299) {
        await discard(res.body);
        throw new ScrapeFailure('http-status', `HTTP ${res.status} from ${t.cfg.url}`);
      }
      const ct = res.headers.get('content-type');
      let format = formatOfContentType(ct);
      if (format === 'html') {
        await discard(res.body);
        throw new ScrapeFailure('not-metrics', `the endpoint returned HTML (content-type ${ct}), not metrics: is the URL the /metrics route?`);
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > this.maxBodyBytes && !res.headers.get('content-encoding')) {
        await discard(res.body);
        throw new ScrapeFailure('too-large', `body of ${declared} bytes is over the limit of ${this.maxBodyBytes} bytes`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (res.body) {
        try {
          for await (const value of res.body) {
            size += value.byteLength;
            if (size > this.maxBodyBytes) {
              // leaving the loop cancels (web stream) or destroys (Node stream) the body
              throw new ScrapeFailure('too-large', `body over the limit of ${this.maxBodyBytes} bytes (after decoding); scrape aborted`);
            }
            chunks.push(value);
          }
        } catch (err) {
          if (err instanceof ScrapeFailure) throw err;
          throw classify(err, controller.signal, t.cfg.url);
        }
      }
      const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      const text = Buffer.isBuffer(buf) ? buf.toString('utf8') : new TextDecoder('utf-8').decode(buf);
      if (format === undefined) {
        // Like Prometheus, try the text format on an unknown content type, but not on an HTML page.
        if (/^\s*<(!doctype|html|head|body)/i.test(text.slice(0, 200))) throw new ScrapeFailure('not-metrics', `the endpoint returned HTML (content-type ${ct}), not metrics`);
        format = 'prometheus';
      }
      if (format === 'prometheus' && /^\s*<(!doctype|html)/i.test(text.slice(0, 100))) {
        throw new ScrapeFailure('not-metrics', `the endpoint returned an HTML page (content-type ${ct}), not metrics: is the URL the /metrics route?`);
      }
      return { text, format };
    } finally {
      clearTimeout(timer);
      controller.abort(); // frees the connection of a body left unread; a no-op after a complete read
    }
  }
}

function classify(err: unknown, signal: AbortSignal, url: string): ScrapeFailure {
  if (signal.aborted && signal.reason instanceof ScrapeFailure) return signal.reason;
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  if (code === 'ECONNREFUSED') return new ScrapeFailure('refused', `connection refused by ${url} (is the app running?)`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ScrapeFailure('refused', `${url} is unreachable (${code})`);
  if (e?.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new ScrapeFailure('timeout', `timed out fetching ${url}`);
  return new ScrapeFailure('network', `${url}: ${e?.cause?.message ?? e?.message ?? String(err)}${code ? ` (${code})` : ''}`);
}
