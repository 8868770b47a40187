/** The analysis' public data shapes, re-exported for the runtime, the extension and the webview. */
export type {
  Coverage, FrameworkId, JobKind, Position, Range, RouteEntry, JobEntry, MetricType, MetricDefinition,
  AnalysisError, Inventory, Severity, Finding, ScanResult,
} from '../analysis/model';
