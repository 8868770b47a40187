/** "Telltale 41/52 instrumented" (click: the inventory) and the runtime's state. */
import * as vscode from 'vscode';
import type { Analysis } from './analysis';
import type { Runtime } from './runtime';

export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('telltale.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subs: vscode.Disposable[];

  constructor(private readonly analysis: Analysis, private readonly runtime: Runtime) {
    this.item.name = 'Telltale';
    this.item.command = 'telltale.showInventory';
    this.subs = [analysis.onDidChangeInventory(() => this.update()), runtime.onDidChangeStatus(() => this.update())];
    this.update();
  }

  update(): void {
    const s = this.analysis.summary;
    const rt = this.runtime.status;
    const runtimeText = rt.state === 'running' ? ' $(pulse) live' : rt.state === 'starting' ? ' $(sync~spin) runtime' : rt.state === 'error' ? ' $(error) runtime' : '';
    if (this.analysis.state === 'scanning') this.item.text = '$(sync~spin) Telltale';
    else if (s) {
      const total = s.routes + s.jobs, covered = s.routesInstrumented + s.jobsInstrumented;
      this.item.text = `$(telescope) Telltale ${covered}/${total} instrumented${runtimeText}`;
    } else this.item.text = `$(telescope) Telltale${runtimeText}`;
    const md = new vscode.MarkdownString(undefined, true);
    if (s) md.appendMarkdown(`**Routes** ${s.routesInstrumented}/${s.routes} instrumented  \n**Jobs** ${s.jobsInstrumented}/${s.jobs} instrumented  \n`);
    md.appendMarkdown(`**Runtime** ${rt.state === 'running' ? `running on ${rt.url ?? ''}` : rt.state === 'error' ? `error: ${rt.message}` : rt.state}\n\nClick to show the inventory.`);
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
