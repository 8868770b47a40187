/**
 * Finds tracing spans that are not ended on every path: a span from `tracer.startSpan()` (or
 * `startInactiveSpan`) kept in a local variable and not ended before an early `return`, a `throw`,
 * the end of a `catch` that handles the error, a `continue`, or the end of the function; spans
 * started and discarded; and `tracer.startActiveSpan(name, fn)` callbacks that do not end their span.
 *
 * A span counts as ended by `span.end()` (or `span.finish()`, for OpenTracing/dd-trace spans) in
 * the code path, in a `finally` block, in a callback registered on the way
 * (`res.on('finish', () => span.end())`, `promise.finally(() => span.end())`), or in a local
 * helper that is called (`const done = () => span.end()`).
 * Why: an unended span is never exported: the trace shows a gap exactly where the request failed
 * or returned early, and the span's memory is held until the process exits. End spans in `finally`.
 * @notes
 * Not reported: spans returned to the caller, stored (`this.span = …`, `map.set(id, span)`) or passed
 * to another function that may end them (`finishSpan(span)`, a library call), which then owns them.
 * Passing a span to a project helper that only reads it (`recordError(span, err)`), or to a
 * caller-supplied callback while this function also ends it somewhere (`await fn(span)` in a
 * tracing wrapper), keeps the ownership here; `startActiveSpan` and `startSpan`
 * methods of the project's own wrappers (the wrapper is analysed where it calls the tracer);
 * Sentry's `startSpan(ctx, callback)` and v7 `startActiveSpan`, which end the span themselves.
 *
 * An exception thrown by a call between start and end is only followed into a `catch` of the same
 * function (where the code expects it); a span is not reported merely because some call might
 * throw, but ending it in `finally` is still the robust form.
 * @invalid
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * const tracer = trace.getTracer('orders');
 * export async function getOrder(id: string, db: { find(id: string): Promise<unknown> }) {
 *   const span = tracer.startSpan('getOrder');
 * //                    ^^^^^^^^^ Span 'getOrder' is not ended on the return at line 5
 *   if (!id) return null;
 *   const order = await db.find(id);
 *   span.end();
 *   return order;
 * }
 * ```
 * @invalid
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * const tracer = trace.getTracer('jobs');
 * export function run(job: () => Promise<void>) {
 *   return tracer.startActiveSpan('run', async (span) => {
 * //              ^^^^^^^^^^^^^^^ Span 'run' is never ended
 *     span.setAttribute('job', 'sync');
 *     await job();
 *   });
 * }
 * ```
 * @valid
 * ```ts
 * import { trace, SpanStatusCode } from '@opentelemetry/api';
 * const tracer = trace.getTracer('orders');
 * export async function getOrder(id: string, db: { find(id: string): Promise<unknown> }) {
 *   const span = tracer.startSpan('getOrder');
 *   try {
 *     if (!id) return null;
 *     return await db.find(id);
 *   } catch (err) {
 *     span.recordException(err as Error);
 *     span.setStatus({ code: SpanStatusCode.ERROR });
 *     throw err;
 *   } finally {
 *     span.end();
 *   }
 * }
 * ```
 * @valid the span is handed to the caller
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * export function begin(name: string) {
 *   const span = trace.getTracer('app').startSpan(name);
 *   return span;
 * }
 * ```
 */
import { ts, skipOuter, isFunctionLike, memberName } from '../ts';
import { defineRule, type RuleContext } from '../rule';
import { findLeaks, type Leak } from '../flow';
import { stringOf } from '../strings';
import type { ProjectFile } from '../project';

const START_SPAN = new Set(['startSpan', 'startInactiveSpan']);
const START_ACTIVE = new Set(['startActiveSpan', 'startSpanManual']);
const END_METHODS = new Set(['end', 'finish']);
/** Calls that take a span without owning it (it still has to be ended here). */
const NON_OWNING = new Set(['setSpan', 'setSpanContext', 'wrapSpanContext']);

export default defineRule({
  id: 'span-not-ended',
  category: 'correctness',
  severity: 'warning',
  description: 'Span not ended on every path',
  fixes: ['end-span-in-finally'],
  appliesTo: (file) => file.callsByName.has('startSpan') || file.callsByName.has('startActiveSpan') ||
    file.callsByName.has('startInactiveSpan') || file.callsByName.has('startSpanManual'),
  visit: {
    [ts.SyntaxKind.CallExpression](call, ctx) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee)) return;
      const method = callee.name.text;
      if (!START_SPAN.has(method) && !START_ACTIVE.has(method)) return;
      // The project's own wrapper (`this.tracing.startActiveSpan(name, fn)` that ends the span itself)
      if (ctx.linker.functionsOf(callee, ctx.file).length) return;
      const label = spanLabel(call, ctx);
      if (START_SPAN.has(method)) {
        if (call.arguments.some((a) => isFunctionLike(skipOuter(a)))) return; // callback API (Sentry startSpan)
        let use: ts.Node = call;
        while (use.parent && (ts.isParenthesizedExpression(use.parent) || ts.isAsExpression(use.parent) || ts.isNonNullExpression(use.parent) || ts.isSatisfiesExpression(use.parent))) use = use.parent;
        const parent = use.parent;
        if (ts.isExpressionStatement(parent)) {
          ctx.report(callee.name, `Span ${label} is started but never ended (the span is discarded)`);
          return;
        }
        if (!ts.isVariableDeclaration(parent) || parent.initializer !== use || !ts.isIdentifier(parent.name)) return;
        const container = bodyOf(parent);
        if (!container) return;
        const leak = analyse(parent, container.statements, call, ctx);
        if (leak) ctx.report(callee.name, message(label, leak, ctx));
        return;
      }
      // startActiveSpan(name, [options], [context], fn)
      const recv = ctx.file.valueOf(callee.expression);
      if (recv.k === 'module' && recv.module.startsWith('@sentry/')) return;
      for (const r of ctx.linker.refsOf(callee.expression, ctx.file)) {
        if (r.v.k === 'module' && r.v.module.startsWith('@sentry/')) return;
      }
      const last = call.arguments[call.arguments.length - 1];
      if (!last) return;
      const fn = skipOuter(last);
      if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return;
      const param = fn.parameters[0];
      if (param && !ts.isIdentifier(param.name)) return;
      if (!param) {
        if (containsCall(fn.body, 'getActiveSpan') || containsCall(fn.body, 'getSpan')) return;
        ctx.report(callee.name, `Span ${label} is never ended (the callback does not take the span)`);
        return;
      }
      let leak: Leak | 'never' | undefined;
      if (ts.isBlock(fn.body)) leak = analyse(param, fn.body.statements, undefined, ctx);
      else {
        const t = tracker(param, fn, ctx);
        if (t.escapes) return;
        leak = t.releases(fn.body) ? undefined : 'never';
      }
      if (leak) ctx.report(callee.name, message(label, leak, ctx));
    },
  },
});

function spanLabel(call: ts.CallExpression, ctx: RuleContext): string {
  const arg = call.arguments[0];
  const name = stringOf(arg, ctx.file, ctx.linker);
  if (name !== undefined) return `'${name}'`;
  // a computed name: show the expression
  const text = arg ? arg.getText(ctx.file.sf).replace(/\s+/g, ' ') : '';
  return text && text.length <= 40 && !text.includes('`') ? `\`${text}\`` : '(unnamed)';
}

function message(label: string, leak: Leak | 'never', ctx: RuleContext): string {
  if (leak === 'never') return `Span ${label} is never ended`;
  const line = leak.node ? ctx.file.position(leak.node).line : undefined;
  switch (leak.kind) {
    case 'return': return `Span ${label} is not ended on the return at line ${line}`;
    case 'throw': return `Span ${label} is not ended when the error is thrown at line ${line}`;
    case 'continue': return `Span ${label} is not ended before the continue at line ${line}`;
    case 'break': return `Span ${label} is not ended before the break at line ${line}`;
    case 'iteration': return `Span ${label} is not ended at the end of each loop iteration`;
    case 'end':
      if (leak.via) return `Span ${label} is not ended when the catch at line ${ctx.file.position(leak.via).line} handles an error`;
      return `Span ${label} is not ended on every path to the end of the function`;
  }
}

/** The statements of the function (or file) a variable is declared in. */
function bodyOf(decl: ts.VariableDeclaration): { statements: readonly ts.Statement[] } | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (isFunctionLike(n)) return n.body && ts.isBlock(n.body) ? n.body : undefined;
    if (ts.isSourceFile(n)) return n;
    if (ts.isClassStaticBlockDeclaration(n)) return n.body;
  }
  return undefined;
}

/** First leak on a path, 'never' when nothing ends the span at all, undefined when fine or the span escapes. */
function analyse(decl: ts.VariableDeclaration | ts.ParameterDeclaration, statements: readonly ts.Statement[], creation: ts.Node | undefined, ctx: RuleContext): Leak | 'never' | undefined {
  const root = statements[0]?.parent;
  if (!root) return creation ? undefined : 'never';
  const t = tracker(decl, root, ctx);
  if (t.escapes) return undefined;
  if (!t.everReleased) return 'never';
  const leaks = findLeaks({ body: statements, creation, releases: t.releases, guard: t.guard });
  return leaks[0];
}

interface Tracker {
  escapes: boolean;
  everReleased: boolean;
  releases(node: ts.Node): boolean;
  guard(cond: ts.Expression): 'present' | 'absent' | undefined;
}

/** How a span variable is used in its function: escapes, which nodes end it, and which local helpers end it. */
function tracker(decl: ts.VariableDeclaration | ts.ParameterDeclaration, root: ts.Node, ctx: RuleContext): Tracker {
  const name = (decl.name as ts.Identifier).text;
  const values = ctx.file.values;
  const isSpan = (n: ts.Node): n is ts.Identifier => ts.isIdentifier(n) && n.text === name && values.declarationOf(n) === decl;
  let escapes = false;
  let handedToCallback = false;
  /** Local helpers (`const done = () => span.end()`, `function done() { span.end() }`) by declaration. */
  const helpers = new Set<ts.Node>();
  const endCalls: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && isSpan(n) && n !== decl.name) {
      const use = escapesAt(n, ctx);
      if (use === 'escapes') escapes = true;
      else if (use === 'callback') handedToCallback = true;
    }
    if (ts.isCallExpression(n) && isEndCall(n, isSpan)) endCalls.push(n);
    ts.forEachChild(n, visit);
  };
  visit(root);
  // a function holding an end call, declared as a local helper, makes its calls end the span
  for (const c of endCalls) {
    for (let p: ts.Node = c.parent; p && p !== root; p = p.parent) {
      if (!isFunctionLike(p)) continue;
      if (ts.isFunctionDeclaration(p)) helpers.add(p);
      else if (ts.isVariableDeclaration(p.parent) && p.parent.initializer && skipOuter(p.parent.initializer) === p) helpers.add(p.parent);
      break;
    }
  }
  const isHelperDefinition = (fn: ts.Node): boolean =>
    ts.isFunctionDeclaration(fn) || (ts.isVariableDeclaration(fn.parent) && helpers.has(fn.parent));
  const releases = (node: ts.Node): boolean => {
    let found = false;
    const walk = (n: ts.Node): void => {
      if (found) return;
      if (isFunctionLike(n) && n !== node && isHelperDefinition(n)) return; // defining a helper does not call it
      if (ts.isCallExpression(n)) {
        if (isEndCall(n, isSpan)) { found = true; return; }
        const c = skipOuter(n.expression);
        if (ts.isIdentifier(c)) {
          const d = values.declarationOf(c);
          if (d && helpers.has(d)) { found = true; return; }
        }
      }
      ts.forEachChild(n, walk);
    };
    walk(node);
    return found;
  };
  const guard = (cond: ts.Expression): 'present' | 'absent' | undefined => {
    if (isSpan(cond)) return 'present';
    if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken && isSpan(skipOuter(cond.operand))) return 'absent';
    return undefined;
  };
  // handed to a caller-supplied callback: the callback owns it unless this function ends it somewhere
  if (handedToCallback && endCalls.length === 0) escapes = true;
  return { escapes, everReleased: endCalls.length > 0, releases, guard };
}

function isEndCall(call: ts.CallExpression, isSpan: (n: ts.Node) => boolean): boolean {
  const c = call.expression;
  const name = memberName(c);
  return name !== undefined && END_METHODS.has(name) && (ts.isPropertyAccessExpression(c) || ts.isElementAccessExpression(c)) && isSpan(skipOuter(c.expression));
}

/**
 * Is this use of the span variable one that hands it to someone else (return, store, pass)?
 * 'callback': passed to a function received as a parameter (a wrapper's user callback);
 * passing it to a project helper that only reads it (`recordError(span, err)`) is not an escape.
 */
function escapesAt(id: ts.Identifier, ctx: RuleContext): 'escapes' | 'callback' | undefined {
  const use = useOf(id);
  if (use !== 'argument') return use ? 'escapes' : undefined;
  let n: ts.Node = id;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const call = n.parent as ts.CallExpression;
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) {
    const d = ctx.file.values.declarationOf(callee);
    if (d && ts.isParameter(d)) return 'callback';
  }
  const fns = ctx.linker.functionsOf(callee, ctx.file);
  const index = call.arguments.indexOf(n as ts.Expression);
  if (fns.length && fns.every((f) => !takesOwnership(f.fn, index, f.file.values))) return undefined;
  return 'escapes';
}

/** Does a project function end, store, return or pass on its `index`-th parameter? (conservatively yes) */
function takesOwnership(fn: ts.FunctionLikeDeclaration, index: number, values: ProjectFile['values']): boolean {
  const param = fn.parameters[index];
  if (!param || !ts.isIdentifier(param.name) || !fn.body || param.dotDotDotToken) return true;
  const name = param.name.text;
  let owns = false;
  const visit = (n: ts.Node): void => {
    if (owns) return;
    if (ts.isIdentifier(n) && n.text === name && n !== param.name && values.declarationOf(n) === param) {
      const p = n.parent;
      if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) {
        const m = memberName(p);
        if (m && END_METHODS.has(m)) owns = true;
      } else if (useOf(n) !== undefined) owns = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return owns;
}

/** How a reference uses the span: undefined for reads (members, tests), 'argument' when passed to a call, else 'other'. */
function useOf(id: ts.Identifier): 'argument' | 'other' | undefined {
  let n: ts.Node = id;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) return undefined;
  if (ts.isPrefixUnaryExpression(p) || ts.isTypeOfExpression(p)) return undefined;
  if (ts.isIfStatement(p) || ts.isWhileStatement(p)) return undefined;
  if (ts.isConditionalExpression(p) && p.condition === n) return undefined;
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.InstanceOfKeyword) return undefined;
    if ((op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) && p.left === n) return undefined;
  }
  if (ts.isCallExpression(p) && p.expression !== n) {
    const name = memberName(p.expression) ?? (ts.isIdentifier(p.expression) ? p.expression.text : undefined);
    if (name && NON_OWNING.has(name)) return undefined;
    return 'argument';
  }
  return 'other';
}

function containsCall(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && (memberName(n.expression) === name || (ts.isIdentifier(n.expression) && n.expression.text === name))) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}
