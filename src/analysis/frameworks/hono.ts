/**
 * Hono: `new Hono()` (also `Hono<{ Bindings }>`, hono/tiny, hono/quick, `createFactory().createApp()`)
 * and `OpenAPIHono` from @hono/zod-openapi; `get/post/put/patch/delete/options/all` incl. chains
 * (`app.get('/a', h).post(h)` reuses the previous path), `on(method | methods, path | paths)`,
 * `openapi(createRoute({ method, path }), h)` (path kept as written: `{id}`), `route('/prefix',
 * sub)` across files, `basePath('/api')` (derived apps and chained calls). Coverage: middleware that
 * records a metric or opens a span, or @hono/prometheus / @hono/otel, used before the routes.
 */
import { ts, skipOuter, memberName, objectProperty } from '../ts';
import { isModuleExport, type Value } from '../values';
import type { Linker } from '../link';
import type { ProjectFile } from '../project';
import { stringOf } from '../strings';
import { joinPath } from '../routes';
import type { CallContext, ScopeFramework, ScopeKind } from './types';
import { fileOf, isPathLike, knownPackage, methodNameNode, objectOf, pathsOf, perElement } from './common';

const HONO = ['hono', 'hono/tiny', 'hono/quick', '@hono/hono'];
const OPENAPI = ['@hono/zod-openapi'];
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'all']);
/** App methods that return the app itself. */
const CHAIN_METHODS = new Set([...ROUTE_METHODS, 'on', 'use', 'route', 'openapi', 'doc', 'doc31', 'notFound', 'onError', 'mount']);

export const HONO_METRICS_PACKAGES: Readonly<Record<string, string>> = {
  '@hono/prometheus': '@hono/prometheus',
  '@hono/otel': '@hono/otel',
  '@hono/opentelemetry': '@hono/opentelemetry',
  'hono-prometheus': 'hono-prometheus',
};

const hono: ScopeFramework = {
  id: 'hono',
  kind: 'scope',
  methods: new Set([...ROUTE_METHODS, 'on', 'openapi', 'route', 'use']),

  scopeOf(ref, linker) {
    return scopeKindOf(ref.v, ref.file, linker, 0);
  },

  isScopeType(annotation) {
    return isModuleExport(annotation, HONO, ['Hono']) || isModuleExport(annotation, OPENAPI, ['OpenAPIHono']);
  },

  interpret(ctx) {
    const { call, method } = ctx;
    const args = call.arguments;
    const receiver = (call.expression as ts.PropertyAccessExpression).expression;
    const base = chainPrefix(ctx, receiver);
    if (base === undefined) return;
    const withBase = (paths: string[]): string[] => (base ? paths.map((p) => joinPath(base, p)) : paths);
    if (ROUTE_METHODS.has(method)) {
      let paths: string[] | undefined;
      let handlers: readonly ts.Expression[];
      if (args.length >= 2 && isPathLike(ctx, args[0])) {
        paths = pathsOf(ctx, args[0]);
        handlers = args.slice(1);
      } else {
        // app.get('/a', h).post(h): a chained call without a path uses the previous one
        paths = previousPaths(ctx, receiver);
        handlers = args;
      }
      if (!paths || handlers.length === 0) return;
      ctx.route({ methods: [method === 'all' ? 'ANY' : method.toUpperCase()], paths: withBase(paths), nameNode: methodNameNode(call), handlers: [...handlers] });
      return;
    }
    if (method === 'on') {
      if (args.length < 3) return;
      const methods = stringsOf(ctx, args[0]);
      const paths = pathsOf(ctx, args[1]);
      if (!methods.length || !paths) return;
      ctx.route({ methods: methods.map((m) => m.toUpperCase()), paths: withBase(paths), nameNode: methodNameNode(call), handlers: args.slice(2) });
      return;
    }
    if (method === 'openapi') {
      if (args.length < 2) return;
      const cfg = routeConfig(ctx, args[0]);
      if (!cfg) return;
      const m = stringOf(objectProperty(cfg.obj, 'method'), cfg.file, ctx.linker);
      const p = stringOf(objectProperty(cfg.obj, 'path'), cfg.file, ctx.linker);
      if (!m || p === undefined) return;
      ctx.route({ methods: [m.toUpperCase()], paths: withBase([p]), nameNode: methodNameNode(call), handlers: args.slice(1) });
      return;
    }
    if (method === 'route') {
      // routes.forEach(({ prefix, router }) => app.route(prefix, router)): each prefix with its router
      const rows = args.length >= 2 ? perElement(ctx.linker, ctx.file, args) : undefined;
      if (rows) {
        for (const [p, child] of rows.map((r) => r.args)) {
          const prefix = p && stringOf(p.node, p.file, ctx.linker);
          if (prefix !== undefined && child) ctx.mount({ prefix: base ? joinPath(base, prefix) : prefix, child: child.node, file: child.file });
        }
        return;
      }
      if (args.length < 2 || !isPathLike(ctx, args[0])) return;
      const prefix = ctx.str(args[0]);
      if (prefix === undefined) return;
      ctx.mount({ prefix: base ? joinPath(base, prefix) : prefix, child: args[1] });
      return;
    }
    if (method === 'use') {
      let rest: readonly ts.Expression[] = args;
      let prefix: string | undefined;
      if (args.length > 1 && isPathLike(ctx, args[0])) {
        const p = ctx.str(args[0]);
        prefix = p === undefined ? undefined : p.replace(/\/?\*$/, '');
        rest = args.slice(1);
      }
      for (const a of rest) {
        const known = knownPackage(ctx, a, HONO_METRICS_PACKAGES);
        const desc = known ?? ctx.instrumentation(a);
        if (desc) ctx.middleware({ description: known ?? `middleware recording ${desc}`, prefix: prefix ? joinPath(base, prefix) : base || undefined });
      }
    }
  },
};

export default hono;

/** `app.basePath('/v1').get(…)`: the base paths set in the call chain before this call ('' if none; undefined if unknown). */
function chainPrefix(ctx: CallContext, receiver: ts.Expression): string | undefined {
  const parts: string[] = [];
  let e = skipOuter(receiver);
  while (ts.isCallExpression(e) && (ts.isPropertyAccessExpression(e.expression) || ts.isElementAccessExpression(e.expression))) {
    if (memberName(e.expression) === 'basePath') {
      const p = ctx.str(e.arguments[0]);
      if (p === undefined) return undefined;
      parts.unshift(p);
    }
    e = skipOuter(e.expression.expression);
  }
  return parts.reduce((acc, p) => joinPath(acc, p), '').replace(/^\/$/, '');
}

/** The path of the nearest earlier route call in a chain (`.get('/a', h).post(h)`). */
function previousPaths(ctx: CallContext, receiver: ts.Expression): string[] | undefined {
  let e = skipOuter(receiver);
  while (ts.isCallExpression(e) && (ts.isPropertyAccessExpression(e.expression) || ts.isElementAccessExpression(e.expression))) {
    const name = memberName(e.expression);
    if (name && ROUTE_METHODS.has(name) && e.arguments.length >= 2 && isPathLike(ctx, e.arguments[0])) return pathsOf(ctx, e.arguments[0]);
    if (name === 'on' && e.arguments.length >= 3) return pathsOf(ctx, e.arguments[1]);
    if (name !== undefined && !ROUTE_METHODS.has(name)) return undefined;
    e = skipOuter(e.expression.expression);
  }
  return undefined;
}

function stringsOf(ctx: CallContext, node: ts.Expression): string[] {
  const e = skipOuter(node);
  const one = ctx.str(e);
  if (one !== undefined) return [one];
  if (!ts.isArrayLiteralExpression(e)) return [];
  const out: string[] = [];
  for (const el of e.elements) { const s = ctx.str(el); if (s === undefined) return []; out.push(s); }
  return out;
}

/** The `{ method, path }` object of `createRoute({...})` (inline or a constant in another file), or a plain object. */
function routeConfig(ctx: CallContext, node: ts.Expression): { obj: ts.ObjectLiteralExpression; file: ProjectFile } | undefined {
  for (const r of ctx.linker.refsOf(node, ctx.file)) {
    if (r.v.k === 'call' && isModuleExport(r.v.callee, OPENAPI, ['createRoute'])) {
      const owner = fileOf(ctx.linker, r.v.node) ?? r.file;
      const o = objectOf(ctx.linker, r.v.node.arguments[0], owner);
      if (o) return o;
    }
  }
  return objectOf(ctx.linker, node, ctx.file);
}

function scopeKindOf(v: Value, file: ProjectFile, linker: Linker, depth: number): ScopeKind | undefined {
  if (depth > 8) return undefined;
  if (v.k === 'new') {
    if (isModuleExport(v.callee, HONO, ['Hono']) || isModuleExport(v.callee, OPENAPI, ['OpenAPIHono'])) return { framework: 'hono', kind: 'app' };
    return undefined;
  }
  if (v.k !== 'call') return undefined;
  const callee = v.callee;
  if (callee.k === 'member' && callee.name === 'createApp') {
    // createFactory().createApp() from hono/factory
    if (callee.obj.k === 'call' && isModuleExport(callee.obj.callee, ['hono/factory'], ['createFactory'])) return { framework: 'hono', kind: 'app' };
    return undefined;
  }
  if (isModuleExport(callee, ['honox/server'], ['createApp'])) return { framework: 'hono', kind: 'app' };
  if (callee.k !== 'member') return undefined;
  const c = v.node.expression;
  if (!ts.isPropertyAccessExpression(c) && !ts.isElementAccessExpression(c)) return undefined;
  if (!isInstance(callee.obj, file, linker, depth + 1)) return undefined;
  const owner = fileOf(linker, v.node) ?? file;
  if (callee.name === 'basePath') {
    const p = stringOf(v.node.arguments[0], owner, linker);
    if (p === undefined) return undefined;
    // new Hono().basePath('/api'): a fresh app whose routes all start with the base path;
    // app.basePath('/v1'): a view of `app` (same routes and middleware) under /v1
    if (ts.isNewExpression(skipOuter(c.expression))) return { framework: 'hono', kind: 'app', prefix: p };
    return { framework: 'hono', kind: 'app', parent: { node: c.expression, file: owner, mountPrefix: p } };
  }
  if (CHAIN_METHODS.has(callee.name)) return { framework: 'hono', kind: 'app', alias: { node: c.expression, file: owner } };
  return undefined;
}

function isInstance(v: Value, file: ProjectFile, linker: Linker, depth: number): boolean {
  if ((v.k === 'param' || v.k === 'typed') && v.annotation && hono.isScopeType(v.annotation)) return true;
  return scopeKindOf(v, file, linker, depth) !== undefined;
}
