/**
 * The JSON the runtime's HTTP API serves (`/api/*`) and the events of its SSE stream
 * (`/api/events`). Type-only: the dashboard webview and the extension `import type` these.
 * Times are milliseconds since the epoch; durations are seconds unless the name says otherwise.
 */

export type Labels = Record<string, string>;

/** Why the last scrape of a target failed (or was only partly kept). */
export type ScrapeErrorKind =
  | 'refused'       // connection refused / host unreachable
  | 'timeout'       // no complete answer within the scrape timeout
  | 'network'       // any other transport error (reset, DNS…)
  | 'http-status'   // a non-2xx status
  | 'not-metrics'   // HTML or another content type that is not an exposition
  | 'parse'         // nothing parseable, or some malformed lines (then the target stays up)
  | 'too-large'     // the body exceeded the size limit
  | 'series-limit'  // new series were refused (per-target or total series limit)
  | 'clock';        // the clock jumped backwards; the target's history was reset

export interface TargetError {
  kind: ScrapeErrorKind;
  message: string;
  /** When it happened. */
  at: number;
}

export interface ParseErrorInfo { line: number; message: string }

export interface TargetState {
  name: string;
  url: string;
  intervalSeconds: number;
  /** 'unknown' until the first scrape finished. */
  health: 'up' | 'down' | 'unknown';
  /** The last problem (also set while up when lines were skipped or series refused). */
  lastError?: TargetError;
  lastScrape?: number;
  lastSuccess?: number;
  lastDurationMs?: number;
  /** Exposition format of the last successful scrape. */
  format?: 'prometheus' | 'openmetrics';
  /** Samples parsed in the last scrape. */
  samples: number;
  /** Series of this target currently in the store. */
  series: number;
  /** Malformed lines of the last scrape (the first few, with line numbers). */
  parseErrors: ParseErrorInfo[];
  /** New series refused by the series limits in the last scrape. */
  seriesRefused: number;
  /** Counter resets seen in the last scrape (a restarted app). */
  counterResets: number;
  /** Body bytes of the last scrape (after gzip decoding). */
  bytes: number;
}

export interface TargetsResponse {
  targets: TargetState[];
  /** Endpoints the inventory says the code serves (`/metrics` routes), to add as targets. */
  suggestions?: { path: string; file: string; line: number }[];
}

/** A place in the user's code (paths relative to the inventory root, 1-based lines). */
export interface CodeLink { file: string; line: number; column?: number }

export interface ExemplarInfo { labels: Labels; value: number; timestamp?: number }

export interface SeriesInfo {
  name: string;
  labels: Labels;
  /** The metric family's type from `# TYPE` ('unknown' without one). */
  type: string;
  target: string;
  samples: number;
  last?: { t: number; v: number | 'NaN' | '+Inf' | '-Inf' };
  stale: boolean;
  exemplar?: ExemplarInfo;
  /** Where the metric is defined in the code, from the inventory. */
  definedAt?: CodeLink;
}

export interface SeriesResponse { series: SeriesInfo[]; total: number; truncated: boolean }

/** Rate, errors, duration of one route over the view window. */
export interface RouteRed {
  method: string;
  route: string;
  /** Requests per second. */
  rate: number;
  /** Requests in the window (Prometheus `increase`). */
  requests: number;
  /** Requests with a 5xx status in the window. */
  errors: number;
  /** errors / requests; null without requests. */
  errorRatio: number | null;
  /** Latency quantiles in seconds (null without observations in the window or without a histogram). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** The route handler in the code (inventory join). */
  code?: CodeLink & { framework?: string; path: string };
}

export interface RoutesResponse {
  source: 'local' | 'prometheus';
  at: number;
  windowSeconds: number;
  /** Metric names and label names the numbers came from; undefined when none was found. */
  metrics?: { requests?: string; duration?: string; routeLabel?: string; methodLabel?: string; statusLabel?: string; definedAt?: Record<string, CodeLink> };
  routes: RouteRed[];
}

export interface JobHealth {
  job: string;
  /** When the job last ran (the last increase of its runs counter), if seen in the window. */
  lastRun?: number;
  lastStatus?: string;
  /** When a run with an ok status last happened, if seen in the window. */
  lastSuccess?: number;
  /** Runs in the window by outcome. */
  ok: number;
  error: number;
  /** Runs ever (current counter values) by outcome. */
  okTotal: number;
  errorTotal: number;
  /** p95 of job_duration_seconds over the window, seconds. */
  p95Duration: number | null;
  /** rows_processed_total increase over the window. */
  rowsProcessed: number | null;
  code?: CodeLink & { kind?: string };
}

export interface JobsResponse {
  source: 'local' | 'prometheus';
  at: number;
  windowSeconds: number;
  jobs: JobHealth[];
}

export interface HealthResponse {
  ok: true;
  version: string;
  startedAt: number;
  source: 'local' | 'prometheus';
  targets: number;
  targetsUp: number;
  series: number;
  samples: number;
}

/** `/api/drift`: whatever the drift monitor reports, one entry per dataset. */
export interface DriftResponse { datasets: unknown[]; enabled: boolean }

/** The SSE stream's `update` event: one per scrape round, with the views that changed. */
export interface RuntimeUpdateEvent {
  type: 'update';
  round: number;
  at: number;
  targets?: TargetState[];
  routes?: RoutesResponse;
  jobs?: JobsResponse;
}
