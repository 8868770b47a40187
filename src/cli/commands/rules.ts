/** `telltale rules [--format text|json]` — every rule with its category, default severity, fixes and docs. */
import { type CliCommand, EXIT_OK } from '../io';
import { oneOf, parse } from '../args';
import { RULES } from '../../analysis/rules';
import { docsUrl } from '../../analysis/rule';
import { FIXES } from '../../fixes';

const HELP = `Usage: telltale rules [--format text|json]

Lists the rules: id, category, default severity, what it finds, the fixes that resolve it.`;

export const run: CliCommand = async (argv, io) => {
  const { values, help } = parse(argv, { format: { type: 'string', short: 'f' } }, HELP);
  if (help) { io.stdout.write(HELP + '\n'); return EXIT_OK; }
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  const rows = RULES.map((r) => ({
    id: r.id, category: r.category, severity: r.severity, description: r.description,
    fixes: FIXES.filter((f) => f.for.includes(r.id)).map((f) => f.id), docs: docsUrl(r.id),
  }));
  if (format === 'json') { io.stdout.write(JSON.stringify({ rules: rows }, null, 2) + '\n'); return EXIT_OK; }
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    io.stdout.write(`${r.id.padEnd(w)}  ${r.category.padEnd(11)}  ${r.severity.padEnd(7)}  ${r.description}\n`);
    if (r.fixes.length) io.stdout.write(`${' '.repeat(w)}  fixes: ${r.fixes.join(', ')}\n`);
  }
  return EXIT_OK;
};
