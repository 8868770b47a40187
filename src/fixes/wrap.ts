/**
 * Wrapping a function's body in generated code: `return runJob('x', async () => { …body… })`,
 * `return tracer.startActiveSpan(…, (span) => { try { …body… } finally { … } })`. The original
 * statements are re-indented by the added nesting (never inside template literals, whose text
 * is data), comments and blank lines kept, and extra lines can follow chosen statements.
 */
import { ts } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { lineIndent, restyle, type CodeStyle } from './style';

export interface BodyWrap {
  /** Generated lines before the original statements (two-space indentation, single quotes, semicolons). */
  before: string[];
  /** Generated lines after them. */
  after: string[];
  /** Indentation levels added to the original statements. */
  levels: number;
  /** Extra lines after some of the body's own statements (at the statements' new indentation). */
  insertAfter?: Map<ts.Statement, string[]>;
}

/** Ranges of template-literal text (where a line start must not be re-indented). */
function templateRanges(node: ts.Node, sf: ts.SourceFile): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(n) || n.kind === ts.SyntaxKind.TemplateHead || n.kind === ts.SyntaxKind.TemplateMiddle || n.kind === ts.SyntaxKind.TemplateTail) {
      out.push([n.getStart(sf), n.getEnd()]);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** Adds `extra` to the start of every non-empty line of text[start, end) that does not begin inside a template literal. */
function reindent(text: string, start: number, end: number, extra: string, literals: Array<[number, number]>): string {
  let out = '';
  let pos = start;
  while (pos < end) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 || nl >= end ? end : nl + 1;
    const line = text.slice(pos, lineEnd);
    const inLiteral = literals.some(([s, e]) => pos > s && pos < e);
    const atLineStart = pos === 0 || text[pos - 1] === '\n';
    out += atLineStart && !inLiteral && line.trim() !== '' ? extra + line : line;
    pos = lineEnd;
  }
  return out;
}

/** The indentation one level inside the function's body. */
export function innerIndent(file: ProjectFile, fn: ts.FunctionLikeDeclaration, style: CodeStyle): string {
  const sf = file.sf;
  const body = fn.body;
  if (body && ts.isBlock(body) && body.statements.length) {
    const first = body.statements[0];
    if (sf.text.slice(body.getStart(sf) + 1, first.getStart(sf)).includes('\n')) return lineIndent(sf.text, first.getStart(sf));
  }
  return lineIndent(sf.text, fn.getStart(sf)) + style.indent;
}

/**
 * Replaces a block body's content by `before`, the original statements (re-indented by `levels`)
 * and `after`. An expression body `=> expr` becomes a block returning it first.
 */
export function wrapBody(file: ProjectFile, fn: ts.FunctionLikeDeclaration, style: CodeStyle, wrap: BodyWrap): FileEdit[] {
  const sf = file.sf;
  const text = sf.text;
  const body = fn.body;
  if (!body) return [];
  const baseIndent = lineIndent(text, fn.getStart(sf));
  const inner = innerIndent(file, fn, style);
  const extra = style.indent.repeat(wrap.levels);
  const gen = (lines: string[], indent: string) => lines.map((l) => restyle(l, style).split('\n').map((x) => (x ? indent + x : x)).join(style.eol)).join(style.eol);
  if (!ts.isBlock(body)) {
    let start = body.getStart(sf), end = body.getEnd();
    if (text[start - 1] === '(' && text[end] === ')') { start--; end++; }
    const expr = text.slice(start, end);
    const statement = `${inner}${extra}return ${expr}${style.semi ? ';' : ''}`;
    const newText = `{${style.eol}${gen(wrap.before, inner)}${style.eol}${statement}${style.eol}${gen(wrap.after, inner)}${style.eol}${baseIndent}}`;
    return [{ file: file.abs, start, end, newText }];
  }
  const literals = templateRanges(body, sf);
  const open = body.getStart(sf) + 1;
  const close = body.getEnd() - 1;
  const stmts = body.statements;
  const firstOnSameLine = stmts.length > 0 && !text.slice(open, stmts[0].getStart(sf)).includes('\n');
  let content = '';
  if (stmts.length === 0) content = '';
  else if (firstOnSameLine) {
    // `{ return 1; }`: the statements move to their own line
    content = inner + extra + text.slice(stmts[0].getStart(sf), stmts[stmts.length - 1].getEnd());
    for (const [s, lines] of wrap.insertAfter ?? []) if (stmts.includes(s)) content += style.eol + gen(lines, inner + extra);
  } else {
    let pos = text.indexOf('\n', open) + 1;
    for (const s of stmts) {
      const end = s.getEnd();
      content += reindent(text, pos, end, extra, literals);
      const lines = wrap.insertAfter?.get(s);
      if (lines) content += style.eol + gen(lines, inner + extra);
      pos = end;
    }
    // trailing comments before the closing brace, without the brace's own line indentation
    const rest = text.slice(pos, close).replace(/[ \t]*$/, '').replace(/\r?\n$/, '');
    content += reindent(rest, 0, rest.length, extra, []);
    content = content.replace(/(\r?\n)+$/, '');
  }
  const parts = [gen(wrap.before, inner)];
  if (content) parts.push(content);
  parts.push(gen(wrap.after, inner));
  return [{ file: file.abs, start: open, end: close, newText: style.eol + parts.join(style.eol) + style.eol + baseIndent }];
}

/** Is `node` (a function) async? */
export function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return !!ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

export function isGenerator(fn: ts.FunctionLikeDeclaration): boolean {
  return !!(fn as ts.FunctionDeclaration).asteriskToken;
}
