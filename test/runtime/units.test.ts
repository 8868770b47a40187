/** Small pure parts: route joins, selectors, durations, escaping, inventory loading, config section, Prometheus API errors, the scraper with an injected fetch. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../src/config/load';
import type { Inventory } from '../../src/protocol/inventory';
import { isLoopback, loadInventory, RuntimeConfigError, suggestTargets } from '../../src/runtime/main';
import { PrometheusError, PrometheusSource } from '../../src/runtime/prometheus-source';
import { matches, parseSelector } from '../../src/runtime/query/selector';
import { Scraper, type ScrapeFetch } from '../../src/runtime/scrape/scraper';
import { nodeFetch } from '../../src/runtime/scrape/http-fetch';
import { escapeHtml, parseDurationMs } from '../../src/runtime/server';
import { SeriesStore } from '../../src/runtime/store/store';
import { findMetricDefinition, findRoute } from '../../src/runtime/views';
import { tmpDir } from './helpers';

const inv: Inventory = {
  root: '/r', errors: [], jobs: [],
  routes: [
    { file: 'a.ts', line: 1, column: 1, method: 'GET', path: '/users/:id', framework: 'express', coverage: 'none' },
    { file: 'a.ts', line: 2, column: 1, method: 'POST', path: '/users/:id', framework: 'express', coverage: 'none' },
    { file: 'b.ts', line: 3, column: 1, method: 'ANY', path: '/health', framework: 'fastify', coverage: 'none' },
    { file: 'c.ts', line: 4, column: 1, method: 'GET', path: '/metrics', framework: 'express', coverage: 'none' },
  ],
  metrics: [{ file: 'm.ts', line: 9, column: 3, name: 'http_request_duration_seconds', type: 'histogram', labelNames: [], library: 'prom-client' }],
};

describe('runtime: units', () => {
  it('joins route labels to inventory routes in any parameter syntax', () => {
    assert.equal(findRoute(inv, 'GET', '/users/:id')?.line, 1);
    assert.equal(findRoute(inv, 'POST', '/users/{id}')?.line, 2);
    assert.equal(findRoute(inv, 'GET', '/users/#val')?.line, 1, "express-prom-bundle's normalized path");
    assert.equal(findRoute(inv, 'GET', '/health')?.line, 3, 'ANY matches every method');
    assert.equal(findRoute(inv, 'GET', '/users/:id/posts'), undefined);
    assert.equal(findRoute(undefined, 'GET', '/x'), undefined);
    assert.equal(findMetricDefinition(inv, 'http_request_duration_seconds_bucket')?.line, 9);
    assert.deepEqual(suggestTargets(inv), [{ path: '/metrics', file: 'c.ts', line: 4 }]);
  });

  it('parses series selectors like PromQL', () => {
    const s = parseSelector('http_requests_total{route=~"/api/.*", code!="200", method="GET"}');
    assert.equal(s.metric, 'http_requests_total');
    assert.equal(matches('http_requests_total', { route: '/api/x', code: '500', method: 'GET' }, s.matchers), true);
    assert.equal(matches('http_requests_total', { route: '/apix', code: '500', method: 'GET' }, s.matchers), false, 'regexes are anchored');
    assert.equal(matches('http_requests_total', { route: '/api/x', code: '200', method: 'GET' }, s.matchers), false);
    const byName = parseSelector('{__name__=~"http_.*"}');
    assert.equal(matches('http_x', {}, byName.matchers), true);
    assert.equal(matches('grpc_x', {}, byName.matchers), false);
    assert.equal(matches('m', { a: 'x"y' }, parseSelector('m{a="x\\"y"}').matchers), true);
    assert.throws(() => parseSelector('m{a=}'), /bad matcher/);
    assert.throws(() => parseSelector('m{a=~"("}'), /bad regex/);
    assert.throws(() => parseSelector(''), /not a series selector/);
  });

  it('reads durations and escapes HTML', () => {
    assert.equal(parseDurationMs('90'), 90_000);
    assert.equal(parseDurationMs('500ms'), 500);
    assert.equal(parseDurationMs('1.5m'), 90_000);
    assert.equal(parseDurationMs(2), 2000);
    assert.equal(parseDurationMs('1d'), undefined);
    assert.equal(parseDurationMs('0s'), undefined);
    assert.equal(escapeHtml(`<script>"x"&'y'</script>`), '&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;');
    assert.equal(isLoopback('127.0.0.1'), true);
    assert.equal(isLoopback('::1'), true);
    assert.equal(isLoopback('0.0.0.0'), false);
    assert.equal(isLoopback('192.168.1.2'), false);
  });

  it('loads an inventory from a file or a folder, naming the problem otherwise', () => {
    const dir = tmpDir('tt-inv-');
    try {
      fs.mkdirSync(path.join(dir, '.telltale'));
      fs.writeFileSync(path.join(dir, '.telltale', 'inventory.json'), JSON.stringify(inv));
      assert.equal(loadInventory(dir).routes.length, 4);
      fs.writeFileSync(path.join(dir, 'bad.json'), '{"routes": 1}');
      assert.throws(() => loadInventory(path.join(dir, 'bad.json')), (e: unknown) => e instanceof RuntimeConfigError && /runtime\.inventory: .*not an inventory/.test(e.message));
      fs.writeFileSync(path.join(dir, 'broken.json'), '{');
      assert.throws(() => loadInventory(path.join(dir, 'broken.json')), /not valid JSON/);
      const empty = tmpDir('tt-inv-empty-');
      assert.throws(() => loadInventory(empty), /no inventory\.json/);
      fs.rmSync(empty, { recursive: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the runtime config section names bad keys', () => {
    const ok = parseConfig(JSON.stringify({ runtime: { port: 0, targets: [{ url: 'http://127.0.0.1:3000/metrics', interval: '5s' }], limits: { maxSeries: 10 }, prometheus: { url: 'http://127.0.0.1:9090' } } }), 'c.json');
    assert.equal(ok.runtime?.port, 0);
    const bad = (runtime: unknown, re: RegExp) => assert.throws(() => parseConfig(JSON.stringify({ runtime }), 'c.json'), (e: unknown) => e instanceof ConfigError && re.test(e.message));
    bad({ prot: 1 }, /c\.json: runtime\.prot: unknown key/);
    bad({ port: 70000 }, /runtime\.port: must be <= 65535/);
    bad({ targets: [{ name: 'x' }] }, /runtime\.targets\[0\]: must have required property 'url'/);
    bad({ targets: [{ url: 'ftp://x' }] }, /runtime\.targets\[0\]\.url: must match pattern/);
    bad({ limits: { maxSeries: -1 } }, /runtime\.limits\.maxSeries: must be >= 1/);
    bad({ scrapeInterval: '5 minutes' }, /runtime\.scrapeInterval: must match pattern/);
  });

  it('reports Prometheus API errors with the query', async () => {
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.statusCode = 400;
      res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const src = new PrometheusSource({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await assert.rejects(src.query('up[', Date.now()), (e: unknown) => e instanceof PrometheusError && /bad_data: parse error at char 3 \(query: up\[\)/.test(e.message));
      assert.throws(() => new PrometheusSource({ url: 'nope' }), /not a URL/);
      await assert.rejects(src.sumIncrease('bad name', [], 1000, 1), /invalid metric name/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('the scraper sends the Accept header for both formats and follows redirects (node:http client)', async () => {
    let seen: http.IncomingHttpHeaders | undefined;
    const server = http.createServer((req, res) => {
      if (req.url === '/old') { res.statusCode = 302; res.setHeader('location', '/metrics'); res.end(); return; }
      seen = req.headers;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end('x 1\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const store = new SeriesStore();
      const scraper = new Scraper([{ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/old`, name: 'a' }], store, { fetch: nodeFetch });
      await scraper.runRound(true);
      assert.equal(scraper.states()[0].health, 'up');
      assert.match(seen!.accept!, /application\/openmetrics-text;version=1\.0\.0/);
      assert.match(seen!.accept!, /text\/plain;version=0\.0\.4/);
      assert.equal(seen!['accept-encoding'], 'gzip');
      assert.equal(store.select('x').length, 1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('the scraper takes an injected fetch and clock (unit isolation)', async () => {
    let t = 5000;
    const bodies = ['# TYPE c counter\nc 1\n', 'c 5\nnew_one 1\n'];
    let i = 0;
    const fake: ScrapeFetch = async () => ({
      status: 200,
      headers: { get: (n: string) => (n === 'content-type' ? 'text/plain' : null) },
      body: (async function* () { yield Buffer.from(bodies[i++ % 2]); })(),
    });
    const store = new SeriesStore();
    const rounds: number[] = [];
    const s = new Scraper([{ url: 'http://app.invalid/metrics' }], store, { fetch: fake, now: () => t, onRound: (r) => rounds.push(r.at) });
    await s.runRound();
    t += 5000;
    await s.runRound();
    assert.deepEqual(rounds, [5000, 10000]);
    assert.equal(s.states()[0].name, 'app.invalid');
    assert.equal(s.states()[0].lastSuccess, 10000);
    assert.equal(store.select('c')[0].length, 2);
    assert.equal(store.select('new_one').length, 1);
    await s.runRound(); // not due yet: nothing scraped
    assert.equal(store.select('c')[0].length, 2);
    assert.throws(() => new Scraper([{ url: 'file:///etc/passwd' }], store), /must be http\(s\)/);
    assert.throws(() => new Scraper([{ url: 'http://a/m', intervalMs: 10 }], store), /at least 100 ms/);
  });
});
