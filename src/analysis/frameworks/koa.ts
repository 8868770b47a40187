/**
 * Koa: `new Koa()` apps with routers from `@koa/router` / `koa-router` (`new Router()`,
 * `Router()`, `new Router({ prefix })`, `router.prefix('/x')`); `get/post/put/patch/delete/del/
 * options/head/all` incl. named routes (`router.get('name', '/path', …)`) and chains;
 * `router.register(path, methods, mw)`; mounts by `app.use(router.routes())`,
 * `router.use('/x', sub.routes())`, `koa-mount` and `koa-compose`, across files. Coverage:
 * middleware that records a metric or opens a span, or a known metrics package, used on the app
 * or router *before* the routes (Koa runs middleware in registration order).
 */
import { ts, skipOuter } from '../ts';
import { isModuleExport, type Value } from '../values';
import type { Linker } from '../link';
import type { ProjectFile } from '../project';
import type { CallContext, ScopeFramework, ScopeKind } from './types';
import { fileOf, isPathLike, knownPackage, methodNameNode, objectOf, objectString, pathsOf } from './common';
import { stringOf } from '../strings';

const KOA = ['koa'];
const ROUTER = ['@koa/router', 'koa-router'];
const ROUTE_METHODS: Readonly<Record<string, string>> = {
  get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', options: 'OPTIONS', head: 'HEAD', all: 'ANY',
};
/** Router/app methods that return the router/app itself; `routes()`/`middleware()` return its dispatcher. */
const CHAIN_METHODS = new Set([...Object.keys(ROUTE_METHODS), 'use', 'param', 'register', 'redirect', 'routes', 'middleware']);

export const KOA_METRICS_PACKAGES: Readonly<Record<string, string>> = {
  'koa-prometheus-adv': 'koa-prometheus-adv',
  'koa-prometheus-exporter': 'koa-prometheus-exporter',
  'koa-prometheus': 'koa-prometheus',
  'koa-prometheus-metrics': 'koa-prometheus-metrics',
  'koa-prometheus-middleware': 'koa-prometheus-middleware',
  '@promster/koa': '@promster/koa',
  'koa-opentelemetry': 'koa-opentelemetry',
  '@opentelemetry/instrumentation-koa': '@opentelemetry/instrumentation-koa',
};

const koa: ScopeFramework = {
  id: 'koa',
  kind: 'scope',
  methods: new Set([...Object.keys(ROUTE_METHODS), 'register', 'use']),

  scopeOf(ref, linker) {
    return scopeKindOf(ref.v, ref.file, linker, 0);
  },

  isScopeType(annotation) {
    return isModuleExport(annotation, KOA, ['', 'Koa', 'Application']) || isModuleExport(annotation, ROUTER, ['', 'Router', 'KoaRouter']);
  },

  interpret(ctx) {
    const { call, method } = ctx;
    const args = call.arguments;
    const m = ROUTE_METHODS[method];
    if (m) {
      if (args.length < 2 || !isPathLike(ctx, args[0]) || onApp(ctx)) return;
      // router.get('name', '/path', …handlers): a second string argument makes the first a name
      const named = args.length >= 3 && isPathLike(ctx, args[1]) && !isFunctionArg(args[1]);
      const paths = pathsOf(ctx, named ? args[1] : args[0]);
      const handlers = args.slice(named ? 2 : 1);
      if (!paths || handlers.length === 0) return;
      ctx.route({ methods: [m], paths, nameNode: methodNameNode(call), handlers: [...handlers] });
      return;
    }
    if (method === 'register') {
      // router.register(path, methods, middleware, opts)
      if (args.length < 3 || !isPathLike(ctx, args[0])) return;
      const paths = pathsOf(ctx, args[0]);
      const methods = methodList(ctx, args[1]);
      if (!paths || !methods.length) return;
      ctx.route({ methods, paths, nameNode: methodNameNode(call), handlers: [args[2]] });
      return;
    }
    if (method === 'use') {
      let prefixes = [''];
      let rest: readonly ts.Expression[] = args;
      if (args.length > 1 && isPathLike(ctx, args[0])) {
        prefixes = pathsOf(ctx, args[0]) ?? [''];
        rest = args.slice(1);
      }
      for (const a of rest) for (const prefix of prefixes) use(ctx, a, prefix, 0);
    }
  },
};

export default koa;

/** Is the call made on a Koa application (which has no route methods) rather than a router? */
function onApp(ctx: CallContext): boolean {
  let e = skipOuter(ctx.call.expression);
  while ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e))) e = skipOuter(e.expression);
  return ctx.linker.refsOf(e, ctx.file).some((r) => r.v.k === 'new' && isModuleExport(r.v.callee, KOA, ['', 'Koa']));
}

/** One `use` argument: a router dispatcher, a mounted app, koa-mount/koa-compose, or a middleware. */
function use(ctx: CallContext, node: ts.Expression, prefix: string, depth: number): void {
  if (depth > 4) return;
  const e = skipOuter(node);
  if (ts.isArrayLiteralExpression(e)) { for (const el of e.elements) use(ctx, el, prefix, depth + 1); return; }
  if (ts.isCallExpression(e)) {
    const callee = ctx.file.valueOf(e.expression);
    if (isModuleExport(callee, ['koa-mount'], [''])) {
      // mount('/prefix', appOrMiddleware) | mount(appOrMiddleware)
      const hasPath = e.arguments.length > 1 && isPathLike(ctx, e.arguments[0]);
      const sub = hasPath ? ctx.str(e.arguments[0]) ?? '' : '';
      const target = e.arguments[hasPath ? 1 : 0];
      if (target) use(ctx, target, joinPrefix(prefix, sub), depth + 1);
      return;
    }
    if (isModuleExport(callee, ['koa-compose'], [''])) {
      for (const a of e.arguments) use(ctx, a, prefix, depth + 1);
      return;
    }
    // const router = combineRouters(a, b) (koa-combine-routers); app.use(router())
    for (const r of ctx.linker.refsOf(e.expression, ctx.file)) {
      if (r.v.k !== 'call' || !isModuleExport(r.v.callee, ['koa-combine-routers'], [''])) continue;
      const owner = fileOf(ctx.linker, r.v.node) ?? r.file;
      for (const a of r.v.node.arguments) {
        const arg = skipOuter(a);
        for (const el of ts.isArrayLiteralExpression(arg) ? arg.elements : [arg]) ctx.mount({ prefix, child: el, file: owner });
      }
      return;
    }
  }
  ctx.mount({ prefix, child: e });
  const known = knownPackage(ctx, e, KOA_METRICS_PACKAGES);
  const desc = known ?? ctx.instrumentation(e);
  if (desc) ctx.middleware({ description: known ?? `middleware recording ${desc}`, prefix: prefix || undefined });
}

function joinPrefix(a: string, b: string): string {
  if (!b || b === '/') return a;
  if (!a) return b;
  return a.replace(/\/+$/, '') + '/' + b.replace(/^\/+/, '');
}

function isFunctionArg(node: ts.Expression): boolean {
  const e = skipOuter(node);
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e);
}

function methodList(ctx: CallContext, node: ts.Expression | undefined): string[] {
  if (!node) return [];
  const e = skipOuter(node);
  const one = ctx.str(e);
  if (one !== undefined) return [one.toUpperCase()];
  const elements = ts.isArrayLiteralExpression(e) ? e.elements : [];
  const out: string[] = [];
  for (const el of elements) { const s = ctx.str(el); if (s) out.push(s.toUpperCase()); }
  return out;
}

function scopeKindOf(v: Value, file: ProjectFile, linker: Linker, depth: number): ScopeKind | undefined {
  if (depth > 8) return undefined;
  if (v.k === 'new') {
    if (isModuleExport(v.callee, KOA, ['', 'Koa'])) return { framework: 'koa', kind: 'app' };
    if (isModuleExport(v.callee, ROUTER, ['', 'Router', 'KoaRouter'])) return routerKind(v.node, linker, file);
    return undefined;
  }
  if (v.k === 'call') {
    // koa-router can be called without new
    if (isModuleExport(v.callee, ROUTER, ['', 'Router'])) return routerKind(v.node, linker, file);
    const callee = v.callee;
    if (callee.k !== 'member') return undefined;
    const c = v.node.expression;
    if (!ts.isPropertyAccessExpression(c) && !ts.isElementAccessExpression(c)) return undefined;
    const owner = fileOf(linker, v.node) ?? file;
    if (callee.name === 'prefix' && isRouter(callee.obj, file, linker, depth + 1)) {
      // new Router().prefix('/v2'): a router whose prefix is the argument
      const p = stringOf(v.node.arguments[0], owner, linker);
      return { framework: 'koa', kind: 'router', prefix: boundPrefix(v.node, owner) ?? p ?? '' };
    }
    if (CHAIN_METHODS.has(callee.name) && isInstance(callee.obj, file, linker, depth + 1)) {
      return { framework: 'koa', kind: 'router', alias: { node: c.expression, file: owner } };
    }
  }
  return undefined;
}

function isInstance(v: Value, file: ProjectFile, linker: Linker, depth: number): boolean {
  if ((v.k === 'param' || v.k === 'typed') && v.annotation && koa.isScopeType(v.annotation)) return true;
  return scopeKindOf(v, file, linker, depth) !== undefined;
}

function isRouter(v: Value, file: ProjectFile, linker: Linker, depth: number): boolean {
  if ((v.k === 'param' || v.k === 'typed') && v.annotation) return isModuleExport(v.annotation, ROUTER, ['', 'Router', 'KoaRouter']);
  const k = scopeKindOf(v, file, linker, depth);
  return k?.kind === 'router';
}

/** A router construction: its `{ prefix }` option, or a later `router.prefix('/x')` on its binding. */
function routerKind(node: ts.NewExpression | ts.CallExpression, linker: Linker, file: ProjectFile): ScopeKind {
  const owner = fileOf(linker, node) ?? file;
  const opts = objectOf(linker, node.arguments?.[0], owner);
  const prefix = boundPrefix(node, owner) ?? objectString(linker, opts, 'prefix') ?? '';
  return { framework: 'koa', kind: 'router', prefix };
}

/** `const r = new Router(); r.prefix('/x')`: the last prefix set on the variable the router is bound to. */
function boundPrefix(node: ts.Node, file: ProjectFile): string | undefined {
  let p: ts.Node = node.parent;
  while (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) p = p.parent;
  if (!ts.isVariableDeclaration(p) || !ts.isIdentifier(p.name)) return undefined;
  let prefix: string | undefined;
  for (const mc of file.methodCalls) {
    if (mc.method !== 'prefix' || !ts.isIdentifier(mc.receiver) || mc.receiver.text !== p.name.text) continue;
    if (file.values.declarationOf(mc.receiver) !== p) continue;
    const a = mc.node.arguments[0];
    const s = a && ts.isStringLiteralLike(a) ? a.text : undefined;
    if (s !== undefined) prefix = s;
  }
  return prefix;
}
