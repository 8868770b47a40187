/**
 * Alerts of the local runtime (TYPE-ONLY): `/api/alerts`, the SSE `alert` event of `/api/events`
 * (the VS Code notifier: the extension shows a notification for events with `notify: true`), and
 * the states the dashboard's Alerts view lists. Times are ms since the epoch; durations seconds.
 */
import type { CodeLink, Labels } from './runtime';

/** What a threshold rule watches (one alert instance per route, job, dataset or target). */
export type AlertView =
  | 'route.errorRatio'         // 5xx / requests over the window (0..1)
  | 'route.p95'                // seconds
  | 'route.p99'                // seconds
  | 'route.rate'               // requests per second
  | 'job.lastSuccessAge'       // seconds since the last successful run
  | 'job.errors'               // failed runs in the window
  | 'drift.share'              // share of drifted columns of a dataset (0..1)
  | 'target.down';             // 1 while the last scrape of the target failed

export type AlertOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

export type AlertSeverity = 'critical' | 'page' | 'warning' | 'ticket' | 'info';

/** inactive → pending (for `for`) → firing → resolved. Inactive alerts are not listed. */
export type AlertStatus = 'pending' | 'firing' | 'resolved';

/** One window pair of a multiwindow, multi-burn-rate SLO alert (Google SRE workbook, ch. 5). */
export interface BurnRateWindowState {
  longSeconds: number;
  shortSeconds: number;
  /** Burn-rate factor both windows must exceed (14.4 for 1h/5m, 6 for 6h/30m). */
  factor: number;
  /** Observed burn rates (bad ratio / error budget); null without requests in the window. */
  longBurnRate: number | null;
  shortBurnRate: number | null;
  /** Both windows above the factor. */
  firing: boolean;
}

/** One alert instance: a rule applied to one route / job / dataset / target. */
export interface AlertInstance {
  /** Stable id of the instance: a hash of its labels (deduplication key, as in Alertmanager). */
  fingerprint: string;
  rule: string;
  status: AlertStatus;
  severity: AlertSeverity;
  /** alertname, severity, the subject's labels (route, method | job | dataset | target) and the rule's labels. */
  labels: Labels;
  /** summary, description and the rule's annotations, with {{ $value }} / {{ $labels.x }} filled in. */
  annotations: Record<string, string>;
  /** The value the condition was tested on at the last evaluation (burn rate for SLO rules); null when unknown. */
  value: number | null;
  /** When the condition first held (start of pending). */
  activeAt: number;
  /** When it started firing. */
  firedAt?: number;
  /** When it resolved. */
  resolvedAt?: number;
  /** Last evaluation that saw it. */
  lastEvaluatedAt: number;
  /** Where the watched route / job / metric is in the code (from the inventory). */
  code?: CodeLink;
  /** The link notifications carry (the code when known, else the runtime's dashboard). */
  generatorURL?: string;
  /** SLO rules: every window pair with its burn rates. */
  burnRates?: BurnRateWindowState[];
}

/** A rule as configured (after defaults), as the dashboard shows it. */
export interface AlertRuleInfo {
  name: string;
  kind: 'threshold' | 'slo';
  severity: AlertSeverity;
  /** One line a human reads: `route.errorRatio > 0.05 for 2m over 5m` or `availability 99.9% (1h/5m ×14.4, 6h/30m ×6)`. */
  expression: string;
  forSeconds: number;
  /** True for the built-in set enabled by `alerts.defaults`. */
  builtin: boolean;
  /** The last evaluation of this rule failed (the message says why); its alerts keep their state. */
  health: 'ok' | 'error' | 'unknown';
  lastError?: string;
  lastEvaluatedAt?: number;
  firing: number;
  pending: number;
  notifiers: string[];
}

export type NotifierType = 'vscode' | 'slack' | 'webhook' | 'alertmanager';

/** Delivery state of one notifier. Failures never stop evaluation; they show here. */
export interface NotifierState {
  name: string;
  type: NotifierType;
  /** idle: nothing sent yet; ok: the last delivery worked; failing: the last delivery failed. */
  state: 'idle' | 'ok' | 'failing';
  /** Where it sends, with any secret part of the URL hidden. */
  target?: string;
  lastAttempt?: number;
  lastSuccess?: number;
  lastError?: { message: string; at: number };
  /** Notifications (batches) delivered, failed after all retries, and dropped because the queue was full. */
  sent: number;
  failed: number;
  dropped: number;
  /** Batches waiting to be sent. */
  queued: number;
}

/** `/api/alerts`. */
export interface AlertsResponse {
  /** False when no rule is configured (no `alerts.rules`, `alerts.defaults` off). */
  enabled: boolean;
  /** Time of the last evaluation (undefined before the first). */
  evaluatedAt?: number;
  intervalSeconds: number;
  firing: AlertInstance[];
  pending: AlertInstance[];
  /** Resolved within `alerts.resolvedRetention`, newest first. */
  resolved: AlertInstance[];
  rules: AlertRuleInfo[];
  notifiers: NotifierState[];
}

/**
 * The SSE `alert` event: sent after an evaluation in which alerts changed state (became pending,
 * firing or resolved). `notify` is true when the `vscode` notifier asks the extension to show the
 * firing/resolved ones (deduplicated and repeated per `repeatInterval`, like the other notifiers).
 */
export interface AlertEvent {
  type: 'alert';
  seq: number;
  at: number;
  /** The instances that changed, in their new state. */
  alerts: AlertInstance[];
  notify: boolean;
  /** Counts after the evaluation. */
  firing: number;
  pending: number;
}
