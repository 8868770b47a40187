/**
 * Proof that fixed code is right, on real apps: copy a fixture app, run `telltale fix`, type-check
 * the result with the real framework and prom-client types, start it on 127.0.0.1, send traffic
 * (2xx, 4xx, 5xx from a thrown error, an unmatched path), and check /metrics: per-route series
 * labelled by route template with the right counts, valid for `promtool check metrics`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { startProcess, type Started } from '../helpers/processes';
import { TSC, copyFixApp, redLabel, series } from '../helpers/fix-apps';


for (const fw of ['express', 'fastify'] as const) {
  describe(`telltale fix on a real ${fw} app`, function () {
    this.timeout(120_000);
    let dir: string;
    let app: Started | undefined;
    let metrics = '';

    before(async () => {
      dir = copyFixApp(fw);
      const fixed = await runCli(['fix', dir]);
      assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
      assert.match(fixed.stdout, /add-app-metrics/);
    });

    after(async () => {
      await app?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('adds prom-client to package.json and nothing else changes the dependencies', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      assert.equal(pkg.dependencies['prom-client'], '^15.1.3');
      assert.ok(pkg.dependencies[fw]);
    });

    it('type-checks with the real framework and prom-client types (tsc --noEmit)', () => {
      const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    it('serves per-route RED metrics labelled by route template, with the right counts', async () => {
      app = await startProcess(process.execPath, ['--import', 'tsx', path.join(dir, 'src/server.ts')], { cwd: dir, env: { PORT: '0' }, ready: /listening (\d+)/ });
      const base = `http://127.0.0.1:${app.match[1]}`;
      const req = (p: string, init?: RequestInit) => fetch(base + p, { ...init, signal: AbortSignal.timeout(5000) }).then(async (r) => { await r.text(); return r.status; });
      assert.equal(await req('/health'), 200);
      assert.equal(await req('/api/users/7'), 200);
      assert.equal(await req('/api/users/8'), 200);
      assert.equal(await req('/api/users/boom'), 500);
      assert.equal(await req('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({}) }), 400);
      assert.equal(await req('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Grace' }) }), 201);
      assert.equal(await req('/nope'), 404);
      const res = await fetch(base + '/metrics', { signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      metrics = await res.text();
      const total = series(metrics, 'http_requests_total');
      assert.equal(total.get(redLabel('GET', '/health', '200')), 1);
      assert.equal(total.get(redLabel('GET', '/api/users/:id', '200')), 2);
      assert.equal(total.get(redLabel('GET', '/api/users/:id', '500')), 1, 'thrown errors are counted as 500s: ' + [...total.keys()].join(' | '));
      assert.equal(total.get(redLabel('POST', '/api/users', '400')), 1);
      assert.equal(total.get(redLabel('POST', '/api/users', '201')), 1);
      assert.ok(![...total.keys()].some((k) => k.includes('/api/users/7') || k.includes('/nope')), 'raw paths never become labels');
      const counts = series(metrics, 'http_request_duration_seconds_count');
      assert.equal(counts.get(redLabel('GET', '/api/users/:id', '200')), 2);
    });

    it('the exposition passes promtool check metrics', function () {
      if (!metrics) this.skip();
      const r = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
      assert.equal(r.error, undefined, 'promtool must be installed (Debian package prometheus)');
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    it('running fix again changes nothing (idempotent)', async () => {
      const again = await runCli(['fix', dir, '--dry-run']);
      assert.match(again.stdout, /0 fixes would apply, 0 files would change/);
    });
  });
}
