/**
 * The rules rendered for a real Prometheus: `promtool check rules` accepts the file (Debian's
 * promtool, installed by .ci/run), and `promtool test rules` shows they mean what the runtime
 * computes: on the burst traffic of burn-rate.test.ts the SLO alert fires at 40:00 and not at
 * 33:00 (multiwindow), and the threshold rule fires on a failing route only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { renderPrometheusRules } from '../../../src/runtime/alerts/prometheus-rules';
import { compileAlertsConfig } from '../../../src/runtime/alerts/rules';
import { tmpDir } from '../helpers';

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

const promtool = which('promtool');

function run(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(promtool!, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('alerts: Prometheus rules generator', function () {
  this.timeout(60_000);
  let dir = '';
  before(function () {
    if (!promtool) this.skip();
    dir = tmpDir('tt-promrules-');
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('renders every rule kind as rules promtool accepts', () => {
    const config = compileAlertsConfig({
      defaults: true,
      rules: [
        { name: 'OrdersAvailability', objective: 0.999, match: { route: '/orders*', method: 'POST' } },
        { name: 'UsersLatency', sli: 'latency', objective: 0.99, latencyThreshold: 0.25, aggregate: true, windows: [{ long: '10m', short: '1m', burnRate: 14.4 }] },
        { name: 'NightlyStale', view: 'job.lastSuccessAge', threshold: 93_600, match: { job: 'nightly-*' } },
        { name: 'P99', view: 'route.p99', op: '>=', threshold: 2.5, window: '10m', match: { route: '/a.b(c)' } },
        { name: 'Quiet', view: 'route.rate', op: '<', threshold: 0.1, labels: { team: 'shop' }, annotations: { runbook_url: 'https://runbooks.example/quiet' } },
        { name: 'NotDown', view: 'target.down', op: '==', threshold: 0 },
        { name: 'Odd', view: 'job.lastSuccessAge', op: '<', threshold: 5 },
      ],
    }, {});
    const { yaml, skipped } = renderPrometheusRules(config.rules, { intervalMs: 30_000 });
    assert.deepEqual(skipped.map((s) => s.rule), ['Odd']);
    const file = path.join(dir, 'all.rules.yml');
    fs.writeFileSync(file, yaml);
    const r = run(['check', 'rules', file], dir);
    assert.equal(r.status, 0, `${r.out}\n${yaml}`);
    // Recording rules: 4 windows of OrdersAvailability + 2 of UsersLatency; alerts: 7 configured − 1 skipped + 5 defaults.
    const found = /SUCCESS: (\d+) rules found/.exec(r.out);
    assert.ok(found, r.out);
    assert.equal(Number(found[1]), 4 + 2 + 6 + 5);
    const p99 = JSON.parse(/- alert: "P99"\n\s+expr: (".*")\n/.exec(yaml)![1]) as string;
    assert.equal(p99, 'histogram_quantile(0.99, sum by (route, method, le) (rate(http_request_duration_seconds_bucket{route=~"/a\\\\.b\\\\(c\\\\)"}[10m]))) >= 2.5',
      'route globs become escaped regexes');
  });

  it('a broken expression would be caught: promtool rejects a rule file with bad PromQL', () => {
    const file = path.join(dir, 'bad.rules.yml');
    fs.writeFileSync(file, 'groups:\n  - name: x\n    rules:\n      - alert: Bad\n        expr: "sum by (route (x"\n');
    assert.notEqual(run(['check', 'rules', file], dir).status, 0);
  });

  it('means what the runtime computes (promtool test rules on the burst traffic)', () => {
    const config = compileAlertsConfig({
      rules: [
        { name: 'OrdersAvailability', objective: 0.99, match: { route: '/orders' }, windows: [{ long: '10m', short: '1m', burnRate: 14.4 }, { long: '30m', short: '5m', burnRate: 6 }], annotations: { summary: 'burning', description: 'fast' } },
        { name: 'RouteFailing', view: 'route.errorRatio', threshold: 0.5, window: '5m', minRequests: 3, severity: 'critical', annotations: { summary: 'failing' } },
      ],
    }, {});
    fs.writeFileSync(path.join(dir, 'slo.rules.yml'), renderPrometheusRules(config.rules).yaml);
    // Samples every 15 s: per interval 200 POST /orders, 1 failing until 32:00, then 60; GET /fail always fails (1 per interval).
    fs.writeFileSync(path.join(dir, 'slo.test.yml'), [
      'rule_files: [slo.rules.yml]',
      'evaluation_interval: 15s',
      'tests:',
      '  - interval: 15s',
      '    input_series:',
      `      - series: 'http_requests_total{route="/orders",method="POST",status_code="201"}'`,
      `        values: '1000000+199x127 1025413+140x31'`,
      `      - series: 'http_requests_total{route="/orders",method="POST",status_code="500"}'`,
      `        values: '10000+1x127 10187+60x31'`,
      `      - series: 'http_requests_total{route="/fail",method="GET",status_code="500"}'`,
      `        values: '0+1x159'`,
      '    alert_rule_test:',
      '      - eval_time: 33m',
      '        alertname: OrdersAvailability',
      '        exp_alerts: []',
      '      - eval_time: 40m',
      '        alertname: OrdersAvailability',
      '        exp_alerts:',
      '          - exp_labels: { severity: page, slo: OrdersAvailability, sli: availability, route: /orders, method: POST }',
      '            exp_annotations: { summary: burning, description: fast }',
      '      - eval_time: 10m',
      '        alertname: RouteFailing',
      '        exp_alerts:',
      '          - exp_labels: { severity: critical, route: /fail, method: GET }',
      '            exp_annotations: { summary: failing }',
      '',
    ].join('\n'));
    const r = run(['test', 'rules', 'slo.test.yml'], dir);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /SUCCESS/);
  });
});
