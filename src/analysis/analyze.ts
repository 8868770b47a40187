/**
 * The analysis entry point: a workspace in, an Inventory and Findings out.
 *
 *   const analyzer = Analyzer.load(root, { paths: ['.'], config });
 *   analyzer.inventory();           // routes, jobs, metrics with coverage
 *   analyzer.update(file, text);    // re-parse one file; results recomputed lazily
 *
 * Files are parsed once with the TypeScript parser (no type checker) and indexed in one walk;
 * linking across files is memoized per version of the project.
 */
import path from 'node:path';
import { Project, type VisitorMap } from './project';
import { Linker } from './link';
import { Instrumentation, collectMetricDefinitions } from './instrument';
import { linkScopeRoutes, type LinkedRoute } from './routes';
import { FRAMEWORKS } from './frameworks';
import { JOB_RECOGNIZERS } from './jobs';
import { detectAutoInstrumentation } from './auto';
import { loadWorkspace, toRel, type Workspace, type WorkspaceOptions } from './workspace';
import { stringOf } from './strings';
import type { AnalysisError, Inventory, JobEntry, MetricDefinition, RouteEntry } from './model';
import type { ScopeFramework, FileFramework } from './frameworks/types';
import type { ts } from './ts';
import type { ProjectFile } from './project';

export interface RouteDetail { entry: RouteEntry; file: ProjectFile; nameNode: ts.Node; handler?: ts.Node; app?: { node: ts.Node; file: ProjectFile } }
export interface JobDetail { entry: JobEntry; file: ProjectFile; nameNode: ts.Node; handler?: ts.Node }
export interface Computed {
  inventory: Inventory;
  linker: Linker;
  instr: Instrumentation;
  routes: RouteDetail[];
  jobs: JobDetail[];
}

export interface AnalyzerOptions extends WorkspaceOptions {
  /** Files or directories to scan, relative to root. Default: the root. */
  paths?: string[];
  visitors?: VisitorMap;
}

export class Analyzer {
  readonly project: Project;
  private cached?: Computed;
  private errors: AnalysisError[];

  private constructor(readonly root: string, workspace: Workspace, private readonly options: AnalyzerOptions) {
    this.project = new Project(root, workspace.tsconfigs);
    this.errors = [...workspace.errors];
    for (const entry of workspace.files) this.noteSyntaxErrors(this.project.addFile(entry, options.visitors));
  }

  /** Files that do not parse are still analysed as far as the parser recovers; say so. */
  private noteSyntaxErrors(file: ProjectFile): void {
    const diags = (file.sf as unknown as { parseDiagnostics?: Array<{ start?: number; messageText: unknown }> }).parseDiagnostics;
    this.errors = this.errors.filter((e) => !(e.file === file.rel && e.message.startsWith('syntax error')));
    if (!diags?.length) return;
    const d = diags[0];
    const line = d.start !== undefined ? file.sf.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const text = typeof d.messageText === 'string' ? d.messageText : 'parse error';
    this.errors.push({ file: file.rel, message: `syntax error at line ${line}: ${text} (analysed as far as the parser recovered)` });
  }

  static load(root: string, options: AnalyzerOptions = {}): Analyzer {
    const absRoot = path.resolve(root);
    const ws = loadWorkspace(absRoot, options.paths?.length ? options.paths : ['.'], options);
    return new Analyzer(absRoot, ws, options);
  }

  /** Replaces (or adds) one file's text; everything derived is recomputed on the next query. */
  update(abs: string, text: string): void {
    const old = this.project.files.get(abs);
    this.noteSyntaxErrors(this.project.addFile({ abs, rel: toRel(this.root, abs), text }, this.options.visitors));
    this.cached = undefined;
    if (old && this.resolved) {
      // Keep every memo that did not read the old version of this file: re-linking after an edit
      // then mostly hits memos. A new file can change how imports resolve anywhere: start afresh.
      const stale = new Set([old]);
      this.resolved.linker.invalidate(stale);
      this.resolved.instr.invalidate(stale);
    } else this.resolved = undefined;
  }

  remove(abs: string): void {
    this.project.removeFile(abs);
    this.cached = undefined;
    this.resolved = undefined;
  }

  /** Value resolution over the current files (cheap: memoized lazily, no inventory needed). */
  get linker(): Linker { return this.resolution().linker; }
  get instrumentation(): Instrumentation { return this.resolution().instr; }

  private resolved?: { linker: Linker; instr: Instrumentation };
  private resolution(): { linker: Linker; instr: Instrumentation } {
    if (!this.resolved) {
      const linker = new Linker(this.project);
      this.resolved = { linker, instr: new Instrumentation(linker) };
    }
    return this.resolved;
  }

  inventory(): Inventory { return this.compute().inventory; }

  /** Inventory entries with the syntax they came from (for rules and fixes). */
  details(): Computed { return this.compute(); }

  private compute(): Computed {
    if (this.cached) return this.cached;
    const { linker, instr } = this.resolution();
    const errors = [...this.errors];
    const str = (n: ts.Node | undefined, f: ProjectFile) => stringOf(n, f, linker);

    const scopeFrameworks = FRAMEWORKS.filter((f): f is ScopeFramework => f.kind === 'scope');
    const fileFrameworks = FRAMEWORKS.filter((f): f is FileFramework => f.kind === 'file');
    const linked: LinkedRoute[] = [];
    guard(errors, 'routes', () => linked.push(...linkScopeRoutes(this.project, linker, scopeFrameworks, instr)));
    for (const fw of fileFrameworks) {
      guard(errors, fw.id, () => {
        for (const d of fw.collect(this.project, linker, { str, instrumentation: (n, f) => instr.describe(n, f) })) {
          const handlerCov = d.coverage?.kind === 'handler' ? d.coverage.by : d.handler ? instr.describe(d.handler, d.file) : undefined;
          linked.push({
            framework: d.framework, file: d.file, method: d.method, path: d.path, nameNode: d.nameNode, handler: d.handler,
            coverage: handlerCov ? 'handler' : d.coverage?.kind ?? 'none', coveredBy: handlerCov ?? d.coverage?.by,
          });
        }
      });
    }
    const auto = detectAutoInstrumentation(this.project);
    const routeDetails: RouteDetail[] = [];
    const routes: RouteEntry[] = linked.map((r) => {
      const pos = r.file.position(r.nameNode);
      const entry: RouteEntry = { file: r.file.rel, line: pos.line, column: pos.column, method: r.method, path: r.path, framework: r.framework, coverage: r.coverage };
      if (r.coverage === 'none' && auto) { entry.coverage = 'auto'; entry.coveredBy = auto.by; }
      else if (r.coveredBy) entry.coveredBy = r.coveredBy;
      if (r.handler) entry.handler = r.file.range(r.handler);
      routeDetails.push({ entry, file: r.file, nameNode: r.nameNode, handler: r.handler, app: r.app });
      return entry;
    });

    const jobs: JobEntry[] = [];
    const jobDetails: JobDetail[] = [];
    for (const rec of JOB_RECOGNIZERS) {
      guard(errors, rec.kind, () => {
        for (const d of rec.collect(this.project, { linker, instr, str })) {
          const pos = d.file.position(d.nameNode);
          const handlerCov = d.handler ? instr.describe(d.handler, d.file) : undefined;
          const entry: JobEntry = {
            file: d.file.rel, line: pos.line, column: pos.column, kind: d.kind, name: d.name,
            coverage: handlerCov ? 'handler' : d.coverage?.kind ?? 'none',
          };
          if (d.schedule !== undefined) entry.schedule = d.schedule;
          const by = handlerCov ?? d.coverage?.by;
          if (by) entry.coveredBy = by;
          if (d.handler) entry.handler = d.file.range(d.handler);
          jobs.push(entry);
          jobDetails.push({ entry, file: d.file, nameNode: d.nameNode, handler: d.handler });
        }
      });
    }

    const metrics: MetricDefinition[] = [];
    for (const f of this.project.files.values()) guard(errors, f.rel, () => metrics.push(...collectMetricDefinitions(f, linker, (n) => str(n, f))));

    const byPos = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
    routes.sort((a, b) => byPos(a, b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
    jobs.sort(byPos);
    metrics.sort(byPos);
    this.cached = { inventory: { root: this.root, routes, jobs, metrics, errors }, linker, instr, routes: routeDetails, jobs: jobDetails };
    return this.cached;
  }
}

/** Our own bugs must not end a scan: the part that failed is reported and the rest goes on. */
function guard(errors: AnalysisError[], what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    errors.push({ file: what, message: `internal error: ${(err as Error)?.stack?.split('\n').slice(0, 3).join(' ') ?? String(err)}` });
  }
}

export function analyzeInventory(root: string, options: AnalyzerOptions = {}): Inventory {
  return Analyzer.load(root, options).inventory();
}
