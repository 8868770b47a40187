/**
 * Test data in the STYLE.md form: code with expectations written under the lines they are about.
 *
 *   ts`
 *     //- /src/app.ts                       ← starts a file (multi-file cases); default /src/index.ts
 *     import { Router } from 'express';
 *     const r = Router();
 *     r.post('/pay', handler);
 *     //^^^^ POST /pay none                 ← a range under the line above, then the expected text
 *   `
 *
 * `ts` dedents. `parseAnnotated` returns the files with annotation lines removed and the expected
 * marks with 1-based line/column ranges in the cleaned files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Mark { file: string; line: number; column: number; endColumn: number; text: string }
export interface Annotated { files: Record<string, string>; marks: Mark[] }

/** Dedenting template tag. */
export function ts(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings.raw.reduce((acc, s, i) => acc + s.replace(/\\`/g, '`').replace(/\\\$/g, '$') + (i < values.length ? String(values[i]) : ''), '');
  text = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n');
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

const FILE_HEADER = /^\s*\/\/- (\S+)\s*$/;
const MARK = /^(\s*)\/\/(\s*)(\^+)\s?(.*)$/;

export function parseAnnotated(text: string, defaultFile = '/src/index.ts'): Annotated {
  const files: Record<string, string> = {};
  const marks: Mark[] = [];
  let current = defaultFile;
  let out: string[] = [];
  // Every file ends with exactly one newline, wherever it stands in the fixture.
  const flush = () => { if (out.length || !(current in files)) files[current] = out.join('\n').replace(/\n*$/, '\n'); };
  for (const line of text.split('\n')) {
    const header = FILE_HEADER.exec(line);
    if (header) {
      if (out.length) flush();
      current = header[1];
      out = [];
      continue;
    }
    const m = MARK.exec(line);
    if (m && out.length > 0) {
      // The carets' columns are the columns they point at in the line above (the `//` counts as 2 columns).
      const column = m[1].length + 2 + m[2].length + 1;
      marks.push({ file: current.replace(/^\//, ''), line: out.length, column, endColumn: column + m[3].length, text: m[4].trim() });
      continue;
    }
    out.push(line);
  }
  flush();
  for (const k of Object.keys(files)) if (files[k].trim() === '' && !text.includes(`//- ${k}`)) delete files[k];
  return { files, marks };
}

/** Writes files (keys like '/src/app.ts') into a fresh temp dir; returns its path. */
export function writeProject(files: Record<string, string>, prefix = 'tt-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    const abs = path.join(dir, name.replace(/^\//, ''));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return dir;
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
