/**
 * Per-column drift and dataset drift between two datasets, as evidently's DataDriftPreset does:
 * type from the current data (or an override), cleaning (NaN and ±inf dropped), automatic or
 * configured test and threshold, dataset drift when drifted/tested >= driftShare (default 0.5);
 * plus the data checks and the chart data of every column.
 */
import type { ColumnChart, ColumnDrift, ColumnSummary, DriftColumnType, DriftReport, DriftTestName } from '../../protocol/drift';
import { type ChecksConfig, type ColumnCheckConfig, runChecks } from './checks';
import { type Column, type Dataset, DataError } from './read/columns';
import { chooseTest, type ColumnSample, inferColumnType, type TestOptions, toEvidentlyType } from './select';
import { type CategoryCounts, compareKeys, countCategories, sturgesHistogram } from './stats/binning';
import { sortedFloat64 } from './stats/sort';
import { cleanNumeric, mean, medianSorted, quantileSorted, stdPop } from './stats/describe';

export interface ColumnOptions extends ColumnCheckConfig {
  type?: 'numeric' | 'categorical';
  test?: DriftTestName;
  threshold?: number;
  ignore?: boolean;
}

export interface DriftOptions extends Omit<TestOptions, 'test' | 'threshold'> {
  columns?: Record<string, ColumnOptions>;
  /** Share of drifted columns at which the dataset drifts (default 0.5, compared with >=). */
  driftShare?: number;
  checks?: ChecksConfig;
  dataset?: string;
  /** Charts per column (default true). */
  charts?: boolean;
}

function nonNullCount(c: Column): { nonNull: number; nUnique: number } {
  if (c.kind === 'number') {
    const seen = new Set<number>();
    let n = 0;
    for (let i = 0; i < c.values.length; i++) { const v = c.values[i]; if (v === v) { n++; seen.add(v === 0 ? 0 : v); } }
    return { nonNull: n, nUnique: seen.size };
  }
  const seen = new Set<number>();
  let n = 0;
  for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) { n++; seen.add(c.codes[i]); }
  return { nonNull: n, nUnique: seen.size };
}

/** Category values of a column for counting: numbers stay numbers (sorted numerically), ±inf and NaN dropped. */
function categoryValues(c: Column, asString: boolean): (string | number | null)[] {
  if (c.kind === 'number') {
    return Array.from(c.values, (v) => (Number.isFinite(v) ? (asString ? String(v) : v) : null));
  }
  return Array.from(c.codes, (k) => (k < 0 ? null : c.labels[k]));
}

function notNumeric(c: Column, role: string): DataError {
  const loc = c.kind === 'string' ? c.firstNonNumeric : undefined;
  return new DataError(loc?.file ?? role, loc?.line, loc?.column,
    `column '${c.name}' is declared numeric but has the non-numeric value ${JSON.stringify(loc?.value ?? '?')}`);
}

function numericSummary(raw: Float64Array, finiteSorted: Float64Array, finite: Float64Array): ColumnSummary {
  const { nulls } = cleanNumeric(raw);
  let nUnique = 0;
  for (let i = 0; i < finiteSorted.length; i++) if (i === 0 || finiteSorted[i] !== finiteSorted[i - 1]) nUnique++;
  const n = finite.length;
  return {
    rows: raw.length, nullFraction: raw.length ? nulls / raw.length : 0, nUnique,
    min: n ? finiteSorted[0] : undefined, max: n ? finiteSorted[n - 1] : undefined,
    mean: n ? mean(finite) : undefined, std: n ? stdPop(finite) : undefined,
    median: n ? medianSorted(finiteSorted) : undefined, p95: n ? quantileSorted(finiteSorted, 0.95) : undefined,
  };
}

function categorySummary(c: Column, counts: CategoryCounts, side: 'ref' | 'cur'): ColumnSummary {
  const arr = side === 'ref' ? counts.ref : counts.cur;
  let nUnique = 0;
  for (const v of arr) if (v > 0) nUnique++;
  const rows = c.kind === 'number' ? c.values.length : c.codes.length;
  const n = side === 'ref' ? counts.nRef : counts.nCur;
  return { rows, nullFraction: rows ? (rows - n) / rows : 0, nUnique };
}

const MAX_CATEGORIES_CHARTED = 20;

function categoryChart(counts: CategoryCounts): ColumnChart {
  const idx = counts.keys.map((_k, i) => i);
  const share = (i: number): number => counts.ref[i] / counts.nRef + counts.cur[i] / counts.nCur;
  idx.sort((a, b) => share(b) - share(a) || compareKeys(counts.keys[a], counts.keys[b]));
  const top = idx.slice(0, MAX_CATEGORIES_CHARTED);
  return {
    kind: 'categories',
    keys: top.map((i) => String(counts.keys[i])),
    reference: top.map((i) => counts.ref[i] / counts.nRef),
    current: top.map((i) => counts.cur[i] / counts.nCur),
    ...(idx.length > top.length ? { otherCount: idx.length - top.length } : {}),
  };
}

function numericChart(ref: Float64Array, cur: Float64Array): ColumnChart {
  const h = sturgesHistogram(ref, cur);
  return {
    kind: 'histogram', edges: [...h.edges],
    reference: Array.from(h.refCounts, (v) => v / ref.length), current: Array.from(h.curCounts, (v) => v / cur.length),
  };
}

/** Drift of one column; throws DataError only for a column declared numeric that is not. */
export function columnDrift(r: Column, c: Column, opts: ColumnOptions, testOpts: TestOptions, charts = true): ColumnDrift {
  const { nonNull, nUnique } = nonNullCount(c);
  const dtype = c.kind === 'number' ? c.dtype : c.dtype;
  const type: DriftColumnType = opts.type ?? inferColumnType(dtype, nUnique, nonNull);
  const base = { column: c.name, type, drifted: false, nReference: 0, nCurrent: 0, score: null } as ColumnDrift;
  if (type === 'text') {
    return { ...base, skipped: 'text column (more than half of its values are distinct): text drift is not computed; set its type to categorical to test it' };
  }
  let sample: ColumnSample;
  let refSummary: ColumnSummary, curSummary: ColumnSummary;
  let chart: ColumnChart | undefined;
  if (type === 'numeric') {
    if (c.kind !== 'number') {
      if (opts.type === 'numeric') throw notNumeric(c, 'current');
      return { ...base, error: `current values are not numeric` };
    }
    if (r.kind !== 'number') {
      if (opts.type === 'numeric') throw notNumeric(r, 'reference');
      return { ...base, error: `reference values are not numeric (the column is ${r.dtype} there)` };
    }
    const ref = cleanNumeric(r.values).finite, cur = cleanNumeric(c.values).finite;
    const refSorted = sortedFloat64(ref), curSorted = sortedFloat64(cur);
    refSummary = numericSummary(r.values, refSorted, ref);
    curSummary = numericSummary(c.values, curSorted, cur);
    sample = { values: 'numbers', ref, cur };
    base.nReference = ref.length;
    base.nCurrent = cur.length;
    if (charts && ref.length && cur.length) {
      const few = new Set<number>();
      for (const x of [refSorted, curSorted]) for (let i = 0; i < x.length && few.size <= 20; i++) few.add(x[i]);
      chart = few.size <= 20 ? categoryChart(countCategories(ref, cur)) : numericChart(ref, cur);
    }
  } else {
    const asString = r.kind !== c.kind;
    const counts = countCategories(categoryValues(r, asString), categoryValues(c, asString));
    sample = { values: 'categories', counts };
    refSummary = categorySummary(r, counts, 'ref');
    curSummary = categorySummary(c, counts, 'cur');
    base.nReference = counts.nRef;
    base.nCurrent = counts.nCur;
    if (charts && counts.nRef && counts.nCur) chart = categoryChart(counts);
  }
  const withData = { ...base, reference: refSummary, current: curSummary, ...(chart ? { chart } : {}) };
  if (base.nReference === 0) return { ...withData, error: 'no non-null values in the reference' };
  if (base.nCurrent === 0) return { ...withData, error: 'no non-null values in current' };
  const evType = toEvidentlyType(type);
  let choice;
  try {
    choice = chooseTest(sample, evType, { ...testOpts, test: opts.test, threshold: opts.threshold });
  } catch (err) {
    return { ...withData, error: (err as Error).message };
  }
  let score: number;
  try {
    score = choice.test.run(sample, evType);
  } catch (err) {
    return { ...withData, test: choice.test.name, threshold: choice.threshold, error: `${choice.test.name}: ${(err as Error).message}` };
  }
  const drifted = Number.isNaN(score) ? false : choice.test.drifted(score, choice.threshold);
  const { column, type: t, nReference, nCurrent, ...others } = withData;
  const rest: Partial<ColumnDrift> = others;
  delete rest.score;
  delete rest.drifted;
  // the CLI contract's fields first, in its order
  return {
    column, type: t, test: choice.test.name, score: Number.isNaN(score) ? null : score, threshold: choice.threshold,
    drifted, nReference, nCurrent, scoreKind: choice.test.scoreKind, ...rest,
  } as ColumnDrift;
}

/** The full report: every column present in both datasets, dataset drift, and the data checks. */
export function driftReport(ref: Dataset, cur: Dataset, opts: DriftOptions = {}): DriftReport {
  const cols = opts.columns ?? {};
  for (const name of Object.keys(cols)) {
    if (!ref.columns.some((c) => c.name === name) && !cur.columns.some((c) => c.name === name)) {
      throw new DataError('options', undefined, undefined, `column '${name}' is configured but present in neither dataset`);
    }
  }
  const refCols = new Map(ref.columns.map((c) => [c.name, c]));
  const testOpts: TestOptions = { numTest: opts.numTest, catTest: opts.catTest, allTest: opts.allTest,
    numThreshold: opts.numThreshold, catThreshold: opts.catThreshold, allThreshold: opts.allThreshold };
  const columns: ColumnDrift[] = [];
  const ignored = new Set(Object.entries(cols).filter(([, o]) => o.ignore).map(([k]) => k));
  const categorical = new Set<string>(), numeric = new Set<string>();
  for (const c of cur.columns) {
    const r = refCols.get(c.name);
    if (!r) continue;
    if (ignored.has(c.name)) {
      columns.push({ column: c.name, type: cols[c.name].type ?? 'numeric', score: null, drifted: false, nReference: 0, nCurrent: 0, skipped: 'ignored by configuration' });
      continue;
    }
    const d = columnDrift(r, c, cols[c.name] ?? {}, testOpts, opts.charts !== false);
    if (d.type === 'categorical') categorical.add(c.name);
    if (d.type === 'numeric') numeric.add(c.name);
    columns.push(d);
  }
  const tested = columns.filter((c) => c.test !== undefined && !c.error && !c.skipped);
  const nDrifted = tested.filter((c) => c.drifted).length;
  const driftShare = opts.driftShare ?? 0.5;
  const driftedShare = tested.length ? nDrifted / tested.length : 0;
  const checks = runChecks(ref, cur, opts.checks ?? {}, cols, { categorical, numeric }, ignored);
  return {
    columns,
    driftedShare,
    datasetDrift: tested.length > 0 && driftedShare >= driftShare,
    checks,
    nDrifted,
    nTested: tested.length,
    driftShare,
    ...(opts.dataset ? { dataset: opts.dataset } : {}),
    reference: { source: ref.sources, rows: ref.rows },
    current: { source: cur.sources, rows: cur.rows },
    failed: checks.some((c) => c.status === 'fail') || columns.some((c) => c.error !== undefined),
  };
}
