/** The file's own conventions, so generated code looks like the code around it. */
import { ts } from '../analysis/ts';

export interface CodeStyle {
  quote: "'" | '"';
  semi: boolean;
  /** One level of indentation ('  ', '    ', '\t'). */
  indent: string;
  eol: '\n' | '\r\n';
  module: 'esm' | 'cjs';
  typescript: boolean;
}

export function detectStyle(sf: ts.SourceFile): CodeStyle {
  const text = sf.text;
  let single = 0, double = 0, withSemi = 0, withoutSemi = 0, esm = 0, cjs = 0;
  const indents = new Map<string, number>();
  for (const s of sf.statements) {
    const t = text.slice(s.getStart(sf), s.getEnd());
    if (ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s)) esm++;
    if (/\brequire\(/.test(t) && ts.isVariableStatement(s)) cjs++;
    if (/^module\.exports\b|^exports\./.test(t)) cjs++;
    if (!ts.isFunctionDeclaration(s) && !ts.isClassDeclaration(s) && !ts.isInterfaceDeclaration(s) && !ts.isModuleDeclaration(s) && !ts.isBlock(s) && !ts.isIfStatement(s) && !ts.isForStatement(s) && !ts.isTryStatement(s)) {
      if (t.trimEnd().endsWith(';')) withSemi++; else withoutSemi++;
    }
  }
  for (const m of text.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g)) { if (m[0][0] === "'") single++; else double++; }
  // The unit is the most common step between a line and the deeper line after it (a file indented
  // by two spaces has many lines at four spaces too, so absolute widths would mislead).
  let prev = 0;
  for (const m of text.matchAll(/\n([ \t]*)(\S)/g)) {
    const ws = m[1];
    if (m[2] === '*') continue; // inside a block comment
    if (ws.startsWith('\t')) { indents.set('\t', (indents.get('\t') ?? 0) + 1); prev = 0; continue; }
    const step = ws.length - prev;
    prev = ws.length;
    if (step === 2 || step === 4) indents.set(' '.repeat(step), (indents.get(' '.repeat(step)) ?? 0) + 1);
  }
  const indent = [...indents.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '  ';
  const isTs = /\.(ts|tsx|mts|cts)$/.test(sf.fileName);
  const isCjsExt = /\.c[jt]s$/.test(sf.fileName);
  return {
    quote: double > single ? '"' : "'",
    semi: withSemi >= withoutSemi,
    indent,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    module: isCjsExt || (cjs > esm && !isTs) || (cjs > 0 && esm === 0) ? 'cjs' : 'esm',
    typescript: isTs,
  };
}

/** Quotes a string in the file's quote style. */
export function quote(s: string, style: CodeStyle): string {
  const q = style.quote;
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q).replace(/\n/g, '\\n') + q;
}

/** Re-styles generated code written with single quotes and semicolons. */
export function restyle(code: string, style: CodeStyle): string {
  let out = code;
  if (style.quote === '"') out = out.replace(/'((?:[^'\\\n]|\\.)*)'/g, (_m, body: string) => '"' + body.replace(/"/g, '\\"').replace(/\\'/g, "'") + '"');
  if (!style.semi) out = out.replace(/;(\s*(?:\n|$))/g, '$1');
  if (style.indent !== '  ') out = out.replace(/^((?: {2})+)/gm, (m) => style.indent.repeat(m.length / 2));
  if (style.eol === '\r\n') out = out.replace(/\r?\n/g, '\r\n');
  return out;
}

/** The indentation of the line a position is on. */
export function lineIndent(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
