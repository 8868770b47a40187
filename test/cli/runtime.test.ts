/**
 * `telltale runtime` in-process through main() with a fake CliIO, and once through the built
 * `node dist/cli.js` with a real SIGINT.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { startExpressApp, type FixtureApp } from '../fixtures/runtime/express-app';

const ROOT = path.resolve(__dirname, '../..');

function fakeIO(cwd: string, env: Record<string, string | undefined> = {}) {
  let out = '', err = '';
  let stop!: () => void;
  const interrupted = new Promise<void>((r) => (stop = r));
  const io: CliIO = { cwd, env, interrupted, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  return { io, stop, out: () => out, err: () => err };
}

async function waitFor<T>(what: string, ms: number, f: () => T | undefined): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cli: telltale runtime', function () {
  this.timeout(60_000);
  let app: FixtureApp;
  let dir: string;
  before(async () => {
    app = await startExpressApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-cli-rt-'));
    fs.mkdirSync(path.join(dir, '.git'));
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts, prints the URL and the token file, serves, and stops cleanly when interrupted', async () => {
    fs.writeFileSync(path.join(dir, 'telltale.config.json'), JSON.stringify({ runtime: { targets: [{ url: app.metricsUrl, name: 'shop', interval: '1s' }], log: { level: 'warn' } } }));
    const f = fakeIO(dir, { XDG_RUNTIME_DIR: dir });
    const done = main(['runtime'], f.io);
    const [, url, tokenFile] = await waitFor('the banner', 10_000, () => /on (http:\/\/127\.0\.0\.1:\d+)\nToken file: (\S+)/.exec(f.out()) ?? undefined);
    assert.ok(tokenFile.startsWith(path.join(dir, 'telltale')), tokenFile);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    let health: { targetsUp: number } | undefined;
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      health = await (await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${token}` } })).json() as { targetsUp: number };
      if (health.targetsUp === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(health?.targetsUp, 1);
    assert.equal((await fetch(`${url}/api/health`)).status, 401);
    f.stop();
    assert.equal(await done, 0);
    assert.match(f.out(), /Telltale runtime stopped/);
    assert.equal(fs.existsSync(tokenFile), false);
    await assert.rejects(fetch(`${url}/api/health`), 'the port is closed');
  });

  it('names a misspelt config key and exits 2', async () => {
    const sub = fs.mkdtempSync(path.join(dir, 'bad-'));
    fs.writeFileSync(path.join(sub, 'telltale.config.json'), JSON.stringify({ runtime: { targets: [{ url: 'http://127.0.0.1:1/metrics', intervl: 5 }] } }));
    const f = fakeIO(sub);
    assert.equal(await main(['runtime'], f.io), 2);
    assert.match(f.err(), /runtime\.targets\[0\]\.intervl: unknown key/);
    fs.writeFileSync(path.join(sub, 'telltale.config.json'), JSON.stringify({ runtime: { window: 'forever' } }));
    const g = fakeIO(sub);
    assert.equal(await main(['runtime'], g.io), 2);
    assert.match(g.err(), /runtime\.window: must match pattern/);
  });

  it('rejects bad flags with exit 2', async () => {
    for (const argv of [['runtime', '--port', 'abc'], ['runtime', '--target', 'ftp://x'], ['runtime', '--bogus'], ['runtime', '--target']]) {
      const f = fakeIO(dir);
      assert.equal(await main(argv, f.io), 2, argv.join(' '));
      assert.match(f.err(), /telltale runtime: /);
    }
    const h = fakeIO(dir);
    assert.equal(await main(['runtime', '--help'], h.io), 0);
    assert.match(h.out(), /--prometheus <url>/);
  });

  it('reports a bad inventory path by key', async () => {
    const f = fakeIO(dir);
    assert.equal(await main(['runtime', '--inventory', path.join(dir, 'nope.json'), '--config', path.join(dir, 'telltale.config.json')], f.io), 2);
    assert.match(f.err(), /runtime\.inventory: .*nope\.json: no such file/);
  });

  it('runs from the built dist/cli.js and stops on SIGINT', async function () {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(b.status, 0, `npm run build failed:\n${b.stdout}\n${b.stderr}`);
    const cwd = fs.mkdtempSync(path.join(dir, 'dist-'));
    fs.mkdirSync(path.join(cwd, '.git'));
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'runtime', '--json', '--target', app.metricsUrl], {
      cwd, env: { ...process.env, XDG_RUNTIME_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      const line = await waitFor('the JSON line', 15_000, () => (out.includes('\n') ? out.split('\n')[0] : undefined));
      const { url, tokenFile } = JSON.parse(line) as { url: string; tokenFile: string };
      const token = fs.readFileSync(tokenFile, 'utf8').trim();
      const res = await fetch(`${url}/api/targets`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      const exit = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
      child.kill('SIGINT');
      const code = await Promise.race([exit, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
      assert.equal(code, 0, `exit ${code}\n${err}`);
      assert.equal(fs.existsSync(tokenFile), false);
      assert.match(err, /"msg":"runtime started"/, `pino JSON logs on stderr: ${err}`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
