/**
 * Telltale's VS Code extension: thin glue over the analysis worker, the fixes and the runtime
 * (STYLE.md §7). `activate()` only registers — providers, views, commands, listeners — and pushes
 * every disposable into `context.subscriptions`; the worker (dist/worker.js) starts with the
 * start-up scan, queued right after activation returns.
 */
import * as vscode from 'vscode';
import { Analysis } from './analysis';
import { WorkerClient } from './client';
import { TelltaleCodeActions } from './codeActions';
import { TelltaleCodeLenses } from './codeLens';
import { registerCommands } from './commands';
import { DashboardView } from './dashboard';
import { InventoryTree } from './inventoryView';
import { Log } from './log';
import { Runtime } from './runtime';
import { StatusBar } from './statusBar';

const moduleLoaded = performance.now();

const SELECTOR: vscode.DocumentSelector = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ language }));

export interface TelltaleApi {
  analysis: Analysis;
  client: WorkerClient;
  runtime: Runtime;
  tree: InventoryTree;
  treeView: vscode.TreeView<unknown>;
  dashboard: DashboardView;
  codeLenses: TelltaleCodeLenses;
  statusBar: StatusBar;
  /** Milliseconds activate() took (registration only), measured inside it. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): TelltaleApi {
  const started = performance.now();
  const log = new Log();
  const client = new WorkerClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log);
  const analysis = new Analysis(client, log);
  const runtime = new Runtime(vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath, context.storageUri ?? context.globalStorageUri, log);
  const tree = new InventoryTree(analysis);
  const treeView = vscode.window.createTreeView('telltale.inventory', { treeDataProvider: tree, showCollapseAll: true });
  const codeLenses = new TelltaleCodeLenses(analysis, runtime);
  const statusBar = new StatusBar(analysis, runtime);
  let commands: vscode.Disposable[] = [];
  const dashboard = new DashboardView(context.extensionUri, runtime, {
    runFix: async (fix, file, line) => { await vscode.commands.executeCommand('telltale.runFix', fix, file, line); },
    startRuntime: async () => { await vscode.commands.executeCommand('telltale.startRuntime'); },
  }, log);
  commands = registerCommands({ extensionUri: context.extensionUri, storage: context.storageUri ?? context.globalStorageUri, analysis, client, runtime, tree, dashboard, log });
  const updateBadge = () => {
    const s = analysis.summary;
    const missing = s ? s.routes - s.routesInstrumented + s.jobs - s.jobsInstrumented : 0;
    treeView.badge = missing > 0 ? { value: missing, tooltip: `${missing} routes and jobs not instrumented` } : undefined;
  };
  context.subscriptions.push(
    log, client, analysis, runtime, tree, treeView, codeLenses, statusBar, dashboard, ...commands,
    vscode.languages.registerCodeActionsProvider(SELECTOR, new TelltaleCodeActions(analysis, client, log), TelltaleCodeActions.metadata),
    vscode.languages.registerCodeLensProvider(SELECTOR, codeLenses),
    vscode.window.registerWebviewViewProvider(DashboardView.id, dashboard, { webviewOptions: { retainContextWhenHidden: true } }),
    analysis.onDidChangeInventory(updateBadge),
  );
  analysis.listen();
  // the start-up scan runs after activation has returned (in the worker, with its own progress)
  if (vscode.workspace.workspaceFolders?.length) setTimeout(() => { void analysis.scan(); }, 0);
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms (bundle evaluated ${(started - moduleLoaded).toFixed(1)} ms before activate)`);
  return { analysis, client, runtime, tree, treeView: treeView as vscode.TreeView<unknown>, dashboard, codeLenses, statusBar, activationMs };
}

export function deactivate(): void {
  // everything is in context.subscriptions (the runtime child is killed by Runtime.dispose)
}
