/**
 * The drift report contract (TYPE-ONLY): what `telltale drift --format json` prints, what the
 * runtime serves, and what the dashboard's drift view and the HTML report render.
 */

/** evidently's column types; `text` columns are listed but not tested (no text-drift test here). */
export type DriftColumnType = 'numeric' | 'categorical' | 'text';

/** evidently stat-test names. */
export type DriftTestName =
  | 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi' | 'kl_div' | 'hellinger'
  | 'ed' | 'anderson' | 'cramer_von_mises' | 'mannw';

/** Reference-vs-current shares for a chart: histogram bins (numeric) or categories. */
export type ColumnChart =
  | { kind: 'histogram'; edges: number[]; reference: number[]; current: number[] }
  | { kind: 'categories'; keys: string[]; reference: number[]; current: number[]; otherCount?: number };

export interface ColumnSummary {
  rows: number;
  nullFraction: number;
  nUnique: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  median?: number;
  p95?: number;
}

export interface ColumnDrift {
  column: string;
  type: DriftColumnType;
  /** Test used; absent when the column could not be tested (see `error` / `skipped`). */
  test?: DriftTestName;
  /** p-value for p-value tests, the distance otherwise; null when undefined (e.g. chi-square with one category). */
  score: number | null;
  threshold?: number;
  /** 'p_value' tests drift when the score is below (or at, for ks / cramer_von_mises) the threshold; 'distance' tests when at or above (above for ed). */
  scoreKind?: 'p_value' | 'distance';
  drifted: boolean;
  nReference: number;
  nCurrent: number;
  /** Why a column was not tested (text column, ignored). */
  skipped?: string;
  /** Why the test failed for this column (no data, wrong type); such a column counts as not drifted and makes the run fail. */
  error?: string;
  reference?: ColumnSummary;
  current?: ColumnSummary;
  chart?: ColumnChart;
}

export type CheckName = 'schema_missing_column' | 'schema_extra_column' | 'schema_type_change' | 'null_fraction'
  | 'value_range' | 'new_categories' | 'unique_ratio';

export interface CheckResult {
  check: CheckName;
  column?: string;
  status: 'pass' | 'warn' | 'fail';
  /** Observed value (fraction, count…). */
  value?: number | string;
  /** The limit it was compared with. */
  limit?: number | string;
  message: string;
}

export interface DriftReport {
  dataset?: string;
  reference: { source: string[]; rows: number };
  current: { source: string[]; rows: number };
  columns: ColumnDrift[];
  /** Drifted columns / tested columns. */
  driftedShare: number;
  nDrifted: number;
  nTested: number;
  /** The share at or above which the dataset drifts (default 0.5). */
  driftShare: number;
  datasetDrift: boolean;
  checks: CheckResult[];
  /** True when any check has status 'fail' or any column has an error. */
  failed: boolean;
}

/** One dataset as the runtime monitor holds it. */
export interface DatasetDriftState {
  dataset: string;
  status: 'ok' | 'error' | 'pending';
  message?: string;
  /** ms since epoch of the last (successful or failed) refresh. */
  updatedAt?: number;
  report?: DriftReport;
  online?: OnlineFeatureDrift[];
}

/** Online drift of one feature between a reference and a current window. */
export interface OnlineFeatureDrift {
  dataset: string;
  feature: string;
  source: 'histogram' | 'counter' | 'log';
  test: 'psi' | 'jensenshannon';
  score: number | null;
  threshold: number;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  /** Why no score (e.g. empty window). */
  message?: string;
  chart?: ColumnChart;
}
