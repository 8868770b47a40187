/**
 * Drift statistics at scale, against scipy 1.10.1 / numpy 1.24.2 timings measured on the same
 * machine class (drift reference README §9: AMD EPYC, 2 vCPU, medians of 5 runs):
 * KS (auto → asymptotic), evidently's normed Wasserstein and evidently-style PSI on
 * 1,000,000 vs 1,000,000 values and on 50 columns × 100,000 rows. Data come from the reference's
 * generators (mulberry32 + Irwin–Hall normal) with its seeds. Writes bench/results/drift.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binData } from '../src/runtime/drift/stats/binning';
import { ks2samp } from '../src/runtime/drift/stats/ks';
import { psi } from '../src/runtime/drift/stats/psi';
import { wassersteinNormed } from '../src/runtime/drift/stats/wasserstein';

const SCIPY = {
  ks: { big: 1.596, cols: 3.757 },
  wasserstein: { big: 0.732, cols: 2.806 },
  psi: { big: 0.21, cols: 0.85 },
};

function normal(n: number, seed: number, mu = 0, sigma = 1): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let k = 0; k < 12; k++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      z += ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    out[i] = mu + sigma * (z - 6);
  }
  return out;
}

const quick = process.argv.includes('--quick');
const RUNS = quick ? 1 : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): { seconds: number; value: unknown } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}

const mb = (b: number): string => (b / 2 ** 20).toFixed(0);

const rows: string[] = [];
const stats = {
  ks: (r: Float64Array, c: Float64Array) => ks2samp(r, c).pValue,
  wasserstein: (r: Float64Array, c: Float64Array) => wassersteinNormed(r, c).normed,
  psi: (r: Float64Array, c: Float64Array) => psi(binData(r, c, 'num')),
};

// 1M vs 1M
{
  const ref = normal(1_000_000, 777001), cur = normal(1_000_000, 777002, 0.05);
  const dataBytes = ref.byteLength + cur.byteLength;
  for (const [name, fn] of Object.entries(stats) as [keyof typeof stats, (r: Float64Array, c: Float64Array) => number][]) {
    const ts: number[] = [];
    let value = 0;
    const before = process.memoryUsage();
    for (let i = 0; i < RUNS; i++) { const t = time(() => fn(ref, cur)); ts.push(t.seconds); value = t.value as number; }
    const after = process.memoryUsage();
    const s = median(ts);
    rows.push(`| ${name} | 1M vs 1M | ${s.toFixed(3)} | ${SCIPY[name].big.toFixed(3)} | **${(SCIPY[name].big / s).toFixed(1)}×** | ${value.toPrecision(6)} | ${mb(dataBytes)} | ${mb(Math.max(0, after.arrayBuffers - before.arrayBuffers))} | ${mb(process.resourceUsage().maxRSS * 1024)} |`);
    console.log(rows[rows.length - 1]);
  }
}

// 50 columns × 100k rows
{
  const refs = Array.from({ length: 50 }, (_v, c) => normal(100_000, 778000 + c));
  const curs = Array.from({ length: 50 }, (_v, c) => normal(100_000, 779000 + c, 0.002 * c));
  const dataBytes = 100 * 100_000 * 8;
  for (const [name, fn] of Object.entries(stats) as [keyof typeof stats, (r: Float64Array, c: Float64Array) => number][]) {
    const ts: number[] = [];
    let drifted = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = time(() => refs.map((r, c) => fn(r, curs[c])));
      ts.push(t.seconds);
      const scores = t.value as number[];
      drifted = scores.filter((v) => (name === 'ks' ? v <= 0.05 : v >= 0.1)).length;
    }
    const s = median(ts);
    rows.push(`| ${name} | 50 × 100k | ${s.toFixed(3)} | ${SCIPY[name].cols.toFixed(3)} | **${(SCIPY[name].cols / s).toFixed(1)}×** | ${drifted}/50 drifted | ${mb(dataBytes)} | – | ${mb(process.resourceUsage().maxRSS * 1024)} |`);
    console.log(rows[rows.length - 1]);
  }
}

const md = `## Drift statistics (bench/drift.bench.ts)

Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} logical CPUs, Node ${process.version}, load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")} (other jobs share the 2 CPUs). Median of ${RUNS} run(s), single thread.
Baseline: scipy 1.10.1 / numpy 1.24.2 timings of the drift reference README §9 (same machine class, medians of 5; the
reference notes its VM is noisy: ks_2samp on 1M ranged 0.91–2.35 s). Speed-up = scipy seconds / our seconds (> 1 is faster).
Statistics: \`ks\` = ks_2samp two-sided, auto → asymptotic (kstwo.sf), \`wasserstein\` = evidently normed Wasserstein
(incl. np.std), \`psi\` = evidently-style PSI (reference nunique > 20 check, Sturges bins on the pooled sample, zero fill).
Memory: input typed arrays, growth of ArrayBuffer memory during the statistic (sorted copies), and the process peak RSS so far.

| statistic | data | ours (s) | scipy (s) | speed-up | result | input MB | extra MB | peak RSS MB |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'results', 'drift.md'), md);
console.log(md);
