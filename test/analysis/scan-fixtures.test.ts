/**
 * Every fixture project (and the bundled example) against its golden findings, in the STYLE.md
 * form: `src/orders.ts:14:5 warning uninstrumented-route  Route GET /orders/:id has …`.
 * One line per finding of every rule, sorted; `UPDATE_GOLDENS=1` rewrites (review the diff).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../src/analysis/analyze';
import { runRules } from '../../src/analysis/findings';
import { checkGolden } from '../helpers/golden';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/inventory');

const projects = [
  ...(fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(FIXTURES, d.name)) : []),
  path.join(ROOT, 'examples/shop'),
].sort();

describe('fixture projects match their golden findings', () => {
  for (const dir of projects) {
    it(path.relative(ROOT, dir), () => {
      const result = runRules(Analyzer.load(dir));
      assert.deepEqual(result.errors.filter((e) => e.message.startsWith('internal error')), [], 'internal errors');
      const lines = result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}  ${f.message}`);
      checkGolden(path.join(dir, 'findings.golden.txt'), lines.join('\n') + '\n');
    });
  }

  it('the example has one finding of each kind it is meant to show', () => {
    const rules = new Set(runRules(Analyzer.load(path.join(ROOT, 'examples/shop'))).findings.map((f) => f.rule));
    for (const r of ['uninstrumented-route', 'uninstrumented-job', 'high-cardinality-label', 'pii-in-log', 'swallowed-error']) assert.ok(rules.has(r), `examples/shop shows no ${r}`);
  });
});
