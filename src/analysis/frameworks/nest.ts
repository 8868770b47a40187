/**
 * NestJS: `@Controller(path | [paths] | { path, version })` classes (from `@nestjs/common`, matched
 * through imports, re-exports and aliases) with `@Get/@Post/@Put/@Patch/@Delete/@Options/@Head/
 * @All/@Search/@Sse` methods, including methods inherited from base classes. Paths are composed the
 * way Nest does: `/globalPrefix/vN/modulePath/controllerPath/methodPath`, with
 *   - the global prefix of `app.setGlobalPrefix(p, { exclude })` in the bootstrap file,
 *   - URI versioning (`app.enableVersioning`, `@Controller({ version })`, `@Version`, `VERSION_NEUTRAL`),
 *   - `RouterModule.register([{ path, module, children }])` module prefixes,
 * each app (a `NestFactory.create(RootModule)`) applying to the controllers its module tree declares.
 * Coverage: a handler recording metrics or spans (core); interceptors (`@UseInterceptors` on the
 * controller or method, `useGlobalInterceptors`, `APP_INTERCEPTOR` providers), module middleware
 * (`consumer.apply(M).forRoutes(...)`), Express/Fastify metrics middleware on the Nest app, and
 * nestjs-otel `apiMetrics` → `middleware`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ts, skipOuter, decoratorsOf, decoratorCall, objectProperty, propertyNameText, isFunctionLike } from '../ts';
import { normalizedPath, type Value } from '../values';
import type { Linker } from '../link';
import type { Project, ProjectFile } from '../project';
import type { FileFramework, FileFrameworkHelpers, FileRouteDraft } from './types';
import { packageOf } from './common';
import { EXPRESS_METRICS_PACKAGES } from './express';

const ROUTE_DECORATORS: Record<string, string> = {
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Options: 'OPTIONS', Head: 'HEAD', All: 'ANY', Search: 'SEARCH', Sse: 'GET',
};
/** Packages that instrument every route of the app they are registered on (module → description). */
const APP_METRICS_PACKAGES: Readonly<Record<string, string>> = {
  ...EXPRESS_METRICS_PACKAGES,
  'fastify-metrics': 'fastify-metrics',
  '@promster/fastify': '@promster/fastify',
};
/** `XModule.forRoot(...)` of these packages traces or measures every controller by default. */
const TRACING_MODULES: Readonly<Record<string, string>> = {
  '@metinseylan/nestjs-opentelemetry': '@metinseylan/nestjs-opentelemetry OpenTelemetryModule',
  '@amplication/opentelemetry-nestjs': '@amplication/opentelemetry-nestjs OpenTelemetryModule',
  'nestjs-opentelemetry': 'nestjs-opentelemetry OpenTelemetryModule',
};
const NEUTRAL = '\0neutral';

interface Versioning { prefix: string; defaultVersion?: string[] }
interface Exclude { pattern: RegExp; method?: string }
interface App {
  file?: ProjectFile;
  create?: ts.CallExpression;
  rootModule?: ts.ClassLikeDeclaration;
  prefix: string;
  exclude: Exclude[];
  versioning?: Versioning;
  coverage?: string;
}
interface ModuleInfo { cls: ts.ClassLikeDeclaration; file: ProjectFile; imports: ts.ClassLikeDeclaration[]; controllers: ts.ClassLikeDeclaration[] }
interface Scoped { description: string; controllers?: Set<ts.ClassLikeDeclaration>; paths?: string[]; all?: boolean }

const nest: FileFramework = {
  id: 'nest',
  kind: 'file',
  collect(project, linker, helpers) {
    return new NestAnalysis(project, linker, helpers).routes();
  },
};

class NestAnalysis {
  private readonly modules = new Map<ts.ClassLikeDeclaration, ModuleInfo>();
  private readonly modulePaths = new Map<ts.ClassLikeDeclaration, string>();
  /** Coverage that applies to routes wherever they are (APP_INTERCEPTOR, nestjs-otel, module middleware). */
  private readonly scoped: Scoped[] = [];

  constructor(private readonly project: Project, private readonly linker: Linker, private readonly helpers: FileFrameworkHelpers) {}

  /** Decorator names resolve the same way everywhere in a file (nobody shadows `Get`): memoized per file and text. */
  private readonly nameMemo = new Map<ProjectFile, Map<string, string | null>>();

  /** Which @nestjs/* export an expression is (following imports, aliases and project re-exports). */
  nestExport(expr: ts.Node, file: ProjectFile, pkg = '@nestjs/common'): string | undefined {
    const key = ts.isIdentifier(expr) ? `${pkg}:${expr.text}` : ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) ? `${pkg}:${expr.expression.text}.${expr.name.text}` : undefined;
    if (key === undefined) return this.resolveNestExport(expr, file, pkg);
    let memo = this.nameMemo.get(file);
    if (!memo) this.nameMemo.set(file, (memo = new Map()));
    const hit = memo.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.resolveNestExport(expr, file, pkg);
    memo.set(key, r ?? null);
    return r;
  }

  private resolveNestExport(expr: ts.Node, file: ProjectFile, pkg: string): string | undefined {
    const v = file.valueOf(expr);
    if (v.k !== 'module') return undefined;
    if (v.module === pkg) { const p = normalizedPath(v); return p.length === 1 ? p[0] : undefined; }
    if (v.module.startsWith('@nestjs/')) return undefined;
    for (const r of this.linker.deref(v, file)) {
      if (r.v.k === 'module' && r.v.module === pkg) { const p = normalizedPath(r.v); if (p.length === 1) return p[0]; }
    }
    return undefined;
  }

  private isNestValue(v: Value, pkg: string, name: string): boolean {
    return v.k === 'module' && v.module === pkg && normalizedPath(v).join('.') === name;
  }

  private refsAre(expr: ts.Node, file: ProjectFile, pkg: string, name: string): boolean {
    const v = file.valueOf(expr);
    if (this.isNestValue(v, pkg, name)) return true;
    if (v.k === 'module' && v.module.startsWith('@nestjs/')) return false;
    return this.linker.deref(v, file).some((r) => this.isNestValue(r.v, pkg, name));
  }

  /** The decorator of `node` that is `@nestjs/common`'s `name` (one of `names`), with its resolved name. */
  private decorators(node: ts.Node, file: ProjectFile, names?: Set<string>): Array<{ d: ts.Decorator; name: string; args: readonly ts.Expression[] }> {
    const out: Array<{ d: ts.Decorator; name: string; args: readonly ts.Expression[] }> = [];
    for (const d of decoratorsOf(node)) {
      const c = decoratorCall(d);
      if (!c) continue;
      const name = this.nestExport(c.callee, file);
      if (name && (!names || names.has(name))) out.push({ d, name, args: c.args });
    }
    return out;
  }

  private classesOf(expr: ts.Node | undefined, file: ProjectFile, depth = 0): Array<{ cls: ts.ClassLikeDeclaration; file: ProjectFile }> {
    if (!expr || depth > 4) return [];
    const e = ts.isExpression(expr) ? skipOuter(expr) : expr;
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => this.classesOf(ts.isSpreadElement(el) ? el.expression : el, file, depth + 1));
    if (ts.isCallExpression(e)) {
      // forwardRef(() => X), X.forRoot(...), X.register(...)
      const callee = skipOuter(e.expression);
      if (ts.isIdentifier(callee) && callee.text === 'forwardRef' && e.arguments[0] && isFunctionLike(e.arguments[0])) {
        const body = (e.arguments[0] as ts.ArrowFunction).body;
        return body && !ts.isBlock(body) ? this.classesOf(body, file, depth + 1) : [];
      }
      if (ts.isPropertyAccessExpression(callee)) return this.classesOf(callee.expression, file, depth + 1);
      return [];
    }
    const out: Array<{ cls: ts.ClassLikeDeclaration; file: ProjectFile }> = [];
    for (const r of this.linker.refsOf(e, file)) {
      if (r.v.k === 'class') out.push({ cls: r.v.node, file: r.file });
      else if (r.v.k === 'array' && depth < 4) out.push(...this.classesOf(r.v.node, r.file, depth + 1));
    }
    return out;
  }

  routes(): FileRouteDraft[] {
    let nestProject = false;
    for (const f of this.project.files.values()) {
      for (const m of f.importedModules) if (m.startsWith('@nestjs/')) { nestProject = true; break; }
      if (nestProject) break;
    }
    if (!nestProject) return [];
    const controllers: Array<{ cls: ts.ClassLikeDeclaration; file: ProjectFile; args: readonly ts.Expression[] }> = [];
    const moduleDecls: Array<{ cls: ts.ClassLikeDeclaration; file: ProjectFile; args: readonly ts.Expression[] }> = [];
    for (const file of this.project.files.values()) {
      if (!file.classes.length) continue;
      for (const cls of file.classes) {
        for (const { name, args } of this.decorators(cls, file, new Set(['Controller', 'Module']))) {
          if (name === 'Controller') controllers.push({ cls, file, args });
          else moduleDecls.push({ cls, file, args });
        }
      }
    }
    if (!controllers.length) return [];
    for (const m of moduleDecls) this.readModule(m.cls, m.file, m.args);
    this.readConsumerMiddleware();
    const apps = this.readApps();

    const out: FileRouteDraft[] = [];
    for (const c of controllers) out.push(...this.controllerRoutes(c.cls, c.file, c.args, apps));
    return out;
  }

  private readModule(cls: ts.ClassLikeDeclaration, file: ProjectFile, args: readonly ts.Expression[]): void {
    const meta = args[0] ? skipOuter(args[0]) : undefined;
    const info: ModuleInfo = { cls, file, imports: [], controllers: [] };
    this.modules.set(cls, info);
    if (!meta || !ts.isObjectLiteralExpression(meta)) return;
    info.controllers = this.classesOf(objectProperty(meta, 'controllers'), file).map((x) => x.cls);
    const imports = objectProperty(meta, 'imports');
    info.imports = this.classesOf(imports, file).map((x) => x.cls);
    const importList = imports && ts.isArrayLiteralExpression(skipOuter(imports)) ? (skipOuter(imports) as ts.ArrayLiteralExpression).elements : [];
    for (const el of importList) {
      const e = skipOuter(ts.isSpreadElement(el) ? el.expression : el);
      if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) continue;
      const method = e.expression.name.text;
      const owner = e.expression.expression;
      if (method === 'register' && this.refsAre(owner, file, '@nestjs/core', 'RouterModule')) this.readRouterModule(e.arguments[0], file, '');
      else if (method === 'forRoot' || method === 'forRootAsync' || method === 'register' || method === 'registerAsync') this.readInstrumentationModule(e, owner, file);
    }
    // { provide: APP_INTERCEPTOR, useClass: X } anywhere in the providers
    const providers = objectProperty(meta, 'providers');
    const provList = providers && ts.isArrayLiteralExpression(skipOuter(providers)) ? (skipOuter(providers) as ts.ArrayLiteralExpression).elements : [];
    for (const p of provList) {
      const o = skipOuter(p);
      if (!ts.isObjectLiteralExpression(o)) continue;
      const provide = objectProperty(o, 'provide');
      if (!provide || !this.refsAre(provide, file, '@nestjs/core', 'APP_INTERCEPTOR')) continue;
      const impl = objectProperty(o, 'useClass') ?? objectProperty(o, 'useValue') ?? objectProperty(o, 'useExisting') ?? objectProperty(o, 'useFactory');
      const d = this.interceptorDescription(impl, file);
      if (d) this.scoped.push({ description: `APP_INTERCEPTOR ${d}`, all: true });
    }
  }

  private readRouterModule(routes: ts.Expression | undefined, file: ProjectFile, base: string, depth = 0): void {
    if (!routes || depth > 6) return;
    let e = skipOuter(routes);
    if (ts.isIdentifier(e)) {
      const refs = this.linker.refsOf(e, file);
      const arr = refs.find((r) => r.v.k === 'array');
      if (!arr || arr.v.k !== 'array') return;
      e = arr.v.node;
      file = arr.file;
    }
    if (!ts.isArrayLiteralExpression(e)) return;
    for (const el of e.elements) {
      const o = skipOuter(el);
      if (ts.isObjectLiteralExpression(o)) {
        const p = this.helpers.str(objectProperty(o, 'path'), file) ?? '';
        const full = joinSegments([base, p]);
        for (const m of this.classesOf(objectProperty(o, 'module'), file)) this.modulePaths.set(m.cls, full);
        this.readRouterModule(objectProperty(o, 'children'), file, full, depth + 1);
      } else {
        for (const m of this.classesOf(o, file)) this.modulePaths.set(m.cls, base);
      }
    }
  }

  /** nestjs-otel `OpenTelemetryModule.forRoot({ metrics: { apiMetrics: { enable: true } } })` and friends. */
  private readInstrumentationModule(call: ts.CallExpression, owner: ts.Expression, file: ProjectFile): void {
    const pkg = this.packageOfExpr(owner, file);
    if (!pkg) return;
    if (pkg === 'nestjs-otel') {
      if (hasEnabled(call, 'apiMetrics')) this.scoped.push({ description: 'nestjs-otel apiMetrics', all: true });
    } else if (pkg === '@digikare/nestjs-prom') {
      if (hasEnabled(call, 'withHttpMiddleware')) this.scoped.push({ description: '@digikare/nestjs-prom http middleware', all: true });
    } else if (TRACING_MODULES[pkg]) this.scoped.push({ description: TRACING_MODULES[pkg], all: true });
  }

  private packageOfExpr(expr: ts.Node, file: ProjectFile): string | undefined {
    // followed first: `src/middleware/prom` or `@/lib/metrics` (tsconfig baseUrl/paths) is a project file, not a package
    const v = file.valueOf(expr);
    const refs = this.linker.deref(v, file);
    for (const r of refs) { const p = packageOf(r.v); if (p) return p; }
    return refs.length ? undefined : packageOf(v);
  }

  /** How an interceptor / middleware (class, instance, function, `app.get(X)`) records, if it does. */
  private interceptorDescription(expr: ts.Node | undefined, file: ProjectFile, depth = 0): string | undefined {
    if (!expr || depth > 3) return undefined;
    const e = ts.isExpression(expr) ? skipOuter(expr) : expr;
    const pkg = this.packageOfExpr(e, file);
    if (pkg && APP_METRICS_PACKAGES[pkg]) return APP_METRICS_PACKAGES[pkg];
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'get' && e.arguments[0]) {
      const d = this.interceptorDescription(e.arguments[0], file, depth + 1); // app.get(MetricsInterceptor)
      if (d) return d;
    }
    for (const r of this.linker.refsOf(e, file)) {
      const cls = r.v.k === 'class' ? r.v.node : r.v.k === 'new' && r.v.callee.k === 'class' ? r.v.callee.node : undefined;
      if (cls) {
        for (const m of cls.members) {
          if (!ts.isMethodDeclaration(m) || !m.body) continue;
          const d = this.helpers.instrumentation(m, r.file);
          if (d) return `${cls.name?.text ?? 'interceptor'} (${d})`;
        }
      } else if (r.v.k === 'fn') {
        const d = this.helpers.instrumentation(r.v.node, r.file);
        if (d) return d;
      }
    }
    if (!ts.isIdentifier(e) && !ts.isClassExpression(e)) return this.helpers.instrumentation(e, file);
    return undefined;
  }

  /** `consumer.apply(M1, M2).forRoutes(...)` in modules' `configure()`. */
  private readConsumerMiddleware(): void {
    for (const file of this.project.files.values()) {
      for (const mc of file.methodCalls) {
        if (mc.method !== 'forRoutes') continue;
        let apply: ts.CallExpression | undefined;
        for (let e = skipOuter(mc.receiver); ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression); e = skipOuter(e.expression.expression)) {
          if (e.expression.name.text === 'apply') { apply = e; break; }
        }
        if (!apply) continue;
        let description: string | undefined;
        for (const a of apply.arguments) { description = this.interceptorDescription(a, file); if (description) break; }
        if (!description) continue;
        const s: Scoped = { description: `middleware ${description}`, controllers: new Set(), paths: [] };
        for (const a of mc.node.arguments) {
          const e = skipOuter(a);
          const target = ts.isObjectLiteralExpression(e) ? objectProperty(e, 'path') : e;
          const str = this.helpers.str(target, file);
          if (str !== undefined) {
            const p = str.replace(/\(\.\*\)|\*.*$/g, '').replace(/^\/+|\/+$/g, '');
            if (p === '') s.all = true;
            else s.paths!.push(p);
          } else for (const c of this.classesOf(e, file)) s.controllers!.add(c.cls);
        }
        this.scoped.push(s);
      }
    }
  }

  private readApps(): App[] {
    const apps: App[] = [];
    const shared: App = { prefix: '', exclude: [] };
    let sharedUsed = false;
    for (const file of this.project.files.values()) {
      for (const call of file.callsByName.get('create') ?? []) {
        if (!ts.isPropertyAccessExpression(call.expression)) continue;
        if (!this.refsAre(call.expression.expression, file, '@nestjs/core', 'NestFactory')) continue;
        const root = this.classesOf(call.arguments[0], file)[0]?.cls;
        apps.push({ file, create: call, rootModule: root, prefix: '', exclude: [] });
      }
    }
    const appOf = (receiver: ts.Expression, file: ProjectFile): App | undefined => {
      const refs = this.linker.refsOf(receiver, file);
      for (const r of refs) if (r.v.k === 'call') { const a = apps.find((x) => x.create === (r.v as { node: ts.Node }).node); if (a) return a; }
      return undefined;
    };
    const isNestApp = (receiver: ts.Expression, file: ProjectFile): boolean => {
      if (appOf(receiver, file)) return true;
      return this.linker.refsOf(receiver, file).some((r) => {
        const ann = r.v.k === 'param' || r.v.k === 'typed' ? r.v.annotation : undefined;
        const pkg = ann ? packageOf(ann) : undefined;
        return !!pkg && pkg.startsWith('@nestjs/');
      });
    };
    for (const file of this.project.files.values()) {
      for (const mc of file.methodCalls) {
        const m = mc.method;
        if (m !== 'setGlobalPrefix' && m !== 'enableVersioning' && m !== 'useGlobalInterceptors' && m !== 'use' && m !== 'register') continue;
        if ((m === 'use' || m === 'register') && !isNestApp(mc.receiver, file)) continue;
        const app = appOf(mc.receiver, file) ?? (sharedUsed = true, shared);
        const args = mc.node.arguments;
        if (m === 'setGlobalPrefix') {
          const p = this.helpers.str(args[0], file) ?? this.configString(args[0], file);
          if (p !== undefined) app.prefix = p;
          app.exclude = this.readExcludes(objectProperty(args[1] ? skipOuter(args[1]) : undefined, 'exclude'), file);
        } else if (m === 'enableVersioning') {
          app.versioning = this.readVersioning(args[0], file);
        } else {
          for (const a of args) {
            const d = this.interceptorDescription(a, file);
            if (d) { app.coverage ??= `${m === 'useGlobalInterceptors' ? 'global interceptor' : 'app middleware'} ${d} (${file.rel}:${file.position(mc.node).line})`; break; }
          }
        }
      }
    }
    // Several bootstraps of one root module (main.ts and a serverless entry): the most configured one stands for all.
    const score = (a: App): number => (a.prefix ? 4 : 0) + (a.versioning ? 2 : 0) + (a.coverage ? 1 : 0);
    for (let i = apps.length - 1; i >= 0; i--) {
      const a = apps[i];
      const twin = apps.findIndex((b, j) => j !== i && b.rootModule && b.rootModule === a.rootModule);
      if (twin >= 0 && (score(apps[twin]) > score(a) || (score(apps[twin]) === score(a) && twin < i))) apps.splice(i, 1);
    }
    if (sharedUsed) {
      if (!apps.length) apps.push(shared);
      else for (const a of apps) {
        if (!a.prefix && shared.prefix) { a.prefix = shared.prefix; a.exclude = shared.exclude; }
        a.versioning ??= shared.versioning;
        a.coverage ??= shared.coverage;
      }
    }
    return apps;
  }

  /**
   * A configuration read used as a global prefix: `config.get('API_PREFIX')` / `getOrThrow('app.apiPrefix')`
   * (@nestjs/config). A dotted key is looked up in the `registerAs('app', () => ({ apiPrefix: … }))`
   * factory; a flat key in the project's `.env` / `.env.example` files; else the default argument.
   */
  private configString(node: ts.Expression | undefined, file: ProjectFile): string | undefined {
    const e = node ? skipOuter(node) : undefined;
    if (!e || !ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || !['get', 'getOrThrow'].includes(e.expression.name.text)) return undefined;
    const key = this.helpers.str(e.arguments[0], file);
    if (!key) return undefined;
    const fallback = e.arguments[1] && ts.isStringLiteralLike(skipOuter(e.arguments[1])) ? this.helpers.str(e.arguments[1], file) : undefined;
    const [ns, ...rest] = key.split('.');
    if (rest.length) {
      for (const f of this.project.files.values()) {
        for (const call of f.callsByName.get('registerAs') ?? []) {
          if (this.helpers.str(call.arguments[0], f) !== ns) continue;
          let obj = this.returnedObject(call.arguments[1], f);
          for (const k of rest.slice(0, -1)) obj = this.returnedObject(objectProperty(obj, k), f);
          const v = this.helpers.str(objectProperty(obj, rest[rest.length - 1]), f);
          if (v !== undefined) return v;
        }
      }
    } else {
      for (const name of ['.env', '.env.example', '.env.sample', 'env-example', '.env.development', '.env.local']) {
        let text: string;
        try { text = fs.readFileSync(path.join(this.project.root, name), 'utf8'); } catch { continue; }
        const m = new RegExp(`^\\s*(?:export\\s+)?${key.replace(/[^\w]/g, '')}\\s*=\\s*["']?([^"'\\s#]*)`, 'm').exec(text);
        if (m) return m[1];
      }
    }
    return fallback;
  }

  /** The object literal a factory (`() => ({ … })`, `() => { return { … } }`) or expression evaluates to. */
  private returnedObject(node: ts.Node | undefined, file: ProjectFile): ts.ObjectLiteralExpression | undefined {
    if (!node) return undefined;
    const e = ts.isExpression(node) ? skipOuter(node) : node;
    if (ts.isObjectLiteralExpression(e)) return e;
    if ((ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && e.body) {
      if (!ts.isBlock(e.body)) return this.returnedObject(e.body, file);
      for (const st of e.body.statements) if (ts.isReturnStatement(st) && st.expression) return this.returnedObject(st.expression, file);
    }
    return undefined;
  }

  private readExcludes(node: ts.Expression | undefined, file: ProjectFile): Exclude[] {
    const out: Exclude[] = [];
    if (!node) return out;
    const e = skipOuter(node);
    if (!ts.isArrayLiteralExpression(e)) return out;
    for (const el of e.elements) {
      const x = skipOuter(el);
      if (ts.isObjectLiteralExpression(x)) {
        const p = this.helpers.str(objectProperty(x, 'path'), file);
        if (p === undefined) continue;
        const methodNode = objectProperty(x, 'method');
        const method = methodNode ? memberNameOf(methodNode) : undefined;
        out.push({ pattern: excludePattern(p), method: method && method !== 'ALL' ? method : undefined });
      } else {
        const p = this.helpers.str(x, file);
        if (p !== undefined) out.push({ pattern: excludePattern(p) });
      }
    }
    return out;
  }

  private readVersioning(node: ts.Expression | undefined, file: ProjectFile): Versioning | undefined {
    const o = node ? skipOuter(node) : undefined;
    if (o && !ts.isObjectLiteralExpression(o)) return undefined;
    const type = objectProperty(o, 'type');
    if (type) {
      const name = memberNameOf(type);
      if (name !== 'URI' && this.helpers.str(type, file) !== 'uri') return undefined;
    }
    const prefixNode = objectProperty(o, 'prefix');
    let prefix = 'v';
    if (prefixNode) {
      if (skipOuter(prefixNode).kind === ts.SyntaxKind.FalseKeyword) prefix = '';
      else prefix = this.helpers.str(prefixNode, file) ?? 'v';
    }
    return { prefix, defaultVersion: this.versions(objectProperty(o, 'defaultVersion'), file) };
  }

  /** A version value: a string, a number, an array of those, or VERSION_NEUTRAL. */
  private versions(node: ts.Expression | undefined, file: ProjectFile): string[] | undefined {
    if (!node) return undefined;
    const e = skipOuter(node);
    if (ts.isArrayLiteralExpression(e)) {
      const out = e.elements.flatMap((el) => this.versions(el, file) ?? []);
      return out.length ? out : undefined;
    }
    if (ts.isNumericLiteral(e)) return [e.text];
    if (this.refsAre(e, file, '@nestjs/common', 'VERSION_NEUTRAL')) return [NEUTRAL];
    const s = this.helpers.str(e, file);
    if (s !== undefined) return [s];
    // a constant array defined elsewhere
    for (const r of this.linker.refsOf(e, file)) if (r.v.k === 'array') return this.versions(r.v.node, r.file);
    return undefined;
  }

  private paths(node: ts.Expression | undefined, file: ProjectFile): string[] | undefined {
    if (!node) return [''];
    const e = skipOuter(node);
    if (ts.isArrayLiteralExpression(e)) {
      const out: string[] = [];
      for (const el of e.elements) { const s = this.helpers.str(el, file); if (s === undefined) return undefined; out.push(s); }
      return out.length ? out : [''];
    }
    const s = this.helpers.str(e, file);
    if (s !== undefined) return [s];
    for (const r of this.linker.refsOf(e, file)) if (r.v.k === 'array') return this.paths(r.v.node, r.file);
    // A path we cannot compute (configuration, environment): keep the route, show the expression as a parameter.
    return [`:${e.getText(file.sf).replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '')}`];
  }

  /** The apps whose module tree declares this controller. */
  private appsFor(cls: ts.ClassLikeDeclaration, file: ProjectFile, apps: App[]): { apps: App[]; modulePath: string } {
    const declaring = [...this.modules.values()].filter((m) => m.controllers.includes(cls));
    let modulePath = '';
    for (const m of declaring) { const p = this.modulePaths.get(m.cls); if (p !== undefined) { modulePath = p; break; } }
    if (apps.length <= 1) return { apps, modulePath };
    const reaching = apps.filter((a) => a.rootModule && declaring.some((m) => this.reaches(a.rootModule!, m.cls)));
    if (reaching.length) return { apps: reaching, modulePath };
    // Unknown module tree: the bootstrap closest to the controller in the folder tree.
    const common = (a: string, b: string): number => { let i = 0; while (i < a.length && i < b.length && a[i] === b[i]) i++; return i; };
    let best: App[] = [];
    let bestLen = -1;
    for (const a of apps) {
      const len = a.file ? common(path.dirname(a.file.abs), path.dirname(file.abs)) : 0;
      if (len > bestLen) { best = [a]; bestLen = len; } else if (len === bestLen) best.push(a);
    }
    return { apps: best.slice(0, 1), modulePath };
  }

  private readonly reachMemo = new Map<ts.ClassLikeDeclaration, Set<ts.ClassLikeDeclaration>>();
  private reaches(root: ts.ClassLikeDeclaration, target: ts.ClassLikeDeclaration): boolean {
    let set = this.reachMemo.get(root);
    if (!set) {
      set = new Set();
      const stack = [root];
      while (stack.length) {
        const m = stack.pop()!;
        if (set.has(m)) continue;
        set.add(m);
        for (const i of this.modules.get(m)?.imports ?? []) stack.push(i);
      }
      this.reachMemo.set(root, set);
    }
    return set.has(target);
  }

  /** Methods with route decorators, own and inherited (an override hides the base method). */
  private routeMethods(cls: ts.ClassLikeDeclaration, file: ProjectFile, seen = new Set<string>(), depth = 0): Array<{ m: ts.MethodDeclaration; file: ProjectFile }> {
    const out: Array<{ m: ts.MethodDeclaration; file: ProjectFile }> = [];
    if (depth > 5) return out;
    for (const m of cls.members) {
      if (!ts.isMethodDeclaration(m)) continue;
      const name = propertyNameText(m.name) ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ m, file });
    }
    for (const h of cls.heritageClauses ?? []) {
      if (h.token !== ts.SyntaxKind.ExtendsKeyword) continue;
      for (const t of h.types) {
        for (const b of this.classesOf(t.expression, file)) out.push(...this.routeMethods(b.cls, b.file, seen, depth + 1));
        // mixins: class X extends BaseController(Entity) — a function returning a class
        const te = skipOuter(t.expression);
        if (ts.isCallExpression(te)) {
          for (const r of this.linker.refsOf(te, file)) if (r.v.k === 'class') out.push(...this.routeMethods(r.v.node, r.file, seen, depth + 1));
        }
      }
    }
    return out;
  }

  private controllerRoutes(cls: ts.ClassLikeDeclaration, file: ProjectFile, args: readonly ts.Expression[], apps: App[]): FileRouteDraft[] {
    const arg = args[0] ? skipOuter(args[0]) : undefined;
    let ctrlPaths: string[] | undefined;
    let ctrlVersions: string[] | undefined;
    if (arg && ts.isObjectLiteralExpression(arg)) {
      ctrlPaths = this.paths(objectProperty(arg, 'path'), file);
      ctrlVersions = this.versions(objectProperty(arg, 'version'), file);
    } else ctrlPaths = this.paths(arg, file);
    if (!ctrlPaths) return [];

    const classCoverage = this.decoratorCoverage(cls, file);
    const classTraced = tracedClass(cls);
    const { apps: targetApps, modulePath } = this.appsFor(cls, file, apps);
    const appList: Array<App | undefined> = targetApps.length ? targetApps : [undefined];
    const out: FileRouteDraft[] = [];
    for (const { m, file: mf } of this.routeMethods(cls, file)) {
      const versionDec = this.decorators(m, mf, new Set(['Version']))[0];
      const methodVersions = versionDec ? this.versions(versionDec.args[0], mf) : undefined;
      const methodCoverage = this.decoratorCoverage(m, mf);
      for (const { d, name, args: dargs } of this.decorators(m, mf)) {
        const method = ROUTE_DECORATORS[name];
        if (!method) continue;
        const methodPaths = this.paths(dargs[0], mf);
        if (!methodPaths) continue;
        const seen = new Set<string>();
        for (const app of appList) {
          const versioning = app?.versioning;
          const versions = versioning ? methodVersions ?? ctrlVersions ?? versioning.defaultVersion ?? [NEUTRAL] : [NEUTRAL];
          for (const cp of ctrlPaths) {
            for (const mp of methodPaths) {
              const routePath = joinSegments([modulePath, cp, mp]).slice(1);
              const excluded = app?.exclude.some((x) => x.pattern.test(routePath) && (!x.method || x.method === method));
              for (const v of versions) {
                const full = joinSegments([excluded ? '' : app?.prefix ?? '', v === NEUTRAL ? '' : `${versioning!.prefix}${v}`, routePath]);
                const key = `${method} ${full}`;
                if (seen.has(key)) continue;
                seen.add(key);
                const global = app?.coverage ?? this.scopedCoverage(cls, routePath);
                const middleware = methodCoverage ?? classCoverage ?? global;
                out.push({
                  framework: 'nest', file: mf, method, path: full, nameNode: d, handler: m,
                  coverage: classTraced ? { kind: 'handler', by: classTraced } : middleware ? { kind: 'middleware', by: middleware } : undefined,
                });
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** `@UseInterceptors(X)` on a class or method where X records metrics or opens spans. */
  private decoratorCoverage(node: ts.Node, file: ProjectFile): string | undefined {
    for (const { args } of this.decorators(node, file, new Set(['UseInterceptors']))) {
      for (const a of args) { const d = this.interceptorDescription(a, file); if (d) return `@UseInterceptors ${d}`; }
    }
    return undefined;
  }

  private scopedCoverage(cls: ts.ClassLikeDeclaration, routePath: string): string | undefined {
    for (const s of this.scoped) {
      if (s.all || s.controllers?.has(cls) || s.paths?.some((p) => routePath === p || routePath.startsWith(p + '/'))) return s.description;
    }
    return undefined;
  }
}

/** nestjs-otel's class decorators that trace every method: @Traceable(), @Span() on the class. */
function tracedClass(cls: ts.ClassLikeDeclaration): string | undefined {
  for (const d of decoratorsOf(cls)) {
    const c = decoratorCall(d);
    if (c && /^(Traceable|Span|Traced?|Trace|Instrument(ed)?)$/.test(c.name)) return `@${c.name} on ${cls.name?.text ?? 'the controller'}`;
  }
  return undefined;
}

/** `enable: true` in the options object passed for `key` (`apiMetrics: { enable: true }` or `apiMetrics: true`). */
function hasEnabled(call: ts.CallExpression, key: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(n) && propertyNameText(n.name) === key) {
      const v = skipOuter(n.initializer);
      if (v.kind === ts.SyntaxKind.TrueKeyword) found = true;
      else if (ts.isObjectLiteralExpression(v)) {
        const en = objectProperty(v, 'enable');
        found = !!en && skipOuter(en).kind === ts.SyntaxKind.TrueKeyword;
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  for (const a of call.arguments) visit(a);
  return found;
}

function memberNameOf(node: ts.Expression): string | undefined {
  const e = skipOuter(node);
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isIdentifier(e)) return e.text;
  return undefined;
}

/** Nest exclude paths are path-to-regexp patterns matched against the route path without prefix. */
function excludePattern(p: string): RegExp {
  const norm = p.replace(/^\/+|\/+$/g, '');
  let re = '';
  for (let i = 0; i < norm.length; i++) {
    const ch = norm[i];
    if (norm.startsWith('(.*)', i)) { re += '.*'; i += 3; } else if (ch === '*') re += '.*';
    else if (ch === ':' && /^:[A-Za-z0-9_]/.test(norm.slice(i))) { const m = /^:[A-Za-z0-9_]+/.exec(norm.slice(i))!; re += '[^/]+'; i += m[0].length - 1; } else re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}/?$`);
}

/** Joins path pieces with single slashes: ['api', '/v1/', 'users'] → /api/v1/users; nothing → /. */
function joinSegments(parts: string[]): string {
  const segs = parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p !== '');
  return '/' + segs.join('/');
}

export default nest;
