/**
 * The dashboard (webview/ bundled to dist/webview/) as a WebviewView in the Telltale container and,
 * with "Telltale: Open Dashboard" (or a code lens), as an editor panel showing the same page.
 * Strict CSP with a nonce; only dist/webview and media are loadable. The webview's messages
 * (src/protocol/dashboard.ts) are untrusted: each is checked before it is acted on — API reads
 * are proxied to the runtime for the known endpoints only, files opened only inside the workspace.
 */
import crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { ApiPath, HostMessage, ShowTarget, WebviewMessage } from '../protocol/dashboard';
import type { Log } from './log';
import { ApiError, type Runtime } from './runtime';

const API_PATHS = new Set<ApiPath>(['/api/health', '/api/targets', '/api/routes', '/api/jobs', '/api/drift', '/api/inventory', '/api/alerts']);
/** CSP hash of the empty inline style the webview toolkit probes with (see webview/index.html). */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

export interface DashboardActions {
  runFix(fix: string, file: string, line: number, column?: number): Promise<void>;
  startRuntime(): Promise<void>;
}

/** One dashboard page in a webview (the side bar view or the editor panel): its HTML and its messages. */
class DashboardPage implements vscode.Disposable {
  private ready = false;
  private pendingShow?: ShowTarget;
  private readonly subs: vscode.Disposable[] = [];

  constructor(readonly webview: vscode.Webview, private readonly owner: DashboardView) {
    const dist = vscode.Uri.joinPath(owner.extensionUri, 'dist', 'webview');
    webview.options = { enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(owner.extensionUri, 'media')] };
    webview.html = this.html(dist);
    this.subs.push(webview.onDidReceiveMessage((m: unknown) => { void this.onMessage(m); }));
  }

  private html(dist: vscode.Uri): string {
    const webview = this.webview;
    const nonce = crypto.randomBytes(16).toString('base64');
    const src = webview.cspSource;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'dashboard.css'));
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${src} data:; font-src ${src}; style-src ${src} ${EMPTY_STYLE_HASH}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Telltale dashboard</title>
<link rel="stylesheet" href="${css}">
<script nonce="${nonce}" src="${script}" defer></script>
</head>
<body>
<main id="app"><noscript>The Telltale dashboard needs JavaScript.</noscript></main>
</body>
</html>`;
  }

  post(msg: HostMessage): void {
    void this.webview.postMessage(msg);
  }

  /** Selects a route or job in the page (once it has loaded). */
  show(target: ShowTarget): void {
    if (this.ready) this.post({ type: 'show', target });
    else this.pendingShow = target;
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') return;
    const msg = raw as WebviewMessage;
    this.owner.received.push(msg);
    const { runtime, actions } = this.owner;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'state', runtime: runtime.status });
        if (this.pendingShow) { this.post({ type: 'show', target: this.pendingShow }); this.pendingShow = undefined; }
        return;
      case 'api/request': {
        if (typeof msg.id !== 'number') return;
        if (!API_PATHS.has(msg.path)) { this.post({ type: 'api/response', id: msg.id, ok: false, status: 400, error: `unknown endpoint ${String(msg.path)}` }); return; }
        const query = { window: typeof msg.query?.window === 'string' ? msg.query.window : undefined, at: typeof msg.query?.at === 'string' ? msg.query.at : undefined };
        try {
          const body = await runtime.get(msg.path, query);
          this.post({ type: 'api/response', id: msg.id, ok: true, body });
        } catch (err) {
          const e = err as ApiError;
          this.post({ type: 'api/response', id: msg.id, ok: false, status: e instanceof ApiError ? e.status : 0, error: e.message });
        }
        return;
      }
      case 'openFile': {
        const root = vscode.workspace.workspaceFolders?.[0]?.uri;
        if (!root || typeof msg.file !== 'string' || typeof msg.line !== 'number') return;
        const parts = msg.file.split(/[\\/]/);
        if (parts.includes('..') || msg.file.startsWith('/')) { this.post({ type: 'notice', level: 'error', message: `not a workspace file: ${msg.file}` }); return; }
        const uri = vscode.Uri.joinPath(root, ...parts);
        const pos = new vscode.Position(Math.max(0, msg.line - 1), Math.max(0, (typeof msg.column === 'number' ? msg.column : 1) - 1));
        try {
          // from the editor panel, the file opens beside it rather than replacing the dashboard
          await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false, viewColumn: this.owner.panel?.webview === this.webview ? vscode.ViewColumn.Beside : undefined });
        } catch (err) {
          this.post({ type: 'notice', level: 'error', message: `cannot open ${msg.file}: ${(err as Error).message}` });
        }
        return;
      }
      case 'runFix': {
        if (typeof msg.file !== 'string' || typeof msg.line !== 'number' || typeof msg.fix !== 'string') return;
        try {
          await actions.runFix(msg.fix, msg.file, msg.line, msg.column);
          this.post({ type: 'notice', level: 'info', message: `Applied ${msg.fix} to ${msg.file}:${msg.line}` });
        } catch (err) {
          this.post({ type: 'notice', level: 'error', message: (err as Error).message });
        }
        return;
      }
      case 'startRuntime':
        try { await actions.startRuntime(); } catch (err) { this.post({ type: 'notice', level: 'error', message: (err as Error).message }); }
        return;
      case 'shown':
        return;
      default:
        this.owner.log.debug(`dashboard: ignored message ${JSON.stringify(raw).slice(0, 200)}`);
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

/** The side bar view (a WebviewViewProvider) and the editor panel, fed by one runtime. */
export class DashboardView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly id = 'telltale.dashboard';
  static readonly panelType = 'telltale.dashboardPanel';
  view?: vscode.WebviewView;
  panel?: vscode.WebviewPanel;
  /** Messages received from the pages (tests read them). */
  readonly received: WebviewMessage[] = [];
  private readonly pages = new Set<DashboardPage>();
  private panelPage?: DashboardPage;
  private readonly subs: vscode.Disposable[] = [];

  constructor(readonly extensionUri: vscode.Uri, readonly runtime: Runtime, readonly actions: DashboardActions, readonly log: Log) {
    this.subs.push(
      runtime.onDidChangeStatus((s) => this.post({ type: 'state', runtime: s })),
      runtime.onDidUpdate((event) => this.post({ type: 'event', event })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const page = this.add(view.webview);
    this.subs.push(view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
      this.remove(page);
    }));
  }

  /** Opens (or brings forward) the dashboard as an editor panel, with `target` selected. */
  openPanel(target?: ShowTarget): vscode.WebviewPanel {
    if (!this.panel || !this.panelPage) {
      const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
      const panel = vscode.window.createWebviewPanel(DashboardView.panelType, 'Telltale Dashboard', vscode.ViewColumn.Active, {
        enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(this.extensionUri, 'media')],
      });
      panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', 'telltale.svg');
      const page = this.add(panel.webview);
      this.panel = panel;
      this.panelPage = page;
      panel.onDidDispose(() => {
        if (this.panel === panel) { this.panel = undefined; this.panelPage = undefined; }
        this.remove(page);
      });
    } else {
      this.panel.reveal();
    }
    if (target) this.panelPage.show(target);
    return this.panel;
  }

  private add(webview: vscode.Webview): DashboardPage {
    const page = new DashboardPage(webview, this);
    this.pages.add(page);
    return page;
  }

  private remove(page: DashboardPage): void {
    page.dispose();
    this.pages.delete(page);
  }

  post(msg: HostMessage): void {
    for (const p of this.pages) p.post(msg);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    for (const p of this.pages) p.dispose();
    this.panel?.dispose();
  }
}
