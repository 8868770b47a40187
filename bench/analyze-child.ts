/** One measurement in a fresh process (so peak memory is its own): prints JSON {ms, maxRssMB, ...}. */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ts } from '../src/analysis/ts';
import { Analyzer } from '../src/analysis/analyze';
import { runRules } from '../src/analysis/findings';
import { loadWorkspace } from '../src/analysis/workspace';

const [mode, dir] = process.argv.slice(2);

function listFiles(root: string): string[] {
  return loadWorkspace(root, ['.']).files.map((f) => f.abs);
}

async function main(): Promise<void> {
  const files = listFiles(dir);
  const t0 = performance.now();
  let extra: Record<string, unknown> = {};
  if (mode === 'parse') {
    // The floor: read, parse and walk every node once with the plain TypeScript API.
    let nodes = 0;
    const kept: ts.SourceFile[] = [];
    for (const f of files) {
      const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      const walk = (n: ts.Node): void => { nodes++; ts.forEachChild(n, walk); };
      walk(sf);
      kept.push(sf);
    }
    extra = { nodes, files: kept.length };
  } else if (mode === 'eslint') {
    const { Linter } = await import('eslint');
    const parser = await import('@typescript-eslint/parser');
    const linter = new Linter({ configType: 'flat' });
    let calls = 0;
    const config = [{
      files: ['**/*.ts'],
      languageOptions: { parser: parser as never },
      plugins: { bench: { rules: { trivial: { create: () => ({ CallExpression: () => { calls++; } }) } } } },
      rules: { 'bench/trivial': 'error' as const },
    }];
    for (const f of files) linter.verify(fs.readFileSync(f, 'utf8'), config as never, f);
    extra = { calls };
  } else if (mode === 'inventory') {
    const inv = Analyzer.load(dir).inventory();
    extra = { routes: inv.routes.length, jobs: inv.jobs.length, metrics: inv.metrics.length, errors: inv.errors.length };
  } else if (mode === 'scan') {
    const a = Analyzer.load(dir);
    const inv = a.inventory();
    const tRules = performance.now();
    const r = runRules(a);
    extra = { routes: inv.routes.length, findings: r.findings.length, rulesMs: performance.now() - tRules };
  } else if (mode === 'edit') {
    const a = Analyzer.load(dir);
    a.inventory();
    runRules(a);
    const target = files.find((f) => f.includes(`${path.sep}routes${path.sep}`))!;
    const text = fs.readFileSync(target, 'utf8');
    const fast: number[] = [], full: number[] = [];
    for (let i = 0; i < 41; i++) {
      const edited = text.replace("router.get('/:id'", `router.get('/:id${i}'`);
      let s = performance.now();
      a.update(target, edited);
      runRules(a, { files: [target], visitorsOnly: true });
      fast.push(performance.now() - s);
      s = performance.now();
      a.inventory();
      runRules(a, { files: [target] });
      full.push(performance.now() - s);
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    extra = { medianEditMs: median(fast), medianRelinkMs: median(full) };
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ mode, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n');
}

void main();
