/**
 * `telltale drift` end to end on real CSV, NDJSON and Parquet files written by the test: the JSON
 * contract, golden scores (the age column is the scipy case num_normal_shift_n200), overrides,
 * HTML output, exit codes 0/1/2 and error messages naming file, line and column.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import type { DriftReport } from '../../src/protocol/drift';

const ROOT = path.resolve(__dirname, '../..');
const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/drift-golden/num_normal_shift_n200.json'), 'utf8'));
const AGE_REF: number[] = golden.data.reference;
const AGE_CUR: number[] = golden.data.current;
const KS_P: number = golden.expected.ks['two-sided/auto'].p_value;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Rows { age: number[]; plan: string[]; visits: number[]; note: string[] }
function rows(side: 'ref' | 'cur'): Rows {
  const next = mulberry32(side === 'ref' ? 11 : 12);
  const plans = side === 'ref' ? ['free', 'pro', 'team'] : ['free', 'pro', 'team'];
  return {
    age: side === 'ref' ? AGE_REF : AGE_CUR,
    plan: AGE_REF.map(() => plans[Math.floor(next() * 3)]),
    visits: AGE_REF.map(() => Math.floor(next() * 40)),
    note: AGE_REF.map((_v, i) => `note ${side} ${i}`),
  };
}

function csv(r: Rows): string {
  return 'age,plan,visits,note\n' + r.age.map((a, i) => `${a},${r.plan[i]},${r.visits[i]},"${r.note[i]}, quoted"`).join('\n') + '\n';
}
function ndjson(r: Rows): string {
  return r.age.map((a, i) => JSON.stringify({ level: 30, msg: 'scored', features: { age: a, plan: r.plan[i], visits: r.visits[i], note: `${r.note[i]}, quoted` } })).join('\n') + '\n';
}
function parquet(r: Rows): Buffer {
  return Buffer.from(parquetWriteBuffer({
    columnData: [
      { name: 'age', data: r.age, type: 'DOUBLE' },
      { name: 'plan', data: r.plan, type: 'STRING' },
      { name: 'visits', data: r.visits, type: 'INT32' },
      { name: 'note', data: r.note.map((n) => `${n}, quoted`), type: 'STRING' },
    ],
    rowGroupSize: 64,
  } as never));
}

let dir: string;
function io(): CliIO & { out: string; err: string } {
  const o = {
    cwd: dir, out: '', err: '', env: {}, interrupted: new Promise<void>(() => {}),
    stdout: { write: (s: string) => { o.out += s; return true; } },
    stderr: { write: (s: string) => { o.err += s; return true; } },
  };
  return o;
}
async function drift(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const x = io();
  const code = await main(['drift', ...args], x);
  return { code, out: x.out, err: x.err };
}

describe('telltale drift (CLI)', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telltale-drift-'));
    const ref = rows('ref'), cur = rows('cur');
    fs.writeFileSync(path.join(dir, 'ref.csv'), csv(ref));
    fs.writeFileSync(path.join(dir, 'cur.csv'), csv(cur));
    fs.writeFileSync(path.join(dir, 'ref.ndjson'), ndjson(ref));
    fs.writeFileSync(path.join(dir, 'cur.ndjson'), ndjson(cur));
    fs.writeFileSync(path.join(dir, 'ref.parquet'), parquet(ref));
    fs.writeFileSync(path.join(dir, 'cur.parquet'), parquet(cur));
    fs.mkdirSync(path.join(dir, 'parts'));
    const lines = csv(cur).trimEnd().split('\n');
    fs.writeFileSync(path.join(dir, 'parts/cur-1.csv'), lines.slice(0, 101).join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'parts/cur-2.csv'), [lines[0], ...lines.slice(101)].join('\n') + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  let csvReport: DriftReport;
  it('CSV: JSON contract, golden KS p-value, dataset drift and exit 1', async () => {
    const r = await drift('--reference', 'ref.csv', '--current', 'cur.csv', '--format', 'json');
    assert.equal(r.err, '');
    csvReport = JSON.parse(r.out);
    const age = csvReport.columns.find((c) => c.column === 'age')!;
    assert.deepEqual(Object.keys(age).slice(0, 8), ['column', 'type', 'test', 'score', 'threshold', 'drifted', 'nReference', 'nCurrent']);
    assert.equal(age.type, 'numeric');
    assert.equal(age.test, 'ks');
    assert.ok(Math.abs(age.score! - KS_P) <= 1e-9 * KS_P, `${age.score} vs ${KS_P}`);
    assert.equal(age.threshold, 0.05);
    assert.equal(age.drifted, true);
    assert.equal(age.nReference, 200);
    const plan = csvReport.columns.find((c) => c.column === 'plan')!;
    assert.equal(plan.type, 'categorical');
    assert.equal(plan.test, 'chisquare');
    const visits = csvReport.columns.find((c) => c.column === 'visits')!;
    assert.equal(visits.type, 'numeric'); // int with > 10 distinct values
    const note = csvReport.columns.find((c) => c.column === 'note')!;
    assert.equal(note.type, 'text');
    assert.ok(note.skipped);
    assert.equal(csvReport.nTested, 3);
    assert.equal(csvReport.driftedShare, csvReport.nDrifted / 3);
    assert.equal(csvReport.datasetDrift, csvReport.driftedShare >= 0.5);
    assert.ok(Array.isArray(csvReport.checks) && csvReport.checks.length > 0);
    assert.equal(r.code, csvReport.datasetDrift || csvReport.failed ? 1 : 0);
  });

  it('NDJSON (pino lines with a features field) and Parquet give the same scores as CSV', async () => {
    for (const [ref, cur, extra] of [['ref.ndjson', 'cur.ndjson', ['--field', 'features']], ['ref.parquet', 'cur.parquet', []]] as const) {
      const r = await drift('-r', ref, '-c', cur, '--format', 'json', ...extra);
      assert.equal(r.err, '', `${ref}: ${r.err}`);
      const rep: DriftReport = JSON.parse(r.out);
      for (const c of csvReport.columns) {
        const o = rep.columns.find((x) => x.column === c.column)!;
        assert.ok(o, `${ref}: column ${c.column}`);
        assert.equal(o.test, c.test, `${ref} ${c.column} test`);
        assert.equal(o.score, c.score, `${ref} ${c.column} score`);
        assert.equal(o.drifted, c.drifted);
      }
    }
  });

  it('a glob of files is read as one dataset', async () => {
    const r = await drift('-r', 'ref.csv', '-c', 'parts/cur-*.csv', '--format', 'json');
    const rep: DriftReport = JSON.parse(r.out);
    assert.deepEqual(rep.current.source, ['parts/cur-1.csv', 'parts/cur-2.csv']);
    assert.equal(rep.current.rows, 200);
    assert.equal(rep.columns.find((c) => c.column === 'age')!.score, csvReport.columns.find((c) => c.column === 'age')!.score);
  });

  it('per-column test, threshold and type overrides, and --drift-share', async () => {
    const r = await drift('-r', 'ref.csv', '-c', 'cur.csv', '--format', 'json', '--test', 'age=psi', '--threshold', 'age=0.3',
      '--column-type', 'visits=categorical', '--column-type', 'note=categorical', '--drift-share', '0.9');
    const rep: DriftReport = JSON.parse(r.out);
    const age = rep.columns.find((c) => c.column === 'age')!;
    assert.equal(age.test, 'psi');
    assert.equal(age.threshold, 0.3);
    assert.equal(age.drifted, age.score! >= 0.3);
    assert.equal(rep.columns.find((c) => c.column === 'visits')!.type, 'categorical');
    assert.equal(rep.columns.find((c) => c.column === 'note')!.test, 'chisquare');
    assert.equal(rep.driftShare, 0.9);
    const bad = await drift('-r', 'ref.csv', '-c', 'cur.csv', '--test', 'plan=ks');
    assert.equal(bad.code, 1);
    assert.match(bad.out, /plan.*error: test 'ks' does not apply to a categorical column/);
  });

  it('identical data: no drift, exit 0', async () => {
    const r = await drift('-r', 'ref.csv', '-c', 'ref.csv');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Dataset drift: no \(0 of 3 columns drifted/);
  });

  it('HTML: one self-contained file with inline SVG charts and escaped strings', async () => {
    fs.writeFileSync(path.join(dir, 'x-ref.csv'), '"<script>alert(1)</script>",b\n' + AGE_REF.map((a, i) => `${a},${i % 4}`).join('\n'));
    fs.writeFileSync(path.join(dir, 'x-cur.csv'), '"<script>alert(1)</script>",b\n' + AGE_CUR.map((a, i) => `${a},${i % 3}`).join('\n'));
    const r = await drift('-r', 'x-ref.csv', '-c', 'x-cur.csv', '--format', 'html', '--out', 'out/report.html');
    assert.match(r.out, /report written to out\/report.html/);
    const html = fs.readFileSync(path.join(dir, 'out/report.html'), 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(!html.includes('<script>alert(1)</script>'), 'column name must be escaped');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok((html.match(/<svg /g) ?? []).length >= 2);
    assert.doesNotMatch(html, /<(script|link|img|iframe)\b/i);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i);
  });

  it('an unparsable CSV row: exit 2, file, line and column named, no report', async () => {
    const lines = csv(rows('cur')).split('\n');
    lines[5] = lines[5] + ',extra';
    fs.writeFileSync(path.join(dir, 'bad.csv'), lines.join('\n'));
    const r = await drift('-r', 'ref.csv', '-c', 'bad.csv', '--format', 'json');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /bad\.csv:6:\d+: expected 4 fields/);
    fs.writeFileSync(path.join(dir, 'badq.csv'), 'a,b\n1,"x\n2,y\n');
    const q = await drift('-r', 'ref.csv', '-c', 'badq.csv');
    assert.equal(q.code, 2);
    assert.match(q.err, /badq\.csv:2:3: unterminated quoted field/);
  });

  it('invalid NDJSON line and a non-numeric value in a column declared numeric: exit 2 with the location', async () => {
    fs.writeFileSync(path.join(dir, 'bad.ndjson'), '{"features":{"age":1}}\n{"features":{"age":2}\n');
    const r = await drift('-r', 'ref.ndjson', '-c', 'bad.ndjson', '--field', 'features');
    assert.equal(r.code, 2);
    assert.match(r.err, /bad\.ndjson:2:\d+: invalid JSON/);
    fs.writeFileSync(path.join(dir, 'word.csv'), 'age,plan\n1.5,a\n2.5,b\noops,c\n');
    const w = await drift('-r', 'ref.csv', '-c', 'word.csv', '--column-type', 'age=numeric');
    assert.equal(w.code, 2);
    assert.match(w.err, /word\.csv:4:1: column 'age' is declared numeric but has the non-numeric value "oops"/);
  });

  it('missing file, bad flag and missing arguments: exit 2', async () => {
    const m = await drift('-r', 'nope.csv', '-c', 'cur.csv');
    assert.equal(m.code, 2);
    assert.match(m.err, /nope\.csv: no such file/);
    assert.equal((await drift('-r', 'ref.csv', '-c', 'cur.csv', '--format', 'xml')).code, 2);
    assert.equal((await drift('-r', 'ref.csv', '-c', 'cur.csv', '--test', 'age=nope')).code, 2);
    assert.equal((await drift('-r', 'ref.csv')).code, 2);
  });

  it('datasets and checks from telltale.config.json; a failed check exits 1', async () => {
    const cfgDir = path.join(dir, 'proj');
    fs.mkdirSync(cfgDir);
    fs.writeFileSync(path.join(cfgDir, 'telltale.config.json'), JSON.stringify({
      drift: { datasets: [{ name: 'users', reference: '../ref.csv', current: '../ref.csv', columns: { age: { min: 0 } } }] },
    }));
    const x = io();
    const code = await main(['drift', '--format', 'json'], { ...x, cwd: cfgDir });
    const rep: DriftReport = JSON.parse(x.out);
    assert.equal(rep.dataset, 'users');
    assert.equal(rep.datasetDrift, false);
    const range = rep.checks.find((c) => c.check === 'value_range' && c.column === 'age')!;
    assert.equal(range.status, 'fail');
    assert.equal(code, 1);
    fs.writeFileSync(path.join(cfgDir, 'telltale.config.json'), JSON.stringify({ drift: { datasets: [{ name: 'u', reference: 'a', current: 'b', colums: {} }] } }));
    const y = io();
    assert.equal(await main(['drift'], { ...y, cwd: cfgDir }), 2);
    assert.match(y.err, /drift\.datasets\[0\]\.colums: unknown key/);
  });

  it('the built CLI (node dist/cli.js) runs the same command', function () {
    this.timeout(60000);
    const cli = path.join(ROOT, 'dist/cli.js');
    if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    const r = spawnSync(process.execPath, [cli, 'drift', '-r', 'ref.csv', '-c', 'cur.csv', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.stderr, '');
    const rep: DriftReport = JSON.parse(r.stdout);
    assert.equal(rep.columns.find((c) => c.column === 'age')!.score, csvReport.columns.find((c) => c.column === 'age')!.score);
    assert.equal(r.status, rep.datasetDrift || rep.failed ? 1 : 0);
  });
});
