/**
 * Finds prom-client metrics (`new Counter/Gauge/Histogram/Summary`) and OpenTelemetry instruments
 * (`meter.createCounter/createHistogram/…`) constructed inside code that runs per request or per
 * job run: a route handler, a job body, request middleware (`(req, res, next)`, `(ctx, next)`,
 * GraphQL resolvers, Nest interceptors and guards), any project function they call (followed
 * through imports, methods and injected services, a few calls deep), and fields or constructors of
 * classes instantiated there.
 * Why: a metric is meant to be created once and updated per request. Created per call, prom-client
 * throws `A metric with the name … has already been registered` on the second request (the request
 * fails, often inside a `catch` that hides it); with a private registry every call leaks a new
 * metric object; an OpenTelemetry SDK logs a duplicate-instrument warning per call. Create the
 * metric at module level (or once in a provider) and call `inc`/`observe`/`add` in the handler.
 * @notes
 * Not reported: module-level metrics; class fields and constructors of classes that are not
 * instantiated per call (Nest providers are created once by the container); factories called once
 * at start-up; memoized creation (`register.getSingleMetric(name) ?? new Counter(…)`,
 * `if (!counter) counter = new Counter(…)`, `cache.set(name, new Counter(…))`, creation inside a
 * `try` that handles the duplicate, lazy singleton getters `if (instance) return instance; instance = create()`); metrics registered in a registry created in the same function
 * (a batch job's per-run registry pushed to a Pushgateway); batch scripts (one run per process).
 * @invalid
 * ```ts
 * import express from 'express';
 * import { Counter } from 'prom-client';
 * const app = express();
 * app.post('/orders', (req, res) => {
 *   const created = new Counter({ name: 'orders_created_total', help: 'Orders created' });
 * //                    ^^^^^^^ Counter orders_created_total is created on every request to POST /orders
 *   created.inc();
 *   res.status(201).end();
 * });
 * ```
 * @valid
 * ```ts
 * import express from 'express';
 * import { Counter } from 'prom-client';
 * const created = new Counter({ name: 'orders_created_total', help: 'Orders created' });
 * const app = express();
 * app.post('/orders', (req, res) => {
 *   created.inc();
 *   res.status(201).end();
 * });
 * ```
 * @valid memoized in the default registry
 * ```ts
 * import express from 'express';
 * import { Counter, register } from 'prom-client';
 * const app = express();
 * app.get('/ping', (req, res) => {
 *   const c = (register.getSingleMetric('pings_total') as Counter) ?? new Counter({ name: 'pings_total', help: 'Pings' });
 *   c.inc();
 *   res.end();
 * });
 * ```
 */
import { ts, skipOuter, isFunctionLike, memberName, objectProperty, decoratorsOf, decoratorCall } from '../ts';
import { defineRule } from '../rule';
import { metricSites, type MetricSite } from '../metric-sites';
import { stringOf } from '../strings';
import type { Linker } from '../link';
import type { ProjectFile } from '../project';

interface Reason {
  /** "request to GET /orders", "run of job cleanup (node-cron)", "request (in a request handler)" */
  occasion: string;
  /** The function chain from the root, for "in recordOrder()" */
  via: string[];
}

const MAX_DEPTH = 6;
const MAX_FUNCTIONS = 4000;
const TYPE_TITLE: Record<string, string> = { counter: 'Counter', gauge: 'Gauge', histogram: 'Histogram', summary: 'Summary' };
const PER_REQUEST_METHODS = new Set(['intercept', 'canActivate', 'use', 'resolve']);

export default defineRule({
  id: 'metric-created-per-call',
  category: 'correctness',
  severity: 'error',
  description: 'Metric created per request or job run instead of once',
  fixes: ['hoist-metric-to-module'],
  check(ctx) {
    const linker = ctx.analysis.linker;
    // Metric constructions inside functions or class members (module-level ones are created once)
    const sites: MetricSite[] = [];
    for (const file of ctx.project.files.values()) {
      if (!file.newExpressions.length && !file.sf.text.includes('.create')) continue;
      for (const s of metricSites(file, linker)) if (insideFunctionOrClass(s.node)) sites.push(s);
    }
    if (!sites.length) return;

    // Per-call roots: route and job handlers, request-shaped functions
    const perCall = new Map<ts.Node, Reason>();
    const queue: Array<{ fn: ts.FunctionLikeDeclaration; file: ProjectFile; depth: number }> = [];
    const add = (fn: ts.Node, file: ProjectFile, reason: Reason, depth: number): void => {
      if (perCall.has(fn) || perCall.size >= MAX_FUNCTIONS) return;
      perCall.set(fn, reason);
      if (isFunctionLike(fn)) queue.push({ fn, file, depth });
    };
    for (const r of ctx.analysis.routes) {
      if (!r.handler) continue;
      for (const h of handlerFunctions(r.handler, r.file, linker)) add(h.fn, h.file, { occasion: `request to ${r.entry.method} ${r.entry.path}`, via: [] }, 0);
    }
    for (const j of ctx.analysis.jobs) {
      if (!j.handler || j.entry.kind === 'script') continue;
      for (const h of handlerFunctions(j.handler, j.file, linker)) add(h.fn, h.file, { occasion: `run of job ${j.entry.name} (${j.entry.kind})`, via: [] }, 0);
    }
    for (const file of ctx.project.files.values()) {
      for (const fn of file.functions) if (isRequestShaped(fn)) add(fn, file, { occasion: 'request (in a request handler)', via: [] }, 0);
    }

    // Everything they call, a few levels deep
    while (queue.length) {
      const { fn, file, depth } = queue.shift()!;
      if (depth >= MAX_DEPTH || !fn.body) continue;
      const reason = perCall.get(fn)!;
      const visit = (n: ts.Node): void => {
        if (ts.isClassLike(n)) return;
        if (ts.isCallExpression(n) && !isGuarded(n, fn)) {
          for (const g of calleeFunctions(n, file, linker)) {
            add(g.fn, g.file, { occasion: reason.occasion, via: [...reason.via, functionName(g.fn)] }, depth + 1);
          }
          for (const a of n.arguments) {
            const e = skipOuter(a);
            if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
              for (const g of linker.functionsOf(e, file)) add(g.fn, g.file, { occasion: reason.occasion, via: [...reason.via, functionName(g.fn)] }, depth + 1);
            }
          }
        } else if (ts.isNewExpression(n) && !isGuarded(n, fn)) {
          for (const r of linker.refsOf(n.expression, file)) {
            if (r.v.k !== 'class') continue;
            const cls = r.v.node;
            const name = cls.name?.text ?? 'class';
            if (!perCall.has(cls)) perCall.set(cls, { occasion: reason.occasion, via: [...reason.via, `new ${name}()`] });
            for (const m of cls.members) if (ts.isConstructorDeclaration(m)) add(m, r.file, { occasion: reason.occasion, via: [...reason.via, `new ${name}()`] }, depth + 1);
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(fn.body);
    }

    for (const site of sites) {
      const reason = perCallReason(site.node, perCall);
      if (!reason || hasLocalRegistry(site)) continue;
      const name = site.nameExpr ? stringOf(site.nameExpr, site.file, linker) : undefined;
      const what = site.library === 'prom-client' ? `${TYPE_TITLE[site.type] ?? 'Metric'}${name ? ` ${name}` : ''}` : `Instrument${name ? ` ${name}` : ''} (${memberName(site.calleeName.parent) ?? 'create'})`;
      const via = reason.via.length ? ` (in ${reason.via[reason.via.length - 1]})` : '';
      ctx.report(site.file, site.calleeName, `${what} is created on every ${reason.occasion}${via}`);
    }
  },
});

function insideFunctionOrClass(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n) || ts.isClassLike(n)) return true;
  return false;
}

function functionName(fn: ts.FunctionLikeDeclaration): string {
  if (ts.isConstructorDeclaration(fn)) return `new ${fn.parent.name?.text ?? 'class'}()`;
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return `${fn.name.text}()`;
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return `${p.name.text}()`;
  if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return `${p.name.text}()`;
  return 'a callback';
}

/** The functions a route/job handler expression runs per call: the function itself, what a wrapper call returns, function arguments of wrappers. */
function handlerFunctions(node: ts.Node, file: ProjectFile, linker: Linker, depth = 0): Array<{ fn: ts.FunctionLikeDeclaration; file: ProjectFile }> {
  if (depth > 3) return [];
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (isFunctionLike(e)) return [{ fn: e, file }];
  // controller.create.bind(controller)
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return handlerFunctions(e.expression.expression, file, linker, depth + 1);
  const out = linker.functionsOf(e, file);
  if (ts.isCallExpression(e)) {
    for (const a of e.arguments) {
      const x = skipOuter(a);
      if (isFunctionLike(x) || ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || ts.isCallExpression(x)) out.push(...handlerFunctions(x, file, linker, depth + 1));
    }
  }
  return out;
}

/** Project functions a call runs: direct resolution, or a method of an injected / annotated class instance. */
function calleeFunctions(call: ts.CallExpression, file: ProjectFile, linker: Linker): Array<{ fn: ts.FunctionLikeDeclaration; file: ProjectFile }> {
  const out = linker.functionsOf(call.expression, file);
  if (out.length) return out;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return out;
  for (const r of linker.refsOf(callee.expression, file)) {
    const ann = r.v.k === 'typed' || r.v.k === 'param' ? r.v.annotation : undefined;
    if (ann?.k !== 'class') continue;
    for (const m of linker.classMember(ann.node, r.file, callee.name.text, 0, true)) if (m.v.k === 'fn') out.push({ fn: m.v.node, file: m.file });
  }
  return out;
}

/** `(req, res[, next])`, `(ctx, next)`, GraphQL resolvers `(parent, args, context, info)`, Nest interceptors/guards/middleware. */
function isRequestShaped(fn: ts.FunctionLikeDeclaration): boolean {
  const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  if (names.length >= 2 && /^req(uest)?$/.test(names[0]) && /^(res|response|reply)$/.test(names[1])) return true;
  if (names.length === 2 && names[0] === 'ctx' && names[1] === 'next') return true;
  if (names.length === 4 && names[3] === 'info' && /^(ctx|context)$/.test(names[2])) return true;
  if (ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name) && PER_REQUEST_METHODS.has(fn.name.text) && ts.isClassLike(fn.parent)) {
    return decoratorsOf(fn.parent).some((d) => { const c = decoratorCall(d); return c?.name === 'Injectable' || c?.name === 'Catch'; });
  }
  return false;
}

/**
 * Is the node's evaluation conditional or memoized between it and the function `stop`:
 * a branch of `if`/`?:`, the right side of `??`/`||`/`&&`/`??=`/`||=`, an argument of `.set()`,
 * or inside a `try` that handles a failure?
 */
function isGuarded(node: ts.Node, stop: ts.Node | undefined): boolean {
  let child: ts.Node = node;
  for (let n = node.parent; n && n !== stop; child = n, n = n.parent) {
    if (isFunctionLike(n) || ts.isClassLike(n)) return false;
    if (ts.isIfStatement(n) && child !== n.expression) return true;
    if (ts.isConditionalExpression(n) && child !== n.condition) return true;
    if (ts.isBinaryExpression(n) && child === n.right) {
      const op = n.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken ||
        op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) return true;
    }
    if (ts.isCallExpression(n) && child !== n.expression && memberName(n.expression) === 'set') return true;
    if (ts.isTryStatement(n) && child === n.tryBlock && n.catchClause) return true;
  }
  return !!stop && isFunctionLike(stop) && isLazyInit(stop, node);
}

/**
 * A lazy singleton: the function returns early when something is already set, and stores what it
 * builds outside itself (`if (instance) return instance; instance = create(); return instance;`).
 */
function isLazyInit(fn: ts.FunctionLikeDeclaration, node: ts.Node): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  const earlyReturn = body.statements.some((st) => st.end <= node.pos && ts.isIfStatement(st) && containsReturn(st.thenStatement));
  if (!earlyReturn) return false;
  let storesOutside = false;
  const visit = (n: ts.Node): void => {
    if (storesOutside || (n !== body && (isFunctionLike(n) || ts.isClassLike(n)))) return;
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.EqualsToken || n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken || n.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken)) {
      const left = skipOuter(n.left);
      if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) storesOutside = true;
      // an identifier declared outside the function: a module or closure variable
      else if (ts.isIdentifier(left) && !findLocalDeclaration(fn, left.text)) storesOutside = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return storesOutside;
}

function containsReturn(n: ts.Node): boolean {
  if (ts.isReturnStatement(n)) return true;
  if (isFunctionLike(n) || ts.isClassLike(n)) return false;
  return !!ts.forEachChild(n, (c) => containsReturn(c) || undefined);
}

function findLocalDeclaration(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  if (fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn.body && (isFunctionLike(n) || ts.isClassLike(n)))) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** The per-call reason of the nearest enclosing function (or per-call class, for fields and constructors), unless the creation is memoized. */
function perCallReason(site: ts.Node, perCall: Map<ts.Node, Reason>): Reason | undefined {
  let child: ts.Node = site;
  for (let n = site.parent; n; child = n, n = n.parent) {
    if (isFunctionLike(n)) {
      if (isGuarded(site, n)) return undefined;
      const r = perCall.get(n);
      if (r) return r;
      if (ts.isConstructorDeclaration(n)) continue; // handled with its class below
      site = n;
    } else if (ts.isClassLike(n)) {
      const r = perCall.get(n);
      const instanceField = ts.isPropertyDeclaration(child) && !ts.getModifiers(child)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
      if (r && (instanceField || ts.isConstructorDeclaration(child))) return r;
      return undefined;
    } else if (ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

/** `registers: []` or a registry created in the same function: an ephemeral per-run registry (Pushgateway jobs). */
function hasLocalRegistry(site: MetricSite): boolean {
  const regs = objectProperty(site.config, 'registers');
  if (!regs) return false;
  const arr = skipOuter(regs);
  if (!ts.isArrayLiteralExpression(arr)) return false;
  if (arr.elements.length === 0) return true;
  const values = site.file.values;
  return arr.elements.every((el) => {
    const e = skipOuter(el);
    if (ts.isNewExpression(e)) return true;
    if (!ts.isIdentifier(e)) return false;
    const d = values.declarationOf(e);
    return !!d && ts.isVariableDeclaration(d) && !!d.initializer && ts.isNewExpression(skipOuter(d.initializer)) && insideFunctionOrClass(d);
  });
}
