/**
 * End to end: a real prom-client app on loopback, scraped by the runtime over HTTP, a burst of
 * 5xx → the rules fire (`/api/alerts`, the SSE `alert` events, `/metrics`, a webhook receiver, the
 * VS Code event), then healthy traffic → they resolve. Then the same with Debian's
 * prometheus-alertmanager (on 127.0.0.1, temporary config, no clustering) receiving the alerts and
 * routing them on to a webhook receiver.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import type { AlertEvent, AlertsResponse } from '../../../src/protocol/alerts';
import type { Inventory } from '../../../src/protocol/inventory';
import { startRuntime, type RuntimeHandle } from '../../../src/runtime/main';
import { sendTraffic, startExpressApp, type FixtureApp } from '../../fixtures/runtime/express-app';
import { getJson, readEvents, silentLogger, tmpDir } from '../helpers';
import { closedPort, startReceiver } from './helpers';

const inventory: Inventory = {
  root: '/repo',
  routes: [
    { file: 'src/app.ts', line: 40, column: 3, method: 'GET', path: '/users/:id', framework: 'express', coverage: 'middleware' },
    { file: 'src/app.ts', line: 47, column: 3, method: 'GET', path: '/fail', framework: 'express', coverage: 'middleware' },
  ],
  jobs: [],
  metrics: [],
  errors: [],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try { const v = await check(); if (v) return v; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

describe('alerts end to end: a real app, the runtime, a webhook receiver and VS Code events', function () {
  this.timeout(60_000);
  let app: FixtureApp;
  let rt: RuntimeHandle | undefined;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let clock = 1_700_000_000_000;
  const tokenDir = tmpDir('tt-alert-token-');

  before(async () => {
    app = await startExpressApp();
    hook = await startReceiver();
  });
  after(async () => {
    await rt?.close();
    await app?.close();
    await hook?.close();
    fs.rmSync(tokenDir, { recursive: true, force: true });
  });

  const alerts = async () => (await getJson<AlertsResponse>(`${rt!.url}/api/alerts`, rt!.token)).body;
  const step = async (traffic: () => Promise<unknown>) => {
    await traffic();
    clock += 5000;
    await rt!.round();
    await rt!.evaluateAlerts();
  };

  it('fires on a burst of 5xx and resolves after healthy traffic', async () => {
    await sendTraffic(app.url, 4, { failEvery: 1 }); // every series exists before the first scrape
    rt = await startRuntime({
      targets: [{ url: app.metricsUrl, name: 'shop' }], now: () => clock, autoScrape: false, logger: silentLogger, inventory, tokenDir,
      alertsConfig: {
        rules: [
          { name: 'RouteFailing', view: 'route.errorRatio', threshold: 0.5, window: '30s', minRequests: 3, severity: 'critical' },
          { name: 'ShopAvailability', objective: 0.9, aggregate: true, windows: [{ long: '30s', short: '10s', burnRate: 2 }] },
        ],
        notifiers: [{ type: 'webhook', name: 'hook', url: `${hook.url}/alerts`, retries: 1 }, { type: 'vscode' }],
      },
    });
    await rt.round();
    assert.equal((await getJson(`${rt.url}/api/alerts`)).status, 401, 'the token is required');
    const before = await alerts();
    assert.equal(before.enabled, true);
    assert.deepEqual(before.rules.map((r) => [r.name, r.kind, r.health]), [['RouteFailing', 'threshold', 'unknown'], ['ShopAvailability', 'slo', 'unknown']]);
    assert.deepEqual(before.notifiers.map((n) => [n.name, n.state]), [['hook', 'idle'], ['vscode', 'idle']]);

    // Quiet traffic, then the burst while a VS Code client listens to the event stream.
    await step(() => sendTraffic(app.url, 6));
    assert.equal((await alerts()).firing.length, 0);
    const events = await readEvents(`${rt.url}/api/events?token=${rt.token}`, 'alert', 2, 20_000, async () => {
      await sleep(100);
      await step(() => sendTraffic(app.url, 12, { failEvery: 1 })); // ~31% of requests are 5xx
      await step(() => sendTraffic(app.url, 12, { failEvery: 1 }));
    }) as AlertEvent[];

    const firing = await alerts();
    assert.deepEqual(firing.firing.map((a) => a.rule).sort(), ['RouteFailing', 'ShopAvailability']);
    const route = firing.firing.find((a) => a.rule === 'RouteFailing')!;
    assert.deepEqual(route.labels, { alertname: 'RouteFailing', severity: 'critical', route: '/fail', method: 'GET' });
    assert.equal(route.value, 1);
    assert.deepEqual(route.code, { file: 'src/app.ts', line: 47, column: 3 });
    assert.equal(route.generatorURL, 'vscode://file/repo/src/app.ts:47:3');
    const slo = firing.firing.find((a) => a.rule === 'ShopAvailability')!;
    assert.ok(slo.burnRates![0].shortBurnRate! > 2 && slo.burnRates![0].longBurnRate! > 2, JSON.stringify(slo.burnRates));
    assert.ok(firing.rules.every((r) => r.health === 'ok'));

    // The SSE stream: the state change, and the VS Code notification.
    const change = events.find((e) => !e.notify)!;
    const notify = events.find((e) => e.notify)!;
    assert.deepEqual(change.alerts.map((a) => a.status), ['firing', 'firing']);
    assert.equal(change.firing, 2);
    assert.deepEqual(notify.alerts.map((a) => a.rule).sort(), ['RouteFailing', 'ShopAvailability']);

    // The webhook receiver got both, once.
    await rt.alerts.idle();
    assert.equal(hook.received.length, 1);
    const body = hook.received[0].body as { status: string; alerts: { labels: Record<string, string>; status: string }[] };
    assert.equal(hook.received[0].url, '/alerts');
    assert.equal(body.status, 'firing');
    assert.deepEqual(body.alerts.map((a) => a.labels.alertname).sort(), ['RouteFailing', 'ShopAvailability']);
    const st = (await alerts()).notifiers;
    assert.equal(st.find((n) => n.name === 'hook')!.state, 'ok');
    assert.equal(st.find((n) => n.name === 'vscode')!.state, 'ok');

    const metrics = await (await fetch(`${rt.url}/metrics`, { headers: { authorization: `Bearer ${rt.token}` } })).text();
    assert.match(metrics, /telltale_alerts_firing\{rule="RouteFailing"\} 1/);
    assert.match(metrics, /telltale_alerts_firing\{rule="ShopAvailability"\} 1/);

    // Healthy traffic until the burst leaves the 30 s windows.
    for (let i = 0; i < 8; i++) await step(() => sendTraffic(app.url, 6));
    const after = await alerts();
    assert.equal(after.firing.length, 0);
    assert.deepEqual(after.resolved.map((a) => a.rule).sort(), ['RouteFailing', 'ShopAvailability']);
    assert.ok(after.resolved.every((a) => a.resolvedAt! > a.firedAt!));
    await rt.alerts.idle();
    // The two rules resolve when their own windows clear (maybe in different evaluations): each resolution is sent once.
    const later = hook.received.slice(1).map((r) => r.body as { status: string; alerts: { status: string; labels: Record<string, string>; endsAt: string }[] });
    assert.ok(later.every((b) => b.status === 'resolved'), JSON.stringify(later));
    assert.deepEqual(later.flatMap((b) => b.alerts.map((a) => `${a.labels.alertname} ${a.status}`)).sort(), ['RouteFailing resolved', 'ShopAvailability resolved']);
    assert.ok(later.every((b) => b.alerts.every((a) => a.endsAt !== '0001-01-01T00:00:00Z')));
    // No VS Code window listens any more: that notifier shows it.
    const vs = after.notifiers.find((n) => n.name === 'vscode')!;
    assert.equal(vs.state, 'failing');
    assert.match(vs.lastError!.message, /no VS Code window is connected/);
    const metricsAfter = await (await fetch(`${rt.url}/metrics`, { headers: { authorization: `Bearer ${rt.token}` } })).text();
    assert.match(metricsAfter, /telltale_alerts_firing\{rule="RouteFailing"\} 0/);
  });

  it('rejects a bad alerts config naming the key', async () => {
    await assert.rejects(
      startRuntime({ logger: silentLogger, tokenDir, autoScrape: false, alertsConfig: { rules: [{ name: 'X', view: 'route.p95', threshold: 1, notifiers: ['nope'] }] } }),
      /alerts\.rules\[0\]\.notifiers\[0\]: no notifier named 'nope' \(notifiers: vscode\)/,
    );
  });
});

describe('alerts end to end: a real Alertmanager (Debian prometheus-alertmanager)', function () {
  this.timeout(90_000);
  const bin = which('prometheus-alertmanager') ?? which('alertmanager');
  let app: FixtureApp | undefined;
  let rt: RuntimeHandle | undefined;
  let am: ChildProcess | undefined;
  let amLog = '';
  let amUrl = '';
  let routed: Awaited<ReturnType<typeof startReceiver>> | undefined;
  let dir = '';

  before(async function () {
    if (!bin) this.skip();
    dir = tmpDir('tt-am-');
    routed = await startReceiver();
    const port = await freePort();
    // Alertmanager routes what it gets to our receiver at once, and the resolution too.
    fs.writeFileSync(path.join(dir, 'alertmanager.yml'), [
      'route:',
      '  receiver: hook',
      '  group_by: [alertname]',
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: hook',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(`${routed.url}/from-alertmanager`)}`,
      '        send_resolved: true',
      '',
    ].join('\n'));
    am = spawn(bin!, [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    am.stdout!.on('data', (d) => { amLog = (amLog + d).slice(-4000); });
    am.stderr!.on('data', (d) => { amLog = (amLog + d).slice(-4000); });
    amUrl = `http://127.0.0.1:${port}`;
    await until(`Alertmanager to be ready (log: ${amLog})`, 30_000, async () => (await fetch(`${amUrl}/-/ready`)).ok);
    app = await startExpressApp();
  });

  after(async () => {
    await rt?.close();
    if (am && am.exitCode === null) {
      am.kill('SIGTERM');
      await Promise.race([new Promise((r) => am!.once('exit', r)), sleep(5000)]);
      if (am.exitCode === null) am.kill('SIGKILL');
    }
    await app?.close();
    await routed?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('receives the firing alert (labels, generatorURL), routes it, and sees it resolved', async () => {
    // Real time here: Alertmanager compares startsAt/endsAt with its own clock.
    await sendTraffic(app!.url, 2, { failEvery: 1 });
    rt = await startRuntime({
      targets: [{ url: app!.metricsUrl, name: 'shop' }], autoScrape: false, logger: silentLogger, inventory, tokenDir: dir,
      alertsConfig: {
        rules: [{ name: 'RouteFailing', view: 'route.errorRatio', threshold: 0.5, window: '5s', minRequests: 1, severity: 'critical', labels: { team: 'shop' } }],
        notifiers: [{ type: 'alertmanager', url: amUrl, retries: 1 }],
      },
    });
    await rt.round();
    await sendTraffic(app!.url, 3, { failEvery: 1 });
    await sleep(1000);
    await rt.round();
    await rt.evaluateAlerts();
    assert.equal(rt.alerts.firing().length, 1, JSON.stringify(rt.alerts.response()));
    await rt.alerts.idle();
    assert.equal(rt.alerts.notifierStates()[0].state, 'ok', JSON.stringify(rt.alerts.notifierStates()[0]));

    type AmAlert = { labels: Record<string, string>; generatorURL: string; status: { state: string }; startsAt: string; endsAt: string };
    const inAm = await until('the alert in Alertmanager', 15_000, async () => {
      const list = await (await fetch(`${amUrl}/api/v2/alerts`)).json() as AmAlert[];
      return list.find((a) => a.labels.alertname === 'RouteFailing');
    });
    assert.deepEqual(inAm.labels, { alertname: 'RouteFailing', severity: 'critical', route: '/fail', method: 'GET', team: 'shop' });
    assert.equal(inAm.status.state, 'active');
    assert.equal(inAm.generatorURL, 'vscode://file/repo/src/app.ts:47:3');
    assert.ok(Date.parse(inAm.endsAt) > Date.now(), 'a firing alert ends in the future');

    const first = await until('Alertmanager\'s notification', 15_000, async () => routed!.received.find((r) => (r.body as { status?: string }).status === 'firing'));
    const fb = first.body as { receiver: string; alerts: { labels: Record<string, string>; generatorURL: string }[] };
    assert.equal(fb.receiver, 'hook');
    assert.equal(fb.alerts[0].labels.route, '/fail');

    // Healthy traffic until the 5 s window holds no /fail request: resolved, and Alertmanager says so.
    await sleep(5100);
    await sendTraffic(app!.url, 2);
    await rt.round();
    await sleep(1000);
    await sendTraffic(app!.url, 2);
    await rt.round();
    await rt.evaluateAlerts();
    assert.equal(rt.alerts.firing().length, 0, JSON.stringify(rt.alerts.response().firing));
    assert.equal(rt.alerts.response().resolved.length, 1);
    await rt.alerts.idle();
    const resolved = await until('the resolution routed by Alertmanager', 20_000, async () => routed!.received.find((r) => (r.body as { status?: string }).status === 'resolved'));
    assert.equal((resolved.body as { alerts: { labels: Record<string, string> }[] }).alerts[0].labels.alertname, 'RouteFailing');
    const active = await (await fetch(`${amUrl}/api/v2/alerts?active=true&silenced=false&inhibited=false`)).json() as AmAlert[];
    assert.equal(active.filter((a) => a.labels.alertname === 'RouteFailing' && a.status.state === 'active').length, 0);
  });
});

describe('alerts end to end: `telltale runtime` with an alerts section runs the evaluation loop', function () {
  this.timeout(60_000);
  it('a target that is down fires TargetDown on its own (real timers, config file → CLI → runtime) and reaches the webhook', async () => {
    const dir = tmpDir('tt-alert-loop-');
    const hook = await startReceiver();
    const down = await closedPort();
    let stop!: () => void;
    let out = '', err = '';
    const io: CliIO = {
      cwd: dir, env: { XDG_RUNTIME_DIR: dir }, interrupted: new Promise<void>((r) => (stop = r)),
      stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) },
    };
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, 'telltale.config.json'), JSON.stringify({
      runtime: { scrapeInterval: '500ms', scrapeTimeout: '400ms', targets: [{ url: `http://127.0.0.1:${down}/metrics`, name: 'gone' }], log: { level: 'silent' } },
      // The built-in TargetDown waits 1m; this one (same name, so it replaces it) fires at once.
      alerts: { interval: '500ms', defaults: true, rules: [{ name: 'TargetDown', view: 'target.down', severity: 'critical' }], notifiers: [{ type: 'webhook', name: 'hook', url: `${hook.url}/loop` }] },
    }));
    const running = main(['runtime', '--json'], io);
    try {
      const line = await until('the JSON line', 15_000, async () => (out.includes('\n') ? out.split('\n')[0] : undefined));
      const { url, tokenFile } = JSON.parse(line) as { url: string; tokenFile: string };
      const token = fs.readFileSync(tokenFile, 'utf8').trim();
      const firing = await until('TargetDown firing', 15_000, async () => {
        const b = (await getJson<AlertsResponse>(`${url}/api/alerts`, token)).body;
        return b.firing.find((a) => a.rule === 'TargetDown');
      });
      assert.deepEqual(firing.labels, { alertname: 'TargetDown', severity: 'critical', target: 'gone' });
      assert.equal(firing.annotations.summary, 'Target gone is down');
      assert.match(firing.annotations.description, /connection refused/);
      const body = (await getJson<AlertsResponse>(`${url}/api/alerts`, token)).body;
      assert.deepEqual(body.rules.map((r) => `${r.name}${r.builtin ? '*' : ''}`), ['TargetDown', 'RouteHighErrorRatio*', 'RouteSlowP95*', 'JobRunsFailing*', 'DatasetDrifted*']);
      assert.equal(body.intervalSeconds, 0.5);
      const [got] = await hook.waitFor(1, 15_000);
      assert.equal(got.url, '/loop');
      assert.deepEqual((got.body as { alerts: { labels: Record<string, string> }[] }).alerts.map((a) => a.labels.target), ['gone']);
    } finally {
      stop();
      assert.equal(await running, 0, err);
      await hook.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
