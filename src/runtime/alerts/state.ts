/**
 * The alert state machine, pure (the time is an argument): per alert instance (a rule applied to
 * one subject, identified by the fingerprint of its labels)
 *
 *   inactive ──condition──▶ pending ──held for `for`──▶ firing ──condition gone──▶ resolved
 *       ▲                      │ condition gone                                       │
 *       └──────────────────────┘ (dropped, as in Prometheus)      condition again ──▶ pending
 *
 * `for: 0` goes straight to firing. A subject that disappears from the views counts as "condition
 * gone". Resolved instances are kept (newest first) for `resolvedRetentionMs`, at most `maxResolved`.
 */
import crypto from 'node:crypto';
import type { AlertInstance } from '../../protocol/alerts';
import type { Labels } from '../../protocol/runtime';
import type { AlertSample } from './evaluate';
import { formatDuration, type AlertRule } from './rules';

/** A stable id of a label set (sorted name=value pairs, hashed), like Alertmanager's fingerprint. */
export function fingerprint(labels: Labels): string {
  const text = Object.keys(labels).sort().map((k) => `${k}\u0000${labels[k]}`).join('\u0001');
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function instanceLabels(rule: AlertRule, sample: AlertSample): Labels {
  const out: Labels = { alertname: rule.name, severity: rule.severity };
  for (const [k, v] of Object.entries(sample.subject)) if (v !== '') out[k] = v;
  if (rule.kind === 'slo') out.sli = rule.sli;
  for (const [k, v] of Object.entries(rule.labels)) out[k] = v;
  return out;
}

const isRatio = (rule: AlertRule): boolean => rule.kind === 'threshold' && (rule.view === 'route.errorRatio' || rule.view === 'drift.share');
const isSeconds = (rule: AlertRule): boolean => rule.kind === 'threshold' && ['route.p95', 'route.p99', 'job.lastSuccessAge'].includes(rule.view);

/** A value as people read it: 12.5%, 340ms, 2h5m, 3.2 req/s, 14.4×. */
export function formatValue(rule: AlertRule, v: number | null): string {
  if (v === null) return 'n/a';
  const sig = (x: number): string => String(Number(x.toPrecision(3)));
  if (rule.kind === 'slo') return `${sig(v)}×`;
  if (isRatio(rule)) return `${sig(v * 100)}%`;
  if (isSeconds(rule)) return v < 1 ? `${sig(v * 1000)}ms` : v < 120 ? `${sig(v)}s` : formatDuration(Math.round(v) * 1000);
  if (rule.view === 'route.rate') return `${sig(v)} req/s`;
  return sig(v);
}

function subjectText(labels: Labels): string {
  if (labels.route !== undefined) return `${labels.method ?? ''} ${labels.route}`.trim();
  return labels.job ?? labels.dataset ?? labels.target ?? labels.slo ?? '';
}

/** The default summary and description, then the rule's own annotations with `{{ $value }}` / `{{ $labels.x }}` filled in. */
export function renderAnnotations(rule: AlertRule, labels: Labels, sample: AlertSample): Record<string, string> {
  const value = formatValue(rule, sample.value);
  const subject = subjectText(labels);
  const out: Record<string, string> = {};
  if (rule.kind === 'threshold') {
    out.summary = rule.view === 'target.down'
      ? `Target ${subject} is down`
      : `${rule.view} of ${subject} is ${value} (${rule.op} ${formatValue(rule, rule.threshold)})`;
    out.description = `${rule.name}: ${rule.view} ${rule.op} ${rule.threshold}${rule.windowMs ? ` over ${formatDuration(rule.windowMs)}` : ''}${rule.forMs ? ` for ${formatDuration(rule.forMs)}` : ''}.${sample.note ? ` ${sample.note}.` : ''}`;
  } else {
    const budget = 1 - rule.objective;
    const what = rule.sli === 'availability' ? 'availability' : `latency ≤ ${rule.latencyThreshold}s`;
    out.summary = `${subject}: ${what} SLO ${+(rule.objective * 100).toFixed(6)}% burning its error budget ${value} as fast as allowed`;
    out.description = (sample.burnRates ?? []).map((w) =>
      `${formatDuration(w.longSeconds * 1000)}/${formatDuration(w.shortSeconds * 1000)}: burn rate ${w.longBurnRate === null ? 'n/a' : w.longBurnRate.toFixed(2)}/${w.shortBurnRate === null ? 'n/a' : w.shortBurnRate.toFixed(2)} (limit ${w.factor}×${w.firing ? ', firing' : ''})`,
    ).join('; ') + `. Error budget ${+(budget * 100).toFixed(6)}% of requests.`;
  }
  if (sample.code) out.code = `${sample.code.file}:${sample.code.line}`;
  for (const [k, v] of Object.entries(rule.annotations)) {
    out[k] = v.replace(/\{\{\s*\$value\s*\}\}/g, value).replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_m, l: string) => labels[l] ?? '');
  }
  return out;
}

export interface StateOptions {
  resolvedRetentionMs: number;
  maxResolved?: number;
  /** The link notifications carry for an instance (code link or the dashboard). */
  generatorURL?: (a: { code?: AlertInstance['code']; labels: Labels }) => string | undefined;
}

/** The changes one `apply` made. */
export interface Transition { alert: AlertInstance; from: 'inactive' | 'pending' | 'firing'; to: 'pending' | 'firing' | 'resolved' | 'inactive' }

export class AlertStates {
  private readonly active = new Map<string, AlertInstance>();
  private resolvedList: AlertInstance[] = [];
  private readonly maxResolved: number;

  constructor(private readonly options: StateOptions) {
    this.maxResolved = options.maxResolved ?? 200;
  }

  /** Applies one successful evaluation of `rule`; returns the transitions. */
  apply(rule: AlertRule, samples: readonly AlertSample[], at: number): Transition[] {
    const changes: Transition[] = [];
    const seen = new Set<string>();
    for (const sample of samples) {
      if (!sample.active) continue;
      const labels = instanceLabels(rule, sample);
      const fp = fingerprint(labels);
      if (seen.has(fp)) continue;
      seen.add(fp);
      const annotations = renderAnnotations(rule, labels, sample);
      let a = this.active.get(fp);
      if (!a) {
        a = {
          fingerprint: fp, rule: rule.name, status: 'pending', severity: rule.severity, labels, annotations,
          value: sample.value, activeAt: at, lastEvaluatedAt: at,
          ...(sample.code ? { code: sample.code } : {}),
          ...(sample.burnRates ? { burnRates: sample.burnRates } : {}),
        };
        const url = this.options.generatorURL?.(a);
        if (url) a.generatorURL = url;
        this.active.set(fp, a);
        changes.push({ alert: a, from: 'inactive', to: 'pending' });
      } else {
        a.value = sample.value;
        a.annotations = annotations;
        a.lastEvaluatedAt = at;
        if (sample.burnRates) a.burnRates = sample.burnRates;
      }
      if (a.status === 'pending' && at - a.activeAt >= rule.forMs) {
        a.status = 'firing';
        a.firedAt = at;
        const last = changes[changes.length - 1];
        if (last?.alert === a) last.to = 'firing';
        else changes.push({ alert: a, from: 'pending', to: 'firing' });
      }
    }
    for (const [fp, a] of this.active) {
      if (a.rule !== rule.name || seen.has(fp)) continue;
      this.active.delete(fp);
      if (a.status === 'pending') {
        changes.push({ alert: a, from: 'pending', to: 'inactive' });
        continue;
      }
      const resolved: AlertInstance = { ...a, status: 'resolved', resolvedAt: at, lastEvaluatedAt: at };
      this.resolvedList.unshift(resolved);
      changes.push({ alert: resolved, from: 'firing', to: 'resolved' });
    }
    this.prune(at);
    return changes;
  }

  /** Drops the instances of rules that no longer exist. */
  retainRules(names: ReadonlySet<string>): void {
    for (const [fp, a] of this.active) if (!names.has(a.rule)) this.active.delete(fp);
  }

  prune(at: number): void {
    const min = at - this.options.resolvedRetentionMs;
    this.resolvedList = this.resolvedList.filter((a) => (a.resolvedAt ?? at) >= min).slice(0, this.maxResolved);
  }

  firing(): AlertInstance[] { return [...this.active.values()].filter((a) => a.status === 'firing'); }
  pending(): AlertInstance[] { return [...this.active.values()].filter((a) => a.status === 'pending'); }
  resolved(): AlertInstance[] { return [...this.resolvedList]; }
  get(fp: string): AlertInstance | undefined { return this.active.get(fp); }
}
