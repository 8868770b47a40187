/**
 * Columnar storage for drift inputs with pandas-like dtype inference: a column whose non-null
 * cells are all integer literals and that has no nulls is `int`; numeric with a fraction, NaN,
 * ±inf or nulls is `float`; all True/False is `bool`; anything else is `string` (categories or
 * text). Numbers live in a Float64Array (NaN = null), strings as dictionary codes.
 */

export type DType = 'float' | 'int' | 'bool' | 'string';

export interface NumberColumn {
  name: string;
  kind: 'number';
  dtype: 'float' | 'int';
  values: Float64Array;
}

export interface StringColumn {
  name: string;
  kind: 'string';
  dtype: 'bool' | 'string';
  /** Dictionary code per row, -1 for null. */
  codes: Int32Array;
  labels: string[];
  /** Where the first non-numeric value is (to name it if the column is declared numeric). */
  firstNonNumeric?: ValueLocation;
}

export interface ValueLocation { file?: string; line?: number; column?: number; value: string }

export type Column = NumberColumn | StringColumn;

export interface Dataset {
  /** Files the rows came from, in order. */
  sources: string[];
  rows: number;
  columns: Column[];
}

/** Values of a string column as an array (null for missing). */
export function stringValues(c: StringColumn): (string | null)[] {
  const out = new Array<string | null>(c.codes.length);
  for (let i = 0; i < c.codes.length; i++) out[i] = c.codes[i] < 0 ? null : c.labels[c.codes[i]];
  return out;
}

class GrowF64 {
  buf = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) { const b = new Float64Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
    this.buf[this.length++] = v;
  }
  done(): Float64Array { return this.buf.slice(0, this.length); }
}

class GrowI32 {
  buf: Int32Array;
  length = 0;
  constructor(cap = 1024) { this.buf = new Int32Array(Math.max(cap, 16)); }
  push(v: number): void {
    if (this.length === this.buf.length) { const b = new Int32Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
    this.buf[this.length++] = v;
  }
  done(): Int32Array { return this.buf.slice(0, this.length); }
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/;
const SPECIAL: Record<string, number> = {
  nan: NaN, '+nan': NaN, '-nan': NaN,
  inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};
const BOOLS: Record<string, string> = { true: 'True', false: 'False' };

/** Parses a CSV cell as a number (integer syntax reported), or undefined if it is not numeric. */
export function parseNumberCell(text: string): { value: number; integer: boolean } | undefined {
  const t = text.trim();
  if (INT_RE.test(t)) return { value: Number(t), integer: true };
  if (FLOAT_RE.test(t)) return { value: Number(t), integer: false };
  const s = SPECIAL[t.toLowerCase()];
  if (s !== undefined) return { value: s, integer: false };
  return undefined;
}

const NUMERIC = -2;

export class ColumnBuilder {
  private nums = new GrowF64();
  private codes: GrowI32 | undefined;
  private dict = new Map<string, number>();
  private labels: string[] = [];
  private nulls = 0;
  private nonNumeric = 0;
  private bools = 0;
  private allInteger = true;
  /** A schema says the column is floating point (parquet DOUBLE/FLOAT). */
  forceFloat = false;

  constructor(readonly name: string) {}

  get length(): number { return this.nums.length; }

  pushNull(): void {
    this.nulls++;
    this.nums.push(NaN);
    this.codes?.push(-1);
  }

  pushNumber(v: number, integer: boolean): void {
    if (Number.isNaN(v)) { this.pushNull(); return; }
    if (!integer) this.allInteger = false;
    this.nums.push(v);
    this.codes?.push(NUMERIC);
  }

  pushString(s: string, isBool = false): void {
    if (isBool) this.bools++;
    this.nonNumeric++;
    if (!this.codes) {
      this.codes = new GrowI32(this.nums.buf.length);
      for (let i = 0; i < this.nums.length; i++) this.codes.push(Number.isNaN(this.nums.buf[i]) ? -1 : NUMERIC);
    }
    let code = this.dict.get(s);
    if (code === undefined) { code = this.labels.length; this.dict.set(s, code); this.labels.push(s); }
    this.nums.push(NaN);
    this.codes.push(code);
  }

  /** Where the first non-numeric value was seen (for errors when a column must be numeric). */
  firstNonNumeric: ValueLocation | undefined;

  /** A CSV cell: empty → null; numbers, NaN and ±inf spellings → number; True/False → bool. */
  pushCell(text: string, line?: number, column?: number): void {
    if (text === '') { this.pushNull(); return; }
    const n = parseNumberCell(text);
    if (n) { this.pushNumber(n.value, n.integer); return; }
    this.firstNonNumeric ??= { line, column, value: text };
    const b = BOOLS[text.toLowerCase()];
    if (b) { this.pushString(b, true); return; }
    this.pushString(text);
  }

  /** A JSON / Parquet value (`line` is the NDJSON line, for error messages). */
  pushValue(v: unknown, line?: number): void {
    if (typeof v !== 'number' && typeof v !== 'bigint' && v !== null && v !== undefined) {
      this.firstNonNumeric ??= { line, value: typeof v === 'string' ? v : JSON.stringify(v) };
    }
    if (v === null || v === undefined) this.pushNull();
    else if (typeof v === 'number') this.pushNumber(v, Number.isInteger(v));
    else if (typeof v === 'bigint') this.pushNumber(Number(v), true);
    else if (typeof v === 'boolean') this.pushString(v ? 'True' : 'False', true);
    else if (typeof v === 'string') this.pushString(v);
    else if (v instanceof Date) this.pushString(v.toISOString());
    else this.pushString(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)));
  }

  finish(): Column {
    if (this.nonNumeric === 0) {
      const dtype = this.allInteger && this.nulls === 0 && !this.forceFloat && this.nums.length > 0 ? 'int' : 'float';
      return { name: this.name, kind: 'number', dtype, values: this.nums.done() };
    }
    const codes = this.codes!.done();
    const nums = this.nums.buf;
    const labels = this.labels.slice();
    const dict = new Map(this.dict);
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] !== NUMERIC) continue;
      const s = String(nums[i]);
      let code = dict.get(s);
      if (code === undefined) { code = labels.length; dict.set(s, code); labels.push(s); }
      codes[i] = code;
    }
    const allBool = this.bools === this.nonNumeric && this.nonNumeric === codes.length - this.nulls;
    return { name: this.name, kind: 'string', dtype: allBool ? 'bool' : 'string', codes, labels, firstNonNumeric: this.firstNonNumeric };
  }
}

/** Error in an input file, naming where (1-based line and column when known). */
export class DataError extends Error {
  override name = 'DataError';
  constructor(readonly file: string, readonly line: number | undefined, readonly column: number | undefined, detail: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}${column !== undefined ? `:${column}` : ''}: ${detail}`);
  }
}
