/**
 * Follows values across files: an import to the export it names, a call of a project function to
 * what it returns, `obj.prop` into object literals, namespaces and class members. What comes out
 * (`Ref`s) is either something concrete in the project (a function, a class, a literal) or a
 * *leaf* the recognizers match on: a call or `new` of a package export (`express()`,
 * `new Counter(…)`), a parameter, an annotated property.
 */
import { ts, skipOuter, isFunctionLike, propertyNameText } from './ts';
import { type ProjectFile, type Project } from './project';
import { UNKNOWN, isRelative, member, type Value } from './values';

export interface Ref {
  v: Value;
  file: ProjectFile;
  /**
   * For a value made inside a project function (a factory: `createRouter()` returning `new Hono()`),
   * the call of that function it came out of: each call site is its own instance.
   */
  via?: { node: ts.CallExpression; file: ProjectFile };
}

const MAX_REFS = 16;
const MAX_DEPTH = 16;

/** A memoized answer and the files it was computed from (so an edit invalidates only what it can change). */
interface Memo<T> { value: T; deps: Set<ProjectFile> }

export class Linker {
  private readonly memo = new Map<Value, Memo<Ref[]>>();
  private readonly returnsMemo = new Map<ts.Node, Memo<Ref[]>>();
  private readonly busy = new Set<Value>();
  /** Files read by the computations in progress, innermost last. */
  private readonly frames: Set<ProjectFile>[] = [];
  /** For each file, the memo keys whose answers read it (so invalidation touches only those). */
  private readonly readers = new Map<ProjectFile, Set<Value | ts.Node>>();

  constructor(readonly project: Project) {}

  /**
   * Runs `fn` recording every file its resolutions read (for memos kept outside the linker, e.g.
   * instrumentation); the files are also credited to any enclosing computation.
   */
  track<T>(file: ProjectFile, fn: () => T): { value: T; deps: Set<ProjectFile> } {
    const frame = new Set<ProjectFile>([file]);
    this.frames.push(frame);
    let value: T;
    try { value = fn(); } finally { this.frames.pop(); }
    this.credit(frame);
    return { value, deps: frame };
  }

  /** Notes that the computation in progress read this file (its exports, a class, an object). */
  private read(file: ProjectFile): void {
    this.frames[this.frames.length - 1]?.add(file);
  }

  /** Credits files to the innermost computation in progress. */
  credit(deps: Set<ProjectFile>): void {
    const top = this.frames[this.frames.length - 1];
    if (top && top !== deps) for (const d of deps) top.add(d);
  }

  /** Bumped by every invalidation: caches kept outside the linker compare it to know they are stale. */
  generation = 0;

  /** Forgets every memo that read one of these files (an edited or removed file's old version). */
  invalidate(files: ReadonlySet<ProjectFile>): void {
    this.generation++;
    for (const f of files) {
      for (const k of this.readers.get(f) ?? []) {
        if (this.memo.delete(k as Value)) continue;
        this.returnsMemo.delete(k as ts.Node);
      }
      this.readers.delete(f);
    }
  }

  private remember<K extends Value | ts.Node>(map: Map<K, Memo<Ref[]>>, key: K, m: Memo<Ref[]>): void {
    map.set(key, m);
    for (const f of m.deps) {
      let set = this.readers.get(f);
      if (!set) this.readers.set(f, (set = new Set()));
      set.add(key);
    }
  }

  /**
   * The first parameter of a `forEach`/`map`/`flatMap` callback over an array literal stands for
   * each element (spreads of other arrays included); undefined when that is not the shape.
   */
  private iteratedElements(fn: ts.SignatureDeclaration, index: number, file: ProjectFile, depth: number): Ref[] | undefined {
    if (index !== 0 || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
    let arg: ts.Node = fn;
    while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const call = arg.parent;
    if (!ts.isCallExpression(call) || call.arguments[0] !== arg || !ts.isPropertyAccessExpression(call.expression) ||
      !['forEach', 'map', 'flatMap'].includes(call.expression.name.text)) return undefined;
    const out: Ref[] = [];
    const visit = (arr: ts.ArrayLiteralExpression, f: ProjectFile, d: number): void => {
      for (const el of arr.elements) {
        if (ts.isSpreadElement(el)) { if (d < 3) for (const r of this.refsOf(el.expression, f)) if (r.v.k === 'array') visit(r.v.node, r.file, d + 1); }
        else out.push(...this.deref(f.valueOf(el), f, depth + 1));
      }
    };
    let arrays = 0;
    for (const r of this.deref(file.valueOf(call.expression.expression), file, depth + 1)) if (r.v.k === 'array') { arrays++; visit(r.v.node, r.file, 0); }
    return arrays ? out : undefined;
  }

  /** Value of an expression in a file, followed across the project. */
  refsOf(node: ts.Node | undefined, file: ProjectFile): Ref[] {
    if (!node) return [];
    return this.deref(file.valueOf(node), file);
  }

  deref(v: Value, file: ProjectFile, depth = 0): Ref[] {
    if (v.k === 'unknown') return [];
    if (depth > MAX_DEPTH) return [{ v, file }];
    const memo = this.memo.get(v);
    if (memo) { this.credit(memo.deps); return memo.value; }
    if (this.busy.has(v)) return [];
    this.busy.add(v);
    const tracked = this.track(file, () => {
      try {
        return dedupe(this.compute(v, file, depth)).slice(0, MAX_REFS);
      } finally {
        this.busy.delete(v);
      }
    });
    for (const r of tracked.value) tracked.deps.add(r.file);
    this.remember(this.memo, v, tracked);
    return tracked.value;
  }

  private compute(v: Value, file: ProjectFile, depth: number): Ref[] {
    switch (v.k) {
      case 'module': {
        const target = this.resolveModuleFile(v.module, v.from);
        if (!target) return [{ v, file }];
        return this.followPath(this.moduleObject(target, v.path.length === 0, depth), v.path, depth);
      }
      case 'member': {
        const out: Ref[] = [];
        for (const o of this.deref(v.obj, file, depth + 1)) out.push(...this.memberOf(o, v.name, v.node, depth));
        return out;
      }
      case 'call': {
        const out: Ref[] = [];
        const callees = this.deref(v.callee, file, depth + 1);
        for (const c of callees) {
          if (c.v.k === 'fn') {
            const fn = c.v.node;
            for (const r of this.returnsOf(fn, c.file, depth)) out.push(r.via || !madeInside(r, fn, c.file) ? r : { ...r, via: { node: v.node, file } });
          }
          else out.push({ v: { k: 'call', callee: c.v, node: v.node }, file });
        }
        if (callees.length === 0) out.push({ v, file });
        return out;
      }
      case 'new': {
        const callees = this.deref(v.callee, file, depth + 1);
        if (callees.length === 0) return [{ v, file }];
        return callees.map((c) => ({ v: { k: 'new', callee: c.v, node: v.node } as Value, file }));
      }
      case 'param': {
        // routers.forEach((r) => app.route('/api', r)): the callback's parameter is each element
        const elements = this.iteratedElements(v.fn, v.index, file, depth);
        if (elements) return elements;
        if (v.annotation) {
          const ann = this.deref(v.annotation, file, depth + 1);
          if (ann.length) return [{ v: { ...v, annotation: ann[0].v }, file }];
        }
        return [{ v, file }];
      }
      case 'typed': {
        const ann = this.deref(v.annotation, file, depth + 1);
        return [{ v: { k: 'typed', annotation: ann[0]?.v ?? v.annotation, node: v.node }, file }];
      }
      default:
        return [{ v, file }];
    }
  }

  resolveModuleFile(spec: string, from: string): ProjectFile | undefined {
    return this.project.resolveModule(spec, from);
  }

  /** The value of `import * as x` / `require()` of a project file. */
  private moduleObject(target: ProjectFile, wholeModule: boolean, depth: number): Ref[] {
    this.read(target);
    const exports = target.exports();
    const cjs = exports.get('=');
    if (cjs && 'value' in cjs) return this.deref(target.valueOf(cjs.value), target, depth + 1);
    void wholeModule;
    return [{ v: { k: 'ns' }, file: target }];
  }

  private followPath(start: Ref[], path: string[], depth: number): Ref[] {
    let cur = start;
    for (const name of path) {
      const next: Ref[] = [];
      for (const r of cur) next.push(...this.memberOf(r, name, r.file.sf, depth));
      cur = dedupe(next).slice(0, MAX_REFS);
      if (!cur.length) break;
    }
    return cur;
  }

  /** The export `name` of a project file, following re-exports and `export *`. */
  exportRefs(target: ProjectFile, name: string, depth = 0, seen = new Set<ProjectFile>()): Ref[] {
    this.read(target);
    if (seen.has(target) || depth > MAX_DEPTH) return [];
    seen.add(target);
    const exports = target.exports();
    let e = exports.get(name);
    if (!e && name === 'default') e = exports.get('=');
    if (e) {
      if ('reexport' in e) {
        const t = this.resolveModuleFile(e.reexport, target.abs);
        if (!t) return [{ v: { k: 'module', module: e.reexport, path: e.name === '*' ? [] : [e.name], from: target.abs }, file: target }];
        return e.name === '*' ? this.moduleObject(t, true, depth + 1) : this.exportRefs(t, e.name, depth + 1, seen);
      }
      const node = e.value;
      const v = e.kind === 'decl' ? target.values.valueOfDeclaration(node) : target.valueOf(node);
      return this.deref(v, target, depth + 1);
    }
    for (const spec of target.stars()) {
      const t = this.resolveModuleFile(spec, target.abs);
      if (t) {
        const r = this.exportRefs(t, name, depth + 1, seen);
        if (r.length) return r;
      }
    }
    return [];
  }

  /** `obj.name` for a resolved object. */
  private memberOf(o: Ref, name: string, node: ts.Node, depth: number): Ref[] {
    this.read(o.file);
    const v = o.v;
    if (v.k === 'ns') return this.exportRefs(o.file, name, depth + 1);
    if (v.k === 'object') {
      for (const p of v.node.properties) {
        const pn = propertyNameText(p.name);
        if (pn !== name) continue;
        if (ts.isPropertyAssignment(p)) return this.deref(o.file.valueOf(p.initializer), o.file, depth + 1);
        if (ts.isShorthandPropertyAssignment(p)) return this.deref(o.file.valueOf(p.name), o.file, depth + 1);
        if (ts.isMethodDeclaration(p)) return [{ v: { k: 'fn', node: p }, file: o.file }];
      }
      return [];
    }
    if (v.k === 'this') return this.classMember(v.cls, o.file, name, depth, true);
    if (v.k === 'new' && v.callee.k === 'class') return this.classMember(v.callee.node, o.file, name, depth, true);
    if (v.k === 'class') return this.classMember(v.node, o.file, name, depth, false);
    if (v.k === 'module') return [{ v: member(v, name, node), file: o.file }];
    if (v.k === 'fn' || v.k === 'string' || v.k === 'array') return [];
    // a parameter or property typed with a project class (injected services): its instance members
    const ann = v.k === 'param' || v.k === 'typed' ? v.annotation : undefined;
    if (ann?.k === 'class') {
      const f = this.project.files.get(ann.node.getSourceFile().fileName);
      const found = f ? this.classMember(ann.node, f, name, depth + 1, true) : [];
      if (found.length) return found;
    }
    return [{ v: { k: 'member', obj: v, name, node }, file: o.file }];
  }

  /** Members of a class: methods, property initializers, `this.x = …` assignments, parameter properties. */
  classMember(cls: ts.ClassLikeDeclaration, file: ProjectFile, name: string, depth: number, instance: boolean): Ref[] {
    this.read(file);
    const out: Ref[] = [];
    /** `private worker: Worker;` assigned in the constructor: the assignment wins over the annotation. */
    const typedOnly: Ref[] = [];
    for (const m of cls.members) {
      const isStatic = ts.canHaveModifiers(m) && !!ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
      if (isStatic === instance) {
        if (!ts.isConstructorDeclaration(m)) continue;
      }
      if (ts.isMethodDeclaration(m) && propertyNameText(m.name) === name) out.push({ v: { k: 'fn', node: m }, file });
      else if (ts.isPropertyDeclaration(m) && propertyNameText(m.name) === name) {
        if (m.initializer) out.push(...this.deref(file.valueOf(m.initializer), file, depth + 1));
        else if (m.type) typedOnly.push(...this.deref({ k: 'typed', annotation: file.valueOf(m.type), node: m }, file, depth + 1));
      } else if (ts.isConstructorDeclaration(m) && instance) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && p.name.text === name && ts.canHaveModifiers(p) && ts.getModifiers(p)?.length) {
            out.push(...this.deref(file.values.valueOfDeclaration(p), file, depth + 1));
          }
        }
      }
    }
    if (instance && out.length === 0) {
      // this.name = value, anywhere in the class's own methods
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
          n.left.expression.kind === ts.SyntaxKind.ThisKeyword && n.left.name.text === name) {
          out.push(...this.deref(file.valueOf(n.right), file, depth + 1));
        }
        if (!ts.isClassLike(n)) ts.forEachChild(n, visit);
      };
      for (const m of cls.members) ts.forEachChild(m, visit);
    }
    if (out.length === 0) out.push(...typedOnly);
    if (out.length === 0 && cls.heritageClauses) {
      for (const h of cls.heritageClauses) {
        if (h.token !== ts.SyntaxKind.ExtendsKeyword) continue;
        for (const t of h.types) for (const b of this.deref(file.valueOf(t.expression), file, depth + 1)) {
          if (b.v.k === 'class') out.push(...this.classMember(b.v.node, b.file, name, depth + 1, instance));
        }
      }
    }
    return out;
  }

  /** What a project function returns (`return x`, an arrow's expression body). */
  returnsOf(fn: ts.FunctionLikeDeclaration, file: ProjectFile, depth = 0): Ref[] {
    const memo = this.returnsMemo.get(fn);
    if (memo) { this.credit(memo.deps); return memo.value; }
    this.returnsMemo.set(fn, { value: [], deps: new Set([file]) });
    const tracked = this.track(file, () => this.computeReturns(fn, file, depth));
    this.remember(this.returnsMemo, fn, tracked);
    return tracked.value;
  }

  private computeReturns(fn: ts.FunctionLikeDeclaration, file: ProjectFile, depth: number): Ref[] {
    const out: Ref[] = [];
    const body = fn.body;
    if (body && !ts.isBlock(body)) out.push(...this.deref(file.valueOf(body), file, depth + 1));
    else if (body) {
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) || ts.isClassLike(n)) return;
        if (ts.isReturnStatement(n) && n.expression) out.push(...this.deref(file.valueOf(n.expression), file, depth + 1));
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(body, visit);
    }
    return dedupe(out).slice(0, MAX_REFS);
  }

  /** The project functions an expression may evaluate to (handler references, wrappers, methods). */
  functionsOf(node: ts.Node, file: ProjectFile): Array<{ fn: ts.FunctionLikeDeclaration; file: ProjectFile }> {
    const out: Array<{ fn: ts.FunctionLikeDeclaration; file: ProjectFile }> = [];
    const e = ts.isExpression(node) ? skipOuter(node) : node;
    if (isFunctionLike(e)) return [{ fn: e, file }];
    for (const r of this.refsOf(e, file)) if (r.v.k === 'fn') out.push({ fn: r.v.node, file: r.file });
    return out;
  }
}

/** Is this a `new`/call made lexically inside `fn` (so each call of `fn` makes another one)? */
function madeInside(r: Ref, fn: ts.FunctionLikeDeclaration, fnFile: ProjectFile): boolean {
  if ((r.v.k !== 'new' && r.v.k !== 'call') || r.file !== fnFile) return false;
  const n = r.v.node;
  return n.pos >= fn.pos && n.end <= fn.end;
}

function dedupe(refs: Ref[]): Ref[] {
  const seen = new Set<unknown>();
  const out: Ref[] = [];
  for (const r of refs) {
    const key = r.via ? r.via.node : r.v.k === 'ns' ? r.file : identity(r.v);
    if (key !== undefined) { if (seen.has(key)) continue; seen.add(key); }
    out.push(r);
  }
  return out;
}

function identity(v: Value): unknown {
  switch (v.k) {
    case 'call': case 'new': return v.node;
    case 'fn': return v.node;
    case 'class': return v.node;
    case 'param': return v.node;
    case 'object': case 'array': return v.node;
    case 'this': return v.cls;
    case 'ns': return undefined;
    case 'typed': return v.node;
    default: return undefined;
  }
}

export { UNKNOWN, isRelative };
