/** Strings in code: route paths and metric names given as literals, constants or templates of constants. */
import { ts, skipOuter } from './ts';
import type { Linker } from './link';
import type { ProjectFile } from './project';

/** The string a node evaluates to (literal, const, imported const, object constant, template of those). */
export function stringOf(node: ts.Node | undefined, file: ProjectFile, linker: Linker): string | undefined {
  if (!node) return undefined;
  const v = file.valueOf(node);
  if (v.k === 'string') return v.value;
  for (const r of linker.deref(v, file)) if (r.v.k === 'string') return r.v.value;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isTemplateExpression(e)) {
    let s = e.head.text;
    for (const span of e.templateSpans) {
      const part = stringOf(span.expression, file, linker);
      if (part === undefined) return undefined;
      s += part + span.literal.text;
    }
    return s;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = stringOf(e.left, file, linker), r = stringOf(e.right, file, linker);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

/** A route path: a string, a regex literal shown as written, or a template with its dynamic parts as `:name`. */
export function pathOf(node: ts.Node | undefined, file: ProjectFile, linker: Linker): string | undefined {
  if (!node) return undefined;
  const s = stringOf(node, file, linker);
  if (s !== undefined) return s;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isRegularExpressionLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    let out = e.head.text;
    for (const span of e.templateSpans) {
      const part = stringOf(span.expression, file, linker);
      out += (part ?? `:${span.expression.getText(file.sf).replace(/[^A-Za-z0-9_]+/g, '_')}`) + span.literal.text;
    }
    return out;
  }
  return undefined;
}
