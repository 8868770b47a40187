/**
 * `telltale alert test` and `telltale alert prometheus-rules`, in-process through main() with a
 * fake CliIO against receivers on 127.0.0.1, and once through the built `node dist/cli.js`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { tmpDir } from '../helpers';
import { closedPort, startReceiver } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');

function fakeIO(cwd: string, env: Record<string, string | undefined> = {}) {
  let out = '', err = '';
  const io: CliIO = { cwd, env, interrupted: new Promise<void>(() => {}), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  return { io, out: () => out, err: () => err };
}

describe('cli: telltale alert', function () {
  this.timeout(60_000);
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let dir: string;
  let downPort: number;
  const write = (name: string, alerts: unknown): string => {
    const d = path.join(dir, name);
    fs.mkdirSync(path.join(d, '.git'), { recursive: true });
    fs.writeFileSync(path.join(d, 'telltale.config.json'), JSON.stringify({ alerts }));
    return d;
  };

  before(async () => {
    rx = await startReceiver();
    dir = tmpDir('tt-cli-alert-');
    downPort = await closedPort();
  });
  after(async () => {
    await rx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('test: delivers a test notification through every notifier (exit 0), skipping VS Code', async () => {
    const cwd = write('ok', { notifiers: [{ type: 'webhook', name: 'hook', url: `${rx.url}/hook` }, { type: 'slack', url: '${env:SLACK_URL}' }, { type: 'vscode' }] });
    const f = fakeIO(cwd, { SLACK_URL: `${rx.url}/services/T/B/C` });
    const before = rx.received.length;
    assert.equal(await main(['alert', 'test'], f.io), 0, f.err());
    assert.match(f.out(), new RegExp(`✓ hook \\(webhook\\) → ${rx.url}/hook: delivered`));
    assert.match(f.out(), new RegExp(`✓ slack \\(slack\\) → ${rx.url}/services/T/…: delivered`));
    assert.match(f.out(), /- vscode \(vscode\): skipped/);
    assert.match(f.out(), /2 of 2 notifier\(s\) delivered/);
    const got = rx.received.slice(before);
    assert.equal(got.length, 2);
    const hook = got.find((r) => r.url === '/hook')!.body as { test: boolean; alerts: { labels: Record<string, string> }[] };
    assert.equal(hook.test, true);
    assert.equal(hook.alerts[0].labels.alertname, 'TelltaleTestAlert');
    const slack = got.find((r) => r.url.startsWith('/services/'))!.body as { text: string };
    assert.equal(slack.text, '[TEST] [FIRING:1] TelltaleTestAlert');
  });

  it('test: exit 1 when a notifier fails, with its error; --notifier picks one', async () => {
    const cwd = write('down', { notifiers: [{ type: 'webhook', name: 'down', url: `http://127.0.0.1:${downPort}/x`, retries: 1 }, { type: 'webhook', name: 'up', url: `${rx.url}/up` }] });
    const f = fakeIO(cwd);
    assert.equal(await main(['alert', 'test'], f.io), 1);
    assert.match(f.out(), new RegExp(`✗ down \\(webhook\\) → http://127.0.0.1:${downPort}/x: connection refused \\(after 2 attempts\\)`));
    assert.match(f.out(), /✓ up \(webhook\)/);
    const g = fakeIO(cwd);
    assert.equal(await main(['alert', 'test', '--notifier', 'up'], g.io), 0);
    assert.doesNotMatch(g.out(), /down/);
  });

  it('usage and config errors exit 2 with the reason', async () => {
    const cwd = write('usage', { notifiers: [{ type: 'webhook', name: 'hook', url: `${rx.url}/hook` }] });
    let f = fakeIO(cwd);
    assert.equal(await main(['alert', 'test', '--notifier', 'nope'], f.io), 2);
    assert.match(f.err(), /telltale alert: no notifier named 'nope' \(configured: hook\)/);
    f = fakeIO(cwd);
    assert.equal(await main(['alert'], f.io), 2);
    assert.match(f.err(), /which subcommand\?/);
    f = fakeIO(cwd);
    assert.equal(await main(['alert', 'page-everyone'], f.io), 2);
    assert.match(f.err(), /unknown subcommand 'page-everyone'/);
    f = fakeIO(write('vscode-only', {}));
    assert.equal(await main(['alert', 'test'], f.io), 2);
    assert.match(f.err(), /no notifier to test/);
    f = fakeIO(write('bad', { notifiers: [{ type: 'webhook', url: `${rx.url}/x`, timout: '1s' }] }));
    assert.equal(await main(['alert', 'test'], f.io), 2);
    assert.match(f.err(), /telltale\.config\.json: alerts\.notifiers\[0\]\.timout: unknown key/);
    f = fakeIO(write('bad2', { rules: [{ name: 'X', view: 'route.p95' }] }));
    assert.equal(await main(['alert', 'test'], f.io), 2);
    assert.match(f.err(), /telltale\.config\.json: alerts\.rules\[0\]\.threshold: a threshold rule on route\.p95 needs `threshold`/);
  });

  it('prometheus-rules: prints the rules, or writes them with --out', async () => {
    const cwd = write('rules', { defaults: true });
    let f = fakeIO(cwd);
    assert.equal(await main(['alert', 'prometheus-rules'], f.io), 0, f.err());
    assert.match(f.out(), /^# Generated by Telltale/);
    assert.match(f.out(), /- alert: "RouteHighErrorRatio"/);
    f = fakeIO(cwd);
    assert.equal(await main(['alert', 'prometheus-rules', '--out', 'alerts.rules.yml'], f.io), 0);
    assert.match(f.out(), /Wrote 5 alert rule\(s\) to alerts\.rules\.yml/);
    assert.match(fs.readFileSync(path.join(cwd, 'alerts.rules.yml'), 'utf8'), /- alert: "TargetDown"/);
    f = fakeIO(write('norules', {}));
    assert.equal(await main(['alert', 'prometheus-rules'], f.io), 2);
    assert.match(f.err(), /no alert rules/);
  });

  it('runs from the built dist/cli.js', async () => {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(b.status, 0, `npm run build failed:\n${b.stdout}\n${b.stderr}`);
    const cwd = write('dist', { notifiers: [{ type: 'webhook', name: 'hook', url: `${rx.url}/from-dist` }] });
    // Asynchronous: the receiver runs in this process, so spawnSync would block its answer.
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'alert', 'test'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    assert.equal(code, 0, `${out}\n${err}`);
    assert.match(out, /✓ hook \(webhook\)/);
    assert.ok(rx.received.some((r) => r.url === '/from-dist'));
  });
});
