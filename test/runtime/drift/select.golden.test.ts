/**
 * evidently's automatic test choice, default thresholds and decision rules, and every applicable
 * test at its default threshold, against the 20 golden cases (columns built as the readers build
 * them: float for numeric cases, strings for categorical ones).
 */
import assert from 'node:assert/strict';
import type { Column } from '../../../src/runtime/drift/read/columns';
import { columnDrift } from '../../../src/runtime/drift/report';
import { type ColumnSample, defaultTest, isTestName, STAT_TESTS } from '../../../src/runtime/drift/select';
import { countCategories } from '../../../src/runtime/drift/stats/binning';
import { cleanNumeric } from '../../../src/runtime/drift/stats/describe';
import { close, type GoldenCase, loadCases } from './golden';

function column(name: string, c: GoldenCase, side: 'ref' | 'cur'): Column {
  const v = c[side];
  if (v instanceof Float64Array) return { name, kind: 'number', dtype: 'float', values: v };
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(v, (s) => {
    if (s === null) return -1;
    let k = index.get(s);
    if (k === undefined) { k = labels.length; index.set(s, k); labels.push(s); }
    return k;
  });
  return { name, kind: 'string', dtype: 'string', codes, labels };
}

function sample(c: GoldenCase): ColumnSample {
  if (c.column_type === 'num') return { values: 'numbers', ref: cleanNumeric(c.ref as Float64Array).finite, cur: cleanNumeric(c.cur as Float64Array).finite };
  return { values: 'categories', counts: countCategories(c.ref as (string | null)[], c.cur as (string | null)[]) };
}

describe('evidently test selection vs goldens', () => {
  for (const c of loadCases()) {
    const e = c.expected;
    it(`${c.case}: default test ${e.evidently_default.test}, threshold and drift flag`, () => {
      const d = columnDrift(column('x', c, 'ref'), column('x', c, 'cur'), {}, {});
      assert.equal(d.type, c.column_type === 'num' ? 'numeric' : 'categorical');
      assert.equal(d.nReference, e.evidently_default.n_reference);
      assert.equal(d.test, e.evidently_default.test);
      assert.equal(d.threshold, e.evidently_default.threshold);
      close(d.score ?? NaN, e.evidently_default.score, 1e-9, 'score', 1e-300);
      assert.equal(d.drifted, e.evidently_default.drift_detected);
      assert.equal(defaultTest(sample(c), c.column_type), e.evidently_default.test);
    });
    it(`${c.case}: every applicable test at its default threshold`, () => {
      const s = sample(c);
      let checked = 0;
      for (const [name, g] of Object.entries(e.evidently_all_tests_default_thresholds as Record<string, { score: number; threshold: number; drift_detected: boolean }>)) {
        if (!isTestName(name)) continue; // t_test, empirical_mmd: not ported
        const t = STAT_TESTS[name];
        assert.equal(t.defaultThreshold, g.threshold, `${name} threshold`);
        const score = t.run(s, c.column_type);
        const tol = name === 'cramer_von_mises' ? 5e-14 : 1e-300;
        close(score, g.score, 1e-9, `${name} score`, tol);
        assert.equal(Number.isNaN(score) ? false : t.drifted(score, t.defaultThreshold), g.drift_detected, `${name} drift flag`);
        checked++;
      }
      assert.ok(checked >= 4);
    });
  }
});
