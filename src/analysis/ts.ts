/**
 * The TypeScript compiler API, taken from ts-morph's bundled copy so the analysis uses exactly one
 * TypeScript. The analysis walks raw `ts.Node`s (ts-morph's wrapped nodes cost 2-3x more per walk:
 * see bench/RESULTS.md); ts-morph itself serves the fixes, which need its printer and manipulation.
 */
import { ts } from 'ts-morph';

export { ts };

export function createSourceFile(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.(jsx)$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** A string literal or a no-substitution template: its text; otherwise undefined. */
export function stringLiteralText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** `a.b.c` → 'c'; `a['c']` → 'c'; otherwise undefined. */
export function memberName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return stringLiteralText(node.argumentExpression);
  return undefined;
}

export function memberObject(node: ts.Node): ts.Expression | undefined {
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return node.expression;
  return undefined;
}

/** Strips parentheses, `as`, `!`, `satisfies` and type assertions. */
export function skipOuter(node: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) ||
      ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node) || ts.isAwaitExpression(node)) {
      node = node.expression;
    } else return node;
  }
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node);
}

/** The nearest enclosing function of a node (not the node itself). */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

export function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
}

/** `@Name(...)` → { name: 'Name', args }; `@ns.Name()` → 'Name'. */
export function decoratorCall(d: ts.Decorator): { name: string; args: readonly ts.Expression[]; callee: ts.Expression } | undefined {
  const e = d.expression;
  if (ts.isCallExpression(e)) {
    const name = ts.isIdentifier(e.expression) ? e.expression.text : memberName(e.expression);
    return name ? { name, args: e.arguments, callee: e.expression } : undefined;
  }
  if (ts.isIdentifier(e)) return { name: e.text, args: [], callee: e };
  const name = memberName(e);
  return name ? { name, args: [], callee: e } : undefined;
}

export function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

export function hasDefaultModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

/** Property of an object literal by name (`{ prefix: '/api' }` → the '/api' node). */
export function objectProperty(obj: ts.Node | undefined, name: string): ts.Expression | undefined {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return undefined;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return stringLiteralText(name.expression);
  return undefined;
}
