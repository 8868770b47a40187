/**
 * RED for one route: times the handler with the shared `http_request_duration_seconds` histogram
 * and counts it in `http_requests_total`, labelled by method, route *template* and status code,
 * recorded when the response finishes — so errors (5xx, thrown errors turned into 500s by the
 * framework) are counted too. Express and Fastify handlers; other frameworks use add-app-metrics.
 * Safety: suggestion (it changes what the program does).
 */
import { defineFix } from './fix';
import { ensureParams, freshName, handlerShape, insertAtBodyStart } from './handlers';
import { quote } from './style';

export default defineFix({
  id: 'add-route-metrics',
  for: ['uninstrumented-route'],
  safety: 'suggestion',
  title: (f) => `Add request metrics to ${String(f.data?.method)} ${String(f.data?.path)}`,
  edits(ctx) {
    const route = ctx.route;
    if (!route || (route.entry.framework !== 'express' && route.entry.framework !== 'fastify')) return undefined;
    const shape = handlerShape(route.handler);
    if (!shape) return undefined;
    const { file, style } = ctx;
    const express = route.entry.framework === 'express';
    const ensured = ensureParams(file, shape, express ? ['_req', 'res'] : ['_request', 'reply']);
    if (!ensured) return undefined;
    const [req, res] = ensured.params;
    const duration = ctx.module.use('httpRequestDuration', file, style);
    const total = ctx.module.use('httpRequestsTotal', file, style);
    const stop = freshName(shape.fn, file.sf, 'stopTimer');
    const method = route.entry.method === 'ANY' ? `${req}.method` : quote(route.entry.method, style);
    const labels = `{ method: ${method}, route: ${quote(route.entry.path, style)} }`;
    const raw = express ? res : `${res}.raw`;
    const lines = [
      `const ${stop} = ${duration}.startTimer(${labels});`,
      `${raw}.once('finish', () => {`,
      `  const status_code = String(${res}.statusCode);`,
      `  ${stop}({ status_code });`,
      `  ${total}.inc({ ...${labels}, status_code });`,
      `});`,
    ];
    return [...ensured.edits, ...insertAtBodyStart(file, shape.fn, lines, style)];
  },
});
