/**
 * `telltale.*` settings, read in one place. The analysis keys map onto telltale.config.json's
 * schema (the worker validates them like the file, and the file wins where both set a key);
 * the others are editor behaviour.
 */
import * as vscode from 'vscode';
import type { SettingsConfig } from '../protocol/worker';

export type RunOn = 'onType' | 'onSave';

export interface EditorSettings {
  config: SettingsConfig;
  codeLens: boolean;
  run: RunOn;
  debounceMs: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): EditorSettings {
  const c = vscode.workspace.getConfiguration('telltale', scope);
  const config: SettingsConfig = {
    include: c.get<string[]>('include') ?? [],
    exclude: c.get<string[]>('exclude') ?? [],
    rules: c.get<SettingsConfig['rules']>('rules') ?? {},
    runtime: { port: c.get<number>('runtime.port') ?? 0, targets: c.get<Array<{ url: string; name?: string }>>('runtime.targets') ?? [] },
    fixes: { observabilityModule: c.get<string>('fixes.observabilityModule') || undefined },
  };
  return {
    // settings values are read-only proxies: a plain copy can be posted to the worker
    config: JSON.parse(JSON.stringify(config)) as SettingsConfig,
    codeLens: c.get<boolean>('codeLens.enabled') ?? true,
    run: c.get<RunOn>('diagnostics.run') === 'onSave' ? 'onSave' : 'onType',
    debounceMs: 300,
  };
}

/** `files.exclude` globs that are switched on, for the scan's exclude list. */
export function filesExclude(scope?: vscode.ConfigurationScope): string[] {
  const map = vscode.workspace.getConfiguration('files', scope).get<Record<string, boolean | { when: string }>>('exclude') ?? {};
  return Object.entries(map).filter(([, v]) => v === true).map(([glob]) => glob.replace(/^\*\*\//, '**/'));
}
