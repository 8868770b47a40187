/**
 * Code lenses above each route and job: "not instrumented · Instrument", or with the runtime
 * running its live numbers ("GET /api/users/:id · 12.4 req/s · 0.8% errors · p95 84 ms"; a click
 * opens the dashboard). Switched by `telltale.codeLens.enabled`.
 */
import * as vscode from 'vscode';
import type { JobEntry, RouteEntry } from '../protocol/inventory';
import type { JobHealth, RouteRed } from '../protocol/runtime';
import type { Analysis } from './analysis';
import type { Runtime } from './runtime';
import { formatRed, formatSeconds } from './text';

export class TelltaleCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly analysis: Analysis, private readonly runtime: Runtime) {
    this.subs = [
      analysis.onDidChangeInventory(() => this.emitter.fire()),
      // lines move as the user edits: re-place the lenses with each analysed version
      analysis.onDidUpdateDiagnostics(() => this.emitter.fire()),
      runtime.onDidUpdate(() => this.emitter.fire()),
      runtime.onDidChangeStatus(() => this.emitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('telltale.codeLens')) this.emitter.fire(); }),
    ];
  }

  refresh(): void { this.emitter.fire(); }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.analysis.settings.codeLens || !this.analysis.root) return [];
    const inv = await this.analysis.inventory();
    if (!inv || token.isCancellationRequested) return [];
    const rel = vscode.workspace.asRelativePath(doc.uri, false).split('\\').join('/');
    const lenses: vscode.CodeLens[] = [];
    const live = this.runtime.running;
    for (const r of inv.routes) {
      if (r.file !== rel) continue;
      const range = new vscode.Range(r.line - 1, 0, r.line - 1, 0);
      const red = live ? findRed(this.runtime.routes?.routes ?? [], r) : undefined;
      if (red) {
        lenses.push(new vscode.CodeLens(range, { title: `${r.method} ${r.path} · ${formatRed(red)}`, command: 'telltale.openDashboard', arguments: [{ route: `${r.method} ${r.path}` }], tooltip: `Live numbers over the last ${this.runtime.routes?.windowSeconds ?? 60} s (Telltale runtime). Open the dashboard` }));
      } else if (r.coverage === 'none') {
        lenses.push(new vscode.CodeLens(range, { title: 'not instrumented · Instrument', command: 'telltale.instrument', arguments: [{ file: r.file, line: r.line, column: r.column, kind: 'route' }], tooltip: `${r.method} ${r.path} records no metrics or spans: add request metrics` }));
      } else if (live) {
        lenses.push(new vscode.CodeLens(range, { title: `${r.method} ${r.path} · no traffic seen`, command: 'telltale.openDashboard', arguments: [{ route: `${r.method} ${r.path}` }] }));
      }
    }
    for (const j of inv.jobs) {
      if (j.file !== rel) continue;
      const range = new vscode.Range(j.line - 1, 0, j.line - 1, 0);
      const health = live ? findJob(this.runtime.jobs?.jobs ?? [], j) : undefined;
      if (health) {
        const last = health.lastRun ? `last run ${ago(health.lastRun)}` : 'no run in the window';
        const p95 = health.p95Duration !== null ? ` · p95 ${formatSeconds(health.p95Duration)}` : '';
        lenses.push(new vscode.CodeLens(range, { title: `${j.name} · ${last} · ${health.error} failed / ${health.ok} ok${p95}`, command: 'telltale.openDashboard', arguments: [{ job: j.name }] }));
      } else if (j.coverage === 'none') {
        lenses.push(new vscode.CodeLens(range, { title: 'not instrumented · Instrument', command: 'telltale.instrument', arguments: [{ file: j.file, line: j.line, column: j.column, kind: 'job' }], tooltip: `Job ${j.name} (${j.kind}) records no runs, failures or durations` }));
      }
    }
    this.analysis.debug(`code lenses of ${rel}: ${lenses.map((l) => `${l.range.start.line + 1} ${l.command?.title}`).join('; ') || 'none'}`);
    return lenses;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}

function findRed(routes: RouteRed[], r: RouteEntry): RouteRed | undefined {
  return routes.find((x) => x.code && x.code.file === r.file && x.code.line === r.line)
    ?? routes.find((x) => x.method.toUpperCase() === r.method && (x.route === r.path || x.code?.path === r.path));
}

function findJob(jobs: JobHealth[], j: JobEntry): JobHealth | undefined {
  return jobs.find((x) => x.code && x.code.file === j.file && x.code.line === j.line) ?? jobs.find((x) => x.job === j.name);
}

function ago(t: number): string {
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${(s / 3600).toFixed(1)} h ago`;
}
