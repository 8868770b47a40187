/**
 * A small symbolic evaluator over one file's syntax: what does this expression *refer to*?
 * It resolves identifiers lexically (our own binder: no type checker, so it works without
 * node_modules and costs little), and answers with a `Value`: an import of a module export, the
 * result of calling or constructing something, a function, a parameter, a string… The project
 * linker (link.ts) continues across files from `module` values.
 */
import { ts, skipOuter, isFunctionLike, memberName, propertyNameText } from './ts';

export type Value =
  /** An import binding. `path` is the export path: [] is the module object (CJS `require`, `import * as`). */
  | { k: 'module'; module: string; path: string[]; from: string }
  | { k: 'call'; callee: Value; node: ts.CallExpression }
  | { k: 'new'; callee: Value; node: ts.NewExpression }
  | { k: 'member'; obj: Value; name: string; node: ts.Node }
  | { k: 'param'; fn: ts.SignatureDeclaration; index: number; node: ts.ParameterDeclaration; annotation?: Value }
  | { k: 'fn'; node: ts.FunctionLikeDeclaration }
  | { k: 'class'; node: ts.ClassLikeDeclaration }
  | { k: 'this'; cls: ts.ClassLikeDeclaration }
  /** A class property (or constructor parameter property) with only a type annotation. */
  | { k: 'typed'; annotation: Value; node: ts.Node }
  | { k: 'string'; value: string }
  | { k: 'object'; node: ts.ObjectLiteralExpression }
  | { k: 'array'; node: ts.ArrayLiteralExpression }
  /** A project module's namespace object (`import * as m`); the Ref's file is the module. */
  | { k: 'ns' }
  | { k: 'unknown' };

export const UNKNOWN: Value = { k: 'unknown' };

type Container = ts.Node;

/** Per-file lexical scopes and value resolution. Cheap to create; everything is computed lazily. */
export class FileValues {
  private readonly decls = new Map<Container, Map<string, ts.Node>>();
  private readonly declValues = new Map<ts.Node, Value>();
  /** valueOf results by node (top-level calls), so repeated questions get the same Value object. */
  private readonly nodeValues = new Map<ts.Node, Value>();
  /** `x = …` assignments to plain identifiers, by name (built on first use). */
  private assignments?: Map<string, ts.BinaryExpression[]>;

  constructor(readonly sf: ts.SourceFile, readonly fileName: string) {}

  /** The declaration an identifier refers to, by lexical lookup. */
  declarationOf(id: ts.Identifier): ts.Node | undefined {
    const name = id.text;
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      if (!isContainer(n)) continue;
      const d = this.declsOf(n).get(name);
      if (d) return d;
    }
    return undefined;
  }

  /** What an expression refers to. */
  valueOf(expr: ts.Node | undefined, depth = 0): Value {
    if (!expr || depth > 24) return UNKNOWN;
    if (depth === 0) {
      let v = this.nodeValues.get(expr);
      if (!v) { v = this.valueOf(expr, 1); this.nodeValues.set(expr, v); }
      return v;
    }
    const e = ts.isExpression(expr) ? skipOuter(expr) : expr;
    switch (e.kind) {
      case ts.SyntaxKind.Identifier: {
        const id = e as ts.Identifier;
        if (id.text === 'undefined') return UNKNOWN;
        const d = this.declarationOf(id);
        return d ? this.valueOfDeclaration(d, depth + 1) : UNKNOWN;
      }
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return { k: 'string', value: (e as ts.StringLiteral).text };
      case ts.SyntaxKind.TemplateExpression: {
        const t = e as ts.TemplateExpression;
        let s = t.head.text;
        for (const span of t.templateSpans) {
          const v = this.valueOf(span.expression, depth + 1);
          if (v.k !== 'string') return UNKNOWN;
          s += v.value + span.literal.text;
        }
        return { k: 'string', value: s };
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = e as ts.BinaryExpression;
        if (b.operatorToken.kind === ts.SyntaxKind.PlusToken) {
          const l = this.valueOf(b.left, depth + 1), r = this.valueOf(b.right, depth + 1);
          if (l.k === 'string' && r.k === 'string') return { k: 'string', value: l.value + r.value };
        }
        if (b.operatorToken.kind === ts.SyntaxKind.BarBarToken || b.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
          const l = this.valueOf(b.left, depth + 1);
          return l.k === 'unknown' ? this.valueOf(b.right, depth + 1) : l;
        }
        if (b.operatorToken.kind === ts.SyntaxKind.EqualsToken) return this.valueOf(b.right, depth + 1);
        return UNKNOWN;
      }
      case ts.SyntaxKind.CallExpression: {
        const c = e as ts.CallExpression;
        const req = requireSpecifier(c);
        if (req !== undefined) return { k: 'module', module: req, path: [], from: this.fileName };
        if (c.expression.kind === ts.SyntaxKind.ImportKeyword) {
          const spec = c.arguments[0];
          if (spec && ts.isStringLiteralLike(spec)) return { k: 'module', module: spec.text, path: [], from: this.fileName };
          return UNKNOWN;
        }
        return { k: 'call', callee: this.valueOf(c.expression, depth + 1), node: c };
      }
      case ts.SyntaxKind.NewExpression: {
        const n = e as ts.NewExpression;
        return { k: 'new', callee: this.valueOf(n.expression, depth + 1), node: n };
      }
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression: {
        const name = memberName(e);
        if (name === undefined) return UNKNOWN;
        return member(this.valueOf((e as ts.PropertyAccessExpression).expression, depth + 1), name, e);
      }
      case ts.SyntaxKind.ThisKeyword: {
        for (let n = e.parent; n; n = n.parent) {
          if (ts.isClassLike(n)) return { k: 'this', cls: n };
          if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return UNKNOWN;
        }
        return UNKNOWN;
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.MethodDeclaration:
        return { k: 'fn', node: e as ts.FunctionLikeDeclaration };
      case ts.SyntaxKind.ClassExpression:
      case ts.SyntaxKind.ClassDeclaration:
        return { k: 'class', node: e as ts.ClassLikeDeclaration };
      case ts.SyntaxKind.ObjectLiteralExpression:
        return { k: 'object', node: e as ts.ObjectLiteralExpression };
      case ts.SyntaxKind.ArrayLiteralExpression:
        return { k: 'array', node: e as ts.ArrayLiteralExpression };
      case ts.SyntaxKind.TypeReference:
        return this.valueOf((e as ts.TypeReferenceNode).typeName, depth + 1);
      case ts.SyntaxKind.QualifiedName: {
        const q = e as ts.QualifiedName;
        return member(this.valueOf(q.left, depth + 1), q.right.text, e);
      }
      case ts.SyntaxKind.ExpressionWithTypeArguments:
        return this.valueOf((e as ts.ExpressionWithTypeArguments).expression, depth + 1);
      default:
        return UNKNOWN;
    }
  }

  /** The value a declaration binds (memoized; cycles give UNKNOWN). */
  valueOfDeclaration(d: ts.Node, depth = 0): Value {
    const memo = this.declValues.get(d);
    if (memo) return memo;
    this.declValues.set(d, UNKNOWN); // cycle guard
    const v = this.computeDeclaration(d, depth);
    this.declValues.set(d, v);
    return v;
  }

  private computeDeclaration(d: ts.Node, depth: number): Value {
    if (ts.isVariableDeclaration(d)) {
      if (d.initializer && !isNullish(d.initializer)) {
        const v = this.valueOf(d.initializer, depth);
        if (v.k !== 'unknown' || !d.type) return v;
      } else {
        // `let queue; … queue = new Queue('x')` (lazy singletons, start-up assignments): the first
        // assignment that says something.
        const assigned = this.assignedValue(d, depth);
        if (assigned) return assigned;
      }
      return d.type ? typed(this.valueOf(d.type, depth), d) : UNKNOWN;
    }
    if (ts.isBindingElement(d)) return this.valueOfBindingElement(d, depth);
    if (ts.isParameter(d)) {
      const fn = d.parent;
      if (!isSignature(fn)) return UNKNOWN;
      const annotation = d.type ? this.valueOf(d.type, depth) : undefined;
      return { k: 'param', fn, index: fn.parameters.indexOf(d), node: d, annotation: annotation?.k === 'unknown' ? undefined : annotation };
    }
    if (ts.isFunctionDeclaration(d) || ts.isFunctionExpression(d)) return { k: 'fn', node: d };
    if (ts.isClassDeclaration(d) || ts.isClassExpression(d)) return { k: 'class', node: d };
    if (ts.isImportClause(d)) return this.importValue(d.parent, ['default']);
    if (ts.isNamespaceImport(d)) return this.importValue(d.parent.parent, []);
    if (ts.isImportSpecifier(d)) {
      const imported = (d.propertyName ?? d.name);
      return this.importValue(d.parent.parent.parent, [ts.isIdentifier(imported) ? imported.text : imported.text]);
    }
    if (ts.isImportEqualsDeclaration(d)) {
      const ref = d.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) return { k: 'module', module: ref.expression.text, path: [], from: this.fileName };
      return UNKNOWN;
    }
    return UNKNOWN;
  }

  /** The value of the first `name = expr` assignment to a `let`/`var` declared without a value. */
  private assignedValue(d: ts.VariableDeclaration, depth: number): Value | undefined {
    if (!ts.isIdentifier(d.name) || (d.parent.flags & ts.NodeFlags.Const)) return undefined;
    if (!this.assignments) {
      const index = new Map<string, ts.BinaryExpression[]>();
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
          let list = index.get(n.left.text);
          if (!list) index.set(n.left.text, (list = []));
          list.push(n);
        }
        ts.forEachChild(n, visit);
      };
      visit(this.sf);
      this.assignments = index;
    }
    for (const a of this.assignments.get(d.name.text) ?? []) {
      if (isNullish(a.right) || this.declarationOf(a.left as ts.Identifier) !== d) continue;
      const v = this.valueOf(a.right, depth + 1);
      if (v.k !== 'unknown') return v;
    }
    return undefined;
  }

  private importValue(decl: ts.ImportDeclaration | ts.JSDocImportTag, path: string[]): Value {
    const spec = decl.moduleSpecifier;
    if (!ts.isStringLiteral(spec)) return UNKNOWN;
    return { k: 'module', module: spec.text, path, from: this.fileName };
  }

  private valueOfBindingElement(d: ts.BindingElement, depth: number): Value {
    // const { a: { b } } = init  →  member(member(init, 'a'), 'b')
    const names: string[] = [];
    let n: ts.Node = d;
    while (ts.isBindingElement(n)) {
      const pattern = n.parent;
      if (ts.isObjectBindingPattern(pattern)) {
        const key = propertyNameText(n.propertyName ?? n.name);
        if (key === undefined) return UNKNOWN;
        names.unshift(key);
      } else if (ts.isArrayBindingPattern(pattern)) {
        names.unshift(String(pattern.elements.indexOf(n)));
      } else return UNKNOWN;
      n = pattern.parent;
    }
    let base: Value;
    if (ts.isVariableDeclaration(n) && n.initializer) base = this.valueOf(n.initializer, depth);
    else if (ts.isParameter(n)) base = this.valueOfDeclaration(n, depth);
    else return UNKNOWN;
    for (const name of names) base = member(base, name, d);
    return base;
  }

  private declsOf(container: Container): Map<string, ts.Node> {
    let map = this.decls.get(container);
    if (map) return map;
    map = new Map();
    this.decls.set(container, map);
    const addBinding = (name: ts.BindingName, decl: ts.Node): void => {
      if (ts.isIdentifier(name)) { if (!map!.has(name.text)) map!.set(name.text, decl); return; }
      for (const el of name.elements) if (ts.isBindingElement(el)) addBinding(el.name, el);
    };
    const addStatement = (s: ts.Node): void => {
      if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) addBinding(d.name, d);
      else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) map!.set(s.name.text, s);
      else if (ts.isImportDeclaration(s) && s.importClause) {
        const c = s.importClause;
        if (c.name) map!.set(c.name.text, c);
        const nb = c.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) map!.set(nb.name.text, nb);
        else if (nb) for (const el of nb.elements) map!.set(el.name.text, el);
      } else if (ts.isImportEqualsDeclaration(s)) map!.set(s.name.text, s);
      else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) map!.set(s.name.text, s);
      else if (ts.isExportDeclaration(s) || ts.isExpressionStatement(s)) { /* no bindings */ }
    };
    if (ts.isSourceFile(container) || ts.isBlock(container) || ts.isModuleBlock(container)) {
      for (const s of container.statements) addStatement(s);
      if (ts.isBlock(container) && isFunctionLike(container.parent)) hoistVars(container, addBinding);
      if (ts.isSourceFile(container)) hoistVars(container, addBinding);
    } else if (ts.isCaseBlock(container)) {
      for (const clause of container.clauses) for (const s of clause.statements) addStatement(s);
    } else if (isFunctionLike(container)) {
      for (const p of container.parameters) addBinding(p.name, p);
      if ((ts.isFunctionExpression(container) || ts.isClassExpression(container)) && container.name) map.set(container.name.text, container);
    } else if (ts.isForStatement(container) || ts.isForOfStatement(container) || ts.isForInStatement(container)) {
      const init = container.initializer;
      if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) addBinding(d.name, d);
    } else if (ts.isCatchClause(container) && container.variableDeclaration) {
      addBinding(container.variableDeclaration.name, container.variableDeclaration);
    } else if (ts.isClassExpression(container) && container.name) {
      map.set(container.name.text, container);
    }
    return map;
  }
}

function isContainer(n: ts.Node): boolean {
  return ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n) || isFunctionLike(n) ||
    ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isCatchClause(n) || ts.isClassExpression(n);
}

function isSignature(n: ts.Node): n is ts.SignatureDeclaration {
  return isFunctionLike(n) || ts.isFunctionTypeNode(n) || ts.isMethodSignature(n) || ts.isConstructSignatureDeclaration(n) || ts.isCallSignatureDeclaration(n);
}

/** `var` declarations nested in blocks of a function (or the file) are visible in the whole function. */
function hoistVars(root: ts.Node, add: (name: ts.BindingName, decl: ts.Node) => void): void {
  const visit = (n: ts.Node): void => {
    if (n !== root && (isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isVariableStatement(n) && n.parent !== root && !(n.declarationList.flags & ts.NodeFlags.BlockScoped)) {
      for (const d of n.declarationList.declarations) add(d.name, d);
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
}

function isNullish(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined');
}

function typed(annotation: Value, node: ts.Node): Value {
  return annotation.k === 'unknown' ? UNKNOWN : { k: 'typed', annotation, node };
}

/** `obj.name`, with import paths folded: member(module m [a], 'b') = module m [a, b]. */
export function member(obj: Value, name: string, node: ts.Node): Value {
  if (obj.k === 'unknown') return UNKNOWN;
  if (obj.k === 'module') return { k: 'module', module: obj.module, path: [...obj.path, name], from: obj.from };
  return { k: 'member', obj, name, node };
}

/** `require('x')` → 'x'. */
export function requireSpecifier(c: ts.CallExpression): string | undefined {
  if (ts.isIdentifier(c.expression) && c.expression.text === 'require' && c.arguments.length === 1) {
    const a = c.arguments[0];
    if (ts.isStringLiteralLike(a)) return a.text;
  }
  return undefined;
}

/** Is `v` the export `name` of one of `modules`? ('default' also matches the CJS module object for packages.) */
export function isModuleExport(v: Value, modules: readonly string[], names: readonly string[]): boolean {
  if (v.k !== 'module' || !modules.includes(v.module)) return false;
  const p = normalizedPath(v);
  return names.some((n) => (n === '' ? p.length === 0 : p.length === 1 && p[0] === n));
}

/** The module value's export path with ES-interop `default` folded away for packages: `import x from 'express'` ≡ `require('express')`. */
export function normalizedPath(v: Extract<Value, { k: 'module' }>): string[] {
  return !isRelative(v.module) && v.path[0] === 'default' ? v.path.slice(1) : v.path;
}

export function isRelative(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/');
}

export function moduleName(v: Value): string | undefined {
  return v.k === 'module' ? v.module : undefined;
}
