/**
 * Where metrics are constructed, with the syntax rules need: prom-client `new Counter({ name, help,
 * labelNames })` (also `new client.Histogram(…)`, re-exported classes) and OpenTelemetry
 * `meter.createCounter(name, { description, unit })` on a meter (`metrics.getMeter()`, a `Meter`
 * typed value, or an unresolved receiver named like a meter).
 */
import { ts, skipOuter, memberName, objectProperty } from './ts';
import type { Linker } from './link';
import type { ProjectFile } from './project';
import { isModuleExport, type Value } from './values';
import type { MetricType } from './model';
import { PROM_CLIENT, OTEL_API } from './instrument';

const PROM_TYPES: Record<string, MetricType> = { Counter: 'counter', Gauge: 'gauge', Histogram: 'histogram', Summary: 'summary' };
const OTEL_CREATE: Record<string, MetricType> = {
  createCounter: 'counter', createHistogram: 'histogram', createUpDownCounter: 'updowncounter', createGauge: 'gauge',
  createObservableGauge: 'observablegauge', createObservableCounter: 'observablecounter', createObservableUpDownCounter: 'observableupdowncounter',
};

export interface MetricSite {
  file: ProjectFile;
  node: ts.NewExpression | ts.CallExpression;
  library: 'prom-client' | 'opentelemetry';
  type: MetricType;
  /** `Counter` in `new Counter(`, `createCounter` in `meter.createCounter(` — the narrowest node for the construction. */
  calleeName: ts.Node;
  /** prom-client: the config object literal; OpenTelemetry: the options object literal. */
  config?: ts.ObjectLiteralExpression;
  /** The expression giving the metric name (`name:` property, or OTel's first argument). */
  nameExpr?: ts.Expression;
}

export function metricSites(file: ProjectFile, linker: Linker): MetricSite[] {
  const out: MetricSite[] = [];
  for (const n of file.newExpressions) {
    const type = promType(n, file, linker);
    if (!type) continue;
    const arg = n.arguments?.[0] ? skipOuter(n.arguments[0]) : undefined;
    const config = arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
    const calleeName = ts.isPropertyAccessExpression(n.expression) ? n.expression.name : n.expression;
    out.push({ file, node: n, library: 'prom-client', type, calleeName, config, nameExpr: objectProperty(config, 'name') });
  }
  for (const [method, type] of Object.entries(OTEL_CREATE)) {
    for (const call of file.callsByName.get(method) ?? []) {
      if (!ts.isPropertyAccessExpression(call.expression) || !isMeter(call.expression.expression, file, linker)) continue;
      const opts = call.arguments[1] ? skipOuter(call.arguments[1]) : undefined;
      out.push({
        file, node: call, library: 'opentelemetry', type, calleeName: call.expression.name,
        config: opts && ts.isObjectLiteralExpression(opts) ? opts : undefined, nameExpr: call.arguments[0],
      });
    }
  }
  return out;
}

function promType(n: ts.NewExpression, file: ProjectFile, linker: Linker): MetricType | undefined {
  const e = n.expression;
  const name = ts.isIdentifier(e) ? e.text : memberName(e);
  if (!name || !(name in PROM_TYPES)) return undefined;
  const type = PROM_TYPES[name];
  const v = file.valueOf(e);
  if (isModuleExport(v, PROM_CLIENT, [name])) return type;
  if (v.k === 'module' && !v.module.startsWith('.') && !v.module.startsWith('/')) return undefined;
  for (const r of linker.deref(v, file)) if (isModuleExport(r.v, PROM_CLIENT, [name])) return type;
  return undefined;
}

function calleeNameOf(v: Value): string | undefined {
  if (v.k === 'member') return v.name;
  if (v.k === 'module') return v.path[v.path.length - 1];
  return undefined;
}

/** Is the receiver of `createX(...)` an OpenTelemetry meter? */
export function isMeter(recv: ts.Expression, file: ProjectFile, linker: Linker): boolean {
  const refs = linker.refsOf(recv, file);
  for (const r of refs) {
    const v = r.v;
    if (v.k === 'call' && calleeNameOf(v.callee) === 'getMeter') return true;
    const ann = v.k === 'typed' ? v.annotation : v.k === 'param' ? v.annotation : undefined;
    if (ann && isModuleExport(ann, OTEL_API, ['Meter'])) return true;
    if (v.k === 'call' || v.k === 'new' || v.k === 'fn' || v.k === 'string' || v.k === 'object' || v.k === 'class' || v.k === 'module') return false;
  }
  // DI containers and untyped JS: trust a meter-like name
  return /meter/i.test(recv.getText(file.sf));
}
