/**
 * Checks metric definitions against the Prometheus naming conventions (the ones `promtool check
 * metrics` lints): names are valid and snake_case, counters end in `_total` and nothing else does,
 * units are base units (`_seconds`, `_bytes`, not `_ms`, `_milliseconds`, `_kb`, `_minutes`), the
 * histogram/summary suffixes `_count`, `_sum` and `_bucket` are not used by other types, `help` is
 * not empty, label names are not reserved (`le` on histograms, `quantile` on summaries, a `__`
 * prefix), and no metric name is defined in two places.
 *
 * prom-client definitions get every check. OpenTelemetry instruments (`meter.createCounter(…)`)
 * get the ones that survive export: a valid instrument name and base units; their exporter adds
 * `_total` and unit suffixes itself, and dotted lower-case names are the OpenTelemetry convention.
 * Why: prom-client throws at start-up on an invalid name, a missing or empty `help`, a reserved
 * label or a second registration of a name; the other conventions are what PromQL, dashboards and
 * recording rules rely on — `rate()` is meant for `_total` counters, `histogram_quantile()` reads
 * `_bucket` series, and mixed units (`_ms` next to `_seconds`) make every query that combines them wrong.
 * @notes
 * Names built at run time (from a parameter, an unknown prefix) and the positional form of old
 * prom-client versions are not checked. A duplicate is reported only between prom-client
 * definitions made once (at module level or in class fields) in the same package (the nearest
 * `package.json`) and the default registry; a definition with its own `registers`, one inside a
 * function (see `metric-created-per-call`) and a compiled copy of a source file are left alone.
 * @invalid
 * ```ts
 * import { Counter, Histogram } from 'prom-client';
 * export const requests = new Counter({ name: 'http_requests', help: 'HTTP requests' });
 * //                                          ^^^^^^^^^^^^^^^ Counter http_requests should end in _total
 * export const latency = new Histogram({ name: 'http_latency_ms', help: 'Latency' });
 * //                                           ^^^^^^^^^^^^^^^^^ Metric http_latency_ms uses milliseconds: use the base unit, _seconds
 * ```
 * @valid
 * ```ts
 * import { Counter, Histogram } from 'prom-client';
 * export const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames: ['method'] });
 * export const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency', labelNames: ['route'] });
 * ```
 * @valid OpenTelemetry names are dotted; the exporter adds `_total`
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * const meter = metrics.getMeter('shop');
 * export const orders = meter.createCounter('shop.orders', { description: 'Orders placed' });
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { ts, skipOuter, objectProperty, isFunctionLike } from '../ts';
import { defineRule } from '../rule';
import { metricSites, type MetricSite } from '../metric-sites';
import { stringOf } from '../strings';
import type { ProjectFile } from '../project';

const PROM_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const PROM_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const OTEL_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,254}$/;
/** Non-base units by name token → [what it is, the base-unit suffix to use]. */
const NON_BASE_UNITS: Record<string, [string, string]> = {
  ms: ['milliseconds', '_seconds'], msec: ['milliseconds', '_seconds'], msecs: ['milliseconds', '_seconds'], millis: ['milliseconds', '_seconds'],
  millisecond: ['milliseconds', '_seconds'], milliseconds: ['milliseconds', '_seconds'],
  us: ['microseconds', '_seconds'], usec: ['microseconds', '_seconds'], micros: ['microseconds', '_seconds'], microsecond: ['microseconds', '_seconds'], microseconds: ['microseconds', '_seconds'],
  ns: ['nanoseconds', '_seconds'], nanos: ['nanoseconds', '_seconds'], nanosecond: ['nanoseconds', '_seconds'], nanoseconds: ['nanoseconds', '_seconds'],
  sec: ['an abbreviated unit', '_seconds'], secs: ['an abbreviated unit', '_seconds'],
  minute: ['minutes', '_seconds'], minutes: ['minutes', '_seconds'], mins: ['minutes', '_seconds'],
  hour: ['hours', '_seconds'], hours: ['hours', '_seconds'], hrs: ['hours', '_seconds'], days: ['days', '_seconds'],
  kb: ['kilobytes', '_bytes'], kib: ['kibibytes', '_bytes'], kilobytes: ['kilobytes', '_bytes'], kbytes: ['kilobytes', '_bytes'],
  mb: ['megabytes', '_bytes'], mib: ['mebibytes', '_bytes'], megabytes: ['megabytes', '_bytes'], mbytes: ['megabytes', '_bytes'],
  gb: ['gigabytes', '_bytes'], gib: ['gibibytes', '_bytes'], gigabytes: ['gigabytes', '_bytes'],
};
/** Series suffixes that may follow the unit. */
const TRAILING = new Set(['total', 'count', 'sum', 'bucket', 'created', 'info']);
const TYPE_TITLE: Record<string, string> = { counter: 'Counter', gauge: 'Gauge', histogram: 'Histogram', summary: 'Summary' };

interface Def { site: MetricSite; name: string; nameNode: ts.Node }

export default defineRule({
  id: 'metric-naming',
  category: 'correctness',
  severity: 'warning',
  description: 'Metric definition breaks the Prometheus naming conventions',
  check(ctx) {
    const linker = ctx.analysis.linker;
    const promDefs: Def[] = [];
    for (const file of ctx.project.files.values()) {
      if (!file.newExpressions.length && !file.sf.text.includes('.create')) continue;
      for (const site of metricSites(file, linker)) {
        const report = (node: ts.Node, message: string) => ctx.report(file, node, message);
        const name = site.nameExpr ? stringOf(site.nameExpr, file, linker) : undefined;
        const nameNode = site.nameExpr ?? site.calleeName;
        if (site.library === 'opentelemetry') {
          if (name === undefined) continue;
          if (!OTEL_NAME.test(name)) { report(nameNode, `Instrument name ${JSON.stringify(name)} is not a valid OpenTelemetry instrument name`); continue; }
          const unit = nonBaseUnit(name.toLowerCase().split(/[._\-/]/));
          if (unit) report(nameNode, `Instrument ${name} uses ${unit[0]}: use the base unit, ${unit[1]} (and the unit option)`);
          continue;
        }
        // prom-client
        if (!site.config || site.config.properties.some((p) => ts.isSpreadAssignment(p))) continue;
        if (name !== undefined) {
          checkPromName(name, site.type, (m) => report(nameNode, m));
          if (PROM_NAME.test(name) && !objectProperty(site.config, 'registers') && !insideFunction(site.node)) promDefs.push({ site, name, nameNode });
        }
        const label = name ?? 'metric';
        const helpExpr = objectProperty(site.config, 'help');
        if (!helpExpr) {
          report(name !== undefined ? nameNode : site.calleeName, `Metric ${label} has no help text (prom-client throws at start-up)`);
        } else if (helpExpr && stringOf(helpExpr, file, linker)?.trim() === '') {
          report(helpExpr, `Metric ${label} has an empty help text (prom-client throws at start-up)`);
        }
        checkLabels(site, file, label, (n, m) => report(n, m), linker);
      }
    }
    // Duplicates: the same name registered twice in the default registry of one package
    const byName = new Map<string, Def[]>();
    const roots = new Map<string, string>();
    for (const d of promDefs) {
      const key = `${packageRoot(ctx.project.root, d.site.file, roots)}\0${d.name}`;
      if (!byName.has(key)) byName.set(key, []);
      byName.get(key)!.push(d);
    }
    for (const all of byName.values()) {
      // a compiled copy next to its source (src/metrics.ts and lib/metrics.js) is the same definition
      const defs = all.filter((d) => !all.some((o) => o !== d && isCompiledCopy(d.site.file, o.site.file)));
      if (defs.length < 2) continue;
      for (const d of defs) {
        const others = defs.filter((o) => o !== d).map((o) => { const p = o.site.file.position(o.site.node); return `${o.site.file.rel}:${p.line}`; });
        ctx.report(d.site.file, d.nameNode, `Metric ${d.name} is also defined at ${others.join(', ')} (prom-client throws on the second registration)`);
      }
    }
  },
});

function checkPromName(name: string, type: string, report: (message: string) => void): void {
  if (!PROM_NAME.test(name)) { report(`Metric name ${JSON.stringify(name)} is not a valid Prometheus name (prom-client throws at start-up)`); return; }
  if (name.includes(':')) report(`Metric ${name} contains ':', which is reserved for recording rules`);
  if (/[A-Z]/.test(name)) report(`Metric ${name} is not snake_case`);
  // later checks look at the snake_case form, so `httpRequestsTotal` is only "not snake_case"
  const lower = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const title = TYPE_TITLE[type] ?? 'Metric';
  if (type === 'counter' && !lower.endsWith('_total')) report(`Counter ${name} should end in _total`);
  if (type !== 'counter' && lower.endsWith('_total')) report(`${title} ${name} should not end in _total, which is reserved for counters`);
  if (type !== 'histogram' && type !== 'summary') {
    const suffix = /_(count|sum|bucket)$/.exec(lower)?.[0];
    if (suffix) report(`${title} ${name} ends in ${suffix}, which is reserved for histogram and summary series`);
  }
  const unit = nonBaseUnit(lower.split('_'));
  if (unit) report(`Metric ${name} uses ${unit[0]}: use the base unit, ${unit[1]}`);
}

/** The non-base unit a name ends with (before `_total`, `_count`…), if any. */
function nonBaseUnit(tokens: string[]): [string, string] | undefined {
  const t = tokens.filter(Boolean);
  while (t.length > 1 && TRAILING.has(t[t.length - 1])) t.pop();
  if (t.length < 2) return undefined;
  return NON_BASE_UNITS[t[t.length - 1]];
}

function checkLabels(site: MetricSite, file: ProjectFile, label: string, report: (n: ts.Node, m: string) => void, linker: Parameters<typeof stringOf>[2]): void {
  const labels = objectProperty(site.config, 'labelNames');
  if (!labels) return;
  const arr = skipOuter(labels);
  if (!ts.isArrayLiteralExpression(arr)) return;
  for (const el of arr.elements) {
    const l = stringOf(el, file, linker);
    if (l === undefined) continue;
    if (!PROM_LABEL.test(l)) report(el, `Label name ${JSON.stringify(l)} of ${label} is not a valid Prometheus label name (prom-client throws at start-up)`);
    else if (l.startsWith('__')) report(el, `Label name ${l} of ${label} uses the __ prefix, which is reserved for Prometheus internals`);
    else if (l === 'le' && site.type === 'histogram') report(el, `Label name le of histogram ${label} is reserved for bucket bounds (prom-client throws at start-up)`);
    else if (l === 'quantile' && site.type === 'summary') report(el, `Label name quantile of summary ${label} is reserved for quantiles (prom-client throws at start-up)`);
  }
}

function insideFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return true;
  return false;
}

/** `js` is the JavaScript output of `ts` (same file name, .js/.cjs/.mjs next to .ts/.mts/.cts elsewhere in the project). */
function isCompiledCopy(js: ProjectFile, source: ProjectFile): boolean {
  const stem = (f: ProjectFile) => path.basename(f.abs).replace(/\.[cm]?[jt]sx?$/, '');
  return /\.[cm]?jsx?$/.test(js.abs) && /\.[cm]?tsx?$/.test(source.abs) && stem(js) === stem(source);
}

/** The directory of the nearest package.json at or above the file (within the project root). */
function packageRoot(root: string, file: ProjectFile, rootCache: Map<string, string>): string {
  let dir = path.dirname(file.abs);
  const seen: string[] = [];
  let found = root;
  for (;;) {
    const cached = rootCache.get(dir);
    if (cached !== undefined) { found = cached; break; }
    seen.push(dir);
    if (fs.existsSync(path.join(dir, 'package.json'))) { found = dir; break; }
    const parent = path.dirname(dir);
    if (dir === root || parent === dir || !dir.startsWith(root)) { found = root; break; }
    dir = parent;
  }
  for (const d of seen) rootCache.set(d, found);
  return found;
}
