/**
 * Keeps the worker's view of the workspace in step with the editor and turns its findings into
 * diagnostics: a full scan on start-up (progress notification, cancellable), then each edit
 * (debounced, stale versions dropped), save, file created/changed/deleted on disk, settings or
 * config file changed. Holds the last inventory and summary for the views.
 */
import * as vscode from 'vscode';
import type { Inventory } from '../protocol/inventory';
import type { InventorySummary, RuleInfo, ScanResult, WireFinding } from '../protocol/worker';
import { WorkerCancelled, type WorkerClient } from './client';
import { toDiagnostic } from './diagnostics';
import type { Log } from './log';
import { filesExclude, readSettings, type EditorSettings } from './settings';

const LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';

export type ScanState = 'idle' | 'scanning' | 'ready' | 'cancelled' | 'failed';

export class Analysis implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('telltale');
  /** Findings behind each diagnostic (code actions need them). */
  private readonly findings = new Map<string, Array<{ finding: WireFinding; diagnostic: vscode.Diagnostic }>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the inventory or the summary may have changed. */
  readonly onDidChangeInventory = this.changed.event;
  private readonly updated = new vscode.EventEmitter<vscode.Uri[]>();
  /** Fires with the files whose diagnostics were replaced. */
  readonly onDidUpdateDiagnostics = this.updated.event;
  private inventoryCache?: Promise<Inventory | undefined>;
  /** The last inventory read: the views keep showing it while a rescan runs. */
  private lastInventory?: Inventory;
  /** The `telltale` key of each package.json, to rescan only when it changes. */
  private readonly packageConfig = new Map<string, string>();
  private rulesCache?: Promise<RuleInfo[]>;
  settings: EditorSettings = readSettings();
  summary?: InventorySummary;
  state: ScanState = 'idle';
  lastScan?: ScanResult;
  private scanning?: Promise<ScanResult | undefined>;
  private scanSource?: vscode.CancellationTokenSource;

  constructor(private readonly client: WorkerClient, private readonly log: Log) {
    this.disposables.push(
      this.diagnostics, this.changed, this.updated,
      client.onEvent((e) => {
        if (e.type === 'findings') this.onFindings(e.files, e.versions, e.summary, e.inventoryChanged);
      }),
    );
  }

  get root(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  /** Starts listening to the editor. Cheap: no worker until the first scan. */
  listen(): void {
    const d = this.disposables;
    d.push(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0 || !this.tracks(e.document)) return;
      if (this.settings.run === 'onType') this.schedule(e.document);
      else this.log.debug(`${vscode.workspace.asRelativePath(e.document.uri)} v${e.document.version} changed: checked on save (telltale.diagnostics.run)`);
    }));
    d.push(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (!this.tracks(doc)) return;
      if (doc.fileName.endsWith('telltale.config.json')) return; // the watcher rescans
      this.log.debug(`${vscode.workspace.asRelativePath(doc.uri)} saved`);
      this.sendNow(doc);
    }));
    d.push(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (!this.tracks(doc)) return;
      this.cancelTimer(doc.uri);
      // closed without saving: the disk text is what counts again
      if (this.client.running && this.state === 'ready') void this.client.request('remove', { file: doc.uri.fsPath, fromDisk: true }).catch(() => undefined);
    }));
    const watcher = vscode.workspace.createFileSystemWatcher(SOURCE_GLOB);
    const fromDisk = async (uri: vscode.Uri) => {
      if (this.state !== 'ready' || vscode.workspace.textDocuments.some((t) => t.uri.toString() === uri.toString() && t.isDirty)) return;
      if (/[\\/]node_modules[\\/]/.test(uri.fsPath)) return;
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        await this.client.request('update', { file: uri.fsPath, text, version: -1 });
      } catch (err) { if (!(err instanceof WorkerCancelled)) this.log.debug(`could not read ${uri.fsPath}: ${(err as Error).message}`); }
    };
    d.push(watcher, watcher.onDidCreate(fromDisk), watcher.onDidChange(fromDisk), watcher.onDidDelete((uri) => {
      if (this.state === 'ready') void this.client.request('remove', { file: uri.fsPath }).catch(() => undefined);
    }));
    const configWatcher = vscode.workspace.createFileSystemWatcher('**/{telltale.config.json,package.json,tsconfig.json}');
    const rescan = async (uri: vscode.Uri) => {
      if (/[\\/]node_modules[\\/]/.test(uri.fsPath) || this.state === 'scanning') return;
      // a fix adding a dependency to package.json changes nothing the analysis reads
      if (uri.fsPath.endsWith('package.json') && !(await this.packageConfigChanged(uri))) return;
      this.log.info(`${vscode.workspace.asRelativePath(uri)} changed: rescanning`);
      void this.scan({ quiet: true });
    };
    d.push(configWatcher, configWatcher.onDidChange(rescan), configWatcher.onDidCreate(rescan), configWatcher.onDidDelete(rescan));
    d.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('telltale') && !e.affectsConfiguration('files.exclude')) return;
      const before = this.settings;
      this.settings = readSettings();
      const reread = e.affectsConfiguration('telltale.include') || e.affectsConfiguration('telltale.exclude') || e.affectsConfiguration('files.exclude');
      if (this.state === 'idle') return;
      if (reread) void this.scan({ quiet: true });
      else if (JSON.stringify(before.config) !== JSON.stringify(this.settings.config)) void this.configure();
    }));
  }

  private async packageConfigChanged(uri: vscode.Uri): Promise<boolean> {
    let key = '';
    try { key = JSON.stringify((JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as { telltale?: unknown }).telltale ?? null); } catch { key = 'unreadable'; }
    const before = this.packageConfig.get(uri.fsPath);
    this.packageConfig.set(uri.fsPath, key);
    return before === undefined ? key !== 'null' : before !== key;
  }

  private tracks(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'vscode-remote') return false;
    const root = this.root;
    if (!root || !doc.uri.fsPath.startsWith(root.fsPath)) return false;
    return LANGUAGES.has(doc.languageId) || doc.fileName.endsWith('telltale.config.json');
  }

  private cancelTimer(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  /** Debounced update: the text is taken when the timer fires, with its version. */
  private schedule(doc: vscode.TextDocument): void {
    this.cancelTimer(doc.uri);
    this.timers.set(doc.uri.toString(), setTimeout(() => {
      this.timers.delete(doc.uri.toString());
      this.sendNow(doc);
    }, this.settings.debounceMs));
  }

  private sendNow(doc: vscode.TextDocument): void {
    this.cancelTimer(doc.uri);
    if (this.state !== 'ready' && this.state !== 'scanning') return;
    if (doc.isClosed) return;
    this.log.debug(`update ${vscode.workspace.asRelativePath(doc.uri)} v${doc.version}`);
    void this.client.request('update', { file: doc.uri.fsPath, text: doc.getText(), version: doc.version })
      .catch((err) => { if (!(err instanceof WorkerCancelled)) this.log.showError('analysis of an edit failed', err); });
  }

  private async configure(): Promise<void> {
    try {
      const r = await this.client.request('configure', { settings: this.settings.config });
      if (r.configError) this.log.showWarning(r.configError);
    } catch (err) {
      if (!(err instanceof WorkerCancelled)) this.log.showError('applying the settings failed', err);
    }
  }

  /**
   * Scans the workspace with a progress notification that can be cancelled (which stops the
   * worker). Concurrent calls share one scan.
   */
  scan(opts: { quiet?: boolean } = {}): Promise<ScanResult | undefined> {
    if (this.scanning) return this.scanning;
    const root = this.root;
    if (!root) return Promise.resolve(undefined);
    this.state = 'scanning';
    this.changed.fire();
    const run = vscode.window.withProgress({
      location: opts.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
      title: 'Telltale: scanning the workspace',
      cancellable: true,
    }, async (progress, token) => {
      const source = new vscode.CancellationTokenSource();
      this.scanSource = source;
      token.onCancellationRequested(() => source.cancel());
      source.token.onCancellationRequested(() => { void this.client.terminate(); });
      const sub = this.client.onEvent((e) => {
        if (e.type === 'progress') progress.report({ message: e.phase === 'reading' ? `reading files… ${e.files}` : e.phase === 'analysing' ? `analysing ${e.files} files…` : 'checking rules…' });
      });
      try {
        const overlays = vscode.workspace.textDocuments.filter((d) => d.isDirty && this.tracks(d)).map((d) => ({ file: d.uri.fsPath, text: d.getText(), version: d.version }));
        const result = await this.client.request('scan', { root: root.fsPath, settings: this.settings.config, filesExclude: filesExclude(), overlays }, source.token);
        this.lastScan = result;
        this.state = 'ready';
        if (result.configError) this.log.showWarning(result.configError);
        this.log.info(`scan: ${result.files} files, ${result.findings} findings in ${result.elapsedMs} ms`);
        return result;
      } catch (err) {
        if (err instanceof WorkerCancelled || source.token.isCancellationRequested) {
          this.state = 'cancelled';
          this.log.info('scan cancelled');
          return undefined;
        }
        this.state = 'failed';
        this.log.showError('scanning the workspace failed', err);
        return undefined;
      } finally {
        sub.dispose();
        source.dispose();
        this.scanSource = undefined;
        this.inventoryCache = undefined;
        this.changed.fire();
      }
    });
    this.scanning = Promise.resolve(run).finally(() => { this.scanning = undefined; });
    return this.scanning;
  }

  cancelScan(): void { this.scanSource?.cancel(); }

  debug(message: string): void { this.log.debug(message); }

  get isScanning(): boolean { return !!this.scanning; }

  /** Waits for a running scan, or scans when none ever ran. */
  async ready(): Promise<boolean> {
    if (this.scanning) await this.scanning;
    if (this.state !== 'ready') await this.scan();
    return this.state === 'ready';
  }

  private onFindings(files: Record<string, WireFinding[]>, versions: Record<string, number>, summary: InventorySummary, inventoryChanged: boolean): void {
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.fsPath, d]));
    const uris: vscode.Uri[] = [];
    for (const [file, list] of Object.entries(files)) {
      const doc = open.get(file);
      // drop results for a text the user has already changed (vscode-eslint)
      if (doc && !doc.isClosed) {
        const v = versions[file];
        if (v === undefined ? doc.isDirty : v !== doc.version) {
          this.log.debug(`dropped ${list.length} findings of ${vscode.workspace.asRelativePath(file)} v${v ?? 'disk'} (document is at v${doc.version})`);
          continue;
        }
      }
      const uri = doc?.uri ?? vscode.Uri.file(file);
      const entries = list.map((finding) => ({ finding, diagnostic: toDiagnostic(finding, doc) }));
      if (entries.length) this.findings.set(uri.toString(), entries); else this.findings.delete(uri.toString());
      this.diagnostics.set(uri, entries.map((e) => e.diagnostic));
      uris.push(uri);
    }
    this.summary = summary;
    if (inventoryChanged) this.inventoryCache = undefined;
    if (uris.length) this.updated.fire(uris);
    if (inventoryChanged) this.changed.fire();
  }

  /** The finding behind a diagnostic of ours. */
  findingOf(uri: vscode.Uri, diagnostic: vscode.Diagnostic): WireFinding | undefined {
    return this.findings.get(uri.toString())?.find((e) => e.diagnostic === diagnostic)?.finding
      ?? this.findings.get(uri.toString())?.find((e) => e.diagnostic.range.isEqual(diagnostic.range) && e.diagnostic.message === diagnostic.message)?.finding;
  }

  findingsIn(uri: vscode.Uri): WireFinding[] {
    return (this.findings.get(uri.toString()) ?? []).map((e) => e.finding);
  }

  inventory(): Promise<Inventory | undefined> {
    if (this.state !== 'ready') return Promise.resolve(this.state === 'scanning' ? this.lastInventory : undefined);
    this.inventoryCache ??= this.client.request('inventory', {}).then((inv) => (this.lastInventory = inv), (err) => {
      if (!(err instanceof WorkerCancelled)) this.log.showError('reading the inventory failed', err);
      this.inventoryCache = undefined;
      return undefined;
    });
    return this.inventoryCache;
  }

  rules(): Promise<RuleInfo[]> {
    this.rulesCache ??= this.client.request('rules', {}).catch((err) => { this.rulesCache = undefined; throw err; });
    return this.rulesCache;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
