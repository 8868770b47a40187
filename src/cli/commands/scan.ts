/**
 * `telltale scan [paths…] --format text|json|sarif` — findings of every enabled rule.
 * Exit 0 when nothing is at or above --fail-on (default error) and warnings are within
 * --max-warnings; 1 otherwise; 2 for usage, config or internal errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type CliCommand, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError } from '../io';
import { oneOf, parse } from '../args';
import { loadAnalyzer, resolveTarget } from '../target';
import { renderFindingsText, toSarif, toScanJson } from '../reporters/findings';
import { runRules, resolveRules } from '../../analysis/findings';
import { RULES } from '../../analysis/rules';
import type { Severity } from '../../analysis/model';

declare const TELLTALE_VERSION: string | undefined;

const HELP = `Usage: telltale scan [paths…] [options]

Options:
  -f, --format text|json|sarif   output format (default text)
  -o, --output FILE              write the report to FILE instead of stdout
      --fail-on error|warning|info|none
                                 exit 1 when a finding is at or above this severity (default error)
      --max-warnings N           exit 1 when there are more than N warnings
      --rule ID                  only run this rule (repeatable)
      --report-unused-ignores    report telltale-ignore comments that suppress nothing
  -c, --config FILE              telltale.config.json to use (default: found from the scanned root)
      --include-tests            also scan test files`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export const run: CliCommand = async (argv, io) => {
  const { values, positionals, help } = parse(argv, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    'max-warnings': { type: 'string' },
    rule: { type: 'string', multiple: true },
    'report-unused-ignores': { type: 'boolean' },
    config: { type: 'string', short: 'c' },
    'include-tests': { type: 'boolean' },
  }, HELP);
  if (help) { io.stdout.write(HELP + '\n'); return EXIT_OK; }
  const format = oneOf(values.format, ['text', 'json', 'sarif'] as const, '--format', 'text');
  const failOn = oneOf(values['fail-on'], ['error', 'warning', 'info', 'none'] as const, '--fail-on', 'error');
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`--max-warnings must be a whole number ≥ 0 (got '${String(values['max-warnings'])}')`);
  }
  const target = resolveTarget(positionals, io, values.config as string | undefined);
  const only = values.rule as string[] | undefined;
  try { resolveRules(target.config.config, only); } catch (err) { throw new UsageError((err as Error).message); }

  const analyzer = loadAnalyzer(target, io, !!values['include-tests']);
  const inventory = analyzer.inventory();
  const result = runRules(analyzer, { config: target.config.config, only, reportUnusedIgnores: !!values['report-unused-ignores'] });
  const out = { root: target.root, findings: result.findings, errors: [...inventory.errors, ...result.errors] };

  const version = typeof TELLTALE_VERSION === 'string' ? TELLTALE_VERSION : '0.0.0-dev';
  const useColor = !values.output && !!io.stdout.isTTY && !io.env.NO_COLOR;
  const text = format === 'json' ? JSON.stringify(toScanJson(out), null, 2) + '\n'
    : format === 'sarif' ? JSON.stringify(toSarif(out, RULES, version), null, 2) + '\n'
    : renderFindingsText(out, { color: useColor });
  if (values.output) fs.writeFileSync(path.resolve(io.cwd, values.output as string), text);
  else io.stdout.write(text);

  const internal = out.errors.filter((e) => e.message.startsWith('internal error'));
  if (internal.length) {
    io.stderr.write(`telltale scan: ${internal.length} internal error${internal.length === 1 ? '' : 's'}; first: ${internal[0].file}: ${internal[0].message}\n`);
    return EXIT_ERROR;
  }
  const failing = failOn !== 'none' && out.findings.some((f) => RANK[f.severity] >= RANK[failOn]);
  const warnings = out.findings.filter((f) => f.severity === 'warning').length;
  if (failing || (maxWarnings !== undefined && warnings > maxWarnings)) return EXIT_FINDINGS;
  return EXIT_OK;
};
