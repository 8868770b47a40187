/**
 * Finds unstructured logging in server and job code: `console.log/info/warn/error/debug`, and
 * structured loggers (pino, winston, bunyan, Nest `Logger`, `logger`) given a message built by
 * interpolation or concatenation (`` logger.info(`order ${id} paid by ${userId}`) ``) with no
 * fields. Server and job code is a file with a route or job, a file whose handlers they are, a
 * file importing a server or job framework (Express, Fastify, Koa, Hono, NestJS, BullMQ, cron…),
 * and every project file these import.
 *
 * Why: a log line is only useful in production if it can be searched and aggregated by its
 * values — `{"orderId": "o-1", "msg": "order paid"}` can be filtered by order, counted per
 * status and joined to traces; `order o-1 paid by u-7` cannot, and `console.log` has no level,
 * no timestamp and no request context. The guide: "keep logs structured".
 * @notes Not reported: CLIs and scripts (a shebang, commander/yargs, `scripts/`, `bin/`), tests,
 * configuration files, browser code (React/Vue/Svelte imports, `'use client'`, `.tsx`/`.jsx`),
 * a logger's own implementation (`console.log(JSON.stringify({...}))`, a `log`/`info` method, a
 * `logger.ts`), messages with fields next to them, constant templates and printf-style messages.
 * @invalid
 * ```ts
 * import express from 'express';
 * const app = express();
 * app.get('/orders/:id', (req, res) => {
 *   console.log('loading order', req.params.id);
 * //^^^^^^^^^^^ console.log writes unstructured text in server code
 *   res.end();
 * });
 * ```
 * @invalid
 * ```ts
 * import express from 'express';
 * import pino from 'pino';
 * const logger = pino();
 * const app = express();
 * app.post('/orders/:id/pay', (req, res) => {
 *   logger.info(`order ${req.params.id} paid`);
 *   //          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Log message of logger.info interpolates req.params.id instead of passing it as a field
 *   res.end();
 * });
 * ```
 * @valid
 * ```ts
 * import express from 'express';
 * import pino from 'pino';
 * const logger = pino();
 * const app = express();
 * app.post('/orders/:id/pay', (req, res) => {
 *   logger.info({ orderId: req.params.id }, 'order paid');
 *   res.end();
 * });
 * ```
 */
import path from 'node:path';
import { ts, skipOuter, isFunctionLike, propertyNameText } from '../ts';
import { defineRule } from '../rule';
import { LOG_METHODS, SERVER_MODULES, hasBuiltMessage, isOutsideServerCode, matchLogCall, type LogCall } from '../loggers';
import { stringOf } from '../strings';
import type { Project, ProjectFile } from '../project';
import type { Computed } from '../analyze';
import type { Linker } from '../link';

const LOGGER_FILE = /^(logger|logging|log|logs|logger\.service|log\.service)$/i;
/** Startup lines (`listening on ${PORT}`, `${config.host}:${config.port}`, Nest's `${await app.getUrl()}`): configuration, not event data. */
const CONFIG_PART = /^(?:await\s+)?(process\.env\.\w+|[A-Z][A-Z0-9_]*|([\w$]+\.)*(port|host|hostname|address|addr|url|baseUrl|env|environment|mode|version|nodeEnv|NODE_ENV)|([\w$]+\.)*[A-Z][A-Z0-9_]*|([\w$]+\.)*(getUrl|address)\(\))$/;
const LEVEL_NAMES = new Set([...LOG_METHODS, 'write', 'print', 'emit', 'output']);

export default defineRule({
  id: 'unstructured-log',
  category: 'coverage',
  severity: 'info',
  description: 'console.* or interpolated log messages in server or job code',
  fixes: ['use-structured-logger'],
  check(ctx) {
    const linker = ctx.analysis.linker;
    for (const file of serverFiles(ctx.project, ctx.analysis, linker)) {
      for (const mc of file.methodCalls) {
        if (!LOG_METHODS.has(mc.method)) continue;
        const isConsole = ts.isIdentifier(mc.receiver) && mc.receiver.text === 'console';
        if (!isConsole && !hasBuiltMessage(mc.node)) continue;
        const log = matchLogCall(mc.node, file, linker);
        if (!log) continue;
        if (log.library === 'console') {
          if (isLoggerImplementation(mc.node, file) || log.written.some(isJsonLine)) continue;
          ctx.report(file, mc.node.expression, `${log.label} writes unstructured text in server code`, { logger: 'console', method: log.method });
          continue;
        }
        const parts = interpolatedParts(log, file, linker);
        if (!parts || log.fields.length || parts.every((p) => CONFIG_PART.test(p))) continue;
        const shown = parts.slice(0, 3).join(', ') + (parts.length > 3 ? ', …' : '');
        ctx.report(file, log.message!, `Log message of ${log.label} interpolates ${shown} instead of passing ${parts.length > 1 ? 'them as fields' : 'it as a field'}`,
          { logger: log.library, method: log.method, parts });
      }
    }
  },
});

/** The non-constant parts of a template or concatenation message, or undefined when it is constant or not built. */
function interpolatedParts(log: LogCall, file: ProjectFile, linker: Linker): string[] | undefined {
  const m = log.message && skipOuter(log.message);
  if (!m) return undefined;
  const parts: string[] = [];
  const add = (e: ts.Expression) => {
    if (stringOf(e, file, linker) !== undefined) return;
    const s = skipOuter(e);
    if (ts.isNumericLiteral(s)) return;
    const t = s.getText(file.sf).replace(/\s+/g, ' ');
    parts.push(t.length > 30 ? t.slice(0, 27) + '…' : t);
  };
  if (ts.isTemplateExpression(m)) for (const span of m.templateSpans) add(span.expression);
  else if (ts.isBinaryExpression(m) && m.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const flat: ts.Expression[] = [];
    const visit = (e: ts.Expression) => {
      const s = skipOuter(e);
      if (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken) { visit(s.left); visit(s.right); } else flat.push(s);
    };
    visit(m);
    for (const e of flat) if (!ts.isStringLiteralLike(e)) add(e);
  } else return undefined;
  return parts.length ? parts : undefined;
}

/** `console.log(JSON.stringify({ level, msg, ... }))`: a hand-rolled structured line. */
function isJsonLine(e: ts.Expression): boolean {
  const s = skipOuter(e);
  return ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression) && ts.isIdentifier(s.expression.expression) &&
    s.expression.expression.text === 'JSON' && s.expression.name.text === 'stringify';
}

/** A console call inside a logger's own implementation (`info(msg) { console.log(…) }` in logger.ts, a `log` method). */
function isLoggerImplementation(call: ts.Node, file: ProjectFile): boolean {
  const base = path.basename(file.rel).replace(/\.[cm]?[jt]sx?$/, '');
  if (LOGGER_FILE.test(base)) return true;
  for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
    if (!isFunctionLike(n)) continue;
    let name: string | undefined;
    if ((ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) && n.name) name = propertyNameText(n.name as ts.PropertyName);
    if (!name && ts.isPropertyAssignment(n.parent)) name = propertyNameText(n.parent.name);
    if (!name && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) name = n.parent.name.text;
    if (name && LEVEL_NAMES.has(name)) return true;
    if (ts.isClassLike(n.parent) && /Log/.test(n.parent.name?.text ?? '')) return true;
  }
  return false;
}

/** Per analysis (recomputed after every edit; the linker outlives edits, so it cannot be the key). */
const serverMemo = new WeakMap<Computed, ProjectFile[]>();

/** Server and job code: files with routes/jobs or their handlers, files importing a framework, and what they import. */
export function serverFiles(project: Project, analysis: Computed, linker: Linker): ProjectFile[] {
  const memo = serverMemo.get(analysis);
  if (memo) return memo;
  const anchored = new Set<ProjectFile>();
  const seeds = new Set<ProjectFile>();
  for (const d of [...analysis.routes, ...analysis.jobs]) {
    anchored.add(d.file);
    seeds.add(d.file);
    if (d.handler) for (const fn of linker.functionsOf(d.handler, d.file)) seeds.add(fn.file);
  }
  for (const f of project.files.values()) {
    for (const m of f.importedModules) if (SERVER_MODULES.test(m)) { seeds.add(f); break; }
  }
  const reached = new Set<ProjectFile>();
  const queue = [...seeds];
  while (queue.length) {
    const f = queue.pop()!;
    if (reached.has(f)) continue;
    if (!anchored.has(f) && isOutsideServerCode(f)) continue;
    reached.add(f);
    for (const spec of f.importedModules) {
      const t = project.resolveModule(spec, f.abs);
      if (t && !reached.has(t)) queue.push(t);
    }
  }
  const out = [...reached].filter((f) => anchored.has(f) || !isOutsideServerCode(f));
  serverMemo.set(analysis, out);
  return out;
}
