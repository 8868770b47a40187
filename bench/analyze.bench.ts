/**
 * Analysis benchmark (issue: inventory ≤ 2.5× the parse floor, ≥ 3× faster than ESLint, memory
 * < 2× the floor's; all rules ≤ +30%; one-file re-analysis ≤ 10 ms median).
 * Every measurement runs in its own process; each is repeated and the median taken. Baselines
 * are measured in the same run on the same files:
 *   parse  = ts.createSourceFile + a full forEachChild walk of every file (the floor)
 *   eslint = ESLint 9 Linter + @typescript-eslint/parser + one trivial CallExpression rule
 *
 *   npm run bench -- analyze                 # generated 2,000-file project
 *   npm run bench -- analyze --dir=/path     # any directory as well
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { generateProject } from './gen-project';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const dirArg = args.find((a) => a.startsWith('--dir='))?.slice(6);
const files = Number(args.find((a) => a.startsWith('--files='))?.slice(8) ?? 2000);
const repeat = Number(args.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 3);

interface Sample { mode: string; ms: number; maxRssMB: number; [k: string]: unknown }

// The child is bundled once with esbuild (as dist/ is), so no measurement pays for compiling
// TypeScript on the fly.
const CHILD = path.join(ROOT, 'bench/.work/analyze-child.js');
buildSync({ entryPoints: [path.join(__dirname, 'analyze-child.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: CHILD, logLevel: 'error', external: ['eslint', '@typescript-eslint/parser'] });

function measure(mode: string, dir: string): Sample {
  const runs: Sample[] = [];
  for (let i = 0; i < repeat; i++) {
    const r = spawnSync(process.execPath, [CHILD, mode, dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

function report(label: string, dir: string): string {
  const parse = measure('parse', dir);
  const eslint = measure('eslint', dir);
  const inventory = measure('inventory', dir);
  const scan = measure('scan', dir);
  const edit = measure('edit', dir);
  const x = (a: number, b: number) => (a / b).toFixed(2) + '×';
  const rows = [
    ['parse floor (ts.createSourceFile + walk)', parse.ms, parse.maxRssMB, '1.00×', '1.00×'],
    ['ESLint 9 + @typescript-eslint/parser, 1 rule', eslint.ms, eslint.maxRssMB, x(eslint.ms, parse.ms), x(eslint.maxRssMB, parse.maxRssMB)],
    ['telltale inventory', inventory.ms, inventory.maxRssMB, x(inventory.ms, parse.ms), x(inventory.maxRssMB, parse.maxRssMB)],
    ['telltale inventory + all rules (scan)', scan.ms, scan.maxRssMB, x(scan.ms, parse.ms), x(scan.maxRssMB, parse.maxRssMB)],
  ];
  const lines = [
    `### ${label}`,
    '',
    `${parse.files as number} files, ${parse.nodes as number} AST nodes; ${inventory.routes as number} routes, ${inventory.jobs as number} jobs found. Median of ${repeat} runs, each in a fresh process.`,
    '',
    '| what | time (ms) | peak RSS (MB) | time vs floor | memory vs floor |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r[0]} | ${(r[1] as number).toFixed(0)} | ${(r[2] as number).toFixed(0)} | ${r[3]} | ${r[4]} |`),
    '',
    `- ESLint / telltale inventory: **${x(eslint.ms, inventory.ms)}** (target ≥ 3×)`,
    `- rules on top of the inventory, in the same process: **+${((scan.rulesMs as number) / (scan.ms - (scan.rulesMs as number)) * 100).toFixed(0)}%** (all rules ${(scan.rulesMs as number).toFixed(0)} ms after an inventory of ${(scan.ms - (scan.rulesMs as number)).toFixed(0)} ms; target ≤ +30%); across the two processes above: +${((scan.ms / inventory.ms - 1) * 100).toFixed(0)}%`,
    `- re-analysis of one edited file in the loaded project (re-parse + every per-file rule), median of 41: **${(edit.medianEditMs as number).toFixed(1)} ms** (target ≤ 10 ms)`,
    `- then re-linking the project for the inventory-based rules (uninstrumented-route/-job) of that file: **${(edit.medianRelinkMs as number).toFixed(0)} ms** median (runs after the per-file results, off the typing path)`,
    '',
  ];
  return lines.join('\n');
}

const sections: string[] = [`## Analysis (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)})`, ''];
const gen = path.join(ROOT, 'bench/.work/generated');
generateProject(gen, files);
sections.push(report(`generated project, ${files} files`, gen));
if (dirArg) sections.push(report(dirArg, path.resolve(dirArg)));
const text = sections.join('\n');
console.log(text);
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/results/analyze.md'), text + '\n');
