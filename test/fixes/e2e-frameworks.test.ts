/**
 * Proof that fixed code is right on real Koa, Hono and NestJS apps (the Express and Fastify ones
 * are in e2e.test.ts): copy the fixture app, run `telltale fix`, type-check with the real
 * framework, prom-client, pino and OpenTelemetry types, start it on 127.0.0.1 with a real
 * OpenTelemetry SDK preloaded, send 2xx/4xx/5xx/thrown-error/unmatched traffic, and check /metrics:
 * per-route series labelled by route template with the right counts, valid for
 * `promtool check metrics`; log lines are JSON and carry trace_id inside a span.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { startProcess, type Started } from '../helpers/processes';
import { TSC, copyFixApp, redLabel, series } from '../helpers/fix-apps';

const ROOT = path.resolve(__dirname, '../..');
const PRELOAD = path.join(ROOT, 'test/fixtures/fix-apps/shared/otel-preload.ts');
/** `listening 1234`, or the same line after use-structured-logger made it JSON. */
const READY = /listening (\d+)|"(?:port|value)":(\d+),[^\n]*"msg":"listening"/;

const APPS = [
  { fw: 'koa', fixes: ['add-app-metrics', 'add-log-trace-context'], spans: true },
  { fw: 'hono', fixes: ['add-app-metrics', 'add-log-trace-context'], spans: true },
  { fw: 'nest', fixes: ['add-app-metrics'], spans: false },
] as const;

for (const { fw, fixes, spans } of APPS) {
  describe(`telltale fix on a real ${fw} app`, function () {
    this.timeout(60_000);
    let dir: string;
    let app: Started | undefined;
    let metrics = '';

    before(async () => {
      dir = copyFixApp(fw);
      const fixed = await runCli(['fix', dir]);
      assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
      for (const f of fixes) assert.match(fixed.stdout, new RegExp(`${f}:`), fixed.stdout);
    });

    after(async () => {
      await app?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('adds prom-client to package.json', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      assert.equal(pkg.dependencies['prom-client'], '^15.1.3');
    });

    it('type-checks with the real framework and library types (tsc --noEmit)', () => {
      const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    it('serves per-route RED metrics labelled by route template, with the right counts', async () => {
      app = await startProcess(process.execPath, ['--import', 'tsx', '--import', PRELOAD, path.join(dir, 'src/server.ts')], { cwd: dir, env: { PORT: '0' }, ready: READY });
      const base = `http://127.0.0.1:${app.match[1] ?? app.match[2]}`;
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
      const keys = [...total.keys()].join(' | ');
      assert.equal(total.get(redLabel('GET', '/health', '200')), 1, keys);
      assert.equal(total.get(redLabel('GET', '/api/users/:id', '200')), 2, keys);
      assert.equal(total.get(redLabel('GET', '/api/users/:id', '500')), 1, 'thrown errors are counted as 500s: ' + keys);
      assert.equal(total.get(redLabel('POST', '/api/users', '400')), 1, keys);
      assert.equal(total.get(redLabel('POST', '/api/users', '201')), 1, keys);
      assert.ok(![...total.keys()].some((k) => k.includes('/api/users/7') || k.includes('/nope')), 'raw paths never become labels: ' + keys);
      const counts = series(metrics, 'http_request_duration_seconds_count');
      assert.equal(counts.get(redLabel('GET', '/api/users/:id', '200')), 2);
    });

    it('the exposition passes promtool check metrics', function () {
      if (!metrics) this.skip();
      const r = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
      assert.equal(r.error, undefined, 'promtool must be installed (Debian package prometheus)');
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    if (spans) {
      it('log lines are JSON and carry trace_id/span_id inside a span (add-log-trace-context)', function () {
        if (!app) this.skip();
        const lines = app.output().split('\n').filter((l) => l.includes('user looked up'));
        assert.equal(lines.length, 2, app.output());
        const ids = new Set<string>();
        for (const l of lines) {
          const rec = JSON.parse(l) as Record<string, unknown>;
          assert.match(String(rec.trace_id), /^[0-9a-f]{32}$/);
          assert.match(String(rec.span_id), /^[0-9a-f]{16}$/);
          ids.add(String(rec.trace_id));
        }
        assert.equal(ids.size, 2, 'one trace per request');
        const outside = app.output().split('\n').filter((l) => l.startsWith('{') && !l.includes('user looked up'));
        for (const l of outside) assert.ok(!('trace_id' in JSON.parse(l)), `no trace_id outside a span: ${l}`);
      });
    }

    it('running fix again changes nothing (idempotent)', async () => {
      const again = await runCli(['fix', dir, '--dry-run']);
      assert.match(again.stdout, /0 fixes would apply, 0 files would change/);
    });
  });
}

/** The per-route fixes on the same apps: the code they write type-checks with the real types. */
describe('per-route fixes on real Koa, Hono and NestJS apps type-check', function () {
  this.timeout(60_000);
  for (const fw of ['koa', 'hono', 'nest']) {
    it(`${fw}: add-route-metrics and add-route-span on every route, then tsc --noEmit`, async () => {
      const dir = copyFixApp(fw, `${fw}-route`);
      try {
        // metrics on the routes of one file, spans on the others
        const routes = fw === 'nest' ? 'src/users.controller.ts' : 'src/routes/users.ts';
        const metrics = await runCli(['fix', routes, '--fix', 'add-route-metrics'], { cwd: dir });
        assert.match(metrics.stdout, /add-route-metrics/, metrics.stdout);
        const spans = await runCli(['fix', dir, '--fix', 'add-route-span']);
        assert.match(spans.stdout, /add-route-span/, spans.stdout);
        const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stdout + r.stderr);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
