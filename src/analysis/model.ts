/**
 * The plain data the analysis produces and everything else consumes (CLI JSON, SARIF, the
 * extension, the runtime's code links). These shapes are a public contract: `telltale inventory
 * --format json` prints an Inventory, `telltale scan --format json` prints a ScanResult.
 * Paths are relative to the scanned root with '/' separators; lines and columns are 1-based.
 */

export type Coverage = 'none' | 'handler' | 'middleware' | 'auto';

export type FrameworkId = 'express' | 'fastify' | 'koa' | 'hono' | 'nest' | 'next' | 'node-http';

export type JobKind =
  | 'node-cron' | 'cron' | 'bullmq' | 'bull' | 'agenda' | 'nest-schedule' | 'interval' | 'script';

export interface Position { line: number; column: number }
export interface Range { start: Position; end: Position }

export interface RouteEntry {
  file: string;
  line: number;
  column: number;
  /** Upper case; any-method handlers use 'ANY'. */
  method: string;
  /** Fully composed from the server root, in the framework's own parameter syntax. */
  path: string;
  framework: FrameworkId;
  coverage: Coverage;
  /** The handler function (the last handler when there are several). */
  handler?: Range;
  /** Where coverage comes from, for humans: 'express-prom-bundle at src/app.ts:8'. */
  coveredBy?: string;
}

export interface JobEntry {
  file: string;
  line: number;
  column: number;
  kind: JobKind;
  /** Queue name, job name, cron name, or the function/file name for intervals and scripts. */
  name: string;
  schedule?: string;
  coverage: Coverage;
  handler?: Range;
  coveredBy?: string;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'updowncounter' | 'observablegauge' | 'observablecounter' | 'observableupdowncounter';

export interface MetricDefinition {
  file: string;
  line: number;
  column: number;
  name: string;
  type: MetricType;
  labelNames: string[];
  library: 'prom-client' | 'opentelemetry' | 'statsd';
  help?: string;
}

export interface AnalysisError { file: string; message: string }

export interface Inventory {
  root: string;
  routes: RouteEntry[];
  jobs: JobEntry[];
  metrics: MetricDefinition[];
  errors: AnalysisError[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** What a fix needs (method, path, label name…); not part of the CLI's JSON contract. */
  data?: Record<string, unknown>;
}

export interface ScanResult {
  root: string;
  findings: Finding[];
  errors: AnalysisError[];
}
