/**
 * The dashboard (webview/ bundled to dist/webview/) as a WebviewView in the Telltale container.
 * Strict CSP with a nonce; only dist/webview and media are loadable. The webview's messages
 * (src/protocol/dashboard.ts) are untrusted: each is checked before it is acted on — API reads
 * are proxied to the runtime for the known endpoints only, files opened only inside the workspace.
 */
import crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { ApiPath, HostMessage, WebviewMessage } from '../protocol/dashboard';
import type { Log } from './log';
import { ApiError, type Runtime } from './runtime';

const API_PATHS = new Set<ApiPath>(['/api/health', '/api/targets', '/api/routes', '/api/jobs', '/api/drift', '/api/inventory', '/api/alerts']);
/** CSP hash of the empty inline style the webview toolkit probes with (see webview/index.html). */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

export interface DashboardActions {
  runFix(fix: string, file: string, line: number, column?: number): Promise<void>;
  startRuntime(): Promise<void>;
}

export class DashboardView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly id = 'telltale.dashboard';
  view?: vscode.WebviewView;
  /** Messages received from the webview (tests read them). */
  readonly received: WebviewMessage[] = [];
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly runtime: Runtime, private readonly actions: DashboardActions, private readonly log: Log) {
    this.subs.push(
      runtime.onDidChangeStatus((s) => this.post({ type: 'state', runtime: s })),
      runtime.onDidUpdate((event) => this.post({ type: 'event', event })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(this.extensionUri, 'media')] };
    view.webview.html = this.html(view.webview, dist);
    this.subs.push(
      view.webview.onDidReceiveMessage((m: unknown) => { void this.onMessage(m); }),
      view.onDidDispose(() => { if (this.view === view) this.view = undefined; }),
    );
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
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
    void this.view?.webview.postMessage(msg);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') return;
    const msg = raw as WebviewMessage;
    this.received.push(msg);
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'state', runtime: this.runtime.status });
        return;
      case 'api/request': {
        if (typeof msg.id !== 'number') return;
        if (!API_PATHS.has(msg.path)) { this.post({ type: 'api/response', id: msg.id, ok: false, status: 400, error: `unknown endpoint ${String(msg.path)}` }); return; }
        const query = { window: typeof msg.query?.window === 'string' ? msg.query.window : undefined, at: typeof msg.query?.at === 'string' ? msg.query.at : undefined };
        try {
          const body = await this.runtime.get(msg.path, query);
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
          await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false });
        } catch (err) {
          this.post({ type: 'notice', level: 'error', message: `cannot open ${msg.file}: ${(err as Error).message}` });
        }
        return;
      }
      case 'runFix': {
        if (typeof msg.file !== 'string' || typeof msg.line !== 'number' || typeof msg.fix !== 'string') return;
        try {
          await this.actions.runFix(msg.fix, msg.file, msg.line, msg.column);
          this.post({ type: 'notice', level: 'info', message: `Applied ${msg.fix} to ${msg.file}:${msg.line}` });
        } catch (err) {
          this.post({ type: 'notice', level: 'error', message: (err as Error).message });
        }
        return;
      }
      case 'startRuntime':
        try { await this.actions.startRuntime(); } catch (err) { this.post({ type: 'notice', level: 'error', message: (err as Error).message }); }
        return;
      default:
        this.log.debug(`dashboard: ignored message ${JSON.stringify(raw).slice(0, 200)}`);
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
