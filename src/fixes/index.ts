/** Every fix, one file each. Order matters: for a finding, earlier fixes are preferred. */
import type { FixDefinition } from './fix';
import addAppMetrics from './add-app-metrics';
import addRouteSpan from './add-route-span';
import addRouteMetrics from './add-route-metrics';
import addMetricsEndpoint from './add-metrics-endpoint';
import addLogTraceContext from './add-log-trace-context';
import addJobInstrumentation from './add-job-instrumentation';
import useStructuredLogger from './use-structured-logger';
import logSwallowedError from './log-swallowed-error';
import redactLogField from './redact-log-field';
import endSpanInFinally from './end-span-in-finally';
import useRouteTemplateLabel from './use-route-template-label';
import dropLabel from './drop-label';
import hoistMetricToModule from './hoist-metric-to-module';

export const FIXES: FixDefinition[] = [
  addJobInstrumentation,
  addMetricsEndpoint,
  addLogTraceContext,
  addRouteMetrics,
  addAppMetrics,
  addRouteSpan,
  useStructuredLogger,
  logSwallowedError,
  redactLogField,
  endSpanInFinally,
  useRouteTemplateLabel,
  dropLabel,
  hoistMetricToModule,
];

export function fixesFor(rule: string): FixDefinition[] {
  return FIXES.filter((f) => f.for.includes(rule));
}
