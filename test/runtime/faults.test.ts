/**
 * Faults end in a clear per-target state and never stop the other targets: connection refused,
 * a slow endpoint (timeout), HTML, garbage, partly malformed text, non-2xx, a body over the size
 * limit (plain and as a gzip bomb), a label explosion, a counter reset, clock jumps. All served by
 * real HTTP servers on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { SeriesResponse, TargetState, TargetsResponse } from '../../src/protocol/runtime';
import { startRuntime } from '../../src/runtime/main';
import { getJson, recordingLogger, silentLogger, tmpDir } from './helpers';

const GOOD = '# TYPE http_requests_total counter\nhttp_requests_total{route="/a",method="GET",status_code="200"} 10\n';

describe('runtime: faults', function () {
  this.timeout(30_000);
  let server: http.Server;
  let base = '';
  let counter = 100;
  let explodeN = 5000;
  const sockets = new Set<import('node:net').Socket>();
  const dir = tmpDir('tt-faults-');

  before(async () => {
    server = http.createServer((req, res) => {
      const p = req.url!;
      if (p === '/good') { res.setHeader('content-type', 'text/plain; version=0.0.4'); res.end(GOOD); return; }
      if (p === '/html') { res.setHeader('content-type', 'text/html'); res.end('<!doctype html><title>Login</title>'); return; }
      if (p === '/html-as-text') { res.setHeader('content-type', 'text/plain'); res.end('<!DOCTYPE html>\n<html><body>app</body></html>'); return; }
      if (p === '/garbage') { res.setHeader('content-type', 'text/plain'); res.end(Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))); return; }
      if (p === '/partial') { res.setHeader('content-type', 'text/plain'); res.end('ok_a 1\nbroken{ 2\nok_b 3\nalso broken\nok_c 4\n'); return; }
      if (p === '/500') { res.statusCode = 500; res.end('oops'); return; }
      if (p === '/slow') { setTimeout(() => { if (!res.destroyed) res.end(GOOD); }, 8000).unref(); return; }
      if (p === '/big') {
        res.setHeader('content-type', 'text/plain');
        const line = 'big_metric{i="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} 1\n';
        let sent = 0;
        const pump = () => { while (sent < 2_000_000) { sent += line.length * 100; if (!res.write(line.repeat(100))) { res.once('drain', pump); return; } } res.end(); };
        res.on('error', () => undefined);
        pump();
        return;
      }
      if (p === '/bomb') {
        res.setHeader('content-type', 'text/plain');
        res.setHeader('content-encoding', 'gzip');
        res.end(zlib.gzipSync(Buffer.alloc(5_000_000, 'a'.charCodeAt(0))));
        return;
      }
      if (p === '/gzip') {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.setHeader('content-encoding', 'gzip');
        res.end(zlib.gzipSync(GOOD + 'zipped_gauge 42\n'));
        return;
      }
      if (p === '/explode') {
        res.setHeader('content-type', 'text/plain');
        res.end(Array.from({ length: explodeN }, (_, i) => `requests_by_user_total{user_id="u${i}"} 1`).join('\n') + '\n');
        return;
      }
      if (p === '/counter') { res.setHeader('content-type', 'text/plain'); res.end(`# TYPE c_total counter\nc_total ${counter}\n`); return; }
      if (p === '/om') {
        res.setHeader('content-type', 'application/openmetrics-text; version=1.0.0; charset=utf-8');
        res.end('# TYPE rpc_duration_seconds histogram\n# UNIT rpc_duration_seconds seconds\n' +
          'rpc_duration_seconds_bucket{le="0.1"} 3 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.067 1700000000.5\n' +
          'rpc_duration_seconds_bucket{le="+Inf"} 4\nrpc_duration_seconds_count 4\nrpc_duration_seconds_sum 1.2\n' +
          'rpc_duration_seconds_created 1700000000\n# EOF\n');
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function closedPort(): Promise<string> {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return `http://127.0.0.1:${port}/metrics`;
  }

  it('gives every broken target a clear state and keeps the healthy ones up', async () => {
    const log = recordingLogger();
    const names = ['good', 'html', 'html-as-text', 'garbage', 'partial', '500', 'slow', 'big', 'bomb', 'gzip', 'explode', 'om'];
    const rt = await startRuntime({
      targets: [...names.map((n) => ({ url: `${base}/${n}`, name: n })), { url: await closedPort(), name: 'down' }],
      config: { scrapeTimeout: '2s', limits: { maxBodyBytes: 1_000_000, maxSeriesPerTarget: 1000 } },
      autoScrape: false, logger: log, tokenDir: dir,
    });
    try {
      await rt.round();
      const { status, body } = await getJson<TargetsResponse>(`${rt.url}/api/targets`, rt.token);
      assert.equal(status, 200);
      const t = Object.fromEntries(body.targets.map((x) => [x.name, x])) as Record<string, TargetState>;
      const is = (name: string, health: string, kind: string | undefined, msg?: RegExp) => {
        const s = t[name];
        assert.equal(s.health, health, `${name}: ${JSON.stringify(s)}`);
        assert.equal(s.lastError?.kind, kind, `${name}: ${JSON.stringify(s)}`);
        if (msg) assert.match(s.lastError!.message, msg, name);
        assert.ok(s.lastScrape, name);
        if (health === 'up') assert.ok(s.lastSuccess, name); else assert.equal(s.lastSuccess, undefined, name);
      };
      is('good', 'up', undefined);
      is('down', 'down', 'refused', /connection refused/);
      is('slow', 'down', 'timeout', /2000 ms/);
      is('html', 'down', 'not-metrics', /HTML/);
      is('html-as-text', 'down', 'not-metrics', /HTML/);
      is('garbage', 'down', 'parse', /line 1/);
      is('partial', 'up', 'parse', /2 malformed lines skipped.*line 2/);
      assert.deepEqual(t.partial.parseErrors.map((e) => e.line), [2, 4]);
      assert.equal(t.partial.samples, 3);
      is('500', 'down', 'http-status', /HTTP 500/);
      is('big', 'down', 'too-large', /1000000 bytes/);
      is('bomb', 'down', 'too-large', /after decoding/);
      is('gzip', 'up', undefined);
      assert.equal(t.gzip.samples, 2);
      is('explode', 'up', 'series-limit', /4000 new series refused: the per-target series limit \(1000\)/);
      assert.equal(t.explode.series, 1000);
      assert.equal(t.explode.seriesRefused, 4000);
      is('om', 'up', undefined);
      assert.equal(t.om.format, 'openmetrics');
      assert.ok(log.lines.some((l) => l.level === 'warn' && /target down/.test(l.msg ?? '')));
      // The healthy target's data is served.
      const s = await getJson<SeriesResponse>(`${rt.url}/api/series?match=http_requests_total`, rt.token);
      assert.equal(s.body.series.filter((x) => x.target === 'good').length, 1);
      // Exemplars are kept with their trace id.
      const om = await getJson<SeriesResponse>(`${rt.url}/api/series?match=${encodeURIComponent('rpc_duration_seconds_bucket{le="0.1"}')}`, rt.token);
      assert.deepEqual(om.body.series[0].exemplar, { labels: { trace_id: '0af7651916cd43dd8448eb211c80319c' }, value: 0.067, timestamp: 1700000000500 });
      // A second round: still serving, the explosion does not grow.
      explodeN = 8000;
      await rt.round();
      const again = await getJson<TargetsResponse>(`${rt.url}/api/targets`, rt.token);
      const ex = again.body.targets.find((x) => x.name === 'explode')!;
      assert.equal(ex.series, 1000);
      assert.equal(ex.seriesRefused, 7000);
      assert.equal(again.body.targets.find((x) => x.name === 'good')!.health, 'up');
      // A failed scrape leaves that target's series stale, others not.
      assert.equal((await getJson<{ ok: boolean }>(`${rt.url}/api/health`, rt.token)).body.ok, true);
    } finally {
      await rt.close();
    }
  });

  it('stays correct across a counter reset and reports it', async () => {
    let clock = 1_000_000;
    const rt = await startRuntime({ targets: [{ url: `${base}/counter`, name: 'c' }], now: () => clock, autoScrape: false, logger: silentLogger, tokenDir: dir });
    try {
      counter = 100; await rt.round();
      clock += 5000; counter = 150; await rt.round();
      clock += 5000; counter = 20; await rt.round(); // the app restarted
      const st = rt.scraper.states()[0];
      assert.equal(st.counterResets, 1);
      assert.equal(st.health, 'up');
      const inc = await (rt.source as import('../../src/runtime/query/local-source').LocalSource).sumIncrease('c_total', [], 10_000, clock);
      assert.equal(inc[0].value, 50 + 20, 'the increase after the reset is added back');
    } finally {
      await rt.close();
    }
  });

  it('survives the clock jumping back and forth', async () => {
    let clock = 2_000_000_000_000;
    const log = recordingLogger();
    const rt = await startRuntime({ targets: [{ url: `${base}/counter`, name: 'c' }, { url: `${base}/good`, name: 'g' }], now: () => clock, autoScrape: false, logger: log, tokenDir: dir });
    try {
      counter = 1; await rt.round();
      clock += 5000; counter = 2; await rt.round();
      clock -= 3_600_000; counter = 3; await rt.round(); // one hour back
      let st = rt.scraper.states();
      for (const s of st) {
        assert.equal(s.health, 'up');
        assert.equal(s.lastError?.kind, 'clock');
        assert.match(s.lastError!.message, /jumped back 3600\.0 s; this target's history was reset/);
      }
      const [series] = rt.store.select('c_total');
      assert.equal(series.length, 1, 'history reset: only the new sample');
      assert.equal(series.lastV(), 3);
      clock += 5000; counter = 4; await rt.round();
      st = rt.scraper.states();
      assert.equal(st[0].lastError, undefined, 'a clean scrape clears the error');
      assert.equal(series.length, 2);
      clock += 86_400_000; await rt.round(); // a day forward (suspend)
      st = rt.scraper.states();
      assert.match(st[0].lastError!.message, /no scrape for 86400 s/);
      assert.equal(st[0].health, 'up');
    } finally {
      await rt.close();
    }
  });
});
