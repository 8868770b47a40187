/**
 * Traces one route: an OpenTelemetry span named `METHOD /route/template` (the low-cardinality
 * name the HTTP semantic conventions ask for) with `http.route`, `http.request.method` and
 * `http.response.status_code`, active while the handler runs (so its logs carry the trace_id and
 * its outgoing calls become child spans); a thrown error is recorded (`recordException`,
 * status ERROR, the status the framework will answer) and rethrown; the span ends in `finally`.
 *
 * Express, Fastify and Koa handlers and NestJS controller methods get their body wrapped in
 * `tracer.startActiveSpan(…)`; a Hono route gets a middleware in front of its handler (Hono turns
 * a handler's error into a response before it reaches the caller: the middleware reads `c.error`).
 * Safety: suggestion.
 */
import { ts, skipOuter, isFunctionLike } from '../analysis/ts';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { ensureParams, freshName, handlerShape } from './handlers';
import { ensureNamedImport } from './imports';
import { FixNotApplicable } from './module';
import { lineIndent, quote, restyle } from './style';
import { isAsync, isGenerator, wrapBody } from './wrap';

export default defineFix({
  id: 'add-route-span',
  for: ['uninstrumented-route'],
  safety: 'suggestion',
  title: (f) => `Trace ${String(f.data?.method)} ${String(f.data?.path)} with an OpenTelemetry span`,
  edits(ctx) {
    const route = ctx.route;
    if (!route?.handler) return undefined;
    const fw = route.entry.framework;
    if (fw !== 'express' && fw !== 'fastify' && fw !== 'koa' && fw !== 'hono' && fw !== 'nest') return undefined;
    const { file, style } = ctx;
    const node = ts.isExpression(route.handler) ? skipOuter(route.handler) : route.handler;
    if (!isFunctionLike(node) || !node.body) throw new FixNotApplicable('the handler is defined elsewhere; add the span where it is defined');
    const fn = node as ts.FunctionLikeDeclaration;
    if (isGenerator(fn)) throw new FixNotApplicable('the handler is a generator');
    const tracer = ctx.module.use('tracer', file, style);
    const statusCode = 'SpanStatusCode';
    const importEdits = ensureNamedImport(file, '@opentelemetry/api', statusCode, style);
    const path = route.entry.path;
    const method = route.entry.method;
    const recordException = 'span.recordException(error instanceof Error ? error : String(error));';

    if (fw === 'hono') {
      const call = route.nameNode.parent && ts.isPropertyAccessExpression(route.nameNode.parent) ? route.nameNode.parent.parent : undefined;
      if (!call || !ts.isCallExpression(call)) throw new FixNotApplicable('not a direct route registration');
      const first = call.arguments.find((a) => a === route.handler || skipOuter(a) === fn) ?? call.arguments[call.arguments.length - 1];
      const name = method === 'ANY' ? '`${c.req.method} ' + path.replace(/`/g, '\\`') + '`' : quote(`${method} ${path}`, style);
      const methodAttr = method === 'ANY' ? 'c.req.method' : quote(method, style);
      const lines = [
        `async (c, next) => {`,
        `  await ${tracer}.startActiveSpan(${name}, { attributes: { 'http.route': ${quote(path, style)}, 'http.request.method': ${methodAttr} } }, async (span) => {`,
        `    try {`,
        `      await next();`,
        `      if (c.error) {`,
        `        span.recordException(c.error);`,
        `        span.setStatus({ code: ${statusCode}.ERROR });`,
        `      }`,
        `      span.setAttribute('http.response.status_code', c.res.status);`,
        `    } finally {`,
        `      span.end();`,
        `    }`,
        `  });`,
        `}`,
      ];
      const indent = lineIndent(file.sf.text, call.getStart(file.sf));
      const text = lines.map((l, i) => (i === 0 ? '' : indent) + restyle(l, style)).join(style.eol);
      const at = first.getStart(file.sf);
      return [...importEdits, { file: file.abs, start: at, end: at, newText: `${text}, ` }];
    }

    const edits: FileEdit[] = [...importEdits];
    let params: string[] = [];
    if (fw !== 'nest') {
      const shape = handlerShape(fn);
      if (!shape) return undefined;
      const names = fw === 'express' ? ['_req', 'res'] : fw === 'fastify' ? ['_request', 'reply'] : ['ctx'];
      const ensured = ensureParams(file, shape, names);
      if (!ensured) throw new FixNotApplicable('the handler destructures its parameters');
      edits.push(...ensured.edits);
      params = ensured.params;
    }
    const [req, res] = params;
    const requestMethod = fw === 'koa' ? `${req}.method` : fw === 'nest' ? undefined : `${req}.method`;
    if (method === 'ANY' && (!requestMethod || (fw !== 'koa' && req.startsWith('_') && fn.parameters.length < 1))) throw new FixNotApplicable('an any-method route needs the request to name its span');
    const name = method === 'ANY' ? '`${' + requestMethod + '} ' + path.replace(/`/g, '\\`') + '`' : quote(`${method} ${path}`, style);
    const methodAttr = method === 'ANY' ? requestMethod! : quote(method, style);
    const errorStatus = ctx.module.use('httpErrorStatus', file, style);
    const failed = freshName(fn, file.sf, 'failed');
    const success = fw === 'express' ? `${res}.statusCode` : fw === 'fastify' ? `${res}.statusCode` : fw === 'koa' ? `${req}.status` : undefined;
    const asyncKw = isAsync(fn) ? 'async ' : '';
    edits.push(...wrapBody(file, fn, style, {
      before: [
        `return ${tracer}.startActiveSpan(${name}, { attributes: { 'http.route': ${quote(path, style)}, 'http.request.method': ${methodAttr} } }, ${asyncKw}(span) => {`,
        ...(success ? [`  let ${failed} = false;`] : []),
        `  try {`,
      ],
      after: [
        `  } catch (error) {`,
        ...(success ? [`    ${failed} = true;`] : []),
        `    ${recordException}`,
        `    span.setStatus({ code: ${statusCode}.ERROR });`,
        `    span.setAttribute('http.response.status_code', ${errorStatus}(error));`,
        `    throw error;`,
        `  } finally {`,
        ...(success ? [`    if (!${failed}) span.setAttribute('http.response.status_code', ${success});`] : []),
        `    span.end();`,
        `  }`,
        `});`,
      ],
      levels: 2,
    }));
    return edits;
  },
});
