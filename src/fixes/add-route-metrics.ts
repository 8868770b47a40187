/**
 * RED for one route: times the handler with the shared `http_request_duration_seconds` histogram
 * and counts it in `http_requests_total`, labelled by method, route *template* and status code,
 * recorded when the response finishes — so errors (5xx, thrown errors turned into 500s by the
 * framework) are counted too. Express, Fastify and Koa handlers time themselves; a Hono route gets
 * a middleware in front of its handler; a NestJS handler gets `@UseInterceptors(new HttpMetricsInterceptor())`.
 * Safety: suggestion (it changes what the program does).
 */
import { ts } from '../analysis/ts';
import type { FileEdit } from './edit';
import { defineFix, type FixContext } from './fix';
import { ensureParams, freshName, handlerShape, insertAtBodyStart } from './handlers';
import { ensureNamedImport } from './imports';
import { lineIndent, quote, restyle } from './style';

export default defineFix({
  id: 'add-route-metrics',
  for: ['uninstrumented-route'],
  safety: 'suggestion',
  title: (f) => `Add request metrics to ${String(f.data?.method)} ${String(f.data?.path)}`,
  edits(ctx) {
    const route = ctx.route;
    const fw = route?.entry.framework;
    if (!route || (fw !== 'express' && fw !== 'fastify' && fw !== 'koa' && fw !== 'hono' && fw !== 'nest')) return undefined;
    const { file, style } = ctx;
    if (fw === 'nest') return nestEdits(ctx);
    if (fw === 'hono') return honoEdits(ctx);
    const shape = handlerShape(route.handler);
    if (!shape) return undefined;
    const ensured = ensureParams(file, shape, fw === 'express' ? ['_req', 'res'] : fw === 'fastify' ? ['_request', 'reply'] : ['ctx']);
    if (!ensured) return undefined;
    const [req, res] = ensured.params;
    const duration = ctx.module.use('httpRequestDuration', file, style);
    const total = ctx.module.use('httpRequestsTotal', file, style);
    const stop = freshName(shape.fn, file.sf, 'stopTimer');
    const method = route.entry.method === 'ANY' ? `${req}.method` : quote(route.entry.method, style);
    const labels = `{ method: ${method}, route: ${quote(route.entry.path, style)} }`;
    const withStatus = `{ method: ${method}, route: ${quote(route.entry.path, style)}, status_code }`;
    // the Node response: Koa's ctx.res, Fastify's reply.raw (Koa and Fastify answer thrown errors on it too)
    const raw = fw === 'express' ? res : fw === 'fastify' ? `${res}.raw` : `${req}.res`;
    const lines = [
      `const ${stop} = ${duration}.startTimer(${labels});`,
      `${raw}.once('finish', () => {`,
      `  const status_code = String(${fw === 'koa' ? raw : res}.statusCode);`,
      `  ${stop}({ status_code });`,
      `  ${total}.inc(${withStatus});`,
      `});`,
    ];
    return [...ensured.edits, ...insertAtBodyStart(file, shape.fn, lines, style)];
  },
});

/** Hono: a middleware in front of the handler (Hono answers a handler's error before it reaches the caller). */
function honoEdits(ctx: FixContext): FileEdit[] | undefined {
  const route = ctx.route!;
  const { file, style } = ctx;
  const call = route.nameNode.parent && ts.isPropertyAccessExpression(route.nameNode.parent) ? route.nameNode.parent.parent : undefined;
  if (!call || !ts.isCallExpression(call) || call.arguments.length < 2) return undefined;
  const first = call.arguments[1];
  const duration = ctx.module.use('httpRequestDuration', file, style);
  const total = ctx.module.use('httpRequestsTotal', file, style);
  const method = route.entry.method === 'ANY' ? 'c.req.method' : quote(route.entry.method, style);
  const labels = `{ method: ${method}, route: ${quote(route.entry.path, style)} }`;
  const withStatus = `{ method: ${method}, route: ${quote(route.entry.path, style)}, status_code }`;
  const lines = [
    `async (c, next) => {`,
    `  const stopTimer = ${duration}.startTimer(${labels});`,
    `  let status_code = '500';`,
    `  try {`,
    `    await next();`,
    `    status_code = String(c.res.status);`,
    `  } finally {`,
    `    stopTimer({ status_code });`,
    `    ${total}.inc(${withStatus});`,
    `  }`,
    `}`,
  ];
  const indent = lineIndent(file.sf.text, call.getStart(file.sf));
  const text = lines.map((l, i) => (i === 0 ? '' : indent) + restyle(l, style)).join(style.eol);
  const at = first.getStart(file.sf);
  return [{ file: file.abs, start: at, end: at, newText: `${text}, ` }];
}

/** NestJS: `@UseInterceptors(new HttpMetricsInterceptor())` on the handler method. */
function nestEdits(ctx: FixContext): FileEdit[] | undefined {
  const route = ctx.route!;
  const { file, style } = ctx;
  if (!style.typescript) return undefined; // the interceptor section is TypeScript
  const method = route.handler && ts.isMethodDeclaration(route.handler) ? route.handler : undefined;
  const decorators = method ? ts.getDecorators(method) ?? [] : [];
  if (!method || !decorators.length) return undefined;
  const interceptor = ctx.module.use('HttpMetricsInterceptor', file, style);
  const first = decorators[0];
  const at = first.getStart(file.sf);
  const indent = lineIndent(file.sf.text, at);
  return [
    ...ensureNamedImport(file, '@nestjs/common', 'UseInterceptors', style),
    { file: file.abs, start: at, end: at, newText: restyle(`@UseInterceptors(new ${interceptor}())`, style) + style.eol + indent },
  ];
}
