/**
 * `telltale` command-line entry: `telltale <command> [options]`.
 * Each command lives in commands/<name>.ts and exports `run: CliCommand`; commands are loaded
 * on first use (require, so bundles and tests load them the same way).
 */
import { type CliCommand, type CliIO, EXIT_ERROR, UsageError } from './io';

const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  inventory: { summary: 'list routes, jobs and metrics with their instrumentation coverage', load: async () => (require('./commands/inventory') as typeof import('./commands/inventory')).run },
  fix: { summary: 'apply the fixes: instrument routes and jobs, fix hygiene findings', load: async () => (require('./commands/fix') as typeof import('./commands/fix')).run },
  scan: { summary: 'report findings (text, json, sarif)', load: async () => (require('./commands/scan') as typeof import('./commands/scan')).run },
  drift: { summary: 'compare a reference and a current dataset for data drift', load: async () => (require('./commands/drift') as typeof import('./commands/drift')).run },
  rules: { summary: 'list the rules with their severity, fixes and documentation', load: async () => (require('./commands/rules') as typeof import('./commands/rules')).run },
  runtime: { summary: 'start the local runtime: scrape /metrics, serve the API and dashboard', load: async () => (require('./commands/runtime') as typeof import('./commands/runtime')).run },
  alert: { summary: 'send a test notification through the alert notifiers; print the rules for Prometheus', load: async () => (require('./commands/alert') as typeof import('./commands/alert')).run },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: telltale <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `telltale <command> --help` for the options of one command.',
    'Exit codes: 0 ok, 1 findings at or above --fail-on (or drift detected), 2 usage, config or internal error.',
  ].join('\n') + '\n';
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : EXIT_ERROR;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`telltale: unknown command '${name}'\n\n${usage()}`);
    return EXIT_ERROR;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`telltale ${name}: ${err.message}\n`);
    } else {
      const e = err as Error;
      io.stderr.write(`telltale ${name}: internal error: ${e?.stack ?? String(err)}\n`);
    }
    return EXIT_ERROR;
  }
}

declare const TELLTALE_VERSION: string | undefined;
const VERSION = typeof TELLTALE_VERSION === 'string' ? TELLTALE_VERSION : '0.0.0-dev';

export function processIO(): CliIO {
  let resolveInterrupted!: () => void;
  const interrupted = new Promise<void>((r) => (resolveInterrupted = r));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolveInterrupted());
  return { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env, interrupted };
}

if (require.main === module) {
  main(process.argv.slice(2), processIO()).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`telltale: internal error: ${String(err?.stack ?? err)}\n`); process.exitCode = 2; },
  );
}
