/**
 * Next.js: App Router route handlers (`app/**\/route.ts`, also under `src/`) exporting
 * GET/POST/PUT/PATCH/DELETE/HEAD/OPTIONS as functions, consts, `export { h as GET }` or
 * destructured consts; Pages Router API routes (`pages/api/**`, default export, method `ANY`).
 * Paths come from the folders: route groups `(x)` and parallel-route slots `@x` are dropped,
 * private folders `_x` are not routed, dynamic segments stay as Next writes them (`[id]`).
 * Only in a Next.js project: a folder with `next.config.*` or a package.json depending on `next`,
 * or a project importing `next`/`next/*`. The route's line is its `export`.
 * An `instrumentation.ts` registering OpenTelemetry (`@vercel/otel`'s `registerOTel`, a NodeSDK or
 * tracer provider) makes Next.js trace every route handler itself: coverage `auto`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ts, hasExportModifier, hasDefaultModifier, skipOuter } from '../ts';
import { packageOf } from './common';
import type { Linker } from '../link';
import type { Project, ProjectFile } from '../project';
import type { FileFramework, FileFrameworkHelpers, FileRouteDraft } from './types';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const ROUTE_FILE = /^route\.(ts|tsx|js|jsx|mts|mjs)$/;
const PAGE_FILE = /\.(ts|tsx|js|jsx)$/;
const CONFIG_FILES = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs', 'next.config.mts'];
/** Modules that register an OpenTelemetry tracer provider, which Next.js' built-in spans report to. */
const OTEL_REGISTER = /^(@vercel\/otel|@opentelemetry\/sdk-node|@opentelemetry\/sdk-trace-node|@opentelemetry\/sdk-trace-base|@opentelemetry\/auto-instrumentations-node|dd-trace|newrelic|@highlight-run\/next|@baselime\/node-opentelemetry)$/;

type Kind = 'app' | 'pages';

const next: FileFramework = {
  id: 'next',
  kind: 'file',
  collect(project, linker, helpers) {
    const det = new NextProject(project);
    const out: FileRouteDraft[] = [];
    for (const file of project.files.values()) {
      const segs = file.rel.split('/');
      const base = segs[segs.length - 1];
      let found: { root: string; kind: Kind; urlSegs: string[] } | undefined;
      if (ROUTE_FILE.test(base) && segs.includes('app')) found = det.locate(segs, 'app');
      if (!found && PAGE_FILE.test(base) && segs.includes('pages')) found = det.locate(segs, 'pages');
      if (!found) continue;
      const urlPath = found.kind === 'app' ? appPath(found.urlSegs) : pagesPath(found.urlSegs);
      if (urlPath === undefined) continue;
      const auto = det.autoFor(found.root);
      const cov: FileRouteDraft['coverage'] = auto ? { kind: 'auto', by: auto } : undefined;
      const exports = found.kind === 'app' ? appExports(file, linker, helpers) : defaultExport(file);
      for (const e of exports) {
        if (e.handler && delegatesToRouter(e.handler, file, linker)) continue;
        out.push({ framework: 'next', file, method: e.method, path: urlPath, nameNode: e.nameNode, handler: e.handler, coverage: e.coverage ?? cov });
      }
    }
    return out;
  },
};

/** Packages whose routers are listed by their own recognizer (`export const GET = handle(app)` of hono/vercel). */
const ROUTER_ADAPTERS = /^(hono(\/.*)?|@hono\/.*)$/;

/** Is the handler an adapter around another recognized framework's app (its routes are listed already)? */
function delegatesToRouter(handler: ts.Node, file: ProjectFile, linker: Linker): boolean {
  const e = ts.isExpression(handler) ? skipOuter(handler) : handler;
  const call = ts.isCallExpression(e) ? e : undefined;
  const callee = call?.expression ?? (ts.isIdentifier(e) ? e : undefined);
  if (!callee) return false;
  const refs = call ? linker.refsOf(call.expression, file) : linker.refsOf(e, file).flatMap((r) => (r.v.k === 'call' ? [{ v: r.v.callee, file: r.file }] : []));
  return refs.some((r) => { const p = packageOf(r.v); return !!p && ROUTER_ADAPTERS.test(p); });
}

interface ExportedHandler { method: string; nameNode: ts.Node; handler?: ts.Node; coverage?: FileRouteDraft['coverage'] }

function exportKeyword(s: ts.Node): ts.Node {
  return (ts.canHaveModifiers(s) ? ts.getModifiers(s)?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword) : undefined) ?? s;
}

/** GET/POST/… exported by a route.ts. */
function appExports(file: ProjectFile, linker: Linker, helpers: FileFrameworkHelpers): ExportedHandler[] {
  const out: ExportedHandler[] = [];
  for (const s of file.sf.statements) {
    if (ts.isFunctionDeclaration(s) && hasExportModifier(s) && !hasDefaultModifier(s) && s.name && METHODS.has(s.name.text)) {
      if (s.body) out.push({ method: s.name.text, nameNode: exportKeyword(s), handler: s });
    } else if (ts.isVariableStatement(s) && hasExportModifier(s)) {
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) {
          if (METHODS.has(d.name.text) && d.initializer) out.push({ method: d.name.text, nameNode: exportKeyword(s), handler: d.initializer });
        } else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (ts.isIdentifier(el.name) && METHODS.has(el.name.text)) out.push({ method: el.name.text, nameNode: exportKeyword(s), handler: el.name });
          }
        }
      }
    } else if (ts.isExportDeclaration(s) && !s.isTypeOnly && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const el of s.exportClause.elements) {
        if (el.isTypeOnly || !METHODS.has(el.name.text)) continue;
        if (!s.moduleSpecifier) {
          const local = el.propertyName ?? el.name;
          out.push({ method: el.name.text, nameNode: s, handler: ts.isIdentifier(local) ? local : undefined });
        } else {
          // export { GET } from './handlers': the handler is in another file, so coverage is decided here
          let by: string | undefined;
          for (const r of linker.exportRefs(file, el.name.text)) {
            if (r.v.k === 'fn') by ??= helpers.instrumentation(r.v.node, r.file);
            else if (r.v.k === 'call') by ??= helpers.instrumentation(r.v.node, r.file);
          }
          out.push({ method: el.name.text, nameNode: s, coverage: by ? { kind: 'handler', by } : undefined });
        }
      }
    }
  }
  return out;
}

/** The default export of a pages/api file (ESM or `module.exports =`). */
function defaultExport(file: ProjectFile): ExportedHandler[] {
  for (const s of file.sf.statements) {
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && hasExportModifier(s) && hasDefaultModifier(s)) {
      return [{ method: 'ANY', nameNode: exportKeyword(s), handler: s }];
    }
    if (ts.isExportAssignment(s)) return [{ method: 'ANY', nameNode: s, handler: s.expression }];
    if (ts.isExportDeclaration(s) && !s.isTypeOnly && s.exportClause && ts.isNamedExports(s.exportClause) && !s.moduleSpecifier) {
      const el = s.exportClause.elements.find((x) => x.name.text === 'default');
      if (el) return [{ method: 'ANY', nameNode: s, handler: el.propertyName ?? el.name }];
    }
  }
  for (const s of file.sf.statements) {
    if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = s.expression.left;
      if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && left.expression.text === 'module' && left.name.text === 'exports') {
        return [{ method: 'ANY', nameNode: s, handler: s.expression.right }];
      }
    }
  }
  return [];
}

/** URL of an App Router route from the folders between `app/` and `route.ts`; undefined for private folders. */
function appPath(folders: string[]): string | undefined {
  const out: string[] = [];
  for (const raw of folders) {
    const seg = raw.replace(/%5F/gi, '_');
    if (raw.startsWith('_')) return undefined; // private folder: not routable
    if (/^\(.*\)$/.test(seg)) continue; // route group
    if (seg.startsWith('@')) continue; // parallel-route slot
    const intercept = /^(\(\.{1,3}\)|(\(\.\.\))+)(.+)$/.exec(seg); // intercepting route: (.)photo
    out.push(intercept ? intercept[3] : seg);
  }
  return '/' + out.join('/');
}

/** URL of a Pages Router API route: `api/users/index.ts` → /api/users. */
function pagesPath(segs: string[]): string | undefined {
  const parts = [...segs];
  parts[parts.length - 1] = parts[parts.length - 1].replace(PAGE_FILE, '');
  if (parts[parts.length - 1] === 'index') parts.pop();
  return '/' + parts.join('/');
}

/** Where the Next.js apps of a project are, and which of them trace themselves. */
class NextProject {
  private readonly dirMemo = new Map<string, boolean>();
  private readonly autoMemo = new Map<string, string | undefined>();
  private projectMemo?: boolean;

  constructor(private readonly project: Project) {}

  /**
   * For a file under `<root>/[src/]app/…/route.ts` or `<root>/[src/]pages/api/…`, the Next root
   * (relative, '' = scan root) and the URL segments. The outermost folder that is a Next app wins;
   * without one, the outermost candidate in a project that otherwise looks like Next.js.
   */
  locate(segs: string[], kind: Kind): { root: string; kind: Kind; urlSegs: string[] } | undefined {
    const candidates: Array<{ root: string; kind: Kind; urlSegs: string[] }> = [];
    for (let i = 0; i < segs.length - 1; i++) {
      if (segs[i] !== kind) continue;
      if (kind === 'pages' && (segs[i + 1] !== 'api' || i + 2 >= segs.length)) continue;
      const rootSegs = segs.slice(0, i);
      const withoutSrc = rootSegs[rootSegs.length - 1] === 'src' ? rootSegs.slice(0, -1) : undefined;
      const urlSegs = kind === 'app' ? segs.slice(i + 1, -1) : segs.slice(i + 1);
      if (withoutSrc) candidates.push({ root: withoutSrc.join('/'), kind, urlSegs });
      candidates.push({ root: rootSegs.join('/'), kind, urlSegs });
    }
    if (!candidates.length) return undefined;
    const nextRoot = candidates.find((c) => this.isNextDir(c.root));
    if (nextRoot) return nextRoot;
    return this.looksLikeNext() ? candidates[0] : undefined;
  }

  private abs(rel: string): string {
    return rel ? path.join(this.project.root, ...rel.split('/')) : this.project.root;
  }

  /** A folder with next.config.* or a package.json that depends on next. */
  isNextDir(rel: string): boolean {
    const dir = this.abs(rel);
    const memo = this.dirMemo.get(dir);
    if (memo !== undefined) return memo;
    let yes = CONFIG_FILES.some((c) => fs.existsSync(path.join(dir, c)));
    if (!yes) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
        yes = ['dependencies', 'devDependencies', 'peerDependencies'].some((k) => {
          const deps = pkg[k];
          return !!deps && typeof deps === 'object' && 'next' in deps;
        });
      } catch { /* no or broken package.json: not a sign either way */ }
    }
    this.dirMemo.set(dir, yes);
    return yes;
  }

  /** The scan root or a folder above it is a Next app, or some file imports next / next/*. */
  looksLikeNext(): boolean {
    if (this.projectMemo !== undefined) return this.projectMemo;
    let yes = false;
    for (const f of this.project.files.values()) {
      for (const m of f.importedModules) if (m === 'next' || m.startsWith('next/')) { yes = true; break; }
      if (yes) break;
    }
    for (let dir = this.project.root, i = 0; !yes && i < 4; i++) {
      const parent = path.dirname(dir);
      yes = this.isNextDir(path.relative(this.project.root, dir).split(path.sep).join('/'));
      if (parent === dir) break;
      dir = parent;
    }
    this.projectMemo = yes;
    return yes;
  }

  /** An `instrumentation.(ts|js)` of this Next app registering OpenTelemetry (or an APM agent). */
  autoFor(root: string): string | undefined {
    if (this.autoMemo.has(root)) return this.autoMemo.get(root);
    let by: string | undefined;
    for (const dir of [root, root ? `${root}/src` : 'src']) {
      for (const ext of ['ts', 'js', 'mjs', 'mts']) {
        const f = this.project.files.get(path.join(this.abs(dir), `instrumentation.${ext}`));
        if (!f) continue;
        by = this.registers(f, 0);
        if (by) break;
      }
      if (by) break;
    }
    this.autoMemo.set(root, by);
    return by;
  }

  private registers(file: ProjectFile, depth: number): string | undefined {
    for (const m of file.importedModules) {
      if (OTEL_REGISTER.test(m)) return `${m} in ${file.rel}`;
    }
    if (depth > 1) return undefined;
    // the common split: instrumentation.ts → await import('./instrumentation.node')
    for (const m of file.importedModules) {
      if (!m.startsWith('.')) continue;
      const target = this.project.resolveModule(m, file.abs);
      if (target && target !== file) { const by = this.registers(target, depth + 1); if (by) return by; }
    }
    return undefined;
  }
}

export default next;
