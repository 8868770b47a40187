/**
 * Long-lived `setInterval(fn, ms)` timers: the ones a service starts once and keeps (cache
 * pruning, metric flushing, polling), not per-request or per-connection timers and not browser
 * code. Also `global.setInterval`, `timers.setInterval` (node:timers) and `setIntervalAsync`
 * (set-interval-async). Line: `setInterval`. Name: the callback's name (naming rule of common.ts,
 * rules 2–3), the name given to a NestJS `SchedulerRegistry.addInterval`, else `<file>:<line>`.
 * Schedule: `every <ms> ms` when the delay is a constant.
 *
 * "Long-lived" means the call runs at start-up:
 * - at module level (not inside any function), or
 * - in a start-up function: one called at module level (`main()`, `void start()`,
 *   `main().catch(…)`, an IIFE) in any file, a class's `constructor` / `start` / `init` /
 *   `onModuleInit` / `onApplicationBootstrap` (and class field initializers), a function named `start…` / `init…` /
 *   `bootstrap…` / `setup…` / `main`, or a function those call directly; or
 * - in a callback that start-up code defers (`app.listen(port, cb)`, `.then(cb)`,
 *   `process.nextTick(cb)`, `setTimeout(cb)`, `server.on('listening', cb)`, `list.forEach(cb)`).
 * Callbacks of other calls (route handlers, `on('connection')`, `new Promise(…)`) are not
 * start-up code. A timer whose own callback calls `clearInterval` is a wait, not a job.
 */
import path from 'node:path';
import { ts, skipOuter, isFunctionLike, memberName } from '../ts';
import type { JobDraft, JobHelpers, JobRecognizer } from './types';
import type { Project, ProjectFile } from '../project';
import { callSitesOf, constructorSites, handlerName, methodName, msSchedule, resolvesTo, unwrapBind } from './common';

const TIMER_MODULES = ['timers', 'node:timers'];
const ASYNC_MODULES = ['set-interval-async', 'set-interval-async/dynamic', 'set-interval-async/fixed'];
const STARTUP_METHODS = new Set(['constructor', 'start', 'init', 'initialize', 'onModuleInit', 'onApplicationBootstrap', 'onInit', 'boot', 'bootstrap', 'run', 'listen', 'setup']);
const STARTUP_NAME = /^(main|start|init|initialize|bootstrap|boot|setup|launch)([A-Z_\d]|$)/;
/** Names of calls whose function arguments run once, later, as part of start-up. */
const DEFERRING = new Set(['listen', 'then', 'finally', 'nextTick', 'setTimeout', 'setImmediate', 'queueMicrotask', 'ready', 'start',
  'connect', 'forEach', 'map', 'register', 'after', 'run', 'bootstrap', 'whenReady']);
const STARTUP_EVENTS = new Set(['listening', 'ready', 'open', 'connect', 'connected', 'start', 'started', 'initialized']);
const BROWSER_MODULES = /^(react|react-dom|react-native|vue|svelte|preact|solid-js|@angular\/core|next\/(link|router|navigation|image)|@remix-run\/react|lit|jquery)(\/|$)/;
const BROWSER_DIRS = new Set(['client', 'frontend', 'public', 'static', 'browser', 'components', 'hooks', 'www', 'webapp', 'ui']);

const interval: JobRecognizer = {
  kind: 'interval',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    const calls: Array<{ file: ProjectFile; call: ts.CallExpression; nameNode: ts.Node }> = [];
    for (const file of project.files.values()) {
      if (!file.callsByName.has('setInterval') && !file.callsByName.has('setIntervalAsync')) continue;
      if (isBrowserFile(file)) continue;
      for (const name of ['setInterval', 'setIntervalAsync']) {
        for (const call of file.callsByName.get(name) ?? []) {
          if (call.arguments.length === 0 || !isTimer(call, file, helpers)) continue;
          calls.push({ file, call, nameNode: ts.isIdentifier(call.expression) ? call.expression : (call.expression as ts.PropertyAccessExpression).name });
        }
      }
    }
    if (calls.length === 0) return out;
    const startup = new StartupFunctions(project, helpers);
    for (const { file, call, nameNode } of calls) {
      const [cb, ms] = call.arguments;
      if (clearsItself(cb) || !startup.isStartupCode(call, file)) continue;
      const name = registryName(call, file) ?? handlerName(cb) ?? `${file.rel}:${file.position(nameNode).line}`;
      out.push({ kind: 'interval', file, nameNode, name, schedule: msSchedule(ms, file, 'every'), handler: unwrapBind(cb) });
    }
    return out;
  },
};

/** Is this `setInterval(...)` the timer global / node:timers / set-interval-async (not a local function or another object's method)? */
function isTimer(call: ts.CallExpression, file: ProjectFile, helpers: JobHelpers): boolean {
  const c = skipOuter(call.expression);
  if (ts.isIdentifier(c)) {
    const decl = file.values.declarationOf(c);
    if (!decl) return c.text === 'setInterval';
    return resolvesTo(c, file, helpers.linker, TIMER_MODULES, ['setInterval']) || resolvesTo(c, file, helpers.linker, ASYNC_MODULES, ['setIntervalAsync']);
  }
  if (ts.isPropertyAccessExpression(c) || ts.isElementAccessExpression(c)) {
    const obj = skipOuter(c.expression);
    if (ts.isIdentifier(obj) && (obj.text === 'global' || obj.text === 'globalThis') && !file.values.declarationOf(obj)) return true;
    const name = memberName(c);
    return resolvesTo(c, file, helpers.linker, TIMER_MODULES, [name ?? '']) || resolvesTo(c, file, helpers.linker, ASYNC_MODULES, [name ?? '']);
  }
  return false;
}

function isBrowserFile(file: ProjectFile): boolean {
  if (/\.(tsx|jsx)$/.test(file.rel)) return true;
  const first = file.sf.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client') return true;
  for (const m of file.importedModules) if (BROWSER_MODULES.test(m)) return true;
  const dirs = path.posix.dirname(file.rel).split('/');
  if (dirs.some((d) => BROWSER_DIRS.has(d))) return true;
  return /\bwindow\.\w|\bdocument\.(getElementById|querySelector|addEventListener|body|title|cookie|createElement|documentElement)\b/.test(file.sf.text);
}

/** `setInterval(() => { if (done) clearInterval(t) }, 100)`: a wait that ends itself. */
function clearsItself(cb: ts.Node | undefined): boolean {
  if (!cb) return false;
  const e = ts.isExpression(cb) ? skipOuter(cb) : cb;
  if (!isFunctionLike(e) || !e.body) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && (n.expression.text === 'clearInterval' || n.expression.text === 'clearIntervalAsync')) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(e.body);
  return found;
}

/** `const h = setInterval(…); registry.addInterval('name', h)` → 'name'. */
function registryName(call: ts.CallExpression, file: ProjectFile): string | undefined {
  const adds = file.callsByName.get('addInterval');
  if (!adds) return undefined;
  const decl = call.parent && ts.isVariableDeclaration(call.parent) ? call.parent : undefined;
  for (const a of adds) {
    const [n, h] = a.arguments;
    if (!h) continue;
    const he = skipOuter(h);
    if (he === call || (decl && ts.isIdentifier(he) && file.values.declarationOf(he) === decl)) {
      const v = file.valueOf(n);
      if (v.k === 'string') return v.value;
    }
  }
  return undefined;
}

/**
 * Which code runs at start-up, decided on demand from each timer upwards (cheap: a handful of
 * timers, each followed through its enclosing functions and their callers).
 */
class StartupFunctions {
  private readonly memo = new Map<ts.Node, boolean>();

  constructor(private readonly project: Project, private readonly helpers: JobHelpers) {}

  /** Is this node in code that runs at start-up? */
  isStartupCode(node: ts.Node, file: ProjectFile, depth = 0): boolean {
    for (let n = node.parent; n; n = n.parent) {
      if (isFunctionLike(n)) return this.isStartupFunction(n, file, depth);
      // a class field initializer runs with the constructor (or, static, when the module loads)
      if (ts.isPropertyDeclaration(n)) return true;
      if (ts.isClassLike(n)) return false;
    }
    return true; // module level
  }

  private isStartupFunction(fn: ts.FunctionLikeDeclaration, file: ProjectFile, depth: number): boolean {
    const memo = this.memo.get(fn);
    if (memo !== undefined) return memo;
    if (depth > 6) return false;
    this.memo.set(fn, false); // cycle guard
    const result = this.decide(fn, file, depth);
    this.memo.set(fn, result);
    return result;
  }

  private decide(fn: ts.FunctionLikeDeclaration, file: ProjectFile, depth: number): boolean {
    let arg: ts.Node = fn;
    while (arg.parent && ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const p = arg.parent;
    if (p && ts.isCallExpression(p)) {
      if (p.expression === arg) return this.isStartupCode(p, file, depth + 1); // IIFE
      if (p.arguments.includes(arg as ts.Expression)) return isDeferring(p) && this.isStartupCode(p, file, depth + 1);
      return false;
    }
    if (p && (ts.isNewExpression(p) || ts.isJsxExpression(p) || ts.isArrayLiteralExpression(p))) return false;
    // Where it is called from decides; a start-up name or lifecycle hook decides when no call is found
    // (framework hooks, functions exported to code we cannot follow).
    const name = startupName(fn);
    const byName = name !== undefined && (STARTUP_NAME.test(name) || ((ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn)) && STARTUP_METHODS.has(name)));
    const sites: Array<{ node: ts.Node; file: ProjectFile }> = ts.isConstructorDeclaration(fn)
      ? constructorSites(fn, this.project, this.helpers.linker, 20).map((c) => ({ node: c.node, file: c.file }))
      : callSitesOf(fn, this.project, this.helpers.linker, 20).map((c) => ({ node: c.call, file: c.file }));
    if (sites.length === 0) return byName;
    return sites.some((site) => this.isStartupCode(site.node, site.file, depth + 1));
  }
}

/** Calls whose function arguments run once, later, as part of start-up. */
function isDeferring(call: ts.CallExpression): boolean {
  const c = skipOuter(call.expression);
  const name = ts.isIdentifier(c) ? c.text : memberName(c);
  if (name === undefined) return false;
  if (DEFERRING.has(name)) return true;
  return (name === 'on' || name === 'once') && STARTUP_EVENTS.has(stringArg(call.arguments[0]) ?? '');
}

function startupName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  if (ts.isMethodDeclaration(fn)) return methodName(fn);
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

function stringArg(n: ts.Node | undefined): string | undefined {
  return n && ts.isStringLiteralLike(n) ? n.text : undefined;
}

export default interval;
