import rule from '../../../src/analysis/rules/metric-naming';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule metric-naming', () => {
  it('checks prom-client and OpenTelemetry metric names, help, labels and duplicates', () => checkRule(rule, {
    invalid: [
      ts`
        import { Counter } from 'prom-client';
        export const a = new Counter({ name: 'httpRequestsTotal', help: 'Requests' });
        //                                   ^^^^^^^^^^^^^^^^^^^ Metric httpRequestsTotal is not snake_case
        export const b = new Counter({ name: 'orders_created', help: 'Orders' });
        //                                   ^^^^^^^^^^^^^^^^ Counter orders_created should end in _total
        export const c = new Counter({ name: 'jobs-run_total', help: 'Jobs' });
        //                                   ^^^^^^^^^^^^^^^^ Metric name "jobs-run_total" is not a valid Prometheus name (prom-client throws at start-up)
      `,
      ts`
        const client = require('prom-client');
        const queue = new client.Gauge({ name: 'queue_size_total', help: 'Queue size' });
        //                                     ^^^^^^^^^^^^^^^^^^ Gauge queue_size_total should not end in _total, which is reserved for counters
        const jobs = new client.Gauge({ name: 'jobs_count', help: 'Jobs' });
        //                                    ^^^^^^^^^^^^ Gauge jobs_count ends in _count, which is reserved for histogram and summary series
        module.exports = { queue, jobs };
      `,
      ts`
        import { Histogram, Summary, Gauge } from 'prom-client';
        const PREFIX = 'api_';
        export const h = new Histogram({ name: PREFIX + 'request_duration_ms', help: 'Latency' });
        //                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Metric api_request_duration_ms uses milliseconds: use the base unit, _seconds
        export const s = new Summary({ name: 'payload_size_kb', help: 'Payload size' });
        //                                   ^^^^^^^^^^^^^^^^^ Metric payload_size_kb uses kilobytes: use the base unit, _bytes
        export const g = new Gauge({ name: 'uptime_minutes', help: 'Uptime' });
        //                                 ^^^^^^^^^^^^^^^^ Metric uptime_minutes uses minutes: use the base unit, _seconds
      `,
      ts`
        import { Counter, Gauge } from 'prom-client';
        export const a = new Counter({ name: 'logins_total' });
        //                                   ^^^^^^^^^^^^^^ Metric logins_total has no help text (prom-client throws at start-up)
        export const b = new Gauge({ name: 'sessions', help: '' });
        //                                                   ^^ Metric sessions has an empty help text (prom-client throws at start-up)
      `,
      ts`
        import { Histogram, Summary, Counter } from 'prom-client';
        export const h = new Histogram({ name: 'rpc_duration_seconds', help: 'RPC', labelNames: ['method', 'le'] });
        //                                                                                                 ^^^^ Label name le of histogram rpc_duration_seconds is reserved for bucket bounds (prom-client throws at start-up)
        export const s = new Summary({ name: 'rpc_size_bytes', help: 'RPC', labelNames: ['quantile'] });
        //                                                                               ^^^^^^^^^^ Label name quantile of summary rpc_size_bytes is reserved for quantiles (prom-client throws at start-up)
        export const c = new Counter({ name: 'rpc_total', help: 'RPC', labelNames: ['__name', 'user-id'] });
        //                                                                          ^^^^^^^^ Label name __name of rpc_total uses the __ prefix, which is reserved for Prometheus internals
        //                                                                                    ^^^^^^^^^ Label name "user-id" of rpc_total is not a valid Prometheus label name (prom-client throws at start-up)
      `,
      ts`
        //- /src/metrics/http.ts
        import { Counter } from 'prom-client';
        export const requests = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['route'] });
        //                                          ^^^^^^^^^^^^^^^^^^^^^ Metric http_requests_total is also defined at src/routes/orders.ts:2 (prom-client throws on the second registration)
        //- /src/routes/orders.ts
        import client from 'prom-client';
        const hits = new client.Counter({ name: 'http_requests_total', help: 'Order requests' });
        //                                      ^^^^^^^^^^^^^^^^^^^^^ Metric http_requests_total is also defined at src/metrics/http.ts:2 (prom-client throws on the second registration)
        export default hits;
      `,
      ts`
        import { metrics } from '@opentelemetry/api';
        const meter = metrics.getMeter('checkout');
        export const d = meter.createHistogram('checkout.duration_ms', { description: 'Checkout time' });
        //                                     ^^^^^^^^^^^^^^^^^^^^^^ Instrument checkout.duration_ms uses milliseconds: use the base unit, _seconds (and the unit option)
        export const e = meter.createCounter('checkout errors');
        //                                   ^^^^^^^^^^^^^^^^^ Instrument name "checkout errors" is not a valid OpenTelemetry instrument name
      `,
    ],
    valid: [
      ts`
        import { Counter, Gauge, Histogram, Summary } from 'prom-client';
        export const a = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['method', 'route', 'status_code'] });
        export const b = new Gauge({ name: 'queue_depth', help: 'Depth' });
        export const c = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency', labelNames: ['route'], buckets: [0.1, 1] });
        export const d = new Summary({ name: 'response_size_bytes', help: 'Size' });
        export const e = new Gauge({ name: 'process_start_time_seconds', help: 'Start' });
      `,
      // histograms may be named like their series' base; the unit check ignores words that only look like units
      ts`
        import { Histogram, Counter } from 'prom-client';
        export const a = new Histogram({ name: 'db_query_duration_seconds', help: 'DB' });
        export const b = new Counter({ name: 'sms_sent_total', help: 'SMS' });
        export const c = new Counter({ name: 'ms_teams_messages_total', help: 'Teams' });
      `,
      // not prom-client: look-alike classes
      ts`
        class Counter { constructor(readonly o: { name: string }) {} }
        export const a = new Counter({ name: 'BadName' });
        import { Histogram } from 'hdr-histogram-js';
        export const b = new Histogram({ name: 'latency_ms' } as never);
      `,
      // names from parameters are not checked; separate registries may reuse a name
      ts`
        import { Counter, Registry } from 'prom-client';
        export function counterFor(name: string) { return new Counter({ name, help: 'dynamic' }); }
        const r1 = new Registry();
        const r2 = new Registry();
        export const x = new Counter({ name: 'runs_total', help: 'Runs', registers: [r1] });
        export const y = new Counter({ name: 'runs_total', help: 'Runs', registers: [r2] });
      `,
      // OpenTelemetry: dotted names, no _total needed
      ts`
        import { metrics } from '@opentelemetry/api';
        const meter = metrics.getMeter('shop');
        export const orders = meter.createCounter('shop.orders', { description: 'Orders' });
        export const dur = meter.createHistogram('http.server.request.duration', { unit: 's' });
        export const m = new Map<string, number>(); m.set('x', 1);
      `,
      // a compiled copy of the source; definitions inside factories; the old positional API
      ts`
        //- /src/metrics.ts
        import { Counter } from 'prom-client';
        export const r = new Counter({ name: 'http_requests_total', help: 'Requests' });
        //- /lib/metrics.js
        const { Counter } = require('prom-client');
        exports.r = new Counter({ name: 'http_requests_total', help: 'Requests' });
        //- /src/server.ts
        import { Counter } from 'prom-client';
        export function serverMetrics() { return new Counter({ name: 'jobs_total', help: 'Jobs' }); }
        export function workerMetrics() { return new Counter({ name: 'jobs_total', help: 'Jobs' }); }
        export const legacy = new Counter('throughput' as never, 'Requests served' as never);
      `,
      // one package each: a monorepo's two services may both define http_requests_total
      ts`
        //- /services/a/package.json
        {"name":"a"}
        //- /services/a/src/metrics.ts
        import { Counter } from 'prom-client';
        export const r = new Counter({ name: 'http_requests_total', help: 'Requests' });
        //- /services/b/package.json
        {"name":"b"}
        //- /services/b/src/metrics.ts
        import { Counter } from 'prom-client';
        export const r = new Counter({ name: 'http_requests_total', help: 'Requests' });
      `,
    ],
  }));
});
