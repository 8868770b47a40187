/**
 * RED for every route of an app at once, labelled by the matched route *template*, inserted right
 * after the app is created (before the routes it must cover), plus a `/metrics` endpoint when the
 * project serves none:
 *   - Express: a middleware reading `req.baseUrl + req.route.path` when the response finishes;
 *   - Fastify: an `onResponse` hook reading `request.routeOptions.url`;
 *   - Koa: the first middleware, reading `ctx._matchedRoute` (set by @koa/router) after `next()`,
 *     thrown errors counted with the status Koa answers them with;
 *   - Hono: `app.use('*', …)` reading `c.req.routePath` of the handler that answered;
 *   - NestJS: the module's `HttpMetricsInterceptor` (the route Nest registered for the handler),
 *     registered with `app.useGlobalInterceptors(...)` after `NestFactory.create(...)`.
 * What "fix all" prefers when an app has several uninstrumented routes. Safety: suggestion.
 */
import { ts } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import { isModuleExport } from '../analysis/values';
import type { FileEdit } from './edit';
import { defineFix, type FixContext } from './fix';
import { freshName } from './handlers';
import { appStatement, hasMetricsEndpoint, insertAfterStatement, metricsRouteLines } from './add-metrics-endpoint';
import { detectStyle } from './style';

const HEADER = `// RED metrics for every route, labelled by the matched route template (added by Telltale).`;

export default defineFix({
  id: 'add-app-metrics',
  for: ['uninstrumented-route'],
  safety: 'suggestion',
  title: (_f, ctx) => {
    const app = ctx?.route?.app ?? (ctx && ctx.route?.entry.framework === 'nest' ? nestBootstrap(ctx) : undefined);
    return `Instrument all routes of this app${app ? ` (${app.file.rel}:${app.file.position(app.node).line})` : ''}`;
  },
  edits(ctx) {
    const fw = ctx.route?.entry.framework;
    if (fw === 'nest') return nestEdits(ctx);
    const app = ctx.route?.app;
    if (!app || (fw !== 'express' && fw !== 'fastify' && fw !== 'koa' && fw !== 'hono')) return undefined;
    const target = appStatement(app.node);
    if (!target) return undefined;
    const { stmt, name } = target;
    const file = app.file;
    const style = file === ctx.file ? ctx.style : detectStyle(file.sf);
    const duration = ctx.module.use('httpRequestDuration', file, style);
    const total = ctx.module.use('httpRequestsTotal', file, style);
    const registry = hasMetricsEndpoint(ctx.analyzer) ? undefined : ctx.module.use('registry', file, style);
    let lines: string[];
    if (fw === 'express') {
      const template = ctx.module.use('expressRouteTemplate', file, style);
      lines = [
        `${name}.use((req, res, next) => {`,
        `  const stopTimer = ${duration}.startTimer();`,
        `  res.once('finish', () => {`,
        `    const labels = { method: req.method, route: ${template}(req), status_code: String(res.statusCode) };`,
        `    stopTimer(labels);`,
        `    ${total}.inc(labels);`,
        `  });`,
        `  next();`,
        `});`,
      ];
    } else if (fw === 'fastify') {
      lines = [
        `${name}.addHook('onResponse', async (request, reply) => {`,
        `  const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };`,
        `  ${duration}.observe(labels, reply.elapsedTime / 1000);`,
        `  ${total}.inc(labels);`,
        `});`,
      ];
    } else if (fw === 'koa') {
      const errorStatus = ctx.module.use('httpErrorStatus', file, style);
      const matched = style.typescript ? '(ctx as { _matchedRoute?: unknown })._matchedRoute' : 'ctx._matchedRoute';
      lines = [
        `${name}.use(async (ctx, next) => {`,
        `  const stopTimer = ${duration}.startTimer();`,
        `  let status = 500;`,
        `  try {`,
        `    await next();`,
        `    status = ctx.status;`,
        `  } catch (error) {`,
        `    status = ${errorStatus}(error);`,
        `    throw error;`,
        `  } finally {`,
        `    const matched = ${matched};`,
        `    const labels = { method: ctx.method, route: typeof matched === 'string' ? matched : 'unmatched', status_code: String(status) };`,
        `    stopTimer(labels);`,
        `    ${total}.inc(labels);`,
        `  }`,
        `});`,
      ];
    } else {
      lines = [
        `${name}.use('*', async (c, next) => {`,
        `  const stopTimer = ${duration}.startTimer();`,
        `  const routeIndex = c.req.routeIndex;`,
        `  let failed = true;`,
        `  try {`,
        `    await next();`,
        `    failed = false;`,
        `  } finally {`,
        `    // no handler after this middleware answered: a 404, not a route`,
        `    const route = c.req.routeIndex === routeIndex ? 'unmatched' : c.req.routePath;`,
        `    const labels = { method: c.req.method, route, status_code: failed ? '500' : String(c.res.status) };`,
        `    stopTimer(labels);`,
        `    ${total}.inc(labels);`,
        `  }`,
        `});`,
      ];
    }
    if (registry) lines.push(...metricsRouteLines(fw, name, registry));
    return [insertAfterStatement(file, stmt, [HEADER, ...lines], style)];
  },
});

/** `const app = await NestFactory.create(AppModule)` in the project (the first bootstrap). */
export function nestBootstrap(ctx: FixContext): { node: ts.CallExpression; file: ProjectFile } | undefined {
  for (const file of ctx.analyzer.project.files.values()) {
    for (const call of file.callsByName.get('create') ?? []) {
      if (!ts.isPropertyAccessExpression(call.expression)) continue;
      if (isModuleExport(file.valueOf(call.expression.expression), ['@nestjs/core'], ['NestFactory'])) return { node: call, file };
    }
  }
  return undefined;
}

function nestEdits(ctx: FixContext): FileEdit[] | undefined {
  const boot = nestBootstrap(ctx);
  if (!boot) return undefined;
  const target = appStatement(boot.node);
  if (!target) return undefined;
  const file = boot.file;
  const style = file === ctx.file ? ctx.style : detectStyle(file.sf);
  if (!style.typescript) return undefined; // the interceptor section is TypeScript
  const interceptor = ctx.module.use('HttpMetricsInterceptor', file, style);
  const lines = [HEADER, `${target.name}.useGlobalInterceptors(new ${interceptor}());`];
  if (!hasMetricsEndpoint(ctx.analyzer)) {
    const registry = ctx.module.use('registry', file, style);
    const scope = enclosingFunction(target.stmt) ?? file.sf;
    const adapter = freshName(scope, file.sf, 'httpAdapter');
    lines.push(...metricsRouteLines('nest', target.name, registry).map((l) => l.replace(/\bhttpAdapter\b/g, adapter)));
  }
  return [insertAfterStatement(file, target.stmt, lines, style)];
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}
