/** Every rule, sorted by id. `npm run new:rule -- <id>` adds one. */
import type { AnyRule } from '../rule';
import highCardinalityLabel from './high-cardinality-label';
import logWithoutTraceContext from './log-without-trace-context';
import metricCreatedPerCall from './metric-created-per-call';
import metricNaming from './metric-naming';
import piiInLog from './pii-in-log';
import spanNotEnded from './span-not-ended';
import swallowedError from './swallowed-error';
import uninstrumentedJob from './uninstrumented-job';
import uninstrumentedRoute from './uninstrumented-route';
import unstructuredLog from './unstructured-log';

export const RULES: AnyRule[] = [
  highCardinalityLabel,
  logWithoutTraceContext,
  metricCreatedPerCall,
  metricNaming,
  piiInLog,
  spanNotEnded,
  swallowedError,
  uninstrumentedJob,
  uninstrumentedRoute,
  unstructuredLog,
];
