/**
 * Fixture projects (multi-file apps per framework, with prefix composition and look-alikes) against
 * their golden inventories. `UPDATE_GOLDENS=1` rewrites the goldens (review the diff).
 * Fixtures have no node_modules: the analysis must work from the sources alone.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../src/analysis/analyze';
import { checkGolden } from '../helpers/golden';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inventory');

describe('fixture projects match their golden inventories', () => {
  const dirs = fs.existsSync(FIXTURES)
    ? fs.readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  for (const name of dirs) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      assert.ok(!fs.existsSync(path.join(dir, 'node_modules')), `${name} must not have node_modules`);
      const inv = Analyzer.load(dir).inventory();
      assert.deepEqual(inv.errors.filter((e) => e.message.startsWith('internal error')), [], 'internal errors');
      assert.ok(inv.routes.length + inv.jobs.length > 0, `${name} yields no routes or jobs`);
      checkGolden(path.join(dir, 'inventory.golden.json'), JSON.stringify({ ...inv, root: '<root>' }, null, 2) + '\n');
    });
  }
});
