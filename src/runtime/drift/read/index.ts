/**
 * Loads a dataset from one path or glob (CSV, NDJSON/JSONL, Parquet by extension, or `format`),
 * concatenating the files in sorted order. Errors name the file and, for text formats, the line
 * and column; nothing partial is returned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ColumnBuilder, type Dataset, DataError } from './columns';
import { readCsv } from './csv';
import { expandGlob, hasGlob } from './glob';
import { readNdjson, RowSink } from './ndjson';
import { readParquet } from './parquet';

export type DataFormat = 'csv' | 'ndjson' | 'parquet';

export interface ReadOptions {
  format?: DataFormat;
  /** For NDJSON: read this (dotted) field of each line as the row, e.g. "features". */
  field?: string;
  /** Base directory for relative paths. */
  baseDir?: string;
}

export function formatOf(file: string): DataFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json' || ext === '.log') return 'ndjson';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  return undefined;
}

export async function readDataset(spec: string, opts: ReadOptions = {}): Promise<Dataset> {
  const baseDir = opts.baseDir ?? process.cwd();
  const files = expandGlob(spec, baseDir);
  if (files.length === 0) {
    throw new DataError(spec, undefined, undefined, hasGlob(spec) ? 'no file matches this pattern' : 'no such file');
  }
  const sink = new RowSink();
  const shownNames: string[] = [];
  for (const file of files) {
    const format = opts.format ?? formatOf(file);
    const rel = path.relative(baseDir, file);
    const shown = rel && !rel.startsWith('..') ? rel : file;
    shownNames.push(shown);
    if (!format) throw new DataError(shown, undefined, undefined, 'unknown data format (use .csv, .ndjson/.jsonl or .parquet, or give the format)');
    if (fs.statSync(file).isDirectory()) throw new DataError(shown, undefined, undefined, 'is a directory');
    try {
      if (format === 'csv') {
        const before = sink.rows;
        let mapping: ColumnBuilder[] = [];
        const n = await readCsv(file, (names) => {
          mapping = names.map((name) => {
            let b = sink.builders.get(name);
            if (!b) {
              b = new ColumnBuilder(name);
              for (let i = 0; i < before; i++) b.pushNull();
              sink.builders.set(name, b);
            }
            return b;
          });
          return mapping;
        }, path.extname(file).toLowerCase() === '.tsv' ? '\t' : ',');
        sink.rows += n;
        for (const b of sink.builders.values()) if (!mapping.includes(b)) for (let i = 0; i < n; i++) b.pushNull();
      } else if (format === 'ndjson') {
        await readNdjson(file, sink, opts.field);
      } else {
        await readParquet(file, sink);
      }
      for (const b of sink.builders.values()) if (b.firstNonNumeric && !b.firstNonNumeric.file) b.firstNonNumeric.file = shown;
    } catch (err) {
      if (err instanceof DataError) throw new DataError(shown, err.line, err.column, err.message.slice(err.message.indexOf(': ') + 2));
      throw new DataError(shown, undefined, undefined, (err as Error).message);
    }
  }
  return { sources: shownNames, rows: sink.rows, columns: [...sink.builders.values()].map((b) => b.finish()) };
}

export { type Column, type Dataset, DataError, stringValues } from './columns';
