/**
 * The alert engine: every `interval` it evaluates each rule over the live views (evaluate.ts),
 * advances the state machine (state.ts), tells the event stream what changed and hands due
 * notifications to the dispatcher (dispatch.ts), which delivers them without holding evaluation up.
 * A rule whose evaluation fails keeps its alerts as they were and shows the error in /api/alerts.
 */
import path from 'node:path';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AlertEvent, AlertInstance, AlertRuleInfo, AlertsResponse, NotifierState } from '../../protocol/alerts';
import type { CodeLink } from '../../protocol/runtime';
import { Dispatcher } from './dispatch';
import { evaluateRule, ViewCache, type AlertInputs } from './evaluate';
import { createNotifier, type NotificationBatch, type Notifier } from './notifiers/index';
import type { PostFetch } from './notifiers/http';
import { describeRule, formatDuration, type AlertRule, type CompiledAlertsConfig } from './rules';
import { AlertStates, type Transition } from './state';

export interface AlertEngineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface AlertEngineOptions {
  config: CompiledAlertsConfig;
  inputs: AlertInputs;
  now?: () => number;
  logger?: AlertEngineLogger;
  /** Network notifiers POST through it (default global fetch). */
  fetch?: PostFetch;
  /** Sends an SSE `alert` event to every client; returns how many got it. */
  broadcast?: (event: AlertEvent) => number;
  /** The runtime's URL (Alertmanager's externalURL, the link of alerts without code). */
  externalUrl?: () => string | undefined;
  /** First retry backoff of the network notifiers (default 250 ms). */
  backoffMs?: number;
  /** How long the local store keeps samples: longer SLO windows are warned about. */
  retentionMs?: number;
  /** Notifiers to use instead of building them from the config (tests). */
  notifiers?: Notifier[];
}

interface RuleHealth { health: 'ok' | 'error' | 'unknown'; lastError?: string; lastEvaluatedAt?: number }

export interface EvaluationResult {
  at: number;
  transitions: Transition[];
  /** Rules whose evaluation failed, with the reason. */
  errors: { rule: string; error: string }[];
  /** Notification batches queued. */
  batches: number;
}

/**
 * Fills the code-link template: {path} absolute without its leading slash (`vscode://file/{path}`
 * works for /home/… and c:/… alike), {file} as in the inventory, {line}, {column}.
 */
export function renderCodeUrl(template: string, code: CodeLink, root: string | undefined): string {
  const abs = root ? path.resolve(root, code.file) : code.file;
  return template
    .replace(/\{path\}/g, encodeURI(abs.split(path.sep).join('/').replace(/^\/+/, '')))
    .replace(/\{file\}/g, encodeURI(code.file))
    .replace(/\{line\}/g, String(code.line))
    .replace(/\{column\}/g, String(code.column ?? 1));
}

export class AlertEngine {
  readonly config: CompiledAlertsConfig;
  private readonly states: AlertStates;
  private readonly dispatcher: Dispatcher;
  private readonly health = new Map<string, RuleHealth>();
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<EvaluationResult> | undefined;
  private evaluatedAt: number | undefined;
  private seq = 0;
  private closed = false;
  private readonly notified = { ok: new Map<string, number>(), error: new Map<string, number>() };
  private readonly ruleFailures = new Map<string, number>();
  private readonly loggedErrors = new Map<string, string>();

  constructor(private readonly options: AlertEngineOptions) {
    this.config = options.config;
    this.now = options.now ?? Date.now;
    const root = options.inputs.inventory?.root;
    this.states = new AlertStates({
      resolvedRetentionMs: this.config.resolvedRetentionMs,
      generatorURL: (a) => (a.code ? renderCodeUrl(this.config.codeUrl, a.code, root) : this.dashboardUrl()),
    });
    const notifiers = options.notifiers ?? this.config.notifiers.map((n) => createNotifier(n, {
      fetch: options.fetch, backoffMs: options.backoffMs, evaluationIntervalMs: this.config.intervalMs,
      broadcast: options.broadcast ? (ev) => options.broadcast!({ ...ev, seq: ++this.seq }) : undefined,
      counts: () => ({ firing: this.states.firing().length, pending: this.states.pending().length }),
    }));
    const byRule = new Map(this.config.rules.map((r) => [r.name, r.notifiers]));
    this.dispatcher = new Dispatcher(notifiers, {
      repeatIntervalMs: this.config.repeatIntervalMs,
      notifiersOf: (rule) => byRule.get(rule),
      logger: options.logger,
      now: this.now,
      onResult: (name, ok) => { const m = ok ? this.notified.ok : this.notified.error; m.set(name, (m.get(name) ?? 0) + 1); },
    });
    for (const r of this.config.rules) this.health.set(r.name, { health: 'unknown' });
    if (options.retentionMs !== undefined && options.inputs.source?.kind !== 'prometheus') {
      for (const r of this.config.rules) {
        const longest = r.kind === 'slo' ? Math.max(...r.windows.map((w) => w.longMs)) : r.windowMs ?? 0;
        if (longest > options.retentionMs) {
          options.logger?.warn({ rule: r.name }, `alert rule ${r.name}: its ${formatDuration(longest)} window is longer than runtime.retention (${formatDuration(options.retentionMs)}); it is computed over the samples kept (raise runtime.retention or shorten the window)`);
        }
      }
    }
  }

  get enabled(): boolean { return this.config.enabled && this.config.rules.length > 0; }

  private dashboardUrl(): string | undefined {
    const u = this.options.externalUrl?.();
    return u ? `${u}/#alerts` : undefined;
  }

  /** Starts evaluating every interval (no-op without rules). */
  start(): void {
    if (!this.enabled || this.timer || this.closed) return;
    this.timer = setInterval(() => { void this.evaluate(); }, this.config.intervalMs);
    this.timer.unref();
  }

  /** One evaluation of every rule; concurrent calls share the running one. Never throws. */
  evaluate(): Promise<EvaluationResult> {
    this.running ??= this.evaluateOnce().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async evaluateOnce(): Promise<EvaluationResult> {
    const at = this.now();
    const result: EvaluationResult = { at, transitions: [], errors: [], batches: 0 };
    if (!this.enabled) return result;
    const cache = new ViewCache(this.options.inputs, at);
    const outcomes = await Promise.all(this.config.rules.map((rule) => evaluateRule(rule, this.options.inputs, cache).then(
      (samples) => ({ rule, samples, error: undefined as string | undefined }),
      (err: unknown) => ({ rule, samples: [], error: (err as Error)?.message ?? String(err) }),
    )));
    for (const { rule, samples, error } of outcomes) {
      if (error !== undefined) {
        this.health.set(rule.name, { health: 'error', lastError: error, lastEvaluatedAt: at });
        this.ruleFailures.set(rule.name, (this.ruleFailures.get(rule.name) ?? 0) + 1);
        result.errors.push({ rule: rule.name, error });
        if (this.loggedErrors.get(rule.name) !== error) this.options.logger?.warn({ rule: rule.name, err: error }, `alert rule ${rule.name} could not be evaluated`);
        this.loggedErrors.set(rule.name, error);
        continue;
      }
      this.loggedErrors.delete(rule.name);
      this.health.set(rule.name, { health: 'ok', lastEvaluatedAt: at });
      result.transitions.push(...this.states.apply(rule, samples, at));
    }
    this.states.prune(at);
    this.evaluatedAt = at;
    for (const t of result.transitions) {
      if (t.to === 'firing' || t.to === 'resolved') {
        this.options.logger?.info({ rule: t.alert.rule, labels: t.alert.labels, value: t.alert.value }, `alert ${t.to}: ${t.alert.annotations.summary ?? t.alert.rule}`);
      }
    }
    const changed = result.transitions.filter((t) => t.to !== 'inactive').map((t) => ({ ...t.alert }));
    if (result.transitions.length && this.options.broadcast) {
      this.options.broadcast({
        type: 'alert', seq: ++this.seq, at, alerts: changed, notify: false,
        firing: this.states.firing().length, pending: this.states.pending().length,
      });
    }
    if (!this.closed) result.batches = this.dispatcher.dispatch(at, this.states.firing(), this.states.resolved(), this.options.externalUrl?.());
    return result;
  }

  /** Resolves when no evaluation runs and every notification queue is empty. */
  async idle(): Promise<void> {
    if (this.running) await this.running;
    await this.dispatcher.idle();
  }

  rules(): AlertRuleInfo[] {
    const firing = this.states.firing(), pending = this.states.pending();
    return this.config.rules.map((r: AlertRule) => {
      const h = this.health.get(r.name) ?? { health: 'unknown' as const };
      return {
        name: r.name, kind: r.kind, severity: r.severity, expression: describeRule(r), forSeconds: r.forMs / 1000, builtin: r.builtin,
        health: h.health, ...(h.lastError ? { lastError: h.lastError } : {}), ...(h.lastEvaluatedAt !== undefined ? { lastEvaluatedAt: h.lastEvaluatedAt } : {}),
        firing: firing.filter((a) => a.rule === r.name).length,
        pending: pending.filter((a) => a.rule === r.name).length,
        notifiers: r.notifiers ?? this.config.notifiers.map((n) => n.name),
      };
    });
  }

  notifierStates(): NotifierState[] { return this.dispatcher.states(); }

  firing(): AlertInstance[] { return this.states.firing(); }

  /** `/api/alerts`. */
  response(): AlertsResponse {
    const bySeverity = (a: AlertInstance, b: AlertInstance) => (b.firedAt ?? b.activeAt) - (a.firedAt ?? a.activeAt) || a.rule.localeCompare(b.rule);
    return {
      enabled: this.enabled,
      ...(this.evaluatedAt !== undefined ? { evaluatedAt: this.evaluatedAt } : {}),
      intervalSeconds: this.config.intervalMs / 1000,
      firing: this.states.firing().sort(bySeverity),
      pending: this.states.pending().sort(bySeverity),
      resolved: this.states.resolved(),
      rules: this.rules(),
      notifiers: this.notifierStates(),
    };
  }

  /** Sends a test notification (a synthetic firing alert) through the named notifiers (all when none). */
  test(names?: readonly string[]): Promise<{ name: string; error?: string }[]> {
    const at = this.now();
    const alert: AlertInstance = {
      fingerprint: 'test', rule: 'TelltaleTestAlert', status: 'firing', severity: 'info',
      labels: { alertname: 'TelltaleTestAlert', severity: 'info' },
      annotations: { summary: 'Test notification from Telltale: this notifier works', description: 'Sent by `telltale alert test`; no rule fired.' },
      value: null, activeAt: at, firedAt: at, lastEvaluatedAt: at,
    };
    const url = this.dashboardUrl();
    if (url) alert.generatorURL = url;
    const batch: NotificationBatch = { at, alerts: [alert], externalURL: this.options.externalUrl?.() };
    return this.dispatcher.test(batch, names);
  }

  /** Our own metrics on the runtime's registry. */
  registerMetrics(registry: Registry): void {
    // prom-client's collect() runs with the metric as `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({ name: 'telltale_alerts_firing', help: 'Firing alerts per rule.', labelNames: ['rule'], registers: [registry], collect() {
      this.reset();
      const firing = self.states.firing();
      for (const r of self.config.rules) this.set({ rule: r.name }, firing.filter((a) => a.rule === r.name).length);
    } });
    new Gauge({ name: 'telltale_alerts_pending', help: 'Pending alerts (condition true, waiting for `for`) per rule.', labelNames: ['rule'], registers: [registry], collect() {
      this.reset();
      const pending = self.states.pending();
      for (const r of self.config.rules) this.set({ rule: r.name }, pending.filter((a) => a.rule === r.name).length);
    } });
    new Counter({ name: 'telltale_alert_notifications_total', help: 'Notification deliveries per notifier and result.', labelNames: ['notifier', 'result'], registers: [registry], collect() {
      this.reset();
      for (const n of self.config.notifiers) {
        this.inc({ notifier: n.name, result: 'ok' }, self.notified.ok.get(n.name) ?? 0);
        this.inc({ notifier: n.name, result: 'error' }, self.notified.error.get(n.name) ?? 0);
      }
    } });
    new Counter({ name: 'telltale_alert_rule_evaluation_failures_total', help: 'Failed evaluations per rule.', labelNames: ['rule'], registers: [registry], collect() {
      this.reset();
      for (const r of self.config.rules) this.inc({ rule: r.name }, self.ruleFailures.get(r.name) ?? 0);
    } });
  }

  /** Stops the timer, aborts notification retries and waits for requests in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.running) await this.running.catch(() => undefined);
    await this.dispatcher.close();
  }
}
