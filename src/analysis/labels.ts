/**
 * Where metric labels are named and given values, on real metric objects only (prom-client,
 * OpenTelemetry instruments, StatsD/Datadog clients, resolved through the linker):
 *
 *   new Counter({ name, labelNames: ['method', 'user_id'] })           → label *names*
 *   m.labels('GET', route) / m.labels({ route })                       → values, positional or by name
 *   m.inc({ route }) m.dec() m.set({…}, v) m.observe({…}, v)           → values
 *   const end = m.startTimer({ route }); end({ status })               → values
 *   counter.add(1, { 'user.id': id }) histogram.record(ms, { … })     → OpenTelemetry attributes
 *   statsd.increment('x', 1, ['user:' + id]) / { tags } / dogstatsd   → StatsD/Datadog tags
 *
 * Computed once per file and linker (two rules read it).
 */
import { ts, skipOuter, objectProperty, propertyNameText } from './ts';
import type { Linker, Ref } from './link';
import type { ProjectFile } from './project';
import { metricOf, PROM_CLIENT, STATSD_MODULES, OTEL_API, type MetricRecognition } from './instrument';
import { isModuleExport } from './values';
import { stringOf } from './strings';
import type { MetricDefinition } from './model';

export interface MetricRef {
  /** The metric's name when it can be read (`http_requests_total`), else the receiver's text. */
  name: string;
  library: MetricDefinition['library'];
  /** Declared label names (prom-client `labelNames`), when the definition is visible. */
  labelNames?: string[];
}

export interface LabelSite {
  metric: MetricRef;
  /** The label's name, when known (object key, `labelNames[i]`, the `key:` of a StatsD tag). */
  label?: string;
  /** The node naming the label at the site (object key, tag string), if any. */
  keyNode?: ts.Node;
  /** The value expression. */
  value: ts.Expression;
  call: ts.CallExpression;
}

export interface LabelNameSite { metric: MetricRef; label: string; node: ts.Node }

const PROM_TYPES = ['Counter', 'Gauge', 'Histogram', 'Summary'];
const PROM_TYPE_NAME = /(^|\.)(Counter|Gauge|Histogram|Summary)$/;
const PROM_LABEL_METHODS = new Set(['labels', 'inc', 'dec', 'set', 'observe', 'startTimer', 'remove', 'zero']);
const OTEL_METHODS = new Set(['add', 'record']);
const STATSD_METHODS = new Set(['increment', 'decrement', 'incr', 'decr', 'timing', 'histogram', 'gauge', 'distribution', 'set', 'unique', 'gaugeDelta', 'timer', 'asyncTimer', 'asyncDistTimer', 'event', 'check']);
/** Method names worth a look (cheap pre-filter for files and calls). */
export const LABEL_METHODS = new Set([...PROM_LABEL_METHODS, ...OTEL_METHODS, ...STATSD_METHODS, 'startTimer']);
export const METRIC_MODULES = [...PROM_CLIENT, ...OTEL_API, ...STATSD_MODULES, '@opentelemetry/sdk-metrics'];
const METRIC_NAME_HINT = /(metric|counter|histogram|gauge|summary|duration|latency|requests?_?total|meter)/i;

const memo = new WeakMap<ProjectFile, { linker: Linker; sites: LabelSite[]; names: LabelNameSite[] }>();

/** Can this file give label values or names at all? (Map lookups only.) */
export function mayHaveLabels(file: ProjectFile): boolean {
  if (file.imports('prom-client')) return true;
  for (const n of file.newExpressions) if (PROM_TYPE_NAME.test(n.expression.getText(file.sf))) return true;
  for (const m of LABEL_METHODS) if (file.callsByName.has(m)) return true;
  return false;
}

export function labelSitesOf(file: ProjectFile, linker: Linker): { sites: LabelSite[]; names: LabelNameSite[] } {
  const m = memo.get(file);
  if (m && m.linker === linker) return m;
  const sites: LabelSite[] = [];
  const names: LabelNameSite[] = [];
  collect(file, linker, sites, names);
  const entry = { linker, sites, names };
  memo.set(file, entry);
  return entry;
}

function collect(file: ProjectFile, linker: Linker, sites: LabelSite[], names: LabelNameSite[]): void {
  // Definitions: labelNames of prom-client metrics (imported directly or through a project module)
  for (const n of file.newExpressions) {
    if (!isPromConstructor(n, file, linker)) continue;
    const metric = promMetricRef(n, file, linker);
    const labels = objectProperty(n.arguments?.[0] && skipOuter(n.arguments[0]), 'labelNames');
    const arr = labels && skipOuter(labels);
    if (!arr || !ts.isArrayLiteralExpression(arr)) continue;
    for (const el of arr.elements) {
      const s = stringOf(el, file, linker);
      if (s !== undefined) names.push({ metric, label: s, node: el });
    }
  }
  // Values
  for (const mc of file.methodCalls) {
    const method = mc.method;
    if (!LABEL_METHODS.has(method)) continue;
    const args = mc.node.arguments;
    if (!plausible(method, args)) continue;
    const metric = metricAt(mc.receiver, file, linker, method);
    if (!metric) continue;
    sitesOfCall(mc.node, method, metric, file, linker, sites);
  }
  // end(labels): the function returned by startTimer
  if (!file.callsByName.has('startTimer')) return;
  for (const calls of file.callsByName.values()) {
    for (const c of calls) {
      const callee = skipOuter(c.expression);
      if (!ts.isIdentifier(callee) || !c.arguments.length) continue;
      const d = file.values.declarationOf(callee);
      if (!d || !ts.isVariableDeclaration(d) || !d.initializer) continue;
      const init = skipOuter(d.initializer);
      if (!ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression) || init.expression.name.text !== 'startTimer') continue;
      const metric = metricAt(init.expression.expression, file, linker, 'startTimer');
      if (metric) objectSites(c.arguments[0], metric, c, file, sites);
    }
  }
}

/** `new Counter(…)`, `new client.Histogram(…)`, also through a project module re-exporting prom-client. */
function isPromConstructor(n: ts.NewExpression, file: ProjectFile, linker: Linker): boolean {
  if (!PROM_TYPE_NAME.test(n.expression.getText(file.sf))) return false;
  if (isModuleExport(file.valueOf(n.expression), PROM_CLIENT, PROM_TYPES)) return true;
  return linker.refsOf(n.expression, file).some((r) => isModuleExport(r.v, PROM_CLIENT, PROM_TYPES));
}

/** Could this call carry labels at all? */
function plausible(method: string, args: readonly ts.Expression[]): boolean {
  if (!args.length) return false;
  if (method === 'labels' || method === 'remove') return true;
  const a0 = skipOuter(args[0]);
  if (PROM_LABEL_METHODS.has(method) && (ts.isObjectLiteralExpression(a0) || ts.isIdentifier(a0) || ts.isPropertyAccessExpression(a0))) return true;
  if (args.length >= 2) return true;
  return false;
}

/** The metric a receiver is (through `.labels(…)` chains), or undefined. */
function metricAt(receiver: ts.Expression, file: ProjectFile, linker: Linker, method: string): MetricRef | undefined {
  let base = skipOuter(receiver);
  // m.labels(…).inc(): the chain continues from the labelled child; labels were given to `labels`
  if (ts.isCallExpression(base) && ts.isPropertyAccessExpression(base.expression) && base.expression.name.text === 'labels' && method !== 'labels') return undefined;
  if (ts.isCallExpression(base) && ts.isPropertyAccessExpression(base.expression) && base.expression.name.text === 'child') base = skipOuter(base.expression.expression);
  const refs = linker.refsOf(base, file);
  for (const r of refs) {
    const m = metricOf(r);
    if (!m) continue;
    if (!methodFits(m, method)) continue;
    return describe(r, m, base, file, linker);
  }
  // dd-trace: tracer.dogstatsd.increment(…)
  if (ts.isPropertyAccessExpression(base) && base.name.text === 'dogstatsd' && STATSD_METHODS.has(method)) {
    for (const r of linker.refsOf(base.expression, file)) {
      const v = r.v;
      const mod = v.k === 'module' ? v.module : v.k === 'call' && v.callee.k === 'module' ? v.callee.module : v.k === 'call' && v.callee.k === 'member' && v.callee.obj.k === 'module' ? v.callee.obj.module : undefined;
      if (mod === 'dd-trace') return { name: base.getText(file.sf), library: 'statsd' };
    }
  }
  // datadog-metrics / hot-shots used as a module object (metrics.increment(…))
  for (const r of refs) {
    if (r.v.k === 'module' && STATSD_MODULES.includes(r.v.module) && STATSD_METHODS.has(method)) return { name: base.getText(file.sf), library: 'statsd' };
  }
  // DI containers and untyped JS: a receiver named like a metric, prom-client-only methods
  if ((method === 'labels' || method === 'observe' || method === 'startTimer') && refs.every(opaque) && METRIC_NAME_HINT.test(base.getText(file.sf))) {
    return { name: base.getText(file.sf), library: 'prom-client' };
  }
  return undefined;
}

function opaque(r: Ref): boolean {
  const k = r.v.k;
  return k === 'param' || k === 'member' || k === 'typed' || (k === 'call' && r.v.callee.k !== 'fn');
}

function methodFits(m: MetricRecognition, method: string): boolean {
  if (m.library === 'prom-client') return PROM_LABEL_METHODS.has(method);
  if (m.library === 'opentelemetry') return OTEL_METHODS.has(method);
  return STATSD_METHODS.has(method);
}

function describe(r: Ref, m: MetricRecognition, base: ts.Expression, file: ProjectFile, linker: Linker): MetricRef {
  const v = r.v;
  if (m.library === 'prom-client' && v.k === 'new') {
    const d = promMetricRef(v.node, r.file, linker);
    // new Histogram(cfg) in a project wrapper: name the metric by the receiver
    return d.name === v.node.expression.getText(r.file.sf) ? { ...d, name: base.getText(file.sf).replace(/\s+/g, ' ') } : d;
  }
  if (m.library === 'prom-client' && v.k === 'call') {
    const n = stringOf(v.node.arguments[0], r.file, linker);
    return { name: n ?? base.getText(file.sf), library: 'prom-client' };
  }
  if (m.library === 'opentelemetry' && v.k === 'call') {
    const n = stringOf(v.node.arguments[0], r.file, linker);
    return { name: n ?? base.getText(file.sf), library: 'opentelemetry' };
  }
  return { name: base.getText(file.sf).replace(/\s+/g, ' '), library: m.library };
}

function promMetricRef(n: ts.NewExpression, file: ProjectFile, linker: Linker): MetricRef {
  const cfg = n.arguments?.[0] && skipOuter(n.arguments[0]);
  const name = stringOf(objectProperty(cfg, 'name'), file, linker) ?? n.expression.getText(file.sf);
  const labels = objectProperty(cfg, 'labelNames');
  const arr = labels && skipOuter(labels);
  let labelNames: string[] | undefined;
  if (arr && ts.isArrayLiteralExpression(arr)) labelNames = arr.elements.map((el) => stringOf(el, file, linker) ?? '?');
  return { name, library: 'prom-client', labelNames };
}

function sitesOfCall(call: ts.CallExpression, method: string, metric: MetricRef, file: ProjectFile, linker: Linker, out: LabelSite[]): void {
  const args = call.arguments;
  if (metric.library === 'prom-client') {
    if (method === 'labels' || method === 'remove') {
      const a0 = skipOuter(args[0]);
      if (args.length === 1 && (ts.isObjectLiteralExpression(a0) || objectInitializer(a0, file))) { objectSites(args[0], metric, call, file, out); return; }
      args.forEach((a, i) => { if (!ts.isSpreadElement(a)) out.push({ metric, label: metric.labelNames?.[i], value: a, call }); });
      return;
    }
    // inc(labels?, value?), set(labels, value), observe(labels, value), startTimer(labels?)
    const a0 = skipOuter(args[0]);
    if ((method === 'set' || method === 'observe') && args.length < 2) return;
    if (ts.isNumericLiteral(a0)) return;
    objectSites(args[0], metric, call, file, out);
    return;
  }
  if (metric.library === 'opentelemetry') {
    if (args[1]) objectSites(args[1], metric, call, file, out);
    return;
  }
  // StatsD: the stat name is the first argument; tags are an array of 'key:value' strings or an object
  const named = { ...metric, name: stringOf(args[0], file, linker) ?? metric.name };
  for (const a of args.slice(1)) {
    const s = skipOuter(a);
    const arr = ts.isArrayLiteralExpression(s) ? s : arrayInitializer(s, file);
    if (arr) { for (const el of arr.elements) tagSite(el, named, call, file, out); continue; }
    if (ts.isObjectLiteralExpression(s) || objectInitializer(s, file)) {
      const o = ts.isObjectLiteralExpression(s) ? s : objectInitializer(s, file)!;
      const tags = objectProperty(o, 'tags');
      if (tags) {
        const t = skipOuter(tags);
        if (ts.isArrayLiteralExpression(t)) for (const el of t.elements) tagSite(el, named, call, file, out);
        else objectSites(t, named, call, file, out);
      } else objectSites(o, named, call, file, out);
    }
  }
}

/** `const labels = { … }` / `const tags = [ … ]` in the same file. */
function objectInitializer(e: ts.Expression, file: ProjectFile): ts.ObjectLiteralExpression | undefined {
  const init = constInitializer(e, file);
  return init && ts.isObjectLiteralExpression(init) ? init : undefined;
}
function arrayInitializer(e: ts.Expression, file: ProjectFile): ts.ArrayLiteralExpression | undefined {
  const init = constInitializer(e, file);
  return init && ts.isArrayLiteralExpression(init) ? init : undefined;
}
function constInitializer(e: ts.Expression, file: ProjectFile): ts.Expression | undefined {
  const s = skipOuter(e);
  if (!ts.isIdentifier(s)) return undefined;
  const d = file.values.declarationOf(s);
  return d && ts.isVariableDeclaration(d) && d.initializer ? skipOuter(d.initializer) : undefined;
}

function objectSites(arg: ts.Expression, metric: MetricRef, call: ts.CallExpression, file: ProjectFile, out: LabelSite[]): void {
  const s = skipOuter(arg);
  const o = ts.isObjectLiteralExpression(s) ? s : objectInitializer(s, file);
  if (!o) return;
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p)) {
      const key = propertyNameText(p.name);
      out.push({ metric, label: key, keyNode: p.name, value: p.initializer, call });
    } else if (ts.isShorthandPropertyAssignment(p)) {
      out.push({ metric, label: p.name.text, keyNode: p.name, value: p.name, call });
    }
  }
}

/** A StatsD tag `'key:value'`, `` `key:${v}` `` or `'key:' + v`. */
function tagSite(el: ts.Expression, metric: MetricRef, call: ts.CallExpression, file: ProjectFile, out: LabelSite[]): void {
  const s = skipOuter(el);
  if (ts.isStringLiteralLike(s)) return; // constant tag
  let key: string | undefined;
  if (ts.isTemplateExpression(s)) key = /^([^:]+):/.exec(s.head.text)?.[1];
  else if (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    let left: ts.Expression = s;
    while (ts.isBinaryExpression(left) && left.operatorToken.kind === ts.SyntaxKind.PlusToken) left = skipOuter(left.left);
    if (ts.isStringLiteralLike(left)) key = /^([^:]+):/.exec(left.text)?.[1];
  }
  out.push({ metric, label: key, keyNode: s, value: s, call });
  void file;
}
