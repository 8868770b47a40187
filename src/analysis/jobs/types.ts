/** What a job recognizer provides: every job of its kind in the project, with its handler. */
import type { ts } from '../ts';
import type { JobKind } from '../model';
import type { Linker } from '../link';
import type { Project, ProjectFile } from '../project';
import type { Instrumentation } from '../instrument';

export interface JobDraft {
  kind: JobKind;
  file: ProjectFile;
  /** The node whose line is the job's line (`schedule` in `cron.schedule(`, the `@Cron` decorator, `new Worker`). */
  nameNode: ts.Node;
  name: string;
  schedule?: string;
  /** The function that runs per job execution. */
  handler?: ts.Node;
  /** Coverage found by the recognizer itself (worker event listeners recording metrics, a processor interceptor). */
  coverage?: { kind: 'handler' | 'middleware' | 'auto'; by: string };
}

export interface JobHelpers {
  linker: Linker;
  instr: Instrumentation;
  str(node: ts.Node | undefined, file: ProjectFile): string | undefined;
}

export interface JobRecognizer {
  readonly kind: JobKind;
  collect(project: Project, helpers: JobHelpers): JobDraft[];
}
