/**
 * Cost of the hygiene rules (high-cardinality-label, pii-in-log, unstructured-log,
 * log-without-trace-context) on top of the inventory's full scan (load + parse + inventory), in
 * the same process: the generated benchmark project as is, and a log-heavy variant where every
 * route and service file logs (pino with fields, an interpolated message, console) and labels a
 * metric with the raw path — every file then has findings, the worst case for these rules.
 * CPU time (user + system) of this process, median of 3 fresh analyzers.
 *
 *   npm run bench -- hygiene                # 2,000 files
 *   npm run bench -- hygiene --files=500
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProject } from './gen-project';
import { Analyzer } from '../src/analysis/analyze';
import { runRules } from '../src/analysis/findings';
import highCardinalityLabel from '../src/analysis/rules/high-cardinality-label';
import piiInLog from '../src/analysis/rules/pii-in-log';
import unstructuredLog from '../src/analysis/rules/unstructured-log';
import logWithoutTraceContext from '../src/analysis/rules/log-without-trace-context';

const ROOT = path.resolve(__dirname, '..');
const files = Number(process.argv.find((a) => a.startsWith('--files='))?.slice(8) ?? 2000);
const RULES = [highCardinalityLabel, piiInLog, unstructuredLog, logWithoutTraceContext];

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function addLogging(dir: string): void {
  fs.writeFileSync(path.join(dir, 'src/log.ts'), "import pino from 'pino';\nexport const logger = pino();\n");
  for (const sub of ['routes', 'services']) {
    const d = path.join(dir, 'src', sub);
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      fs.writeFileSync(p, "import { logger } from '../log';\nimport { httpRequests } from '../metrics';\n" + fs.readFileSync(p, 'utf8') + `
export function audit(req: { params: { id: string }; path: string; body: unknown }, user: { email: string }) {
  logger.info({ id: req.params.id }, 'audit');
  logger.warn(\`audit \${req.params.id} by \${user.email}\`);
  console.log('audit', req.body);
  httpRequests.inc({ method: 'GET', route: req.path, status_code: '200' });
}
`);
    }
  }
}

interface Run { scan: number; rules: number; findings: number }

function measure(dir: string): { median: Run; runs: Run[] } {
  const runs: Run[] = [];
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = cpuMs();
    const a = Analyzer.load(dir);
    a.inventory();
    const t1 = cpuMs();
    const r = runRules(a, { rules: RULES, only: RULES.map((x) => x.id) });
    const t2 = cpuMs();
    if (r.errors.length) throw new Error(`rule errors: ${JSON.stringify(r.errors.slice(0, 3))}`);
    runs.push({ scan: t1 - t0, rules: t2 - t1, findings: r.findings.length });
  }
  const byRatio = [...runs].sort((x, y) => x.rules / x.scan - y.rules / y.scan);
  return { median: byRatio[1], runs };
}

const work = path.join(ROOT, 'bench/.work');
const plain = path.join(work, 'hygiene-plain');
const logs = path.join(work, 'hygiene-logs');
generateProject(plain, files);
generateProject(logs, files);
addLogging(logs);

const lines = [
  `## Hygiene rules (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)})`,
  '',
  `high-cardinality-label, pii-in-log, unstructured-log and log-without-trace-context on top of the full inventory scan (load + parse + inventory), CPU time of one process, median of 3 fresh analyzers; ${files}-file generated project.`,
  '',
  '| project | full scan (ms) | 4 rules (ms) | added | findings |',
  '| --- | ---: | ---: | ---: | ---: |',
];
for (const [label, dir] of [['generated (bench project)', plain], ['generated + logging and labels in every route/service file', logs]] as const) {
  const { median } = measure(dir);
  lines.push(`| ${label} | ${median.scan.toFixed(0)} | ${median.rules.toFixed(0)} | +${(100 * median.rules / median.scan).toFixed(1)}% | ${median.findings} |`);
}
lines.push('', '- target: all rules together ≤ +30% of the full scan (these four are part of that budget)', '');
const text = lines.join('\n');
console.log(text);
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/results/hygiene-rules.md'), text + '\n');
