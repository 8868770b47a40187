/**
 * Prometheus recording and alerting rules for what the inventory says the code serves: RED per
 * route (rate, error ratio, p95 latency) over the request metrics, and job health (failures,
 * missing successes, slow runs) over the job metrics. Metric names come from the inventory's
 * metric definitions when the code has them (a counter / histogram labelled by route), else the
 * names Telltale's fixes create (`http_requests_total`, `http_request_duration_seconds`,
 * `job_runs_total`, `job_duration_seconds`). Output is plain YAML for `rule_files:`; the test
 * checks it with `promtool check rules` and `promtool test rules`.
 */
import type { Inventory, MetricDefinition } from '../analysis/model';

export interface RulesOutput { yaml: string; groups: number; rules: number }

interface Rule { record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }

const ROUTE_LABELS = ['route', 'path', 'handler', 'endpoint'];
const METHOD_LABELS = ['method', 'http_method', 'verb'];
const STATUS_LABELS = ['status_code', 'status', 'code', 'http_status'];

function pick(labels: string[], candidates: string[]): string | undefined {
  return candidates.find((c) => labels.includes(c));
}

/** A prom-client counter's exposed name (prom-client exposes the name as given). */
function findRequestMetrics(metrics: MetricDefinition[]): { counter?: MetricDefinition; histogram?: MetricDefinition } {
  const prom = metrics.filter((m) => m.library === 'prom-client' && pick(m.labelNames, ROUTE_LABELS));
  const counter = prom.find((m) => m.type === 'counter' && pick(m.labelNames, STATUS_LABELS) && /request/.test(m.name));
  const histogram = prom.find((m) => m.type === 'histogram' && /request.*(duration|latency|seconds)/.test(m.name));
  return { counter, histogram };
}

function yamlString(s: string): string {
  return JSON.stringify(s); // JSON strings are valid YAML double-quoted scalars
}

function renderRule(r: Rule): string {
  const lines: string[] = [];
  lines.push(r.record ? `      - record: ${r.record}` : `      - alert: ${r.alert}`);
  lines.push(`        expr: ${yamlString(r.expr)}`);
  if (r.for) lines.push(`        for: ${r.for}`);
  for (const key of ['labels', 'annotations'] as const) {
    const m = r[key];
    if (!m) continue;
    lines.push(`        ${key}:`);
    for (const [k, v] of Object.entries(m)) lines.push(`          ${k}: ${yamlString(v)}`);
  }
  return lines.join('\n');
}

export function prometheusRules(inventory: Inventory, service = 'app'): RulesOutput {
  const groups: Array<{ name: string; interval?: string; comment: string[]; rules: Rule[] }> = [];
  const { counter, histogram } = findRequestMetrics(inventory.metrics);
  const total = counter?.name ?? 'http_requests_total';
  const duration = histogram?.name ?? 'http_request_duration_seconds';
  const routeLabel = (counter && pick(counter.labelNames, ROUTE_LABELS)) ?? 'route';
  const methodLabel = (counter && pick(counter.labelNames, METHOD_LABELS)) ?? 'method';
  const statusLabel = (counter && pick(counter.labelNames, STATUS_LABELS)) ?? 'status_code';
  const hRoute = (histogram && pick(histogram.labelNames, ROUTE_LABELS)) ?? 'route';
  const hMethod = (histogram && pick(histogram.labelNames, METHOD_LABELS)) ?? 'method';
  const by = `${methodLabel}, ${routeLabel}`;

  if (inventory.routes.length || counter || histogram) {
    const routes = [...new Set(inventory.routes.map((r) => `${r.method} ${r.path}`))];
    groups.push({
      name: `${service}-red`,
      comment: [
        `RED per route over ${total}${histogram || !counter ? ` and ${duration}` : ''}.`,
        `Routes in the code (${routes.length}): ${routes.slice(0, 20).join(', ')}${routes.length > 20 ? ', …' : ''}`,
      ],
      rules: [
        { record: `route:${stripTotal(total)}:rate5m`, expr: `sum by (${by}) (rate(${total}[5m]))` },
        {
          record: `route:${stripTotal(total)}_errors:ratio_rate5m`,
          expr: `sum by (${by}) (rate(${total}{${statusLabel}=~"5.."}[5m])) / sum by (${by}) (rate(${total}[5m]))`,
        },
        {
          record: `route:${duration}:p95_5m`,
          expr: `histogram_quantile(0.95, sum by (le, ${hMethod}, ${hRoute}) (rate(${duration}_bucket[5m])))`,
        },
        {
          alert: 'RouteHighErrorRatio',
          expr: `route:${stripTotal(total)}_errors:ratio_rate5m > 0.05 and route:${stripTotal(total)}:rate5m > 0.1`,
          for: '10m',
          labels: { severity: 'warning', service },
          annotations: {
            summary: `{{ $labels.${methodLabel} }} {{ $labels.${routeLabel} }}: {{ $value | humanizePercentage }} of requests fail`,
            description: 'More than 5% of the requests to this route answered 5xx for 10 minutes.',
          },
        },
        {
          alert: 'RouteHighLatencyP95',
          expr: `route:${duration}:p95_5m > 0.5`,
          for: '10m',
          labels: { severity: 'warning', service },
          annotations: {
            summary: `{{ $labels.${hMethod} }} {{ $labels.${hRoute} }}: p95 latency {{ $value | humanizeDuration }}`,
            description: 'The 95th percentile of this route\'s latency was above 500 ms for 10 minutes.',
          },
        },
      ],
    });
  }

  const jobMetricsDefined = inventory.metrics.some((m) => m.name === 'job_runs_total' || m.name === 'job_duration_seconds');
  if (inventory.jobs.length || jobMetricsDefined) {
    const jobs = [...new Set(inventory.jobs.map((j) => `${j.name} (${j.kind}${j.schedule ? `, ${j.schedule}` : ''})`))];
    groups.push({
      name: `${service}-jobs`,
      comment: [
        'Job health over job_runs_total{job,status} and job_duration_seconds{job} (the guide\'s job metrics).',
        `Jobs in the code (${jobs.length}): ${jobs.slice(0, 20).join(', ')}${jobs.length > 20 ? ', …' : ''}`,
      ],
      rules: [
        { record: 'job:job_runs:increase1h', expr: 'sum by (job, status) (increase(job_runs_total[1h]))' },
        { record: 'job:job_duration_seconds:p95_1h', expr: 'histogram_quantile(0.95, sum by (le, job) (rate(job_duration_seconds_bucket[1h])))' },
        {
          alert: 'JobFailed',
          expr: 'sum by (job) (increase(job_runs_total{status="error"}[15m])) > 0',
          labels: { severity: 'warning', service },
          annotations: { summary: 'Job {{ $labels.job }} failed {{ $value | humanize }} time(s) in the last 15 minutes' },
        },
        {
          alert: 'JobNoSuccess',
          expr: 'sum by (job) (increase(job_runs_total{status="ok"}[25h])) == 0 and sum by (job) (increase(job_runs_total[25h])) > 0',
          for: '30m',
          labels: { severity: 'critical', service },
          annotations: { summary: 'Job {{ $labels.job }} ran but did not succeed once in 25 hours' },
        },
        {
          alert: 'JobSlow',
          expr: 'job:job_duration_seconds:p95_1h > 1800',
          for: '1h',
          labels: { severity: 'warning', service },
          annotations: { summary: 'Job {{ $labels.job }}: p95 run time {{ $value | humanizeDuration }}' },
        },
      ],
    });
  }

  const out: string[] = [
    '# Prometheus rules generated by Telltale from the code\'s inventory. Load with rule_files: in prometheus.yml.',
    '# Check: promtool check rules <this file>',
    'groups:',
  ];
  if (!groups.length) out[out.length - 1] = 'groups: []';
  for (const g of groups) {
    for (const c of g.comment) out.push(`  # ${c}`);
    out.push(`  - name: ${yamlString(g.name)}`);
    out.push('    rules:');
    for (const r of g.rules) out.push(renderRule(r));
  }
  return { yaml: out.join('\n') + '\n', groups: groups.length, rules: groups.reduce((n, g) => n + g.rules.length, 0) };
}

function stripTotal(name: string): string {
  return name.replace(/_total$/, '');
}
