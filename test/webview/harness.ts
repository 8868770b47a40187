/**
 * The dashboard's real environment for browser tests and the benchmark: the fixture Express app
 * (prom-client) under bounded traffic, a real runtime scraping it and serving the built page, and
 * a drift provider computing a real report (src/runtime/drift) from two small CSV files.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetDriftState } from '../../src/protocol/drift';
import type { Inventory } from '../../src/protocol/inventory';
import { driftReport } from '../../src/runtime/drift/report';
import { readDataset } from '../../src/runtime/drift/read/index';
import type { DriftProvider } from '../../src/runtime/main';

export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/webview');
export const STATIC_DIR = path.join(ROOT, 'dist/webview');

export function fixtureInventory(): Inventory {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'inventory.json'), 'utf8')) as Inventory;
}

/** The runtime's drift hook fed by the real report code over test/fixtures/webview/drift/*.csv. */
export function csvDriftProvider(now: () => number = Date.now): DriftProvider & { refreshed: number } {
  const dir = path.join(FIXTURES, 'drift');
  let states: DatasetDriftState[] = [{ dataset: 'orders', status: 'pending' }];
  const p = {
    refreshed: 0,
    async refresh() {
      try {
        const [ref, cur] = await Promise.all([readDataset('reference.csv', { baseDir: dir }), readDataset('current.csv', { baseDir: dir })]);
        const report = driftReport(ref, cur, { dataset: 'orders', checks: { maxNullFractionIncrease: 0.1 } });
        states = [{ dataset: 'orders', status: 'ok', updatedAt: now(), report }];
      } catch (err) {
        states = [{ dataset: 'orders', status: 'error', updatedAt: now(), message: (err as Error).message }];
      }
      p.refreshed++;
    },
    reports: () => states,
  };
  return p;
}

/** Builds dist/webview when it is missing or older than its sources (tests need the real bundle). */
export function ensureBuilt(): void {
  const out = path.join(STATIC_DIR, 'main.js');
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true })
    .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const src = Math.max(newest(path.join(ROOT, 'webview')), fs.statSync(path.join(ROOT, 'media/dashboard.css')).mtimeMs);
  if (fs.existsSync(out) && fs.existsSync(path.join(STATIC_DIR, 'index.html')) && fs.statSync(out).mtimeMs >= src
    && fs.statSync(path.join(STATIC_DIR, 'dashboard.css')).mtimeMs >= fs.statSync(path.join(ROOT, 'media/dashboard.css')).mtimeMs) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
}
