/**
 * Proof for add-route-span on real apps: one single-route app per framework (Express, Fastify,
 * Koa, Hono), `telltale fix --fix add-route-span`, one `tsc --noEmit` over all of them with the real
 * types, then each app runs on 127.0.0.1 under a real OpenTelemetry SDK whose span processor prints
 * the ended spans: named `GET /items/:id` (the template, never the raw path), with http.route,
 * http.request.method and http.response.status_code; a thrown error is recorded as an exception
 * event with status ERROR and the 500 the framework answers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { startProcess, type Started } from '../helpers/processes';
import { TSC, copyFixApp } from '../helpers/fix-apps';

const ROOT = path.resolve(__dirname, '../..');
const PRELOAD = path.join(ROOT, 'test/fixtures/fix-apps/shared/otel-print-spans.ts');

interface PrintedSpan { name: string; attributes: Record<string, unknown>; status: { code: number }; events: string[] }

describe('telltale fix --fix add-route-span on real apps', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = copyFixApp('spans');
    const fixed = await runCli(['fix', dir, '--fix', 'add-route-span']);
    for (const fw of ['express', 'fastify', 'koa', 'hono']) assert.match(fixed.stdout, new RegExp(`src/${fw}\\.ts:\\d+ add-route-span`), fixed.stdout);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds @opentelemetry/api and type-checks with the real types (tsc --noEmit)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    assert.ok(pkg.dependencies['@opentelemetry/api']);
    const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  for (const fw of ['express', 'fastify', 'koa', 'hono']) {
    it(`${fw}: a span per request named by the route template, errors recorded, status codes set`, async () => {
      let app: Started | undefined;
      try {
        app = await startProcess(process.execPath, ['--import', 'tsx', '--import', PRELOAD, path.join(dir, `src/${fw}.ts`)], { cwd: dir, ready: /listening (\d+)/ });
        const base = `http://127.0.0.1:${app.match[1]}`;
        const get = (p: string) => fetch(base + p, { signal: AbortSignal.timeout(5000) }).then(async (r) => { await r.text(); return r.status; });
        assert.equal(await get('/items/7'), 200);
        assert.equal(await get('/items/boom'), 500);
        let spans: PrintedSpan[] = [];
        for (let i = 0; i < 20 && spans.length < 2; i++) {
          spans = app.output().split('\n').filter((l) => l.startsWith('SPAN ')).map((l) => JSON.parse(l.slice(5)) as PrintedSpan);
          if (spans.length < 2) await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(spans.length, 2, app.output());
        for (const s of spans) {
          assert.equal(s.name, 'GET /items/:id');
          assert.equal(s.attributes['http.route'], '/items/:id');
          assert.equal(s.attributes['http.request.method'], 'GET');
        }
        const [ok, failed] = spans;
        assert.equal(ok.attributes['http.response.status_code'], 200);
        assert.equal(ok.status.code, 0, 'unset status on success');
        assert.deepEqual(ok.events, []);
        assert.equal(failed.attributes['http.response.status_code'], 500);
        assert.equal(failed.status.code, 2, 'SpanStatusCode.ERROR');
        assert.deepEqual(failed.events, ['exception']);
      } finally {
        await app?.stop();
      }
    });
  }
});
