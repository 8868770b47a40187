/**
 * The same alert rules as a Prometheus rule file (alerting + recording rules, YAML), for users who
 * move to a real Prometheus: thresholds become PromQL over the metrics the views read, SLO rules
 * become one recording rule per burn-rate window (the bad-event ratio) and one multiwindow,
 * multi-burn-rate alert (Google SRE workbook, ch. 5). Pure: rules in, text out.
 *
 * The metric and label names are the ones the runtime found (or prom-client's usual ones).
 * Strings are written as JSON strings, which YAML reads as double-quoted scalars.
 */
import type { RouteMetricNames } from './evaluate';
import { formatDuration, globToRegex, type AlertRule, type SloRule, type ThresholdRule } from './rules';

export interface PrometheusRulesOptions {
  /** Request metrics (default prom-client's: http_requests_total{route,method,status_code}, http_request_duration_seconds). */
  metrics?: Partial<RouteMetricNames>;
  /** Job metrics (default job_runs_total{job,status}). */
  jobRuns?: string;
  jobLabel?: string;
  jobStatusLabel?: string;
  /** Statuses that count as success (regex; default the runtime's). */
  jobOkStatuses?: string;
  /** Window of threshold rules that set none (default 5m; Prometheus scrapes less often than the runtime). */
  defaultWindowMs?: number;
  /** Window of job rules that set none (default 1h). */
  defaultJobWindowMs?: number;
  /** Rule group name prefix (default "telltale"). */
  group?: string;
  /** Evaluation interval of the groups (default: Prometheus' global one). */
  intervalMs?: number;
}

export interface RenderedRules {
  yaml: string;
  /** Rules that have no PromQL equivalent, with the reason (also written as comments). */
  skipped: { rule: string; reason: string }[];
}

const q = (s: string): string => JSON.stringify(s);
const OK_STATUSES = 'ok|success|succeeded|successful|completed|complete|done|passed';
const RECORD_PREFIX = 'telltale:slo_bad_ratio:rate';

interface Names {
  requests: string; routeLabel: string; methodLabel?: string; statusLabel: string;
  histogram: string; hRoute: string; hMethod?: string;
  jobRuns: string; jobLabel: string; jobStatusLabel: string; jobOk: string;
}

function namesOf(o: PrometheusRulesOptions): Names {
  const m = o.metrics ?? {};
  return {
    requests: m.requests ?? 'http_requests_total',
    routeLabel: m.routeLabel ?? 'route',
    methodLabel: m.methodLabel ?? (m.requests ? undefined : 'method'),
    statusLabel: m.statusLabel ?? 'status_code',
    histogram: m.histogram ?? 'http_request_duration_seconds',
    hRoute: m.histogramRouteLabel ?? m.routeLabel ?? 'route',
    hMethod: m.histogramMethodLabel ?? m.methodLabel ?? (m.histogram ? undefined : 'method'),
    jobRuns: o.jobRuns ?? 'job_runs_total',
    jobLabel: o.jobLabel ?? 'job',
    jobStatusLabel: o.jobStatusLabel ?? 'status',
    jobOk: o.jobOkStatuses ?? OK_STATUSES,
  };
}

/** `{a=~"…",b="…"}` from matchers; empty string when none. */
function selector(matchers: string[]): string {
  return matchers.length ? `{${matchers.join(',')}}` : '';
}

function globMatcher(label: string | undefined, glob: string | undefined, caseInsensitive = false): string[] {
  if (!label || glob === undefined) return [];
  const re = globToRegex(glob);
  return [`${label}=~${q(caseInsensitive ? `(?i)${re}` : re)}`];
}

const range = (ms: number): string => `[${formatDuration(ms)}]`;
const by = (labels: (string | undefined)[]): string => `by (${labels.filter(Boolean).join(', ')})`;

function routeMatchers(rule: AlertRule, route: string, method: string | undefined): string[] {
  return [...globMatcher(route, rule.match.globs.route), ...globMatcher(method, rule.match.globs.method, true)];
}

function thresholdExpr(rule: ThresholdRule, n: Names, o: PrometheusRulesOptions): string | { skip: string } {
  const w = rule.windowMs ?? o.defaultWindowMs ?? 300_000;
  const jw = rule.windowMs ?? o.defaultJobWindowMs ?? 3_600_000;
  const cmp = `${rule.op} ${rule.threshold}`;
  const rBy = by([n.routeLabel, n.methodLabel]);
  const rm = routeMatchers(rule, n.routeLabel, n.methodLabel);
  const total = `sum ${rBy} (increase(${n.requests}${selector(rm)}${range(w)}))`;
  const minReq = rule.minRequests > 0 ? ` and ${total} >= ${rule.minRequests}` : '';
  switch (rule.view) {
    case 'route.errorRatio':
      return `(sum ${rBy} (increase(${n.requests}${selector([...rm, `${n.statusLabel}=~"5.."`])}${range(w)})) / ${total}) ${cmp}${minReq}`;
    case 'route.rate':
      return `sum ${rBy} (rate(${n.requests}${selector(rm)}${range(w)})) ${cmp}${minReq}`;
    case 'route.p95': case 'route.p99': {
      const qv = rule.view === 'route.p95' ? 0.95 : 0.99;
      const hm = routeMatchers(rule, n.hRoute, n.hMethod);
      return `histogram_quantile(${qv}, sum ${by([n.hRoute, n.hMethod, 'le'])} (rate(${n.histogram}_bucket${selector(hm)}${range(w)}))) ${cmp}${minReq}`;
    }
    case 'job.errors':
      return `sum ${by([n.jobLabel])} (increase(${n.jobRuns}${selector([...globMatcher(n.jobLabel, rule.match.globs.job), `${n.jobStatusLabel}!~${q(n.jobOk)}`])}${range(jw)})) ${cmp}`;
    case 'job.lastSuccessAge': {
      if (rule.op !== '>' && rule.op !== '>=') return { skip: `job.lastSuccessAge ${rule.op} has no PromQL form over a counter (only > and >=: "no success within the threshold")` };
      const jm = globMatcher(n.jobLabel, rule.match.globs.job);
      const okSel = selector([...jm, `${n.jobStatusLabel}=~${q(n.jobOk)}`]);
      const age = Math.max(1000, Math.round(rule.threshold * 1000));
      // No successful run within the threshold: the success counter did not grow, or there is none.
      return `(sum ${by([n.jobLabel])} (increase(${n.jobRuns}${okSel}${range(age)})) == 0) or (sum ${by([n.jobLabel])} (${n.jobRuns}${selector(jm)}) unless sum ${by([n.jobLabel])} (${n.jobRuns}${okSel}))`;
    }
    case 'drift.share':
      return `telltale_dataset_drift_share${selector(globMatcher('dataset', rule.match.globs.dataset))} ${cmp}`;
    case 'target.down': {
      // The runtime names a target host:port by default, Prometheus' instance label: copy it to `target`.
      const up = `up${selector(globMatcher('instance', rule.match.globs.target))}`;
      const cond = rule.op === '>' && rule.threshold === 0 ? `${up} == 0` : `(1 - ${up}) ${cmp}`;
      return `label_replace(${cond}, "target", "$1", "instance", "(.*)")`;
    }
  }
}

/** The bad-event ratio of an SLO over one window, per route (or summed). */
function sloRatioExpr(rule: SloRule, n: Names, windowMs: number): string {
  if (rule.sli === 'availability') {
    const g = rule.aggregate ? '' : ` ${by([n.routeLabel, n.methodLabel])}`;
    const rm = routeMatchers(rule, n.routeLabel, n.methodLabel);
    return `sum${g} (increase(${n.requests}${selector([...rm, `${n.statusLabel}=~"5.."`])}${range(windowMs)})) / sum${g} (increase(${n.requests}${selector(rm)}${range(windowMs)}))`;
  }
  const g = rule.aggregate ? '' : ` ${by([n.hRoute, n.hMethod])}`;
  const hm = routeMatchers(rule, n.hRoute, n.hMethod);
  return `1 - (sum${g} (increase(${n.histogram}_bucket${selector([...hm, `le=${q(String(rule.latencyThreshold))}`])}${range(windowMs)})) / sum${g} (increase(${n.histogram}_count${selector(hm)}${range(windowMs)})))`;
}

function defaultAnnotations(rule: AlertRule): Record<string, string> {
  if (rule.kind === 'slo') {
    const what = rule.sli === 'availability' ? 'availability' : `latency <= ${rule.latencyThreshold}s`;
    const subject = rule.aggregate ? rule.name : '{{ $labels.method }} {{ $labels.route }}';
    return {
      summary: `${subject}: ${what} SLO ${+(rule.objective * 100).toFixed(6)}% is burning its error budget too fast`,
      description: `Bad-event ratio {{ $value | humanizePercentage }} (error budget ${+((1 - rule.objective) * 100).toFixed(6)}%).`,
    };
  }
  const subject = rule.view.startsWith('route.') ? '{{ $labels.method }} {{ $labels.route }}'
    : rule.view.startsWith('job.') ? 'Job {{ $labels.job }}' : rule.view === 'drift.share' ? 'Dataset {{ $labels.dataset }}' : 'Target {{ $labels.target }}';
  const value = rule.view === 'route.errorRatio' || rule.view === 'drift.share' ? '{{ $value | humanizePercentage }}'
    : rule.view === 'route.p95' || rule.view === 'route.p99' ? '{{ $value | humanizeDuration }}' : '{{ $value }}';
  if (rule.view === 'target.down') return { summary: `${subject} is down` };
  if (rule.view === 'job.lastSuccessAge') return { summary: `${subject} has not succeeded for ${formatDuration(Math.round(rule.threshold * 1000))}` };
  return { summary: `${subject}: ${rule.view} is ${value} (${rule.op} ${rule.threshold})` };
}

function mapYaml(indent: string, m: Record<string, string>): string {
  const keys = Object.keys(m);
  if (!keys.length) return '';
  return keys.map((k) => `${indent}  ${k}: ${q(m[k])}\n`).join('');
}

/** Renders the rules as a Prometheus rule file. */
export function renderPrometheusRules(rules: readonly AlertRule[], options: PrometheusRulesOptions = {}): RenderedRules {
  const n = namesOf(options);
  const group = options.group ?? 'telltale';
  const interval = options.intervalMs ? `    interval: ${formatDuration(options.intervalMs)}\n` : '';
  const skipped: RenderedRules['skipped'] = [];
  const recording: string[] = [];
  const alerting: string[] = [];

  for (const rule of rules) {
    const labels: Record<string, string> = { severity: rule.severity, ...rule.labels };
    const annotations: Record<string, string> = { ...defaultAnnotations(rule), ...rule.annotations };
    let expr: string;
    if (rule.kind === 'threshold') {
      const e = thresholdExpr(rule, n, options);
      if (typeof e !== 'string') {
        skipped.push({ rule: rule.name, reason: e.skip });
        alerting.push(`      # ${rule.name} skipped: ${e.skip}\n`);
        continue;
      }
      expr = e;
    } else {
      const budget = 1 - rule.objective;
      const windows = [...new Set(rule.windows.flatMap((w) => [w.longMs, w.shortMs]))].sort((a, b) => a - b);
      for (const w of windows) {
        recording.push(`      - record: ${q(RECORD_PREFIX + formatDuration(w))}\n        expr: ${q(sloRatioExpr(rule, n, w))}\n        labels:\n${mapYaml('        ', { slo: rule.name, sli: rule.sli })}`);
      }
      const sel = `{slo=${q(rule.name)}}`;
      expr = rule.windows.map((w) =>
        `(${RECORD_PREFIX}${formatDuration(w.longMs)}${sel} > (${w.factor} * ${+budget.toPrecision(12)}) and ${RECORD_PREFIX}${formatDuration(w.shortMs)}${sel} > (${w.factor} * ${+budget.toPrecision(12)}))`,
      ).join(' or ');
    }
    alerting.push(
      `      - alert: ${q(rule.name)}\n        expr: ${q(expr)}\n` +
      (rule.forMs ? `        for: ${formatDuration(rule.forMs)}\n` : '') +
      `        labels:\n${mapYaml('        ', labels)}` +
      `        annotations:\n${mapYaml('        ', annotations)}`,
    );
  }

  let yaml = '# Generated by Telltale from the `alerts` rules of telltale.config.json.\n' +
    '# Check with `promtool check rules <file>`; load it with `rule_files:` in prometheus.yml.\n';
  if (skipped.length) yaml += `# ${skipped.length} rule(s) have no PromQL form and are left out (see the comments below).\n`;
  yaml += 'groups:\n';
  if (recording.length) yaml += `  - name: ${q(`${group}-slo-recording`)}\n${interval}    rules:\n${recording.join('')}`;
  yaml += `  - name: ${q(`${group}-alerts`)}\n${interval}    rules:${alerting.some((a) => !a.trimStart().startsWith('#')) ? '\n' : ' []\n'}${alerting.join('')}`;
  return { yaml, skipped };
}
