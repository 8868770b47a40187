/**
 * The batch-job checklist for one job, through the observability module's `runJob(name, fn)`:
 * `job_runs_total{job,status="ok|error"}`, the `job_duration_seconds{job}` histogram, a span
 * around the run, one structured pino line per run (trace_id, duration, outcome), the error
 * recorded, logged and rethrown; `rows_processed_total{job}` where the body exposes a count (it
 * returns a number, an array, a `length` or a `rowCount`, or reads one into a local).
 *
 * Call sites stay tiny: a handler function (node-cron/cron callbacks, BullMQ and Bull processors,
 * Agenda definitions, @nestjs/schedule and @Process methods, setInterval callbacks, a script's
 * `main`) gets its body wrapped in `return runJob('name', () => { … })`; a handler passed by
 * reference becomes `instrumentJob('name', handler)`. When the process serves no metrics (no
 * HTTP app, no /metrics), `startMetricsServer()` is added next to the job (see add-metrics-endpoint).
 * Safety: suggestion (the job now records, logs and traces).
 */
import { ts, skipOuter, isFunctionLike } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { FixNotApplicable } from './module';
import { detectStyle, quote } from './style';
import { isAsync, isGenerator, wrapBody } from './wrap';
import { hasHttpApp, hasMetricsEndpoint, metricsServerEdits } from './add-metrics-endpoint';

/** Properties that are counts of rows/items. */
const COUNT_PROPS = new Set(['length', 'rowCount', 'rowsAffected', 'affectedRows', 'count', 'deletedCount', 'modifiedCount', 'insertedCount', 'upsertedCount', 'changes', 'size']);
/** Array methods whose result is an array. */
const ARRAY_METHODS = new Set(['filter', 'map', 'slice', 'concat', 'flat', 'flatMap', 'splice']);
/** Local names that hold counts. */
const COUNT_NAMES = /^(count|rows|rowCount|processed|deleted|updated|inserted|synced|imported|exported|sent|total|items|records|results|affected)$|Count$/;

export default defineFix({
  id: 'add-job-instrumentation',
  for: ['uninstrumented-job'],
  safety: 'suggestion',
  title: (f) => `Instrument job ${String(f.data?.name)}: runs, duration, span and a log line per run`,
  edits(ctx) {
    const job = ctx.job;
    if (!job || job.entry.coverage !== 'none') return undefined;
    if (!job.handler) throw new FixNotApplicable(`the handler of job ${job.entry.name} is not in the project's code (a processor file or a package)`);
    const handlerFile = fileOf(ctx, job.handler) ?? job.file;
    const style = handlerFile === ctx.file ? ctx.style : detectStyle(handlerFile.sf);
    const name = quote(job.entry.name, style);
    const node = ts.isExpression(job.handler) ? skipOuter(job.handler) : job.handler;
    const edits: FileEdit[] = [];
    if (isFunctionLike(node)) {
      const fn = node as ts.FunctionLikeDeclaration;
      if (!fn.body) throw new FixNotApplicable(`job ${job.entry.name}'s handler has no body`);
      if (isGenerator(fn)) throw new FixNotApplicable(`job ${job.entry.name}'s handler is a generator`);
      const count = countOf(fn);
      const runJob = ctx.module.use('runJob', handlerFile, style);
      const options = count.returned ? ', { countRows: true }' : '';
      const asyncKw = isAsync(fn) ? 'async ' : '';
      const insertAfter = new Map<ts.Statement, string[]>();
      if (!count.returned && count.locals.length) {
        const rows = ctx.module.use('rowsProcessedTotal', handlerFile, style);
        for (const { stmt, expr } of count.locals) insertAfter.set(stmt, [`${rows}.inc({ job: ${name} }, ${expr} ?? 0);`]);
      }
      if (fn.body && !ts.isBlock(fn.body)) {
        // (job) => work(job)   →   (job) => runJob('name', () => work(job))
        const sf = handlerFile.sf;
        let start = fn.body.getStart(sf), end = fn.body.getEnd();
        if (sf.text[start - 1] === '(' && sf.text[end] === ')') { start--; end++; }
        edits.push({ file: handlerFile.abs, start, end, newText: `${runJob}(${name}, ${asyncKw}() => ${sf.text.slice(start, end)}${options})` });
      } else {
        edits.push(...wrapBody(handlerFile, fn, style, {
          before: [`return ${runJob}(${name}, ${asyncKw}() => {`],
          after: [`}${options});`],
          levels: 1,
          insertAfter,
        }));
      }
    } else if (ts.isExpression(node)) {
      // cron.schedule('…', cleanup)   →   cron.schedule('…', instrumentJob('cleanup', cleanup))
      const fns = ctx.analyzer.linker.functionsOf(node, handlerFile);
      if (fns.some((f) => isGenerator(f.fn))) throw new FixNotApplicable(`job ${job.entry.name}'s handler is a generator`);
      const returned = fns.some((f) => countOf(f.fn).returned);
      const wrap = ctx.module.use('instrumentJob', handlerFile, style);
      const sf = handlerFile.sf;
      const start = node.getStart(sf), end = node.getEnd();
      edits.push({ file: handlerFile.abs, start, end, newText: `${wrap}(${name}, ${sf.text.slice(start, end)}${returned ? ', { countRows: true }' : ''})` });
    } else {
      throw new FixNotApplicable(`job ${job.entry.name}'s handler is not a function we can wrap`);
    }
    if (!hasHttpApp(ctx.analyzer) && !hasMetricsEndpoint(ctx.analyzer)) {
      edits.push(...metricsServerEdits(ctx, job.file));
    }
    return edits;
  },
});

function fileOf(ctx: { analyzer: { project: { files: Map<string, ProjectFile> } } }, node: ts.Node): ProjectFile | undefined {
  const sf = node.getSourceFile();
  for (const f of ctx.analyzer.project.files.values()) if (f.sf === sf) return f;
  return undefined;
}

interface CountInfo {
  /** A return statement of the function returns a count (number, array, length, rowCount). */
  returned: boolean;
  /** `const n = result.rowCount` / `const { rowCount } = …` among the body's own statements. */
  locals: Array<{ stmt: ts.Statement; expr: string }>;
}

/** Where the job's body exposes a count of processed rows. */
export function countOf(fn: ts.FunctionLikeDeclaration): CountInfo {
  const info: CountInfo = { returned: false, locals: [] };
  const body = fn.body;
  if (!body) return info;
  if (!ts.isBlock(body)) { info.returned = isCountExpr(body); return info; }
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression && isCountExpr(n.expression)) info.returned = true;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  if (info.returned) return info;
  for (const stmt of body.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer && isCountProp(d.initializer)) info.locals.push({ stmt, expr: d.name.text });
      else if (ts.isObjectBindingPattern(d.name)) {
        for (const el of d.name.elements) {
          const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : undefined;
          if (prop && (prop === 'rowCount' || prop === 'affectedRows' || prop === 'rowsAffected' || prop === 'deletedCount' || prop === 'modifiedCount' || prop === 'insertedCount') && ts.isIdentifier(el.name) && !el.dotDotDotToken) {
            info.locals.push({ stmt, expr: el.name.text });
          }
        }
      }
    }
    if (info.locals.length) break;
  }
  return info;
}

function isCountProp(e: ts.Expression): boolean {
  const x = unwrapAwait(e);
  return (ts.isPropertyAccessExpression(x) && COUNT_PROPS.has(x.name.text)) || false;
}

function unwrapAwait(e: ts.Expression): ts.Expression {
  let x = skipOuter(e);
  while (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  return x;
}

function isCountExpr(e: ts.Expression): boolean {
  const x = unwrapAwait(e);
  if (ts.isNumericLiteral(x) || ts.isArrayLiteralExpression(x)) return true;
  if (ts.isPropertyAccessExpression(x)) return COUNT_PROPS.has(x.name.text);
  if (ts.isIdentifier(x)) return COUNT_NAMES.test(x.text);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression)) return ARRAY_METHODS.has(x.expression.name.text);
  if (ts.isBinaryExpression(x) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken].includes(x.operatorToken.kind)) return isCountExpr(x.left) || isCountExpr(x.right);
  return false;
}
