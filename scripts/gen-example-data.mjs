#!/usr/bin/env node
// Generates the example's datasets: examples/shop/data/{reference,current}.{csv,parquet}.
// The reference is what the churn model was trained on; in the current data customers are older,
// visit less and pick the pro plan more often (drift), while basket values and countries are stable.
// Deterministic (seeded), so the drift report is the same on every machine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'examples/shop/data');

function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
function normal(r) { return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()); }
function poisson(r, lambda) { let k = 0, p = 1; const l = Math.exp(-lambda); do { k++; p *= r(); } while (p > l); return k - 1; }
function pick(r, weights) { let x = r(), acc = 0; for (const [v, w] of weights) { acc += w; if (x < acc) return v; } return weights[weights.length - 1][0]; }

function rows(seed, n, drift) {
  const r = rng(seed);
  const data = [];
  for (let i = 0; i < n; i++) {
    const age = Math.max(18, Math.round(drift ? 46 + 11 * normal(r) : 38 + 9 * normal(r)));
    const basket = Math.round(Math.exp(4.2 + 0.5 * normal(r)) * 100) / 100;
    const visits = poisson(r, drift ? 2.1 : 3.2);
    const plan = pick(r, drift ? [['free', 0.3], ['pro', 0.48], ['team', 0.22]] : [['free', 0.62], ['pro', 0.28], ['team', 0.1]]);
    const country = pick(r, [['DE', 0.3], ['FR', 0.2], ['US', 0.35], ['PL', 0.15]]);
    // a few missing values, as real exports have
    data.push({ customer_id: `c${seed}-${i}`, age: r() < 0.01 ? null : age, basket_value: basket, visits, plan, country });
  }
  return data;
}

const COLUMNS = ['customer_id', 'age', 'basket_value', 'visits', 'plan', 'country'];
function toCsv(data) {
  return COLUMNS.join(',') + '\n' + data.map((d) => COLUMNS.map((c) => (d[c] === null ? '' : String(d[c]))).join(',')).join('\n') + '\n';
}

async function writeParquet(file, data) {
  let writer;
  try { writer = await import('hyparquet-writer'); } catch { return false; }
  const columnData = [
    { name: 'customer_id', data: data.map((d) => d.customer_id), type: 'STRING' },
    { name: 'age', data: data.map((d) => d.age), type: 'DOUBLE' },
    { name: 'basket_value', data: data.map((d) => d.basket_value), type: 'DOUBLE' },
    { name: 'visits', data: data.map((d) => d.visits), type: 'INT32' },
    { name: 'plan', data: data.map((d) => d.plan), type: 'STRING' },
    { name: 'country', data: data.map((d) => d.country), type: 'STRING' },
  ];
  const buf = writer.parquetWriteBuffer({ columnData });
  fs.writeFileSync(file, Buffer.from(buf));
  return true;
}

fs.mkdirSync(out, { recursive: true });
const reference = rows(1, 2000, false);
const current = rows(2, 1500, true);
fs.writeFileSync(path.join(out, 'reference.csv'), toCsv(reference));
fs.writeFileSync(path.join(out, 'current.csv'), toCsv(current));
const parquet = (await writeParquet(path.join(out, 'reference.parquet'), reference)) && (await writeParquet(path.join(out, 'current.parquet'), current));
console.log(`wrote ${path.relative(root, out)}/{reference,current}.csv${parquet ? ' and .parquet' : ''} (${reference.length} and ${current.length} rows)`);
