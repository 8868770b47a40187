/**
 * The local runtime as the extension sees it: started on demand as a child process
 * (`dist/cli.js runtime --json`, with the inventory), its API read with the bearer token, its SSE
 * stream (`/api/events`) followed so code lenses and the dashboard stay live. Stopped with the
 * extension. Only 127.0.0.1 is ever contacted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ApiPath, ApiQuery, RuntimeStatus } from '../protocol/dashboard';
import type { Inventory } from '../protocol/inventory';
import type { JobsResponse, RoutesResponse, RuntimeUpdateEvent } from '../protocol/runtime';
import type { AlertEvent } from '../protocol/alerts';
import type { Log } from './log';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export class Runtime implements vscode.Disposable {
  private child?: ChildProcess;
  private url?: string;
  private token?: string;
  private events?: http.ClientRequest;
  status: RuntimeStatus = { state: 'stopped' };
  routes?: RoutesResponse;
  jobs?: JobsResponse;
  private readonly statusEmitter = new vscode.EventEmitter<RuntimeStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  private readonly eventEmitter = new vscode.EventEmitter<RuntimeUpdateEvent>();
  readonly onDidUpdate = this.eventEmitter.event;

  constructor(private readonly cli: string, private readonly storage: vscode.Uri, private readonly log: Log) {}

  get running(): boolean { return this.status.state === 'running'; }

  private setStatus(s: RuntimeStatus): void {
    this.status = s;
    this.statusEmitter.fire(s);
  }

  /**
   * Starts `telltale runtime` in the workspace folder with the inventory; resolves when its API
   * answers. `targets` come from the settings (the config file's targets are read by the runtime).
   */
  async start(root: string, inventory: Inventory | undefined, options: { port?: number; targets?: string[] } = {}): Promise<void> {
    if (this.child) return;
    this.setStatus({ state: 'starting' });
    const args = [this.cli, 'runtime', '--json'];
    if (inventory) {
      fs.mkdirSync(this.storage.fsPath, { recursive: true });
      const file = path.join(this.storage.fsPath, 'inventory.json');
      fs.writeFileSync(file, JSON.stringify(inventory));
      args.push('--inventory', file);
    }
    if (options.port) args.push('--port', String(options.port));
    for (const t of options.targets ?? []) args.push('--target', t);
    this.log.info(`starting the runtime: ${path.basename(process.execPath)} ${args.map((a) => path.isAbsolute(a) ? vscode.workspace.asRelativePath(a) : a).join(' ')}`);
    // inside VS Code desktop process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain Node
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      stderr = (stderr + s).slice(-4000);
      for (const line of s.split('\n').filter(Boolean)) this.log.debug(`[runtime] ${line.length > 400 ? line.slice(0, 400) + '…' : line}`);
    });
    const ready = new Promise<{ url: string; tokenFile: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (s: string) => {
        out += s;
        const nl = out.indexOf('\n');
        if (nl === -1) return;
        try { resolve(JSON.parse(out.slice(0, nl))); } catch { reject(new Error(`unexpected runtime output: ${out.slice(0, 200)}`)); }
      });
      child.on('exit', (code, signal) => reject(new Error(`the runtime exited (${signal ?? `code ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`)));
      child.on('error', reject);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.closeEvents();
      this.url = undefined;
      this.token = undefined;
      this.routes = undefined;
      this.jobs = undefined;
      const reason = signal === 'SIGTERM' ? 'stopped' : `exited (${signal ?? `code ${code}`})`;
      this.log.info(`runtime ${reason}`);
      this.setStatus({ state: 'stopped', reason });
    });
    try {
      const { url, tokenFile } = await ready;
      this.url = url;
      this.token = fs.readFileSync(tokenFile, 'utf8').trim();
      this.log.info(`runtime running on ${url}`);
      this.setStatus({ state: 'running', url });
      this.followEvents();
      await this.refresh();
    } catch (err) {
      this.child = undefined;
      child.kill('SIGTERM');
      this.setStatus({ state: 'error', message: (err as Error).message });
      throw err;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  /** GET one of the runtime's API paths (127.0.0.1, bearer token). */
  get<T>(apiPath: ApiPath | '/api/events', query: ApiQuery = {}): Promise<T> {
    const base = this.url, token = this.token;
    if (!base || !token) return Promise.reject(new ApiError(0, 'the runtime is not running'));
    const u = new URL(apiPath, base);
    for (const [k, v] of Object.entries(query)) if (typeof v === 'string') u.searchParams.set(k, v);
    return new Promise((resolve, reject) => {
      const req = http.get(u, { headers: { authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400) return reject(new ApiError(res.statusCode ?? 0, body.slice(0, 300)));
          try { resolve(JSON.parse(body) as T); } catch { reject(new ApiError(res.statusCode ?? 0, 'not JSON')); }
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => reject(new ApiError(0, e.message)));
    });
  }

  async refresh(): Promise<void> {
    try {
      [this.routes, this.jobs] = await Promise.all([this.get<RoutesResponse>('/api/routes'), this.get<JobsResponse>('/api/jobs')]);
    } catch (err) {
      this.log.debug(`runtime refresh: ${(err as Error).message}`);
    }
  }

  /** Follows `/api/events` (SSE); every `update` refreshes routes/jobs and is re-emitted. */
  private followEvents(): void {
    if (!this.url || !this.token) return;
    const u = new URL('/api/events', this.url);
    const req = http.get(u, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf('\n\n'); i !== -1; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          if (!data) continue;
          try {
            const parsed = JSON.parse(data) as RuntimeUpdateEvent | AlertEvent;
            if (parsed?.type === 'alert') { this.showAlerts(parsed); continue; }
            const ev = parsed;
            if (ev?.type !== 'update') continue;
            if (ev.routes) this.routes = ev.routes;
            if (ev.jobs) this.jobs = ev.jobs;
            this.eventEmitter.fire(ev);
          } catch { /* a malformed event is skipped */ }
        }
      });
    });
    req.on('error', (e) => this.log.debug(`runtime events: ${e.message}`));
    this.events = req;
  }

  /**
   * The runtime's `vscode` notifier: alerts that started firing (or resolved) show as one
   * notification each (at most three per evaluation), with the code they watch one click away.
   */
  private showAlerts(ev: AlertEvent): void {
    if (!ev.notify || !Array.isArray(ev.alerts)) return;
    for (const a of ev.alerts.filter((x) => x.status === 'firing' || x.status === 'resolved').slice(0, 3)) {
      const about = a.labels?.route ? ` on ${a.labels.method ? a.labels.method + ' ' : ''}${a.labels.route}` : a.labels?.job ? ` on job ${a.labels.job}` : '';
      const text = `Telltale: ${a.rule}${about} ${a.status === 'firing' ? 'is firing' : 'resolved'}${a.annotations?.summary ? ` — ${a.annotations.summary}` : ''}`;
      const actions = a.code ? ['Open Code', 'Open Dashboard'] : ['Open Dashboard'];
      const shown = a.status === 'firing' ? vscode.window.showWarningMessage(text, ...actions) : vscode.window.showInformationMessage(text, ...actions);
      void shown.then((choice) => {
        if (choice === 'Open Dashboard') void vscode.commands.executeCommand('telltale.openDashboard');
        else if (choice === 'Open Code' && a.code) {
          const folder = vscode.workspace.workspaceFolders?.[0];
          if (!folder) return;
          const uri = vscode.Uri.joinPath(folder.uri, a.code.file);
          const pos = new vscode.Position(Math.max(0, a.code.line - 1), Math.max(0, (a.code.column ?? 1) - 1));
          void vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
        }
      });
    }
    this.log.info(`runtime alerts: ${ev.firing} firing, ${ev.pending} pending`);
  }

  private closeEvents(): void {
    this.events?.destroy();
    this.events = undefined;
  }

  dispose(): void {
    this.closeEvents();
    this.child?.kill('SIGTERM');
    this.statusEmitter.dispose();
    this.eventEmitter.dispose();
  }
}
