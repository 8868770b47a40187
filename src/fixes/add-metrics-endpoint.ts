/**
 * Exposes the Prometheus registry of a project that records metrics nobody can scrape: a
 * `/metrics` route on the app's framework (Express, Fastify, Koa, Hono, NestJS), or — for a
 * process without an HTTP app (cron schedulers, queue workers, scripts) — the module's
 * `startMetricsServer()`: a small `node:http` server on METRICS_PORT (default 9464, independent
 * of PORT) with prom-client's default process metrics.
 *
 * Offered for `uninstrumented-job` findings (after add-job-instrumentation, which adds the same
 * endpoint itself when the process has none); add-app-metrics uses the route builders here.
 * Safety: suggestion.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ts } from '../analysis/ts';
import type { Analyzer } from '../analysis/analyze';
import type { ProjectFile } from '../analysis/project';
import { isModuleExport } from '../analysis/values';
import type { FileEdit } from './edit';
import { defineFix, type FixContext } from './fix';
import { importInsertionPoint, relativeSpecifier } from './imports';
import { detectStyle, lineIndent, quote, restyle, type CodeStyle } from './style';

export type EndpointFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nest';

/** Does the project already serve its registry (a /metrics route, `registry.metrics()`, startMetricsServer)? */
export function hasMetricsEndpoint(analyzer: Analyzer): boolean {
  if (analyzer.inventory().routes.some((r) => /(^|\/)metrics$/.test(r.path))) return true;
  const linker = analyzer.linker;
  for (const file of analyzer.project.files.values()) {
    if (file.callsByName.has('startMetricsServer')) return true;
    for (const mc of file.methodCalls) {
      if (mc.method !== 'metrics' || mc.node.arguments.length !== 0) continue;
      for (const r of linker.refsOf(mc.receiver, file)) {
        if (isModuleExport(r.v, ['prom-client'], ['register'])) return true;
        if (r.v.k === 'new' && isModuleExport(r.v.callee, ['prom-client'], ['Registry'])) return true;
      }
      if (/metrics\(\)/.test(mc.node.getText(file.sf)) && /\b(register|registry|promRegister|promClient)\b/i.test(mc.receiver.getText(file.sf))) return true;
    }
  }
  return false;
}

/** Does the project serve HTTP at all (any route of a known framework)? */
export function hasHttpApp(analyzer: Analyzer): boolean {
  return analyzer.inventory().routes.length > 0;
}

/** The `/metrics` route for an app held in `app` (lines in two-space, single-quote style). */
export function metricsRouteLines(fw: EndpointFramework, app: string, registry: string): string[] {
  switch (fw) {
    case 'express': return [
      `${app}.get('/metrics', async (_req, res) => {`,
      `  res.set('Content-Type', ${registry}.contentType);`,
      `  res.end(await ${registry}.metrics());`,
      `});`,
    ];
    case 'fastify': return [
      `${app}.get('/metrics', async (_request, reply) => {`,
      `  reply.header('Content-Type', ${registry}.contentType);`,
      `  return ${registry}.metrics();`,
      `});`,
    ];
    case 'koa': return [
      `${app}.use(async (ctx, next) => {`,
      `  if (ctx.method !== 'GET' || ctx.path !== '/metrics') return next();`,
      `  ctx.set('Content-Type', ${registry}.contentType);`,
      `  ctx.body = await ${registry}.metrics();`,
      `});`,
    ];
    case 'hono': return [
      `${app}.get('/metrics', async (c) => c.body(await ${registry}.metrics(), 200, { 'Content-Type': ${registry}.contentType }));`,
    ];
    case 'nest': return [
      `const httpAdapter = ${app}.getHttpAdapter();`,
      `httpAdapter.get('/metrics', async (_req, res) => {`,
      `  httpAdapter.setHeader(res, 'Content-Type', ${registry}.contentType);`,
      `  httpAdapter.reply(res, await ${registry}.metrics(), 200);`,
      `});`,
    ];
  }
}

/** Statement lines inserted after `stmt` in `file`, indented like it. */
export function insertAfterStatement(file: ProjectFile, stmt: ts.Node, lines: string[], style: CodeStyle): FileEdit {
  const indent = lineIndent(file.sf.text, stmt.getStart(file.sf));
  const text = lines.map((l) => (l ? indent + restyle(l, style) : l)).join(style.eol);
  return { file: file.abs, start: stmt.getEnd(), end: stmt.getEnd(), newText: style.eol + text };
}

/** The top-level statement of `file` that contains `node`. */
export function topLevelStatement(file: ProjectFile, node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n.parent && ts.isSourceFile(n.parent)) return n as ts.Statement;
  return undefined;
}

/**
 * For a process without an HTTP app: `import './metrics-server';` in the job's file, and that
 * module (created next to the observability module, once) calls `startMetricsServer()` when it is
 * loaded — a side-effect import rather than a call among the job file's statements, so the
 * server starts before the jobs are scheduled, whatever the file's import order.
 */
export function metricsServerEdits(ctx: FixContext, file: ProjectFile): FileEdit[] {
  const style = file === ctx.file ? ctx.style : detectStyle(file.sf);
  const serverAbs = path.join(path.dirname(ctx.module.path), 'metrics-server' + path.extname(ctx.module.path));
  const edits: FileEdit[] = [];
  const exists = ctx.analyzer.project.files.has(serverAbs) || fs.existsSync(serverAbs);
  if (!exists) {
    const provided = ctx.module.provide('startMetricsServer');
    let spec = path.relative(path.dirname(serverAbs), provided.abs).split(path.sep).join('/');
    if (!spec.startsWith('.')) spec = './' + spec;
    spec = spec.replace(/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '') + (ctx.module.jsExtensions() ? '.js' : '');
    const cjs = /\.cjs$/.test(serverAbs) || (!/\.[cm]?tsx?$/.test(serverAbs) && style.module === 'cjs');
    const name = provided.exportName;
    const text = [
      `/**`,
      ` * Serves this process's Prometheus metrics at :METRICS_PORT/metrics (default 9464) for processes`,
      ` * without an HTTP app; job modules import it for that side effect. Added by Telltale.`,
      ` */`,
      cjs ? `const { ${name} } = require('${spec}');` : `import { ${name} } from '${spec}';`,
      ``,
      `${name}();`,
      ``,
    ].join('\n');
    edits.push({ file: serverAbs, start: 0, end: 0, newText: restyle(text, { ...style, indent: '  ', eol: '\n' }), create: true });
  }
  const spec = relativeSpecifier(file, serverAbs, ctx.module.jsExtensions());
  const line = style.module === 'cjs' ? `require(${quote(spec, style)});` : `import ${quote(spec, style)};`;
  if (file.sf.text.includes(`'${spec}'`) || file.sf.text.includes(`"${spec}"`)) return edits;
  const at = importInsertionPoint(file.sf);
  edits.push({ file: file.abs, start: at, end: at, newText: (at === 0 ? '' : style.eol) + restyle(line, style) + (at === 0 ? style.eol : '') });
  return edits;
}

export default defineFix({
  id: 'add-metrics-endpoint',
  for: ['uninstrumented-job'],
  safety: 'suggestion',
  title: (_f, ctx) => ctx && hasHttpApp(ctx.analyzer) ? 'Expose metrics at /metrics on the app' : 'Serve metrics on METRICS_PORT (default 9464) for this process',
  edits(ctx) {
    if (hasMetricsEndpoint(ctx.analyzer)) return undefined;
    if (!hasHttpApp(ctx.analyzer)) {
      const job = ctx.job;
      if (!job) return undefined;
      return metricsServerEdits(ctx, job.file);
    }
    // an HTTP app without /metrics: the route on the first app we can name
    for (const r of ctx.analyzer.details().routes) {
      const fw = r.entry.framework;
      if (!r.app || (fw !== 'express' && fw !== 'fastify' && fw !== 'koa' && fw !== 'hono')) continue;
      const target = appStatement(r.app.node);
      if (!target) continue;
      const file = r.app.file;
      const style = detectStyle(file.sf);
      const registry = ctx.module.use('registry', file, style);
      return [insertAfterStatement(file, target.stmt, metricsRouteLines(fw, target.name, registry), style)];
    }
    return undefined;
  },
});

/** `const app = express();` for the `express()` call: the statement and the variable. */
export function appStatement(node: ts.Node): { stmt: ts.Statement; name: string } | undefined {
  let n: ts.Node = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isAwaitExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  let name: string | undefined;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && p.initializer === n) name = p.name.text;
  else if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && (ts.isIdentifier(p.left) || ts.isPropertyAccessExpression(p.left))) name = p.left.getText();
  if (!name) return undefined;
  for (let s: ts.Node | undefined = p; s; s = s.parent) {
    if (ts.isVariableStatement(s) || ts.isExpressionStatement(s)) return { stmt: s, name };
    if (ts.isSourceFile(s) || ts.isBlock(s)) return undefined;
  }
  return undefined;
}
