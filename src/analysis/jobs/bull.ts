/**
 * Bull: `queue.process(fn)`, `queue.process(concurrency, fn)`, `queue.process('name', fn)`,
 * `queue.process('name', concurrency, fn)` (or a processor file path instead of `fn`), where the
 * queue is `new Queue(…)` / `new Bull(…)` / `Bull(…)` from `bull` — found across files, in objects,
 * and through project factories (`createQueue('mail')`); and `@nestjs/bull` `@Process()` methods
 * of `@Processor('queue')` classes. Line: `process` / the `@Process` decorator. Name: the job
 * name, else the queue name ('*' means every job, so the queue name).
 *
 * Coverage beyond the processor: `queue.on('completed' | 'failed' | 'active' | 'global:…', fn)`
 * or `@OnQueue…` / `@OnGlobalQueue…` methods recording metrics → `middleware`.
 */
import { ts, skipOuter, decoratorsOf, decoratorCall, isFunctionLike } from '../ts';
import type { JobDraft, JobHelpers, JobRecognizer } from './types';
import type { Project, ProjectFile } from '../project';
import type { Ref } from '../link';
import { isModuleExport, type Value } from '../values';
import {
  ListenerIndex, isPathArgument, methodName, methodsOf, nestDecorator, objectLiteralOf, paramOf,
  processorFileHandler, propertyOf, sourceText, calleeNameNode, unwrapBind,
} from './common';

const MODULES = ['bull'];
const NEST = ['@nestjs/bull'];
const EVENTS = /^(global:)?(completed|failed|active|stalled|progress)$/;
const NEST_EVENTS = ['OnQueueCompleted', 'OnQueueFailed', 'OnQueueActive', 'OnQueueProgress', 'OnQueueStalled', 'OnQueueEvent',
  'OnGlobalQueueCompleted', 'OnGlobalQueueFailed', 'OnGlobalQueueActive', 'OnGlobalQueueProgress', 'OnGlobalQueueStalled'];

const bull: JobRecognizer = {
  kind: 'bull',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    let index: ListenerIndex | undefined;
    for (const file of project.files.values()) {
      for (const mc of file.methodCalls) {
        if (mc.method !== 'process') continue;
        const recv = skipOuter(mc.receiver);
        if (ts.isIdentifier(recv) && recv.text === 'process') continue;
        const args = mc.node.arguments;
        if (args.length === 0 || args.length > 3) continue;
        const queue = queueOf(mc.receiver, file, helpers);
        if (!queue) continue;
        index ??= new ListenerIndex(project, helpers.linker, (e) => EVENTS.test(e));
        const proc = args[args.length - 1];
        const jobName = args.length >= 2 ? helpers.str(args[0], file) : undefined;
        const name = jobName !== undefined && jobName !== '*' ? jobName : queue.name;
        const isFile = isPathArgument(proc, file, helpers);
        const fileDesc = isFile ? processorFile(proc, file, project, helpers) : undefined;
        const listener = queue.maker ? index.recording(queue.maker, helpers) : undefined;
        out.push({
          kind: 'bull', file, nameNode: calleeNameNode(mc.node), name,
          handler: isFile ? undefined : unwrapBind(proc),
          coverage: fileDesc ? { kind: 'handler', by: fileDesc } : listener ? { kind: 'middleware', by: listener } : undefined,
        });
      }
      out.push(...nestProcesses(file, helpers));
    }
    return out;
  },
};

/** The Bull queue a receiver is: its name and the node that made it (for listeners). */
function queueOf(receiver: ts.Expression, file: ProjectFile, helpers: JobHelpers): { name: string; maker?: ts.Node } | undefined {
  for (const r of helpers.linker.refsOf(receiver, file)) {
    const v = r.v;
    if ((v.k === 'new' || v.k === 'call') && isModuleExport(v.callee, MODULES, ['', 'Queue'])) {
      const arg = v.node.arguments?.[0];
      const name = helpers.str(arg, r.file) ?? throughFactory(arg, r, receiver, file, helpers) ?? (arg ? sourceText(arg, r.file) : 'default');
      return { name, maker: v.node };
    }
    const ann = v.k === 'param' ? v.annotation : v.k === 'typed' ? v.annotation : undefined;
    if (ann && isModuleExport(ann, MODULES, ['Queue', ''])) {
      // @InjectQueue('audio') private readonly queue: Queue
      const declNode = v.k === 'param' || v.k === 'typed' ? v.node : undefined;
      const inject = declNode ? decoratorsOf(declNode).map(decoratorCall).find((d) => d?.name === 'InjectQueue') : undefined;
      const injected = inject ? helpers.str(inject.args[0], r.file) : undefined;
      return { name: injected ?? sourceText(receiver, file) };
    }
  }
  return undefined;
}

/** `const q = createQueue('mail')` where `createQueue(name)` returns `new Bull(name)`: 'mail'. */
function throughFactory(arg: ts.Expression | undefined, made: Ref, receiver: ts.Expression, file: ProjectFile, helpers: JobHelpers): string | undefined {
  const p = paramOf(arg, made.file);
  if (!p) return undefined;
  let v: Value = file.valueOf(receiver);
  for (let i = 0; i < 4 && v.k === 'member'; i++) v = v.obj;
  if (v.k !== 'call') return undefined;
  const fns = helpers.linker.functionsOf(v.node.expression, file);
  if (fns.some((f) => f.fn === p.fn)) return helpers.str(v.node.arguments[p.index], file);
  // A lazy getter around the factory: `queue()` returns `_q ??= createQueue('mail')`: the one
  // factory call in the getter's body names it.
  for (const g of fns) {
    const body = g.fn.body;
    if (!body) continue;
    const names: string[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && helpers.linker.functionsOf(n.expression, g.file).some((f) => f.fn === p.fn)) {
        const s = helpers.str(n.arguments[p.index], g.file);
        if (s !== undefined) names.push(s);
      }
      if (!isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    if (new Set(names).size === 1) return names[0];
  }
  return undefined;
}

function processorFile(proc: ts.Expression, file: ProjectFile, project: Project, helpers: JobHelpers): string | undefined {
  const target = processorFileHandler(proc, file, project, helpers);
  if (!target) return undefined;
  const d = helpers.instr.ofFunction(target.fn, target.file);
  return d ? `${d} in ${target.file.rel}` : undefined;
}

function nestProcesses(file: ProjectFile, helpers: JobHelpers): JobDraft[] {
  const out: JobDraft[] = [];
  if (file.classes.length === 0 || !file.sf.text.includes('Process')) return out;
  const { linker } = helpers;
  for (const cls of file.classes) {
    const dec = nestDecorator(cls, file, linker, NEST, ['Processor']);
    if (!dec) continue;
    const first = dec.args[0];
    const queue = helpers.str(first, file) ??
      helpers.str(propertyOf(objectLiteralOf(first, file, linker), 'name', linker)?.node, file) ??
      (first && !ts.isObjectLiteralExpression(skipOuter(first)) ? sourceText(first, file) : 'default');
    let listener: string | undefined;
    for (const m of methodsOf(cls)) {
      const ev = nestDecorator(m, file, linker, NEST, NEST_EVENTS);
      const d = ev ? helpers.instr.ofFunction(m, file) : undefined;
      if (d) { listener = `@${ev!.name} ${methodName(m) ?? ''} recording ${d}`; break; }
    }
    for (const m of methodsOf(cls)) {
      const p = nestDecorator(m, file, linker, NEST, ['Process']);
      if (!p) continue;
      const a = p.args[0];
      const jobName = helpers.str(a, file) ?? helpers.str(propertyOf(objectLiteralOf(a, file, linker), 'name', linker)?.node, file);
      out.push({
        kind: 'bull', file, nameNode: p.decorator, name: jobName !== undefined && jobName !== '*' ? jobName : queue, handler: m,
        coverage: listener ? { kind: 'middleware', by: listener } : undefined,
      });
    }
  }
  return out;
}

export default bull;
