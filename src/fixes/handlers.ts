/**
 * Handler-level code generation shared by the route fixes: where the handler's body is, what its
 * request/response parameters are called, and how to insert statements at the start of its body
 * (turning an expression body into a block when needed).
 */
import { ts, isFunctionLike, skipOuter } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { lineIndent, type CodeStyle, restyle } from './style';

export interface HandlerShape {
  fn: ts.FunctionLikeDeclaration;
  /** Parameter names by position ('' where missing or destructured). */
  params: string[];
}

export function handlerShape(node: ts.Node | undefined): HandlerShape | undefined {
  if (!node) return undefined;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (!isFunctionLike(e) || !e.body) return undefined;
  return { fn: e, params: e.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')) };
}

/** A name not used anywhere in the function's text. */
export function freshName(fn: ts.Node, sf: ts.SourceFile, base: string): string {
  const text = fn.getText(sf);
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}${i + 1}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

/**
 * Inserts statements at the start of a function body. `lines` are written with two-space
 * indentation and single quotes; they are re-styled to the file. An expression body becomes a
 * block that returns the expression.
 */
export function insertAtBodyStart(file: ProjectFile, fn: ts.FunctionLikeDeclaration, lines: string[], style: CodeStyle): FileEdit[] {
  const sf = file.sf;
  const body = fn.body!;
  const code = (indent: string) => lines.map((l) => restyle(l, style).split('\n').map((x) => (x ? indent + x : x)).join(style.eol)).join(style.eol);
  if (ts.isBlock(body)) {
    const baseIndent = lineIndent(sf.text, fn.getStart(sf));
    const open = body.getStart(sf) + 1;
    const first = body.statements[0];
    const sameLine = !first || !sf.text.slice(open, first.getStart(sf)).includes('\n');
    if (!sameLine) {
      const inner = lineIndent(sf.text, first.getStart(sf));
      return [{ file: file.abs, start: open, end: open, newText: style.eol + code(inner) }];
    }
    // `{ return 1; }` or `{}`: the new statements go on their own lines, the rest follows them
    const inner = baseIndent + style.indent;
    const end = first ? first.getStart(sf) : body.getEnd() - 1;
    return [{ file: file.abs, start: open, end, newText: style.eol + code(inner) + style.eol + (first ? inner : baseIndent) }];
  }
  // (req, res) => expr   →   (req, res) => {\n  …\n  return expr;\n}
  const baseIndent = lineIndent(sf.text, fn.getStart(sf));
  const inner = baseIndent + style.indent;
  let start = body.getStart(sf), end = body.getEnd();
  // `=> ({ … })`: the parentheses only served the arrow; keep them inside the return
  if (sf.text[start - 1] === '(' && sf.text[end] === ')') { start--; end++; }
  const expr = sf.text.slice(start, end);
  return [{ file: file.abs, start, end, newText: `{${style.eol}${code(inner)}${style.eol}${inner}return ${expr}${style.semi ? ';' : ''}${style.eol}${baseIndent}}` }];
}

/**
 * Makes sure the handler declares at least `names.length` parameters, adding the missing ones with
 * the given names (`['_req', 'res']`). Returns the names to use, or undefined for destructured
 * parameters we cannot refer to.
 */
export function ensureParams(file: ProjectFile, shape: HandlerShape, names: string[]): { edits: FileEdit[]; params: string[] } | undefined {
  const fn = shape.fn;
  const present = fn.parameters.length;
  if (shape.params.slice(0, Math.min(present, names.length)).some((p) => p === '')) return undefined;
  if (present >= names.length) return { edits: [], params: shape.params };
  const params = [...shape.params, ...names.slice(present)];
  const added = names.slice(present).join(', ');
  if (present) {
    const last = fn.parameters[present - 1];
    return { edits: [{ file: file.abs, start: last.getEnd(), end: last.getEnd(), newText: ', ' + added }], params };
  }
  const sf = file.sf;
  const open = sf.text.indexOf('(', fn.getStart(sf));
  if (open < 0 || (fn.body && open > fn.body.getStart(sf))) return undefined;
  return { edits: [{ file: file.abs, start: open + 1, end: open + 1, newText: added }], params };
}
