/**
 * `telltale runtime`: starts the local runtime (scrape, store, API, dashboard), prints its URL and
 * token file, and runs until SIGINT/SIGTERM, then shuts down cleanly.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config/load';
import type { AlertsSectionConfig } from '../../config/sections/alerts';
import type { DriftSectionConfig } from '../../config/sections/drift';
import { RuntimeConfigError, startRuntime, type RuntimeConfig } from '../../runtime/main';
import { type CliCommand, UsageError } from '../io';

const HELP = `Usage: telltale runtime [options]

Scrapes the Prometheus endpoints of your running apps, keeps a short history in bounded memory and
serves RED per route, job health and drift on a local API (127.0.0.1, bearer token).

Options:
  --config <file>       telltale.config.json to use (default: found from the current folder)
  --port <n>            API port (default: runtime.port, else a free port)
  --host <addr>         bind address (default 127.0.0.1; anything else prints a warning)
  --target <url>        a /metrics URL to scrape (repeatable; adds to runtime.targets)
  --prometheus <url>    compute the views from this Prometheus server instead
  --inventory <path>    inventory JSON (telltale inventory --format json) or its folder
  --json                print {"url","tokenFile"} as one JSON line instead of text
  -h, --help            this help

Every API request needs "Authorization: Bearer <token>"; the token is in the token file (mode 0600).
`;

interface Args { config?: string; port?: number; host?: string; targets: string[]; prometheus?: string; inventory?: string; json: boolean; help: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { targets: [], json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--config': case '-c': a.config = value(); break;
      case '--port': case '-p': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port '${v}' is not a port number (0-65535)`);
        a.port = n;
        break;
      }
      case '--host': a.host = value(); break;
      case '--target': case '-t': {
        const v = value();
        if (!/^https?:\/\/[^/]/.test(v)) throw new UsageError(`--target '${v}' must be an http(s) URL like http://127.0.0.1:3000/metrics`);
        a.targets.push(v);
        break;
      }
      case '--prometheus': {
        const v = value();
        if (!/^https?:\/\/[^/]/.test(v)) throw new UsageError(`--prometheus '${v}' must be an http(s) URL like http://127.0.0.1:9090`);
        a.prometheus = v;
        break;
      }
      case '--inventory': a.inventory = value(); break;
      case '--json': a.json = true; break;
      case '--help': case '-h': a.help = true; break;
      default: throw new UsageError(`unknown option '${arg}' (see telltale runtime --help)`);
    }
  }
  return a;
}

export const run: CliCommand = async (argv, io) => {
  const args = parseArgs(argv);
  if (args.help) { io.stdout.write(HELP); return 0; }
  let loaded;
  try {
    loaded = loadConfig(io.cwd, args.config);
  } catch (err) {
    if (err instanceof ConfigError) { io.stderr.write(`telltale runtime: ${err.message}\n`); return 2; }
    throw err;
  }
  const config = (loaded.config.runtime ?? {}) as RuntimeConfig;
  const where = loaded.file ? path.relative(io.cwd, loaded.file) || loaded.file : 'telltale.config.json';
  let handle;
  try {
    handle = await startRuntime({
      config,
      configDir: loaded.dir,
      targets: args.targets.map((url) => ({ url })),
      port: args.port,
      host: args.host,
      prometheusUrl: args.prometheus,
      inventory: args.inventory ? path.resolve(io.cwd, args.inventory) : undefined,
      logDestination: { write: (s: string) => io.stderr.write(s) },
      env: io.env,
      driftConfig: loaded.config.drift as DriftSectionConfig | undefined,
      alertsConfig: (loaded.config as { alerts?: AlertsSectionConfig }).alerts,
    });
  } catch (err) {
    if (err instanceof RuntimeConfigError) { io.stderr.write(`telltale runtime: ${where}: ${err.message}\n`); return 2; }
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'EADDRINUSE') { io.stderr.write(`telltale runtime: port ${args.port ?? config.port} is in use\n`); return 2; }
    if (e?.code === 'EADDRNOTAVAIL' || e?.code === 'ENOTFOUND') { io.stderr.write(`telltale runtime: cannot bind ${args.host ?? config.host}: ${e.message}\n`); return 2; }
    throw err;
  }
  const host = args.host ?? config.host ?? '127.0.0.1';
  if (!/^(127\.|localhost$|::1$)/.test(host)) io.stderr.write(`telltale runtime: warning: listening on ${host}, not a loopback address; the API is reachable from other machines (token required)\n`);
  if (args.json) io.stdout.write(JSON.stringify({ url: handle.url, tokenFile: handle.tokenFile }) + '\n');
  else io.stdout.write(`Telltale runtime on ${handle.url}\nToken file: ${handle.tokenFile}\nDashboard: ${handle.url}/?token=<the token in the file>\nPress Ctrl+C to stop.\n`);
  await io.interrupted;
  await handle.close();
  if (!args.json) io.stdout.write('Telltale runtime stopped.\n');
  return 0;
};
