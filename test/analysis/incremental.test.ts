/**
 * Re-analysis after an edit keeps the memos that did not read the edited file. Whatever the edit,
 * the result must equal a fresh analysis of the same files.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { Analyzer } from '../../src/analysis/analyze';
import { runRules } from '../../src/analysis/findings';
import { removeProject, writeProject } from '../helpers/annotated';

const FILES: Record<string, string> = {
  '/src/app.ts': [
    "import express from 'express';",
    "import users from './users';",
    "import { ordersRouter } from './orders';",
    "import { API } from './paths';",
    'const app = express();',
    'app.use(API, users);',
    "app.use('/shop', ordersRouter());",
  ].join('\n'),
  '/src/users.ts': [
    "import { Router } from 'express';",
    "import { track } from './metrics';",
    'const router = Router();',
    "router.get('/users/:id', (req, res) => { track(); res.end(); });",
    'export default router;',
  ].join('\n'),
  '/src/orders.ts': [
    "import express from 'express';",
    'export function ordersRouter() {',
    '  const r = express.Router();',
    "  r.post('/orders', (req, res) => res.end());",
    '  return r;',
    '}',
  ].join('\n'),
  '/src/paths.ts': "export const API = '/api';\n",
  '/src/metrics.ts': [
    "import { Counter } from 'prom-client';",
    "const hits = new Counter({ name: 'hits_total', help: 'h' });",
    'export function track() { hits.inc(); }',
  ].join('\n'),
};

const EDITS: Array<[string, string, (s: string) => string]> = [
  ['a constant prefix in another file changes', '/src/paths.ts', () => "export const API = '/v2';\n"],
  ['a helper stops recording', '/src/metrics.ts', (s) => s.replace('hits.inc();', '')],
  ['a factory returns a router with another route', '/src/orders.ts', (s) => s.replace("'/orders'", "'/orders/:id'")],
  ['the mount moves', '/src/app.ts', (s) => s.replace("app.use('/shop'", "app.use('/store'")],
  ['an export is renamed away and back', '/src/orders.ts', (s) => s.replace('export function ordersRouter', 'export function makeOrders')],
  ['a route is added to an imported router', '/src/users.ts', (s) => s.replace('export default router;', "router.delete('/users/:id', (req, res) => res.end());\nexport default router;")],
];

describe('incremental re-analysis', () => {
  it('gives the same inventory and findings as a fresh analysis after each edit', () => {
    const dir = writeProject(FILES);
    try {
      const analyzer = Analyzer.load(dir);
      analyzer.inventory();
      runRules(analyzer);
      const current = { ...FILES };
      for (const [what, file, edit] of EDITS) {
        current[file] = edit(current[file]);
        analyzer.update(path.join(dir, file), current[file]);
        const fresh = writeProject(current);
        try {
          const expected = Analyzer.load(fresh);
          const strip = (inv: ReturnType<Analyzer['inventory']>) => JSON.stringify({ ...inv, root: '' });
          assert.equal(strip(analyzer.inventory()), strip(expected.inventory()), what);
          assert.deepEqual(runRules(analyzer).findings.map((f) => f.message), runRules(expected).findings.map((f) => f.message), what);
        } finally {
          removeProject(fresh);
        }
      }
      // the edits did change something (the test can fail)
      assert.ok(analyzer.inventory().routes.some((r) => r.path === '/v2/users/:id'));
      assert.ok(analyzer.inventory().routes.some((r) => r.path === '/v2/users/:id' && r.coverage === 'none'));
    } finally {
      removeProject(dir);
    }
  });
});
