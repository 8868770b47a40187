/**
 * The evaluator and state machine with an injected clock and views set by the test:
 * inactive → pending (for `for`) → firing → resolved, deduplication, repeat interval, rule errors,
 * annotations and code links. Notifications go to a recording notifier (unit isolation; the real
 * notifiers are tested against HTTP receivers in notifiers.test.ts and e2e.test.ts).
 */
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { AlertEvent } from '../../../src/protocol/alerts';
import type { AlertsSectionConfig } from '../../../src/config/sections/alerts';
import { AlertEngine } from '../../../src/runtime/alerts/engine';
import { compileAlertsConfig } from '../../../src/runtime/alerts/rules';
import { fakeInputs, recordingNotifier, route } from './helpers';

function engine(section: AlertsSectionConfig, opts: { notifiers?: ReturnType<typeof recordingNotifier>[] } = {}) {
  let clock = 1_700_000_000_000;
  const inputs = fakeInputs();
  const events: AlertEvent[] = [];
  const notifier = opts.notifiers?.[0] ?? recordingNotifier();
  const e = new AlertEngine({
    config: compileAlertsConfig({ notifiers: [{ type: 'webhook', name: 'rec', url: 'http://127.0.0.1:1/' }], ...section }, {}),
    inputs: { ...inputs, inventory: { root: '/repo', routes: [], jobs: [], metrics: [], errors: [] } },
    now: () => clock,
    notifiers: opts.notifiers ?? [notifier],
    broadcast: (ev) => { events.push(ev); return 1; },
    externalUrl: () => 'http://127.0.0.1:7777',
  });
  return {
    e, inputs, events, notifier,
    advance(ms: number) { clock += ms; return clock; },
    get now() { return clock; },
    async tick(ms = 0) { clock += ms; const r = await e.evaluate(); await e.idle(); return r; },
  };
}

const ERROR_RULE = { name: 'HighErrors', view: 'route.errorRatio' as const, threshold: 0.1, for: '30s', window: '1m' };

describe('alerts: state machine and evaluator (injected clock)', () => {
  it('inactive → pending → firing after `for` → resolved, notifying once per transition', async () => {
    const t = engine({ rules: [ERROR_RULE], repeatInterval: '1h' });
    const code = { file: 'src/app.ts', line: 47, column: 3, framework: 'express', path: '/fail' };
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 0.5, errors: 50, code }), route({ route: '/ok', errorRatio: 0 })];

    let r = await t.tick();
    assert.deepEqual(r.transitions.map((x) => `${x.from}→${x.to}`), ['inactive→pending']);
    let res = t.e.response();
    assert.equal(res.pending.length, 1);
    assert.equal(res.firing.length, 0);
    const pendingAt = t.now;
    assert.equal(res.pending[0].activeAt, pendingAt);
    assert.equal(t.notifier.batches.length, 0, 'pending alerts are not notified');
    assert.deepEqual(t.inputs.windows, [60_000], 'the rule window is passed to the view');

    r = await t.tick(15_000);
    assert.equal(r.transitions.length, 0, 'still pending (15 s < for 30 s)');

    r = await t.tick(15_000);
    assert.deepEqual(r.transitions.map((x) => `${x.from}→${x.to}`), ['pending→firing']);
    res = t.e.response();
    assert.equal(res.firing.length, 1);
    const a = res.firing[0];
    assert.equal(a.firedAt, pendingAt + 30_000);
    assert.deepEqual(a.labels, { alertname: 'HighErrors', severity: 'warning', route: '/fail', method: 'GET' });
    assert.equal(a.value, 0.5);
    assert.deepEqual(a.code, { file: 'src/app.ts', line: 47, column: 3 });
    assert.equal(a.generatorURL, 'vscode://file/repo/src/app.ts:47:3');
    assert.equal(a.annotations.summary, 'route.errorRatio of GET /fail is 50% (> 10%)');
    assert.equal(a.annotations.code, 'src/app.ts:47');
    assert.equal(t.notifier.batches.length, 1);
    assert.deepEqual(t.notifier.batches[0].alerts.map((x) => [x.rule, x.status]), [['HighErrors', 'firing']]);
    assert.equal(t.notifier.batches[0].externalURL, 'http://127.0.0.1:7777');

    await t.tick(15_000);
    await t.tick(15_000);
    assert.equal(t.notifier.batches.length, 1, 'deduplicated: a firing alert is not sent again before the repeat interval');

    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 0.02 }), route({ route: '/ok', errorRatio: 0 })];
    r = await t.tick(15_000);
    assert.deepEqual(r.transitions.map((x) => `${x.from}→${x.to}`), ['firing→resolved']);
    res = t.e.response();
    assert.equal(res.firing.length, 0);
    assert.equal(res.resolved.length, 1);
    assert.equal(res.resolved[0].resolvedAt, t.now);
    assert.equal(res.resolved[0].fingerprint, a.fingerprint);
    assert.equal(t.notifier.batches.length, 2);
    assert.deepEqual(t.notifier.batches[1].alerts.map((x) => x.status), ['resolved']);

    await t.tick(15_000);
    assert.equal(t.notifier.batches.length, 2, 'the resolution is sent once');

    // The SSE stream saw every state change, and /metrics the firing count.
    assert.deepEqual(t.events.map((ev) => ev.alerts.map((x) => x.status).join()), ['pending', 'firing', 'resolved']);
    assert.deepEqual(t.events.map((ev) => ev.firing), [0, 1, 0]);
  });

  it('re-sends a still-firing alert after the repeat interval, and fires again after resolving', async () => {
    const t = engine({ rules: [{ ...ERROR_RULE, for: 0 }], repeatInterval: '1m' });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.tick();
    assert.equal(t.e.response().firing.length, 1, 'for: 0 fires at once');
    assert.equal(t.notifier.batches.length, 1);
    await t.tick(30_000);
    assert.equal(t.notifier.batches.length, 1);
    await t.tick(30_000);
    assert.equal(t.notifier.batches.length, 2, 'repeated after 1m');
    assert.equal(t.notifier.batches[1].alerts[0].status, 'firing');

    t.inputs.set.routes = [];  // the route disappears from the views: condition gone
    await t.tick(10_000);
    assert.equal(t.e.response().resolved.length, 1);
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.tick(10_000);
    const res = t.e.response();
    assert.equal(res.firing.length, 1);
    assert.equal(res.firing[0].activeAt, t.now, 'a new instance, with a new start');
    assert.deepEqual(t.notifier.batches.map((b) => b.alerts[0].status), ['firing', 'firing', 'resolved', 'firing']);
  });

  it('drops a pending alert whose condition goes away before `for`, without notifying', async () => {
    const t = engine({ rules: [{ ...ERROR_RULE, for: '5m' }] });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.tick();
    assert.equal(t.e.response().pending.length, 1);
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 0 })];
    const r = await t.tick(60_000);
    assert.deepEqual(r.transitions.map((x) => `${x.from}→${x.to}`), ['pending→inactive']);
    const res = t.e.response();
    assert.equal(res.pending.length + res.firing.length + res.resolved.length, 0);
    assert.equal(t.notifier.batches.length, 0);
  });

  it('ignores routes below minRequests, routes outside match, and null values', async () => {
    const t = engine({ rules: [{ ...ERROR_RULE, for: 0, minRequests: 10, match: { route: '/api/*', method: 'post' } }] });
    t.inputs.set.routes = [
      route({ route: '/api/orders', method: 'POST', errorRatio: 1, requests: 5 }),     // too few requests
      route({ route: '/api/pay', method: 'POST', errorRatio: 0.5, requests: 40 }),     // fires
      route({ route: '/api/pay', method: 'GET', errorRatio: 0.5, requests: 40 }),      // other method
      route({ route: '/health', method: 'POST', errorRatio: 1, requests: 40 }),        // other route
      route({ route: '/api/idle', method: 'POST', errorRatio: null, requests: 0, p95: null }),
    ];
    await t.tick();
    assert.deepEqual(t.e.response().firing.map((a) => `${a.labels.method} ${a.labels.route}`), ['POST /api/pay']);
  });

  it('job, drift and target rules, with the rule labels and templated annotations', async () => {
    const t = engine({ rules: [
      { name: 'JobFails', view: 'job.errors', threshold: 0, labels: { team: 'data' }, annotations: { summary: '{{ $labels.job }} failed {{ $value }} times', runbook_url: 'https://runbooks.example/jobs' } },
      { name: 'JobStale', view: 'job.lastSuccessAge', threshold: 600 },
      { name: 'Drifted', view: 'drift.share', op: '>=', threshold: 0.5 },
      { name: 'Down', view: 'target.down', match: { target: 'shop*' } },
    ] });
    const now = t.now;
    t.inputs.set.jobs = [
      { job: 'nightly', ok: 1, error: 2, okTotal: 3, errorTotal: 2, p95Duration: 1, rowsProcessed: 5, lastSuccess: now - 700_000, code: { file: 'src/jobs.ts', line: 7 } },
      { job: 'hourly', ok: 4, error: 0, okTotal: 4, errorTotal: 0, p95Duration: 1, rowsProcessed: 5, lastSuccess: now - 60_000 },
      { job: 'never', ok: 0, error: 1, okTotal: 0, errorTotal: 1, p95Duration: null, rowsProcessed: null },
    ];
    t.inputs.set.drift = [
      { dataset: 'users', status: 'ok', report: { driftedShare: 0.6 } as never },
      { dataset: 'orders', status: 'ok', report: { driftedShare: 0.2 } as never },
      { dataset: 'broken', status: 'error', message: 'no file' },
    ];
    const target = { url: 'http://127.0.0.1:9/metrics', intervalSeconds: 5, samples: 0, series: 0, parseErrors: [], seriesRefused: 0, counterResets: 0, bytes: 0 };
    t.inputs.set.targets = [
      { ...target, name: 'shop', health: 'down', lastError: { kind: 'refused', message: 'connection refused', at: now } },
      { ...target, name: 'shop-2', health: 'up' },
      { ...target, name: 'other', health: 'down' },
    ];
    await t.tick();
    const firing = t.e.response().firing;
    const by = (rule: string) => firing.filter((a) => a.rule === rule);
    assert.deepEqual(by('JobFails').map((a) => a.labels.job).sort(), ['never', 'nightly']);
    const nightly = by('JobFails').find((a) => a.labels.job === 'nightly')!;
    assert.equal(nightly.labels.team, 'data');
    assert.equal(nightly.annotations.summary, 'nightly failed 2 times');
    assert.equal(nightly.annotations.runbook_url, 'https://runbooks.example/jobs');
    assert.equal(nightly.generatorURL, 'vscode://file/repo/src/jobs.ts:7:1');
    // 700 s since the last success > 600; `never` has no success in the window (a lower bound of the window).
    assert.deepEqual(by('JobStale').map((a) => [a.labels.job, a.value]).sort(), [['never', 3600], ['nightly', 700]]);
    assert.match(by('JobStale').find((a) => a.labels.job === 'never')!.annotations.description, /no successful run within the last 3600s/);
    assert.deepEqual(by('Drifted').map((a) => [a.labels.dataset, a.value]), [['users', 0.6]]);
    assert.deepEqual(by('Down').map((a) => a.labels.target), ['shop']);
    assert.equal(by('Down')[0].generatorURL, 'http://127.0.0.1:7777/#alerts', 'no code: the link is the dashboard');
    assert.equal(t.notifier.batches.length, 1, 'one batch per evaluation');
    assert.equal(t.notifier.batches[0].alerts.length, 6);
  });

  it('a failing rule shows its error, keeps its alerts, and the other rules go on', async () => {
    const t = engine({ rules: [{ ...ERROR_RULE, for: 0 }, { name: 'JobFails', view: 'job.errors', threshold: 0 }] });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.tick();
    assert.equal(t.e.response().firing.length, 1);
    t.inputs.set.fail = 'the view source is unreachable';
    t.inputs.set.jobs = [{ job: 'j', ok: 0, error: 1, okTotal: 0, errorTotal: 1, p95Duration: null, rowsProcessed: null }];
    const r = await t.tick(15_000);
    assert.deepEqual(r.errors, [{ rule: 'HighErrors', error: 'the view source is unreachable' }]);
    const res = t.e.response();
    const rule = res.rules.find((x) => x.name === 'HighErrors')!;
    assert.equal(rule.health, 'error');
    assert.equal(rule.lastError, 'the view source is unreachable');
    assert.deepEqual(res.firing.map((a) => a.rule).sort(), ['HighErrors', 'JobFails'], 'HighErrors stays firing; JobFails was evaluated');
    assert.equal(res.rules.find((x) => x.name === 'JobFails')!.health, 'ok');
    const registry = new Registry();
    t.e.registerMetrics(registry);
    const text = await registry.metrics();
    assert.match(text, /telltale_alert_rule_evaluation_failures_total\{rule="HighErrors"\} 1/);
  });

  it('a notifier that fails does not stop evaluation, shows its error, and gets the alert later', async () => {
    const bad = recordingNotifier('rec');
    bad.fail = 'HTTP 503: try later';
    const t = engine({ rules: [{ ...ERROR_RULE, for: 0 }], repeatInterval: '4h' }, { notifiers: [bad] });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.tick();
    let st = t.e.response().notifiers[0];
    assert.equal(st.state, 'failing');
    assert.equal(st.lastError?.message, 'HTTP 503: try later');
    assert.equal(st.failed, 1);
    assert.equal(t.e.response().firing.length, 1, 'evaluation went on');
    bad.fail = undefined;
    await t.tick(15_000);
    st = t.e.response().notifiers[0];
    assert.equal(st.state, 'ok');
    assert.equal(bad.batches.length, 1, 'the undelivered alert is sent on the next evaluation, not after the repeat interval');
    await t.tick(15_000);
    assert.equal(bad.batches.length, 1);
  });

  it('routes alerts to the rule\'s notifiers and by minimum severity', async () => {
    const a = recordingNotifier('a'), b = recordingNotifier('b', { minSeverity: 'critical' });
    const t = engine({
      notifiers: [{ type: 'webhook', name: 'a', url: 'http://127.0.0.1:1/' }, { type: 'webhook', name: 'b', url: 'http://127.0.0.1:1/' }],
      rules: [
        { ...ERROR_RULE, for: 0, notifiers: ['a'], severity: 'critical' },
        { name: 'Slow', view: 'route.p95', threshold: 1, severity: 'warning' },
        { name: 'Down', view: 'target.down', severity: 'critical', notifiers: ['b'] },
      ],
    }, { notifiers: [a, b] });
    t.inputs.set.routes = [route({ route: '/x', errorRatio: 1, p95: 2 })];
    t.inputs.set.targets = [{ name: 't', url: 'http://127.0.0.1:9/metrics', intervalSeconds: 5, health: 'down', samples: 0, series: 0, parseErrors: [], seriesRefused: 0, counterResets: 0, bytes: 0 }];
    await t.tick();
    assert.deepEqual(a.batches.flatMap((x) => x.alerts.map((y) => y.rule)).sort(), ['HighErrors', 'Slow']);
    assert.deepEqual(b.batches.flatMap((x) => x.alerts.map((y) => y.rule)), ['Down']);
  });

  it('exports telltale_alerts_firing{rule} and lists the rules with their expression', async () => {
    const t = engine({ rules: [{ ...ERROR_RULE, for: 0 }, { name: 'Slow', view: 'route.p99', threshold: 5 }] });
    const registry = new Registry();
    t.e.registerMetrics(registry);
    t.inputs.set.routes = [route({ route: '/a', errorRatio: 1 }), route({ route: '/b', errorRatio: 0.9 })];
    await t.tick();
    const text = await registry.metrics();
    assert.match(text, /telltale_alerts_firing\{rule="HighErrors"\} 2/);
    assert.match(text, /telltale_alerts_firing\{rule="Slow"\} 0/);
    assert.match(text, /telltale_alert_notifications_total\{notifier="rec",result="ok"\} 1/);
    const rules = t.e.response().rules;
    assert.equal(rules[0].expression, 'route.errorRatio > 0.1 over 1m');
    assert.equal(rules[0].firing, 2);
    assert.equal(rules[1].health, 'ok');
  });

  it('concurrent evaluate() calls share one evaluation', async () => {
    const t = engine({ rules: [{ ...ERROR_RULE, for: 0 }] });
    t.inputs.set.routes = [route({ route: '/a', errorRatio: 1 })];
    const [x, y] = await Promise.all([t.e.evaluate(), t.e.evaluate()]);
    assert.equal(x, y);
    assert.equal(t.inputs.windows.length, 1);
  });
});
