/**
 * `telltale alert test`: sends a test notification through the configured notifiers (all, or the
 * ones named with --notifier) and says per notifier whether it got through.
 * `telltale alert prometheus-rules`: prints the alert rules as a Prometheus rule file.
 * Exit codes: 0 every notification delivered, 1 one failed, 2 usage or config error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config/load';
import type { AlertsSectionConfig } from '../../config/sections/alerts';
import { Dispatcher } from '../../runtime/alerts/dispatch';
import { createNotifier } from '../../runtime/alerts/notifiers/index';
import { renderPrometheusRules } from '../../runtime/alerts/prometheus-rules';
import { AlertsConfigError, compileAlertsConfig, type CompiledAlertsConfig } from '../../runtime/alerts/rules';
import type { AlertInstance } from '../../protocol/alerts';
import { parse } from '../args';
import { type CliCommand, type CliIO, UsageError } from '../io';

const HELP = `Usage: telltale alert <subcommand> [options]

Subcommands:
  test                send a test notification through the configured notifiers
  prometheus-rules    print the alert rules as a Prometheus rule file (YAML)

Options:
  --config <file>     telltale.config.json to use (default: found from the current folder)
  --notifier <name>   test: only this notifier (repeatable; default all)
  --out <file>        prometheus-rules: write to this file instead of stdout
  -h, --help          this help

Notifiers and rules are configured in the "alerts" section of telltale.config.json.
Exit codes: 0 delivered (or written), 1 a notification failed, 2 usage or config error.
`;

function loadAlerts(io: CliIO, file: string | undefined): { config: CompiledAlertsConfig } | { error: string } {
  try {
    const loaded = loadConfig(io.cwd, file);
    const where = loaded.file ? path.relative(io.cwd, loaded.file) || loaded.file : 'telltale.config.json';
    try {
      return { config: compileAlertsConfig((loaded.config as { alerts?: AlertsSectionConfig }).alerts, io.env) };
    } catch (err) {
      if (err instanceof AlertsConfigError) return { error: `${where}: ${err.message}` };
      throw err;
    }
  } catch (err) {
    if (err instanceof ConfigError) return { error: err.message };
    throw err;
  }
}

async function test(io: CliIO, config: CompiledAlertsConfig, names: string[]): Promise<number> {
  const known = config.notifiers.map((n) => n.name);
  for (const n of names) if (!known.includes(n)) throw new UsageError(`no notifier named '${n}' (configured: ${known.join(', ') || 'none'})`);
  const chosen = config.notifiers.filter((n) => !names.length || names.includes(n.name));
  const testable = chosen.filter((n) => n.type !== 'vscode');
  for (const n of chosen) {
    if (n.type === 'vscode') io.stdout.write(`- ${n.name} (vscode): skipped: VS Code shows alerts through a running runtime (telltale runtime), not from this command\n`);
  }
  if (!testable.length) {
    io.stderr.write('telltale alert test: no notifier to test: configure a slack, webhook or alertmanager notifier in alerts.notifiers\n');
    return 2;
  }
  const notifiers = testable.map((n) => createNotifier(n, { evaluationIntervalMs: config.intervalMs }));
  const dispatcher = new Dispatcher(notifiers, { repeatIntervalMs: config.repeatIntervalMs, notifiersOf: () => undefined });
  const at = Date.now();
  const alert: AlertInstance = {
    fingerprint: 'test', rule: 'TelltaleTestAlert', status: 'firing', severity: 'info',
    labels: { alertname: 'TelltaleTestAlert', severity: 'info' },
    annotations: { summary: 'Test notification from Telltale: this notifier works', description: 'Sent by `telltale alert test`; no rule fired.' },
    value: null, activeAt: at, firedAt: at, lastEvaluatedAt: at,
  };
  const results = await dispatcher.test({ at, alerts: [alert] });
  let failed = 0;
  for (const r of results) {
    const n = notifiers.find((x) => x.name === r.name)!;
    const where = n.target ? ` → ${n.target}` : '';
    if (r.error) { failed++; io.stdout.write(`✗ ${r.name} (${n.type})${where}: ${r.error}\n`); }
    else io.stdout.write(`✓ ${r.name} (${n.type})${where}: delivered\n`);
  }
  io.stdout.write(`${results.length - failed} of ${results.length} notifier(s) delivered the test notification.\n`);
  return failed ? 1 : 0;
}

export const run: CliCommand = async (argv, io) => {
  const { values, positionals, help } = parse(argv, {
    config: { type: 'string', short: 'c' },
    notifier: { type: 'string', multiple: true },
    out: { type: 'string', short: 'o' },
  }, HELP);
  if (help) { io.stdout.write(HELP); return 0; }
  const [sub, ...extra] = positionals;
  if (!sub) throw new UsageError(`which subcommand? (test, prometheus-rules)\n\n${HELP}`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (sub !== 'test' && sub !== 'prometheus-rules') throw new UsageError(`unknown subcommand '${sub}' (test, prometheus-rules)`);
  const loaded = loadAlerts(io, values.config as string | undefined);
  if ('error' in loaded) { io.stderr.write(`telltale alert: ${loaded.error}\n`); return 2; }
  if (sub === 'test') return test(io, loaded.config, (values.notifier as string[] | undefined) ?? []);
  if (values.notifier) throw new UsageError('--notifier is an option of `telltale alert test`');
  if (!loaded.config.rules.length) {
    io.stderr.write('telltale alert: no alert rules: add alerts.rules or set alerts.defaults to true\n');
    return 2;
  }
  const { yaml, skipped } = renderPrometheusRules(loaded.config.rules);
  for (const s of skipped) io.stderr.write(`telltale alert: ${s.rule} left out: ${s.reason}\n`);
  if (values.out) {
    const out = path.resolve(io.cwd, values.out as string);
    fs.writeFileSync(out, yaml);
    io.stdout.write(`Wrote ${loaded.config.rules.length - skipped.length} alert rule(s) to ${path.relative(io.cwd, out) || out}\n`);
  } else io.stdout.write(yaml);
  return 0;
};
