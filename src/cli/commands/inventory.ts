/**
 * `telltale inventory [paths…] --format json|text` — every route, job and metric definition with
 * its instrumentation coverage. JSON is the documented contract (see README).
 */
import { type CliCommand, EXIT_OK } from '../io';
import { oneOf, parse } from '../args';
import { loadAnalyzer, resolveTarget } from '../target';
import { renderInventoryText, toInventoryJson } from '../reporters/inventory';

const HELP = `Usage: telltale inventory [paths…] [--format json|text] [--config file] [--include-tests]

Lists HTTP routes, background jobs and metric definitions with their coverage:
none | handler | middleware | auto.`;

export const run: CliCommand = async (argv, io) => {
  const { values, positionals, help } = parse(argv, {
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    'include-tests': { type: 'boolean' },
  }, HELP);
  if (help) { io.stdout.write(HELP + '\n'); return EXIT_OK; }
  const format = oneOf(values.format, ['json', 'text'] as const, '--format', 'json');
  const target = resolveTarget(positionals, io, values.config as string | undefined);
  const inventory = loadAnalyzer(target, io, !!values['include-tests']).inventory();
  io.stdout.write(format === 'json' ? JSON.stringify(toInventoryJson(inventory), null, 2) + '\n' : renderInventoryText(inventory, { color: !!io.stdout.isTTY && !io.env.NO_COLOR }));
  return EXIT_OK;
};
