import rule from '../../../src/analysis/rules/log-without-trace-context';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

const TRACING = `
//- /src/tracing.ts
import { trace } from '@opentelemetry/api';
export const tracer = trace.getTracer('orders');
export function traced<T>(name: string, fn: () => T): T { return tracer.startActiveSpan(name, (span) => { try { return fn(); } finally { span.end(); } }); }
`;

describe('rule log-without-trace-context', () => {
  it('reports pino loggers without trace ids in projects with OpenTelemetry spans', () => checkRule(rule, {
    invalid: [
      // no options at all; spans in another file
      ts`
        //- /src/logger.ts
        import pino from 'pino';
        export const logger = pino();
        //                    ^^^^ pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans
        ${TRACING}
      `,
      // options without a mixin; a destination stream only
      ts`
        //- /src/logger.ts
        import { pino } from 'pino';
        export const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'orders' } });
        //                    ^^^^ pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans
        export const audit = pino(pino.destination('/var/log/audit.log'));
        //                   ^^^^ pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans
        ${TRACING}
      `,
      // a mixin that adds other fields
      ts`
        //- /src/logger.ts
        import pino from 'pino';
        export const logger = pino({ mixin: () => ({ service: 'orders', pid: process.pid }) });
        //                    ^^^^ pino logger's mixin adds no trace_id/span_id though the project creates OpenTelemetry spans
        ${TRACING}
      `,
      // CommonJS require('pino')(…), spans from an OpenTelemetry SDK setup
      ts`
        //- /src/logger.js
        const logger = require('pino')({ level: 'info' });
        //             ^^^^^^^^^^^^^^^ pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans
        module.exports = logger;
        //- /src/otel.js
        const { NodeSDK } = require('@opentelemetry/sdk-node');
        new NodeSDK({ serviceName: 'orders' }).start();
      `,
      // options object defined in another file
      ts`
        //- /src/config.ts
        export const logOptions = { level: 'debug', redact: ['password'] };
        //- /src/logger.ts
        import pino from 'pino';
        import { logOptions } from './config';
        export const logger = pino(logOptions);
        //                    ^^^^ pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans
        ${TRACING}
      `,
      // auto-instrumentations with the pino instrumentation switched off
      ts`
        //- /src/instrumentation.ts
        import { NodeSDK } from '@opentelemetry/sdk-node';
        import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
        new NodeSDK({ instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-pino': { enabled: false } })] }).start();
        //- /src/logger.ts
        import pino from 'pino';
        export default pino({ name: 'api' });
        //             ^^^^ pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans
      `,
    ],
    valid: [
      // no OpenTelemetry spans in the project
      ts`
        import pino from 'pino';
        import { metrics } from '@opentelemetry/api';
        export const logger = pino();
        export const meter = metrics.getMeter('orders');
      `,
      // a mixin with the active span's ids (method form, and delegating to a helper)
      ts`
        //- /src/logger.ts
        import pino from 'pino';
        import { trace, context } from '@opentelemetry/api';
        import { traceFields } from './trace-fields';
        export const logger = pino({
          mixin() {
            const span = trace.getSpan(context.active());
            return span ? { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId } : {};
          },
        });
        export const other = pino({ mixin: () => traceFields() });
        //- /src/trace-fields.ts
        export function traceFields() { return {}; }
        ${TRACING}
      `,
      // the pino instrumentation registered in code
      ts`
        //- /src/instrumentation.ts
        import { registerInstrumentations } from '@opentelemetry/instrumentation';
        import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
        registerInstrumentations({ instrumentations: [new PinoInstrumentation()] });
        //- /src/logger.ts
        import pino from 'pino';
        export const logger = pino();
        ${TRACING}
      `,
      // auto-instrumentations preloaded from package.json
      ts`
        //- /package.json
        { "name": "orders", "scripts": { "start": "node --require @opentelemetry/auto-instrumentations-node/register dist/index.js" } }
        //- /src/logger.ts
        import pino from 'pino';
        export const logger = pino();
        ${TRACING}
      `,
      // formatters.log adding the ids; options we cannot see
      ts`
        //- /src/logger.ts
        import pino from 'pino';
        import { trace } from '@opentelemetry/api';
        import { loadConfig } from './config-loader';
        export const logger = pino({ formatters: { log: (o) => ({ ...o, trace_id: trace.getActiveSpan()?.spanContext().traceId }) } });
        export const configured = pino(loadConfig().logger);
        ${TRACING}
      `,
      // a local module named pino, and pino helpers that create no logger
      ts`
        //- /src/pino.ts
        export default function pino(o: object) { return o; }
        //- /src/logger.ts
        import pino from './pino';
        import realPino from 'pino';
        export const logger = pino({});
        export const dest = realPino.destination(1);
        ${TRACING}
      `,
    ],
  }));
});
