/**
 * Data checks beside drift (what whylogs constraints do): schema (missing / extra columns, type
 * changes), null fraction, value range, new categories and unique ratio. Thresholds come from the
 * `drift.checks` section and per-column overrides; every check names its column and its limit.
 */
import type { CheckResult } from '../../protocol/drift';
import type { Column, Dataset } from './read/columns';

export type CheckLevel = 'fail' | 'warn' | 'off';

export interface ChecksConfig {
  /** A reference column absent from current (default fail). */
  missingColumns?: CheckLevel;
  /** A current column absent from reference (default warn). */
  extraColumns?: CheckLevel;
  /** A column that is numeric on one side and text/bool on the other (default fail). */
  typeChange?: CheckLevel;
  /** Absolute limit on the current null fraction (no default). */
  maxNullFraction?: number;
  /** Limit on current − reference null fraction (default 0.1). */
  maxNullFractionIncrease?: number;
  /** Current numeric values outside the reference [min, max] (default warn); explicit min/max per column always fail. */
  outOfRange?: CheckLevel;
  /** Categories in current that reference never had (default warn). */
  newCategories?: CheckLevel;
  minUniqueRatio?: number;
  maxUniqueRatio?: number;
}

export interface ColumnCheckConfig {
  min?: number;
  max?: number;
  maxNullFraction?: number;
  newCategories?: CheckLevel;
  minUniqueRatio?: number;
  maxUniqueRatio?: number;
}

interface ColumnStats { rows: number; nulls: number; nUnique: number; min: number; max: number }

export function columnStats(c: Column): ColumnStats {
  if (c.kind === 'number') {
    let nulls = 0, min = Infinity, max = -Infinity;
    const seen = new Set<number>();
    for (let i = 0; i < c.values.length; i++) {
      const v = c.values[i];
      if (v !== v) { nulls++; continue; }
      seen.add(v === 0 ? 0 : v);
      if (Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
    }
    return { rows: c.values.length, nulls, nUnique: seen.size, min, max };
  }
  let nulls = 0;
  const seen = new Set<number>();
  for (let i = 0; i < c.codes.length; i++) { if (c.codes[i] < 0) nulls++; else seen.add(c.codes[i]); }
  return { rows: c.codes.length, nulls, nUnique: seen.size, min: NaN, max: NaN };
}

const kindOf = (c: Column): string => (c.kind === 'number' ? 'numeric' : c.dtype === 'bool' ? 'boolean' : 'text');
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

function categoriesOf(c: Column): Map<string, number> {
  const m = new Map<string, number>();
  if (c.kind === 'number') {
    for (let i = 0; i < c.values.length; i++) { const v = c.values[i]; if (v === v) { const k = String(v); m.set(k, (m.get(k) ?? 0) + 1); } }
  } else {
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) { const k = c.labels[c.codes[i]]; m.set(k, (m.get(k) ?? 0) + 1); }
  }
  return m;
}

/**
 * Runs every check. `categorical` names the columns treated as categorical (new-category check);
 * `numeric` those treated as numeric (range check).
 */
export function runChecks(ref: Dataset, cur: Dataset, cfg: ChecksConfig, perColumn: Record<string, ColumnCheckConfig | undefined>,
  types: { categorical: Set<string>; numeric: Set<string> }, ignored: Set<string> = new Set()): CheckResult[] {
  const out: CheckResult[] = [];
  const refCols = new Map(ref.columns.map((c) => [c.name, c]));
  const curCols = new Map(cur.columns.map((c) => [c.name, c]));
  const level = (l: CheckLevel | undefined, d: CheckLevel): CheckLevel => l ?? d;

  const missing = level(cfg.missingColumns, 'fail');
  const extra = level(cfg.extraColumns, 'warn');
  for (const name of refCols.keys()) {
    if (ignored.has(name) || curCols.has(name) || missing === 'off') continue;
    out.push({ check: 'schema_missing_column', column: name, status: missing, message: `column '${name}' is in the reference but missing from current` });
  }
  for (const name of curCols.keys()) {
    if (ignored.has(name) || refCols.has(name) || extra === 'off') continue;
    out.push({ check: 'schema_extra_column', column: name, status: extra, message: `column '${name}' is in current but not in the reference` });
  }
  const typeChange = level(cfg.typeChange, 'fail');
  for (const [name, c] of curCols) {
    const r = refCols.get(name);
    if (!r || ignored.has(name)) continue;
    const cs = columnStats(c), rs = columnStats(r);
    const pc = perColumn[name] ?? {};
    if (typeChange !== 'off') {
      const changed = kindOf(r) !== kindOf(c) && !(rs.nulls === rs.rows || cs.nulls === cs.rows);
      out.push({ check: 'schema_type_change', column: name, status: changed ? typeChange : 'pass', value: kindOf(c), limit: kindOf(r),
        message: changed ? `column '${name}' was ${kindOf(r)} in the reference and is ${kindOf(c)} in current` : `column '${name}' keeps its type (${kindOf(c)})` });
    }
    // null fraction
    const curNull = cs.rows ? cs.nulls / cs.rows : 0;
    const refNull = rs.rows ? rs.nulls / rs.rows : 0;
    const absLimit = pc.maxNullFraction ?? cfg.maxNullFraction;
    if (absLimit !== undefined) {
      const bad = curNull > absLimit;
      out.push({ check: 'null_fraction', column: name, status: bad ? 'fail' : 'pass', value: curNull, limit: absLimit,
        message: `column '${name}': ${pct(curNull)} null in current (limit ${pct(absLimit)})` });
    } else {
      const inc = cfg.maxNullFractionIncrease ?? 0.1;
      const bad = curNull - refNull > inc;
      out.push({ check: 'null_fraction', column: name, status: bad ? 'fail' : 'pass', value: curNull, limit: refNull + inc,
        message: `column '${name}': ${pct(curNull)} null in current vs ${pct(refNull)} in the reference (allowed increase ${pct(inc)})` });
    }
    // value range
    if (types.numeric.has(name) && c.kind === 'number') {
      const explicit = pc.min !== undefined || pc.max !== undefined;
      const lo = pc.min ?? (explicit ? -Infinity : rs.min), hi = pc.max ?? (explicit ? Infinity : rs.max);
      const lvl = explicit ? 'fail' : level(cfg.outOfRange, 'warn');
      if (lvl !== 'off' && (Number.isFinite(lo) || Number.isFinite(hi))) {
        let outside = 0, n = 0;
        for (let i = 0; i < c.values.length; i++) { const v = c.values[i]; if (v === v) { n++; if (v < lo || v > hi) outside++; } }
        const frac = n ? outside / n : 0;
        out.push({ check: 'value_range', column: name, status: outside > 0 ? lvl : 'pass', value: frac, limit: `[${lo}, ${hi}]`,
          message: `column '${name}': ${outside} of ${n} current values (${pct(frac)}) outside ${explicit ? 'the configured' : 'the reference'} range [${lo}, ${hi}]` });
      }
    }
    // new categories
    const ncLevel = level(pc.newCategories ?? cfg.newCategories, 'warn');
    if (types.categorical.has(name) && ncLevel !== 'off') {
      const rc = categoriesOf(r), cc = categoriesOf(c);
      const fresh = [...cc.keys()].filter((k) => !rc.has(k)).sort();
      const rows = fresh.reduce((a, k) => a + cc.get(k)!, 0);
      out.push({ check: 'new_categories', column: name, status: fresh.length ? ncLevel : 'pass', value: fresh.length,
        message: fresh.length
          ? `column '${name}': ${fresh.length} categor${fresh.length === 1 ? 'y' : 'ies'} not in the reference (${fresh.slice(0, 10).map((k) => JSON.stringify(k)).join(', ')}${fresh.length > 10 ? ', …' : ''}) in ${rows} rows`
          : `column '${name}': no new categories` });
    }
    // unique ratio
    const minU = pc.minUniqueRatio ?? cfg.minUniqueRatio, maxU = pc.maxUniqueRatio ?? cfg.maxUniqueRatio;
    if (minU !== undefined || maxU !== undefined) {
      const nonNull = cs.rows - cs.nulls;
      const ratio = nonNull ? cs.nUnique / nonNull : 0;
      const bad = (minU !== undefined && ratio < minU) || (maxU !== undefined && ratio > maxU);
      out.push({ check: 'unique_ratio', column: name, status: bad ? 'fail' : 'pass', value: ratio, limit: `[${minU ?? 0}, ${maxU ?? 1}]`,
        message: `column '${name}': unique ratio ${ratio.toFixed(4)} (allowed [${minU ?? 0}, ${maxU ?? 1}])` });
    }
  }
  return out;
}
