/**
 * The palette commands (category "Telltale"). Each runs through `runCommand`: a failure is logged
 * and shown once with "Show Log". Commands that ask for a file accept it as an argument too, so
 * they can be scripted (and tested) without a dialog.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Analysis } from './analysis';
import { changesToEdit, resolveFix } from './codeActions';
import type { WorkerClient } from './client';
import type { ShowTarget } from '../protocol/dashboard';
import type { DashboardView } from './dashboard';
import type { InventoryTree } from './inventoryView';
import { runCommand, type Log } from './log';
import type { Runtime } from './runtime';

export interface CommandContext {
  extensionUri: vscode.Uri;
  /** Where the extension may write (the workspace storage). */
  storage: vscode.Uri;
  analysis: Analysis;
  client: WorkerClient;
  runtime: Runtime;
  tree: InventoryTree;
  dashboard: DashboardView;
  log: Log;
}

interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs the bundled CLI (dist/cli.js) with the extension host's Node. */
export function runCli(extensionUri: vscode.Uri, args: string[], cwd: string, timeoutMs = 120_000): Promise<CliResult> {
  const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

async function pickTarget(arg: unknown, title: string, defaultName: string, filters: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  if (typeof arg === 'string') return vscode.Uri.file(arg);
  if (arg instanceof vscode.Uri) return arg;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({ title, defaultUri: root ? vscode.Uri.joinPath(root, defaultName) : undefined, filters });
}

function rootOrThrow(): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('open a folder first');
  return root;
}

export function registerCommands(c: CommandContext): vscode.Disposable[] {
  const { analysis, client, runtime, tree, log } = c;
  const cmd = <A extends unknown[], R>(id: string, fn: (...args: A) => R | Promise<R>) => runCommand(log, id, fn);

  const apply = async (edit: vscode.WorkspaceEdit, what: string, opts: { preview?: boolean } = {}): Promise<boolean> => {
    if (edit.size === 0) { void vscode.window.showInformationMessage(`Telltale: ${what}: nothing to change`); return false; }
    // as a refactoring: VS Code shows the preview for entries that need confirmation, and saves
    // files it had to open in the background (package.json, a new module) — files.refactoring.autoSave
    const ok = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
    if (!ok && !opts.preview) throw new Error(`${what}: VS Code refused the edit`);
    return ok;
  };

  const fixAllIn = async (files: string[] | undefined, rules: string[] | undefined, what: string, preview: boolean) => {
    if (!(await analysis.ready())) return { applied: 0, files: 0 };
    const result = await client.request('fixAll', { files, rules });
    for (const f of result.failed) log.info(`${what}: not fixed ${f.file}:${f.line} ${f.rule}: ${f.reason}`);
    if (!result.applied.length) {
      void vscode.window.showInformationMessage(`Telltale: ${what}: nothing can be fixed automatically${result.failed.length ? ` (${result.failed.length} not fixable, see the log)` : ''}`);
      return { applied: 0, files: 0 };
    }
    const edit = await changesToEdit(result.changes, { preview });
    const ok = await apply(edit, what, { preview });
    if (ok) {
      log.info(`${what}: ${result.applied.length} fixes in ${result.changes.length} files`);
      for (const a of result.applied) log.info(`  ${a.file}:${a.line} ${a.fix}: ${a.title}`);
      void vscode.window.showInformationMessage(`Telltale: ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'} applied in ${result.changes.length} file${result.changes.length === 1 ? '' : 's'}`);
    }
    return { applied: ok ? result.applied.length : 0, files: ok ? result.changes.length : 0 };
  };

  /** Applies the preferred fix of the finding at file:line (code lens "Instrument", dashboard "runFix"). */
  const instrumentAt = async (file: string, line: number, fixId?: string) => {
    if (!(await analysis.ready())) return false;
    const root = rootOrThrow();
    const uri = vscode.Uri.joinPath(root, ...file.split('/'));
    const finding = analysis.findingsIn(uri).find((f) => f.line === line && (f.rule === 'uninstrumented-route' || f.rule === 'uninstrumented-job'));
    if (!finding) throw new Error(`nothing to instrument at ${file}:${line}`);
    const [offers] = await client.request('offers', { findings: [finding] });
    // the lens sits on one route: instrument that one (the app-wide fix is in the light bulb)
    const offer = fixId ? offers?.offers.find((o) => o.fix === fixId) ?? offers?.offers.find((o) => o.fix.startsWith(fixId.replace(/-metrics$/, '')))
      : offers?.offers.find((o) => !o.appWide) ?? offers?.offers[0];
    if (!offer) throw new Error(`no automatic fix for ${finding.message} yet`);
    return apply(await resolveFix(client, finding, offer.fix), offer.title);
  };

  const startRuntime = async () => {
    const root = rootOrThrow();
    await analysis.ready();
    const settings = vscode.workspace.getConfiguration('telltale');
    const targets = (settings.get<Array<{ url: string }>>('runtime.targets') ?? []).map((t) => t.url).filter((u) => typeof u === 'string');
    await runtime.start(root.fsPath, await analysis.inventory(), { port: settings.get<number>('runtime.port') || undefined, targets });
    return runtime.status;
  };

  return [
    cmd('telltale.scanWorkspace', async () => {
      const r = await analysis.scan();
      return r ? { files: r.files, findings: r.findings, summary: r.summary } : undefined;
    }),
    cmd('telltale.instrumentAllRoutesInFile', async (arg?: vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) throw new Error('open a file first');
      return fixAllIn([uri.fsPath], ['uninstrumented-route'], 'Instrument all routes in file', false);
    }),
    cmd('telltale.fixAllInFile', async (arg?: vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) throw new Error('open a file first');
      return fixAllIn([uri.fsPath], undefined, 'Fix all in file', false);
    }),
    cmd('telltale.fixAllInWorkspace', async (opts?: { preview?: boolean }) => fixAllIn(undefined, undefined, 'Fix all in workspace', opts?.preview !== false)),
    cmd('telltale.showInventory', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.telltale');
      await vscode.commands.executeCommand('telltale.inventory.focus');
    }),
    cmd('telltale.inventory.showUninstrumentedOnly', () => tree.setFilter(true)),
    cmd('telltale.inventory.showAll', () => tree.setFilter(false)),
    // The dashboard as an editor panel; from a code lens, with that route or job selected.
    cmd('telltale.openDashboard', async (target?: { route?: unknown; job?: unknown }) => {
      const show: ShowTarget | undefined = typeof target?.route === 'string' ? { view: 'routes', route: target.route }
        : typeof target?.job === 'string' ? { view: 'jobs', job: target.job } : undefined;
      c.dashboard.openPanel(show);
      return !!c.dashboard.panel;
    }),
    cmd('telltale.showDashboardView', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.telltale');
      await vscode.commands.executeCommand('telltale.dashboard.focus');
      return !!c.dashboard.view;
    }),
    cmd('telltale.startRuntime', startRuntime),
    cmd('telltale.stopRuntime', async () => { await runtime.stop(); return runtime.status; }),
    cmd('telltale.instrument', async (at?: { file: string; line: number }) => {
      if (!at || typeof at.file !== 'string' || typeof at.line !== 'number') throw new Error('telltale.instrument needs { file, line }');
      return instrumentAt(at.file, at.line);
    }),
    cmd('telltale.runDriftReport', async (arg?: { reference?: string; current?: string; out?: string }) => {
      const root = rootOrThrow();
      const args = ['drift', '--format', 'text'];
      if (arg?.reference && arg.current) args.push('--reference', arg.reference, '--current', arg.current);
      else {
        const choice = await vscode.window.showQuickPick([
          { label: 'Datasets of telltale.config.json', value: 'config' },
          { label: 'Choose a reference and a current file…', value: 'files' },
        ], { title: 'Telltale: Run Drift Report' });
        if (!choice) return undefined;
        if (choice.value === 'files') {
          const filters = { Data: ['csv', 'ndjson', 'jsonl', 'parquet'] };
          const ref = await vscode.window.showOpenDialog({ title: 'Reference data', defaultUri: root, filters, canSelectMany: false });
          if (!ref?.[0]) return undefined;
          const cur = await vscode.window.showOpenDialog({ title: 'Current data', defaultUri: root, filters, canSelectMany: false });
          if (!cur?.[0]) return undefined;
          args.push('--reference', ref[0].fsPath, '--current', cur[0].fsPath);
        }
      }
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Telltale: drift report' }, () => runCli(c.extensionUri, args, root.fsPath));
      if (r.code === 2) throw new Error(r.stderr.trim().split('\n').slice(-2).join(' ') || 'drift report failed');
      const text = r.stdout;
      if (arg?.out) fs.writeFileSync(arg.out, text);
      else {
        const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
        await vscode.window.showTextDocument(doc, { preview: false });
      }
      log.info(`drift report: exit ${r.code} (${r.code === 1 ? 'drift or a failed check' : 'no drift'})`);
      return { drift: r.code === 1, text };
    }),
    cmd('telltale.exportSarif', async (arg?: string | vscode.Uri) => {
      const root = rootOrThrow();
      const target = await pickTarget(arg, 'Export SARIF', 'telltale.sarif', { SARIF: ['sarif', 'json'] });
      if (!target) return undefined;
      // the CLI gets the config the editor uses (settings and files.exclude included; the file wins)
      const args = ['scan', '--format', 'sarif', '--output', target.fsPath, '--fail-on', 'none'];
      if (await analysis.ready()) {
        const config = await client.request('config', {});
        fs.mkdirSync(c.storage.fsPath, { recursive: true });
        const file = path.join(c.storage.fsPath, 'telltale.config.json');
        fs.writeFileSync(file, JSON.stringify(config, null, 2));
        args.push('--config', file);
      }
      const r = await runCli(c.extensionUri, args, root.fsPath);
      if (r.code !== 0) throw new Error(r.stderr.trim().split('\n').slice(-2).join(' ') || `telltale scan exited with ${r.code}`);
      const results = (JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as { runs?: Array<{ results?: unknown[] }> }).runs?.[0]?.results?.length ?? 0;
      log.info(`SARIF: ${results} results written to ${target.fsPath}`);
      void vscode.window.showInformationMessage(`Telltale: ${results} results written to ${vscode.workspace.asRelativePath(target)}`);
      return { file: target.fsPath, results };
    }),
    cmd('telltale.generatePrometheusRules', async (arg?: string | vscode.Uri) => {
      if (!(await analysis.ready())) return undefined;
      const root = rootOrThrow();
      let service = path.basename(root.fsPath);
      try { service = (JSON.parse(fs.readFileSync(path.join(root.fsPath, 'package.json'), 'utf8')) as { name?: string }).name?.replace(/^@[^/]+\//, '') || service; } catch { /* folder name */ }
      const out = await client.request('prometheusRules', { service });
      const target = await pickTarget(arg, 'Save Prometheus rules', 'telltale.rules.yml', { YAML: ['yml', 'yaml'] });
      if (!target) return undefined;
      fs.mkdirSync(path.dirname(target.fsPath), { recursive: true });
      fs.writeFileSync(target.fsPath, out.yaml);
      log.info(`Prometheus rules: ${out.rules} rules in ${out.groups} groups written to ${target.fsPath}`);
      if (typeof arg !== 'string' && !(arg instanceof vscode.Uri)) await vscode.window.showTextDocument(target, { preview: false });
      return { file: target.fsPath, ...out };
    }),
    cmd('telltale.openRuleDocumentation', async (rule?: string) => {
      const rules = await analysis.rules();
      let info = rules.find((r) => r.id === rule);
      if (!info) {
        const pick = await vscode.window.showQuickPick(rules.map((r) => ({ label: r.id, description: r.severity, detail: r.description, info: r })), { title: 'Telltale: Open Rule Documentation', matchOnDetail: true });
        info = pick?.info;
      }
      if (!info) return undefined;
      let opened = false;
      try { opened = await vscode.env.openExternal(vscode.Uri.parse(info.docs)); } catch (err) { log.warn(`could not open ${info.docs}: ${(err as Error).message}`); }
      if (!opened) {
        await vscode.env.clipboard.writeText(info.docs);
        void vscode.window.showInformationMessage(`Telltale: the documentation of ${info.id} is at ${info.docs} (copied)`);
      }
      return info.docs;
    }),
    cmd('telltale.showLog', () => log.show()),
    cmd('telltale.toggleCodeLens', async () => {
      const cfg = vscode.workspace.getConfiguration('telltale');
      await cfg.update('codeLens.enabled', !(cfg.get<boolean>('codeLens.enabled') ?? true), vscode.ConfigurationTarget.Workspace);
    }),
    // for the dashboard's "instrument" buttons
    runCommand(log, 'telltale.runFix', (fix: string, file: string, line: number) => instrumentAt(file, line, fix)),
  ];
}

export { type CliResult };
