/**
 * Finds personal data and secrets written to logs, metric labels and span attributes: a log call
 * (pino, winston, bunyan, log4js, console, the Nest `Logger`, Fastify's `request.log`, a
 * `logger`) that writes a request body or the request headers whole, a whole user object, or a
 * field named like `password`, `passwd`, `secret`, `token`, `apiKey`, `authorization`, `cookie`,
 * `ssn`, `creditCard`, `cardNumber`, `email`, `phone` — as an object key, a variable, a member
 * (`req.body.password`, `user.email`), inside a template or a concatenation, or through local
 * variables; the same values given as metric labels or span attributes
 * (`span.setAttribute('user.email', …)`).
 *
 * Why: logs, metrics and traces are copied to many systems and kept for months, readable by far
 * more people than the database; a password or a session token there is a breach, and personal
 * data there must be found and erased on request (GDPR). The guide: "mask PII".
 * @option fields Sensitive field names (replaces the default list). A name matches when it
 *   contains an entry as whole words (`userEmail`, `x-api-key`, `refresh_token`, `phoneNumber`).
 * @option extraFields More sensitive field names, added to `fields`.
 * @notes Not reported: redacted values (`mask(email)`, `'[redacted]'`, `!!token`,
 * `token.length`), names that only contain a sensitive word (`emailVerified`, `tokenCount`,
 * `nextPageToken`, `promptTokens`), fields a pino logger's `redact` option removes, and loggers
 * whose configuration masks or redacts in a way we cannot read.
 * @invalid
 * ```ts
 * import pino from 'pino';
 * const logger = pino();
 * export function login(body: { email: string; password: string }) {
 *   logger.info({ email: body.email, password: body.password }, 'login attempt');
 *   //            ^^^^^ Field email is written to the log by logger.info (pino)
 *   //                               ^^^^^^^^ Field password is written to the log by logger.info (pino)
 * }
 * ```
 * @invalid
 * ```ts
 * import express from 'express';
 * const app = express();
 * app.post('/signup', (req, res) => {
 *   console.log('signup', req.body);
 *   //                    ^^^^^^^^ Request body req.body is written whole to the log by console.log
 *   res.end();
 * });
 * ```
 * @valid
 * ```ts
 * import pino from 'pino';
 * const logger = pino({ redact: ['password'] });
 * export function login(user: { id: string; emailVerified: boolean }, password: string) {
 *   logger.info({ userId: user.id, emailVerified: user.emailVerified, hasPassword: !!password, password }, 'login');
 * }
 * ```
 */
import { ts, skipOuter } from '../ts';
import { defineRule, type RuleContext } from '../rule';
import { LOG_METHODS, hasDynamicArgument, isOutsideServerCode, matchLogCall, redactionOf, type LogCall } from '../loggers';
import { labelSitesOf, mayHaveLabels } from '../labels';
import { isSafeValue, piiHits, piiNameMatcher, type PiiHit } from '../taint';
import { stringOf } from '../strings';
import type { ProjectFile } from '../project';

export interface PiiInLogOptions {
  fields: string[];
  extraFields: string[];
}

export const DEFAULT_PII_FIELDS = ['password', 'passwd', 'secret', 'token', 'apiKey', 'authorization', 'cookie', 'setCookie', 'ssn', 'creditCard', 'cardNumber', 'cvv', 'email', 'phone', 'privateKey', 'accessKey'];

const SPAN_METHODS = new Set(['setAttribute', 'setAttributes', 'addEvent', 'setTag', 'addTags']);
const SPAN_START = new Set(['startSpan', 'startActiveSpan']);
const TRACING_MODULE = /^(@opentelemetry\/|dd-trace$|@sentry\/|@vercel\/otel$|@autotelic\/)/;

const matchers = new WeakMap<object, (name: string) => string | undefined>();

function matcherOf(options: PiiInLogOptions): (name: string) => string | undefined {
  let m = matchers.get(options);
  if (!m) {
    const list = [...(Array.isArray(options.fields) ? options.fields : DEFAULT_PII_FIELDS), ...(Array.isArray(options.extraFields) ? options.extraFields : [])].filter((x) => typeof x === 'string');
    m = piiNameMatcher(list);
    matchers.set(options, m);
  }
  return m;
}

function describeHit(h: PiiHit): string {
  switch (h.kind) {
    case 'body': return `Request body ${h.field} is written whole`;
    case 'headers': return `Request headers ${h.field} are written whole`;
    case 'user': return `User object ${h.field} is written whole`;
    default: return `Field ${h.field} is written`;
  }
}

function isTracingFile(file: ProjectFile): boolean {
  for (const m of file.importedModules) if (TRACING_MODULE.test(m)) return true;
  return false;
}

export default defineRule<PiiInLogOptions>({
  id: 'pii-in-log',
  category: 'privacy',
  severity: 'warning',
  description: 'Personal data or secrets written to logs, metric labels or span attributes',
  fixes: ['redact-log-field'],
  defaultOptions: { fields: DEFAULT_PII_FIELDS, extraFields: [] },
  appliesTo(file) {
    for (const m of LOG_METHODS) if (file.callsByName.has(m)) return true;
    for (const m of SPAN_METHODS) if (file.callsByName.has(m)) return true;
    return mayHaveLabels(file);
  },
  visit: {
    [ts.SyntaxKind.SourceFile](_sf, ctx) {
      const isPii = matcherOf(ctx.options);
      const reported = new Set<ts.Node>();
      const report = (h: PiiHit, sink: string, data: Record<string, unknown>) => {
        if (reported.has(h.node)) return;
        reported.add(h.node);
        ctx.report(h.node, `${describeHit(h)} ${sink}`, { field: h.field, kind: h.kind, ...data });
      };
      const tracing = isTracingFile(ctx.file);
      for (const mc of ctx.file.methodCalls) {
        if (LOG_METHODS.has(mc.method)) {
          if (!hasDynamicArgument(mc.node)) continue;
          const log = matchLogCall(mc.node, ctx.file, ctx.linker);
          if (log) checkLog(log, ctx, isPii, report);
        } else if (tracing && (SPAN_METHODS.has(mc.method) || SPAN_START.has(mc.method))) {
          checkSpan(mc.node, mc.method, mc.receiver, ctx, isPii, report);
        }
      }
      if (mayHaveLabels(ctx.file)) {
        for (const site of labelSitesOf(ctx.file, ctx.linker).sites) {
          const sink = `to label ${site.label ?? '(unnamed)'} of metric ${site.metric.name}`;
          if (site.label && isPii(site.label) && !isSafeValue(site.value, ctx.file)) {
            report({ kind: 'field', field: site.label, node: site.keyNode ?? site.value }, sink, { sink: 'metric', metric: site.metric.name });
            continue;
          }
          for (const h of piiHits(site.value, ctx.file, isPii)) if (h.kind === 'field') report(h, sink, { sink: 'metric', metric: site.metric.name });
        }
      }
    },
  },
});

type Reporter = (h: PiiHit, sink: string, data: Record<string, unknown>) => void;

function checkLog(log: LogCall, ctx: RuleContext<PiiInLogOptions>, isPii: (n: string) => string | undefined, report: Reporter): void {
  // console in a browser, a CLI or a script prints to a person, not to a log store
  if (log.library === 'console' && isOutsideServerCode(ctx.file)) return;
  const redaction = redactionOf(log);
  if (redaction?.unknown) return;
  const sink = `to the log by ${log.label}${log.library === 'console' || log.library === 'logger' ? '' : ` (${log.library})`}`;
  for (const arg of log.written) {
    for (const h of piiHits(arg, ctx.file, isPii)) {
      if (redaction && (h.kind !== 'field' || redacts(redaction.paths, h))) continue;
      report(h, sink, { sink: 'log', logger: log.library });
    }
  }
}

/** Does a pino `redact` path list remove this field? (`password`, `*.password`, `req.headers.authorization`…) */
function redacts(paths: string[], h: PiiHit): boolean {
  const name = (h.field.split(' (')[0].split(/[.[\]'"]+/).filter(Boolean).pop() ?? h.field).toLowerCase();
  return paths.some((p) => {
    const last = p.split(/[.[\]'"]+/).filter(Boolean).pop()?.toLowerCase();
    return last === name || last === '*';
  });
}

function checkSpan(call: ts.CallExpression, method: string, receiver: ts.Expression, ctx: RuleContext<PiiInLogOptions>, isPii: (n: string) => string | undefined, report: Reporter): void {
  const args = call.arguments;
  const file = ctx.file;
  if (SPAN_START.has(method)) {
    // tracer.startSpan(name, { attributes: {...} })
    for (const a of args.slice(1)) {
      const o = skipOuter(a);
      if (!ts.isObjectLiteralExpression(o)) continue;
      for (const p of o.properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'attributes') {
          for (const h of piiHits(p.initializer, file, isPii)) if (h.kind === 'field') report(h, 'to span attributes', { sink: 'span' });
        }
      }
    }
    return;
  }
  if (!isSpanReceiver(receiver, ctx)) return;
  if ((method === 'setAttribute' || method === 'setTag') && args.length >= 2) {
    const key = stringOf(args[0], file, ctx.linker);
    const sink = `to span attribute ${key ?? args[0].getText(file.sf)}`;
    if (key && isPii(key) && !isSafeValue(args[1], file)) { report({ kind: 'field', field: key, node: args[0] }, sink, { sink: 'span', attribute: key }); return; }
    for (const h of piiHits(args[1], file, isPii)) report(h, sink, { sink: 'span', attribute: key });
    return;
  }
  const attrs = method === 'addEvent' ? args[1] : args[0];
  if (!attrs) return;
  for (const h of piiHits(attrs, file, isPii)) report(h, `to span attributes by ${receiver.getText(file.sf)}.${method}`, { sink: 'span' });
}

/** A span: named so, or made by startSpan / getActiveSpan, or the callback parameter of startActiveSpan. */
function isSpanReceiver(receiver: ts.Expression, ctx: RuleContext<PiiInLogOptions>): boolean {
  const r = skipOuter(receiver);
  const text = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : ts.isCallExpression(r) ? r.expression.getText(ctx.file.sf) : '';
  if (/span/i.test(text)) return true;
  for (const ref of ctx.linker.refsOf(r, ctx.file)) {
    const v = ref.v;
    if (v.k === 'call' && v.callee.k === 'member' && /^(startSpan|getActiveSpan|getSpan|startInactiveSpan|scope)$/.test(v.callee.name)) return true;
    if (v.k === 'call' && v.callee.k === 'module' && /^(getActiveSpan|getSpan)$/.test(v.callee.path[v.callee.path.length - 1] ?? '')) return true;
    if (v.k === 'param') {
      const fn = v.fn;
      const parent = fn.parent;
      if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'startActiveSpan') return true;
    }
  }
  return false;
}
