/**
 * Helpers shared by the job recognizers: "is this value made by that package export", readable
 * job names from handlers, numbers in schedules, event listeners that record metrics, and the
 * decorators of NestJS job classes.
 *
 * Naming rule (every kind that has no explicit name uses it, in this order):
 *   1. an explicit name (`{ name }` option, queue name, job name, decorator argument);
 *   2. the handler's own name: `cleanup` in `schedule(expr, cleanup)`, `this.flush` → `flush`,
 *      `function sync() {}` → `sync`, `fn.bind(this)` → `fn`;
 *   3. for an inline function whose body is one call, that call's callee: `() => syncAll()` → `syncAll`,
 *      `() => this.tick()` → `tick`, `() => cache.prune()` → `cache.prune`; a labelled wrapper gives its
 *      label: `() => recordJob('invoices', run)` → `invoices`;
 *   4. the variable or property the job is assigned to: `const cleanupJob = cron.schedule(…)` → `cleanupJob`;
 *   5. a kind-specific fallback (`cron '<expr>'`, `<file>:<line>`).
 */
import { ts, skipOuter, memberName, isFunctionLike, decoratorsOf, decoratorCall, stringLiteralText } from '../ts';
import { isModuleExport, type Value } from '../values';
import type { Ref, Linker } from '../link';
import type { Project, ProjectFile } from '../project';
import type { JobHelpers } from './types';

/** Does an expression (a callee, a constructor) resolve to one of `names` exported by one of `modules`? */
export function resolvesTo(node: ts.Node | undefined, file: ProjectFile, linker: Linker, modules: readonly string[], names: readonly string[]): boolean {
  if (!node) return false;
  // Cheap syntactic gate first (most calls and constructors in a project are not jobs): the name
  // written here is one of the export names (`new CronJob`, `cron.schedule`, `@Cron`, also when a
  // project barrel re-exports it), or the file imports the package itself (aliases).
  const written = ts.isIdentifier(node) ? node.text : memberName(node);
  if (!(written !== undefined && names.includes(written)) && !modules.some((m) => file.importedModules.has(m))) return false;
  const v = file.valueOf(node);
  if (v.k === 'unknown') return false;
  if (v.k === 'module' && !v.module.startsWith('.') && !v.module.startsWith('/')) return isModuleExport(v, modules, names);
  return linker.deref(v, file).some((r) => isModuleExport(r.v, modules, names));
}

/** A ref that is `new X(...)` or `X(...)` of a package export. */
export function isMadeBy(ref: Ref, modules: readonly string[], names: readonly string[], calls = false): ref is Ref & { v: Extract<Value, { k: 'new' | 'call' }> } {
  const v = ref.v;
  if (v.k === 'new') return isModuleExport(v.callee, modules, names);
  if (calls && v.k === 'call') return isModuleExport(v.callee, modules, names);
  return false;
}

/** The name node of a call's callee: `schedule` in `cron.schedule(`, `main` in `main()`. */
export function calleeNameNode(call: ts.CallExpression): ts.Node {
  const c = call.expression;
  if (ts.isPropertyAccessExpression(c)) return c.name;
  if (ts.isElementAccessExpression(c)) return c.argumentExpression;
  return c;
}

/** Name of the function a handler expression refers to (rules 2 and 3 of the naming rule). */
export function handlerName(node: ts.Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return memberName(e);
  if (ts.isCallExpression(e)) {
    const c = e.expression;
    if (ts.isPropertyAccessExpression(c) && c.name.text === 'bind') return handlerName(c.expression, depth + 1);
    return undefined;
  }
  if (ts.isFunctionExpression(e) && e.name) return e.name.text;
  if (ts.isFunctionDeclaration(e) || ts.isMethodDeclaration(e)) return e.name && (ts.isIdentifier(e.name) || ts.isStringLiteral(e.name)) ? e.name.text : undefined;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return singleCallName(e);
  return undefined;
}

/** `() => syncAll()`, `async () => { await syncAll(); }`, `() => void run().catch(log)` → the callee's name. */
function singleCallName(fn: ts.ArrowFunction | ts.FunctionExpression): string | undefined {
  let expr: ts.Expression | undefined;
  if (!ts.isBlock(fn.body)) expr = fn.body;
  else {
    const stmts = fn.body.statements.filter((s) => !ts.isEmptyStatement(s));
    if (stmts.length !== 1) return undefined;
    let s: ts.Statement = stmts[0];
    // try { await x(); } catch { … } is one call too
    if (ts.isTryStatement(s) && s.tryBlock.statements.length === 1) s = s.tryBlock.statements[0];
    if (ts.isExpressionStatement(s)) expr = s.expression;
    else if (ts.isReturnStatement(s)) expr = s.expression;
  }
  if (!expr) return undefined;
  let e = skipOuter(expr);
  if (ts.isVoidExpression(e)) e = skipOuter(e.expression);
  // run().catch(log) / run().then(…): the chain's first call
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['catch', 'then', 'finally'].includes(e.expression.name.text) && ts.isCallExpression(skipOuter(e.expression.expression))) {
    e = skipOuter(e.expression.expression);
  }
  if (!ts.isCallExpression(e)) return undefined;
  // a labelled wrapper: recordJob('monthly-invoices', async () => …) → 'monthly-invoices'
  const [label, ...rest] = e.arguments;
  const labelText = stringLiteralText(label);
  const last = rest[rest.length - 1];
  if (labelText && last && (isFunctionLike(skipOuter(last)) || ts.isIdentifier(skipOuter(last)))) return labelText;
  const c = skipOuter(e.expression);
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) {
    // this.tick() → 'tick'; cache.prune() → 'cache.prune'; this.jobs.sync() → 'jobs.sync'
    const text = c.getText().replace(/\s+/g, '').replace(/^this\./, '');
    return text.length <= 40 && /^[\w$.]+$/.test(text) ? text : c.name.text;
  }
  if (ts.isElementAccessExpression(c)) return memberName(c);
  return undefined;
}

/** The function a handler argument stands for: `this.run.bind(this)` → `this.run` (coverage is followed from it). */
export function unwrapBind<T extends ts.Node | undefined>(node: T): T | ts.Expression {
  if (!node || !ts.isExpression(node)) return node;
  const e = skipOuter(node);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return e.expression.expression;
  return node;
}

/** Rule 4: `const x = <node>` / `this.x = <node>` / `x = <node>` / `{ x: <node> }` → 'x'. */
export function assignedName(node: ts.Node): string | undefined {
  let n: ts.Node = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAwaitExpression(n.parent))) n = n.parent;
  // cron.schedule(…).start() and similar chains still name the job
  while (n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && ts.isCallExpression(n.parent.parent)) n = n.parent.parent;
  const p = n.parent;
  if (!p) return undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isPropertyDeclaration(p) && p.initializer === n) return ts.isIdentifier(p.name) ? p.name.text : undefined;
  if (ts.isPropertyAssignment(p) && p.initializer === n) return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) {
    const l = p.left;
    if (ts.isIdentifier(l)) return l.text;
    if (ts.isPropertyAccessExpression(l)) return l.name.text;
  }
  return undefined;
}

/** A numeric constant: literals, `60 * 1000`, consts of those in the file, `Number('5')` is not followed. */
export function numberOf(node: ts.Node | undefined, file: ProjectFile, depth = 0): number | undefined {
  if (!node || depth > 8) return undefined;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const v = numberOf(e.operand, file, depth + 1);
    return v === undefined ? undefined : -v;
  }
  if (ts.isBinaryExpression(e)) {
    const l = numberOf(e.left, file, depth + 1), r = numberOf(e.right, file, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken: return l * r;
      case ts.SyntaxKind.PlusToken: return l + r;
      case ts.SyntaxKind.MinusToken: return l - r;
      case ts.SyntaxKind.SlashToken: return r === 0 ? undefined : l / r;
      default: return undefined;
    }
  }
  if (ts.isIdentifier(e)) {
    const d = file.values.declarationOf(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isVariableDeclarationList(d.parent) && d.parent.flags & ts.NodeFlags.Const) {
      return numberOf(d.initializer, file, depth + 1);
    }
  }
  return undefined;
}

/** Milliseconds as a schedule: `every 5000 ms` (undefined when not a constant). */
export function msSchedule(node: ts.Node | undefined, file: ProjectFile, prefix: 'every' | 'after'): string | undefined {
  const n = numberOf(node, file);
  return n === undefined || !Number.isFinite(n) ? undefined : `${prefix} ${n} ms`;
}

/** The source text of an expression, on one line, for schedules that are not constants. */
export function sourceText(node: ts.Node, file: ProjectFile): string {
  const t = node.getText(file.sf).replace(/\s+/g, ' ');
  return t.length > 80 ? t.slice(0, 77) + '…' : t;
}

/** A schedule or name argument: its string value, or its source text. */
export function stringOrText(node: ts.Node | undefined, file: ProjectFile, helpers: JobHelpers): string | undefined {
  if (!node) return undefined;
  return helpers.str(node, file) ?? sourceText(node, file);
}

/** An object literal an expression stands for (a literal, or a const/import of one). */
export function objectLiteralOf(node: ts.Node | undefined, file: ProjectFile, linker: Linker): { obj: ts.ObjectLiteralExpression; file: ProjectFile } | undefined {
  if (!node) return undefined;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isObjectLiteralExpression(e)) return { obj: e, file };
  for (const r of linker.refsOf(e, file)) if (r.v.k === 'object') return { obj: r.v.node, file: r.file };
  return undefined;
}

/** A property of an object literal (looking through one level of spread of another literal). */
export function propertyOf(o: { obj: ts.ObjectLiteralExpression; file: ProjectFile } | undefined, name: string, linker: Linker, depth = 0): { node: ts.Expression; file: ProjectFile } | undefined {
  if (!o || depth > 3) return undefined;
  for (let i = o.obj.properties.length - 1; i >= 0; i--) {
    const p = o.obj.properties[i];
    const pn = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (pn === name) {
      if (ts.isPropertyAssignment(p)) return { node: p.initializer, file: o.file };
      if (ts.isShorthandPropertyAssignment(p)) return { node: p.name, file: o.file };
      if (ts.isMethodDeclaration(p)) return { node: p as unknown as ts.Expression, file: o.file };
    }
    if (ts.isSpreadAssignment(p)) {
      const inner = propertyOf(objectLiteralOf(p.expression, o.file, linker), name, linker, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The function expressions an argument is (an inline function, a function reference, `fn.bind(x)`). */
export function isCallable(node: ts.Node | undefined, file: ProjectFile, linker: Linker): boolean {
  if (!node) return false;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (isFunctionLike(e)) return true;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return true;
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return false;
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const refs = linker.refsOf(e, file);
    return refs.length === 0 || refs.some((r) => r.v.k !== 'string' && r.v.k !== 'object' && r.v.k !== 'array');
  }
  return ts.isCallExpression(e); // a wrapper: withMetrics(fn)
}

// ---- event listeners that record metrics --------------------------------------------------

/** One `x.on('event', fn)` call whose receiver was resolved. */
export interface Listener { event: string; fn: ts.Expression; file: ProjectFile; call: ts.CallExpression; maker: Ref }

/**
 * `emitter.on('event', fn)` calls in the project, indexed by the node that made the emitter
 * (`new Worker(…)`, `new Agenda(…)`, `Bull(…)`): built once per collect, for the events asked for.
 */
export class ListenerIndex {
  private readonly byMaker = new Map<ts.Node, Listener[]>();

  constructor(project: Project, linker: Linker, isEvent: (event: string) => boolean) {
    for (const file of project.files.values()) {
      for (const mc of file.methodCalls) {
        if (mc.method !== 'on' && mc.method !== 'once' && mc.method !== 'addListener') continue;
        const [ev, fn] = mc.node.arguments;
        const event = stringLiteralText(ev);
        if (event === undefined || !fn || !isEvent(event)) continue;
        for (const r of this.makersOf(linker.refsOf(mc.receiver, file), project, linker)) {
          let list = this.byMaker.get(r.v.node);
          if (!list) this.byMaker.set(r.v.node, (list = []));
          list.push({ event, fn, file, call: mc.node, maker: r });
        }
      }
    }
  }

  /**
   * The emitters a receiver can be: `new`/call leaves, and for a parameter of a project function
   * (`instrumentWorker(worker)` attaching listeners for its callers) the arguments of its calls.
   */
  private makersOf(refs: Ref[], project: Project, linker: Linker): Array<Ref & { v: Extract<Value, { k: 'new' | 'call' }> }> {
    const out: Array<Ref & { v: Extract<Value, { k: 'new' | 'call' }> }> = [];
    for (const r of refs) {
      if (r.v.k === 'new' || r.v.k === 'call') out.push(r as Ref & { v: Extract<Value, { k: 'new' | 'call' }> });
      else if (r.v.k === 'param' && isFunctionLike(r.v.fn)) {
        const index = r.v.index;
        for (const site of callSitesOf(r.v.fn, project, linker, 20)) {
          const arg = site.call.arguments[index];
          for (const a of arg ? linker.refsOf(arg, site.file) : []) {
            if (a.v.k === 'new' || a.v.k === 'call') out.push(a as Ref & { v: Extract<Value, { k: 'new' | 'call' }> });
          }
        }
      }
    }
    return out;
  }

  /** Every emitter with listeners: the ref that made it and its listeners. */
  *emitters(): Iterable<{ maker: Ref; listeners: Listener[] }> {
    for (const list of this.byMaker.values()) yield { maker: list[0].maker, listeners: list };
  }

  /** The first listener on the emitter made by `maker` that records a metric or opens a span. */
  recording(maker: ts.Node, helpers: JobHelpers, accept: (event: string) => boolean = () => true): string | undefined {
    return recordingListener(this.byMaker.get(maker) ?? [], helpers, accept);
  }
}

export function recordingListener(listeners: readonly Listener[], helpers: JobHelpers, accept: (event: string) => boolean = () => true): string | undefined {
  for (const l of listeners) {
    if (!accept(l.event)) continue;
    const d = helpers.instr.describe(l.fn, l.file);
    if (d) return `'${l.event}' listener at ${l.file.rel}:${l.file.position(l.call).line} recording ${d}`;
  }
  return undefined;
}

// ---- NestJS job classes -------------------------------------------------------------------

/** A decorator on a class or method that resolves to one of `names` of `modules`. */
export function nestDecorator(node: ts.Node, file: ProjectFile, linker: Linker, modules: readonly string[], names: readonly string[]): { decorator: ts.Decorator; name: string; args: readonly ts.Expression[] } | undefined {
  for (const d of decoratorsOf(node)) {
    const c = decoratorCall(d);
    if (!c || !names.includes(c.name)) continue;
    if (resolvesTo(c.callee, file, linker, modules, [c.name])) return { decorator: d, name: c.name, args: c.args };
  }
  return undefined;
}

/** Methods of a class (own members only). */
export function methodsOf(cls: ts.ClassLikeDeclaration): ts.MethodDeclaration[] {
  return cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m));
}

export function methodName(m: ts.MethodDeclaration): string | undefined {
  const n = m.name;
  return ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n) ? n.text : undefined;
}

// ---- factories: jobs made inside a project function, named by its callers -------------------

/** If `node` is a parameter of a function (directly, by name), that function and the parameter's index. */
export function paramOf(node: ts.Node | undefined, file: ProjectFile): { fn: ts.FunctionLikeDeclaration; index: number } | undefined {
  if (!node) return undefined;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (!ts.isIdentifier(e)) return undefined;
  const d = file.values.declarationOf(e);
  if (!d || !ts.isParameter(d) || !isFunctionLike(d.parent)) return undefined;
  return { fn: d.parent, index: d.parent.parameters.indexOf(d) };
}

/** The name a function is called by: its own name, the variable it initializes, or its method name. */
function functionCallName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isMethodDeclaration(fn)) return methodName(fn);
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
  return undefined;
}

export interface CallSite { file: ProjectFile; call: ts.CallExpression }

/** Calls of a project function anywhere in the project (by name, then confirmed by the linker). */
export function callSitesOf(fn: ts.FunctionLikeDeclaration, project: Project, linker: Linker, limit = 50): CallSite[] {
  const name = functionCallName(fn);
  if (!name) return [];
  const out: CallSite[] = [];
  for (const file of project.files.values()) {
    for (const call of file.callsByName.get(name) ?? []) {
      if (linker.functionsOf(call.expression, file).some((f) => f.fn === fn)) {
        out.push({ file, call });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

// ---- sandboxed processors: a worker given a file path ---------------------------------------

/** The relative path a path expression builds from `__dirname` (or `import.meta.url`), if it does. */
function dirnameRelative(node: ts.Node, file: ProjectFile, helpers: JobHelpers): string | undefined {
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  const isDirname = (x: ts.Node) => ts.isIdentifier(x) && x.text === '__dirname';
  if (ts.isCallExpression(e)) {
    const name = ts.isIdentifier(e.expression) ? e.expression.text : memberName(e.expression);
    if ((name === 'join' || name === 'resolve') && e.arguments.length >= 2 && isDirname(skipOuter(e.arguments[0]))) {
      const parts = e.arguments.slice(1).map((a) => helpers.str(a, file));
      return parts.every((p) => p !== undefined) ? parts.join('/') : undefined;
    }
  }
  if (ts.isTemplateExpression(e) && e.head.text === '' && e.templateSpans.length === 1 && isDirname(e.templateSpans[0].expression)) {
    return e.templateSpans[0].literal.text.replace(/^\//, '');
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken && isDirname(skipOuter(e.left))) {
    const r = helpers.str(e.right, file);
    return r?.replace(/^\//, '');
  }
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.length === 2 && /import\.meta\.url/.test(e.arguments[1].getText(file.sf))) {
    return helpers.str(e.arguments[0], file);
  }
  return undefined;
}

/** Is this argument a processor *file* (a path), rather than a function? */
export function isPathArgument(node: ts.Node | undefined, file: ProjectFile, helpers: JobHelpers): boolean {
  if (!node) return false;
  return dirnameRelative(node, file, helpers) !== undefined || helpers.str(node, file) !== undefined;
}

/** The function a sandboxed processor file exports (default / module.exports), with the file. */
export function processorFileHandler(node: ts.Node, file: ProjectFile, project: Project, helpers: JobHelpers): { fn: ts.FunctionLikeDeclaration; file: ProjectFile } | undefined {
  const rel = dirnameRelative(node, file, helpers) ?? helpers.str(node, file);
  if (rel === undefined) return undefined;
  const spec = rel.startsWith('.') || rel.startsWith('/') ? rel : './' + rel;
  const target = project.resolveModule(spec, file.abs) ?? (rel.startsWith('/') ? undefined : project.resolveModule('./' + rel.replace(/^\.\//, ''), project.root + '/x'));
  if (!target) return undefined;
  for (const r of helpers.linker.exportRefs(target, 'default')) if (r.v.k === 'fn') return { fn: r.v.node, file: r.file };
  return undefined;
}

/** Where a class constructor's arguments come from: `new C(…)` and `super(…)` in subclasses. */
export interface ConstructorSite {
  file: ProjectFile;
  node: ts.NewExpression | ts.CallExpression;
  args: readonly ts.Expression[];
  /** For `super(…)`: the subclass that calls it. */
  subclass?: ts.ClassLikeDeclaration;
}

export function constructorSites(ctor: ts.ConstructorDeclaration, project: Project, linker: Linker, limit = 30): ConstructorSite[] {
  const cls = ctor.parent;
  const name = cls.name?.text;
  if (!name) return [];
  const out: ConstructorSite[] = [];
  const isTarget = (expr: ts.Expression, file: ProjectFile) => {
    const e = skipOuter(expr);
    const written = ts.isIdentifier(e) ? e.text : memberName(e);
    return written === name && linker.refsOf(e, file).some((r) => r.v.k === 'class' && r.v.node === cls);
  };
  for (const file of project.files.values()) {
    for (const n of file.newExpressions) {
      if (out.length < limit && isTarget(n.expression, file)) out.push({ file, node: n, args: n.arguments ?? [] });
    }
    for (const sub of file.classes) {
      const ext = sub.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (!ext || !isTarget(ext.expression, file)) continue;
      const subCtor = sub.members.find(ts.isConstructorDeclaration);
      for (const s of subCtor?.body?.statements ?? []) {
        const e = ts.isExpressionStatement(s) ? skipOuter(s.expression) : undefined;
        if (e && ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword && out.length < limit) {
          out.push({ file, node: e, args: e.arguments, subclass: sub });
        }
      }
    }
  }
  return out;
}
