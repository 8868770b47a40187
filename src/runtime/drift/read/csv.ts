/**
 * Streaming RFC 4180 CSV reader: the file is read in 1 MiB chunks (never whole into memory);
 * quoted fields may hold separators, doubled quotes and newlines; LF, CRLF and CR line ends; a
 * UTF-8 BOM is skipped and blank lines are ignored (as pandas does). A row with the wrong number of
 * fields or broken quoting is a DataError naming the file, line and column.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { type ColumnBuilder, DataError } from './columns';

enum S { FieldStart, Unquoted, Quoted, QuotedQuote }

export async function readCsv(file: string, onHeader: (names: string[]) => ColumnBuilder[], delimiter = ','): Promise<number> {
  const DELIM = delimiter.charCodeAt(0);
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let builders: ColumnBuilder[] | undefined;
  let header: string[] | undefined;
  let state = S.FieldStart;
  let field = '';
  const row: string[] = [];
  const rowCols: number[] = [];
  let line = 1, col = 0, rowLine = 1, fieldCol = 1;
  let quoteLine = 0, quoteCol = 0;
  let pendingCR = false;
  let first = true;
  let rows = 0;

  const endField = (): void => { row.push(field); rowCols.push(fieldCol); field = ''; fieldCol = col + 1; };
  const endRow = (): void => {
    if (!header) {
      header = row.map((h) => h.trim());
      const seen = new Set<string>();
      header.forEach((h, i) => {
        if (h === '') throw new DataError(file, rowLine, rowCols[i], `header field ${i + 1} is empty`);
        if (seen.has(h)) throw new DataError(file, rowLine, rowCols[i], `duplicate column '${h}' in header`);
        seen.add(h);
      });
      builders = onHeader(header);
    } else if (!(row.length === 1 && row[0] === '')) {
      if (row.length !== header.length) {
        const at = row.length > header.length ? rowCols[header.length] : col;
        throw new DataError(file, rowLine, at, `expected ${header.length} fields (${header.join(', ')}), found ${row.length}`);
      }
      for (let i = 0; i < row.length; i++) builders![i].pushCell(row[i], rowLine, rowCols[i]);
      rows++;
    }
    row.length = 0;
    rowCols.length = 0;
  };
  const newline = (ch: number): void => {
    line++; col = 0; rowLine = line; fieldCol = 1;
    if (ch === 13) pendingCR = true;
  };

  for await (const chunk of stream) {
    let text = decoder.write(chunk as Buffer);
    if (first) { first = false; if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); }
    let run = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (pendingCR) { pendingCR = false; if (ch === 10) { run = i + 1; continue; } }
      col++;
      switch (state) {
        case S.FieldStart:
          if (ch === 34) { state = S.Quoted; quoteLine = line; quoteCol = col; run = i + 1; }
          else if (ch === DELIM) { endField(); }
          else if (ch === 10 || ch === 13) {
            if (row.length > 0 || header === undefined) { endField(); endRow(); } else if (row.length === 0) { /* blank line */ }
            newline(ch);
          } else { state = S.Unquoted; run = i; }
          break;
        case S.Unquoted:
          if (ch === DELIM) { field += text.slice(run, i); endField(); state = S.FieldStart; }
          else if (ch === 10 || ch === 13) { field += text.slice(run, i); endField(); endRow(); newline(ch); state = S.FieldStart; }
          else if (ch === 34) throw new DataError(file, line, col, 'unexpected quote inside an unquoted field');
          break;
        case S.Quoted:
          if (ch === 34) { field += text.slice(run, i); state = S.QuotedQuote; }
          else if (ch === 10) { line++; col = 0; }
          break;
        case S.QuotedQuote:
          if (ch === 34) { field += '"'; state = S.Quoted; run = i + 1; }
          else if (ch === DELIM) { endField(); state = S.FieldStart; }
          else if (ch === 10 || ch === 13) { endField(); endRow(); newline(ch); state = S.FieldStart; }
          else throw new DataError(file, line, col, 'unexpected character after a closing quote');
          break;
      }
    }
    if ((state as S) === S.Unquoted || (state as S) === S.Quoted) field += text.slice(run);
  }
  field += decoder.end();
  if ((state as S) === S.Quoted) throw new DataError(file, quoteLine, quoteCol, 'unterminated quoted field');
  if ((state as S) !== S.FieldStart || row.length > 0) { endField(); endRow(); }
  if (!header) throw new DataError(file, 1, 1, 'empty file: no header line');
  return rows;
}
