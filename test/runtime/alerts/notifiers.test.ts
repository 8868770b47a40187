/**
 * The network notifiers against real HTTP receivers on 127.0.0.1: Slack and webhook payloads,
 * retries (5xx, 429), a receiver that is down or slow (the notifier state shows the error and
 * evaluation goes on), Alertmanager's API shape, headers from the environment.
 */
import assert from 'node:assert/strict';
import type { AlertsSectionConfig } from '../../../src/config/sections/alerts';
import { AlertEngine } from '../../../src/runtime/alerts/engine';
import { compileAlertsConfig } from '../../../src/runtime/alerts/rules';
import { closedPort, fakeInputs, route, startReceiver } from './helpers';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe('alerts: notifiers against HTTP receivers on 127.0.0.1', function () {
  this.timeout(30_000);
  const receivers: Receiver[] = [];
  const engines: AlertEngine[] = [];
  after(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  }

  function engine(section: AlertsSectionConfig, env: Record<string, string> = {}) {
    let clock = Date.parse('2024-05-01T12:00:00Z');
    const inputs = fakeInputs();
    const e = new AlertEngine({
      config: compileAlertsConfig({ rules: [{ name: 'HighErrors', view: 'route.errorRatio', threshold: 0.1, severity: 'critical' }], ...section }, env),
      inputs: { ...inputs, inventory: { root: '/repo', routes: [], jobs: [], metrics: [], errors: [] } },
      now: () => clock,
      backoffMs: 10,
      externalUrl: () => 'http://127.0.0.1:7777',
    });
    engines.push(e);
    return { e, inputs, advance: (ms: number) => { clock += ms; return clock; }, get now() { return clock; } };
  }

  it('slack: one coloured attachment per alert, escaped text, link only when http(s); resolved in green', async () => {
    const rx = await receiver();
    const t = engine({ notifiers: [{ type: 'slack', url: `${rx.url}/services/T000/B000/XXXX`, channel: '#alerts' }] });
    t.inputs.set.routes = [
      route({ route: '/fail', errorRatio: 0.5, code: { file: 'src/app.ts', line: 47, path: '/fail' } }),
      route({ route: '/<img src=x onerror=alert(1)>', errorRatio: 1 }),
    ];
    await t.e.evaluate();
    await t.e.idle();
    assert.equal(rx.received.length, 1);
    const body = rx.received[0].body as { text: string; channel: string; attachments: { color: string; title: string; title_link?: string; text: string; fields: { title: string; value: string }[] }[] };
    assert.equal(rx.received[0].method, 'POST');
    assert.equal(rx.received[0].url, '/services/T000/B000/XXXX');
    assert.equal(rx.received[0].headers['content-type'], 'application/json');
    assert.equal(body.text, '[FIRING:2] HighErrors');
    assert.equal(body.channel, '#alerts');
    assert.equal(body.attachments.length, 2);
    const fail = body.attachments.find((a) => a.title.includes('/fail'))!;
    assert.equal(fail.color, 'danger');
    assert.equal(fail.title, '[FIRING] HighErrors: GET /fail');
    assert.equal(fail.title_link, undefined, 'a vscode:// link is not clickable in Slack');
    assert.deepEqual(fail.fields.find((f) => f.title === 'Code')?.value, 'src/app.ts:47');
    const img = body.attachments.find((a) => !a.title.includes('/fail'))!;
    assert.equal(img.title, '[FIRING] HighErrors: GET /&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(img.title_link, 'http://127.0.0.1:7777/#alerts');

    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 0 })];
    t.advance(15_000);
    await t.e.evaluate();
    await t.e.idle();
    assert.equal(rx.received.length, 2);
    const resolved = rx.received[1].body as { text: string; attachments: { color: string; title: string }[] };
    assert.equal(resolved.text, '[RESOLVED:2] HighErrors');
    assert.deepEqual(resolved.attachments.map((a) => a.color), ['good', 'good']);
    const st = t.e.response().notifiers[0];
    assert.equal(st.state, 'ok');
    assert.equal(st.sent, 2);
    assert.equal(st.target, `${rx.url}/services/T000/…`, 'the secret part of a Slack URL is hidden');
  });

  it('slack: a 4xx answer (no_service) is not retried and shows as the notifier\'s error', async () => {
    const rx = await receiver(() => ({ status: 404, body: 'no_service' }));
    const t = engine({ notifiers: [{ type: 'slack', url: `${rx.url}/services/T/B/X`, retries: 3 }] });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.e.evaluate();
    await t.e.idle();
    assert.equal(rx.received.length, 1);
    const st = t.e.response().notifiers[0];
    assert.equal(st.state, 'failing');
    assert.equal(st.lastError?.message, 'HTTP 404: no_service');
  });

  it('webhook: Alertmanager\'s webhook JSON; 500 and 429 are retried until delivered', async () => {
    const rx = await receiver((_r, n) => (n === 1 ? { status: 500, body: 'boom' } : n === 2 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200 }));
    const t = engine({ notifiers: [{ type: 'webhook', name: 'hook', url: `${rx.url}/hook`, retries: 3, headers: { authorization: 'Bearer ${env:HOOK_TOKEN}' } }] }, { HOOK_TOKEN: 's3cret' });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 0.25, code: { file: 'src/app.ts', line: 47, column: 3, path: '/fail' } })];
    await t.e.evaluate();
    await t.e.idle();
    assert.equal(rx.received.length, 3, 'two failures, then delivered');
    assert.equal(rx.received[2].headers.authorization, 'Bearer s3cret');
    const body = rx.received[2].body as Record<string, unknown> & { alerts: Record<string, unknown>[] };
    assert.deepEqual(rx.received[0].body, body, 'each retry sends the same payload');
    assert.equal(body.version, '4');
    assert.equal(body.status, 'firing');
    assert.equal(body.receiver, 'hook');
    assert.equal(body.externalURL, 'http://127.0.0.1:7777');
    assert.deepEqual(body.groupLabels, { alertname: 'HighErrors' });
    assert.deepEqual(body.commonLabels, { alertname: 'HighErrors', severity: 'critical', route: '/fail', method: 'GET' });
    assert.equal(body.alerts.length, 1);
    const a = body.alerts[0];
    assert.equal(a.status, 'firing');
    assert.equal(a.startsAt, '2024-05-01T12:00:00.000Z');
    assert.equal(a.endsAt, '0001-01-01T00:00:00Z');
    assert.equal(a.generatorURL, 'vscode://file/repo/src/app.ts:47:3');
    assert.equal(a.value, 0.25);
    assert.match(String(a.fingerprint), /^[0-9a-f]{16}$/);
    const st = t.e.response().notifiers[0];
    assert.equal(st.state, 'ok');
    assert.equal(st.failed, 0);
  });

  it('a receiver that is down: the error is shown per notifier, evaluation goes on, the others still deliver', async () => {
    const port = await closedPort();
    const rx = await receiver();
    const t = engine({ notifiers: [
      { type: 'webhook', name: 'down', url: `http://127.0.0.1:${port}/hook`, retries: 2 },
      { type: 'webhook', name: 'up', url: `${rx.url}/hook` },
    ] });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    const r = await t.e.evaluate();
    assert.equal(r.errors.length, 0);
    await t.e.idle();
    let states = t.e.response().notifiers;
    const down = states.find((s) => s.name === 'down')!;
    assert.equal(down.state, 'failing');
    assert.equal(down.lastError?.message, 'connection refused (after 3 attempts)');
    assert.equal(states.find((s) => s.name === 'up')!.state, 'ok');
    assert.equal(rx.received.length, 1);

    // The next evaluation still runs and tries the down receiver again; the up one is not re-sent to.
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 }), route({ route: '/also', errorRatio: 1 })];
    t.advance(15_000);
    await t.e.evaluate();
    await t.e.idle();
    assert.equal(t.e.response().firing.length, 2);
    states = t.e.response().notifiers;
    assert.equal(states.find((s) => s.name === 'down')!.failed, 2);
    assert.equal(rx.received.length, 2);
    assert.deepEqual((rx.received[1].body as { alerts: { labels: { route: string } }[] }).alerts.map((a) => a.labels.route), ['/also']);
  });

  it('a slow receiver: evaluation does not wait for it; the timeout shows as the error; nothing is queued twice', async () => {
    const rx = await receiver(() => ({ delayMs: 5000 }));
    const t = engine({ notifiers: [{ type: 'webhook', name: 'slow', url: `${rx.url}/hook`, timeout: '300ms', retries: 1 }] });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.e.evaluate();
    let st = t.e.response().notifiers[0];
    assert.equal(st.sent + st.failed, 0, 'evaluate() returned while the notification is still in flight');
    assert.equal(t.e.response().firing.length, 1);
    t.advance(15_000);
    const second = await t.e.evaluate();
    assert.equal(second.batches, 0, 'the alert in flight is not queued again');
    await t.e.idle();
    st = t.e.response().notifiers[0];
    assert.equal(st.state, 'failing');
    assert.equal(st.lastError?.message, 'no answer within 300 ms (timeout) (after 2 attempts)');
    assert.equal(rx.received.length, 2);
  });

  it('alertmanager: POST /api/v2/alerts with startsAt, endsAt ahead while firing, endsAt = resolution when resolved', async () => {
    const rx = await receiver();
    const t = engine({ interval: '15s', notifiers: [{ type: 'alertmanager', url: `${rx.url}/` }] });
    t.inputs.set.routes = [route({ route: '/fail', errorRatio: 1 })];
    await t.e.evaluate();
    await t.e.idle();
    assert.equal(rx.received[0].url, '/api/v2/alerts');
    const [fired] = rx.received[0].body as Record<string, unknown>[];
    assert.deepEqual(fired.labels, { alertname: 'HighErrors', severity: 'critical', route: '/fail', method: 'GET' });
    assert.equal(fired.startsAt, '2024-05-01T12:00:00.000Z');
    assert.equal(fired.endsAt, '2024-05-01T12:04:00.000Z', '4 resend periods (1 min) ahead, as Prometheus does');
    assert.equal(fired.generatorURL, 'http://127.0.0.1:7777/#alerts');
    // Still firing: Alertmanager expects it again within its resend period (1 min), not after repeatInterval.
    t.advance(30_000);
    await t.e.evaluate(); await t.e.idle();
    assert.equal(rx.received.length, 1);
    t.advance(30_000);
    await t.e.evaluate(); await t.e.idle();
    assert.equal(rx.received.length, 2);
    t.inputs.set.routes = [];
    t.advance(15_000);
    await t.e.evaluate(); await t.e.idle();
    const [resolved] = rx.received[2].body as Record<string, unknown>[];
    assert.equal(resolved.endsAt, '2024-05-01T12:01:15.000Z');
    assert.equal(resolved.startsAt, '2024-05-01T12:00:00.000Z');
  });
});
