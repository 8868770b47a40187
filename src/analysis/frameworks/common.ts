/** Small helpers shared by the framework recognizers. */
import { ts, skipOuter, memberName, objectProperty } from '../ts';
import type { CallContext } from './types';
import type { Value } from '../values';
import type { Linker } from '../link';
import type { ProjectFile } from '../project';
import { stringOf } from '../strings';

/** The package a value comes from, looking through calls and members: promBundle({...}) → 'express-prom-bundle'. */
export function packageOf(v: Value): string | undefined {
  for (let cur: Value | undefined = v, i = 0; cur && i < 8; i++) {
    if (cur.k === 'module') return cur.module.startsWith('.') ? undefined : cur.module;
    if (cur.k === 'call' || cur.k === 'new') cur = cur.callee;
    else if (cur.k === 'member') cur = cur.obj;
    else return undefined;
  }
  return undefined;
}

/** If `node` is (made by) one of the known observability packages, its description. */
export function knownPackage(ctx: CallContext, node: ts.Node | undefined, known: Readonly<Record<string, string>>): string | undefined {
  if (!node) return undefined;
  for (const r of ctx.linker.refsOf(node, ctx.file)) {
    const pkg = packageOf(r.v);
    if (pkg && known[pkg]) return known[pkg];
    if (pkg && /^@opentelemetry\/instrumentation-/.test(pkg)) return pkg;
  }
  return undefined;
}

/** Paths from a path argument: a string, an array of strings, or a regex. */
export function pathsOf(ctx: CallContext, node: ts.Node | undefined): string[] | undefined {
  if (!node) return undefined;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isArrayLiteralExpression(e)) {
    const out: string[] = [];
    for (const el of e.elements) { const p = ctx.pathOf(el); if (p === undefined) return undefined; out.push(p); }
    return out.length ? out : undefined;
  }
  const p = ctx.pathOf(e);
  return p === undefined ? undefined : [p];
}

/** Does this argument look like a path (string/template/regex/array of those), as opposed to a handler? */
export function isPathLike(ctx: CallContext, node: ts.Node | undefined): boolean {
  if (!node) return false;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) || ts.isRegularExpressionLiteral(e)) return true;
  if (ts.isArrayLiteralExpression(e)) return e.elements.length > 0 && e.elements.every((el) => isPathLike(ctx, el));
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isBinaryExpression(e)) return ctx.str(e) !== undefined;
  return false;
}

/** In a call chain `X.route('/p').get(h).post(h)`, the argument of the nearest `.route(...)` (or other named call). */
export function chainCallArg(receiver: ts.Expression, method: string): ts.CallExpression | undefined {
  let e = skipOuter(receiver);
  while (ts.isCallExpression(e)) {
    const callee = e.expression;
    if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee))) {
      if (memberName(callee) === method) return e;
      e = skipOuter(callee.expression);
    } else return undefined;
  }
  return undefined;
}

/** The method-name node of a call (`get` in `router.get(`), for the route's line. */
export function methodNameNode(call: ts.CallExpression): ts.Node {
  const c = call.expression;
  if (ts.isPropertyAccessExpression(c)) return c.name;
  if (ts.isElementAccessExpression(c)) return c.argumentExpression;
  return c;
}

/** An object literal an expression evaluates to (inline, or a constant followed across files), with its file. */
export function objectOf(linker: Linker, node: ts.Node | undefined, file: ProjectFile): { obj: ts.ObjectLiteralExpression; file: ProjectFile } | undefined {
  if (!node) return undefined;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isObjectLiteralExpression(e)) return { obj: e, file };
  for (const r of linker.refsOf(e, file)) if (r.v.k === 'object') return { obj: r.v.node, file: r.file };
  return undefined;
}

/** A property of an object found by `objectOf`, as a string (literal, constant…). */
export function objectString(linker: Linker, o: { obj: ts.ObjectLiteralExpression; file: ProjectFile } | undefined, name: string): string | undefined {
  if (!o) return undefined;
  return stringOf(objectProperty(o.obj, name), o.file, linker);
}

/** The project file a node is written in. */
export function fileOf(linker: Linker, node: ts.Node): ProjectFile | undefined {
  return linker.project.files.get(node.getSourceFile().fileName);
}
