/**
 * Links the routes of scope frameworks across the project: finds every app/router/plugin scope,
 * interprets the method calls made on it, follows mounts (`app.use('/api', router)`,
 * `fastify.register(plugin, { prefix })`, a router passed to a function), composes prefixes from
 * the server root, and decides middleware coverage by registration order.
 */
import { ts, skipOuter } from './ts';
import type { FrameworkId, Coverage } from './model';
import type { Linker, Ref } from './link';
import type { Project, ProjectFile, MethodCall } from './project';
import type { CallContext, MiddlewareDraft, RouteDraft, ScopeFramework } from './frameworks/types';
import type { Instrumentation } from './instrument';
import { stringOf, pathOf } from './strings';
import { isFunctionLike } from './ts';

interface Edge { parent: ScopeNode; prefix: string; file: ProjectFile; pos: number; shared?: boolean }
interface ScopedMiddleware extends MiddlewareDraft { file: ProjectFile; pos: number; line: number }

export interface ScopeNode {
  id: number;
  framework?: FrameworkId;
  kind: 'app' | 'router' | 'plugin' | 'param';
  ownPrefix: string;
  parents: Edge[];
  middleware: ScopedMiddleware[];
  /** The parameter, for param scopes (a function receiving an app/router/plugin instance). */
  param?: { fn: ts.SignatureDeclaration; index: number; file: ProjectFile };
  /** Where the scope is created (`express()`, the plugin parameter), for fixes that instrument a whole app. */
  origin?: { node: ts.Node; file: ProjectFile };
}

export interface LinkedRoute {
  framework: FrameworkId;
  file: ProjectFile;
  method: string;
  path: string;
  nameNode: ts.Node;
  handler?: ts.Node;
  coverage: Coverage;
  coveredBy?: string;
  /** The root scope (the app) the route is served by, where known. */
  app?: { node: ts.Node; file: ProjectFile };
}

const MAX_CHAINS = 16;

export function linkScopeRoutes(project: Project, linker: Linker, frameworks: ScopeFramework[], instr: Instrumentation): LinkedRoute[] {
  const nodes = new Map<unknown, ScopeNode>();
  let nextId = 0;
  const interesting = new Set<string>();
  for (const fw of frameworks) for (const m of fw.methods) interesting.add(m);
  const routes: Array<{ draft: RouteDraft; scope: ScopeNode; file: ProjectFile; pos: number; framework: FrameworkId }> = [];
  const paramResolved = new Set<ScopeNode>();

  const keyOf = (r: Ref): unknown => {
    const v = r.v;
    switch (v.k) {
      case 'call': case 'new': return r.via?.node ?? v.node;
      case 'param': return v.node;
      case 'typed': return v.node;
      default: return undefined;
    }
  };

  const scopeNodesOf = (expr: ts.Node, file: ProjectFile): ScopeNode[] => {
    const out: ScopeNode[] = [];
    for (const r of linker.refsOf(expr, file)) { const n = nodeFor(r); if (n) out.push(n); }
    return out;
  };

  const nodeFor = (r: Ref): ScopeNode | undefined => {
    const key = keyOf(r);
    if (key === undefined) return undefined;
    const existing = nodes.get(key);
    if (existing) return existing;
    for (const fw of frameworks) {
      const k = fw.scopeOf(r, linker);
      if (!k) continue;
      if (k.alias) {
        // A chained call returning its receiver: the same scope as the receiver's.
        const target = scopeNodesOf(k.alias.node, k.alias.file)[0];
        if (target) nodes.set(key, target);
        return target;
      }
      // an instance made by a factory call: the prefix is the made scope's (below), not repeated here
      const node: ScopeNode = { id: nextId++, framework: k.framework, kind: k.kind, ownPrefix: r.via ? '' : k.prefix ?? '', parents: [], middleware: [] };
      // A parameter the framework recognizes (a typed plugin) still gets parents from its call sites.
      if (r.v.k === 'param') node.param = { fn: r.v.fn, index: r.v.index, file: r.file };
      node.origin = originOf(r);
      nodes.set(key, node);
      if (r.via) {
        // One instance per call of the factory: what the factory registers on the scope it makes
        // (routes, middleware) hangs under each instance.
        const made = nodeFor({ v: r.v, file: r.file });
        if (made && made !== node) made.parents.push({ parent: node, prefix: '', file: r.via.file, pos: r.via.node.getStart(r.via.file.sf) });
      }
      if (k.parent) {
        for (const p of scopeNodesOf(k.parent.node, k.parent.file)) node.parents.push({ parent: p, prefix: k.parent.mountPrefix, file: k.parent.file, pos: k.parent.node.getStart(k.parent.file.sf) });
      }
      return node;
    }
    const v = r.v;
    if (v.k === 'param' || v.k === 'typed') {
      const ann = v.annotation;
      const fw = ann ? frameworks.find((f) => f.isScopeType(ann)) : undefined;
      if (v.k === 'typed' && !fw) return undefined;
      const node: ScopeNode = { id: nextId++, framework: fw?.id, kind: 'param', ownPrefix: '', parents: [], middleware: [] };
      if (v.k === 'param') node.param = { fn: v.fn, index: v.index, file: r.file };
      node.origin = originOf(r);
      nodes.set(key, node);
      return node;
    }
    return undefined;
  };

  const str = (file: ProjectFile) => (n: ts.Node | undefined) => stringOf(n, file, linker);

  const interpretCall = (mc: MethodCall, file: ProjectFile, scope: ScopeNode, fw: ScopeFramework): void => {
    const pos = mc.node.getStart(file.sf);
    const ctx: CallContext = {
      file, linker, call: mc.node, method: mc.method,
      str: str(file),
      pathOf: (n) => pathOf(n, file, linker),
      instrumentation: (n) => instr.describe(n, file),
      route: (d) => routes.push({ draft: d, scope, file, pos, framework: fw.id }),
      mount: (d) => {
        let children: ScopeNode[] = [];
        const childFile = d.file ?? file;
        if (d.pluginParam !== undefined) {
          for (const { fn, file: ff } of linker.functionsOf(d.child, childFile)) {
            const p = fn.parameters[d.pluginParam];
            if (!p) continue;
            const n = nodeFor({ v: ff.values.valueOfDeclaration(p), file: ff });
            if (n) children.push(n);
          }
        } else children = scopeNodesOf(d.child, childFile);
        for (const c of children) {
          if (c === scope) continue;
          if (!c.framework) c.framework = fw.id;
          c.parents.push({ parent: scope, prefix: d.prefix, file, pos, shared: d.shared || undefined });
        }
      },
      middleware: (d) => scope.middleware.push({ ...d, file, pos, line: file.position(mc.node).line }),
    };
    try {
      fw.interpret(ctx);
    } catch {
      // A recognizer bug must not stop the scan; the call is skipped (reported by the walker in rules).
    }
  };

  // Param scopes get their parents from the call sites that pass a scope in: registerRoutes(app).
  const resolveParamParents = (node: ScopeNode): void => {
    if (!node.param || paramResolved.has(node)) return;
    paramResolved.add(node);
    const { fn, index, file } = node.param;
    const names = new Set(namesOf(fn));
    const visitCall = (call: ts.CallExpression, f: ProjectFile): void => {
      const arg = call.arguments[index];
      if (!arg) return;
      if (!linker.functionsOf(call.expression, f).some((x) => x.fn === fn)) return;
      for (const p of scopeNodesOf(arg, f)) if (p !== node) node.parents.push({ parent: p, prefix: '', file: f, pos: call.getStart(f.sf) });
    };
    for (const name of names) {
      for (const f of project.files.values()) {
        for (const call of f.callsByName.get(name) ?? []) visitCall(call, f);
      }
    }
    // A default / CommonJS export is called by whatever name its importers give it:
    // `import userRoutes from './users'; userRoutes(router)`.
    if (isFunctionLike(fn) && linker.exportRefs(file, 'default').some((r) => r.v.k === 'fn' && r.v.node === fn)) {
      for (const f of project.files.values()) {
        if (f === file || ![...f.importedModules].some((spec) => project.resolveModule(spec, f.abs) === file)) continue;
        for (const [name, list] of f.callsByName) {
          if (names.has(name)) continue;
          for (const call of list) if (ts.isIdentifier(call.expression)) visitCall(call, f);
        }
      }
    }
  };

  // Fixpoint: interpreting calls adds mounts, which give param scopes a framework, which makes
  // more calls interpretable.
  // The scopes a call's base resolves to are computed once (scope nodes are stable; only their
  // framework can become known in a later round).
  let calls: Array<{ mc: MethodCall; file: ProjectFile; scopes?: ScopeNode[]; done?: Set<ScopeNode> }> = [];
  for (const file of project.files.values()) for (const mc of file.methodCalls) if (interesting.has(mc.method)) calls.push({ mc, file });
  for (let round = 0; round < 8; round++) {
    let progress = false;
    for (const c of calls) {
      const { mc, file } = c;
      c.scopes ??= scopeNodesOf(mc.base, file);
      for (const scope of c.scopes) {
        if (scope.kind === 'param' && !scope.framework) {
          resolveParamParents(scope);
          const fwParent = scope.parents.find((e) => e.parent.framework);
          if (fwParent) { scope.framework = fwParent.parent.framework; progress = true; }
        }
        if (!scope.framework) continue;
        const fw = frameworks.find((f) => f.id === scope.framework)!;
        if (!fw.methods.has(mc.method)) continue;
        c.done ??= new Set();
        if (c.done.has(scope)) continue;
        c.done.add(scope);
        interpretCall(mc, file, scope, fw);
        progress = true;
      }
    }
    if (round === 0) calls = calls.filter((c) => c.scopes!.length > 0);
    if (!progress) break;
  }
  for (const n of nodes.values()) if (n.param) resolveParamParents(n);

  // Middleware registered in a shared child (a fastify-plugin plugin) belongs to the parent's
  // context too, at the position the child is registered (unless it is unordered anyway).
  const sharedChildren = new Map<ScopeNode, Edge[]>();
  for (const n of new Set(nodes.values())) {
    for (const e of n.parents) if (e.shared) {
      let list = sharedChildren.get(e.parent);
      if (!list) sharedChildren.set(e.parent, (list = []));
      list.push({ ...e, parent: n });
    }
  }
  const middlewareMemo = new Map<ScopeNode, ScopedMiddleware[]>();
  const middlewareOf = (scope: ScopeNode): ScopedMiddleware[] => {
    const memo = middlewareMemo.get(scope);
    if (memo) return memo;
    const out = [...scope.middleware];
    middlewareMemo.set(scope, out);
    for (const e of sharedChildren.get(scope) ?? []) {
      for (const m of middlewareOf(e.parent)) out.push(m.unordered ? m : { ...m, file: e.file, pos: e.pos });
    }
    return out;
  };

  // Compose prefixes and middleware coverage along every chain from the route's scope to a root.
  interface Chain { prefix: string; coveredBy?: string; root: ScopeNode }
  const chains = (scope: ScopeNode, file: ProjectFile, pos: number, seen: Set<ScopeNode>): Chain[] => {
    const own = middlewareOf(scope).find((m) => m.unordered || m.file !== file || m.pos < pos);
    const ownCovered = own ? `${own.description} (${own.file.rel}:${own.line})` : undefined;
    const parents = scope.parents.filter((e) => !seen.has(e.parent));
    if (parents.length === 0) return [{ prefix: scope.ownPrefix, coveredBy: ownCovered, root: scope }];
    const out: Chain[] = [];
    seen.add(scope);
    for (const e of parents) {
      for (const c of chains(e.parent, e.file, e.pos, seen)) {
        if (out.length >= MAX_CHAINS) break;
        out.push({ prefix: joinPath(joinPath(c.prefix, e.prefix), scope.ownPrefix), coveredBy: ownCovered ?? c.coveredBy, root: c.root });
      }
    }
    seen.delete(scope);
    return out;
  };

  const out: LinkedRoute[] = [];
  for (const r of routes) {
    const handler = r.draft.handlers[r.draft.handlers.length - 1];
    let handlerCoverage: string | undefined;
    for (const h of r.draft.handlers) { handlerCoverage = instr.describe(h, r.file); if (handlerCoverage) break; }
    const seenPaths = new Set<string>();
    for (const chain of chains(r.scope, r.file, r.pos, new Set())) {
      for (const p of r.draft.paths) {
        const full = joinPath(chain.prefix, p);
        for (const m of r.draft.methods) {
          const key = `${m} ${full}`;
          if (seenPaths.has(key)) continue;
          seenPaths.add(key);
          out.push({
            framework: r.framework, file: r.file, method: m, path: full, nameNode: r.draft.nameNode, handler,
            coverage: handlerCoverage ? 'handler' : chain.coveredBy ? 'middleware' : 'none',
            app: chain.root.origin,
            coveredBy: handlerCoverage ?? chain.coveredBy,
          });
        }
      }
    }
  }
  return out;
}

function originOf(r: Ref): { node: ts.Node; file: ProjectFile } | undefined {
  const v = r.v;
  if (v.k === 'call' || v.k === 'new' || v.k === 'param' || v.k === 'typed') return { node: v.node, file: r.file };
  return undefined;
}

/** Names a function can be called by: its own name, the variable or property it is assigned to, export names. */
function namesOf(fn: ts.SignatureDeclaration): string[] {
  const names: string[] = [];
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) names.push(fn.name.text);
  if (ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name)) names.push(fn.name.text);
  let p: ts.Node = fn.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || (ts.isCallExpression(p) && isFunctionLike(fn)))) p = p.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) names.push(p.name.text);
  if (p && ts.isPropertyAssignment(p)) { const n = p.name; if (ts.isIdentifier(n) || ts.isStringLiteral(n)) names.push(n.text); }
  if (p && ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left)) names.push(p.left.name.text);
  if (p && ts.isBinaryExpression(p) && ts.isIdentifier(p.left)) names.push(p.left.text);
  // module.exports = function (app) {}; called as require('./routes')(app): indexed under its file name
  return names.filter((n) => n !== 'exports');
}

/** Joins route path pieces the way the frameworks do: one slash between, no trailing slash (except root). */
export function joinPath(a: string, b: string): string {
  if (!a) return normalize(b);
  if (!b || b === '/') return normalize(a);
  if (b.startsWith('/^') || b.startsWith('*')) return normalize(a.replace(/\/$/, '') + '/' + b.replace(/^\//, ''));
  return normalize(a.replace(/\/+$/, '') + '/' + b.replace(/^\/+/, ''));
}

function normalize(p: string): string {
  if (p === '' || p === '/') return '/';
  const regex = /[\\^$]/.test(p);
  if (!regex && p.length > 1 && p.endsWith('/')) p = p.replace(/\/+$/, '') || '/';
  if (!p.startsWith('/') && !p.startsWith('*') && !p.startsWith('(')) p = '/' + p;
  return p;
}

export function isSkippable(e: ts.Expression): boolean {
  return ts.isSpreadElement(skipOuter(e));
}
