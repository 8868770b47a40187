/**
 * Streaming NDJSON reader: one JSON object per line, read line by line. Keys seen later add a
 * column (earlier rows are null there). With `field` (e.g. "features"), the row is that nested
 * object, so pino lines like {"level":30,"msg":"scored","features":{"age":31}} can be read as data.
 * A line that is not valid JSON or not an object is a DataError naming file, line and column.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { ColumnBuilder, DataError } from './columns';

/** Column from JSON.parse's message ("... at position 12" / "(line 1 column 13)"). */
function jsonErrorColumn(msg: string): number | undefined {
  const m = /column (\d+)/.exec(msg) ?? /position (\d+)/.exec(msg);
  if (!m) return undefined;
  return /column/.test(m[0]) ? Number(m[1]) : Number(m[1]) + 1;
}

export function pickField(obj: Record<string, unknown>, field: string | undefined): unknown {
  if (!field) return obj;
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export class RowSink {
  readonly builders = new Map<string, ColumnBuilder>();
  rows = 0;
  /** Appends one row; keys not seen before become columns, back-filled with nulls. */
  push(row: Record<string, unknown>, line?: number): void {
    for (const key of Object.keys(row)) {
      if (!this.builders.has(key)) {
        const b = new ColumnBuilder(key);
        for (let i = 0; i < this.rows; i++) b.pushNull();
        this.builders.set(key, b);
      }
    }
    for (const [key, b] of this.builders) b.pushValue(Object.prototype.hasOwnProperty.call(row, key) ? row[key] : null, line);
    this.rows++;
  }
}

export async function readNdjson(file: string, sink: RowSink, field?: string): Promise<number> {
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0, rows = 0;
  try {
    for await (const text of rl) {
      line++;
      const t = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (t.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(t);
      } catch (err) {
        const msg = (err as Error).message;
        throw new DataError(file, line, jsonErrorColumn(msg) ?? 1, `invalid JSON (${msg})`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new DataError(file, line, 1, 'expected a JSON object per line');
      }
      const row = pickField(value as Record<string, unknown>, field);
      if (field && (row === null || typeof row !== 'object' || Array.isArray(row))) {
        if (row === undefined) continue; // a log line without features: not a data row
        throw new DataError(file, line, 1, `'${field}' is not an object`);
      }
      sink.push(row as Record<string, unknown>, line);
      rows++;
    }
  } finally {
    rl.close();
    input.destroy();
  }
  return rows;
}
