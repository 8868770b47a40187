/**
 * node-cron: `cron.schedule(expr, fn, opts?)`, `schedule(...)` imported by name, and v4's
 * `cron.createTask(expr, fn, opts?)`. Line: `schedule`. Schedule: the cron expression.
 * Name: `opts.name`, else the naming rule of common.ts, else `cron '<expr>'`.
 */
import type { JobDraft, JobRecognizer } from './types';
import { unwrapBind, assignedName, calleeNameNode, handlerName, objectLiteralOf, propertyOf, resolvesTo, stringOrText } from './common';
import { ts } from '../ts';

const MODULES = ['node-cron'];
const METHODS = ['schedule', 'createTask'];

const nodeCron: JobRecognizer = {
  kind: 'node-cron',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    for (const file of project.files.values()) {
      for (const method of METHODS) {
        for (const call of file.callsByName.get(method) ?? []) {
          if (call.arguments.length < 2 || !resolvesTo(call.expression, file, helpers.linker, MODULES, [method])) continue;
          const [exprArg, fn, optsArg] = call.arguments;
          const expr = helpers.str(exprArg, file);
          const opts = objectLiteralOf(optsArg, file, helpers.linker);
          const nameProp = propertyOf(opts, 'name', helpers.linker);
          const name = (nameProp && helpers.str(nameProp.node, nameProp.file)) ?? handlerName(fn) ?? assignedName(call) ??
            (expr !== undefined ? `cron '${expr}'` : `${file.rel}:${file.position(call).line}`);
          out.push({ kind: 'node-cron', file, nameNode: calleeNameNode(call), name, schedule: expr ?? stringOrText(exprArg, file, helpers), handler: fn && ts.isExpression(fn) ? unwrapBind(fn) : undefined });
        }
      }
    }
    return out;
  },
};

export default nodeCron;
