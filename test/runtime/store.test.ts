import assert from 'node:assert/strict';
import { parseExposition } from '../../src/runtime/scrape/exposition';
import { Series } from '../../src/runtime/store/series';
import { SeriesStore } from '../../src/runtime/store/store';

const scrape = (text: string) => parseExposition(text).samples;

describe('runtime: series store', () => {
  it('keeps at most maxSamplesPerSeries samples, oldest dropped first, growing lazily', () => {
    const s = new Series('k', 'm', {}, 't', 'gauge', undefined, 5);
    for (let i = 0; i < 12; i++) assert.equal(s.append(1000 * i, i), 'ok');
    assert.equal(s.length, 5);
    const w = s.window(-Infinity, Infinity);
    assert.deepEqual([...w.t], [7000, 8000, 9000, 10000, 11000]);
    assert.deepEqual([...w.v], [7, 8, 9, 10, 11]);
    assert.deepEqual([...s.window(8000, 10000).v], [8, 9, 10]);
    assert.equal(s.append(11000, 1), 'duplicate');
    assert.equal(s.append(5000, 1), 'out-of-order');
    assert.equal(s.bufferBytes, 5 * 12);
    const young = new Series('k', 'm', {}, 't', 'gauge', undefined, 720);
    young.append(1, 1);
    assert.ok(young.bufferBytes < 720 * 12 / 10, 'a young series does not reserve its full capacity');
  });

  it('rebases 32-bit timestamps across a long gap without losing order', () => {
    const s = new Series('k', 'm', {}, 't', 'gauge', undefined, 10);
    s.append(0, 1);
    s.append(1000, 2);
    const far = 30 * 24 * 3600 * 1000; // 30 days later: beyond int32 ms
    assert.equal(s.append(far, 3), 'ok');
    assert.equal(s.append(far + 1000, 4), 'ok');
    assert.deepEqual([...s.window(far - 1, Infinity).t], [far, far + 1000]);
    assert.equal(s.lastT(), far + 1000);
  });

  it('marks series that disappear as stale and removes them after the retention', () => {
    const store = new SeriesStore({ retentionMs: 60_000 });
    store.ingest('app', scrape('a 1\nb 2\n'), 1000);
    const r = store.ingest('app', scrape('a 2\n'), 2000);
    assert.equal(r.staled, 1);
    const [b] = store.select('b');
    assert.equal(b.staleAt, 2000);
    assert.equal(store.select('a')[0].staleAt, undefined);
    store.ingest('app', scrape('a 3\nb 5\n'), 3000);
    assert.equal(b.staleAt, undefined, 'a sample clears staleness');
    store.markTargetStale('app', 4000);
    assert.equal(store.select('a')[0].staleAt, 4000);
    assert.equal(store.gc(4000 + 60_001), 2);
    assert.equal(store.seriesCount, 0);
  });

  it('refuses new series beyond the limits and says which limit', () => {
    const store = new SeriesStore({ maxSeries: 10, maxSeriesPerTarget: 6 });
    const explode = (n: number, from = 0) => scrape(Array.from({ length: n }, (_, i) => `x{user_id="${from + i}"} 1`).join('\n'));
    const r1 = store.ingest('noisy', explode(100), 1000);
    assert.equal(r1.added, 6);
    assert.equal(r1.refused, 94);
    assert.equal(r1.refusedBy, 'maxSeriesPerTarget');
    const r2 = store.ingest('quiet', explode(3), 1000);
    assert.equal(r2.added, 3);
    const r3 = store.ingest('third', explode(5), 1000);
    assert.equal(r3.added, 1);
    assert.equal(r3.refusedBy, 'maxSeries');
    assert.equal(store.seriesCount, 10);
    // existing series keep updating
    const r4 = store.ingest('noisy', explode(100), 2000);
    assert.equal(r4.updated, 6);
    assert.equal(store.select('x').filter((s) => s.target === 'noisy').every((s) => s.length === 2), true);
  });

  it('counts counter resets, keeps explicit timestamps, skips _created and duplicate series', () => {
    const store = new SeriesStore();
    store.ingest('app', scrape('# TYPE c counter\nc 10\n# TYPE g gauge\ng 5\n'), 1000);
    const r = store.ingest('app', scrape('# TYPE c counter\nc 2\n# TYPE g gauge\ng 1\n'), 2000);
    assert.equal(r.counterResets, 1, 'only the counter counts');
    const om = parseExposition('# TYPE j counter\nj_total 1 5.5\nj_created 1.5\n# EOF\n').samples;
    store.ingest('om', om, 9000);
    assert.deepEqual(store.names().sort(), ['c', 'g', 'j_total']);
    assert.equal(store.select('j_total')[0].lastT(), 5500);
    const d = store.ingest('dup', scrape('d 1\nd 2\n'), 1000);
    assert.equal(d.duplicates, 1);
    assert.equal(store.select('d')[0].lastV(), 1);
  });

  it('the same series from two targets are two series', () => {
    const store = new SeriesStore();
    store.ingest('a', scrape('up_x 1\n'), 1);
    store.ingest('b', scrape('up_x 1\n'), 1);
    assert.equal(store.select('up_x').length, 2);
    store.removeTarget('a');
    assert.deepEqual(store.select('up_x').map((s) => s.target), ['b']);
  });

  it('rejects nonsensical limits with a TypeError naming the field', () => {
    assert.throws(() => new SeriesStore({ maxSeries: 0 }), /maxSeries must be a positive integer/);
    assert.throws(() => new SeriesStore({ maxSamplesPerSeries: 1.5 }), /maxSamplesPerSeries/);
  });
});
