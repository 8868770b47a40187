/**
 * Finds pino loggers that cannot be joined to traces: a project that creates OpenTelemetry spans
 * (`@opentelemetry/api` tracers, or an OpenTelemetry SDK / tracer provider) creates a logger with
 * `pino(…)` without a `mixin` (or a `formatters.log` / `hooks.logMethod`) that adds the active
 * span's `trace_id`/`span_id`, and without `@opentelemetry/instrumentation-pino` (registered
 * directly or through `@opentelemetry/auto-instrumentations-node`, in code or preloaded with
 * `--require`/`--import`), which injects them.
 *
 * Why: without the ids a log line cannot be found from the trace that shows a slow or failed
 * request, nor the trace from the error in the logs — the two signals stay apart exactly when they
 * are needed together. The guide's tracing recipe adds `trace_id`/`span_id` to every log event.
 * @invalid
 * ```ts
 * import pino from 'pino';
 * import { trace } from '@opentelemetry/api';
 * export const logger = pino({ level: 'info' });
 * //                    ^^^^ pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans
 * export const tracer = trace.getTracer('orders');
 * ```
 * @valid
 * ```ts
 * import pino from 'pino';
 * import { trace, context } from '@opentelemetry/api';
 * export const logger = pino({
 *   mixin() {
 *     const span = trace.getSpan(context.active());
 *     if (!span) return {};
 *     const { traceId, spanId } = span.spanContext();
 *     return { trace_id: traceId, span_id: spanId };
 *   },
 * });
 * export const tracer = trace.getTracer('orders');
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { ts, skipOuter, objectProperty } from '../ts';
import { defineRule } from '../rule';
import { normalizedPath } from '../values';
import type { Project, ProjectFile } from '../project';
import type { Linker } from '../link';

const SPAN_CALLS = ['startSpan', 'startActiveSpan', 'getTracer', 'getActiveSpan'];
const OTEL_TRACE_SDK = /^@opentelemetry\/(sdk-node|sdk-trace-node|sdk-trace-base|sdk-trace-web)$|^@vercel\/otel$/;
const PINO_INSTRUMENTATION = /^@opentelemetry\/(instrumentation-pino|auto-instrumentations-node)(\/.*)?$/;
const TRACE_WORDS = /trace|span/i;

export default defineRule({
  id: 'log-without-trace-context',
  category: 'coverage',
  severity: 'warning',
  description: 'pino logger without trace_id/span_id in a project that uses OpenTelemetry spans',
  fixes: ['add-log-trace-context'],
  check(ctx) {
    const project = ctx.project;
    const pinoFiles = [...project.files.values()].filter((f) => f.imports('pino'));
    if (!pinoFiles.length) return;
    const spans = spanEvidence(project);
    if (!spans) return;
    if (pinoInstrumented(project)) return;
    const linker = ctx.analysis.linker;
    for (const file of pinoFiles) {
      for (const call of pinoCreations(file)) {
        const verdict = traceContextOf(call, file, linker);
        if (verdict === 'ok') continue;
        const callee = call.expression;
        const msg = verdict === 'mixin'
          ? `pino logger's mixin adds no trace_id/span_id though the project creates OpenTelemetry spans`
          : `pino logger adds no trace_id/span_id (no mixin, no pino instrumentation) though the project creates OpenTelemetry spans`;
        ctx.report(file, callee, msg, { spansIn: spans.rel });
      }
    }
  },
});

/** A file that creates spans: @opentelemetry/api tracers, or an OpenTelemetry trace SDK. */
function spanEvidence(project: Project): ProjectFile | undefined {
  for (const f of project.files.values()) {
    if (f.imports('@opentelemetry/api') && SPAN_CALLS.some((c) => f.callsByName.has(c))) return f;
    for (const m of f.importedModules) if (OTEL_TRACE_SDK.test(m)) return f;
  }
  return undefined;
}

/** `@opentelemetry/instrumentation-pino` (or the auto-instrumentations bundle, pino not disabled), in code or preloaded. */
function pinoInstrumented(project: Project): boolean {
  const disabled = /['"]@opentelemetry\/instrumentation-pino['"]\s*:\s*\{[^}]*enabled\s*:\s*false/;
  for (const f of project.files.values()) {
    for (const m of f.importedModules) {
      if (PINO_INSTRUMENTATION.test(m) && !disabled.test(f.sf.text)) return true;
    }
  }
  const dirs = new Set<string>([project.root]);
  for (const f of project.files.values()) { dirs.add(path.dirname(f.abs)); if (dirs.size > 200) break; }
  for (const dir of dirs) {
    for (const name of ['package.json', 'Dockerfile', 'Procfile', 'docker-compose.yml', '.env']) {
      let text: string;
      try { text = fs.readFileSync(path.join(dir, name), 'utf8'); } catch { continue; }
      if (text.length > 512 * 1024) continue;
      if (/@opentelemetry\/(auto-instrumentations-node|instrumentation-pino)/.test(text) && !/OTEL_NODE_DISABLED_INSTRUMENTATIONS=[^\n]*pino/.test(text)) return true;
    }
  }
  return false;
}

/** `pino(…)`, `pino.default(…)`, `require('pino')(…)`, `import { pino } from 'pino'; pino(…)`. */
function pinoCreations(file: ProjectFile): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  for (const calls of file.callsByName.values()) {
    for (const c of calls) if (isPinoCallee(c.expression, file)) out.push(c);
  }
  // require('pino')(…) has no callee name
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isCallExpression(skipOuter(n.expression)) && isPinoCallee(n.expression, file)) out.push(n);
    ts.forEachChild(n, visit);
  };
  if (/require\(\s*['"]pino['"]\s*\)\s*\(/.test(file.sf.text)) visit(file.sf);
  return out;
}

function isPinoCallee(e: ts.Expression, file: ProjectFile): boolean {
  const v = file.valueOf(e);
  if (v.k !== 'module' || v.module !== 'pino') return false;
  const p = normalizedPath(v);
  return p.length === 0 || (p.length === 1 && p[0] === 'pino');
}

/** 'ok' when the options add trace context (or we cannot see them), 'mixin' when a visible mixin does not, 'none' when there is none. */
function traceContextOf(call: ts.CallExpression, file: ProjectFile, linker: Linker): 'ok' | 'mixin' | 'none' {
  const first = call.arguments[0];
  if (!first) return 'none';
  let options: ts.ObjectLiteralExpression | undefined;
  let optionsFile = file;
  const s = skipOuter(first);
  if (ts.isObjectLiteralExpression(s)) options = s;
  else {
    // pino(options) / pino(pino.destination()) / pino(config.logger)
    if (ts.isCallExpression(s)) {
      const v = file.valueOf(s.expression);
      if (v.k === 'module' && v.module === 'pino') return 'none'; // pino(pino.destination(…))
      return 'ok';
    }
    const refs = linker.refsOf(s, file);
    const obj = refs.find((r) => r.v.k === 'object');
    if (!obj || obj.v.k !== 'object') return 'ok';
    options = obj.v.node;
    optionsFile = obj.file;
  }
  if (options.properties.some((p) => ts.isSpreadAssignment(p))) return 'ok';
  const mixin = objectProperty(options, 'mixin') ?? methodOf(options, 'mixin');
  const formatters = objectProperty(options, 'formatters');
  const hooks = objectProperty(options, 'hooks');
  for (const extra of [formatters, hooks]) if (extra && TRACE_WORDS.test(extra.getText(optionsFile.sf))) return 'ok';
  for (const name of ['formatters', 'hooks']) { const m = methodOf(options, name); if (m && TRACE_WORDS.test(m.getText(optionsFile.sf))) return 'ok'; }
  if (!mixin) return 'none';
  const fns = ts.isMethodDeclaration(mixin) ? [{ fn: mixin, file: optionsFile }] : linker.functionsOf(mixin, optionsFile);
  if (!fns.length) return 'ok'; // defined where we cannot see it: trust it
  return fns.some((f) => f.fn.body && TRACE_WORDS.test(f.fn.body.getText(f.file.sf)) || (f.fn.body && callsProjectHelper(f.fn, f.file))) ? 'ok' : 'mixin';
}

/** `{ mixin() {…} }` */
function methodOf(o: ts.ObjectLiteralExpression, name: string): ts.MethodDeclaration | undefined {
  for (const p of o.properties) if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === name) return p;
  return undefined;
}

/** A mixin delegating to an imported helper (`mixin: () => traceFields()`) may add the ids: trust it. */
function callsProjectHelper(fn: ts.FunctionLikeDeclaration, file: ProjectFile): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
      const d = file.values.declarationOf(n.expression);
      if (d && (ts.isImportSpecifier(d) || ts.isImportClause(d))) found = true;
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
