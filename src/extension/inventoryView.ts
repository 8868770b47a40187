/**
 * The Inventory tree (Telltale activity-bar container): routes grouped by framework, jobs by kind,
 * each with a coverage icon and counts; a click reveals the code. A filter shows only what is not
 * instrumented (context key `telltale.inventory.uninstrumentedOnly`).
 */
import * as vscode from 'vscode';
import type { Coverage, Inventory, JobEntry, RouteEntry } from '../protocol/inventory';
import type { Analysis } from './analysis';

export type InventoryNode =
  | { kind: 'section'; section: 'routes' | 'jobs'; label: string; total: number; covered: number }
  | { kind: 'group'; section: 'routes' | 'jobs'; group: string; total: number; covered: number }
  | { kind: 'route'; entry: RouteEntry }
  | { kind: 'job'; entry: JobEntry }
  | { kind: 'message'; text: string };

const FRAMEWORK_LABEL: Record<string, string> = {
  express: 'Express', fastify: 'Fastify', koa: 'Koa', hono: 'Hono', nest: 'NestJS', next: 'Next.js', 'node-http': 'node:http',
};

function coverageIcon(c: Coverage): vscode.ThemeIcon {
  return c === 'none'
    ? new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
}

function coverageText(c: Coverage): string {
  return c === 'none' ? 'not instrumented' : c === 'handler' ? 'instrumented in the handler' : c === 'middleware' ? 'instrumented by middleware' : 'auto-instrumented';
}

export class InventoryTree implements vscode.TreeDataProvider<InventoryNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<InventoryNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  uninstrumentedOnly = false;
  private readonly sub: vscode.Disposable;

  constructor(private readonly analysis: Analysis) {
    this.sub = analysis.onDidChangeInventory(() => this.emitter.fire(undefined));
    void vscode.commands.executeCommand('setContext', 'telltale.inventory.uninstrumentedOnly', false);
  }

  setFilter(uninstrumentedOnly: boolean): void {
    this.uninstrumentedOnly = uninstrumentedOnly;
    void vscode.commands.executeCommand('setContext', 'telltale.inventory.uninstrumentedOnly', uninstrumentedOnly);
    this.emitter.fire(undefined);
  }

  refresh(): void { this.emitter.fire(undefined); }

  private keep<T extends { coverage: Coverage }>(list: T[]): T[] {
    return this.uninstrumentedOnly ? list.filter((e) => e.coverage === 'none') : list;
  }

  async getChildren(node?: InventoryNode): Promise<InventoryNode[]> {
    if (!node) {
      const inv = await this.analysis.inventory();
      if (!inv && (this.analysis.state === 'scanning' || this.analysis.state === 'idle')) return [{ kind: 'message', text: this.analysis.state === 'scanning' ? 'Scanning…' : 'Not scanned yet' }];
      if (!inv) return [{ kind: 'message', text: this.analysis.state === 'cancelled' ? 'Scan cancelled — run Telltale: Scan Workspace' : 'No inventory' }];
      const out: InventoryNode[] = [];
      if (inv.routes.length) out.push({ kind: 'section', section: 'routes', label: 'Routes', total: inv.routes.length, covered: inv.routes.filter((r) => r.coverage !== 'none').length });
      if (inv.jobs.length) out.push({ kind: 'section', section: 'jobs', label: 'Jobs', total: inv.jobs.length, covered: inv.jobs.filter((j) => j.coverage !== 'none').length });
      if (!out.length) out.push({ kind: 'message', text: 'No routes or jobs found' });
      return out;
    }
    const inv = await this.analysis.inventory();
    if (!inv) return [];
    if (node.kind === 'section') return this.groups(inv, node.section);
    if (node.kind === 'group') {
      return node.section === 'routes'
        ? this.keep(inv.routes.filter((r) => r.framework === node.group)).map((entry) => ({ kind: 'route' as const, entry }))
        : this.keep(inv.jobs.filter((j) => j.kind === node.group)).map((entry) => ({ kind: 'job' as const, entry }));
    }
    return [];
  }

  private groups(inv: Inventory, section: 'routes' | 'jobs'): InventoryNode[] {
    const entries: Array<{ group: string; coverage: Coverage }> = section === 'routes'
      ? inv.routes.map((r) => ({ group: r.framework, coverage: r.coverage }))
      : inv.jobs.map((j) => ({ group: j.kind, coverage: j.coverage }));
    const by = new Map<string, { total: number; covered: number }>();
    for (const e of entries) {
      const g = by.get(e.group) ?? { total: 0, covered: 0 };
      g.total++;
      if (e.coverage !== 'none') g.covered++;
      by.set(e.group, g);
    }
    return [...by].filter(([, g]) => !this.uninstrumentedOnly || g.covered < g.total)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([group, g]) => ({ kind: 'group', section, group, ...g }));
  }

  getTreeItem(node: InventoryNode): vscode.TreeItem {
    const root = this.analysis.root;
    switch (node.kind) {
      case 'message': return new vscode.TreeItem(node.text);
      case 'section': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.covered}/${node.total} instrumented`;
        item.iconPath = new vscode.ThemeIcon(node.section === 'routes' ? 'globe' : 'history');
        item.id = `section:${node.section}`;
        return item;
      }
      case 'group': {
        const label = node.section === 'routes' ? FRAMEWORK_LABEL[node.group] ?? node.group : node.group;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.covered}/${node.total}`;
        item.tooltip = `${node.total - node.covered} not instrumented`;
        item.id = `group:${node.section}:${node.group}`;
        item.contextValue = 'telltale.group';
        return item;
      }
      case 'route':
      case 'job': {
        const e = node.entry;
        const label = node.kind === 'route' ? `${node.entry.method} ${node.entry.path}` : `${node.entry.name}`;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = coverageIcon(e.coverage);
        item.description = node.kind === 'job' && node.entry.schedule ? `${node.entry.schedule} · ${e.file}:${e.line}` : `${e.file}:${e.line}`;
        item.tooltip = new vscode.MarkdownString(`**${label}** — ${coverageText(e.coverage)}${e.coveredBy ? ` (${e.coveredBy})` : ''}\n\n${e.file}:${e.line}`);
        item.contextValue = e.coverage === 'none' ? `telltale.${node.kind}.uninstrumented` : `telltale.${node.kind}.instrumented`;
        item.id = `${node.kind}:${e.file}:${e.line}:${e.column}:${label}`;
        if (root) {
          const uri = vscode.Uri.joinPath(root, ...e.file.split('/'));
          const pos = new vscode.Position(e.line - 1, e.column - 1);
          item.resourceUri = uri;
          item.command = { command: 'vscode.open', title: 'Reveal', arguments: [uri, { selection: new vscode.Range(pos, pos) }] };
        }
        return item;
      }
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
