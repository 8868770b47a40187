import { ts } from '../helpers/annotated';
import { checkFix, checkFixNotApplicable } from '../helpers/fixes';

describe('fix add-log-trace-context', () => {
  it("pino() gets the module's traceContext as its mixin", () => checkFix('add-log-trace-context', ts`
    //- /src/logger.ts
    import pino from 'pino';

    export const logger = $0pino();
    //- /src/tracing.ts
    import { trace } from '@opentelemetry/api';
    export const tracer = trace.getTracer('shop');
    //- /package.json
    { "name": "shop", "dependencies": { "pino": "^10.0.0", "@opentelemetry/api": "^1.9.0" } }
  `, ts`
    //- /src/logger.ts
    import pino from 'pino';
    import { traceContext } from './observability';

    export const logger = pino({ mixin: traceContext });
    //- /src/observability.ts
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    import { trace } from '@opentelemetry/api';

    /** The active span's ids for log lines: a pino \`mixin\` (\`pino({ mixin: traceContext })\`). */
    export function traceContext(): { trace_id?: string; span_id?: string } {
      const span = trace.getActiveSpan();
      if (!span || !trace.isSpanContextValid(span.spanContext())) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    }
  `));

  it("multi-line options: mixin added as the last property, existing traceContext import reused", () => checkFix('add-log-trace-context', ts`
    //- /src/logger.ts
    import pino from 'pino';
    import { traceContext } from './observability';

    export const logger = $0pino({
      level: process.env.LOG_LEVEL ?? 'info',
      redact: ['req.headers.authorization'],
    });
    //- /src/observability.ts
    import { trace } from '@opentelemetry/api';
    export const tracer = trace.getTracer('shop');
    export function traceContext() {
      const span = trace.getActiveSpan();
      return span ? { trace_id: span.spanContext().traceId } : {};
    }
  `, ts`
    //- /src/logger.ts
    import pino from 'pino';
    import { traceContext } from './observability';

    export const logger = pino({
      level: process.env.LOG_LEVEL ?? 'info',
      redact: ['req.headers.authorization'],
      mixin: traceContext,
    });
  `));

  it("an existing mixin is kept and wrapped with withTraceContext (CommonJS, method form)", () => checkFix('add-log-trace-context', ts`
    //- /src/logger.js
    const pino = require("pino")
    const { trace } = require("@opentelemetry/api")

    const tracer = trace.getTracer("shop")
    module.exports.logger = $0pino({
      mixin(obj, level) {
        return { service: "shop", level_label: level }
      },
    }, pino.destination(1))
    module.exports.tracer = tracer
    //- /package.json
    { "name": "shop", "dependencies": { "pino": "^10.0.0", "@opentelemetry/api": "^1.9.0" } }
  `, ts`
    //- /src/logger.js
    const pino = require("pino")
    const { trace } = require("@opentelemetry/api")
    const { withTraceContext } = require("./observability")

    const tracer = trace.getTracer("shop")
    module.exports.logger = pino({
      mixin: withTraceContext(function (obj, level) {
        return { service: "shop", level_label: level }
      }),
    }, pino.destination(1))
    module.exports.tracer = tracer
    //- /src/observability.js
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    const { trace } = require('@opentelemetry/api');

    /** The active span's ids for log lines: a pino \`mixin\` (\`pino({ mixin: traceContext })\`). */
    function traceContext() {
      const span = trace.getActiveSpan();
      if (!span || !trace.isSpanContextValid(span.spanContext())) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    }
    exports.traceContext = traceContext;

    /** A pino \`mixin\` that also adds the active span's ids (its own fields win). */
    function withTraceContext(mixin) {
      return function (...args) {
        return { ...traceContext(), ...mixin.apply(this, args) };
      };
    }
    exports.withTraceContext = withTraceContext;
  `));

  it("pino(destination): the options go in front", () => checkFix('add-log-trace-context', ts`
    //- /src/logger.ts
    import pino from 'pino';
    import { trace } from '@opentelemetry/api';
    import { traceContext } from './observability';

    export const tracer = trace.getTracer('shop');
    export const logger = $0pino(pino.destination({ sync: false }));
    //- /src/observability.ts
    import { trace } from '@opentelemetry/api';
    export function traceContext() {
      const span = trace.getActiveSpan();
      return span ? { trace_id: span.spanContext().traceId } : {};
    }
  `, ts`
    //- /src/logger.ts
    import pino from 'pino';
    import { trace } from '@opentelemetry/api';
    import { traceContext } from './observability';

    export const tracer = trace.getTracer('shop');
    export const logger = pino({ mixin: traceContext }, pino.destination({ sync: false }));
  `));

  it('not applicable when the options come from elsewhere', () => checkFixNotApplicable('add-log-trace-context', ts`
    import pino from 'pino';
    import { trace } from '@opentelemetry/api';
    import { options } from './config';
    export const tracer = trace.getTracer('shop');
    export const logger = $0pino(options.logger);
  `));
});
