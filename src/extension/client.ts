/**
 * The extension host's side of the analysis worker: starts `dist/worker.js` on the first request,
 * sends typed requests (src/protocol/worker.ts) and resolves them from the answers, and re-emits
 * the worker's unsolicited events. `terminate()` is how a scan is cancelled: the worker is
 * synchronous while it reads and analyses, so it is stopped and a fresh one starts next time.
 */
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { WorkerEvent, WorkerMethod, WorkerMethods } from '../protocol/worker';
import type { Log } from './log';

export class WorkerCancelled extends Error {
  override name = 'WorkerCancelled';
}

type Listener = (e: Exclude<WorkerEvent, { type: 'response' }>) => void;

export class WorkerClient implements vscode.Disposable {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly script: string, private readonly log: Log) {}

  get running(): boolean { return !!this.worker; }

  onEvent(listener: Listener): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const started = Date.now();
    const worker = new Worker(this.script, { name: 'telltale-analysis' });
    this.worker = worker;
    this.log.info(`analysis worker started (${this.script})`);
    worker.on('message', (e: WorkerEvent) => {
      if (e.type === 'response') {
        const p = this.pending.get(e.id);
        if (!p) return;
        this.pending.delete(e.id);
        if (e.ok) p.resolve(e.result);
        else p.reject(new Error(e.error));
        return;
      }
      if (e.type === 'log') {
        const line = `[worker] ${e.message}`;
        if (e.level === 'error') this.log.error(line); else if (e.level === 'warn') this.log.warn(line); else if (e.level === 'info') this.log.info(line); else this.log.debug(line);
      }
      for (const l of this.listeners) {
        try { l(e); } catch (err) { this.log.error(err as Error); }
      }
    });
    worker.on('error', (err) => {
      this.log.showError('the analysis worker crashed', err);
      this.fail(worker, err);
    });
    worker.on('exit', (code) => {
      this.log.info(`analysis worker exited (code ${code}) after ${Date.now() - started} ms`);
      this.fail(worker, new WorkerCancelled('the analysis worker stopped'));
    });
    return worker;
  }

  private fail(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  request<M extends WorkerMethod>(method: M, params: WorkerMethods[M]['params'], token?: vscode.CancellationToken): Promise<WorkerMethods[M]['result']> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      // a cancelled request's answer is ignored (the worker finishes it anyway: requests are short)
      token?.onCancellationRequested(() => {
        if (this.pending.delete(id)) reject(new WorkerCancelled(`${method} cancelled`));
      });
      worker.postMessage({ id, method, params });
    });
  }

  /** Stops the worker; pending requests reject with WorkerCancelled. */
  async terminate(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.fail(w, new WorkerCancelled('cancelled'));
    await w.terminate();
  }

  dispose(): void { void this.terminate(); }
}
