import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Analyzer } from '../../src/analysis/analyze';
import type { Inventory } from '../../src/analysis/model';
import { prometheusRules } from '../../src/worker/prometheus-rules';

const WORKSPACE = path.resolve(__dirname, '../vscode/workspace');

function promtool(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw new Error(`promtool (Debian package prometheus) must be on PATH: ${r.error.message}`);
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('prometheus rules from the inventory', () => {
  let dir: string;
  let inventory: Inventory;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telltale-rules-'));
    inventory = Analyzer.load(WORKSPACE).inventory();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('RED and job groups for the fixture app, accepted by promtool check rules', () => {
    const out = prometheusRules(inventory, 'shop-api');
    assert.equal(out.groups, 2);
    assert.match(out.yaml, /name: "shop-api-red"/);
    assert.match(out.yaml, /Routes in the code \(3\): GET \/health, GET \/api\/users\/:id, POST \/api\/users/);
    assert.match(out.yaml, /Jobs in the code \(1\): purgeExpiredSessions \(node-cron, 0 3 \* \* \*\)/);
    const file = path.join(dir, 'rules.yml');
    fs.writeFileSync(file, out.yaml);
    const r = promtool(['check', 'rules', file], dir);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`SUCCESS: ${out.rules} rules found`));
  });

  it('the alerts fire on series that break them (promtool test rules)', () => {
    const out = prometheusRules(inventory, 'shop-api');
    fs.writeFileSync(path.join(dir, 'rules.yml'), out.yaml);
    // 10% of GET /api/users/:id fail for 20 minutes, one job run fails
    fs.writeFileSync(path.join(dir, 'test.yml'), `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'http_requests_total{method="GET",route="/api/users/:id",status_code="200"}'
        values: '0+540x30'
      - series: 'http_requests_total{method="GET",route="/api/users/:id",status_code="500"}'
        values: '0+60x30'
      - series: 'job_runs_total{job="purgeExpiredSessions",status="error"}'
        values: '0 0 0 1 1 1 1 1 1 1'
    alert_rule_test:
      - eval_time: 25m
        alertname: RouteHighErrorRatio
        exp_alerts:
          - exp_labels: { severity: warning, service: shop-api, method: GET, route: "/api/users/:id" }
            exp_annotations:
              summary: "GET /api/users/:id: 10% of requests fail"
              description: "More than 5% of the requests to this route answered 5xx for 10 minutes."
      - eval_time: 5m
        alertname: JobFailed
        exp_alerts:
          - exp_labels: { severity: warning, service: shop-api, job: purgeExpiredSessions }
            exp_annotations:
              summary: "Job purgeExpiredSessions failed 1 time(s) in the last 15 minutes"
    promql_expr_test:
      - expr: route:http_requests:rate5m
        eval_time: 10m
        exp_samples:
          - labels: 'route:http_requests:rate5m{method="GET",route="/api/users/:id"}'
            value: 10
`);
    const r = promtool(['test', 'rules', 'test.yml'], dir);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /SUCCESS/);
  });

  it('uses the metric names the code defines', () => {
    const inv: Inventory = {
      ...inventory,
      metrics: [
        { file: 'src/m.ts', line: 1, column: 1, name: 'api_requests_total', type: 'counter', labelNames: ['verb', 'path', 'code'], library: 'prom-client' },
        { file: 'src/m.ts', line: 2, column: 1, name: 'api_request_latency_seconds', type: 'histogram', labelNames: ['verb', 'path'], library: 'prom-client' },
      ],
    };
    const out = prometheusRules(inv, 'api');
    assert.match(out.yaml, /sum by \(verb, path\) \(rate\(api_requests_total\[5m\]\)\)/);
    assert.match(out.yaml, /code=~\\"5\.\.\\"/);
    assert.match(out.yaml, /rate\(api_request_latency_seconds_bucket\[5m\]\)/);
  });

  it('an empty inventory gives an empty, valid rules file', () => {
    const out = prometheusRules({ root: '/x', routes: [], jobs: [], metrics: [], errors: [] });
    assert.equal(out.rules, 0);
    const file = path.join(dir, 'empty.yml');
    fs.writeFileSync(file, out.yaml);
    assert.equal(promtool(['check', 'rules', file], dir).status, 0);
  });
});
