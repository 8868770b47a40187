/**
 * Agenda: `agenda.define('name', fn)` / `agenda.define('name', opts, fn)` where the agenda is
 * `new Agenda(…)` from `agenda` or `@hokify/agenda` (across files, in classes), a parameter typed
 * `Agenda`, or — the usual job-definition module `module.exports = (agenda) => { … }` — an
 * untyped parameter named like `agenda`. Line: `define`. Name: the job name. Schedule: the
 * interval of `agenda.every(interval, 'name' | ['name', …])` when there is one.
 *
 * Coverage beyond the handler: `agenda.on('success' | 'fail' | 'complete' | 'start', fn)` (or the
 * `:name` forms for this job) recording metrics → `middleware`. Jobs on parameter agendas use the
 * project's agenda when it has exactly one.
 */
import { ts, skipOuter } from '../ts';
import type { JobDraft, JobHelpers, JobRecognizer } from './types';
import type { ProjectFile } from '../project';
import { isModuleExport } from '../values';
import { ListenerIndex, calleeNameNode, sourceText, unwrapBind } from './common';

const MODULES = ['agenda', '@hokify/agenda'];
const EVENTS = /^(success|fail|complete|start)(:.+)?$/;

/** What an agenda receiver is: made by `new Agenda` (with the node), or a parameter agenda. */
type AgendaRef = { maker?: ts.Node } | undefined;

function agendaOf(receiver: ts.Expression, file: ProjectFile, helpers: JobHelpers): AgendaRef {
  for (const r of helpers.linker.refsOf(receiver, file)) {
    const v = r.v;
    if ((v.k === 'new' || v.k === 'call') && isModuleExport(v.callee, MODULES, ['', 'Agenda'])) return { maker: v.node };
    const ann = v.k === 'param' || v.k === 'typed' ? v.annotation : undefined;
    if (ann && isModuleExport(ann, MODULES, ['', 'Agenda'])) return {};
    if (v.k === 'param' && !ann && !v.node.type && ts.isIdentifier(v.node.name) && /agenda/i.test(v.node.name.text)) return {};
  }
  return undefined;
}

const agenda: JobRecognizer = {
  kind: 'agenda',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    const found: Array<{ draft: JobDraft; agenda: NonNullable<AgendaRef> }> = [];
    const every = new Map<string, string>();
    const makers = new Set<ts.Node>();
    for (const file of project.files.values()) {
      for (const call of file.callsByName.get('define') ?? []) {
        const c = call.expression;
        if (!ts.isPropertyAccessExpression(c) || call.arguments.length < 2) continue;
        const [nameArg] = call.arguments;
        const fn = call.arguments[call.arguments.length - 1];
        const e = skipOuter(nameArg);
        if (ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e)) continue;
        const a = agendaOf(c.expression, file, helpers);
        if (!a) continue;
        if (a.maker) makers.add(a.maker);
        const name = helpers.str(nameArg, file) ?? sourceText(nameArg, file);
        found.push({ draft: { kind: 'agenda', file, nameNode: calleeNameNode(call), name, handler: unwrapBind(fn) }, agenda: a });
      }
    }
    if (found.length === 0) return out;
    for (const file of project.files.values()) {
      for (const call of file.callsByName.get('every') ?? []) {
        const c = call.expression;
        if (!ts.isPropertyAccessExpression(c) || call.arguments.length < 2) continue;
        const [interval, names] = call.arguments;
        const iv = helpers.str(interval, file) ?? sourceText(interval, file);
        const ne = skipOuter(names);
        const list = ts.isArrayLiteralExpression(ne) ? ne.elements.map((el) => helpers.str(el, file)) : [helpers.str(names, file)];
        if (list.every((n) => n === undefined)) continue;
        if (!agendaOf(c.expression, file, helpers)) continue;
        for (const n of list) if (n !== undefined && !every.has(n)) every.set(n, iv);
      }
    }
    const index = new ListenerIndex(project, helpers.linker, (e) => EVENTS.test(e));
    for (const { maker } of index.emitters()) if (maker.v.k === 'new' && isModuleExport(maker.v.callee, MODULES, ['', 'Agenda'])) makers.add(maker.v.node);
    const only = makers.size === 1 ? [...makers][0] : undefined;
    for (const { draft, agenda: a } of found) {
      const maker = a.maker ?? only;
      const by = maker ? index.recording(maker, helpers, (ev) => !ev.includes(':') || ev.slice(ev.indexOf(':') + 1) === draft.name) : undefined;
      if (by) draft.coverage = { kind: 'middleware', by };
      const s = every.get(draft.name);
      if (s !== undefined) draft.schedule = s;
      out.push(draft);
    }
    return out;
  },
};

export default agenda;
