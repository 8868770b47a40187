/**
 * Express: `express()` apps and `Router()` / `express.Router()` routers; `get/post/…/all`,
 * `route('/x').get().post()`, path arrays and regexes, route-level middleware; `use('/prefix',
 * router)` mounts, across files; metrics middleware (express-prom-bundle and friends, or any
 * middleware whose body records a metric or opens a span) registered before the routes.
 */
import { ts, skipOuter } from '../ts';
import { isModuleExport } from '../values';
import type { ScopeFramework } from './types';
import { HTTP_METHODS } from './types';
import { chainCallArg, isPathLike, knownPackage, methodNameNode, pathsOf, perElement } from './common';
import { stringOf } from '../strings';

const MODULES = ['express'];
const ROUTE_METHODS = new Set<string>([...HTTP_METHODS, 'all']);
export const EXPRESS_METRICS_PACKAGES: Readonly<Record<string, string>> = {
  'express-prom-bundle': 'express-prom-bundle',
  'prometheus-api-metrics': 'prometheus-api-metrics',
  'express-prometheus-middleware': 'express-prometheus-middleware',
  '@promster/express': '@promster/express',
  'express-prometheus-metrics': 'express-prometheus-metrics',
  'swagger-stats': 'swagger-stats',
  'express-opentelemetry-middleware': 'express-opentelemetry-middleware',
  '@autotelic/express-opentelemetry': '@autotelic/express-opentelemetry',
  'prom-client-express': 'prom-client-express',
  'express-status-monitor': 'express-status-monitor',
};

const express: ScopeFramework = {
  id: 'express',
  kind: 'scope',
  methods: new Set([...ROUTE_METHODS, 'use', 'route']),

  scopeOf(ref) {
    const v = ref.v;
    if (v.k !== 'call') return undefined;
    if (isModuleExport(v.callee, MODULES, [''])) return { framework: 'express', kind: 'app' };
    if (isModuleExport(v.callee, MODULES, ['Router'])) return { framework: 'express', kind: 'router' };
    return undefined;
  },

  isScopeType(annotation) {
    return isModuleExport(annotation, MODULES, ['Express', 'Application', 'Router', 'IRouter']);
  },

  interpret(ctx) {
    const { call, method } = ctx;
    const args = call.arguments;
    if (ROUTE_METHODS.has(method)) {
      const routeCall = chainCallArg(call.expression.kind === ts.SyntaxKind.PropertyAccessExpression ? (call.expression as ts.PropertyAccessExpression).expression : call.expression, 'route');
      let paths: string[] | undefined;
      let handlers: readonly ts.Expression[];
      if (routeCall) {
        paths = pathsOf(ctx, routeCall.arguments[0]);
        handlers = args;
      } else {
        // app.get('setting') reads a setting; a route needs a path and at least one handler.
        if (args.length < 2 || !isPathLike(ctx, args[0])) return;
        paths = pathsOf(ctx, args[0]);
        handlers = args.slice(1);
      }
      if (!paths || handlers.length === 0) return;
      ctx.route({ methods: [method === 'all' ? 'ANY' : method.toUpperCase()], paths, nameNode: methodNameNode(call), handlers: [...handlers] });
      return;
    }
    if (method === 'use') {
      // routes.forEach((r) => router.use(r.path, r.route)): one mount per element, prefix and router paired
      const rows = perElement(ctx.linker, ctx.file, args);
      if (rows) {
        for (const row of rows) {
          const [first, ...others] = row.args;
          if (!first) continue;
          const prefix = others.length ? stringOf(first.node, first.file, ctx.linker) : undefined;
          for (const a of prefix !== undefined ? others : row.args) if (a) ctx.mount({ prefix: prefix ?? '', child: a.node, file: a.file });
        }
        return;
      }
      let rest: readonly ts.Expression[] = args;
      let prefix = '';
      if (args.length > 1 && isPathLike(ctx, args[0])) {
        const ps = pathsOf(ctx, args[0]);
        prefix = ps?.[0] ?? '';
        rest = args.slice(1);
      }
      for (const a of rest) {
        const arg = skipOuter(a);
        const elements = ts.isArrayLiteralExpression(arg) ? arg.elements : [arg];
        for (const el of elements) {
          ctx.mount({ prefix, child: el });
          const known = knownPackage(ctx, el, EXPRESS_METRICS_PACKAGES);
          const desc = known ?? ctx.instrumentation(el);
          if (desc) ctx.middleware({ description: known ? known : `middleware recording ${desc}`, prefix: prefix || undefined });
        }
      }
    }
  },
};

export default express;
