/**
 * The notifiers: one delivery per batch of alert instances (firing and resolved ones), each a
 * small payload builder plus a POST (or, for VS Code, an SSE `alert` event the extension shows).
 * Payload builders are pure and exported for tests; delivery errors are DeliveryErrors.
 */
import type { AlertEvent, AlertInstance, NotifierType } from '../../../protocol/alerts';
import type { CompiledNotifierConfig } from '../rules';
import { DeliveryError, postJson, redactUrl, type PostFetch } from './http';

export interface NotificationBatch {
  at: number;
  /** Firing and resolved instances (as they are now). */
  alerts: AlertInstance[];
  /** The runtime's dashboard URL (Alertmanager's externalURL). */
  externalURL?: string;
  /** A test notification (`telltale alert test`). */
  test?: boolean;
}

export interface Notifier {
  readonly name: string;
  readonly type: NotifierType;
  readonly config: CompiledNotifierConfig;
  /** Where it sends, secrets hidden. */
  readonly target?: string;
  /** Re-send still-firing alerts this often, instead of the repeat interval (Alertmanager expects it). */
  readonly resendMs?: number;
  deliver(batch: NotificationBatch, signal?: AbortSignal): Promise<void>;
}

export interface NotifierDeps {
  fetch?: PostFetch;
  /** VS Code: broadcasts an SSE `alert` event; returns how many clients got it. */
  broadcast?: (event: AlertEvent) => number;
  /** Counts for the VS Code event. */
  counts?: () => { firing: number; pending: number };
  backoffMs?: number;
  /** The evaluation interval: Alertmanager's endsAt of a firing alert lies 4 intervals (at least 4 resends) ahead. */
  evaluationIntervalMs?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
/** Alertmanager's "no end" value. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';
const ALERTMANAGER_RESEND_MS = 60_000;

function subjectOf(a: AlertInstance): string {
  const l = a.labels;
  if (l.route !== undefined) return `${l.method ?? ''} ${l.route}`.trim();
  return l.job ?? l.dataset ?? l.target ?? l.slo ?? '';
}

function commonOf(maps: Record<string, string>[]): Record<string, string> {
  if (!maps.length) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(maps[0])) if (maps.every((m) => m[k] === v)) out[k] = v;
  return out;
}

/** The batch's status: firing when any alert fires (Alertmanager's webhook convention). */
const batchStatus = (b: NotificationBatch): 'firing' | 'resolved' => (b.alerts.some((a) => a.status !== 'resolved') ? 'firing' : 'resolved');

/** Generic webhook: the JSON Alertmanager sends to webhook receivers (version 4), so existing receivers understand it. */
export function webhookPayload(batch: NotificationBatch, receiver: string): Record<string, unknown> {
  const alerts = batch.alerts.map((a) => ({
    status: a.status === 'resolved' ? 'resolved' : 'firing',
    labels: a.labels,
    annotations: a.annotations,
    startsAt: iso(a.firedAt ?? a.activeAt),
    endsAt: a.resolvedAt !== undefined ? iso(a.resolvedAt) : ZERO_TIME,
    generatorURL: a.generatorURL ?? batch.externalURL ?? '',
    fingerprint: a.fingerprint,
    value: a.value,
    ...(a.code ? { code: a.code } : {}),
  }));
  const rules = [...new Set(batch.alerts.map((a) => a.rule))].sort();
  return {
    version: '4',
    groupKey: `telltale:${rules.join(',')}`,
    truncatedAlerts: 0,
    status: batchStatus(batch),
    receiver,
    groupLabels: rules.length === 1 ? { alertname: rules[0] } : {},
    commonLabels: commonOf(batch.alerts.map((a) => a.labels)),
    commonAnnotations: commonOf(batch.alerts.map((a) => a.annotations)),
    externalURL: batch.externalURL ?? '',
    ...(batch.test ? { test: true } : {}),
    alerts,
  };
}

/** Slack's mrkdwn needs &, < and > escaped. */
export const slackEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming webhook: a fallback `text` and one coloured attachment per alert. */
export function slackPayload(batch: NotificationBatch, cfg: Pick<CompiledNotifierConfig, 'channel' | 'username'>): Record<string, unknown> {
  const firing = batch.alerts.filter((a) => a.status !== 'resolved');
  const resolved = batch.alerts.filter((a) => a.status === 'resolved');
  const head = [firing.length ? `[FIRING:${firing.length}]` : '', resolved.length ? `[RESOLVED:${resolved.length}]` : ''].filter(Boolean).join(' ');
  const names = [...new Set(batch.alerts.map((a) => a.rule))].join(', ');
  const text = `${batch.test ? '[TEST] ' : ''}${head} ${slackEscape(names)}`.trim();
  const attachments = batch.alerts.map((a) => {
    const fields = [
      { title: 'Severity', value: a.severity, short: true },
      { title: 'Value', value: a.value === null ? 'n/a' : String(Number(a.value.toPrecision(4))), short: true },
    ];
    if (a.annotations.code) fields.push({ title: 'Code', value: slackEscape(a.annotations.code), short: false });
    return {
      color: a.status === 'resolved' ? 'good' : a.severity === 'critical' || a.severity === 'page' ? 'danger' : 'warning',
      fallback: `[${a.status.toUpperCase()}] ${a.rule} ${subjectOf(a)}`,
      title: slackEscape(`[${a.status === 'resolved' ? 'RESOLVED' : 'FIRING'}] ${a.rule}: ${subjectOf(a)}`),
      ...(a.generatorURL && /^https?:/.test(a.generatorURL) ? { title_link: a.generatorURL } : {}),
      text: slackEscape([a.annotations.summary, a.annotations.description].filter(Boolean).join('\n')),
      fields,
      footer: 'Telltale',
      ts: Math.floor((a.resolvedAt ?? a.firedAt ?? a.activeAt) / 1000),
    };
  });
  return { text, attachments, ...(cfg.channel ? { channel: cfg.channel } : {}), ...(cfg.username ? { username: cfg.username } : {}) };
}

/** Alertmanager API v2: POST /api/v2/alerts with a list of postable alerts. */
export function alertmanagerPayload(batch: NotificationBatch, evaluationIntervalMs: number): Record<string, unknown>[] {
  // Like Prometheus: a firing alert ends 4 resend periods ahead unless sent again; a resolved one ends when it resolved.
  const ahead = 4 * Math.max(evaluationIntervalMs, ALERTMANAGER_RESEND_MS);
  return batch.alerts.map((a) => {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.labels)) if (v !== '') labels[k] = v;
    if (batch.test) labels.test = 'true';
    return {
      labels,
      annotations: a.annotations,
      startsAt: iso(a.firedAt ?? a.activeAt),
      endsAt: iso(a.resolvedAt ?? batch.at + ahead),
      ...(a.generatorURL ?? batch.externalURL ? { generatorURL: a.generatorURL ?? batch.externalURL } : {}),
    };
  });
}

export function createNotifier(config: CompiledNotifierConfig, deps: NotifierDeps = {}): Notifier {
  const post = (url: string, payload: unknown, signal?: AbortSignal) => postJson(url, payload, {
    timeoutMs: config.timeoutMs, retries: config.retries, headers: config.headers, fetch: deps.fetch, backoffMs: deps.backoffMs, signal,
  });
  const base = { name: config.name, type: config.type, config, target: config.url ? redactUrl(config.url) : undefined };
  switch (config.type) {
    case 'vscode':
      return {
        ...base,
        target: 'VS Code (event stream)',
        async deliver(batch) {
          if (!deps.broadcast) throw new DeliveryError('the runtime serves no event stream here', false);
          const counts = deps.counts?.() ?? { firing: 0, pending: 0 };
          const clients = deps.broadcast({ type: 'alert', seq: 0, at: batch.at, alerts: batch.alerts, notify: true, ...counts });
          if (clients === 0) throw new DeliveryError('no VS Code window is connected to the runtime\'s event stream', false);
        },
      };
    case 'slack':
      return {
        ...base,
        async deliver(batch, signal) {
          const text = await post(config.url!, slackPayload(batch, config), signal);
          // Slack answers 200 "ok"; anything else in a 200 is a problem worth showing.
          if (text.trim() !== '' && text.trim() !== 'ok') throw new DeliveryError(`unexpected answer: ${text.slice(0, 200)}`, false);
        },
      };
    case 'webhook':
      return { ...base, async deliver(batch, signal) { await post(config.url!, webhookPayload(batch, config.name), signal); } };
    case 'alertmanager': {
      const url = config.url!.replace(/\/+$/, '') + '/api/v2/alerts';
      return {
        ...base,
        target: redactUrl(url),
        resendMs: ALERTMANAGER_RESEND_MS,
        async deliver(batch, signal) { await post(url, alertmanagerPayload(batch, deps.evaluationIntervalMs ?? 15_000), signal); },
      };
    }
  }
}
