/** Inventory output: the JSON contract, and a readable table. */
import type { Inventory } from '../../analysis/model';
import { paint } from './color';

/** The documented JSON shape (field order fixed; internal extras such as handler ranges stay out). */
export function toInventoryJson(inv: Inventory): unknown {
  return {
    root: inv.root,
    routes: inv.routes.map((r) => ({ file: r.file, line: r.line, method: r.method, path: r.path, framework: r.framework, coverage: r.coverage, ...(r.coveredBy ? { coveredBy: r.coveredBy } : {}) })),
    jobs: inv.jobs.map((j) => ({ file: j.file, line: j.line, kind: j.kind, name: j.name, ...(j.schedule !== undefined ? { schedule: j.schedule } : {}), coverage: j.coverage, ...(j.coveredBy ? { coveredBy: j.coveredBy } : {}) })),
    metrics: inv.metrics.map((m) => ({ file: m.file, line: m.line, name: m.name, type: m.type, labelNames: m.labelNames, library: m.library, ...(m.help !== undefined ? { help: m.help } : {}) })),
    errors: inv.errors,
  };
}

export function renderInventoryText(inv: Inventory, { color }: { color: boolean }): string {
  const p = paint(color);
  const cov = (c: string) => (c === 'none' ? p.red(c) : c === 'auto' ? p.cyan(c) : p.green(c));
  const lines: string[] = [];
  const table = (rows: string[][]): string[] => {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => stripAnsi(r[i]).length)));
    return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i] - stripAnsi(c).length)).join('  ').trimEnd());
  };
  if (inv.routes.length) {
    lines.push(p.bold(`Routes (${inv.routes.length})`));
    lines.push(...table([['METHOD', 'PATH', 'FRAMEWORK', 'COVERAGE', 'LOCATION'].map((h) => p.dim(h)),
      ...inv.routes.map((r) => [r.method, r.path, r.framework, cov(r.coverage), p.dim(`${r.file}:${r.line}`)])]).map((l) => '  ' + l));
    lines.push('');
  }
  if (inv.jobs.length) {
    lines.push(p.bold(`Jobs (${inv.jobs.length})`));
    lines.push(...table([['KIND', 'NAME', 'SCHEDULE', 'COVERAGE', 'LOCATION'].map((h) => p.dim(h)),
      ...inv.jobs.map((j) => [j.kind, j.name, j.schedule ?? '', cov(j.coverage), p.dim(`${j.file}:${j.line}`)])]).map((l) => '  ' + l));
    lines.push('');
  }
  if (inv.metrics.length) {
    lines.push(p.bold(`Metrics (${inv.metrics.length})`));
    lines.push(...table([['NAME', 'TYPE', 'LABELS', 'LOCATION'].map((h) => p.dim(h)),
      ...inv.metrics.map((m) => [m.name, m.type, m.labelNames.join(',') || '-', p.dim(`${m.file}:${m.line}`)])]).map((l) => '  ' + l));
    lines.push('');
  }
  for (const e of inv.errors) lines.push(p.yellow(`! ${e.file}: ${e.message}`));
  const covered = (xs: { coverage: string }[]) => xs.filter((x) => x.coverage !== 'none').length;
  if (!inv.routes.length && !inv.jobs.length) lines.push('No HTTP routes or background jobs found.');
  lines.push(`${covered(inv.routes)}/${inv.routes.length} routes and ${covered(inv.jobs)}/${inv.jobs.length} jobs instrumented, ${inv.metrics.length} metric definitions.`);
  return lines.join('\n') + '\n';
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}
