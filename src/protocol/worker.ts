/**
 * Messages between the extension host and the analysis worker (`dist/worker.js`, a worker_threads
 * worker). The extension never holds a ts-morph tree: it sends document texts and asks
 * for findings, fixes and the inventory; the worker answers with plain data. Types only, plus the
 * one shared helper `findingKey`.
 *
 *   host → worker   { id, method, params }                 one request, answered once
 *   worker → host   { type: 'response', id, ok, result | error }
 *                   { type: 'progress' | 'findings' | 'log', … }   unsolicited events
 *
 * Paths are absolute (the host's `Uri.fsPath`); positions in findings are 1-based lines and
 * UTF-16 columns, as the analysis reports them.
 */
import type { Finding, Inventory, Severity } from '../analysis/model';

/** telltale.config.json keys that VS Code settings can set (the file wins where both exist). */
export interface SettingsConfig {
  include?: string[];
  exclude?: string[];
  rules?: Record<string, Severity | 'off' | { severity?: Severity | 'off'; options?: Record<string, unknown> }>;
  runtime?: { port?: number; targets?: Array<{ url: string; name?: string }> };
  fixes?: { observabilityModule?: string };
}

/** A document the editor holds whose text may differ from the disk. */
export interface Overlay { file: string; text: string; version: number }

/** A finding as the editor gets it: the analysis' finding plus its absolute path and docs page. */
export interface WireFinding extends Finding { abs: string; docs: string }

export interface RuleInfo { id: string; description: string; severity: Severity; category: string; docs: string; fixes: string[] }

/** 0-based line and UTF-16 character (VS Code's Position). */
export interface WirePosition { line: number; character: number }

/**
 * A text edit of a fix, positioned in the text the worker analysed, or a new file (`create`,
 * `newText` is the whole content).
 */
export interface WireEdit { file: string; newText: string; create?: boolean; start?: WirePosition; end?: WirePosition }

/** A whole-file change of a multi-fix (fix all): the host turns it into a WorkspaceEdit. */
export interface FileChange { file: string; before?: string; after: string }

export interface FixOffer {
  fix: string;
  title: string;
  safety: 'safe' | 'suggestion' | 'dangerous';
  /** Set when the fix instruments every uninstrumented route of the app (add-app-metrics). */
  appWide?: boolean;
}

export interface InventorySummary { routes: number; routesInstrumented: number; jobs: number; jobsInstrumented: number }

export interface ScanResult {
  files: number;
  findings: number;
  summary: InventorySummary;
  /** Config problems (settings or telltale.config.json), already logged by the worker. */
  configError?: string;
  elapsedMs: number;
}

export interface FixAllResult {
  changes: FileChange[];
  applied: Array<{ file: string; line: number; fix: string; title: string }>;
  failed: Array<{ file: string; line: number; rule: string; reason: string }>;
}

/** method → params and result. */
export interface WorkerMethods {
  /** (Re)loads the workspace and analyses everything; publishes `findings` for every file. */
  scan: { params: { root: string; settings: SettingsConfig; filesExclude: string[]; overlays: Overlay[] }; result: ScanResult };
  /** The text of one file changed (typing, save, open; `version` -1: the disk text). Publishes `findings`. */
  update: { params: { file: string; text: string; version: number }; result: { findings: number } };
  /** A file was deleted or closed without saving (back to the disk text when `fromDisk`). */
  remove: { params: { file: string; fromDisk?: boolean }; result: null };
  /** Settings changed: re-resolve the config and re-run the rules (no re-read of the files). */
  configure: { params: { settings: SettingsConfig }; result: { findings: number; configError?: string } };
  /** The fixes that apply to these findings (computed, so only applicable ones are offered). */
  offers: { params: { findings: WireFinding[] }; result: Array<{ key: string; offers: FixOffer[] }> };
  /** The edits of one fix for one finding (lazy resolve of a code action). */
  resolveFix: {
    params: { finding: WireFinding; fix: string };
    /** `versions`: the document version of each edited file's text the edits are positioned in (absent: disk). */
    result: { edits: WireEdit[]; title: string; versions: Record<string, number> } | { reason: string };
  };
  /** Every applicable fix, one after the other, in memory; nothing is written. */
  fixAll: { params: { files?: string[]; rules?: string[]; fixes?: string[] }; result: FixAllResult };
  inventory: { params: Record<string, never>; result: Inventory };
  /** Prometheus recording and alerting rules (YAML) for the RED and job metrics of the inventory. */
  prometheusRules: { params: { service?: string }; result: { yaml: string; groups: number; rules: number } };
  rules: { params: Record<string, never>; result: RuleInfo[] };
  /** The config in effect (telltale.config.json over settings, files.exclude added), for the CLI. */
  config: { params: Record<string, never>; result: Record<string, unknown> };
  ping: { params: Record<string, never>; result: { pid: number; uptimeMs: number } };
}

export type WorkerMethod = keyof WorkerMethods;

export interface WorkerRequest<M extends WorkerMethod = WorkerMethod> { id: number; method: M; params: WorkerMethods[M]['params'] }

export type WorkerEvent =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: string }
  /** Scan progress: files read so far. */
  | { type: 'progress'; phase: 'reading' | 'analysing' | 'rules'; files: number }
  /**
   * Findings of these files replace what the host shows for them. `versions` holds the document
   * version each file's text had when analysed (absent: the disk text); the host drops a file's
   * findings when its open document has moved on.
   */
  | { type: 'findings'; files: Record<string, WireFinding[]>; versions: Record<string, number>; summary: InventorySummary; inventoryChanged: boolean }
  | { type: 'log'; level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; message: string };

/** A stable key for a finding (the same finding across messages). */
export function findingKey(f: Pick<Finding, 'rule' | 'line' | 'column' | 'message'> & { abs: string }): string {
  return `${f.abs}|${f.rule}|${f.line}|${f.column}|${f.message}`;
}
