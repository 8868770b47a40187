/**
 * Fastify: `Fastify()` / `fastify()` / `require('fastify')(opts)` instances; shorthand methods
 * (`get(path, [opts], handler)`, `get(path, { handler })`), `route({ method, url | path })` with
 * method arrays (also route objects from arrays iterated with forEach / for…of); `register(plugin,
 * { prefix })` with plugins written inline, in other files (default exports, CommonJS,
 * `import()`), typed `FastifyPluginAsync`/`FastifyPluginCallback` consts, `fastify-plugin`
 * wrappers (no encapsulation: no prefix of their own, their hooks cover the parent) and
 * `@fastify/autoload` directories. Coverage: metrics/tracing plugins (fastify-metrics,
 * @autotelic/fastify-opentelemetry, @fastify/otel…) and request hooks that record a metric or
 * open a span; Fastify applies both to the whole encapsulation context, in any order.
 */
import path from 'node:path';
import { ts, skipOuter, isFunctionLike, objectProperty, hasDefaultModifier, hasExportModifier } from '../ts';
import { isModuleExport, normalizedPath, type Value } from '../values';
import type { Linker, Ref } from '../link';
import type { ProjectFile } from '../project';
import { stringOf } from '../strings';
import type { CallContext, ScopeFramework, ScopeKind } from './types';
import { HTTP_METHODS } from './types';
import { fileOf, isPathLike, knownPackage, methodNameNode, objectOf, objectString, pathsOf } from './common';

const MODULES = ['fastify'];
const PLUGIN_MODULES = ['fastify-plugin'];
const AUTOLOAD_MODULES = ['@fastify/autoload', 'fastify-autoload'];
const ROUTE_METHODS = new Set<string>([...HTTP_METHODS, 'all']);
/** Instance methods that return the instance itself (so a chained call is the same scope). */
const CHAIN_METHODS = new Set<string>([
  ...ROUTE_METHODS, 'route', 'register', 'addHook', 'decorate', 'decorateRequest', 'decorateReply', 'withTypeProvider',
  'setErrorHandler', 'setNotFoundHandler', 'addSchema', 'after', 'addContentTypeParser', 'setValidatorCompiler',
  'setSerializerCompiler', 'setReplySerializer', 'setSchemaErrorFormatter', 'use',
]);
/** Request-lifecycle hooks: one that records a metric or opens a span covers the context's routes. */
const HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'onRoute', 'onTimeout']);
const ROUTE_HOOK_OPTIONS = ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse'];

export const FASTIFY_METRICS_PACKAGES: Readonly<Record<string, string>> = {
  'fastify-metrics': 'fastify-metrics',
  '@fastify/metrics': '@fastify/metrics',
  '@promster/fastify': '@promster/fastify',
  'fastify-prometheus': 'fastify-prometheus',
  '@immobiliarelabs/fastify-metrics': '@immobiliarelabs/fastify-metrics',
  '@autotelic/fastify-opentelemetry': '@autotelic/fastify-opentelemetry',
  '@fastify/otel': '@fastify/otel',
  'fastify-opentelemetry': 'fastify-opentelemetry',
  '@opentelemetry/instrumentation-fastify': '@opentelemetry/instrumentation-fastify',
};

const fastify: ScopeFramework = {
  id: 'fastify',
  kind: 'scope',
  methods: new Set([...ROUTE_METHODS, 'route', 'register', 'addHook', 'use']),

  scopeOf(ref, linker) {
    return scopeKindOf(ref.v, ref.file, linker, 0);
  },

  isScopeType(annotation) {
    return isModuleExport(annotation, MODULES, ['FastifyInstance']);
  },

  interpret(ctx) {
    const { call, method } = ctx;
    const args = call.arguments;
    if (ROUTE_METHODS.has(method)) {
      if (args.length < 2 || !isPathLike(ctx, args[0])) return;
      const paths = pathsOf(ctx, args[0]);
      if (!paths) return;
      // get(path, handler) | get(path, opts, handler) | get(path, { handler, ...opts })
      const opts = objectOf(ctx.linker, args[1], ctx.file);
      const handler = args.length >= 3 ? args[2] : opts ? objectProperty(opts.obj, 'handler') : args[1];
      if (!handler) return;
      ctx.route({ methods: [method === 'all' ? 'ANY' : method.toUpperCase()], paths, nameNode: methodNameNode(call), handlers: [...routeHooks(opts), handler] });
      return;
    }
    if (method === 'route') {
      for (const opts of routeObjects(ctx, args[0])) {
        const methods = methodsOf(ctx.linker, objectProperty(opts.obj, 'method'), opts.file);
        const url = objectString(ctx.linker, opts, 'url') ?? objectString(ctx.linker, opts, 'path');
        const handler = objectProperty(opts.obj, 'handler');
        if (!methods?.length || url === undefined) continue;
        ctx.route({ methods, paths: [url], nameNode: methodNameNode(call), handlers: [...routeHooks(opts), ...(handler ? [handler] : [])] });
      }
      return;
    }
    if (method === 'register') {
      const plugin = args[0];
      if (!plugin) return;
      const known = knownPackage(ctx, plugin, FASTIFY_METRICS_PACKAGES);
      if (known) { ctx.middleware({ description: known, unordered: true }); return; }
      const opts = objectOf(ctx.linker, args[1], ctx.file);
      if (isAutoload(ctx, plugin)) { autoload(ctx, opts); return; }
      const prefix = objectString(ctx.linker, opts, 'prefix') ?? '';
      for (const t of pluginTargets(ctx.linker, plugin, ctx.file)) {
        ctx.mount({ prefix: t.shared ? '' : prefix, child: t.fn, file: t.file, pluginParam: 0, shared: t.shared || undefined });
      }
      return;
    }
    if (method === 'addHook') {
      const name = ctx.str(args[0]);
      if (!name || !HOOKS.has(name)) return;
      const desc = ctx.instrumentation(args[1]);
      if (desc) ctx.middleware({ description: `${name} hook recording ${desc}`, unordered: true });
      return;
    }
    if (method === 'use') {
      // @fastify/middie / @fastify/express middleware
      const mw = args[args.length - 1];
      const known = knownPackage(ctx, mw, FASTIFY_METRICS_PACKAGES);
      const desc = known ?? ctx.instrumentation(mw);
      if (desc && args.length >= 1) ctx.middleware({ description: known ?? `middleware recording ${desc}`, unordered: true });
    }
  },
};

export default fastify;

/** Is this value a Fastify instance (or a chained call returning one)? */
function scopeKindOf(v: Value, file: ProjectFile, linker: Linker, depth: number): ScopeKind | undefined {
  if (depth > 8) return undefined;
  if (v.k === 'call') {
    if (isFastifyFactory(v.callee)) return { framework: 'fastify', kind: 'app' };
    const callee = v.callee;
    if (callee.k === 'member' && CHAIN_METHODS.has(callee.name) && isInstance(callee.obj, file, linker, depth + 1)) {
      const c = v.node.expression;
      const owner = fileOf(linker, v.node) ?? file;
      if (ts.isPropertyAccessExpression(c) || ts.isElementAccessExpression(c)) return { framework: 'fastify', kind: 'app', alias: { node: c.expression, file: owner } };
    }
    return undefined;
  }
  if (v.k === 'param' && v.index === 0 && isPluginFunction(v.fn, file, linker, depth + 1)) return { framework: 'fastify', kind: 'plugin' };
  return undefined;
}

function isInstance(v: Value, file: ProjectFile, linker: Linker, depth: number): boolean {
  if ((v.k === 'param' || v.k === 'typed') && v.annotation && fastify.isScopeType(v.annotation)) return true;
  return scopeKindOf(v, file, linker, depth) !== undefined;
}

/** `Fastify`, `fastify`, `require('fastify')`, `fastify.fastify`, `fastify.default`. */
function isFastifyFactory(callee: Value): boolean {
  return isModuleExport(callee, MODULES, ['', 'fastify', 'default']);
}

/**
 * Is this function a Fastify plugin, whose first parameter is a Fastify instance? Typed plugin
 * consts, `fastify-plugin` wrappers, functions passed inline to `register`, and the exported
 * plugin of a file that imports Fastify packages (fastify-cli apps, autoloaded route files).
 */
function isPluginFunction(fn: ts.SignatureDeclaration, file: ProjectFile, linker: Linker, depth: number): boolean {
  if (!isFunctionLike(fn)) return false;
  // (req: FastifyRequest, reply) or (ctx: Context) is not a plugin, whatever its context
  const p0 = fn.parameters[0]?.type;
  if (p0) {
    const ann = file.valueOf(p0);
    if (ann.k === 'module' && !fastify.isScopeType(ann) && (/fastify/.test(ann.module) || !ann.module.startsWith('.'))) return false;
  }
  let p: ts.Node = fn.parent;
  let typeNode: ts.TypeNode | undefined;
  while (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) {
    if ((ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) && !typeNode) typeNode = p.type;
    p = p.parent;
  }
  if (ts.isVariableDeclaration(p) && p.type) typeNode ??= p.type;
  if (typeNode && isPluginType(file.valueOf(typeNode))) return true;
  if (ts.isCallExpression(p) && p.arguments[0] && skipOuter(p.arguments[0]) === fn) {
    const callee = file.valueOf(p.expression);
    if (isModuleExport(callee, PLUGIN_MODULES, ['', 'fastifyPlugin', 'default'])) return true;
    if (callee.k === 'member' && callee.name === 'register') {
      const recv = (p.expression as ts.PropertyAccessExpression).expression;
      if (recv && linker.refsOf(recv, file).some((r) => isInstance(r.v, r.file, linker, depth + 1))) return true;
    }
  }
  if (isDefaultExport(fn) && importsFastify(file)) return true;
  return false;
}

function isPluginType(v: Value): boolean {
  if (v.k !== 'module' || !/fastify/.test(v.module)) return false;
  const p = normalizedPath(v);
  return p.length === 1 && /^FastifyPlugin(Async|Callback)/.test(p[0]);
}

function isDefaultExport(fn: ts.FunctionLikeDeclaration): boolean {
  if (ts.isFunctionDeclaration(fn)) return hasExportModifier(fn) && hasDefaultModifier(fn);
  let p: ts.Node = fn.parent;
  while (ts.isParenthesizedExpression(p)) p = p.parent;
  if (ts.isExportAssignment(p)) return true;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuter(p.right) === fn) {
    const t = p.left.getText();
    return t === 'module.exports' || t === 'exports.default' || t === 'module.exports.default';
  }
  return false;
}

function importsFastify(file: ProjectFile): boolean {
  for (const m of file.importedModules) if (m === 'fastify' || m.startsWith('@fastify/') || m.startsWith('fastify-')) return true;
  return false;
}

interface PluginTarget { fn: ts.FunctionLikeDeclaration; file: ProjectFile; shared: boolean }

/** The plugin functions an expression can be: functions, modules' default exports, `fp(fn)` (shared). */
export function pluginTargets(linker: Linker, node: ts.Node, file: ProjectFile, shared = false, depth = 0, out: PluginTarget[] = []): PluginTarget[] {
  if (depth > 6) return out;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (isFunctionLike(e)) { out.push({ fn: e, file, shared }); return out; }
  const visitRef = (r: Ref, d: number): void => {
    const v = r.v;
    if (v.k === 'fn') out.push({ fn: v.node, file: r.file, shared });
    else if (v.k === 'ns' && d < 6) for (const x of linker.exportRefs(r.file, 'default')) visitRef(x, d + 1);
    else if (v.k === 'call' && isModuleExport(v.callee, PLUGIN_MODULES, ['', 'fastifyPlugin', 'default']) && v.node.arguments[0]) {
      pluginTargets(linker, v.node.arguments[0], fileOf(linker, v.node) ?? r.file, true, depth + 1, out);
    }
  };
  for (const r of linker.refsOf(e, file)) visitRef(r, 0);
  return out;
}

/** Route-level hooks in a route's options (`{ onRequest: [timer] }`): they run before the handler. */
function routeHooks(opts: { obj: ts.ObjectLiteralExpression; file: ProjectFile } | undefined): ts.Node[] {
  if (!opts) return [];
  const out: ts.Node[] = [];
  for (const name of ROUTE_HOOK_OPTIONS) { const h = objectProperty(opts.obj, name); if (h) out.push(h); }
  return out;
}

/** `method: 'GET'` or `method: ['GET', 'POST']`, upper-cased. */
function methodsOf(linker: Linker, node: ts.Expression | undefined, file: ProjectFile): string[] | undefined {
  if (!node) return undefined;
  const e = skipOuter(node);
  const one = stringOf(e, file, linker);
  if (one !== undefined) return [one === '*' ? 'ANY' : one.toUpperCase()];
  let arr: ts.ArrayLiteralExpression | undefined = ts.isArrayLiteralExpression(e) ? e : undefined;
  let arrFile = file;
  if (!arr) for (const r of linker.refsOf(e, file)) if (r.v.k === 'array') { arr = r.v.node; arrFile = r.file; break; }
  if (!arr) return undefined;
  const out: string[] = [];
  for (const el of arr.elements) { const s = stringOf(el, arrFile, linker); if (s) out.push(s.toUpperCase()); }
  return out;
}

/**
 * The route option objects a `route(x)` argument can be: an object literal or constant, or — for
 * `routes.forEach((r) => fastify.route(r))` and `for (const r of routes)` — every element of the array.
 */
function routeObjects(ctx: CallContext, node: ts.Expression | undefined): Array<{ obj: ts.ObjectLiteralExpression; file: ProjectFile }> {
  if (!node) return [];
  const e = skipOuter(node);
  const direct = (): Array<{ obj: ts.ObjectLiteralExpression; file: ProjectFile }> => { const o = objectOf(ctx.linker, node, ctx.file); return o ? [o] : []; };
  if (!ts.isIdentifier(e)) return direct();
  const decl = ctx.file.values.declarationOf(e);
  let source: ts.Expression | undefined;
  if (decl && ts.isParameter(decl) && isFunctionLike(decl.parent) && decl.parent.parameters[0] === decl) {
    const fn = decl.parent;
    const call = fn.parent;
    if (ts.isCallExpression(call) && call.arguments[0] === fn && ts.isPropertyAccessExpression(call.expression) && ['forEach', 'map'].includes(call.expression.name.text)) source = call.expression.expression;
  } else if (decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isForOfStatement(decl.parent.parent)) {
    source = decl.parent.parent.expression;
  }
  if (!source) return direct();
  const out: Array<{ obj: ts.ObjectLiteralExpression; file: ProjectFile }> = [];
  const arrays: Array<{ arr: ts.ArrayLiteralExpression; file: ProjectFile }> = [];
  const s = skipOuter(source);
  if (ts.isArrayLiteralExpression(s)) arrays.push({ arr: s, file: ctx.file });
  else for (const r of ctx.linker.refsOf(s, ctx.file)) if (r.v.k === 'array') arrays.push({ arr: r.v.node, file: r.file });
  for (const { arr, file } of arrays) {
    for (const el of arr.elements) {
      if (ts.isSpreadElement(el)) {
        for (const r of ctx.linker.refsOf(el.expression, file)) if (r.v.k === 'array') for (const x of r.v.node.elements) { const o = objectOf(ctx.linker, x, r.file); if (o) out.push(o); }
        continue;
      }
      const o = objectOf(ctx.linker, el, file);
      if (o) out.push(o);
    }
  }
  return out;
}

function isAutoload(ctx: CallContext, plugin: ts.Expression): boolean {
  return ctx.linker.refsOf(plugin, ctx.file).some((r) => isModuleExport(r.v, AUTOLOAD_MODULES, ['', 'default', 'autoload', 'fastifyAutoload']));
}

const SCRIPT = /\.(ts|mts|cts|js|mjs|cjs)$/;

/**
 * `register(autoload, { dir, options: { prefix } })`: every script under `dir` is a plugin, mounted
 * at its directory's path (`dirNameRoutePrefix`), or at its `autoPrefix` export; a directory
 * with an index file loads only that file (and its subdirectories).
 */
function autoload(ctx: CallContext, opts: { obj: ts.ObjectLiteralExpression; file: ProjectFile } | undefined): void {
  if (!opts) return;
  const dir = dirOf(ctx, objectProperty(opts.obj, 'dir'), opts.file);
  if (!dir) return;
  const options = objectOf(ctx.linker, objectProperty(opts.obj, 'options'), opts.file);
  const basePrefix = objectString(ctx.linker, options, 'prefix') ?? '';
  const dirNames = objectProperty(opts.obj, 'dirNameRoutePrefix')?.kind !== ts.SyntaxKind.FalseKeyword;
  const routeParams = objectProperty(opts.obj, 'routeParams')?.kind === ts.SyntaxKind.TrueKeyword;
  const ignore = objectProperty(opts.obj, 'ignorePattern');
  let ignoreRe: RegExp | undefined;
  if (ignore && ts.isRegularExpressionLiteral(ignore)) {
    const m = /^\/(.*)\/([a-z]*)$/.exec(ignore.text);
    try { ignoreRe = m ? new RegExp(m[1], m[2]) : undefined; } catch { ignoreRe = undefined; }
  }
  const byDir = new Map<string, ProjectFile[]>();
  for (const f of ctx.linker.project.files.values()) {
    if (!f.abs.startsWith(dir + path.sep) || !SCRIPT.test(f.abs)) continue;
    const base = path.basename(f.abs);
    if (/^autohooks\./.test(base) || (ignoreRe && ignoreRe.test(base))) continue;
    const d = path.dirname(f.abs);
    let list = byDir.get(d);
    if (!list) byDir.set(d, (list = []));
    list.push(f);
  }
  for (const [d, list] of byDir) {
    const index = list.filter((f) => /^index\.[cm]?[jt]s$/.test(path.basename(f.abs)));
    const load = index.length ? index.slice(0, 1) : list;
    const segments = path.relative(dir, d).split(path.sep).filter(Boolean);
    const dirPrefix = dirNames ? segments.map((s) => (routeParams && s.startsWith('_') ? ':' + s.slice(1) : s)).join('/') : '';
    for (const f of load) {
      const exported = (name: string): string | undefined => {
        for (const r of ctx.linker.exportRefs(f, name)) if (r.v.k === 'string') return r.v.value;
        return undefined;
      };
      const override = exported('prefixOverride');
      const autoPrefix = exported('autoPrefix');
      const prefix = override !== undefined ? override : joinPrefix(basePrefix, autoPrefix ?? (dirPrefix ? '/' + dirPrefix : ''));
      const targets: PluginTarget[] = [];
      for (const r of ctx.linker.exportRefs(f, 'default')) {
        if (r.v.k === 'fn') targets.push({ fn: r.v.node, file: r.file, shared: false });
        else if (r.v.k === 'call' && isModuleExport(r.v.callee, PLUGIN_MODULES, ['', 'fastifyPlugin', 'default']) && r.v.node.arguments[0]) {
          targets.push(...pluginTargets(ctx.linker, r.v.node.arguments[0], fileOf(ctx.linker, r.v.node) ?? r.file, true));
        }
      }
      for (const t of targets) ctx.mount({ prefix: t.shared ? '' : prefix, child: t.fn, file: t.file, pluginParam: 0, shared: t.shared || undefined });
    }
  }
}

function joinPrefix(a: string, b: string): string {
  if (!b) return a;
  if (!a) return b;
  return a.replace(/\/+$/, '') + '/' + b.replace(/^\/+/, '');
}

/** `path.join(__dirname, 'routes')`, `join(import.meta.dirname, 'routes')`, `fileURLToPath(new URL('./routes', import.meta.url))`, a constant of those. */
function dirOf(ctx: CallContext, node: ts.Expression | undefined, file: ProjectFile, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const e = skipOuter(node);
  const here = path.dirname(file.abs);
  if (ts.isIdentifier(e)) {
    if (e.text === '__dirname') return here;
    const v = file.valueOf(e);
    if (v.k === 'call') return dirOf(ctx, v.node, fileOf(ctx.linker, v.node) ?? file, depth + 1);
    const s = stringOf(e, file, ctx.linker);
    return s !== undefined ? path.resolve(ctx.linker.project.root, s) : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'dirname' && ts.isMetaProperty(e.expression)) return here;
  if (ts.isStringLiteralLike(e)) return path.resolve(ctx.linker.project.root, e.text);
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name === 'join' || name === 'resolve') {
      let base: string | undefined;
      const parts: string[] = [];
      e.arguments.forEach((a, i) => {
        const s = stringOf(a, file, ctx.linker);
        if (s !== undefined) { parts.push(s); return; }
        if (i === 0) base = dirOf(ctx, a, file, depth + 1) ?? (/dirname|import\.meta/.test(a.getText(file.sf)) ? here : undefined);
        else parts.push('\0');
      });
      if (parts.includes('\0')) return undefined;
      return path.resolve(base ?? ctx.linker.project.root, ...parts);
    }
    if (name === 'dirname' && e.arguments[0] && /import\.meta\.url|__filename|filename/.test(e.arguments[0].getText(file.sf))) return here;
    if (name === 'fileURLToPath' && e.arguments[0]) {
      const u = skipOuter(e.arguments[0]);
      if (ts.isNewExpression(u) && u.arguments?.length === 2 && /import\.meta\.url/.test(u.arguments[1].getText(file.sf))) {
        const s = stringOf(u.arguments[0], file, ctx.linker);
        return s !== undefined ? path.resolve(here, s) : undefined;
      }
      if (/import\.meta\.url/.test(u.getText(file.sf))) return here;
    }
  }
  return undefined;
}
