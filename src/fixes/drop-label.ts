/**
 * Removes an unbounded label from a metric everywhere: from the prom-client definition's
 * `labelNames` (the whole `labelNames` property when it was the only one) and from every place in
 * the project that gives it a value — label objects (`inc({ route, user_id })`, `startTimer`, the
 * timer's `end({...})`, `const labels = {...}`), positional `labels(a, b)` arguments (a `labels()`
 * left without arguments disappears: `m.labels(x).inc()` → `m.inc()`), OpenTelemetry attribute
 * objects and StatsD tags. The series of the metric merge over the dropped label; put the value in
 * logs or span attributes instead.
 * Safety: suggestion (the metric's series change).
 */
import { ts, skipOuter } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import { labelSitesOf, type LabelSite } from '../analysis/labels';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { FixNotApplicable } from './module';

export default defineFix({
  id: 'drop-label',
  for: ['high-cardinality-label'],
  safety: 'suggestion',
  title: (f) => `Remove label ${String(f.data?.label)} from ${String(f.data?.metric)}`,
  edits(ctx) {
    const label = ctx.finding.data?.label;
    const metric = ctx.finding.data?.metric;
    if (typeof label !== 'string' || typeof metric !== 'string' || label === '(unnamed)') return undefined;
    const linker = ctx.analyzer.linker;
    const edits: FileEdit[] = [];
    let definitions = 0;
    let library: string | undefined;
    for (const file of ctx.analyzer.project.files.values()) {
      const { sites, names } = labelSitesOf(file, linker);
      // definitions: labelNames: [...]
      for (const n of names) {
        if (n.metric.name !== metric || n.label !== label) continue;
        definitions++;
        library = n.metric.library;
        const arr = n.node.parent;
        if (!ts.isArrayLiteralExpression(arr)) throw new FixNotApplicable(`the labelNames of ${metric} are not a list`);
        if (arr.elements.length === 1) {
          let holder: ts.Node = arr;
          while (!ts.isPropertyAssignment(holder) && holder.parent && !ts.isObjectLiteralExpression(holder.parent)) holder = holder.parent;
          if (ts.isPropertyAssignment(holder) && ts.isObjectLiteralExpression(holder.parent)) edits.push(removeElement(file, holder.parent.properties, holder));
          else edits.push({ file: file.abs, start: n.node.getStart(file.sf), end: n.node.getEnd(), newText: '' });
        } else edits.push(removeElement(file, arr.elements, n.node));
      }
      // uses
      const byCall = new Map<ts.CallExpression, LabelSite[]>();
      for (const s of sites) {
        if (s.metric.name !== metric || s.label !== label) continue;
        library ??= s.metric.library;
        const list = byCall.get(s.call) ?? [];
        list.push(s);
        byCall.set(s.call, list);
      }
      for (const [call, list] of byCall) for (const s of list) edits.push(useEdit(file, s, call));
    }
    if (!definitions && library === 'prom-client') throw new FixNotApplicable(`the definition of ${metric} is not visible; its labelNames must change too`);
    if (!edits.length) return undefined;
    return dedupe(edits);
  },
});

function useEdit(file: ProjectFile, s: LabelSite, call: ts.CallExpression): FileEdit {
  const sf = file.sf;
  const key = s.keyNode;
  if (key) {
    const prop = key.parent;
    if ((ts.isPropertyAssignment(prop) || ts.isShorthandPropertyAssignment(prop)) && ts.isObjectLiteralExpression(prop.parent)) {
      const obj = prop.parent;
      if (obj.properties.length > 1) return removeElement(file, obj.properties, prop);
      // the object's only label: drop the argument (`end({ id })` → `end()`), else leave `{}`
      const arg = call.arguments.find((a) => skipOuter(a) === obj);
      if (arg) {
        if (call.arguments.length === 1 && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'labels') {
          return { file: file.abs, start: call.getStart(sf), end: call.getEnd(), newText: skipOuter(call.expression.expression).getText(sf) };
        }
        return removeElement(file, call.arguments, arg);
      }
      return { file: file.abs, start: obj.getStart(sf), end: obj.getEnd(), newText: '{}' };
    }
    // a StatsD tag string in an array
    const el = s.value;
    if (ts.isArrayLiteralExpression(el.parent)) return removeElement(file, el.parent.elements, el);
    throw new FixNotApplicable(`cannot remove ${key.getText(sf)} at ${file.rel}:${file.position(key).line}`);
  }
  // positional labels(a, b, c)
  const args = call.arguments;
  if (!args.includes(s.value)) throw new FixNotApplicable(`cannot remove the label value at ${file.rel}:${file.position(s.value).line}`);
  if (args.length === 1 && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'labels') {
    // m.labels(x).inc() → m.inc()
    return { file: file.abs, start: call.getStart(sf), end: call.getEnd(), newText: skipOuter(call.expression.expression).getText(sf) };
  }
  return removeElement(file, args, s.value);
}

function removeElement(file: ProjectFile, list: ts.NodeArray<ts.Node>, el: ts.Node): FileEdit {
  const sf = file.sf;
  const i = list.indexOf(el);
  if (i > 0) return { file: file.abs, start: list[i - 1].getEnd(), end: el.getEnd(), newText: '' };
  if (list.length > 1) return { file: file.abs, start: el.getStart(sf), end: list[1].getStart(sf), newText: '' };
  // the only element: drop it and a trailing comma
  const end = list.hasTrailingComma ? sf.text.indexOf(',', el.getEnd()) + 1 : el.getEnd();
  return { file: file.abs, start: el.getStart(sf), end, newText: '' };
}

/** Two removals of neighbouring elements of one list touch the same comma: merge overlapping ranges. */
function dedupe(edits: FileEdit[]): FileEdit[] {
  const sorted = [...edits].sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start || a.end - b.end);
  const out: FileEdit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.file === e.file && e.start < prev.end && !prev.newText && !e.newText) prev.end = Math.max(prev.end, e.end);
    else if (!(prev && prev.file === e.file && prev.start === e.start && prev.end === e.end && prev.newText === e.newText)) out.push({ ...e });
  }
  return out;
}
