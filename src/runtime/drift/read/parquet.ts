/**
 * Parquet reader on hyparquet: reads the footer, then one row group at a time (so memory holds
 * one row group of decoded values plus the typed columns). DOUBLE/FLOAT columns stay float even
 * when their values are integral; INT64 (bigint) become numbers.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { ColumnBuilder, DataError } from './columns';
import type { RowSink } from './ndjson';

export async function readParquet(file: string, sink: RowSink): Promise<number> {
  let buffer, metadata;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw new DataError(file, undefined, undefined, `not a readable Parquet file (${(err as Error).message})`);
  }
  const schema = parquetSchema(metadata);
  const names: string[] = [];
  const floats = new Set<string>();
  for (const child of schema.children) {
    const name = child.element.name;
    names.push(name);
    if (child.element.type === 'DOUBLE' || child.element.type === 'FLOAT') floats.add(name);
  }
  const start = sink.rows;
  for (const name of names) {
    if (!sink.builders.has(name)) {
      const b = new ColumnBuilder(name);
      for (let i = 0; i < start; i++) b.pushNull();
      sink.builders.set(name, b);
    }
    if (floats.has(name)) sink.builders.get(name)!.forceFloat = true;
  }
  let rowStart = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
    try {
      await parquetRead({
        file: buffer, metadata, rowStart, rowEnd: rowStart + n, columns: names,
        onChunk: ({ columnName, columnData, rowStart: rs }) => {
          let list = chunks.get(columnName);
          if (!list) chunks.set(columnName, (list = []));
          list.push({ rowStart: rs, data: columnData as ArrayLike<unknown> });
        },
      });
    } catch (err) {
      throw new DataError(file, undefined, undefined, `cannot decode row group at row ${rowStart} (${(err as Error).message})`);
    }
    for (const name of names) {
      const b = sink.builders.get(name)!;
      const list = (chunks.get(name) ?? []).sort((a, c) => a.rowStart - c.rowStart);
      let filled = 0;
      for (const ch of list) {
        const from = Math.max(rowStart + filled, ch.rowStart) - ch.rowStart;
        for (let i = from; i < ch.data.length && filled < n; i++) { b.pushValue(ch.data[i]); filled++; }
      }
      for (; filled < n; filled++) b.pushNull();
    }
    rowStart += n;
  }
  // columns known from earlier files but absent here
  for (const [name, b] of sink.builders) if (!names.includes(name)) for (let i = 0; i < rowStart; i++) b.pushNull();
  sink.rows += rowStart;
  return rowStart;
}
