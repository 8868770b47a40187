/**
 * `telltale fix [paths…] [--rule id…] [--fix id…] [--dry-run] [--diff]` — applies every applicable
 * fix, one at a time with re-analysis in between; prints what it did, what it could not fix and
 * why, and with --diff a unified diff. Exit codes as `scan`, judged on what remains.
 */
import path from 'node:path';
import { type CliCommand, EXIT_FINDINGS, EXIT_OK, UsageError } from '../io';
import { oneOf, parse } from '../args';
import { loadAnalyzer, resolveTarget } from '../target';
import { fixAll } from '../../fixes/engine';
import { FIXES } from '../../fixes';
import { unifiedDiff } from '../../fixes/edit';
import { resolveRules } from '../../analysis/findings';
import type { Severity } from '../../analysis/model';
import { paint } from '../reporters/color';

const HELP = `Usage: telltale fix [paths…] [options]

Applies Telltale's fixes (prom-client metrics, OpenTelemetry spans, pino logging) to the code.

Options:
      --rule ID          only fix findings of this rule (repeatable)
      --fix ID           only use this fix (repeatable)
      --dry-run          change nothing; report what would be done
      --diff             print a unified diff of every change
      --fail-on error|warning|info|none
                         exit 1 when a remaining finding is at or above this severity (default error)
  -c, --config FILE      telltale.config.json to use

Fixes: ${FIXES.map((f) => f.id).join(', ')}`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export const run: CliCommand = async (argv, io) => {
  const { values, positionals, help } = parse(argv, {
    rule: { type: 'string', multiple: true },
    fix: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    diff: { type: 'boolean' },
    'fail-on': { type: 'string' },
    config: { type: 'string', short: 'c' },
  }, HELP);
  if (help) { io.stdout.write(HELP + '\n'); return EXIT_OK; }
  const failOn = oneOf(values['fail-on'], ['error', 'warning', 'info', 'none'] as const, '--fail-on', 'error');
  const fixIds = values.fix as string[] | undefined;
  for (const id of fixIds ?? []) if (!FIXES.some((f) => f.id === id)) throw new UsageError(`unknown fix '${id}' (known: ${FIXES.map((f) => f.id).join(', ')})`);
  const target = resolveTarget(positionals, io, values.config as string | undefined);
  const rules = values.rule as string[] | undefined;
  try { resolveRules(target.config.config, rules); } catch (err) { throw new UsageError((err as Error).message); }
  const analyzer = loadAnalyzer(target, io);
  const fixesConfig = target.config.config.fixes;
  const result = fixAll(analyzer, {
    findings: { config: target.config.config },
    rules, fixes: fixIds, dryRun: !!values['dry-run'],
    observabilityModule: fixesConfig?.observabilityModule,
  });
  const p = paint(!!io.stdout.isTTY && !io.env.NO_COLOR);
  const rel = (abs: string) => path.relative(target.root, abs).split(path.sep).join('/');
  if (values.diff) for (const [abs, c] of result.changes) io.stdout.write(unifiedDiff(rel(abs), c.before, c.after));
  const verb = values['dry-run'] ? 'would apply' : 'applied';
  for (const a of result.applied) io.stdout.write(`${p.green('✔')} ${a.finding.file}:${a.finding.line} ${a.fix}: ${a.title}${a.files.length ? p.dim(` (${a.files.join(', ')})`) : ''}\n`);
  for (const f of result.failed) io.stdout.write(`${p.yellow('✖')} ${f.finding.file}:${f.finding.line} ${f.finding.rule}: could not fix: ${f.reason}\n`);
  io.stdout.write(`${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'} ${verb}, ${result.changes.size} file${result.changes.size === 1 ? '' : 's'} ${values['dry-run'] ? 'would change' : 'changed'}, ${result.failed.length} finding${result.failed.length === 1 ? '' : 's'} not fixable, ${result.remaining.length} remaining.\n`);
  const failing = failOn !== 'none' && result.remaining.some((f) => RANK[f.severity] >= RANK[failOn]);
  return failing ? EXIT_FINDINGS : EXIT_OK;
};
