/**
 * The alert rule model: the `alerts` config section (src/config/sections/alerts.ts) compiled into
 * rules with durations in ms, defaults applied and every cross-reference checked. Bad input is an
 * AlertsConfigError naming the key (`rules[2].objective: …`), never a crash at evaluation time.
 */
import type { AlertOp, AlertSeverity, AlertView } from '../../protocol/alerts';
import type {
  AlertMatchConfig, AlertRuleConfig, AlertsSectionConfig, NotifierConfig, NotifierTypeName,
} from '../../config/sections/alerts';

export class AlertsConfigError extends Error {
  override name = 'AlertsConfigError';
  constructor(readonly key: string, readonly detail: string) { super(`alerts.${key}: ${detail}`); }
}

/** `90`, `"90s"`, `"5m"`, `"1h"`, `"1d"`, `"500ms"` → ms; 0 allowed when `allowZero`. */
export function parseDuration(v: number | string, key: string, allowZero = false): number {
  let ms: number | undefined;
  if (typeof v === 'number') ms = Number.isFinite(v) ? v * 1000 : undefined;
  else {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
    if (m) ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's']!;
  }
  if (ms === undefined || ms < 0 || (!allowZero && ms === 0)) {
    throw new AlertsConfigError(key, `'${v}' is not a ${allowZero ? '' : 'positive '}duration (seconds, or "30s", "5m", "1h", "1d")`);
  }
  return Math.round(ms);
}

/** A duration the way Prometheus writes it (`5m`, `1h30m`, `90s`, `1500ms`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let s = ms / 1000;
  let out = '';
  for (const [unit, n] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= n) { out += `${Math.floor(s / n)}${unit}`; s %= n; }
  }
  return out;
}

/** A glob (`*` = any characters) as a fully anchored RegExp source. */
export function globToRegex(glob: string): string {
  return glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
}

export interface SubjectMatcher {
  /** The configured globs, by field. */
  readonly globs: Readonly<AlertMatchConfig>;
  test(field: keyof AlertMatchConfig, value: string | undefined): boolean;
}

export function compileMatch(match: AlertMatchConfig | undefined): SubjectMatcher {
  const globs = { ...(match ?? {}) };
  const res = new Map<string, RegExp>();
  for (const [k, g] of Object.entries(globs)) if (g !== undefined) res.set(k, new RegExp(`^(?:${globToRegex(g)})$`, k === 'method' ? 'i' : ''));
  return {
    globs,
    test(field, value) {
      const re = res.get(field);
      return !re || re.test(value ?? '');
    },
  };
}

export const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 4, page: 4, warning: 2, ticket: 2, info: 1 };

interface RuleBase {
  name: string;
  severity: AlertSeverity;
  forMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  match: SubjectMatcher;
  /** Notifier names; undefined = all. */
  notifiers?: string[];
  builtin: boolean;
}

export interface ThresholdRule extends RuleBase {
  kind: 'threshold';
  view: AlertView;
  op: AlertOp;
  threshold: number;
  /** Window of the view; undefined = the runtime's default window for that view. */
  windowMs?: number;
  minRequests: number;
}

export interface BurnRateWindow { longMs: number; shortMs: number; factor: number }

export interface SloRule extends RuleBase {
  kind: 'slo';
  sli: 'availability' | 'latency';
  objective: number;
  /** latency SLI: seconds (a bucket boundary). */
  latencyThreshold?: number;
  aggregate: boolean;
  windows: BurnRateWindow[];
  minRequests: number;
}

export type AlertRule = ThresholdRule | SloRule;

export interface CompiledNotifierConfig {
  name: string;
  type: NotifierTypeName;
  url?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  sendResolved: boolean;
  channel?: string;
  username?: string;
  minSeverity?: AlertSeverity;
}

export interface CompiledAlertsConfig {
  enabled: boolean;
  intervalMs: number;
  repeatIntervalMs: number;
  resolvedRetentionMs: number;
  codeUrl: string;
  rules: AlertRule[];
  notifiers: CompiledNotifierConfig[];
}

/** The multiwindow, multi-burn-rate pairs of the Google SRE workbook (ch. 5, "page" alerts). */
export const DEFAULT_BURN_RATE_WINDOWS: BurnRateWindow[] = [
  { longMs: 3_600_000, shortMs: 300_000, factor: 14.4 },
  { longMs: 21_600_000, shortMs: 1_800_000, factor: 6 },
];

export const DEFAULT_CODE_URL = 'vscode://file/{path}:{line}:{column}';

/** The rules `alerts.defaults: true` adds (a configured rule of the same name replaces one). */
export const DEFAULT_RULES: AlertRuleConfig[] = [
  {
    name: 'RouteHighErrorRatio', view: 'route.errorRatio', op: '>', threshold: 0.05, window: '5m', for: '2m', minRequests: 10, severity: 'warning',
    annotations: { summary: '{{ $labels.method }} {{ $labels.route }}: {{ $value }} of requests fail with 5xx (over 5%)' },
  },
  {
    name: 'RouteSlowP95', view: 'route.p95', op: '>', threshold: 1, window: '5m', for: '5m', minRequests: 10, severity: 'warning',
    annotations: { summary: '{{ $labels.method }} {{ $labels.route }}: p95 latency {{ $value }} (over 1s)' },
  },
  {
    name: 'JobRunsFailing', view: 'job.errors', op: '>', threshold: 0, window: '1h', severity: 'warning',
    annotations: { summary: 'Job {{ $labels.job }}: {{ $value }} failed runs in the last hour' },
  },
  {
    name: 'TargetDown', view: 'target.down', for: '1m', severity: 'critical',
    annotations: { summary: 'Target {{ $labels.target }} cannot be scraped' },
  },
  {
    name: 'DatasetDrifted', view: 'drift.share', op: '>=', threshold: 0.5, severity: 'warning',
    annotations: { summary: 'Dataset {{ $labels.dataset }}: {{ $value }} of the columns drifted' },
  },
];

const ROUTE_VIEWS = new Set<AlertView>(['route.errorRatio', 'route.p95', 'route.p99', 'route.rate']);
const THRESHOLD_ONLY = ['view', 'op', 'threshold', 'window'] as const;
const SLO_ONLY = ['sli', 'objective', 'latencyThreshold', 'aggregate', 'windows'] as const;
/** Which match fields make sense per view. */
function matchFieldsOf(rule: { kind: 'threshold'; view: AlertView } | { kind: 'slo' }): (keyof AlertMatchConfig)[] {
  if (rule.kind === 'slo' || ROUTE_VIEWS.has(rule.view)) return ['route', 'method'];
  if (rule.view.startsWith('job.')) return ['job'];
  if (rule.view === 'drift.share') return ['dataset'];
  return ['target'];
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Replaces `${env:NAME}` by the variable; a missing one is a config error. */
export function expandEnv(s: string, env: Readonly<Record<string, string | undefined>>, key: string): string {
  return s.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') throw new AlertsConfigError(key, `environment variable ${name} is not set`);
    return v;
  });
}

function compileRule(r: AlertRuleConfig, key: string, builtin: boolean): AlertRule {
  const kind = r.kind ?? (r.objective !== undefined || r.sli !== undefined ? 'slo' : 'threshold');
  const foreign = kind === 'slo' ? THRESHOLD_ONLY : SLO_ONLY;
  for (const k of foreign) if (r[k] !== undefined) throw new AlertsConfigError(`${key}.${k}`, `not a key of ${kind} rules`);
  for (const [k] of Object.entries(r.labels ?? {})) {
    if (!LABEL_NAME.test(k)) throw new AlertsConfigError(`${key}.labels.${k}`, 'not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    if (['alertname', 'severity'].includes(k)) throw new AlertsConfigError(`${key}.labels.${k}`, `set by the rule (use the rule's ${k === 'alertname' ? 'name' : 'severity'})`);
  }
  const base = {
    name: r.name,
    severity: r.severity ?? (kind === 'slo' ? 'page' : 'warning'),
    forMs: r.for !== undefined ? parseDuration(r.for, `${key}.for`, true) : 0,
    labels: { ...(r.labels ?? {}) },
    annotations: { ...(r.annotations ?? {}) },
    match: compileMatch(r.match),
    notifiers: r.notifiers,
    builtin,
  } satisfies Partial<RuleBase>;
  const minRequests = r.minRequests ?? 0;
  let rule: AlertRule;
  if (kind === 'threshold') {
    if (!r.view) throw new AlertsConfigError(`${key}.view`, 'a threshold rule needs `view` (e.g. "route.errorRatio")');
    if (r.threshold === undefined && r.view !== 'target.down') throw new AlertsConfigError(`${key}.threshold`, `a threshold rule on ${r.view} needs \`threshold\``);
    if (r.minRequests !== undefined && !ROUTE_VIEWS.has(r.view)) throw new AlertsConfigError(`${key}.minRequests`, `only route views count requests, not ${r.view}`);
    if (r.window !== undefined && (r.view === 'drift.share' || r.view === 'target.down')) throw new AlertsConfigError(`${key}.window`, `${r.view} has no window`);
    rule = {
      ...base, kind, view: r.view, op: r.op ?? '>', threshold: r.threshold ?? 0,
      windowMs: r.window !== undefined ? parseDuration(r.window, `${key}.window`) : undefined, minRequests,
    };
  } else {
    if (r.objective === undefined) throw new AlertsConfigError(`${key}.objective`, 'an slo rule needs `objective` (e.g. 0.999)');
    const sli = r.sli ?? 'availability';
    if (sli === 'latency' && r.latencyThreshold === undefined) throw new AlertsConfigError(`${key}.latencyThreshold`, 'a latency SLO needs `latencyThreshold` (seconds, a bucket boundary)');
    if (sli === 'availability' && r.latencyThreshold !== undefined) throw new AlertsConfigError(`${key}.latencyThreshold`, 'only latency SLOs have a latency threshold');
    const windows = r.windows
      ? r.windows.map((w, i) => {
        const k = `${key}.windows[${i}]`;
        const longMs = parseDuration(w.long, `${k}.long`), shortMs = parseDuration(w.short, `${k}.short`);
        if (shortMs >= longMs) throw new AlertsConfigError(`${k}.short`, `the short window (${formatDuration(shortMs)}) must be shorter than the long one (${formatDuration(longMs)})`);
        return { longMs, shortMs, factor: w.burnRate };
      })
      : DEFAULT_BURN_RATE_WINDOWS.map((w) => ({ ...w }));
    for (const [i, w] of windows.entries()) {
      // A factor above 1/(1-objective) can never be reached: the bad ratio cannot exceed 1.
      if (w.factor * (1 - r.objective) > 1) {
        throw new AlertsConfigError(`${key}.windows[${i}].burnRate`, `${w.factor}× a ${+((1 - r.objective) * 100).toPrecision(6)}% error budget is over 100% errors; this alert could never fire`);
      }
    }
    rule = { ...base, kind, sli, objective: r.objective, latencyThreshold: r.latencyThreshold, aggregate: r.aggregate ?? false, windows, minRequests };
  }
  const fields = matchFieldsOf(rule);
  for (const f of Object.keys(rule.match.globs) as (keyof AlertMatchConfig)[]) {
    if (!fields.includes(f)) throw new AlertsConfigError(`${key}.match.${f}`, `${rule.kind === 'slo' ? 'slo rules' : rule.view} can match ${fields.join(', ')} only`);
  }
  return rule;
}

function compileNotifier(n: NotifierConfig, key: string, env: Readonly<Record<string, string | undefined>>): CompiledNotifierConfig {
  const name = n.name ?? n.type;
  let url: string | undefined;
  if (n.type === 'vscode') {
    for (const k of ['url', 'headers', 'channel', 'username', 'retries', 'timeout'] as const) {
      if (n[k] !== undefined) throw new AlertsConfigError(`${key}.${k}`, 'not a key of vscode notifiers (they notify through the runtime\'s event stream)');
    }
  } else {
    if (!n.url) throw new AlertsConfigError(`${key}.url`, `a ${n.type} notifier needs \`url\``);
    url = expandEnv(n.url, env, `${key}.url`);
    let u: URL;
    try { u = new URL(url); } catch { throw new AlertsConfigError(`${key}.url`, `'${n.url}' is not a URL`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AlertsConfigError(`${key}.url`, `'${n.url}' must be http(s)`);
    if (n.type !== 'slack') for (const k of ['channel', 'username'] as const) if (n[k] !== undefined) throw new AlertsConfigError(`${key}.${k}`, 'only slack notifiers have it');
    if (n.type === 'slack' && n.headers) throw new AlertsConfigError(`${key}.headers`, 'slack incoming webhooks take no headers (the secret is the URL)');
  }
  const headers: Record<string, string> = {};
  for (const [h, v] of Object.entries(n.headers ?? {})) headers[h] = expandEnv(v, env, `${key}.headers.${h}`);
  return {
    name, type: n.type, url, headers,
    timeoutMs: n.timeout !== undefined ? parseDuration(n.timeout, `${key}.timeout`) : 5000,
    retries: n.type === 'vscode' ? 0 : n.retries ?? 3,
    sendResolved: n.sendResolved ?? true,
    channel: n.channel, username: n.username, minSeverity: n.minSeverity,
  };
}

/** Compiles the `alerts` section; throws AlertsConfigError naming the key. */
export function compileAlertsConfig(section: AlertsSectionConfig | undefined, env: Readonly<Record<string, string | undefined>> = process.env): CompiledAlertsConfig {
  const s = section ?? {};
  const notifiers = (s.notifiers ?? [{ type: 'vscode' as const }]).map((n, i) => compileNotifier(n, `notifiers[${i}]`, env));
  const names = new Set<string>();
  notifiers.forEach((n, i) => {
    if (names.has(n.name)) throw new AlertsConfigError(`notifiers[${i}].name`, `a second notifier named '${n.name}' (give each a distinct name)`);
    names.add(n.name);
  });
  const configured = (s.rules ?? []).map((r, i) => {
    const rule = compileRule(r, `rules[${i}]`, false);
    (r.notifiers ?? []).forEach((n, j) => {
      if (!names.has(n)) throw new AlertsConfigError(`rules[${i}].notifiers[${j}]`, `no notifier named '${n}' (notifiers: ${[...names].join(', ') || 'none'})`);
    });
    return rule;
  });
  const seen = new Set<string>();
  configured.forEach((r, i) => {
    if (seen.has(r.name)) throw new AlertsConfigError(`rules[${i}].name`, `a second rule named '${r.name}'`);
    seen.add(r.name);
  });
  const defaults = s.defaults ? DEFAULT_RULES.filter((d) => !seen.has(d.name)).map((d, i) => compileRule(d, `defaults[${i}]`, true)) : [];
  return {
    enabled: s.enabled ?? true,
    intervalMs: s.interval !== undefined ? parseDuration(s.interval, 'interval') : 15_000,
    repeatIntervalMs: s.repeatInterval !== undefined ? parseDuration(s.repeatInterval, 'repeatInterval') : 4 * 3_600_000,
    resolvedRetentionMs: s.resolvedRetention !== undefined ? parseDuration(s.resolvedRetention, 'resolvedRetention', true) : 3_600_000,
    codeUrl: s.codeUrl ?? DEFAULT_CODE_URL,
    rules: [...configured, ...defaults],
    notifiers,
  };
}

/** A human-readable line for a rule (dashboard, CLI). */
export function describeRule(rule: AlertRule): string {
  const match = Object.entries(rule.match.globs).map(([k, v]) => `${k}=${v}`).join(',');
  const where = match ? `{${match}}` : '';
  const forText = rule.forMs ? ` for ${formatDuration(rule.forMs)}` : '';
  if (rule.kind === 'threshold') {
    const over = rule.windowMs ? ` over ${formatDuration(rule.windowMs)}` : '';
    const cond = rule.view === 'target.down' && rule.op === '>' && rule.threshold === 0 ? 'target.down' : `${rule.view} ${rule.op} ${rule.threshold}`;
    return `${cond.replace(rule.view, rule.view + where)}${over}${forText}`;
  }
  const what = rule.sli === 'availability' ? 'availability' : `latency ≤ ${rule.latencyThreshold}s`;
  const pairs = rule.windows.map((w) => `${formatDuration(w.longMs)}/${formatDuration(w.shortMs)} ×${w.factor}`).join(', ');
  return `${what}${where} ${+(rule.objective * 100).toFixed(6)}% (${pairs})${forText}`;
}
