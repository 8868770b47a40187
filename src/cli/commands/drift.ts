/**
 * `telltale drift --reference R --current C [--format json|text|html] [--out FILE]
 *   [--column-type col=numeric|categorical] [--test [col=]psi] [--threshold [col=]0.2] [--drift-share 0.5]
 *   [--field features] [--config FILE] [--dataset NAME]`
 *
 * Exit 0: no dataset drift and no failed check; 1: dataset drift or a failed check (CI gate);
 * 2: bad usage, config or input (missing file, unparsable row named by file, line and column) —
 * then nothing is printed as a report.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DriftTestName } from '../../protocol/drift';
import type { DriftReport } from '../../protocol/drift';
import { ConfigError, loadConfig } from '../../config/load';
import type { DriftDatasetConfig, DriftSectionConfig } from '../../config/sections/drift';
import { renderHtml } from '../../runtime/drift/html';
import { DataError } from '../../runtime/drift/read/columns';
import { type DataFormat, readDataset } from '../../runtime/drift/read/index';
import { type ColumnOptions, driftReport, type DriftOptions } from '../../runtime/drift/report';
import { isTestName, TEST_NAMES } from '../../runtime/drift/select';
import { type CliCommand, type CliIO, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError } from '../io';

const HELP = `Usage: telltale drift --reference R --current C [options]

Compares a reference and a current dataset (CSV, NDJSON/JSONL or Parquet files or globs) column by
column with evidently's default tests, and runs data checks.

Options:
  --reference, -r PATH      reference data (file or glob)
  --current, -c PATH        current data (file or glob)
  --format json|text|html   output format (default text)
  --out FILE                write the report to FILE (a one-line summary goes to stdout)
  --column-type COL=TYPE    numeric or categorical (repeatable)
  --test [COL=]TEST         test for one column, or for all columns (${TEST_NAMES.join(', ')})
  --threshold [COL=]X       threshold for one column, or for all columns
  --drift-share X           share of drifted columns at which the dataset drifts (default 0.5)
  --field NAME              NDJSON: read this field of each line as the row (e.g. features)
  --input-format FMT        csv, ndjson or parquet when the extension does not tell
  --config FILE             telltale.config.json to use (default: found from the working directory)
  --dataset NAME            run this dataset of the config's drift.datasets (default: all, when no --reference)
  --no-checks               skip the data checks

Exit codes: 0 no drift, 1 dataset drift or a failed check, 2 bad usage or input.
`;

interface Args {
  reference?: string; current?: string; format: 'json' | 'text' | 'html'; out?: string;
  columnType: Record<string, 'numeric' | 'categorical'>; test: Record<string, DriftTestName>; threshold: Record<string, number>;
  allTest?: DriftTestName; allThreshold?: number; driftShare?: number; field?: string; inputFormat?: DataFormat;
  config?: string; dataset?: string; checks: boolean;
}

function parseNumber(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag}: '${v}' is not a non-negative number`);
  return n;
}

function parseArgs(argv: string[]): Args | 'help' {
  const a: Args = { format: 'text', columnType: {}, test: {}, threshold: {}, checks: true };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value: string | undefined;
    const eq = flag.startsWith('--') ? flag.indexOf('=') : -1;
    if (eq > 0) { value = flag.slice(eq + 1); flag = flag.slice(0, eq); }
    const next = (): string => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const pair = (v: string): [string | undefined, string] => {
      const k = v.lastIndexOf('=');
      return k > 0 ? [v.slice(0, k), v.slice(k + 1)] : [undefined, v];
    };
    switch (flag) {
      case '-h': case '--help': return 'help';
      case '-r': case '--reference': a.reference = next(); break;
      case '-c': case '--current': a.current = next(); break;
      case '--format': {
        const f = next();
        if (f !== 'json' && f !== 'text' && f !== 'html') throw new UsageError(`--format must be json, text or html, not '${f}'`);
        a.format = f; break;
      }
      case '--out': case '-o': a.out = next(); break;
      case '--column-type': {
        const [col, t] = pair(next());
        if (!col) throw new UsageError(`--column-type needs COLUMN=numeric|categorical`);
        if (t !== 'numeric' && t !== 'categorical') throw new UsageError(`--column-type ${col}: type must be numeric or categorical, not '${t}'`);
        a.columnType[col] = t; break;
      }
      case '--test': {
        const [col, t] = pair(next());
        if (!isTestName(t)) throw new UsageError(`--test: unknown test '${t}' (one of ${TEST_NAMES.join(', ')})`);
        if (col) a.test[col] = t; else a.allTest = t;
        break;
      }
      case '--threshold': {
        const [col, t] = pair(next());
        const x = parseNumber('--threshold', t);
        if (col) a.threshold[col] = x; else a.allThreshold = x;
        break;
      }
      case '--drift-share': {
        const x = parseNumber('--drift-share', next());
        if (x > 1) throw new UsageError('--drift-share must be between 0 and 1');
        a.driftShare = x; break;
      }
      case '--field': a.field = next(); break;
      case '--input-format': {
        const f = next();
        if (f !== 'csv' && f !== 'ndjson' && f !== 'parquet') throw new UsageError(`--input-format must be csv, ndjson or parquet, not '${f}'`);
        a.inputFormat = f; break;
      }
      case '--config': a.config = next(); break;
      case '--dataset': a.dataset = next(); break;
      case '--no-checks': a.checks = false; break;
      default: throw new UsageError(`unknown option '${argv[i]}' (see telltale drift --help)`);
    }
  }
  return a;
}

interface Job { name?: string; reference: string; current: string; baseDir: string; format?: DataFormat; field?: string; options: DriftOptions }

function columnsFrom(ds: DriftDatasetConfig | undefined, a: Args): Record<string, ColumnOptions> {
  const cols: Record<string, ColumnOptions> = {};
  for (const [k, v] of Object.entries(ds?.columns ?? {})) cols[k] = { ...v };
  for (const [k, t] of Object.entries(a.columnType)) cols[k] = { ...cols[k], type: t };
  for (const [k, t] of Object.entries(a.test)) cols[k] = { ...cols[k], test: t };
  for (const [k, t] of Object.entries(a.threshold)) cols[k] = { ...cols[k], threshold: t };
  return cols;
}

function jobs(a: Args, io: CliIO): Job[] {
  let section: DriftSectionConfig = {};
  let dir = io.cwd;
  const needConfig = a.config !== undefined || a.dataset !== undefined || a.reference === undefined;
  if (needConfig || fs.existsSync(path.join(io.cwd, 'telltale.config.json'))) {
    const loaded = loadConfig(io.cwd, a.config);
    section = (loaded.config.drift ?? {}) as DriftSectionConfig;
    dir = loaded.dir;
  }
  const base = (ds?: DriftDatasetConfig): DriftOptions => ({
    driftShare: a.driftShare ?? ds?.driftShare ?? section.driftShare,
    allTest: a.allTest ?? ds?.test, numTest: ds?.numTest, catTest: ds?.catTest,
    allThreshold: a.allThreshold ?? ds?.threshold, numThreshold: ds?.numThreshold, catThreshold: ds?.catThreshold,
    checks: { ...section.checks, ...ds?.checks },
    columns: columnsFrom(ds, a),
    dataset: ds?.name,
  });
  if (a.reference !== undefined || a.current !== undefined) {
    if (!a.reference || !a.current) throw new UsageError('give both --reference and --current');
    const ds = a.dataset ? section.datasets?.find((d) => d.name === a.dataset) : undefined;
    return [{ reference: a.reference, current: a.current, baseDir: io.cwd, format: a.inputFormat ?? ds?.format, field: a.field ?? ds?.field, options: base(ds) }];
  }
  const all = section.datasets ?? [];
  if (all.length === 0) throw new UsageError('give --reference and --current, or configure drift.datasets in telltale.config.json');
  const chosen = a.dataset ? all.filter((d) => d.name === a.dataset) : all;
  if (chosen.length === 0) throw new UsageError(`no dataset '${a.dataset}' in drift.datasets (have: ${all.map((d) => d.name).join(', ')})`);
  return chosen.map((ds) => ({ name: ds.name, reference: ds.reference, current: ds.current, baseDir: dir, format: a.inputFormat ?? ds.format, field: a.field ?? ds.field, options: base(ds) }));
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(3);
  return Number(x.toPrecision(4)).toString();
}

export function renderText(r: DriftReport): string {
  const lines: string[] = [];
  lines.push(`${r.dataset ? `Dataset ${r.dataset}: ` : ''}reference ${r.reference.source.join(', ')} (${r.reference.rows} rows) vs current ${r.current.source.join(', ')} (${r.current.rows} rows)`);
  const header = ['column', 'type', 'test', 'score', 'threshold', 'drift'];
  const rows = r.columns.map((c) => [c.column, c.type, c.test ?? '-', fmt(c.score), fmt(c.threshold), c.error ? `error: ${c.error}` : c.skipped ? `not tested: ${c.skipped}` : c.drifted ? 'DRIFT' : 'no']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (i === 5 ? 0 : row[i].length))));
  for (const row of [header, ...rows]) lines.push(row.map((v, i) => (i === 5 ? v : v.padEnd(widths[i]))).join('  ').trimEnd());
  lines.push(`Dataset drift: ${r.datasetDrift ? 'YES' : 'no'} (${r.nDrifted} of ${r.nTested} columns drifted, share ${fmt(r.driftedShare)}; drifts at >= ${r.driftShare})`);
  const failed = r.checks.filter((c) => c.status === 'fail'), warned = r.checks.filter((c) => c.status === 'warn');
  lines.push(`Checks: ${r.checks.length - failed.length - warned.length} passed, ${failed.length} failed, ${warned.length} warnings`);
  for (const c of [...failed, ...warned]) lines.push(`  ${c.status.toUpperCase()} ${c.check}: ${c.message}`);
  return lines.join('\n') + '\n';
}

/** JSON numbers: NaN/Infinity are not JSON, so they become null. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export const run: CliCommand = async (argv, io) => {
  const a = parseArgs(argv);
  if (a === 'help') { io.stdout.write(HELP); return EXIT_OK; }
  let reports: DriftReport[];
  try {
    const list = jobs(a, io);
    reports = [];
    for (const j of list) {
      const [ref, cur] = await Promise.all([
        readDataset(j.reference, { baseDir: j.baseDir, format: j.format, field: j.field }),
        readDataset(j.current, { baseDir: j.baseDir, format: j.format, field: j.field }),
      ]);
      const report = driftReport(ref, cur, j.options);
      if (!a.checks) { report.checks = []; report.failed = report.columns.some((c) => c.error !== undefined); }
      reports.push(report);
    }
  } catch (err) {
    if (err instanceof DataError || err instanceof ConfigError) {
      io.stderr.write(`telltale drift: ${err.message}\n`);
      return EXIT_ERROR;
    }
    throw err;
  }
  let text: string;
  if (a.format === 'json') text = toJson(reports.length === 1 && !reports[0].dataset ? reports[0] : reports.length === 1 ? reports[0] : { datasets: reports });
  else if (a.format === 'html') text = reports.map((r) => renderHtml(r)).join('\n');
  else text = reports.map(renderText).join('\n');
  const drift = reports.some((r) => r.datasetDrift);
  const failed = reports.some((r) => r.failed);
  if (a.out) {
    const out = path.resolve(io.cwd, a.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, text);
    io.stdout.write(`${drift ? 'Dataset drift detected' : 'No dataset drift'}${failed ? ', checks failed' : ''}: report written to ${a.out}\n`);
  } else {
    io.stdout.write(text);
  }
  return drift || failed ? EXIT_FINDINGS : EXIT_OK;
};
