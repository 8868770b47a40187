/**
 * node:http / node:https / node:http2: `createServer(handler)` (and `createSecureServer`, and
 * `createServer()` with a `server.on('request', handler)` listener) is one route, `ANY /*`, on the
 * line of `createServer`. A server whose handler is an app of another recognized framework
 * (`createServer(app)` with an Express app, `app.callback()` of Koa, a function delegating to
 * Fastify or to Next.js' request handler) is not counted: those routes are already listed.
 */
import { ts, skipOuter, isFunctionLike } from '../ts';
import { isModuleExport, type Value } from '../values';
import type { Linker, Ref } from '../link';
import type { ProjectFile } from '../project';
import type { FileFramework, FileRouteDraft } from './types';
import { methodNameNode, packageOf } from './common';

const MODULES = ['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2'];
const FACTORIES = ['createServer', 'createSecureServer'];
/** Packages whose apps are counted by their own recognizers (or route requests themselves). */
const FRAMEWORK_PACKAGE = /^(express|koa|fastify|hono|next|@koa\/router|koa-router|@hono\/.*|@nestjs\/.*|@fastify\/.*|express-serve-static-core)$/;

const nodeHttp: FileFramework = {
  id: 'node-http',
  kind: 'file',
  collect(project, linker, helpers) {
    const out: FileRouteDraft[] = [];
    const usesFramework = [...project.files.values()].some((f) => [...f.importedModules].some((m) => FRAMEWORK_PACKAGE.test(m) || m.startsWith('next/')));
    let requestListeners: Array<{ mc: { receiver: ts.Expression; node: ts.CallExpression }; file: ProjectFile }> | undefined;
    for (const file of project.files.values()) {
      if (!MODULES.some((m) => file.importedModules.has(m))) continue;
      for (const name of FACTORIES) {
        for (const call of file.callsByName.get(name) ?? []) {
          if (!isModuleExport(file.valueOf(call.expression), MODULES, [name])) continue;
          let handler = handlerArg(call, file);
          if (!handler) {
            // createServer() + server.on('request', handler), in any file
            requestListeners ??= collectRequestListeners(project.files.values());
            const l = requestListeners.find((x) => linker.refsOf(x.mc.receiver, x.file).some((r) => (r.v.k === 'call' && r.v.node === call)));
            if (!l) continue;
            if (l.file !== file) {
              if (!delegatesToFramework(l.mc.node.arguments[1], l.file, linker, usesFramework)) {
                // the handler lives in another file: coverage is decided here (a handler range is per file)
                const by = helpers.instrumentation(l.mc.node.arguments[1], l.file);
                out.push({ framework: 'node-http', file, method: 'ANY', path: '/*', nameNode: methodNameNode(call), coverage: by ? { kind: 'handler', by } : undefined });
              }
              continue;
            }
            handler = l.mc.node.arguments[1];
          }
          if (delegatesToFramework(handler, file, linker, usesFramework)) continue;
          out.push({ framework: 'node-http', file, method: 'ANY', path: '/*', nameNode: methodNameNode(call), handler });
        }
      }
    }
    return out;
  },
};

/** The request listener argument: the last argument, unless it is the options object. */
function handlerArg(call: ts.CallExpression, file: ProjectFile): ts.Expression | undefined {
  const args = call.arguments;
  if (args.length === 0) return undefined;
  const last = args[args.length - 1];
  if (args.length >= 2) return last;
  const e = skipOuter(last);
  if (ts.isObjectLiteralExpression(e)) return undefined;
  const v = file.valueOf(e);
  if (v.k === 'object') return undefined;
  return last;
}

function collectRequestListeners(files: Iterable<ProjectFile>): Array<{ mc: { receiver: ts.Expression; node: ts.CallExpression }; file: ProjectFile }> {
  const out: Array<{ mc: { receiver: ts.Expression; node: ts.CallExpression }; file: ProjectFile }> = [];
  for (const file of files) {
    for (const mc of file.methodCalls) {
      if (mc.method !== 'on' && mc.method !== 'addListener' && mc.method !== 'once' && mc.method !== 'prependListener') continue;
      const ev = mc.node.arguments[0];
      if (!ev || !ts.isStringLiteralLike(ev) || ev.text !== 'request' || !mc.node.arguments[1]) continue;
      out.push({ mc, file });
    }
  }
  return out;
}

/** Is this value (or its type annotation) something made by a framework package? */
function isFrameworkValue(v: Value): boolean {
  const pkg = packageOf(v);
  if (pkg && (FRAMEWORK_PACKAGE.test(pkg) || pkg.startsWith('next/'))) return true;
  if ((v.k === 'param' || v.k === 'typed') && v.annotation) {
    const a = packageOf(v.annotation);
    if (a && FRAMEWORK_PACKAGE.test(a)) return true;
  }
  return false;
}

/**
 * Does the handler hand requests to another framework? True when the handler *is* such an app,
 * or is a function whose body calls one (`handle(req, res)` with Next's request handler,
 * `fastify.server.emit('request', …)`), or cannot be resolved at all in a project that uses one.
 */
function delegatesToFramework(handler: ts.Node, file: ProjectFile, linker: Linker, usesFramework: boolean): boolean {
  const e = ts.isExpression(handler) ? skipOuter(handler) : handler;
  let fns: Array<{ fn: ts.FunctionLikeDeclaration; file: ProjectFile }>;
  if (isFunctionLike(e)) fns = [{ fn: e, file }];
  else {
    const refs: Ref[] = linker.refsOf(e, file);
    if (refs.some((r) => isFrameworkValue(r.v))) return true;
    fns = refs.filter((r) => r.v.k === 'fn').map((r) => ({ fn: (r.v as Extract<Value, { k: 'fn' }>).node, file: r.file }));
    if (fns.length === 0) {
      // An app from an unresolvable import or an untyped parameter: in a project that uses a
      // recognized framework, it is most likely that framework's app.
      return usesFramework && refs.every((r) => r.v.k !== 'new' && r.v.k !== 'call' && r.v.k !== 'object');
    }
  }
  return fns.some(({ fn, file: f }) => bodyDelegates(fn, f, linker));
}

function bodyDelegates(fn: ts.FunctionLikeDeclaration, file: ProjectFile, linker: Linker): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      for (const r of linker.refsOf(n.expression, file)) if (isFrameworkValue(r.v)) { found = true; return; }
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

export default nodeHttp;
