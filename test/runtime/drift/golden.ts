/** Loads the scipy/numpy golden cases of the drift reference (copied into test/fixtures/drift-golden). */
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

export const GOLDEN_DIR = path.resolve(__dirname, '../../fixtures/drift-golden');

export interface GoldenCase {
  case: string;
  column_type: 'num' | 'cat';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  expected: any;
  ref: Float64Array | (string | null)[];
  cur: Float64Array | (string | null)[];
}

function toNumber(v: unknown): number {
  if (v === null) return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v as number;
}

function readF64(rel: string): Float64Array {
  const buf = fs.readFileSync(path.join(GOLDEN_DIR, rel));
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

export function loadCases(): GoldenCase[] {
  if (!fs.existsSync(path.join(GOLDEN_DIR, 'index.json'))) {
    throw new Error(`drift golden files are missing: expected ${GOLDEN_DIR}/index.json (copied from shared/drift-reference/golden)`);
  }
  const index = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, 'index.json'), 'utf8'));
  return index.cases.map((c: { file: string }) => {
    const j = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, c.file), 'utf8'));
    let ref, cur;
    if (j.data_files) {
      ref = readF64(j.data_files.reference);
      cur = readF64(j.data_files.current);
    } else if (j.column_type === 'num') {
      ref = Float64Array.from(j.data.reference, toNumber);
      cur = Float64Array.from(j.data.current, toNumber);
    } else {
      ref = j.data.reference;
      cur = j.data.current;
    }
    return { case: j.case, column_type: j.column_type, expected: j.expected, ref, cur };
  });
}

/** A golden result value ("NaN"/"Infinity" strings decoded). */
export const num = toNumber;

export function close(actual: number, expected: unknown, rtol: number, what: string, atol = 0): void {
  const e = toNumber(expected);
  if (Number.isNaN(e)) { assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`); return; }
  if (!Number.isFinite(e)) { assert.equal(actual, e, what); return; }
  const err = Math.abs(actual - e);
  assert.ok(err <= atol + rtol * Math.abs(e), `${what}: got ${actual}, expected ${e} (rel err ${err / Math.abs(e)}, rtol ${rtol})`);
}

export function exact(actual: number, expected: unknown, what: string): void {
  assert.equal(actual, toNumber(expected), what);
}
