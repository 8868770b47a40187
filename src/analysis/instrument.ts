/**
 * Does this code record a metric or open a span? Used for `handler` coverage (a handler that
 * measures itself, directly or through helpers and wrappers in the project) and for recognizing
 * metrics/tracing middleware. Also lists metric definitions for the inventory.
 */
import { ts, skipOuter, memberName, objectProperty, isFunctionLike } from './ts';
import type { Linker, Ref } from './link';
import type { ProjectFile } from './project';
import { isModuleExport, type Value } from './values';
import type { MetricDefinition, MetricType } from './model';

export const PROM_CLIENT = ['prom-client'];
export const OTEL_API = ['@opentelemetry/api'];
export const STATSD_MODULES = ['hot-shots', 'node-statsd', 'statsd-client', 'node-dogstatsd', 'lynx', 'datadog-metrics', 'dd-trace'];
const PROM_TYPES: Record<string, MetricType> = { Counter: 'counter', Gauge: 'gauge', Histogram: 'histogram', Summary: 'summary' };
const OTEL_CREATE: Record<string, MetricType> = {
  createCounter: 'counter', createHistogram: 'histogram', createUpDownCounter: 'updowncounter', createGauge: 'gauge',
  createObservableGauge: 'observablegauge', createObservableCounter: 'observablecounter', createObservableUpDownCounter: 'observableupdowncounter',
};
const OTEL_TYPES = ['Counter', 'Histogram', 'UpDownCounter', 'Gauge', 'Meter', 'Tracer', 'Span'];
/** Methods that record a value on a metric object (prom-client, OpenTelemetry, StatsD clients). */
const RECORD_METHODS = new Set(['inc', 'dec', 'set', 'observe', 'startTimer', 'labels', 'add', 'record', 'increment', 'decrement', 'timing', 'histogram', 'gauge', 'distribution', 'timer', 'asyncTimer', 'zero', 'reset', 'setToCurrentTime']);
/** Methods that open a span, on any receiver (the names are specific enough). */
const SPAN_METHODS = new Set(['startActiveSpan', 'startSpan', 'startInactiveSpan']);
const METRIC_NAME_HINT = /(metric|counter|histogram|gauge|summary|timer|duration|latency|requests?_?total|statsd|dogstatsd|meter)/i;

export type MetricRecognition = { library: MetricDefinition['library']; type?: MetricType };

/** Is a resolved value a metric object (or a StatsD client)? */
export function metricOf(ref: Ref): MetricRecognition | undefined {
  const v = ref.v;
  if (v.k === 'new') {
    for (const [name, type] of Object.entries(PROM_TYPES)) if (isModuleExport(v.callee, PROM_CLIENT, [name])) return { library: 'prom-client', type };
    if (v.callee.k === 'module' && STATSD_MODULES.includes(v.callee.module)) return { library: 'statsd' };
    return undefined;
  }
  if (v.k === 'call') {
    const name = calleeName(v.callee);
    if (name && OTEL_CREATE[name]) return { library: 'opentelemetry', type: OTEL_CREATE[name] };
    if (name === 'getSingleMetric') return { library: 'prom-client' };
    if (v.callee.k === 'module' && STATSD_MODULES.includes(v.callee.module)) return { library: 'statsd' };
    return undefined;
  }
  if (v.k === 'typed' || v.k === 'param') {
    const ann = v.k === 'typed' ? v.annotation : v.annotation;
    if (!ann) return undefined;
    for (const [name, type] of Object.entries(PROM_TYPES)) if (isModuleExport(ann, PROM_CLIENT, [name])) return { library: 'prom-client', type };
    if (isModuleExport(ann, OTEL_API, ['Counter', 'Histogram', 'UpDownCounter', 'Gauge'])) return { library: 'opentelemetry' };
    if (ann.k === 'module' && STATSD_MODULES.includes(ann.module)) return { library: 'statsd' };
  }
  return undefined;
}

function calleeName(v: Value): string | undefined {
  if (v.k === 'member') return v.name;
  if (v.k === 'module') return v.path[v.path.length - 1];
  return undefined;
}

/** Is a resolved value a tracer, meter or span (from @opentelemetry/api)? */
function isTelemetryObject(ref: Ref): boolean {
  const v = ref.v;
  const ann = v.k === 'typed' ? v.annotation : v.k === 'param' ? v.annotation : undefined;
  if (ann && isModuleExport(ann, OTEL_API, OTEL_TYPES)) return true;
  if (v.k === 'call') {
    const name = calleeName(v.callee);
    return name === 'getTracer' || name === 'getMeter' || name === 'getActiveSpan' || name === 'getSpan';
  }
  return false;
}

export class Instrumentation {
  private readonly fnMemo = new Map<ts.Node, { value: string | null; deps: Set<ProjectFile> }>();
  private readonly readers = new Map<ProjectFile, Set<ts.Node>>();

  constructor(private readonly linker: Linker) {}

  /**
   * How an expression (a handler, a middleware, a wrapper call) records metrics or spans:
   * a short description, or undefined when it does not.
   */
  describe(node: ts.Node | undefined, file: ProjectFile, depth = 0): string | undefined {
    if (!node || depth > 5) return undefined;
    const e = ts.isExpression(node) ? skipOuter(node) : node;
    if (isFunctionLike(e)) return this.ofFunction(e, file, depth);
    if (ts.isCallExpression(e)) {
      // A wrapper: withMetrics(handler), tracer.wrap(fn), promBundle({...}), an instrumented factory
      const direct = this.callRecords(e, file, depth);
      if (direct) return direct;
      for (const { fn, file: f } of this.linker.functionsOf(e.expression, file)) {
        const d = this.ofFunction(fn, f, depth + 1);
        if (d) return d;
      }
      for (const a of e.arguments) {
        const d = this.describe(a, file, depth + 1);
        if (d) return d;
      }
      for (const r of this.linker.refsOf(e, file)) {
        if (r.v.k === 'fn') { const d = this.ofFunction(r.v.node, r.file, depth + 1); if (d) return d; }
      }
      return undefined;
    }
    if (ts.isArrayLiteralExpression(e)) {
      for (const el of e.elements) { const d = this.describe(el, file, depth + 1); if (d) return d; }
      return undefined;
    }
    for (const r of this.linker.refsOf(e, file)) {
      if (r.v.k === 'fn') { const d = this.ofFunction(r.v.node, r.file, depth + 1); if (d) return d; }
      if (r.v.k === 'new' && r.v.callee.k === 'class') {
        // new MetricsMiddleware() — a class whose methods (use/intercept) record
        const d = this.ofClass(r.v.callee.node, r.file, depth + 1);
        if (d) return d;
      }
    }
    return undefined;
  }

  ofClass(cls: ts.ClassLikeDeclaration, file: ProjectFile, depth: number): string | undefined {
    for (const m of cls.members) if (ts.isMethodDeclaration(m)) { const d = this.ofFunction(m, file, depth); if (d) return d; }
    return undefined;
  }

  /** A function body (with the callbacks inside it) that records a metric, opens a span or calls a project function that does. */
  ofFunction(fn: ts.FunctionLikeDeclaration, file: ProjectFile, depth = 0): string | undefined {
    const memo = this.fnMemo.get(fn);
    if (memo !== undefined) { this.linker.credit(memo.deps); return memo.value ?? undefined; }
    if (depth > 5) return undefined;
    this.fnMemo.set(fn, { value: null, deps: new Set([file]) });
    const tracked = this.linker.track(file, () => this.scanFunction(fn, file, depth));
    this.fnMemo.set(fn, { value: tracked.value ?? null, deps: tracked.deps });
    for (const f of tracked.deps) {
      let set = this.readers.get(f);
      if (!set) this.readers.set(f, (set = new Set()));
      set.add(fn);
    }
    return tracked.value;
  }

  /** Forgets what depended on these files' old versions. */
  invalidate(files: ReadonlySet<ProjectFile>): void {
    for (const f of files) {
      for (const fn of this.readers.get(f) ?? []) this.fnMemo.delete(fn);
      this.readers.delete(f);
    }
  }

  private scanFunction(fn: ts.FunctionLikeDeclaration, file: ProjectFile, depth: number): string | undefined {
    let found: string | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        found = this.callRecords(n, file, depth);
        if (found) return;
        // a helper in the project: recordRequest(req, res), this.metrics.track(...)
        const callee = n.expression;
        if ((ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) && this.mayReachProjectCode(callee, file)) {
          for (const { fn: g, file: gf } of this.linker.functionsOf(callee, file)) {
            if (g === fn) continue;
            const d = this.ofFunction(g, gf, depth + 1);
            if (d) { found = d; return; }
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    if (fn.body) visit(fn.body);
    for (const d of ts.canHaveDecorators(fn) ? ts.getDecorators(fn) ?? [] : []) {
      // nestjs-otel / custom decorators: @Span(), @OtelMethodCounter(), @Traced()
      const e = d.expression;
      const name = ts.isCallExpression(e) ? (ts.isIdentifier(e.expression) ? e.expression.text : memberName(e.expression)) : ts.isIdentifier(e) ? e.text : undefined;
      if (name && /^(Span|Traced?|Trace|OtelMethodCounter|OtelInstanceCounter|Timed|Counted|Metric|Histogram|Measure|Instrument(ed)?|WithSpan)$/.test(name)) found ??= `@${name} decorator`;
    }
    return found;
  }

  /**
   * A cheap syntactic test before resolving a callee: calls on globals (console, Math, JSON…), on
   * untyped parameters (req, res, next) and on package imports (axios, express) can never reach a
   * project function, and they are most calls in a handler.
   */
  private mayReachProjectCode(callee: ts.Expression, file: ProjectFile): boolean {
    let root: ts.Expression = callee;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root) || ts.isParenthesizedExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
    if (root.kind === ts.SyntaxKind.ThisKeyword || root.kind === ts.SyntaxKind.SuperKeyword || ts.isNewExpression(root)) return true;
    if (!ts.isIdentifier(root)) return false;
    const decl = file.values.declarationOf(root);
    if (!decl) return false;
    if (ts.isParameter(decl)) return !!decl.type;
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isVariableDeclaration(decl) || ts.isBindingElement(decl)) {
      const v = file.values.valueOfDeclaration(decl);
      if (v.k === 'module' && !v.module.startsWith('.') && !this.linker.resolveModuleFile(v.module, v.from)) return false;
    }
    return true;
  }

  /** Does this one call record a metric or start a span? */
  private callRecords(call: ts.CallExpression, file: ProjectFile, _depth: number): string | undefined {
    const callee = call.expression;
    const method = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? memberName(callee) : undefined;
    if (!method) return undefined;
    const recv = (callee as ts.PropertyAccessExpression).expression;
    if (SPAN_METHODS.has(method)) return `span via ${short(callee, file)}`;
    if (!RECORD_METHODS.has(method)) return undefined;
    // metric.labels(...).inc(): the metric is the chain's start
    let base: ts.Expression = skipOuter(recv);
    while (ts.isCallExpression(base) && (ts.isPropertyAccessExpression(base.expression)) && RECORD_METHODS.has(base.expression.name.text)) base = skipOuter(base.expression.expression);
    const refs = this.linker.refsOf(base, file);
    for (const r of refs) {
      const m = metricOf(r);
      if (m) return `${m.library} metric ${short(base, file)}.${method}()`;
      if (isTelemetryObject(r) && (method === 'add' || method === 'record')) return `OpenTelemetry ${short(base, file)}.${method}()`;
    }
    // Unresolvable receivers (DI containers, untyped JS): trust a metric-like name.
    const text = base.getText(file.sf);
    if (refs.every((r) => r.v.k !== 'fn' && r.v.k !== 'string' && r.v.k !== 'object') && METRIC_NAME_HINT.test(text) && method !== 'set' && method !== 'add') {
      return `metric ${short(base, file)}.${method}()`;
    }
    return undefined;
  }
}

function short(node: ts.Node, file: ProjectFile): string {
  const t = node.getText(file.sf).replace(/\s+/g, ' ');
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

/** Metric definitions in a file: `new Counter({ name, help, labelNames })`, `meter.createHistogram('name', …)`. */
export function collectMetricDefinitions(file: ProjectFile, linker: Linker, str: (n: ts.Node | undefined) => string | undefined): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  if (file.imports('prom-client') || [...file.importedModules].some((m) => m.startsWith('.'))) {
    for (const n of file.newExpressions) {
      const callee = file.valueOf(n.expression);
      let type: MetricType | undefined;
      for (const [name, t] of Object.entries(PROM_TYPES)) if (isModuleExport(callee, PROM_CLIENT, [name])) type = t;
      if (!type) continue;
      const cfg = n.arguments?.[0];
      const name = str(objectProperty(cfg, 'name'));
      if (!name) continue;
      const labels = objectProperty(cfg, 'labelNames');
      const labelNames: string[] = [];
      if (labels && ts.isArrayLiteralExpression(skipOuter(labels))) for (const el of (skipOuter(labels) as ts.ArrayLiteralExpression).elements) { const s = str(el); if (s) labelNames.push(s); }
      const pos = file.position(n);
      out.push({ file: file.rel, line: pos.line, column: pos.column, name, type, labelNames, library: 'prom-client', help: str(objectProperty(cfg, 'help')) });
    }
  }
  for (const [method, type] of Object.entries(OTEL_CREATE)) {
    for (const call of file.callsByName.get(method) ?? []) {
      if (!ts.isPropertyAccessExpression(call.expression)) continue;
      const name = str(call.arguments[0]);
      if (!name) continue;
      const pos = file.position(call);
      out.push({ file: file.rel, line: pos.line, column: pos.column, name, type, labelNames: [], library: 'opentelemetry', help: str(objectProperty(call.arguments[1], 'description')) });
    }
  }
  void linker;
  return out;
}
