/** Every rule, sorted by id. `npm run new:rule -- <id>` adds one. */
import type { AnyRule } from '../rule';
import uninstrumentedJob from './uninstrumented-job';
import uninstrumentedRoute from './uninstrumented-route';

export const RULES: AnyRule[] = [
  uninstrumentedJob,
  uninstrumentedRoute,
];
