/**
 * The `cron` package: `new CronJob(expr, onTick, …)`, `new CronJob({ cronTime, onTick })` (old
 * object form), `CronJob.from({ cronTime, onTick, name? })` and `cron.job(expr, onTick)`, however
 * CronJob is reached (`import { CronJob }`, `require('cron').CronJob`, `new cron.CronJob`).
 * Line: `new` / `from` / `job`. Name: the `name` option, the name a NestJS SchedulerRegistry gives
 * it (`registry.addCronJob('name', job)`), else the naming rule of common.ts, else `cron '<expr>'`.
 */
import { ts, skipOuter } from '../ts';
import type { JobDraft, JobHelpers, JobRecognizer } from './types';
import type { ProjectFile } from '../project';
import { unwrapBind, assignedName, calleeNameNode, handlerName, objectLiteralOf, propertyOf, resolvesTo, stringOrText } from './common';

const MODULES = ['cron'];

const cron: JobRecognizer = {
  kind: 'cron',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    const { linker } = helpers;
    for (const file of project.files.values()) {
      for (const n of file.newExpressions) {
        if (!isCronJobCallee(n.expression, file, helpers)) continue;
        out.push(draft(file, n, n.arguments ?? [], n, helpers));
      }
      for (const method of ['from', 'job']) {
        for (const call of file.callsByName.get(method) ?? []) {
          if (!ts.isPropertyAccessExpression(call.expression) && !ts.isElementAccessExpression(call.expression)) continue;
          const ok = method === 'from'
            ? isCronJobCallee(call.expression.expression, file, helpers)
            : resolvesTo(call.expression, file, linker, MODULES, ['job']);
          if (ok) out.push(draft(file, call, call.arguments, calleeNameNode(call), helpers));
        }
      }
    }
    return out;
  },
};

function isCronJobCallee(callee: ts.Expression, file: ProjectFile, helpers: JobHelpers): boolean {
  return resolvesTo(skipOuter(callee), file, helpers.linker, MODULES, ['CronJob']);
}

function draft(file: ProjectFile, node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[], nameNode: ts.Node, helpers: JobHelpers): JobDraft {
  const { linker } = helpers;
  let exprNode: ts.Node | undefined = args[0];
  let onTick: ts.Node | undefined = args[1];
  let explicit: string | undefined;
  const obj = args[0] && ts.isObjectLiteralExpression(skipOuter(args[0])) ? objectLiteralOf(args[0], file, linker) : undefined;
  if (obj) {
    const cronTime = propertyOf(obj, 'cronTime', linker);
    const tick = propertyOf(obj, 'onTick', linker);
    const name = propertyOf(obj, 'name', linker);
    exprNode = cronTime?.file === file ? cronTime.node : undefined;
    onTick = tick?.file === file ? tick.node : undefined;
    explicit = name ? helpers.str(name.node, name.file) : undefined;
  }
  const expr = helpers.str(exprNode, file);
  const name = explicit ?? registryName(node, file) ?? handlerName(onTick) ?? assignedName(node) ??
    (expr !== undefined ? `cron '${expr}'` : `${file.rel}:${file.position(nameNode).line}`);
  return {
    kind: 'cron', file, nameNode, name,
    schedule: expr ?? stringOrText(exprNode, file, helpers),
    handler: onTick && ts.isExpression(onTick) ? unwrapBind(onTick) : undefined,
  };
}

/** `const job = new CronJob(…); registry.addCronJob('name', job)` in the same function or file. */
function registryName(node: ts.Node, file: ProjectFile): string | undefined {
  const calls = file.callsByName.get('addCronJob');
  if (!calls) return undefined;
  let holder: ts.Node = node;
  while (holder.parent && (ts.isParenthesizedExpression(holder.parent) || ts.isAsExpression(holder.parent))) holder = holder.parent;
  const decl = holder.parent && ts.isVariableDeclaration(holder.parent) && ts.isIdentifier(holder.parent.name) ? holder.parent : undefined;
  for (const c of calls) {
    const [nameArg, jobArg] = c.arguments;
    if (!jobArg) continue;
    const j = skipOuter(jobArg);
    const same = j === holder || (decl && ts.isIdentifier(j) && file.values.declarationOf(j) === decl);
    if (!same) continue;
    const v = file.valueOf(nameArg);
    return v.k === 'string' ? v.value : undefined;
  }
  return undefined;
}

export default cron;
