/**
 * Column type inference and automatic test choice exactly as evidently's DataDriftPreset
 * (core/datasets.py infer_column_type; stattests/registry.py _get_default_stattest), plus the
 * registry of every test with its default threshold and decision rule (README §2 of the reference).
 */
import type { DriftColumnType, DriftTestName } from '../../protocol/drift';
import { andersonKsamp2 } from './stats/anderson';
import { binData, type CategoryCounts, countValues, nUniqueUnion } from './stats/binning';
import { chisquareGof } from './stats/chisquare';
import { cramerVonMises2 } from './stats/cramervonmises';
import { energyDistance } from './stats/energy';
import { hellingerCategorical, hellingerNumeric } from './stats/hellinger';
import { jensenShannon } from './stats/jensenshannon';
import { klDiv } from './stats/kl';
import { ks2samp } from './stats/ks';
import { mannWhitneyU } from './stats/mannwhitney';
import { psi } from './stats/psi';
import { wassersteinNormed } from './stats/wasserstein';
import { proportionsZTest } from './stats/ztest';

/** Cleaned samples of one column: numbers (NaN/±inf dropped) or category counts. */
export type ColumnSample =
  | { values: 'numbers'; ref: Float64Array; cur: Float64Array }
  | { values: 'categories'; counts: CategoryCounts };

export interface StatTest {
  name: DriftTestName;
  displayName: string;
  scoreKind: 'p_value' | 'distance';
  defaultThreshold: number;
  allowed: ('num' | 'cat')[];
  /** evidently's decision rule for this test. */
  drifted(score: number, threshold: number): boolean;
  run(s: ColumnSample, type: 'num' | 'cat'): number;
}

function numbers(s: ColumnSample, test: string): { ref: Float64Array; cur: Float64Array } {
  if (s.values !== 'numbers') throw new TypeError(`${test} needs numeric values`);
  return s;
}
function counts(s: ColumnSample): CategoryCounts {
  return s.values === 'numbers' ? countValues(s.ref, s.cur) : s.counts;
}
function binned(s: ColumnSample, type: 'num' | 'cat'): ReturnType<typeof binData> {
  return s.values === 'numbers' ? binData(s.ref, s.cur, type) : binData(s.counts, null, 'cat');
}

const pLe = (p: number, t: number): boolean => p <= t;
const pLt = (p: number, t: number): boolean => p < t;
const dGe = (d: number, t: number): boolean => d >= t;

export const STAT_TESTS: Record<DriftTestName, StatTest> = {
  ks: { name: 'ks', displayName: 'K-S p_value', scoreKind: 'p_value', defaultThreshold: 0.05, allowed: ['num'], drifted: pLe,
    run: (s) => { const { ref, cur } = numbers(s, 'ks'); return ks2samp(ref, cur).pValue; } },
  chisquare: { name: 'chisquare', displayName: 'chi-square p_value', scoreKind: 'p_value', defaultThreshold: 0.05, allowed: ['cat'], drifted: pLt,
    run: (s) => chisquareGof(counts(s)).pValue },
  z: { name: 'z', displayName: 'Z-test p_value', scoreKind: 'p_value', defaultThreshold: 0.05, allowed: ['cat'], drifted: pLt,
    run: (s) => proportionsZTest(counts(s)).pValue },
  wasserstein: { name: 'wasserstein', displayName: 'Wasserstein distance (normed)', scoreKind: 'distance', defaultThreshold: 0.1, allowed: ['num'], drifted: dGe,
    run: (s) => { const { ref, cur } = numbers(s, 'wasserstein'); return wassersteinNormed(ref, cur).normed; } },
  jensenshannon: { name: 'jensenshannon', displayName: 'Jensen-Shannon distance', scoreKind: 'distance', defaultThreshold: 0.1, allowed: ['cat', 'num'], drifted: dGe,
    run: (s, t) => jensenShannon(binned(s, t)) },
  psi: { name: 'psi', displayName: 'PSI', scoreKind: 'distance', defaultThreshold: 0.1, allowed: ['cat', 'num'], drifted: dGe,
    run: (s, t) => psi(binned(s, t)) },
  kl_div: { name: 'kl_div', displayName: 'Kullback-Leibler divergence', scoreKind: 'distance', defaultThreshold: 0.1, allowed: ['cat', 'num'], drifted: dGe,
    run: (s, t) => klDiv(binned(s, t)) },
  hellinger: { name: 'hellinger', displayName: 'Hellinger distance (normed)', scoreKind: 'distance', defaultThreshold: 0.1, allowed: ['cat', 'num'], drifted: dGe,
    run: (s, t) => (t === 'cat' || s.values === 'categories' ? hellingerCategorical(counts(s)) : hellingerNumeric(s.ref, s.cur)) },
  ed: { name: 'ed', displayName: 'Energy-distance', scoreKind: 'distance', defaultThreshold: 0.1, allowed: ['num'], drifted: (d, t) => d > t,
    run: (s) => { const { ref, cur } = numbers(s, 'ed'); return energyDistance(ref, cur); } },
  anderson: { name: 'anderson', displayName: 'Anderson-Darling test p_value', scoreKind: 'p_value', defaultThreshold: 0.1, allowed: ['num'], drifted: pLt,
    run: (s) => { const { ref, cur } = numbers(s, 'anderson'); return andersonKsamp2(ref, cur).pValue; } },
  cramer_von_mises: { name: 'cramer_von_mises', displayName: 'Cramer-von-Mises test p_value', scoreKind: 'p_value', defaultThreshold: 0.1, allowed: ['num'], drifted: pLe,
    run: (s) => { const { ref, cur } = numbers(s, 'cramer_von_mises'); return cramerVonMises2(ref, cur).pValue; } },
  mannw: { name: 'mannw', displayName: 'Mann-Whitney U-rank test', scoreKind: 'p_value', defaultThreshold: 0.05, allowed: ['num'], drifted: pLt,
    run: (s) => { const { ref, cur } = numbers(s, 'mannw'); return mannWhitneyU(ref, cur, 'less').pValue; } },
};

export const TEST_NAMES = Object.keys(STAT_TESTS) as DriftTestName[];

export function isTestName(x: string): x is DriftTestName {
  return Object.prototype.hasOwnProperty.call(STAT_TESTS, x);
}

/** evidently's type names of the reference → Telltale's. */
export const toEvidentlyType = (t: DriftColumnType): 'num' | 'cat' => (t === 'numeric' ? 'num' : 'cat');

/**
 * evidently `infer_column_type` from a pandas-like dtype and the column's distinct/non-null counts:
 * float → numeric; int → categorical if nunique <= 10 else numeric; string → text if
 * nunique > 0.5·count else categorical; bool → categorical.
 */
export function inferColumnType(dtype: 'float' | 'int' | 'bool' | 'string', nUnique: number, count: number): DriftColumnType {
  switch (dtype) {
    case 'float': return 'numeric';
    case 'int': return nUnique <= 10 ? 'categorical' : 'numeric';
    case 'bool': return 'categorical';
    default: return nUnique > 0.5 * count ? 'text' : 'categorical';
  }
}

function nUniqueOf(s: ColumnSample): number {
  return s.values === 'numbers' ? nUniqueUnion(s.ref, s.cur) : s.counts.keys.length;
}

/** evidently `_get_default_stattest`: by cleaned reference size (<= 1000), type and distinct values of the union. */
export function defaultTest(s: ColumnSample, type: 'num' | 'cat'): DriftTestName {
  const nRef = s.values === 'numbers' ? s.ref.length : s.counts.nRef;
  if (nRef <= 1000) {
    const nValues = nUniqueOf(s);
    if (type === 'num') return nValues <= 5 ? (nValues > 2 ? 'chisquare' : 'z') : 'ks';
    return nValues > 2 ? 'chisquare' : 'z';
  }
  if (type === 'num') return nUniqueUnion((s as { ref: Float64Array }).ref, (s as { cur: Float64Array }).cur, 5) <= 5 ? 'jensenshannon' : 'wasserstein';
  return 'jensenshannon';
}

export interface TestChoice { test: StatTest; threshold: number }

export interface TestOptions {
  /** Per-column method and threshold (highest precedence). */
  test?: DriftTestName;
  threshold?: number;
  /** Type-specific (evidently num_/cat_ stattest and threshold). */
  numTest?: DriftTestName;
  catTest?: DriftTestName;
  numThreshold?: number;
  catThreshold?: number;
  /** Global (all_features_stattest / threshold). */
  allTest?: DriftTestName;
  allThreshold?: number;
}

/**
 * Method and threshold resolution (data_drift_utils.py): per column > type-specific > global >
 * automatic choice / the test's default threshold. An explicitly chosen test must allow the type.
 */
export function chooseTest(s: ColumnSample, type: 'num' | 'cat', o: TestOptions = {}): TestChoice {
  const explicit = o.test ?? (type === 'num' ? o.numTest : o.catTest) ?? o.allTest;
  const name = explicit ?? defaultTest(s, type);
  const test = STAT_TESTS[name];
  if (explicit && !test.allowed.includes(type)) {
    throw new TypeError(`test '${name}' does not apply to a ${type === 'num' ? 'numeric' : 'categorical'} column (it takes ${test.allowed.map((t) => (t === 'num' ? 'numeric' : 'categorical')).join(' or ')})`);
  }
  const threshold = o.threshold ?? (type === 'num' ? o.numThreshold : o.catThreshold) ?? o.allThreshold ?? test.defaultThreshold;
  return { test, threshold };
}
