/**
 * BullMQ: `new Worker(queueName, processor | processorFile, opts)` from `bullmq` (and BullMQ Pro's
 * `WorkerPro`), and `@nestjs/bullmq` `@Processor('queue')` classes (`extends WorkerHost`, with
 * `process(job)`). Line: `new` / the `@Processor` decorator. Name: the queue name.
 *
 * A worker built inside a project function from its parameters (`makeWorker(name, fn)`) is one
 * job per call of that function, on the call's line, named by the call's argument.
 *
 * Coverage beyond the processor itself: `worker.on('completed' | 'failed' | 'active', fn)` or a
 * `QueueEvents` of the same queue (or `@OnWorkerEvent` / `@OnQueueEvent` methods) recording
 * metrics → `middleware`; `telemetry: new BullMQOtel(…)` or a registered BullMQ OpenTelemetry
 * instrumentation → `auto`.
 */
import { ts, skipOuter } from '../ts';
import type { JobDraft, JobHelpers, JobRecognizer } from './types';
import type { Project, ProjectFile } from '../project';
import {
  ListenerIndex, callSitesOf, calleeNameNode, isMadeBy, methodName, methodsOf, nestDecorator, objectLiteralOf, paramOf,
  processorFileHandler, propertyOf, resolvesTo, sourceText, isCallable, isPathArgument, unwrapBind, constructorSites,
} from './common';
import { isModuleExport } from '../values';

const MODULES = ['bullmq', '@taskforcesh/bullmq-pro'];
const WORKERS = ['Worker', 'WorkerPro'];
const NEST = ['@nestjs/bullmq'];
const EVENTS = new Set(['completed', 'failed', 'active', 'progress', 'stalled']);
const AUTO_PACKAGES = ['@appsignal/opentelemetry-instrumentation-bullmq', 'bullmq-otel'];

type Cov = JobDraft['coverage'];

const bullmq: JobRecognizer = {
  kind: 'bullmq',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    const { linker } = helpers;
    let index: ListenerIndex | undefined;
    let byQueue: Map<string, string> | undefined;
    const listeners = () => {
      if (!index) {
        index = new ListenerIndex(project, linker, (e) => EVENTS.has(e));
        byQueue = queueEventsCoverage(project, index, helpers);
      }
      return { index, byQueue: byQueue! };
    };
    const auto = autoInstrumentation(project);
    let nestAuto: string | undefined | null = null;
    const nestTelemetry = () => (nestAuto === null ? (nestAuto = nestModuleTelemetry(project, helpers) ?? auto) : nestAuto);

    for (const file of project.files.values()) {
      for (const n of file.newExpressions) {
        if (!resolvesTo(n.expression, file, linker, MODULES, WORKERS)) continue;
        const [queueArg, procArg, optsArg] = n.arguments ?? [];
        const telemetry = telemetryOf(optsArg, file, helpers);
        const { index: idx, byQueue: qmap } = listeners();
        const listenerCov = idx.recording(n, helpers);
        const coverageFor = (queue: string | undefined, handlerDesc?: string): Cov => {
          if (handlerDesc) return { kind: 'handler', by: handlerDesc };
          const by = listenerCov ?? (queue !== undefined ? qmap.get(queue) : undefined);
          if (by) return { kind: 'middleware', by };
          const a = telemetry ?? auto;
          return a ? { kind: 'auto', by: a } : undefined;
        };
        const queue = helpers.str(queueArg, file);
        // new Worker(name, …) or new Worker(queue.name, …) with `name` / `queue` a parameter of a factory
        const viaQueue = queueArg && ts.isPropertyAccessExpression(skipOuter(queueArg)) && (skipOuter(queueArg) as ts.PropertyAccessExpression).name.text === 'name';
        const queueParam = queue === undefined
          ? (viaQueue ? paramOf((skipOuter(queueArg) as ts.PropertyAccessExpression).expression, file) : paramOf(queueArg, file))
          : undefined;
        const siteName = (arg: ts.Expression | undefined, f: ProjectFile): string | undefined =>
          !arg ? undefined : viaQueue ? queueNameOf(arg, f, helpers) : helpers.str(arg, f);
        if (queueParam && ts.isConstructorDeclaration(queueParam.fn)) {
          // class EmailWorker extends BaseWorker { constructor() { super('email'); } process(job) {…} }
          const ctorSites = constructorSites(queueParam.fn, project, linker);
          for (const site of ctorSites) {
            const nameArg = site.args[queueParam.index];
            const name = siteName(nameArg, site.file) ?? (nameArg ? sourceText(nameArg, site.file) : sourceText(queueArg, file));
            let handler: ts.Node | undefined;
            const procParam = paramOf(procArg, file);
            const proc = procArg ? skipOuter(unwrapBind(procArg)) : undefined;
            if (procParam) handler = unwrapBind(site.args[procParam.index]);
            else if (site.subclass && proc && ts.isPropertyAccessExpression(proc) && proc.expression.kind === ts.SyntaxKind.ThisKeyword) {
              handler = methodsOf(site.subclass).find((m) => methodName(m) === proc.name.text);
            }
            const handlerDesc = handler ? undefined : procArg ? helpers.instr.describe(unwrapBind(procArg), file) : undefined;
            out.push({ kind: 'bullmq', file: site.file, nameNode: site.node, name, handler, coverage: coverageFor(siteName(nameArg, site.file), handlerDesc) });
          }
          if (ctorSites.length) continue;
        }
        const sites = queueParam ? callSitesOf(queueParam.fn, project, linker) : [];
        if (sites.length) {
          const procParam = paramOf(procArg, file);
          for (const site of sites) {
            const nameArg = site.call.arguments[queueParam!.index];
            const name = siteName(nameArg, site.file) ?? (nameArg ? sourceText(nameArg, site.file) : sourceText(queueArg, file));
            let handler: ts.Expression | undefined;
            let handlerDesc: string | undefined;
            if (procParam) handler = unwrapBind(site.call.arguments[procParam.index]);
            else if (procArg) handlerDesc = processorDescription(procArg, file, project, helpers);
            out.push({ kind: 'bullmq', file: site.file, nameNode: calleeNameNode(site.call), name, handler, coverage: coverageFor(siteName(nameArg, site.file), handlerDesc) });
          }
          continue;
        }
        const name = queue ?? (queueArg ? sourceText(queueArg, file) : 'default');
        const inline = procArg && !isPathArgument(procArg, file, helpers) && isCallable(procArg, file, linker);
        out.push({
          kind: 'bullmq', file, nameNode: n, name,
          handler: inline ? unwrapBind(procArg) : undefined,
          coverage: coverageFor(queue, !inline && procArg ? processorDescription(procArg, file, project, helpers) : undefined),
        });
      }
      out.push(...nestProcessors(file, project, helpers, () => listeners().byQueue, nestTelemetry));
    }
    return out;
  },
};

/** The name of a BullMQ `Queue` an expression holds (`new Queue('emails')` → 'emails'). */
function queueNameOf(node: ts.Expression, file: ProjectFile, helpers: JobHelpers): string | undefined {
  for (const r of helpers.linker.refsOf(node, file)) {
    if (isMadeBy(r, MODULES, ['Queue', 'QueuePro'])) return helpers.str(r.v.node.arguments?.[0], r.file);
  }
  return undefined;
}

/** A processor given as a file path (sandboxed): how its exported function records, if it does. */
function processorDescription(procArg: ts.Expression, file: ProjectFile, project: Project, helpers: JobHelpers): string | undefined {
  const target = processorFileHandler(procArg, file, project, helpers);
  if (target) {
    const d = helpers.instr.ofFunction(target.fn, target.file);
    return d ? `${d} in ${target.file.rel}` : undefined;
  }
  return helpers.instr.describe(procArg, file);
}

function telemetryOf(optsArg: ts.Expression | undefined, file: ProjectFile, helpers: JobHelpers): string | undefined {
  const t = propertyOf(objectLiteralOf(optsArg, file, helpers.linker), 'telemetry', helpers.linker);
  if (!t) return undefined;
  for (const r of helpers.linker.refsOf(t.node, t.file)) {
    if (isMadeBy(r, ['bullmq-otel'], ['BullMQOtel'])) return 'bullmq-otel telemetry';
    if (r.v.k === 'new' || r.v.k === 'call') return `telemetry option (${sourceText(t.node, t.file)})`;
  }
  return undefined;
}

/** `BullModule.forRoot({ telemetry: new BullMQOtel(…) })` (or registerQueue / forRootAsync): every Nest processor is traced. */
function nestModuleTelemetry(project: Project, helpers: JobHelpers): string | undefined {
  for (const f of project.files.values()) {
    if (!f.importedModules.has('bullmq-otel')) continue;
    for (const n of f.newExpressions) {
      if (!resolvesTo(n.expression, f, helpers.linker, ['bullmq-otel'], ['BullMQOtel'])) continue;
      for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
        if (ts.isCallExpression(p)) {
          const c = p.expression;
          const name = ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
          if (name && /^(forRoot|forRootAsync|registerQueue|registerQueueAsync|registerFlowProducer)$/.test(name)) {
            return `bullmq-otel telemetry in BullModule.${name} at ${f.rel}:${f.position(n).line}`;
          }
        }
      }
    }
  }
  return undefined;
}

/** A BullMQ OpenTelemetry instrumentation registered anywhere in the project. */
function autoInstrumentation(project: Project): string | undefined {
  for (const f of project.files.values()) {
    for (const m of f.importedModules) {
      if (m === AUTO_PACKAGES[0] && (f.callsByName.has('registerInstrumentations') || f.newExpressions.some((n) => /NodeSDK/.test(n.expression.getText(f.sf))))) {
        return `${m} in ${f.rel}`;
      }
    }
  }
  return undefined;
}

/** `new QueueEvents('q').on('completed', fn)` recording metrics, by queue name (and Nest `@QueueEventsListener`s). */
function queueEventsCoverage(project: Project, index: ListenerIndex, helpers: JobHelpers): Map<string, string> {
  const out = new Map<string, string>();
  for (const { maker, listeners } of index.emitters()) {
    if (maker.v.k !== 'new' || !isModuleExport(maker.v.callee, MODULES, ['QueueEvents', 'QueueEventsPro'])) continue;
    const q = helpers.str(maker.v.node.arguments?.[0], maker.file);
    if (q === undefined || out.has(q)) continue;
    for (const l of listeners) {
      const d = helpers.instr.describe(l.fn, l.file);
      if (d) { out.set(q, `QueueEvents '${l.event}' listener at ${l.file.rel}:${l.file.position(l.call).line} recording ${d}`); break; }
    }
  }
  for (const file of project.files.values()) {
    for (const cls of file.classes) {
      const dec = nestDecorator(cls, file, helpers.linker, NEST, ['QueueEventsListener']);
      if (!dec) continue;
      const q = helpers.str(dec.args[0], file) ?? helpers.str(propertyOf(objectLiteralOf(dec.args[0], file, helpers.linker), 'name', helpers.linker)?.node, file);
      const d = q !== undefined ? eventMethodsCoverage(cls, file, helpers, 'OnQueueEvent') : undefined;
      if (q !== undefined && d && !out.has(q)) out.set(q, d);
    }
  }
  return out;
}

/** `@OnWorkerEvent('completed') onCompleted() { counter.inc() }` and friends. */
function eventMethodsCoverage(cls: ts.ClassLikeDeclaration, file: ProjectFile, helpers: JobHelpers, decorator: string): string | undefined {
  for (const m of methodsOf(cls)) {
    const dec = nestDecorator(m, file, helpers.linker, NEST, [decorator]);
    if (!dec) continue;
    const d = helpers.instr.ofFunction(m, file);
    if (d) return `@${decorator}(${dec.args[0] ? sourceText(dec.args[0], file) : ''}) ${methodName(m) ?? ''} recording ${d}`;
  }
  return undefined;
}

function nestProcessors(file: ProjectFile, project: Project, helpers: JobHelpers, byQueue: () => Map<string, string>, autoOf: () => string | undefined): JobDraft[] {
  const out: JobDraft[] = [];
  if (file.classes.length === 0 || !file.sf.text.includes('Processor')) return out;
  for (const cls of file.classes) {
    const dec = nestDecorator(cls, file, helpers.linker, NEST, ['Processor']);
    if (!dec) continue;
    const first = dec.args[0];
    const name = helpers.str(first, file) ??
      helpers.str(propertyOf(objectLiteralOf(first, file, helpers.linker), 'name', helpers.linker)?.node, file) ??
      (first ? sourceText(first, file) : cls.name?.text ?? 'default');
    const handler = methodsOf(cls).find((m) => methodName(m) === 'process');
    const by = eventMethodsCoverage(cls, file, helpers, 'OnWorkerEvent') ?? byQueue().get(name);
    out.push({
      kind: 'bullmq', file, nameNode: dec.decorator, name, handler,
      coverage: by ? { kind: 'middleware', by } : autoOf() ? { kind: 'auto', by: autoOf()! } : undefined,
    });
  }
  void project;
  return out;
}

export default bullmq;
