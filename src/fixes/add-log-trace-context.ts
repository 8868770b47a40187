/**
 * Joins logs to traces: a pino logger created without trace context gets the module's
 * `traceContext` as its `mixin` (every line logged inside a span carries `trace_id`/`span_id`);
 * a logger with its own mixin keeps it, wrapped as `withTraceContext(mixin)` so both sets of
 * fields are logged. `pino()` → `pino({ mixin: traceContext })`; `pino(pino.destination(…))` gets
 * the options argument in front; options held in a local object literal are edited there.
 * Fixes `log-without-trace-context`. Safety: safe (log lines gain two fields).
 */
import { ts, skipOuter, objectProperty } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { defineFix, type FixContext } from './fix';
import { FixNotApplicable } from './module';
import { lineIndent } from './style';

export default defineFix({
  id: 'add-log-trace-context',
  for: ['log-without-trace-context'],
  safety: 'safe',
  title: () => 'Add trace_id and span_id to this logger\'s lines (pino mixin)',
  edits(ctx) {
    const call = pinoCallAt(ctx);
    if (!call) return undefined;
    const { file } = ctx;
    const sf = file.sf;
    const first = call.arguments[0];
    if (!first) {
      const name = ctx.module.use('traceContext', file, ctx.style);
      const open = sf.text.indexOf('(', call.expression.getEnd());
      return [{ file: file.abs, start: open + 1, end: open + 1, newText: `{ mixin: ${name} }` }];
    }
    const arg = skipOuter(first);
    if (ts.isObjectLiteralExpression(arg)) return objectEdits(ctx, file, arg);
    if (ts.isCallExpression(arg)) {
      // pino(pino.destination(…)) / pino(transport): options go in front of the stream
      const name = ctx.module.use('traceContext', file, ctx.style);
      return [{ file: file.abs, start: first.getStart(sf), end: first.getStart(sf), newText: `{ mixin: ${name} }, ` }];
    }
    if (ts.isIdentifier(arg)) {
      const decl = file.values.declarationOf(arg);
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isObjectLiteralExpression(skipOuter(decl.initializer))) {
        return objectEdits(ctx, file, skipOuter(decl.initializer) as ts.ObjectLiteralExpression);
      }
    }
    throw new FixNotApplicable('the logger\'s options are not an object literal in this file');
  },
});

/** The `pino(…)` call the finding is about (the finding's range is its callee). */
function pinoCallAt(ctx: FixContext): ts.CallExpression | undefined {
  const { file, finding } = ctx;
  const sf = file.sf;
  const start = sf.getPositionOfLineAndCharacter(finding.line - 1, finding.column - 1);
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.getEnd() < start || n.getStart(sf) > start) return;
    if (ts.isCallExpression(n) && n.expression.getStart(sf) === start) { found = n; return; }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function objectEdits(ctx: FixContext, file: ProjectFile, obj: ts.ObjectLiteralExpression): FileEdit[] {
  const sf = file.sf;
  const style = ctx.style;
  const existing = objectProperty(obj, 'mixin');
  const method = obj.properties.find((p): p is ts.MethodDeclaration => ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === 'mixin');
  if (method) {
    // mixin(obj) { … }   →   mixin: withTraceContext(function (obj) { … })
    if (method.asteriskToken || ts.getModifiers(method)?.length) throw new FixNotApplicable('the mixin is an async or generator method');
    const wrap = ctx.module.use('withTraceContext', file, style);
    const nameEnd = method.name.getEnd();
    return [
      { file: file.abs, start: nameEnd, end: nameEnd, newText: `: ${wrap}(function ` },
      { file: file.abs, start: method.getEnd(), end: method.getEnd(), newText: ')' },
    ];
  }
  if (existing) {
    const wrap = ctx.module.use('withTraceContext', file, style);
    return [
      { file: file.abs, start: existing.getStart(sf), end: existing.getStart(sf), newText: `${wrap}(` },
      { file: file.abs, start: existing.getEnd(), end: existing.getEnd(), newText: ')' },
    ];
  }
  const name = ctx.module.use('traceContext', file, style);
  const props = obj.properties;
  if (props.length === 0) {
    const open = obj.getStart(sf) + 1;
    return [{ file: file.abs, start: open, end: obj.getEnd() - 1, newText: ` mixin: ${name} ` }];
  }
  const last = props[props.length - 1];
  const multiline = sf.text.slice(obj.getStart(sf), last.getStart(sf)).includes('\n');
  if (multiline) {
    const indent = lineIndent(sf.text, last.getStart(sf));
    return [{ file: file.abs, start: last.getEnd(), end: last.getEnd(), newText: `,${style.eol}${indent}mixin: ${name}` }];
  }
  return [{ file: file.abs, start: last.getEnd(), end: last.getEnd(), newText: `, mixin: ${name}` }];
}
