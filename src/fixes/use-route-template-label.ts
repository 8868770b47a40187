/**
 * Labels by route template instead of the raw path. The raw request path in a label value
 * (`req.path`, `req.originalUrl`, `req.url`, `ctx.path`, `request.url`, `c.req.path`) becomes the
 * framework's matched route template: the inventory's composed template as a literal when the
 * value is inside one route's handler (`'/api/users/:id'`), else Express `expressRouteTemplate(req)`
 * (`req.baseUrl` + `req.route.path`, shared in the observability module), Fastify
 * `request.routeOptions.url`, Koa `ctx._matchedRoute` (@koa/router), Hono `c.req.routePath`.
 * The raw path may also be read in a local variable or a helper of the same file, when every use
 * of that variable or helper is a label value.
 * Safety: suggestion (the label's values change, so existing series end and new ones start).
 */
import { ts, isFunctionLike, skipOuter } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FrameworkId } from '../analysis/model';
import { labelSitesOf } from '../analysis/labels';
import { originsOf, unboundedOrigin } from '../analysis/taint';
import type { FileEdit } from './edit';
import { defineFix, type FixContext } from './fix';
import { FixNotApplicable } from './module';
import { findingNode } from './locate';
import { quote } from './style';

const RAW = new Set(['path', 'url', 'originalUrl']);
const FRAMEWORK_MODULES: Array<[RegExp, FrameworkId]> = [[/^express$/, 'express'], [/^fastify$/, 'fastify'], [/^(koa|@koa\/router|koa-router)$/, 'koa'], [/^hono(\/.*)?$/, 'hono']];

export default defineFix({
  id: 'use-route-template-label',
  for: ['high-cardinality-label'],
  safety: 'suggestion',
  title: (f) => `Label ${String(f.data?.label ?? 'route')} by the route template instead of ${String(f.data?.source ?? 'the raw path')}`,
  edits(ctx) {
    const { file, finding } = ctx;
    if (finding.data?.reason !== 'value') return undefined;
    const value = findingNode(file, finding, (n): n is ts.Expression => ts.isExpression(n));
    if (!value) return undefined;
    for (const o of originsOf(value, file)) {
      const u = unboundedOrigin(o, file);
      if (!u || u === 'bounded') continue;
      if (o.k !== 'access' || !RAW.has(o.path[o.path.length - 1] ?? '')) throw new FixNotApplicable(`the label's value is ${u.what} (${u.source}), not the raw path`);
    }
    const accesses = rawAccesses(value, file);
    if (!accesses.length) return undefined;
    const edits: FileEdit[] = [];
    for (const access of accesses) {
      if (!(access.pos >= value.pos && access.end <= value.end)) checkOnlyLabels(access, file, ctx);
      edits.push(replacement(access, ctx));
    }
    return edits;
  },
});

/**
 * The raw-path reads (`req.path`, `ctx.path`…) the value comes from: in the value itself, in the
 * initializers of same-file variables it uses, and in the bodies of same-file functions it calls.
 */
function rawAccesses(value: ts.Expression, file: ProjectFile): ts.PropertyAccessExpression[] {
  const out: ts.PropertyAccessExpression[] = [];
  const seen = new Set<ts.Node>();
  const visit = (n: ts.Node, depth: number): void => {
    if (seen.has(n) || depth > 3) return;
    seen.add(n);
    if (ts.isPropertyAccessExpression(n) && RAW.has(n.name.text)) {
      const raw = originsOf(n, file).some((o) => {
        const u = unboundedOrigin(o, file);
        return o.k === 'access' && u !== undefined && u !== 'bounded' && RAW.has(o.path[o.path.length - 1] ?? '');
      });
      if (raw) { if (!out.includes(n)) out.push(n); return; }
    }
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n)) return;
      const d = file.values.declarationOf(n);
      if (d && ts.isVariableDeclaration(d) && d.initializer) visit(d.initializer, depth + 1);
      else if (d && isFunctionLike(d) && d.body) visit(d.body, depth + 1);
      return;
    }
    ts.forEachChild(n, (c) => visit(c, depth));
  };
  visit(value, 0);
  return out;
}

/**
 * The edit for one raw-path access. `req.baseUrl + req.path` (or the template
 * `${req.baseUrl}${req.path}`) is replaced as a whole, since the route template already includes
 * the mount prefix; a literal template inside a template literal is inlined as text.
 */
function replacement(access: ts.PropertyAccessExpression, ctx: FixContext): FileEdit {
  const { file } = ctx;
  const sf = file.sf;
  const whole = withBaseUrl(access);
  if (whole) {
    const text = template(access, ctx, true);
    return { file: file.abs, start: whole.getStart(sf), end: whole.getEnd(), newText: text };
  }
  if (containsBaseUrl(access)) throw new FixNotApplicable('the raw path is combined with req.baseUrl in a way the fix cannot rewrite');
  const span = access.parent;
  const literal = routeOf(access, ctx)?.literal;
  if (literal !== undefined && ts.isTemplateSpan(span) && span.expression === access) {
    // `route-${req.path}` → `route-/orders/:id`
    const open = sf.text.lastIndexOf('${', access.getStart(sf));
    const close = sf.text.indexOf('}', access.getEnd());
    return { file: file.abs, start: open, end: close + 1, newText: literal.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') };
  }
  const text = template(access, ctx);
  return { file: file.abs, start: access.getStart(sf), end: access.getEnd(), newText: text };
}

/** `X.baseUrl + X.path` / `${X.baseUrl}${X.path}`: the expression to replace whole, when that is all it is. */
function withBaseUrl(access: ts.PropertyAccessExpression): ts.Expression | undefined {
  const req = access.expression.getText();
  const isBase = (e: ts.Expression) => { const x = skipOuter(e); return ts.isPropertyAccessExpression(x) && x.name.text === 'baseUrl' && x.expression.getText() === req; };
  const p = access.parent;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken && p.right === access && isBase(p.left)) return p;
  if (ts.isTemplateSpan(p) && ts.isTemplateExpression(p.parent)) {
    const t = p.parent;
    if (t.head.text === '' && t.templateSpans.length === 2 && isBase(t.templateSpans[0].expression) && t.templateSpans[0].literal.text === '' &&
      t.templateSpans[1] === p && p.literal.text === '') return t;
  }
  return undefined;
}

function containsBaseUrl(access: ts.Node): boolean {
  let top: ts.Node = access;
  while (ts.isBinaryExpression(top.parent) || ts.isTemplateSpan(top.parent) || ts.isTemplateExpression(top.parent) || ts.isParenthesizedExpression(top.parent)) top = top.parent;
  return /\.baseUrl\b/.test(top.getText());
}

/** The route template expression replacing one raw-path access. */
function template(access: ts.PropertyAccessExpression, ctx: FixContext, whole = false): string {
  const { file, style } = ctx;
  const sf = file.sf;
  const route = routeOf(access, ctx);
  if (route?.literal !== undefined) return quote(route.literal, style);
  let req: ts.Expression = access.expression;
  const framework = route?.framework ?? frameworkOf(access, file);
  const wrap = (t: string) => (!whole && needsParens(access) ? `(${t})` : t);
  switch (framework) {
    case 'express': {
      const fn = ctx.module.use('expressRouteTemplate', file, style);
      return `${fn}(${req.getText(sf)})`;
    }
    case 'fastify':
      if (ts.isPropertyAccessExpression(req) && req.name.text === 'raw') req = req.expression;
      return wrap(`${req.getText(sf)}.routeOptions.url ?? ${quote('unmatched', style)}`);
    case 'koa':
      if (ts.isPropertyAccessExpression(req) && (req.name.text === 'request' || req.name.text === 'req')) req = req.expression;
      return `String(${req.getText(sf)}._matchedRoute ?? ${quote('unmatched', style)})`;
    case 'hono':
      return `${req.getText(sf)}.routePath`;
    default:
      throw new FixNotApplicable(`cannot tell which framework's request ${access.getText(sf)} is`);
  }
}

function needsParens(access: ts.Expression): boolean {
  const p = access.parent;
  return !(ts.isPropertyAssignment(p) || ts.isCallExpression(p) || ts.isVariableDeclaration(p) || ts.isReturnStatement(p) || ts.isArrayLiteralExpression(p) ||
    ts.isParenthesizedExpression(p) || ts.isTemplateSpan(p) || ts.isArrowFunction(p));
}

/** The inventory route whose handler contains the access: its framework, and its template when the handler serves one route. */
function routeOf(access: ts.Node, ctx: FixContext): { framework: FrameworkId; literal?: string } | undefined {
  const routes = ctx.analyzer.details().routes.filter((r) => r.file === ctx.file && r.handler && isFunctionLike(skipHandler(r.handler)) &&
    r.handler.pos <= access.pos && access.end <= r.handler.end);
  if (!routes.length) return undefined;
  // the innermost handler
  const handler = routes.map((r) => r.handler!).sort((a, b) => (a.end - a.pos) - (b.end - b.pos))[0];
  const own = routes.filter((r) => r.handler === handler);
  const paths = new Set(own.map((r) => r.entry.path));
  const framework = own[0].entry.framework;
  // the handler's own parameter, not an outer request captured by a nested function
  if (paths.size === 1 && !/[*()]/.test([...paths][0]) && framework !== 'nest' && framework !== 'next') return { framework, literal: [...paths][0] };
  return { framework };
}

function skipHandler(n: ts.Node): ts.Node {
  return ts.isExpression(n) ? skipOuter(n) : n;
}

function frameworkOf(access: ts.PropertyAccessExpression, file: ProjectFile): FrameworkId | undefined {
  const found = new Set<FrameworkId>();
  for (const m of file.importedModules) for (const [re, fw] of FRAMEWORK_MODULES) if (re.test(m)) found.add(fw);
  if (found.size === 1) return [...found][0];
  const chain = access.getText(file.sf).split('.');
  if (chain.length === 3 && chain[1] === 'req' && chain[0] !== 'ctx') return 'hono';
  if (chain[0] === 'ctx') return 'koa';
  if (found.has('express') && /^_?req$/.test(chain[0])) return 'express';
  if (found.has('fastify') && /^_?request$/.test(chain[0])) return 'fastify';
  return undefined;
}

/**
 * The raw path is read outside the label value (in a local variable or a helper of this file): the
 * rewrite is only right if that variable or helper serves labels alone.
 */
function checkOnlyLabels(access: ts.Node, file: ProjectFile, ctx: FixContext): void {
  const owner = ownerOf(access);
  if (!owner) throw new FixNotApplicable('the raw path is read outside the label value');
  const values = labelSitesOf(file, ctx.analyzer.linker).sites.map((s) => s.value);
  const inLabel = (n: ts.Node) => values.some((v) => v.pos <= n.pos && n.end <= v.end);
  let uses = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== owner.name && n.text === owner.name.text && file.values.declarationOf(n) === owner.decl) {
      uses++;
      if (!inLabel(n)) throw new FixNotApplicable(`${owner.name.text} is also used outside metric labels (line ${file.position(n).line})`);
    }
    ts.forEachChild(n, visit);
  };
  visit(file.sf);
  if (!uses || file.exports().has(owner.name.text)) throw new FixNotApplicable(`${owner.name.text} may be used outside this file`);
}

function ownerOf(access: ts.Node): { decl: ts.Node; name: ts.Identifier } | undefined {
  for (let n: ts.Node | undefined = access.parent; n; n = n.parent) {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && n.initializer.pos <= access.pos && access.end <= n.initializer.end) {
      if (isFunctionLike(skipOuter(n.initializer)) && skipOuter(n.initializer) !== access) return { decl: n, name: n.name };
      return { decl: n, name: n.name };
    }
    if (ts.isFunctionDeclaration(n) && n.name) return { decl: n, name: n.name };
    if (isFunctionLike(n) && !(ts.isArrowFunction(n) || ts.isFunctionExpression(n))) return undefined;
  }
  return undefined;
}
