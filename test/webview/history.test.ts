/** Bounded buffers of the dashboard, the host-message validation and the sparkline geometry. */
import assert from 'node:assert/strict';
import { RouteHistory, Ring } from '../../webview/history';
import { parseHostMessage, parseUpdateEvent } from '../../webview/host';
import { sparkPoints } from '../../webview/components/sparkline';

describe('webview history', () => {
  it('a ring keeps the last `capacity` points in order and replaces a repeated timestamp', () => {
    const r = new Ring(3);
    for (let t = 1; t <= 5; t++) r.push(t * 10, t);
    assert.deepEqual(r.points(), [{ t: 30, v: 3 }, { t: 40, v: 4 }, { t: 50, v: 5 }]);
    r.push(50, 55);
    r.push(20, 99); // older: ignored by push
    assert.deepEqual(r.lastValues(2), [4, 55]);
    r.insert(35, 3.5); // backfill: in order, the oldest drops out
    assert.deepEqual(r.points().map((p) => p.t), [35, 40, 50]);
    assert.throws(() => new Ring(1), /capacity/);
  });

  it('route history memory stays flat once the rings are full (1,000 routes, 10 simulated minutes)', () => {
    const h = new RouteHistory({ capacity: 120, maxKeys: 2000, evictAfterMs: 60_000 });
    const point = (i: number, t: number) => ({ rate: i + t, errorRatio: null, p50: 0.01, p95: 0.05, p99: null });
    let afterWarmup = 0;
    for (let s = 0; s < 600; s++) {
      const t = s * 1000;
      h.record(t, Array.from({ length: 1000 }, (_, i) => [`GET /r${i}`, point(i, s)] as [string, ReturnType<typeof point>]));
      if (s === 200) afterWarmup = h.points();
    }
    assert.equal(h.size, 1000);
    assert.equal(h.points(), afterWarmup, 'no growth after the rings filled');
    assert.equal(h.points(), 1000 * 5 * 120);
    assert.equal(h.ring('GET /r7', 'p99')!.lastValues(1)[0], NaN);
  });

  it('drops routes not seen for a while and caps the number of routes', () => {
    const h = new RouteHistory({ capacity: 10, maxKeys: 3, evictAfterMs: 5000 });
    const p = { rate: 1, errorRatio: 0, p50: null, p95: null, p99: null };
    h.record(0, [['a', p], ['b', p]]);
    h.record(1000, [['b', p], ['c', p], ['d', p]]);
    assert.equal(h.size, 3);
    assert.equal(h.ring('a', 'rate'), undefined, 'least recently seen goes first');
    h.record(10_000, [['d', p]]);
    assert.equal(h.size, 1);
  });
});

describe('webview host messages', () => {
  it('accepts the protocol\'s messages', () => {
    assert.deepEqual(parseHostMessage({ type: 'state', runtime: { state: 'running', url: 'http://127.0.0.1:1' } }), { type: 'state', runtime: { state: 'running', url: 'http://127.0.0.1:1' } });
    assert.deepEqual(parseHostMessage({ type: 'api/response', id: 3, ok: false, status: 401, error: 'no' }), { type: 'api/response', id: 3, ok: false, status: 401, error: 'no' });
    assert.deepEqual(parseHostMessage({ type: 'notice', level: 'error', message: 'x' }), { type: 'notice', level: 'error', message: 'x' });
    const ev = { type: 'update', round: 1, at: 2, routes: { routes: [] } };
    assert.deepEqual(parseHostMessage({ type: 'event', event: ev }), { type: 'event', event: ev });
    assert.deepEqual(parseHostMessage({ type: 'show', target: { view: 'routes', route: 'GET /users/:id', extra: 1 } }), { type: 'show', target: { view: 'routes', route: 'GET /users/:id' } });
    assert.deepEqual(parseHostMessage({ type: 'show', target: { view: 'jobs', job: 'nightly-import' } }), { type: 'show', target: { view: 'jobs', job: 'nightly-import' } });
  });

  it('rejects unknown and malformed messages', () => {
    for (const bad of [null, 'state', [], { type: 'eval', code: 'alert(1)' }, { type: 'state', runtime: { state: 'hacked' } },
      { type: 'api/response', id: '1', ok: true }, { type: 'api/response', id: 1 }, { type: 'notice', level: 'fatal', message: 'x' },
      { type: 'event', event: { type: 'update', round: 1, at: 2, routes: { routes: 'x' } } }, { type: 'event', event: { type: 'other' } },
      { type: 'show', target: { view: 'drift', route: 'x' } }, { type: 'show', target: { view: 'routes', route: '' } }, { type: 'show', target: { view: 'jobs', job: 7 } },
      { type: 'show', target: { view: 'routes', route: 'x'.repeat(5000) } }, { type: 'show' }]) {
      assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(parseUpdateEvent({ type: 'update', round: 1, at: 1, targets: {} }), undefined);
  });
});

describe('webview sparkline', () => {
  it('scales to the box with the max at the top and skips gaps', () => {
    assert.equal(sparkPoints([0, 5, 10], 80, 20), '0.0,19.0 40.0,10.0 80.0,1.0');
    assert.equal(sparkPoints([2, NaN, 2], 80, 20), '0.0,1.0 80.0,1.0');
    assert.equal(sparkPoints([0, 0], 80, 20), '0.0,19.0 80.0,19.0');
    assert.equal(sparkPoints([], 80, 20), '');
  });
});
