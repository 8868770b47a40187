/**
 * Creates a metric once: a prom-client `new Counter({...})` (or an OpenTelemetry
 * `meter.createCounter(...)`) constructed inside a handler, job or per-call class moves to module
 * level as a `const` above the function (named after the metric: `orders_created_total` →
 * `ordersCreatedTotal`), and the construction is replaced by that binding. When the module already
 * defines a metric of that name at its top level — or another module exports one — that one is
 * reused instead (its label names must match). Not applicable when the metric's options use local
 * values (parameters, locals, `this`), which only exist per call.
 * Safety: suggestion (the metric is now constructed when the module loads).
 */
import { ts, skipOuter, isFunctionLike, objectProperty } from '../analysis/ts';
import type { Linker } from '../analysis/link';
import { metricSites, type MetricSite } from '../analysis/metric-sites';
import { stringOf } from '../analysis/strings';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { FixNotApplicable } from './module';
import { ensureNamedImport, relativeSpecifier, topLevelBinding } from './imports';
import { camelName, findingNode, reindent, unusedName } from './locate';
import { lineIndent } from './style';

export default defineFix({
  id: 'hoist-metric-to-module',
  for: ['metric-created-per-call'],
  safety: 'suggestion',
  title: (f) => `Create ${/^(\w+ \S+)/.exec(f.message)?.[1] ?? 'the metric'} once, at module level`,
  edits(ctx) {
    const { file, style, finding } = ctx;
    const sf = file.sf;
    const linker = ctx.analyzer.linker;
    const calleeName = findingNode(file, finding, (n): n is ts.Node => ts.isIdentifier(n));
    if (!calleeName) return undefined;
    const site = metricSites(file, linker).find((s) => s.calleeName === calleeName);
    if (!site) return undefined;
    const metricName = site.nameExpr ? stringOf(site.nameExpr, file, linker) : undefined;
    if (!metricName) throw new FixNotApplicable('the metric name is not a constant');
    const top = topStatement(site.node);
    if (!top) return undefined;
    const replace = (binding: string): FileEdit => ({ file: file.abs, start: site.node.getStart(sf), end: site.node.getEnd(), newText: binding });

    // Reuse a module-level definition of the same metric: this file's, or one another file exports
    const labels = labelNames(site, linker);
    for (const other of metricSites(file, linker)) {
      if (other === site || insideFunctionOrClass(other.node) || metricNameOf(other, linker) !== metricName) continue;
      const binding = boundName(other.node);
      if (!binding) throw new FixNotApplicable(`${metricName} is already created at module level without a name to reuse`);
      checkLabels(labels, labelNames(other, linker), metricName);
      return [replace(binding)];
    }
    for (const def of ctx.analyzer.inventory().metrics) {
      if (def.name !== metricName || def.file === file.rel) continue;
      const otherFile = [...ctx.analyzer.project.files.values()].find((f) => f.rel === def.file);
      const other = otherFile && metricSites(otherFile, linker).find((s) => !insideFunctionOrClass(s.node) && metricNameOf(s, linker) === metricName);
      if (!otherFile || !other) continue;
      const binding = boundName(other.node);
      const exported = binding && otherFile.exports().get(binding);
      if (!binding || !exported) throw new FixNotApplicable(`${metricName} is already defined at ${def.file}:${def.line} but not exported; export it to reuse it`);
      checkLabels(labels, labelNames(other, linker), metricName);
      if (topLevelBinding(sf, binding)) throw new FixNotApplicable(`'${binding}' already means something else in ${file.rel}`);
      return [...ensureNamedImport(file, relativeSpecifier(file, otherFile.abs), binding, style), replace(binding)];
    }

    // Hoist: the options may only use what exists at module level
    let after = top.getFullStart();
    for (const id of identifiersIn(site.node)) {
      const d = file.values.declarationOf(id);
      if (!d || (d.pos >= site.node.pos && d.end <= site.node.end)) continue;
      if (d.pos >= top.pos && d.end <= top.end) throw new FixNotApplicable(`the metric's options use '${id.text}', which exists only per call`);
      const dTop = topStatement(d) ?? d;
      if (dTop.pos >= top.end) after = Math.max(after, dTop.getEnd());
    }
    if (containsThis(site.node)) throw new FixNotApplicable("the metric's options use 'this'");
    const name = unusedName(sf, camelName(metricName));
    const construction = reindent(file, site.node.getStart(sf), site.node.getEnd(), { remove: lineIndent(sf.text, site.node.getStart(sf)).length });
    const decl = `const ${name} = ${construction}${style.semi ? ';' : ''}`;
    let insert: FileEdit;
    if (after > top.getFullStart()) {
      insert = { file: file.abs, start: after, end: after, newText: `${style.eol}${decl}` };
    } else {
      // above the statement and its leading comments, at the start of its line
      const comments = ts.getLeadingCommentRanges(sf.text, top.getFullStart()) ?? [];
      const first = comments.length ? comments[0].pos : top.getStart(sf);
      const lineStart = sf.text.lastIndexOf('\n', first - 1) + 1;
      insert = { file: file.abs, start: lineStart, end: lineStart, newText: `${decl}${style.eol}${style.eol}` };
    }
    return [insert, replace(name)];
  },
});

function topStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n.parent && ts.isSourceFile(n.parent)) return n as ts.Statement;
  return undefined;
}

function insideFunctionOrClass(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n) || ts.isClassLike(n)) return true;
  return false;
}

function metricNameOf(s: MetricSite, linker: Linker): string | undefined {
  return s.nameExpr ? stringOf(s.nameExpr, s.file, linker) : undefined;
}

function labelNames(s: MetricSite, linker: Linker): string[] | undefined {
  if (s.library !== 'prom-client') return undefined;
  const arr = objectProperty(s.config, 'labelNames');
  const list = arr && skipOuter(arr);
  if (!list) return [];
  if (!ts.isArrayLiteralExpression(list)) return undefined;
  return list.elements.map((e) => stringOf(e, s.file, linker) ?? '?').sort();
}

function checkLabels(a: string[] | undefined, b: string[] | undefined, metric: string): void {
  if (a && b && a.join() !== b.join()) throw new FixNotApplicable(`${metric} already exists with labels [${b.join(', ')}], not [${a.join(', ')}]`);
}

/** The variable a module-level construction is bound to (`const x = new Counter(…)`, `export const x = …`). */
function boundName(node: ts.Node): string | undefined {
  let n: ts.Node = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  const d = n.parent;
  return ts.isVariableDeclaration(d) && d.initializer === n && ts.isIdentifier(d.name) ? d.name.text : undefined;
}

/** Identifiers that are references (not property names or object keys). */
function identifiersIn(node: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      if (ts.isPropertyAccessExpression(p) && p.name === n) return;
      if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === n) return;
      out.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

function containsThis(node: ts.Node): boolean {
  if (node.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (isFunctionLike(node) && !ts.isArrowFunction(node)) return false;
  return !!ts.forEachChild(node, (c) => containsThis(c) || undefined);
}

