/** Small helpers shared by the framework recognizers. */
import { ts, skipOuter, memberName, objectProperty, isFunctionLike, propertyNameText } from '../ts';
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
  // Object.assign({ prefix: '/api' }, opts) (fastify-cli templates): the object literal written there
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'assign' &&
    ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 'Object') {
    for (const a of [...e.arguments].reverse()) { const o = ts.isObjectLiteralExpression(skipOuter(a)) ? objectOf(linker, a, file) : undefined; if (o) return o; }
    return undefined;
  }
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

/** One element of an iterated array: the expressions the call's arguments stand for in it, each with its file. */
export interface ElementArgs { args: Array<{ node: ts.Expression; file: ProjectFile } | undefined> }

/**
 * Calls made once per element of an array literal: `routes.forEach((r) => router.use(r.path, r.route))`,
 * `for (const { path, route } of routes) app.use(path, route)`. For each element (an object
 * literal), what each argument is there — so a prefix and its router stay paired. Undefined when
 * no argument is taken from an iterated array literal.
 */
export function perElement(linker: Linker, file: ProjectFile, args: readonly ts.Expression[]): ElementArgs[] | undefined {
  let loop: { source: ts.Expression } | undefined;
  const refs = args.map((a) => {
    const e = skipOuter(a);
    const id = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) ? e.expression : undefined;
    if (!id) return undefined;
    const decl = file.values.declarationOf(id);
    const it = decl && iterationOf(decl);
    if (!it) return undefined;
    if (loop && loop.source !== it.source) return undefined;
    loop = it;
    // the property of the element this argument reads
    if (ts.isBindingElement(decl)) return propertyNameText(decl.propertyName ?? decl.name);
    return ts.isPropertyAccessExpression(e) ? e.name.text : '';
  });
  if (!loop) return undefined;
  const out: ElementArgs[] = [];
  for (const el of arrayElements(linker, loop.source, file)) {
    out.push({
      args: args.map((a, i) => {
        const prop = refs[i];
        if (prop === undefined) return { node: a, file };
        if (prop === '') return el;
        const o = objectOf(linker, el.node, el.file);
        const v = o && objectProperty(o.obj, prop);
        return v ? { node: v, file: o.file } : undefined;
      }),
    });
  }
  return out;
}

/** The array a loop variable / forEach-map callback parameter (or a name destructured from it) walks over. */
function iterationOf(decl: ts.Node): { source: ts.Expression } | undefined {
  let d: ts.Node = decl;
  while (ts.isBindingElement(d)) d = d.parent.parent; // { path, route } → the parameter / variable
  if (ts.isParameter(d) && isFunctionLike(d.parent) && d.parent.parameters[0] === d) {
    const call = d.parent.parent;
    if (ts.isCallExpression(call) && call.arguments[0] === d.parent && ts.isPropertyAccessExpression(call.expression) && ['forEach', 'map'].includes(call.expression.name.text)) {
      return { source: call.expression.expression };
    }
  }
  if (ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent) && ts.isForOfStatement(d.parent.parent)) return { source: d.parent.parent.expression };
  return undefined;
}

/** The elements of an array literal an expression evaluates to (spreads of other arrays included). */
function arrayElements(linker: Linker, source: ts.Expression, file: ProjectFile, depth = 0): Array<{ node: ts.Expression; file: ProjectFile }> {
  if (depth > 3) return [];
  const arrays: Array<{ arr: ts.ArrayLiteralExpression; file: ProjectFile }> = [];
  const s = skipOuter(source);
  if (ts.isArrayLiteralExpression(s)) arrays.push({ arr: s, file });
  else for (const r of linker.refsOf(s, file)) if (r.v.k === 'array') arrays.push({ arr: r.v.node, file: r.file });
  const out: Array<{ node: ts.Expression; file: ProjectFile }> = [];
  for (const { arr, file: f } of arrays) {
    for (const el of arr.elements) {
      if (ts.isSpreadElement(el)) out.push(...arrayElements(linker, el.expression, f, depth + 1));
      else out.push({ node: el, file: f });
    }
  }
  return out;
}
