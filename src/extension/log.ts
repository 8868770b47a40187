/**
 * Everything Telltale does goes to one LogOutputChannel ("Telltale"). Errors reach the user once
 * per distinct message, as a non-modal notification with "Show Log"; commands run through
 * `runCommand`, which turns a throw into exactly that.
 */
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly shown = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Telltale', { log: true });
  }

  trace(msg: string): void { this.channel.trace(msg); }
  debug(msg: string): void { this.channel.debug(msg); }
  info(msg: string): void { this.channel.info(msg); }
  warn(msg: string): void { this.channel.warn(msg); }
  error(msg: string | Error): void { this.channel.error(msg); }

  /** Logs the error and shows it once (the same message again is only logged). Never modal. */
  showError(message: string, err?: unknown): void {
    this.channel.error(err instanceof Error ? `${message}: ${err.stack ?? err.message}` : err !== undefined ? `${message}: ${String(err)}` : message);
    if (this.shown.has(message)) return;
    this.shown.add(message);
    void vscode.window.showErrorMessage(`Telltale: ${message}`, 'Show Log').then((pick) => { if (pick) this.channel.show(true); });
  }

  /** Like showError, for a warning the user can act on. */
  showWarning(message: string): void {
    this.channel.warn(message);
    if (this.shown.has(message)) return;
    this.shown.add(message);
    void vscode.window.showWarningMessage(`Telltale: ${message}`, 'Show Log').then((pick) => { if (pick) this.channel.show(true); });
  }

  show(): void { this.channel.show(true); }

  dispose(): void { this.channel.dispose(); }
}

/** Registers a command whose failures are logged and shown once with "Show Log". */
export function runCommand<A extends unknown[], R>(log: Log, id: string, fn: (...args: A) => R | Promise<R>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A) => {
    const started = Date.now();
    try {
      const result = await fn(...args);
      log.trace(`${id} done in ${Date.now() - started} ms`);
      return result;
    } catch (err) {
      log.showError(`${id} failed: ${(err as Error)?.message ?? String(err)}`, err);
      return undefined;
    }
  });
}
