#!/usr/bin/env node
// Runs the benchmarks: every bench/*.bench.ts (or those whose name contains an argument), one at a
// time in its own Node process so they do not disturb each other. Each prints a markdown section
// with ratios against a baseline measured in the same run, and writes it to bench/results/<name>.md;
// bench/RESULTS.md collects them with the machine noted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const benches = fs.readdirSync(here).filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (benches.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}`);
  process.exit(2);
}
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, b), ...process.argv.slice(2).filter((a) => a.startsWith('-'))],
    { stdio: 'inherit', cwd: path.join(here, '..') });
  if (r.status !== 0) failed++;
}
// bench/RESULTS.md: every area's latest results, one section each, with the machine noted.
const resultsDir = path.join(here, 'results');
if (fs.existsSync(resultsDir)) {
  const sections = fs.readdirSync(resultsDir).filter((f) => f.endsWith('.md')).sort()
    .map((f) => fs.readFileSync(path.join(resultsDir, f), 'utf8').trim());
  const os = await import('node:os');
  const head = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` from `bench/results/*.md` (one file per area, rewritten by its benchmark).',
    'Figures are ratios against baselines measured in the same run on the same machine, never absolute',
    `timings in tests. Last collected on: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'Each section states its own run conditions (the development machine was shared, so loads vary).',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(here, 'RESULTS.md'), head + '\n' + sections.join('\n\n') + '\n');
}
process.exit(failed ? 1 : 0);
