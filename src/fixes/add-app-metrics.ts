/**
 * RED for every route of an app at once: one middleware (Express) or `onResponse` hook (Fastify)
 * right after the app is created, labelled by the matched route *template*
 * (`req.baseUrl + req.route.path`, `request.routeOptions.url`), plus a `/metrics` endpoint when
 * the app has none. What "fix all" prefers when an app has several uninstrumented routes.
 * Safety: suggestion.
 */
import { ts, skipOuter } from '../analysis/ts';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { detectStyle, lineIndent, restyle } from './style';

export default defineFix({
  id: 'add-app-metrics',
  for: ['uninstrumented-route'],
  safety: 'suggestion',
  title: (_f, ctx) => `Instrument all routes of this app${ctx?.route?.app ? ` (${ctx.route.app.file.rel}:${ctx.route.app.file.position(ctx.route.app.node).line})` : ''}`,
  edits(ctx) {
    const app = ctx.route?.app;
    const fw = ctx.route?.entry.framework;
    if (!app || (fw !== 'express' && fw !== 'fastify')) return undefined;
    const stmt = statementOf(app.node);
    const name = appName(app.node);
    if (!stmt || !name) return undefined;
    const file = app.file;
    const style = file === ctx.file ? ctx.style : detectStyle(file.sf);
    const duration = ctx.module.use('httpRequestDuration', file, style);
    const total = ctx.module.use('httpRequestsTotal', file, style);
    const hasMetricsRoute = ctx.analyzer.inventory().routes.some((r) => r.path === '/metrics');
    const registry = hasMetricsRoute ? undefined : ctx.module.use('registry', file, style);
    const template = fw === 'express' ? ctx.module.use('expressRouteTemplate', file, style) : '';
    const lines = fw === 'express' ? [
      `// RED metrics for every route, labelled by the matched route template (added by Telltale).`,
      `${name}.use((req, res, next) => {`,
      `  const stopTimer = ${duration}.startTimer();`,
      `  res.once('finish', () => {`,
      `    const labels = { method: req.method, route: ${template}(req), status_code: String(res.statusCode) };`,
      `    stopTimer(labels);`,
      `    ${total}.inc(labels);`,
      `  });`,
      `  next();`,
      `});`,
      ...(registry ? [
        `${name}.get('/metrics', async (_req, res) => {`,
        `  res.set('Content-Type', ${registry}.contentType);`,
        `  res.end(await ${registry}.metrics());`,
        `});`,
      ] : []),
    ] : [
      `// RED metrics for every route, labelled by the matched route template (added by Telltale).`,
      `${name}.addHook('onResponse', async (request, reply) => {`,
      `  const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };`,
      `  ${duration}.observe(labels, reply.elapsedTime / 1000);`,
      `  ${total}.inc(labels);`,
      `});`,
      ...(registry ? [
        `${name}.get('/metrics', async (_request, reply) => {`,
        `  reply.header('Content-Type', ${registry}.contentType);`,
        `  return ${registry}.metrics();`,
        `});`,
      ] : []),
    ];
    const indent = lineIndent(file.sf.text, stmt.getStart(file.sf));
    const text = lines.map((l) => (l ? indent + restyle(l, style) : l)).join(style.eol);
    const at = stmt.getEnd();
    const edits: FileEdit[] = [{ file: file.abs, start: at, end: at, newText: style.eol + text }];
    return edits;
  },
});

/** `const app = express();` for the `express()` call. */
function statementOf(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isVariableStatement(n) || ts.isExpressionStatement(n)) return n;
    if (ts.isSourceFile(n) || ts.isBlock(n)) return undefined;
  }
  return undefined;
}

/** The variable the app is bound to (`app` in `const app = express()`). */
function appName(node: ts.Node): string | undefined {
  let n: ts.Node = node;
  while (n.parent && ts.isExpression(n.parent as ts.Node) && skipOuter(n.parent as ts.Expression) === skipOuter(n as ts.Expression)) n = n.parent;
  const p = n.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isIdentifier(p.left) || ts.isPropertyAccessExpression(p.left))) return p.left.getText();
  return undefined;
}
