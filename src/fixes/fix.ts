/**
 * A fix: a finding in, text edits out. One file per fix (`add-route-metrics.ts`), each with
 * before/after tests. A fix returns `undefined` (or throws FixNotApplicable with the reason)
 * when it does not apply — never partial edits. Safety (oxc): `safe` keeps behaviour, a
 * `suggestion` changes what the program does (it records metrics), `dangerous` may break it.
 */
import type { Analyzer, JobDetail, RouteDetail } from '../analysis/analyze';
import type { Finding } from '../analysis/model';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import type { ObservabilityModule } from './module';
import type { CodeStyle } from './style';

export type FixSafety = 'safe' | 'suggestion' | 'dangerous';

export interface FixContext {
  readonly analyzer: Analyzer;
  readonly finding: Finding;
  readonly file: ProjectFile;
  readonly style: CodeStyle;
  /** Shared metrics, logger and tracer: `module.use('httpRequestDuration', file, style)`. */
  readonly module: ObservabilityModule;
  /** The inventory route / job the finding is about (matched by position), if any. */
  readonly route?: RouteDetail;
  readonly job?: JobDetail;
}

export interface FixDefinition {
  id: string;
  /** Rule ids whose findings it fixes. */
  for: string[];
  safety: FixSafety;
  /** Imperative, no final period: "Add request metrics to GET /orders/:id". */
  title(finding: Finding, ctx?: FixContext): string;
  edits(ctx: FixContext): FileEdit[] | undefined;
}

export function defineFix(fix: FixDefinition): FixDefinition {
  return fix;
}
