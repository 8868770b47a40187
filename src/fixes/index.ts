/** Every fix, one file each. Order matters: for a finding, earlier fixes are preferred. */
import type { FixDefinition } from './fix';
import addAppMetrics from './add-app-metrics';
import addRouteMetrics from './add-route-metrics';
import useStructuredLogger from './use-structured-logger';

export const FIXES: FixDefinition[] = [
  addRouteMetrics,
  addAppMetrics,
  useStructuredLogger,
];

export function fixesFor(rule: string): FixDefinition[] {
  return FIXES.filter((f) => f.for.includes(rule));
}
