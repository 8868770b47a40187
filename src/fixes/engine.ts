/**
 * Runs fixes. `computeFix` turns one finding into checked edits (fix edits + the observability
 * module + imports + package.json); `fixAll` applies every applicable fix to a workspace, one at a
 * time, re-analysing after each (so a later fix sees the module an earlier one created and no
 * edits ever overlap), and reports what it could not fix and why.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Analyzer } from '../analysis/analyze';
import { runRules, type FindingsOptions } from '../analysis/findings';
import type { Finding } from '../analysis/model';
import { applyEdits, groupByFile, type FileEdit } from './edit';
import type { FixContext, FixDefinition } from './fix';
import { FIXES, fixesFor } from './index';
import { FixNotApplicable, ObservabilityModule, type ModuleOptions } from './module';
import { detectStyle } from './style';

export interface ComputedFix { fix: FixDefinition; title: string; edits: FileEdit[] }
export type FixOutcome = ComputedFix | { fix: FixDefinition; reason: string };

export function computeFix(analyzer: Analyzer, finding: Finding, fix: FixDefinition, options: ModuleOptions = {}): FixOutcome {
  const file = [...analyzer.project.files.values()].find((f) => f.rel === finding.file);
  if (!file) return { fix, reason: `${finding.file} is not part of the analysis` };
  const details = analyzer.details();
  const at = (e: { file: string; line: number; column: number }) => e.file === finding.file && e.line === finding.line && e.column === finding.column;
  const route = details.routes.find((r) => at(r.entry) && (finding.data?.path === undefined || r.entry.path === finding.data.path) && (finding.data?.method === undefined || r.entry.method === finding.data.method));
  const job = details.jobs.find((j) => at(j.entry));
  const module = new ObservabilityModule(analyzer, options);
  const ctx: FixContext = { analyzer, finding, file, style: detectStyle(file.sf), module, route, job };
  let edits: FileEdit[] | undefined;
  try {
    edits = fix.edits(ctx);
  } catch (err) {
    if (err instanceof FixNotApplicable) return { fix, reason: err.message };
    throw err;
  }
  if (!edits) return { fix, reason: `${fix.id} does not apply here` };
  const all = [...edits, ...module.edits()];
  // Check: per file, the edits apply without overlapping (throws OverlappingEditsError otherwise).
  for (const [abs, list] of groupByFile(all)) {
    if (list.some((e) => e.create)) continue;
    applyEdits(readText(analyzer, abs), list);
  }
  return { fix, title: fix.title(finding, ctx), edits: all };
}

function readText(analyzer: Analyzer, abs: string, overlay?: Map<string, string>): string {
  const o = overlay?.get(abs);
  if (o !== undefined) return o;
  const f = analyzer.project.files.get(abs);
  if (f) return f.sf.text;
  return fs.readFileSync(abs, 'utf8');
}

/** The fix to use for a finding: app-wide metrics when the route's app has several uninstrumented routes. */
export function preferredFixes(finding: Finding, findings: Finding[], analyzer: Analyzer): FixDefinition[] {
  const list = fixesFor(finding.rule);
  if (finding.rule !== 'uninstrumented-route') return list;
  const details = analyzer.details();
  const route = details.routes.find((r) => r.entry.file === finding.file && r.entry.line === finding.line && r.entry.column === finding.column);
  const app = route?.app?.node;
  // NestJS routes have no app object in the inventory: the project's Nest routes share the bootstrap
  const siblings = app ? details.routes.filter((r) => r.app?.node === app && r.entry.coverage === 'none').length
    : route?.entry.framework === 'nest' ? details.routes.filter((r) => r.entry.framework === 'nest' && r.entry.coverage === 'none').length : 0;
  const appWide = list.find((f) => f.id === 'add-app-metrics');
  return siblings >= 2 && appWide ? [appWide, ...list.filter((f) => f !== appWide)] : list;
}

export interface FixAllOptions extends ModuleOptions {
  findings?: FindingsOptions;
  /** Only findings of these rules. */
  rules?: string[];
  /** Only these fixes. */
  fixes?: string[];
  /** Compute everything but write nothing. */
  dryRun?: boolean;
  maxFixes?: number;
}

export interface AppliedFix { finding: Finding; fix: string; title: string; files: string[] }
export interface FixAllResult {
  applied: AppliedFix[];
  failed: Array<{ finding: Finding; reason: string }>;
  /** Original and final text of every changed file (absolute paths; original undefined for new files). */
  changes: Map<string, { before?: string; after: string }>;
  remaining: Finding[];
}

export function fixAll(analyzer: Analyzer, options: FixAllOptions = {}): FixAllResult {
  const overlay = new Map<string, string>();
  const changes = new Map<string, { before?: string; after: string }>();
  const applied: AppliedFix[] = [];
  const failed: Array<{ finding: Finding; reason: string }> = [];
  const given = new Set<string>();
  /** Keys of applied fixes: a new finding may take an applied one's place (same rule, line, column and message) when lines move; try it, a few times at most. */
  const appliedKeys = new Map<string, number>();
  const key = (f: Finding) => `${f.rule}|${f.file}|${f.line}|${f.column}|${f.message}`;
  const max = options.maxFixes ?? 500;
  let findings = runRules(analyzer, options.findings).findings;
  for (let round = 0; round < max; round++) {
    const candidate = findings.find((f) => !given.has(key(f)) && (!options.rules?.length || options.rules.includes(f.rule)) && fixesFor(f.rule).length > 0);
    if (!candidate) break;
    given.add(key(candidate));
    const fixes = preferredFixes(candidate, findings, analyzer).filter((f) => !options.fixes?.length || options.fixes.includes(f.id));
    if (!fixes.length) { failed.push({ finding: candidate, reason: `no selected fix for ${candidate.rule}` }); continue; }
    let done: ComputedFix | undefined;
    const reasons: string[] = [];
    for (const fix of fixes) {
      const outcome = computeFix(analyzer, candidate, fix, { ...options, pendingText: (abs) => overlay.get(abs) });
      if ('edits' in outcome) { done = outcome; break; }
      reasons.push(outcome.reason);
    }
    if (!done) { failed.push({ finding: candidate, reason: reasons.join('; ') }); continue; }
    const touched: string[] = [];
    for (const [abs, list] of groupByFile(done.edits)) {
      const creating = list.some((e) => e.create);
      const before = creating ? undefined : readText(analyzer, abs, overlay);
      const after = creating ? list.map((e) => e.newText).join('') : applyEdits(before!, list);
      overlay.set(abs, after);
      if (!changes.has(abs)) changes.set(abs, { before, after });
      else changes.get(abs)!.after = after;
      touched.push(path.relative(analyzer.root, abs).split(path.sep).join('/'));
      if (/\.[cm]?[jt]sx?$/.test(abs) && !abs.endsWith('.d.ts')) analyzer.update(abs, after);
    }
    applied.push({ finding: candidate, fix: done.fix.id, title: done.title, files: touched });
    const k = key(candidate);
    appliedKeys.set(k, (appliedKeys.get(k) ?? 0) + 1);
    if (appliedKeys.get(k)! < 3) given.delete(k);
    findings = runRules(analyzer, options.findings).findings;
  }
  if (!options.dryRun) {
    for (const [abs, c] of changes) {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, c.after);
    }
  }
  return { applied, failed, changes, remaining: findings };
}

export { FIXES };
