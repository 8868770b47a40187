/**
 * Log calls: is `x.info(…)` a call on a logger, of which library, and which of its arguments are
 * the message and which are structured fields. Loggers are recognized through imports and the
 * linker (pino, winston, bunyan, log4js, the Nest `Logger`, `console`, Fastify/pino-http
 * `request.log`), and — only when the receiver cannot be resolved to anything concrete — by a name
 * that clearly says logger (`logger`, `log`, `this.logger`).
 */
import { ts, skipOuter, memberName, objectProperty } from './ts';
import type { Linker, Ref } from './link';
import type { ProjectFile } from './project';
import { isModuleExport, normalizedPath, type Value } from './values';

export type LoggerLibrary = 'pino' | 'winston' | 'bunyan' | 'log4js' | 'nest' | 'console' | 'logger';

/** Log-level methods (pino, winston, bunyan, log4js, Nest, console). */
export const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'log', 'verbose', 'silly', 'http', 'notice', 'crit', 'critical', 'alert', 'emerg']);
const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace']);

/** Packages whose import makes a file a possible log writer. */
export const LOGGER_MODULES = ['pino', 'winston', 'bunyan', 'log4js', '@nestjs/common', 'nestjs-pino', 'pino-http', 'fastify', 'nest-winston', 'loglevel', 'signale', 'consola', 'tslog', 'roarr'];

export interface LoggerMatch {
  library: LoggerLibrary;
  /** The call that created the logger (`pino({...})`, `winston.createLogger({...})`), when visible. */
  creation?: ts.CallExpression | ts.NewExpression;
  creationFile?: ProjectFile;
}

export interface LogCall extends LoggerMatch {
  call: ts.CallExpression;
  method: string;
  receiver: ts.Expression;
  /** `logger.info`, `console.error`, for messages. */
  label: string;
  /** The message argument, when there is one (a string-like argument in message position). */
  message?: ts.Expression;
  /** Arguments that carry structured fields (objects, errors, metadata). */
  fields: ts.Expression[];
  /** Every argument that is written (for the PII check). */
  written: ts.Expression[];
}

const LOGGER_NAME = /^_?(logger|log|LOGGER|LOG|Logger)$|[a-z]Logger$|^logger[A-Z_]/;
const REQUEST_LOG_OWNER = /^(req|request|reply|res|fastify|app|server|instance|ctx)$/;

const logCallMemo = new WeakMap<Linker, { generation: number; calls: Map<ts.CallExpression, LogCall | null> }>();

/** Is `call` a log call? Cheap syntactic checks first; the linker only for plausible receivers. Memoized per linker (several rules ask). */
export function matchLogCall(call: ts.CallExpression, file: ProjectFile, linker: Linker): LogCall | undefined {
  let entry = logCallMemo.get(linker);
  // The linker outlives edits; what it resolved before an edit may be stale now.
  if (!entry || entry.generation !== linker.generation) logCallMemo.set(linker, (entry = { generation: linker.generation, calls: new Map() }));
  const memo = entry.calls;
  const hit = memo.get(call);
  if (hit !== undefined) return hit ?? undefined;
  const r = computeLogCall(call, file, linker);
  memo.set(call, r ?? null);
  return r;
}

/** A log call's arguments could hold anything dynamic (not only string literals)? */
export function hasDynamicArgument(call: ts.CallExpression): boolean {
  for (const a of call.arguments) {
    const s = skipOuter(a);
    if (!ts.isStringLiteralLike(s) && !ts.isNumericLiteral(s)) return true;
  }
  return false;
}

/** Could this call's message be built by interpolation (a template with substitutions, a `+`)? */
export function hasBuiltMessage(call: ts.CallExpression): boolean {
  for (const a of call.arguments) {
    const s = skipOuter(a);
    if (ts.isTemplateExpression(s) || (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken)) return true;
  }
  return false;
}

function computeLogCall(call: ts.CallExpression, file: ProjectFile, linker: Linker): LogCall | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return undefined;
  const method = memberName(callee);
  if (!method || !LOG_METHODS.has(method)) return undefined;
  const receiver = skipOuter(callee.expression);
  const match = loggerOf(receiver, file, linker, method);
  if (!match) return undefined;
  return { ...match, call, method, receiver, label: `${shortText(receiver, file)}.${method}`, ...argumentRoles(match.library, method, call.arguments, file) };
}

/** Does an expression evaluate to a logger? */
export function loggerOf(receiver: ts.Expression, file: ProjectFile, linker: Linker, method?: string): LoggerMatch | undefined {
  if (ts.isIdentifier(receiver) && receiver.text === 'console') {
    if (file.values.declarationOf(receiver)) return undefined;
    if (method && !CONSOLE_METHODS.has(method)) return undefined;
    return { library: 'console' };
  }
  const refs = linker.refsOf(receiver, file);
  for (const r of refs) {
    const m = loggerOfRef(r, linker, 0);
    if (m) return m;
  }
  // Fastify / pino-http: request.log, fastify.log
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'log') {
    const owner = skipOuter(receiver.expression);
    const ownerName = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : undefined;
    if (ownerName && REQUEST_LOG_OWNER.test(ownerName) && refs.every(isOpaque)) return { library: 'pino' };
  }
  // A clearly named logger we cannot resolve (DI, untyped JS, a package we do not know)
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  if (name && LOGGER_NAME.test(name) && refs.every(isOpaque)) return { library: 'logger' };
  // A project class named like a logger (a wrapper around pino/winston)
  for (const r of refs) {
    if (r.v.k === 'new' && r.v.callee.k === 'class' && /log/i.test(r.v.callee.node.name?.text ?? '')) return { library: 'logger' };
    if ((r.v.k === 'typed' || r.v.k === 'param') && annotationName(r.v) && /Logger$|^Log$/.test(annotationName(r.v)!)) return { library: 'logger' };
  }
  return undefined;
}

function annotationName(v: Extract<Value, { k: 'typed' | 'param' }>): string | undefined {
  const a = v.annotation;
  if (!a) return undefined;
  if (a.k === 'class') return a.node.name?.text;
  if (a.k === 'module') return a.path[a.path.length - 1];
  return undefined;
}

/** Nothing concrete: a parameter without a known type, a member of one, an unknown package's value. */
function isOpaque(r: Ref): boolean {
  const v = r.v;
  if (v.k === 'param') return !v.annotation || v.annotation.k === 'module';
  if (v.k === 'member') return true;
  if (v.k === 'typed') return true;
  if (v.k === 'module') return !['prom-client', '@opentelemetry/api'].includes(v.module);
  if (v.k === 'call' || v.k === 'new') return v.callee.k === 'module' || v.callee.k === 'member' || v.callee.k === 'unknown';
  return false;
}

const NEST_LOGGER_TYPES = ['Logger', 'LoggerService', 'ConsoleLogger'];

function loggerOfRef(r: Ref, linker: Linker, depth: number): LoggerMatch | undefined {
  if (depth > 4) return undefined;
  const v = r.v;
  if (v.k === 'call' || v.k === 'new') {
    const c = v.callee;
    const node = v.node;
    if (c.k === 'module') {
      const p = normalizedPath(c);
      if (c.module === 'pino' && (p.length === 0 || (p.length === 1 && p[0] === 'pino'))) return { library: 'pino', creation: node, creationFile: r.file };
      if (c.module === 'winston' && (p.join('.') === 'createLogger' || p.join('.') === 'loggers.get' || p.join('.') === 'loggers.add' || p.join('.') === 'Logger')) return { library: 'winston', creation: node, creationFile: r.file };
      if (c.module === 'bunyan' && (p.join('.') === 'createLogger' || p.length === 0)) return { library: 'bunyan', creation: node, creationFile: r.file };
      if (c.module === 'log4js' && p.join('.') === 'getLogger') return { library: 'log4js', creation: node, creationFile: r.file };
      if (c.module === '@nestjs/common' && p.length === 1 && NEST_LOGGER_TYPES.includes(p[0])) return { library: 'nest', creation: node, creationFile: r.file };
      if ((c.module === 'nestjs-pino' || c.module === 'pino-http') && v.k === 'new') return { library: 'pino' };
      return undefined;
    }
    // logger.child({...}) — the parent's library and options
    if (c.k === 'member' && c.name === 'child' && v.k === 'call') {
      for (const parent of linker.deref(c.obj, r.file)) {
        const m = loggerOfRef(parent, linker, depth + 1);
        if (m) return m;
      }
      const objText = c.node && ts.isPropertyAccessExpression(c.node) ? c.node.expression : undefined;
      if (objText && ts.isIdentifier(objText) && LOGGER_NAME.test(objText.text)) return { library: 'logger' };
    }
    return undefined;
  }
  if (v.k === 'module') {
    const p = normalizedPath(v);
    if (v.module === 'winston' && p.length === 0) return { library: 'winston' };
    if (v.module === '@nestjs/common' && p.length === 1 && p[0] === 'Logger') return { library: 'nest' };
    if (v.module === 'log4js' && p.length === 0) return undefined;
    return undefined;
  }
  if (v.k === 'typed' || v.k === 'param') {
    const a = v.annotation;
    if (!a) return undefined;
    if (isModuleExport(a, ['@nestjs/common'], NEST_LOGGER_TYPES)) return { library: 'nest' };
    if (isModuleExport(a, ['nestjs-pino'], ['PinoLogger', 'Logger'])) return { library: 'pino' };
    if (isModuleExport(a, ['pino'], ['Logger', 'BaseLogger', ''])) return { library: 'pino' };
    if (isModuleExport(a, ['winston'], ['Logger'])) return { library: 'winston' };
    if (isModuleExport(a, ['bunyan'], [''])) return { library: 'bunyan' };
    if (a.k === 'module' && a.module === 'pino' && normalizedPath(a)[0] === 'pino' && normalizedPath(a)[1] === 'Logger') return { library: 'pino' };
  }
  return undefined;
}

function isStringish(e: ts.Expression): boolean {
  const s = skipOuter(e);
  return ts.isStringLiteralLike(s) || ts.isTemplateExpression(s) ||
    (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken && (isStringish(s.left) || isStringish(s.right)));
}

const WINSTON_LEVELS = new Set(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']);

/** Which argument is the message and which carry fields, by the library's calling convention. */
function argumentRoles(library: LoggerLibrary, method: string, args: readonly ts.Expression[], file: ProjectFile): Pick<LogCall, 'message' | 'fields' | 'written'> {
  let rest = [...args];
  const written = [...args];
  // winston / log4js: logger.log('info', msg, meta)
  if ((library === 'winston' || library === 'logger') && method === 'log' && rest.length >= 2) {
    const lv = skipOuter(rest[0]);
    if (ts.isStringLiteralLike(lv) && WINSTON_LEVELS.has(lv.text)) { rest = rest.slice(1); written.shift(); }
  }
  if (!rest.length) return { fields: [], written };
  const first = rest[0];
  // Nest: (message, context?) / error(message, stack?, context?): the extra arguments are not fields
  if (library === 'nest') return isStringish(first) ? { message: first, fields: [], written } : { fields: [first], written };
  if (library === 'pino' || library === 'bunyan') {
    // pino: (obj?, msg?, ...printf args)
    if (isStringish(first)) return { message: first, fields: [], written };
    return { message: rest[1], fields: [first], written };
  }
  if (isStringish(first)) return { message: first, fields: rest.slice(1).filter((a) => !isConstantString(a, file)), written };
  // winston({ message, ...}), Nest (objectMessage), pino-style on unknown loggers: obj first, then message
  if (rest[1] && isStringish(rest[1])) return { message: rest[1], fields: [first, ...rest.slice(2)], written };
  return { fields: rest, written };
}

function isConstantString(e: ts.Expression, file: ProjectFile): boolean {
  const v = file.valueOf(e);
  return v.k === 'string';
}

/** The options object of a logger creation call (`pino({...})`, `pino({...}, dest)`, `createLogger({...})`). */
export function creationOptions(creation: ts.CallExpression | ts.NewExpression | undefined): ts.ObjectLiteralExpression | undefined {
  const a = creation?.arguments?.[0];
  if (!a) return undefined;
  const s = skipOuter(a);
  return ts.isObjectLiteralExpression(s) ? s : undefined;
}

/** Does the logger's configuration redact/mask fields? `true` = it does, without knowing which; string[] = these paths. */
export function redactionOf(m: LoggerMatch): { paths: string[]; unknown: boolean } | undefined {
  const creation = m.creation;
  if (!creation) return undefined;
  const file = m.creationFile;
  const opts = creationOptions(creation);
  if (!opts) {
    // options built elsewhere: if they mention redaction, trust them
    const text = file ? creation.getText(file.sf) : '';
    return /redact|mask|censor|sanitiz/i.test(text) ? { paths: [], unknown: true } : undefined;
  }
  const redact = objectProperty(opts, 'redact');
  if (redact) {
    const r = skipOuter(redact);
    const arr = ts.isArrayLiteralExpression(r) ? r : ts.isObjectLiteralExpression(r) ? objectProperty(r, 'paths') : undefined;
    const list = arr ? skipOuter(arr) : undefined;
    if (list && ts.isArrayLiteralExpression(list)) {
      const paths: string[] = [];
      for (const el of list.elements) {
        const s = skipOuter(el);
        if (ts.isStringLiteralLike(s)) paths.push(s.text); else return { paths, unknown: true };
      }
      return { paths, unknown: false };
    }
    return { paths: [], unknown: true };
  }
  // winston formats / custom serializers that mask
  const text = file ? opts.getText(file.sf) : '';
  if (/redact|mask|censor|sanitiz|scrub/i.test(text)) return { paths: [], unknown: true };
  return undefined;
}

export function shortText(node: ts.Node, file: ProjectFile): string {
  const t = node.getText(file.sf).replace(/\s+/g, ' ');
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

/** Packages whose import makes a file server or job code. */
export const SERVER_MODULES = /^(express|fastify|koa|@koa\/router|koa-router|hono|@hono\/[\w-]+|@nestjs\/(common|core|microservices|schedule|bull|bullmq)|@hapi\/hapi|restify|polka|next\/server|bullmq|bull|bee-queue|agenda|node-cron|cron|node-schedule|toad-scheduler|@fastify\/[\w-]+)$/;
const BROWSER_MODULES = /^(react|react-dom|react-dom\/client|vue|svelte|@angular\/core|solid-js|preact|next\/router|next\/navigation|next\/link)$/;
const CLI_MODULES = /^(commander|yargs|yargs\/yargs|meow|cac|minimist|inquirer|@inquirer\/prompts|prompts|@oclif\/core|clipanion|sade|arg|enquirer)$/;
const NON_SERVER_DIRS = /(^|\/)(scripts?|bin|cli|tools|migrations?|seeds?|seeders|examples?|e2e|cypress|playwright|test|tests|__tests__|spec|fixtures|stories|\.storybook)\//;
const TEST_FILE = /\.(test|spec|e2e-spec|e2e|stories)\.[cm]?[jt]sx?$/;
const CONFIG_FILE = /(^|\/)[^/]+\.config\.[cm]?[jt]s$/;
const outsideMemo = new WeakMap<ProjectFile, boolean>();

/**
 * Browser code (React/Vue/Svelte imports, `'use client'`, `.tsx`/`.jsx` importing no server
 * framework), CLIs and scripts (a shebang, commander/yargs, `scripts/`, `bin/`), tests and
 * configuration files: there `console` is a terminal or a devtools panel, not a log.
 */
export function isOutsideServerCode(f: ProjectFile): boolean {
  const memo = outsideMemo.get(f);
  if (memo !== undefined) return memo;
  const r = computeOutside(f);
  outsideMemo.set(f, r);
  return r;
}

function computeOutside(f: ProjectFile): boolean {
  const rel = f.rel;
  if (TEST_FILE.test(rel) || CONFIG_FILE.test(rel) || NON_SERVER_DIRS.test(rel)) return true;
  if (f.sf.text.startsWith('#!')) return true;
  let server = false;
  for (const m of f.importedModules) {
    if (BROWSER_MODULES.test(m) || CLI_MODULES.test(m)) return true;
    if (SERVER_MODULES.test(m)) server = true;
  }
  if (/\.[jt]sx$/.test(rel) && !server) return true;
  const first = f.sf.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client') return true;
  return false;
}
