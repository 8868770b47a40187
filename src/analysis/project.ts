/**
 * The files of one scan, parsed once, with what the linker needs from each: exports, the calls
 * made on objects (`x.get(…)`), calls indexed by callee name, and module resolution between them.
 * One `ts.forEachChild` pass per file feeds every collector (and, later, every rule).
 */
import path from 'node:path';
import { ts, createSourceFile, hasExportModifier, hasDefaultModifier, memberName, skipOuter, isFunctionLike, propertyNameText } from './ts';
import { FileValues, UNKNOWN, type Value } from './values';
import type { TsconfigInfo, SourceEntry } from './workspace';

/** A call `recv.method(...)`, possibly in a chain (`app.route('/x').get(h)`): `base` is the chain's start. */
export interface MethodCall {
  node: ts.CallExpression;
  method: string;
  /** The expression the method is called on. */
  receiver: ts.Expression;
  /** The start of the call chain: `app` in `app.route('/x').get(h)`. */
  base: ts.Expression;
}

export type ExportEntry = { value: ts.Node; kind: 'expr' | 'decl' } | { reexport: string; name: string };

const RESOLVE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class ProjectFile {
  readonly values: FileValues;
  readonly methodCalls: MethodCall[] = [];
  /** Calls by callee name (identifier or last property name). */
  readonly callsByName = new Map<string, ts.CallExpression[]>();
  readonly newExpressions: ts.NewExpression[] = [];
  readonly classes: ts.ClassLikeDeclaration[] = [];
  readonly functions: ts.FunctionLikeDeclaration[] = [];
  /** Top-level statements that are expression statements (calls at module level: main(), app.listen()). */
  readonly topLevelCalls: ts.CallExpression[] = [];
  private exportTable?: Map<string, ExportEntry>;
  private starExports: string[] = [];
  /** `module.exports = X` */
  cjsExport?: ts.Expression;
  /** Imports of the file: module specifiers (for quick "does this file import X" checks). */
  readonly importedModules = new Set<string>();

  constructor(readonly abs: string, readonly rel: string, readonly sf: ts.SourceFile) {
    this.values = new FileValues(sf, abs);
  }

  /** Line/column (1-based) of a node's start (after trivia). */
  position(node: ts.Node): { line: number; column: number } {
    const lc = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    return { line: lc.line + 1, column: lc.character + 1 };
  }

  range(node: ts.Node): { start: { line: number; column: number }; end: { line: number; column: number } } {
    const e = this.sf.getLineAndCharacterOfPosition(node.getEnd());
    return { start: this.position(node), end: { line: e.line + 1, column: e.character + 1 } };
  }

  valueOf(node: ts.Node | undefined): Value {
    return node ? this.values.valueOf(node) : UNKNOWN;
  }

  imports(module: string | RegExp): boolean {
    for (const m of this.importedModules) if (typeof module === 'string' ? m === module : module.test(m)) return true;
    return false;
  }

  exports(): Map<string, ExportEntry> {
    if (this.exportTable) return this.exportTable;
    const table = new Map<string, ExportEntry>();
    this.exportTable = table;
    for (const s of this.sf.statements) {
      if (ts.isExportAssignment(s)) {
        table.set(s.isExportEquals ? '=' : 'default', { value: s.expression, kind: 'expr' });
        if (s.isExportEquals) this.cjsExport = s.expression;
      } else if (ts.isExportDeclaration(s)) {
        const spec = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
        if (!s.exportClause) { if (spec) this.starExports.push(spec); continue; }
        if (ts.isNamespaceExport(s.exportClause)) { if (spec) table.set(s.exportClause.name.text, { reexport: spec, name: '*' }); continue; }
        for (const el of s.exportClause.elements) {
          const local = (el.propertyName ?? el.name);
          const localName = ts.isIdentifier(local) ? local.text : local.text;
          if (spec) table.set(el.name.text, { reexport: spec, name: localName });
          else if (ts.isIdentifier(local)) table.set(el.name.text, { value: local, kind: 'expr' });
        }
      } else if (hasExportModifier(s)) {
        const isDefault = hasDefaultModifier(s);
        if (ts.isVariableStatement(s)) {
          for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) table.set(d.name.text, { value: d, kind: 'decl' });
        } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && (s.name || isDefault)) {
          if (s.name) table.set(s.name.text, { value: s, kind: 'decl' });
          if (isDefault) table.set('default', { value: s, kind: 'decl' });
        }
      }
    }
    // CommonJS: module.exports = X; module.exports.a = …; exports.a = …
    for (const s of this.sf.statements) {
      if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const { left, right } = s.expression;
      const target = cjsTarget(left);
      if (target === undefined) continue;
      if (target === '') {
        this.cjsExport = right;
        table.set('=', { value: right, kind: 'expr' });
        const obj = skipOuter(right);
        if (ts.isObjectLiteralExpression(obj)) {
          for (const p of obj.properties) {
            const name = propertyNameText(p.name);
            if (!name) continue;
            if (ts.isPropertyAssignment(p)) table.set(name, { value: p.initializer, kind: 'expr' });
            else if (ts.isShorthandPropertyAssignment(p)) table.set(name, { value: p.name, kind: 'expr' });
            else if (ts.isMethodDeclaration(p)) table.set(name, { value: p, kind: 'expr' });
          }
        }
      } else table.set(target, { value: right, kind: 'expr' });
    }
    return table;
  }

  stars(): string[] {
    this.exports();
    return this.starExports;
  }
}

/** `module.exports` → '', `module.exports.x` / `exports.x` → 'x'; otherwise undefined. */
function cjsTarget(left: ts.Expression): string | undefined {
  const isModuleExports = (e: ts.Expression): boolean =>
    ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports';
  if (isModuleExports(left)) return '';
  if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) {
    const name = memberName(left);
    const obj = left.expression;
    if (name && (isModuleExports(obj) || (ts.isIdentifier(obj) && obj.text === 'exports'))) return name;
  }
  return undefined;
}

/** Visitors keyed by SyntaxKind, called during the one walk of each file. */
export type FileVisitor = (node: ts.Node, file: ProjectFile) => void;
export type VisitorMap = Map<ts.SyntaxKind, FileVisitor[]>;

export class Project {
  readonly files = new Map<string, ProjectFile>();
  private readonly resolveCache = new Map<string, ProjectFile | null>();

  constructor(readonly root: string, readonly tsconfigs: TsconfigInfo[] = []) {}

  /** Parses and indexes one file (replacing an older version). */
  addFile(entry: SourceEntry, visitors?: VisitorMap): ProjectFile {
    const sf = createSourceFile(entry.abs, entry.text);
    const file = new ProjectFile(entry.abs, entry.rel, sf);
    indexFile(file, visitors);
    this.files.set(entry.abs, file);
    this.resolveCache.clear();
    return file;
  }

  removeFile(abs: string): void {
    this.files.delete(abs);
    this.resolveCache.clear();
  }

  /** Resolves a module specifier used in `from` to a project file (relative paths, tsconfig paths/baseUrl). */
  resolveModule(spec: string, from: string): ProjectFile | undefined {
    const key = `${from}\0${spec}`;
    const cached = this.resolveCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let found: ProjectFile | undefined;
    if (spec.startsWith('.') || spec.startsWith('/')) {
      found = this.probe(path.resolve(path.dirname(from), spec));
    } else {
      for (const cfg of this.tsconfigsFor(from)) {
        for (const candidate of mapPaths(spec, cfg)) { found = this.probe(candidate); if (found) break; }
        if (found) break;
      }
    }
    this.resolveCache.set(key, found ?? null);
    return found;
  }

  private tsconfigsFor(file: string): TsconfigInfo[] {
    return this.tsconfigs.filter((c) => (c.paths || c.baseUrl) && file.startsWith(c.dir + path.sep))
      .sort((a, b) => b.dir.length - a.dir.length);
  }

  private probe(base: string): ProjectFile | undefined {
    const f = this.files.get(base);
    if (f) return f;
    const ext = path.extname(base);
    if (ext) {
      const stem = base.slice(0, -ext.length);
      const swaps: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
      for (const s of swaps[ext] ?? []) { const g = this.files.get(stem + s); if (g) return g; }
    }
    for (const e of RESOLVE_EXTS) { const g = this.files.get(base + e); if (g) return g; }
    for (const e of RESOLVE_EXTS) { const g = this.files.get(path.join(base, 'index' + e)); if (g) return g; }
    return undefined;
  }
}

function mapPaths(spec: string, cfg: TsconfigInfo): string[] {
  const out: string[] = [];
  const base = cfg.baseUrl ?? cfg.dir;
  for (const [pattern, targets] of Object.entries(cfg.paths ?? {})) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      if (spec === pattern) out.push(...targets.map((t) => path.resolve(base, t)));
    } else {
      const pre = pattern.slice(0, star), post = pattern.slice(star + 1);
      if (spec.startsWith(pre) && spec.endsWith(post) && spec.length >= pre.length + post.length) {
        const mid = spec.slice(pre.length, spec.length - post.length);
        out.push(...targets.map((t) => path.resolve(base, t.replace('*', mid))));
      }
    }
  }
  if (cfg.baseUrl) out.push(path.resolve(cfg.baseUrl, spec));
  return out;
}

function chainBase(e: ts.Expression): ts.Expression {
  for (;;) {
    const s = skipOuter(e);
    if (ts.isCallExpression(s) && (ts.isPropertyAccessExpression(s.expression) || ts.isElementAccessExpression(s.expression))) e = s.expression.expression;
    else return s;
  }
}

function indexFile(file: ProjectFile, visitors?: VisitorMap): void {
  const sf = file.sf;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    if (kind === ts.SyntaxKind.CallExpression) {
      const call = node as ts.CallExpression;
      const callee = call.expression;
      let name: string | undefined;
      if (ts.isIdentifier(callee)) {
        name = callee.text;
        if (name === 'require' && call.arguments.length === 1 && ts.isStringLiteralLike(call.arguments[0])) file.importedModules.add(call.arguments[0].text);
      } else if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
        name = memberName(callee);
        if (name !== undefined) file.methodCalls.push({ node: call, method: name, receiver: callee.expression, base: chainBase(callee.expression) });
      } else if (callee.kind === ts.SyntaxKind.ImportKeyword && call.arguments[0] && ts.isStringLiteralLike(call.arguments[0])) {
        file.importedModules.add(call.arguments[0].text);
      }
      if (name !== undefined) {
        let list = file.callsByName.get(name);
        if (!list) file.callsByName.set(name, (list = []));
        list.push(call);
      }
    } else if (kind === ts.SyntaxKind.NewExpression) {
      file.newExpressions.push(node as ts.NewExpression);
    } else if (kind === ts.SyntaxKind.ImportDeclaration) {
      const spec = (node as ts.ImportDeclaration).moduleSpecifier;
      if (ts.isStringLiteral(spec)) file.importedModules.add(spec.text);
    } else if (kind === ts.SyntaxKind.ImportEqualsDeclaration) {
      const ref = (node as ts.ImportEqualsDeclaration).moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) file.importedModules.add(ref.expression.text);
    } else if (kind === ts.SyntaxKind.ExportDeclaration) {
      const spec = (node as ts.ExportDeclaration).moduleSpecifier;
      if (spec && ts.isStringLiteral(spec)) file.importedModules.add(spec.text);
    } else if (kind === ts.SyntaxKind.ClassDeclaration || kind === ts.SyntaxKind.ClassExpression) {
      file.classes.push(node as ts.ClassLikeDeclaration);
    } else if (isFunctionLike(node)) {
      file.functions.push(node);
    }
    const vs = visitors?.get(kind);
    if (vs) for (const v of vs) v(node, file);
    ts.forEachChild(node, visit);
  };
  for (const s of sf.statements) {
    if (ts.isExpressionStatement(s)) {
      let e = skipOuter(s.expression);
      if (ts.isVoidExpression(e)) e = skipOuter(e.expression);
      if (ts.isCallExpression(e)) file.topLevelCalls.push(e);
    }
  }
  const fileVisitors = visitors?.get(ts.SyntaxKind.SourceFile);
  if (fileVisitors) for (const v of fileVisitors) v(sf, file);
  ts.forEachChild(sf, visit);
}
