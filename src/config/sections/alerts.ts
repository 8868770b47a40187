/**
 * `telltale.config.json` → "alerts": rules the runtime evaluates over its live views (thresholds on
 * a route / job / drift / target value, and multiwindow multi-burn-rate SLO alerts), the notifiers
 * they go to (VS Code, Slack webhook, generic webhook, Alertmanager) and the evaluation timing.
 * Unknown keys are rejected with their name; src/runtime/alerts/rules.ts checks the rest (a key
 * that does not belong to the rule's kind, a notifier name that does not exist…).
 */
const duration = {
  type: ['number', 'string'],
  pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)?$',
  minimum: 0,
  description: 'Seconds as a number, or a duration string: "30s", "5m", "1h", "1d".',
} as const;

const VIEWS = ['route.errorRatio', 'route.p95', 'route.p99', 'route.rate', 'job.lastSuccessAge', 'job.errors', 'drift.share', 'target.down'] as const;
const OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
const SEVERITIES = ['critical', 'page', 'warning', 'ticket', 'info'] as const;
const NOTIFIER_TYPES = ['vscode', 'slack', 'webhook', 'alertmanager'] as const;
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

const matchSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Which subjects the rule watches; each value is a glob (`*` = anything) on that field. Absent = all.',
  properties: {
    route: { type: 'string', description: 'Route template as labelled, e.g. "/orders/*" or "/users/:id".' },
    method: { type: 'string', description: 'HTTP method, e.g. "POST".' },
    job: { type: 'string' },
    dataset: { type: 'string' },
    target: { type: 'string' },
  },
} as const;

const windowSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['long', 'short', 'burnRate'],
  properties: {
    long: { ...duration, description: 'Long window (e.g. "1h").' },
    short: { ...duration, description: 'Short window (e.g. "5m"; 1/12 of the long one in the SRE workbook).' },
    burnRate: { type: 'number', exclusiveMinimum: 0, description: 'Burn-rate factor both windows must exceed (14.4, 6, 3, 1).' },
  },
} as const;

const ruleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', description: 'Alert name (the alertname label), e.g. "OrdersHighErrorRatio".' },
    kind: { enum: ['threshold', 'slo'], description: 'Default: "slo" when `objective` is set, else "threshold".' },
    severity: { enum: SEVERITIES },
    for: { ...duration, description: 'How long the condition must hold before the alert fires (pending until then). Default 0.' },
    labels: { ...STRING_MAP, description: 'Extra labels of the alert (routing keys in Alertmanager).' },
    annotations: { ...STRING_MAP, description: 'summary, description, runbook_url…; {{ $value }} and {{ $labels.route }} are filled in.' },
    match: matchSchema,
    notifiers: { type: 'array', items: { type: 'string' }, description: 'Names of the notifiers this rule goes to (default: all).' },
    // threshold
    view: { enum: VIEWS, description: 'threshold: the value watched.' },
    op: { enum: OPS, description: 'threshold: comparison (default ">").' },
    threshold: { type: 'number', description: 'threshold: the limit (target.down: default 0, i.e. fires when down).' },
    window: { ...duration, description: 'threshold: window of the view (rate, ratio, quantiles, job runs). Default runtime.window / runtime.jobWindow.' },
    minRequests: { type: 'number', minimum: 0, description: 'route rules: ignore routes with fewer requests in the window (default 0; SLO rules: per window).' },
    // slo
    sli: { enum: ['availability', 'latency'], description: 'slo: availability = non-5xx share; latency = share of requests at most `latencyThreshold`.' },
    objective: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'slo: target good ratio, e.g. 0.999.' },
    latencyThreshold: { type: 'number', exclusiveMinimum: 0, description: 'slo latency: seconds; must be a bucket boundary of the duration histogram.' },
    aggregate: { type: 'boolean', description: 'slo: one alert for all matched routes together (default false: one per route).' },
    windows: { type: 'array', minItems: 1, items: windowSchema, description: 'slo: window pairs (default 1h/5m ×14.4 and 6h/30m ×6; shorten them for local use).' },
  },
} as const;

const notifierSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'Default: the type.' },
    type: { enum: NOTIFIER_TYPES },
    url: { type: 'string', description: 'slack / webhook: the URL to POST to; alertmanager: its base URL (http://127.0.0.1:9093). "${env:NAME}" is replaced by an environment variable.' },
    headers: { ...STRING_MAP, description: 'webhook / alertmanager: extra request headers ("${env:NAME}" allowed).' },
    timeout: { ...duration, description: 'Per attempt (default 5s).' },
    retries: { type: 'integer', minimum: 0, maximum: 10, description: 'Retries after a failed attempt (network error, 429, 5xx), with exponential backoff (default 3; vscode: none).' },
    sendResolved: { type: 'boolean', description: 'Notify when an alert resolves (default true).' },
    channel: { type: 'string', description: 'slack: override the webhook\'s channel.' },
    username: { type: 'string', description: 'slack: override the webhook\'s user name.' },
    minSeverity: { enum: SEVERITIES, description: 'Only alerts at least this severe (critical = page > warning = ticket > info).' },
  },
} as const;

export const alertsSchema = {
  type: 'object',
  description: 'Alert rules the runtime evaluates and where it notifies.',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', description: 'Evaluate the rules (default true).' },
    interval: { ...duration, description: 'Evaluation interval (default 15s).' },
    defaults: { type: 'boolean', description: 'Add the built-in rules: route error ratio and p95 latency, failing jobs, targets down, drifted datasets.' },
    repeatInterval: { ...duration, description: 'Re-send a still-firing alert after this long (default 4h).' },
    resolvedRetention: { ...duration, description: 'How long resolved alerts stay listed (default 1h).' },
    codeUrl: { type: 'string', description: 'Link to the code in notifications: {path} (absolute, without the leading /), {file} (relative), {line}, {column}. Default "vscode://file/{path}:{line}:{column}".' },
    rules: { type: 'array', items: ruleSchema },
    notifiers: { type: 'array', items: notifierSchema, description: 'Default: [{ "type": "vscode" }].' },
  },
} as const;

export type AlertViewName = (typeof VIEWS)[number];
export type AlertOpName = (typeof OPS)[number];
export type AlertSeverityName = (typeof SEVERITIES)[number];
export type NotifierTypeName = (typeof NOTIFIER_TYPES)[number];
type Duration = number | string;

export interface AlertMatchConfig { route?: string; method?: string; job?: string; dataset?: string; target?: string }
export interface BurnRateWindowConfig { long: Duration; short: Duration; burnRate: number }
export interface AlertRuleConfig {
  name: string;
  kind?: 'threshold' | 'slo';
  severity?: AlertSeverityName;
  for?: Duration;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  match?: AlertMatchConfig;
  notifiers?: string[];
  view?: AlertViewName;
  op?: AlertOpName;
  threshold?: number;
  window?: Duration;
  minRequests?: number;
  sli?: 'availability' | 'latency';
  objective?: number;
  latencyThreshold?: number;
  aggregate?: boolean;
  windows?: BurnRateWindowConfig[];
}
export interface NotifierConfig {
  name?: string;
  type: NotifierTypeName;
  url?: string;
  headers?: Record<string, string>;
  timeout?: Duration;
  retries?: number;
  sendResolved?: boolean;
  channel?: string;
  username?: string;
  minSeverity?: AlertSeverityName;
}
/** The parsed `alerts` section. */
export interface AlertsSectionConfig {
  enabled?: boolean;
  interval?: Duration;
  defaults?: boolean;
  repeatInterval?: Duration;
  resolvedRetention?: Duration;
  codeUrl?: string;
  rules?: AlertRuleConfig[];
  notifiers?: NotifierConfig[];
}
