/**
 * Finds metric labels whose values are unbounded: label *names* that are identifiers by nature
 * (`user_id`, `email`, `request_id`, `url`, … in prom-client `labelNames`, OpenTelemetry
 * attributes and StatsD tags), and label *values* that come from unbounded sources — the raw
 * request (`req.url`, `req.originalUrl`, `req.path`, `ctx.path`, `request.url`), path and query
 * parameters, headers, body fields, the user or session, ids, `Date.now()`, random ids
 * (`randomUUID`, uuid, nanoid), `error.message` — directly, in templates and concatenations, or
 * through local variables and helpers of the same file. Every place a value is given is checked:
 * `labels(…)` (positional and object), `inc/dec/set/observe/startTimer` and the `end` function
 * `startTimer` returns, OpenTelemetry `add/record` attributes, StatsD/Datadog tags. Only real
 * metric objects count (prom-client, OpenTelemetry, hot-shots/StatsD, dd-trace `dogstatsd`).
 *
 * Why: every distinct label value is a new time series. A label holding a user id or a raw URL
 * grows without limit, exhausts the Prometheus server's memory and makes every query slow; the
 * guide's first pitfall. Label by route template, method and status; put ids in logs and traces.
 * @option identifierLabels Label names that are identifiers by nature (replaces the default list).
 *   A name matches when its last words are an entry: `user_id` matches `userId`, `user.id` and
 *   `customer_user_id`; ids of small fixed sets (`shard_id`, `worker_id`, `region_id`…) do not.
 * @option extraIdentifierLabels More identifier-like label names, added to `identifierLabels`.
 * @notes Bounded values are fine and not reported: the HTTP method, status codes
 * (`String(res.statusCode)`), route templates (`req.route.path`, `req.baseUrl + req.route.path`,
 * `request.routeOptions.url`, `ctx._matchedRoute`, `c.req.routePath`), literals, enums, booleans,
 * literal-union types, `process.env`. A value passed through a function of another module
 * (`normalizePath(req.path)`) or rewritten by `replace` may be normalised, so it is not reported.
 * @invalid
 * ```ts
 * import { Counter } from 'prom-client';
 * const logins = new Counter({ name: 'logins_total', help: 'Logins', labelNames: ['user_id'] });
 * //                                                                              ^^^^^^^^^ Label user_id of metric logins_total is unbounded (an identifier)
 * ```
 * @invalid
 * ```ts
 * import express from 'express';
 * import { Histogram } from 'prom-client';
 * const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route'] });
 * const app = express();
 * app.use((req, res, next) => {
 *   const end = duration.startTimer({ method: req.method });
 *   res.on('finish', () => end({ route: req.originalUrl }));
 *   //                                  ^^^^^^^^^^^^^^^ Label route of metric http_request_duration_seconds is unbounded: req.originalUrl (the raw URL)
 *   next();
 * });
 * ```
 * @valid
 * ```ts
 * import express from 'express';
 * import { Histogram } from 'prom-client';
 * const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route', 'status_code'] });
 * const app = express();
 * app.use((req, res, next) => {
 *   const end = duration.startTimer({ method: req.method });
 *   res.on('finish', () => end({ route: req.baseUrl + (req.route?.path ?? ''), status_code: String(res.statusCode) }));
 *   next();
 * });
 * ```
 */
import { ts } from '../ts';
import { defineRule } from '../rule';
import { labelSitesOf, mayHaveLabels, type LabelSite } from '../labels';
import { identifierLabelMatcher, isBoundedValue, isFallbackToUnbounded, unboundedValue } from '../taint';

export interface HighCardinalityLabelOptions {
  identifierLabels: string[];
  extraIdentifierLabels: string[];
}

export const DEFAULT_IDENTIFIER_LABELS = [
  'user_id', 'user', 'username', 'email', 'email_address', 'session_id', 'session', 'request_id', 'trace_id', 'span_id', 'order_id',
  'customer_id', 'account_id', 'transaction_id', 'correlation_id', 'device_id', 'id', 'uuid', 'guid', 'ip', 'ip_address', 'client_ip',
  'remote_addr', 'url', 'uri', 'full_url', 'query_string', 'user_agent', 'token', 'phone', 'timestamp',
];

const matchers = new WeakMap<object, (name: string) => string | undefined>();

function kindOf(site: LabelSite): string {
  return site.metric.library === 'opentelemetry' ? 'Attribute' : site.metric.library === 'statsd' ? 'Tag' : 'Label';
}

export default defineRule<HighCardinalityLabelOptions>({
  id: 'high-cardinality-label',
  category: 'cost',
  severity: 'warning',
  description: 'Metric label with unbounded values (ids, raw URLs, user input)',
  fixes: ['use-route-template-label', 'drop-label'],
  defaultOptions: { identifierLabels: DEFAULT_IDENTIFIER_LABELS, extraIdentifierLabels: [] },
  appliesTo: mayHaveLabels,
  visit: {
    [ts.SyntaxKind.SourceFile](_sf, ctx) {
      let isIdentifierLabel = matchers.get(ctx.options);
      if (!isIdentifierLabel) {
        const list = [...(Array.isArray(ctx.options.identifierLabels) ? ctx.options.identifierLabels : DEFAULT_IDENTIFIER_LABELS),
          ...(Array.isArray(ctx.options.extraIdentifierLabels) ? ctx.options.extraIdentifierLabels : [])].filter((x) => typeof x === 'string');
        isIdentifierLabel = identifierLabelMatcher(list);
        matchers.set(ctx.options, isIdentifierLabel);
      }
      const { sites, names } = labelSitesOf(ctx.file, ctx.linker);
      for (const n of names) {
        if (isIdentifierLabel(n.label)) {
          ctx.report(n.node, `Label ${n.label} of metric ${n.metric.name} is unbounded (an identifier)`, { label: n.label, metric: n.metric.name, reason: 'name' });
        }
      }
      for (const site of sites) {
        const label = site.label ?? '(unnamed)';
        const u = unboundedValue(site.value, ctx.file);
        if (u) {
          const how = isFallbackToUnbounded(site.value, ctx.file) ? 'it falls back to ' : '';
          ctx.report(site.value, `${kindOf(site)} ${label} of metric ${site.metric.name} is unbounded: ${how}${u.source} (${u.what})`,
            { label, metric: site.metric.name, source: u.source, reason: 'value' });
          continue;
        }
        // Names at the use site: OpenTelemetry attributes and StatsD tags have no declaration;
        // prom-client names are checked where labelNames are declared, when we saw it.
        const declared = site.metric.library === 'prom-client' && site.metric.labelNames !== undefined;
        if (declared || !site.label || !site.keyNode) continue;
        if (isIdentifierLabel(site.label) && !isBoundedValue(site.value, ctx.file)) {
          ctx.report(site.keyNode, `${kindOf(site)} ${site.label} of metric ${site.metric.name} is unbounded (an identifier)`, { label: site.label, metric: site.metric.name, reason: 'name' });
        }
      }
    },
  },
});
