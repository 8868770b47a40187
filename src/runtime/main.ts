/**
 * The one place that wires the runtime's parts: store, scraper (or a Prometheus server as the
 * source), views, drift, the prom-client registry of our own metrics, and the HTTP server.
 * `startRuntime(options)` returns a handle with the URL, the token file and `close()`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Inventory } from '../protocol/inventory';
import type { DriftResponse, JobsResponse, RoutesResponse, RuntimeUpdateEvent, SeriesInfo, SeriesResponse } from '../protocol/runtime';
import type { AlertsSectionConfig } from '../config/sections/alerts';
import type { DriftSectionConfig } from '../config/sections/drift';
import type { DatasetDriftState } from '../protocol/drift';
import { AlertEngine, type EvaluationResult } from './alerts/engine';
import type { PostFetch } from './alerts/notifiers/http';
import { AlertsConfigError, compileAlertsConfig } from './alerts/rules';
import { feedDrift, type OnlineDriftSink } from './drift-feed';
import { DriftMonitor } from './drift/monitor';
import { PrometheusSource, type FetchLike } from './prometheus-source';
import { LocalSource } from './query/local-source';
import { matches, parseSelector, SelectorError } from './query/selector';
import { Scraper, type ScrapeFetch, type TargetConfig } from './scrape/scraper';
import { BadRequest, parseDurationMs, startServer, type RuntimeServer, type ViewQuery } from './server';
import { SeriesStore } from './store/store';
import { findMetricDefinition, jobViews, routeViews, type ViewSource } from './views';

declare const TELLTALE_VERSION: string | undefined;
const VERSION = typeof TELLTALE_VERSION === 'string' ? TELLTALE_VERSION : '0.0.0-dev';

/** The shape of `telltale.config.json` → runtime (validated by src/config/sections/runtime.ts). */
export interface RuntimeConfig {
  host?: string;
  port?: number;
  targets?: { url: string; name?: string; interval?: number | string }[];
  scrapeInterval?: number | string;
  scrapeTimeout?: number | string;
  window?: number | string;
  jobWindow?: number | string;
  retention?: number | string;
  limits?: { maxSamplesPerSeries?: number; maxSeries?: number; maxSeriesPerTarget?: number; maxBodyBytes?: number };
  prometheus?: { url: string; step?: number | string; refresh?: number | string };
  inventory?: string;
  log?: { level?: string; file?: string };
  driftRefresh?: number | string;
}

/** What the runtime needs of the drift monitor (src/runtime/drift/monitor.ts). */
export interface DriftProvider extends Partial<OnlineDriftSink> {
  refresh(): Promise<void>;
  reports(): unknown[];
  registerMetrics?(registry: Registry): void;
}

export interface RuntimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface RuntimeOptions {
  config?: RuntimeConfig;
  /** Relative paths of the config resolve against this folder. */
  configDir?: string;
  /** More targets (the CLI's --target). */
  targets?: TargetConfig[];
  host?: string;
  port?: number;
  /** Query this Prometheus server for the views instead of the local store. */
  prometheusUrl?: string;
  /** An inventory, or the path of its JSON (file or folder). */
  inventory?: Inventory | string;
  /** A drift monitor; default: a DriftMonitor built from `driftConfig` when it has datasets or online sources. */
  drift?: DriftProvider;
  /** The `drift` section of the config. */
  driftConfig?: DriftSectionConfig;
  logger?: RuntimeLogger;
  /** Where pino writes when no logger is given (default stderr). */
  logDestination?: { write(s: string): unknown };
  now?: () => number;
  fetch?: ScrapeFetch;
  prometheusFetch?: FetchLike;
  /** The dashboard bundle folder (default: dist/webview next to the bundle). */
  staticDir?: string;
  /** Where the token file goes (default $XDG_RUNTIME_DIR/telltale or <tmp>/telltale-<uid>). */
  tokenDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Start the scrape loop (default true); tests drive rounds with `handle.round()`. */
  autoScrape?: boolean;
  /** The `alerts` section of the config (rules, notifiers). */
  alertsConfig?: AlertsSectionConfig;
  /** The network notifiers POST through it (default global fetch). */
  alertFetch?: PostFetch;
}

export interface RuntimeHandle {
  url: string;
  port: number;
  token: string;
  tokenFile: string;
  source: ViewSource;
  store: SeriesStore;
  scraper: Scraper;
  registry: Registry;
  inventory?: Inventory;
  /** The drift monitor in use, if any. */
  drift?: DriftProvider;
  /** The alert engine (rules may be empty: then `alerts.enabled` is false). */
  alerts: AlertEngine;
  /** Evaluates the alert rules now (the loop does it every alerts.interval unless autoScrape is false). */
  evaluateAlerts(): Promise<EvaluationResult>;
  /** Runs one scrape round now (every target) and publishes the update. */
  round(): Promise<void>;
  routes(q?: ViewQuery): Promise<RoutesResponse>;
  jobs(q?: ViewQuery): Promise<JobsResponse>;
  close(): Promise<void>;
}

export class RuntimeConfigError extends Error {
  override name = 'RuntimeConfigError';
  constructor(readonly key: string, detail: string, section = 'runtime') { super(`${section}.${key}: ${detail}`); }
}

function durationMs(v: number | string | undefined, key: string, dflt: number): number {
  if (v === undefined) return dflt;
  const ms = parseDurationMs(v);
  if (ms === undefined) throw new RuntimeConfigError(key, `'${v}' is not a duration (seconds, or "500ms", "5s", "1m", "1h")`);
  return ms;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Reads an inventory from a JSON file or a folder holding inventory.json / .telltale/inventory.json. */
export function loadInventory(p: string): Inventory {
  let file = p;
  if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
    const found = ['inventory.json', '.telltale/inventory.json', 'telltale-inventory.json'].map((f) => path.join(p, f)).find((f) => fs.existsSync(f));
    if (!found) throw new RuntimeConfigError('inventory', `no inventory.json or .telltale/inventory.json in ${p} (write one with \`telltale inventory --format json\`)`);
    file = found;
  }
  if (!fs.existsSync(file)) throw new RuntimeConfigError('inventory', `${file}: no such file`);
  let json: unknown;
  try { json = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (err) { throw new RuntimeConfigError('inventory', `${file}: not valid JSON (${(err as Error).message})`); }
  const inv = json as Partial<Inventory>;
  if (!inv || typeof inv !== 'object' || !Array.isArray(inv.routes) || !Array.isArray(inv.metrics)) {
    throw new RuntimeConfigError('inventory', `${file}: not an inventory (expected { routes: [], jobs: [], metrics: [] })`);
  }
  return { root: inv.root ?? path.dirname(file), routes: inv.routes, jobs: inv.jobs ?? [], metrics: inv.metrics, errors: inv.errors ?? [] };
}

/** Targets the inventory suggests: the app serves /metrics (the port is up to the user). */
export function suggestTargets(inventory: Inventory | undefined): { path: string; file: string; line: number }[] {
  return (inventory?.routes ?? []).filter((r) => /\/metrics\/?$/.test(r.path) && (r.method === 'GET' || r.method === 'ANY'))
    .map((r) => ({ path: r.path, file: r.file, line: r.line }));
}

function tokenDirectory(options: RuntimeOptions): string {
  if (options.tokenDir) return options.tokenDir;
  const env = options.env ?? process.env;
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && path.isAbsolute(xdg) && fs.existsSync(xdg)) return path.join(xdg, 'telltale');
  const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `telltale-${uid}`);
}

/** Creates the token folder (0700, ours, not a symlink) and writes the token (0600). */
function writeTokenFile(dir: string, name: string, token: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`token folder ${dir} is not a plain folder`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new Error(`token folder ${dir} belongs to another user`);
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  const file = path.join(dir, name);
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
  return file;
}

function defaultStaticDir(): string {
  const candidates = [path.join(__dirname, 'webview'), path.resolve(__dirname, '../../dist/webview'), path.resolve(process.cwd(), 'dist/webview')];
  return candidates.find((c) => fs.existsSync(path.join(c, 'index.html'))) ?? candidates[0];
}

const num = (v: number): number | 'NaN' | '+Inf' | '-Inf' => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : v);

export async function startRuntime(options: RuntimeOptions = {}): Promise<RuntimeHandle> {
  const config = options.config ?? {};
  const now = options.now ?? Date.now;
  const logger: RuntimeLogger = options.logger ?? pino(
    { name: 'telltale-runtime', level: config.log?.level ?? 'info' },
    config.log?.file
      ? pino.destination({ dest: path.resolve(options.configDir ?? '.', config.log.file), mkdir: true, sync: true })
      : (options.logDestination ?? pino.destination({ fd: 2, sync: true })) as pino.DestinationStream,
  );

  const host = options.host ?? config.host ?? '127.0.0.1';
  const port = options.port ?? config.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RuntimeConfigError('port', `${port} is not a port number`);
  if (!isLoopback(host)) logger.warn({ host }, `the API binds ${host}, which is not a loopback address: anyone who can reach it and has the token can read your metrics`);

  const intervalMs = durationMs(config.scrapeInterval, 'scrapeInterval', 5000);
  const timeoutMs = config.scrapeTimeout !== undefined ? durationMs(config.scrapeTimeout, 'scrapeTimeout', 10_000) : undefined;
  const windowMs = durationMs(config.window, 'window', 60_000);
  const jobWindowMs = durationMs(config.jobWindow, 'jobWindow', 3_600_000);
  const retentionMs = durationMs(config.retention, 'retention', 3_600_000);

  let inventory: Inventory | undefined;
  const invSpec = options.inventory ?? config.inventory;
  if (typeof invSpec === 'string') inventory = loadInventory(path.resolve(options.configDir ?? '.', invSpec));
  else inventory = invSpec;

  const targets: TargetConfig[] = [
    ...(config.targets ?? []).map((t, i) => ({ url: t.url, name: t.name, intervalMs: t.interval !== undefined ? durationMs(t.interval, `targets[${i}].interval`, intervalMs) : undefined })),
    ...(options.targets ?? []),
  ];

  const store = new SeriesStore({ ...config.limits, retentionMs });
  const registry = new Registry();
  const scrapeDuration = new Histogram({ name: 'telltale_scrape_duration_seconds', help: 'Duration of scrapes by target.', labelNames: ['target'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const scrapesTotal = new Counter({ name: 'telltale_scrapes_total', help: 'Scrapes by target and result.', labelNames: ['target', 'result'], registers: [registry] });

  const prometheusUrl = options.prometheusUrl ?? config.prometheus?.url;
  let scraper!: Scraper;
  const ref: { server?: RuntimeServer } = {};
  let roundNo = 0;
  const last: { targets?: string; routes?: string; jobs?: string } = {};

  const local = new LocalSource(store);
  let source: ViewSource = local;
  if (prometheusUrl) {
    try {
      source = new PrometheusSource({ url: prometheusUrl, fetch: options.prometheusFetch, stepMs: durationMs(config.prometheus?.step, 'prometheus.step', 15_000) });
    } catch (err) {
      throw new RuntimeConfigError('prometheus.url', (err as Error).message);
    }
  }

  const routes = (q: ViewQuery = {}) => routeViews(source, { atMs: q.atMs ?? now(), windowMs: q.windowMs ?? windowMs, inventory });
  const jobs = (q: ViewQuery = {}) => jobViews(source, { atMs: q.atMs ?? now(), windowMs: q.windowMs ?? jobWindowMs, inventory });

  const publish = async (): Promise<void> => {
    const event: RuntimeUpdateEvent = { type: 'update', round: ++roundNo, at: now() };
    const t = scraper.states();
    const tj = JSON.stringify(t);
    if (tj !== last.targets) { event.targets = t; last.targets = tj; }
    // The views cost a pass over the store: compute them only while someone listens.
    if ((ref.server?.eventClients ?? 0) > 0) try {
      const [r, j] = await Promise.all([routes(), jobs()]);
      const strip = (x: { at: number }) => JSON.stringify({ ...x, at: 0 });
      const rj = strip(r), jj = strip(j);
      if (rj !== last.routes) { event.routes = r; last.routes = rj; }
      if (jj !== last.jobs) { event.jobs = j; last.jobs = jj; }
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'computing the views failed');
    }
    ref.server?.broadcast(event);
  };

  try {
    scraper = new Scraper(targets, store, {
      now, fetch: options.fetch, intervalMs, timeoutMs, maxBodyBytes: config.limits?.maxBodyBytes, logger,
      onRound: (r) => {
        for (const o of r.outcomes) {
          scrapeDuration.observe({ target: o.target }, o.durationMs / 1000);
          scrapesTotal.inc({ target: o.target, result: o.ok ? 'ok' : 'error' });
        }
        const online = options.driftConfig?.online;
        if (online?.length && drift?.observeHistogram && drift.observeCategoryCounts) {
          try { feedDrift(drift as OnlineDriftSink, online, store, r.at); } catch (err) { logger.warn({ err: (err as Error).message }, 'feeding the drift monitor failed'); }
        }
        if (options.autoScrape !== false && r.outcomes.length > 0) publish().catch((err) => logger.warn({ err }, 'publishing an update failed'));
      },
    });
  } catch (err) {
    if (err instanceof TypeError) throw new RuntimeConfigError('targets', err.message);
    throw err;
  }

  new Gauge({ name: 'telltale_target_up', help: '1 if the last scrape of the target succeeded.', labelNames: ['target'], registers: [registry], collect() {
    this.reset();
    for (const s of scraper.states()) this.set({ target: s.name }, s.health === 'up' ? 1 : 0);
  } });
  new Gauge({ name: 'telltale_target_series', help: 'Series stored per target.', labelNames: ['target'], registers: [registry], collect() {
    this.reset();
    for (const s of scraper.states()) this.set({ target: s.name }, s.series);
  } });
  new Gauge({ name: 'telltale_target_series_refused', help: 'New series refused by the limits in the last scrape.', labelNames: ['target'], registers: [registry], collect() {
    this.reset();
    for (const s of scraper.states()) this.set({ target: s.name }, s.seriesRefused);
  } });
  new Gauge({ name: 'telltale_store_series', help: 'Series in the store.', registers: [registry], collect() { this.set(store.seriesCount); } });
  new Gauge({ name: 'telltale_store_samples', help: 'Samples in the store.', registers: [registry], collect() { this.set(store.stats().samples); } });
  new Gauge({ name: 'telltale_store_buffer_bytes', help: 'Bytes of the sample buffers.', registers: [registry], collect() { this.set(store.stats().bufferBytes); } });
  new Gauge({ name: 'telltale_process_resident_memory_bytes', help: 'Resident memory of the runtime.', registers: [registry], collect() { this.set(process.memoryUsage().rss); } });
  new Gauge({ name: 'telltale_process_heap_used_bytes', help: 'V8 heap in use.', registers: [registry], collect() { this.set(process.memoryUsage().heapUsed); } });
  new Gauge({ name: 'telltale_sse_clients', help: 'Connected event streams.', registers: [registry], collect() { this.set(ref.server?.eventClients ?? 0); } });

  const driftConfig = options.driftConfig;
  const drift: DriftProvider | undefined = options.drift
    ?? (driftConfig && (driftConfig.datasets?.length || driftConfig.online?.length) ? new DriftMonitor(driftConfig, { now, baseDir: options.configDir ?? process.cwd() }) : undefined);
  drift?.registerMetrics?.(registry);

  let alertsConfig;
  try {
    alertsConfig = compileAlertsConfig(options.alertsConfig, options.env ?? process.env);
  } catch (err) {
    if (err instanceof AlertsConfigError) throw new RuntimeConfigError(err.key, err.detail, 'alerts');
    throw err;
  }
  const alerts = new AlertEngine({
    config: alertsConfig, now, logger, fetch: options.alertFetch, retentionMs,
    inputs: {
      routes: (w, at) => routeViews(source, { atMs: at, windowMs: w, inventory }),
      jobs: (w, at) => jobViews(source, { atMs: at, windowMs: w, inventory }),
      targets: () => scraper.states(),
      drift: () => (drift ? drift.reports() as DatasetDriftState[] : []),
      source, inventory, defaultWindowMs: windowMs, defaultJobWindowMs: jobWindowMs,
    },
    externalUrl: () => ref.server?.url,
    broadcast: (event) => { ref.server?.broadcast(event); return ref.server?.eventClients ?? 0; },
  });
  alerts.registerMetrics(registry);

  const startedAt = now();
  const token = crypto.randomBytes(32).toString('base64url');
  const dirForToken = tokenDirectory(options);

  const server = ref.server = await startServer({
    host, port, token, logger, staticDir: options.staticDir ?? defaultStaticDir(),
    onEventClient: () => { last.targets = last.routes = last.jobs = undefined; },
    api: {
      health: () => {
        const st = scraper.states();
        const stats = store.stats();
        return { ok: true, version: VERSION, startedAt, source: source.kind, targets: st.length, targetsUp: st.filter((s) => s.health === 'up').length, series: stats.series, samples: stats.samples };
      },
      targets: () => ({ targets: scraper.states(), suggestions: suggestTargets(inventory) }),
      series: (match, limit): SeriesResponse => {
        let sel;
        try { sel = match ? parseSelector(match) : { matchers: [] }; } catch (err) {
          if (err instanceof SelectorError) throw new BadRequest(err.message);
          throw err;
        }
        const out: SeriesInfo[] = [];
        let total = 0;
        const pool = sel.metric ? store.select(sel.metric) : store.all();
        for (const s of pool) {
          if (!matches(s.name, s.labels, sel.matchers)) continue;
          total++;
          if (out.length >= limit) continue;
          const lt = s.lastT(), lv = s.lastV();
          const def = findMetricDefinition(inventory, s.family ?? s.name) ?? findMetricDefinition(inventory, s.name);
          out.push({
            name: s.name, labels: s.labels, type: s.type, target: s.target, samples: s.length, stale: s.staleAt !== undefined,
            ...(lt !== undefined ? { last: { t: lt, v: num(lv!) } } : {}),
            ...(s.exemplar ? { exemplar: { labels: s.exemplar.labels, value: s.exemplar.value, timestamp: s.exemplar.timestampMs } } : {}),
            ...(def ? { definedAt: { file: def.file, line: def.line, column: def.column } } : {}),
          });
        }
        return { series: out, total, truncated: total > out.length };
      },
      routes,
      jobs,
      drift: (): DriftResponse => ({ enabled: !!drift, datasets: drift ? drift.reports() : [] }),
      inventory: () => ({ inventory: inventory ?? null }),
      alerts: () => alerts.response(),
      metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    },
  });

  let tokenFile: string;
  try {
    tokenFile = writeTokenFile(dirForToken, `runtime-${process.pid}-${server.port}.token`, token);
  } catch (err) {
    await server.close();
    throw err;
  }

  let driftTimer: ReturnType<typeof setInterval> | undefined;
  if (drift) {
    const refresh = () => drift.refresh().catch((err) => logger.warn({ err: (err as Error).message }, 'drift refresh failed'));
    void refresh();
    driftTimer = setInterval(refresh, driftConfig?.refreshSeconds ? driftConfig.refreshSeconds * 1000 : durationMs(config.driftRefresh, 'driftRefresh', 60_000));
    driftTimer.unref();
  }
  let promTimer: ReturnType<typeof setInterval> | undefined;
  if (prometheusUrl && options.autoScrape !== false) {
    promTimer = setInterval(() => void publish(), durationMs(config.prometheus?.refresh, 'prometheus.refresh', 5000));
    promTimer.unref();
  }
  if (options.autoScrape !== false) scraper.start();
  if (options.autoScrape !== false) alerts.start();
  const suggestions = suggestTargets(inventory);
  if (targets.length === 0 && !prometheusUrl) {
    logger.warn({ suggestions }, suggestions.length
      ? `no targets configured; the code serves ${suggestions[0].path} (${suggestions[0].file}:${suggestions[0].line}): add runtime.targets [{ "url": "http://127.0.0.1:<port>${suggestions[0].path}" }] or pass --target`
      : 'no targets configured: add runtime.targets to telltale.config.json or pass --target');
  }
  logger.info({ url: server.url, tokenFile, targets: targets.length, source: source.kind }, 'runtime started');

  let closed = false;
  return {
    url: server.url, port: server.port, token, tokenFile, source, store, scraper, registry, inventory, drift, alerts,
    routes, jobs,
    evaluateAlerts: () => alerts.evaluate(),
    async round() {
      await scraper.runRound(true);
      await publish();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (driftTimer) clearInterval(driftTimer);
      if (promTimer) clearInterval(promTimer);
      await scraper.stop();
      await alerts.close();
      await server.close();
      fs.rmSync(tokenFile, { force: true });
      logger.info({}, 'runtime stopped');
    },
  };
}
