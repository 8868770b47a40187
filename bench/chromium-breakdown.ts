/**
 * Where a page's main-thread time goes, from Chromium itself (CDP), for the dashboard benchmark:
 *
 * - `traceBreakdown`: a trace of N updates, self time per trace event on the renderer main thread
 *   (an event's duration minus its children's), per update, grouped into what a reader acts on
 *   (script, style, layout, paint, compositing, canvas, network/event stream, other).
 * - `profileBreakdown`: the V8 CPU profile of N updates (100 µs sampling): self and inclusive time
 *   per function, and optionally the call tree under one function (`focus`, e.g. "update main.js:15849").
 */
import type { CDPSession } from 'playwright-core';

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tid: number; pid: number; args?: { name?: string } }

const GROUPS: [RegExp, string][] = [
  [/^(FunctionCall|v8\.|V8\.|EvaluateScript|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks)/, 'script (incl. GC)'],
  [/^(MinorGC|MajorGC|Major concurrent)/, 'script (incl. GC)'],
  [/(UpdateLayoutTree|recalcStyle|Style)/i, 'style'],
  [/(Layout|performLayout|Shape|InlineNode)/, 'layout (incl. text shaping)'],
  [/^(Paint|PrePaint|Blink\.PrePaint|Blink\.Paint)/, 'paint'],
  [/(Layerize|PaintArtifactCompositor|Commit|CompositingInputs|UpdateLayer|BeginMainFrame)/, 'compositing'],
  [/Canvas/, 'canvas'],
  [/(Resource::|mojo|ResponseBodyLoader|EventSource)/i, 'network and event stream'],
];

export interface Breakdown { perUpdateMs: number; groups: [string, number][]; top: [string, number][] }

/** Runs `run` once per update inside a trace and returns self time per group and per event name. */
export async function traceBreakdown(cdp: CDPSession, n: number, run: () => Promise<void>): Promise<Breakdown> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: unknown[] }) => { events.push(...(e.value as TraceEvent[])); };
  cdp.on('Tracing.dataCollected', onData);
  const complete = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,loading,toplevel,cc,v8', transferMode: 'ReportEvents',
  });
  for (let i = 0; i < n; i++) await run();
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', onData);
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error('the trace has no renderer main thread');
  const xs = events.filter((e) => e.tid === main.tid && e.pid === main.pid && e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const stack: { name: string; end: number; child: number; dur: number }[] = [];
  const close = (to: number) => {
    while (stack.length && stack[stack.length - 1].end <= to) {
      const f = stack.pop()!;
      self.set(f.name, (self.get(f.name) ?? 0) + (f.dur - f.child) / 1000 / n);
    }
  };
  for (const e of xs) {
    close(e.ts);
    if (stack.length) stack[stack.length - 1].child += e.dur!;
    stack.push({ name: e.name, end: e.ts + e.dur!, child: 0, dur: e.dur! });
  }
  close(Infinity);
  const groups = new Map<string, number>();
  for (const [name, ms] of self) {
    const g = GROUPS.find(([re]) => re.test(name))?.[1] ?? 'other (task scheduling, …)';
    groups.set(g, (groups.get(g) ?? 0) + ms);
  }
  const byMs = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { perUpdateMs: [...self.values()].reduce((a, b) => a + b, 0), groups: byMs(groups), top: byMs(self).slice(0, 25) };
}

interface ProfileNode { id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }

/** Runs `run` once per update under the V8 profiler; self and inclusive ms per update per function (and a call tree under `focus`). */
export async function profileBreakdown(cdp: CDPSession, n: number, run: () => Promise<void>, focus?: string): Promise<string> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  for (let i = 0; i < n; i++) await run();
  const { profile } = await cdp.send('Profiler.stop') as unknown as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] } };
  const ms = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const name = (x: ProfileNode) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}:${x.callFrame.lineNumber}`;
  const total = (id: number): number => { const x = byId.get(id)!; return (x.hitCount ?? 0) + (x.children ?? []).reduce((t, c) => t + total(c), 0); };
  const self = new Map<string, number>(), incl = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): void => {
    const x = byId.get(id)!;
    const k = name(x);
    self.set(k, (self.get(k) ?? 0) + (x.hitCount ?? 0));
    if (!onStack.has(k)) incl.set(k, (incl.get(k) ?? 0) + total(id));
    const inner = new Set(onStack).add(k);
    for (const c of x.children ?? []) walk(c, inner);
  };
  walk(profile.nodes[0].id, new Set());
  const perUpdate = (hits: number) => ((hits * ms) / n).toFixed(2);
  const fmt = (m: Map<string, number>) => [...m].filter(([k]) => !k.startsWith('(root)')).sort((a, b) => b[1] - a[1]).slice(0, 30)
    .map(([k, v]) => `${perUpdate(v)} ms\t${k}`).join('\n');
  let tree = '';
  if (focus) {
    const lines: string[] = [];
    const down = (id: number, depth: number) => {
      const x = byId.get(id)!;
      const t = total(id);
      if ((t * ms) / n < 0.05) return;
      lines.push(`${perUpdate(t)} ms ${'  '.repeat(depth)}${name(x)}`);
      if (depth < 5) for (const c of x.children ?? []) down(c, depth + 1);
    };
    const find = (id: number) => { const x = byId.get(id)!; if (name(x).startsWith(focus)) down(id, 0); else for (const c of x.children ?? []) find(c); };
    find(profile.nodes[0].id);
    tree = `call tree under ${focus}:\n${lines.join('\n')}\n\n`;
  }
  return `${tree}self per update:\n${fmt(self)}\n\ninclusive per update:\n${fmt(incl)}`;
}
