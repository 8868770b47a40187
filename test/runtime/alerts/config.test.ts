/** The `alerts` config section: schema errors name the key, semantic checks name the key, defaults. */
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load';
import type { AlertsSectionConfig } from '../../../src/config/sections/alerts';
import { compileAlertsConfig, describeRule, formatDuration, parseDuration } from '../../../src/runtime/alerts/rules';

const schemaError = (alerts: unknown): string => {
  try { parseConfig(JSON.stringify({ alerts }), 'telltale.config.json'); } catch (err) { return (err as Error).message; }
  return 'no error';
};
const compileError = (alerts: AlertsSectionConfig, env: Record<string, string> = {}): string => {
  try { compileAlertsConfig(alerts, env); } catch (err) { return (err as Error).message; }
  return 'no error';
};

describe('alerts: config', () => {
  it('the schema rejects unknown keys with their name and bad values with their key', () => {
    assert.equal(schemaError({ rules: [{ name: 'X', view: 'route.p95', threshold: 1, treshold: 2 }] }), 'telltale.config.json: alerts.rules[0].treshold: unknown key');
    assert.equal(schemaError({ notifiers: [{ type: 'slack', urll: 'x' }] }), 'telltale.config.json: alerts.notifiers[0].urll: unknown key');
    assert.equal(schemaError({ evaluation: '5s' }), 'telltale.config.json: alerts.evaluation: unknown key');
    assert.match(schemaError({ rules: [{ name: 'X', view: 'route.p50', threshold: 1 }] }), /^telltale\.config\.json: alerts\.rules\[0\]\.view: must be one of "route\.errorRatio"/);
    assert.match(schemaError({ rules: [{ name: 'X', objective: 1 }] }), /alerts\.rules\[0\]\.objective: must be < 1/);
    assert.match(schemaError({ rules: [{ name: 'bad name' }] }), /alerts\.rules\[0\]\.name: must match pattern/);
    assert.match(schemaError({ interval: 'soon' }), /alerts\.interval: must/);
    assert.equal(schemaError({ interval: '30s', defaults: true, rules: [{ name: 'A', objective: 0.999 }], notifiers: [{ type: 'vscode' }] }), 'no error');
  });

  it('semantic errors name the key', () => {
    assert.equal(compileError({ rules: [{ name: 'X', view: 'route.p95' }] }), 'alerts.rules[0].threshold: a threshold rule on route.p95 needs `threshold`');
    assert.equal(compileError({ rules: [{ name: 'X', objective: 0.99, view: 'route.p95' }] }), 'alerts.rules[0].view: not a key of slo rules');
    assert.equal(compileError({ rules: [{ name: 'X', view: 'route.p95', threshold: 1, windows: [] }] }), 'alerts.rules[0].windows: not a key of threshold rules');
    assert.equal(compileError({ rules: [{ name: 'X', sli: 'latency', objective: 0.99 }] }), 'alerts.rules[0].latencyThreshold: a latency SLO needs `latencyThreshold` (seconds, a bucket boundary)');
    assert.equal(compileError({ rules: [{ name: 'X', objective: 0.99, windows: [{ long: '5m', short: '1h', burnRate: 2 }] }] }), 'alerts.rules[0].windows[0].short: the short window (1h) must be shorter than the long one (5m)');
    assert.equal(compileError({ rules: [{ name: 'X', objective: 0.99, windows: [{ long: '1h', short: '5m', burnRate: 200 }] }] }), 'alerts.rules[0].windows[0].burnRate: 200× a 1% error budget is over 100% errors; this alert could never fire');
    assert.equal(compileError({ rules: [{ name: 'X', view: 'job.errors', threshold: 0, match: { route: '/a' } }] }), 'alerts.rules[0].match.route: job.errors can match job only');
    assert.equal(compileError({ rules: [{ name: 'X', view: 'job.errors', threshold: 0, minRequests: 3 }] }), 'alerts.rules[0].minRequests: only route views count requests, not job.errors');
    assert.equal(compileError({ rules: [{ name: 'X', view: 'target.down', window: '5m' }] }), 'alerts.rules[0].window: target.down has no window');
    assert.equal(compileError({ rules: [{ name: 'X', view: 'target.down', labels: { severity: 'x' } }] }), "alerts.rules[0].labels.severity: set by the rule (use the rule's severity)");
    assert.equal(compileError({ rules: [{ name: 'X', view: 'target.down' }, { name: 'X', view: 'target.down' }] }), "alerts.rules[1].name: a second rule named 'X'");
    assert.equal(compileError({ rules: [{ name: 'X', view: 'target.down', notifiers: ['slack'] }] }), "alerts.rules[0].notifiers[0]: no notifier named 'slack' (notifiers: vscode)");
    assert.equal(compileError({ notifiers: [{ type: 'webhook' }] }), 'alerts.notifiers[0].url: a webhook notifier needs `url`');
    assert.equal(compileError({ notifiers: [{ type: 'webhook', url: 'ftp://x' }] }), "alerts.notifiers[0].url: 'ftp://x' must be http(s)");
    assert.equal(compileError({ notifiers: [{ type: 'vscode', url: 'http://x' }] }), "alerts.notifiers[0].url: not a key of vscode notifiers (they notify through the runtime's event stream)");
    assert.equal(compileError({ notifiers: [{ type: 'slack', url: '${env:SLACK_URL}' }] }), 'alerts.notifiers[0].url: environment variable SLACK_URL is not set');
    assert.equal(compileError({ notifiers: [{ type: 'webhook', url: 'http://a/' }, { type: 'webhook', url: 'http://b/' }] }), "alerts.notifiers[1].name: a second notifier named 'webhook' (give each a distinct name)");
    assert.equal(compileError({ rules: [{ name: 'X', view: 'target.down', for: 'later' }] }), 'alerts.rules[0].for: \'later\' is not a duration (seconds, or "30s", "5m", "1h", "1d")');
  });

  it('defaults: a vscode notifier, 15 s interval, 4 h repeat; `defaults: true` adds the RED/job rules, a configured rule replaces one of the same name', () => {
    const c = compileAlertsConfig({}, {});
    assert.deepEqual(c.notifiers.map((n) => n.type), ['vscode']);
    assert.equal(c.intervalMs, 15_000);
    assert.equal(c.repeatIntervalMs, 4 * 3_600_000);
    assert.equal(c.rules.length, 0);
    const d = compileAlertsConfig({ defaults: true, rules: [{ name: 'RouteSlowP95', view: 'route.p95', threshold: 0.3 }] }, {});
    assert.deepEqual(d.rules.map((r) => `${r.name}${r.builtin ? '*' : ''}`), ['RouteSlowP95', 'RouteHighErrorRatio*', 'JobRunsFailing*', 'TargetDown*', 'DatasetDrifted*']);
    assert.deepEqual(d.rules.map(describeRule), [
      'route.p95 > 0.3', 'route.errorRatio > 0.05 over 5m for 2m', 'job.errors > 0 over 1h', 'target.down for 1m', 'drift.share >= 0.5',
    ]);
    const slo = compileAlertsConfig({ rules: [{ name: 'S', objective: 0.999, match: { route: '/orders' } }] }, {});
    assert.equal(describeRule(slo.rules[0]), 'availability{route=/orders} 99.9% (1h/5m ×14.4, 6h/30m ×6)');
    const env = compileAlertsConfig({ notifiers: [{ type: 'slack', url: '${env:SLACK_URL}' }] }, { SLACK_URL: 'https://hooks.slack.com/services/T/B/C' });
    assert.equal(env.notifiers[0].url, 'https://hooks.slack.com/services/T/B/C');
  });

  it('durations', () => {
    assert.equal(parseDuration('90s', 'k'), 90_000);
    assert.equal(parseDuration(1.5, 'k'), 1500);
    assert.equal(parseDuration('1d', 'k'), 86_400_000);
    assert.equal(parseDuration(0, 'k', true), 0);
    assert.throws(() => parseDuration(0, 'k'), /alerts\.k: '0' is not a positive duration/);
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(1500), '1500ms');
    assert.equal(formatDuration(93_600_000), '1d2h');
  });
});
