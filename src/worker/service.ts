/**
 * What the analysis worker does, without the thread: one Analyzer for the workspace, the merged
 * config (telltale.config.json over VS Code settings), findings per file, fixes on demand.
 * `main.ts` feeds it the host's requests; tests drive it directly.
 *
 * Incremental: an edit re-parses that one file, re-runs the rules on it and publishes it at once;
 * then a full rule pass (the inventory is already recomputed by then, so it is cheap) publishes the
 * other files whose findings changed — the ones that depend on the edit (coverage through
 * middleware, metrics defined elsewhere).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../analysis/analyze';
import { runRules } from '../analysis/findings';
import { docsUrl } from '../analysis/rule';
import { RULES } from '../analysis/rules/index';
import type { Finding, Inventory } from '../analysis/model';
import { ConfigError, loadConfig, validateConfig, type TelltaleConfig } from '../config/load';
import { computeFix, fixAll, preferredFixes } from '../fixes/engine';
import { FIXES } from '../fixes/index';
import {
  findingKey, type FileChange, type FixAllResult, type FixOffer, type InventorySummary, type Overlay, type ScanResult,
  type SettingsConfig, type WireEdit, type WireFinding, type WirePosition, type WorkerEvent, type WorkerMethods,
} from '../protocol/worker';
import { prometheusRules } from './prometheus-rules';

type Emit = (event: WorkerEvent) => void;

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIPPED_SEGMENT = new Set(['node_modules', 'dist', 'build', 'out', '.next', 'coverage', '__tests__', '__mocks__', 'test', 'tests', '.git']);
const TEST_FILE = /\.(test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?$/;

/** The config file wins over settings, key by key (rules: rule by rule). */
export function mergeConfig(settings: TelltaleConfig, file: TelltaleConfig): TelltaleConfig {
  const out: TelltaleConfig = { ...settings, ...file };
  if (settings.rules || file.rules) out.rules = { ...settings.rules, ...file.rules };
  if (settings.runtime || file.runtime) out.runtime = { ...settings.runtime, ...file.runtime };
  if (settings.fixes || file.fixes) out.fixes = { ...settings.fixes, ...file.fixes };
  return out;
}

/** Drops empty values VS Code settings hold by default (an empty list means "not set"). */
function cleanSettings(s: SettingsConfig): TelltaleConfig {
  const out: TelltaleConfig = {};
  if (s.include?.length) out.include = s.include;
  if (s.exclude?.length) out.exclude = s.exclude;
  if (s.rules && Object.keys(s.rules).length) out.rules = s.rules;
  const runtime: Record<string, unknown> = {};
  if (s.runtime?.port !== undefined && s.runtime.port !== 0) runtime.port = s.runtime.port;
  if (s.runtime?.targets?.length) runtime.targets = s.runtime.targets;
  if (Object.keys(runtime).length) out.runtime = runtime;
  if (s.fixes?.observabilityModule) out.fixes = { observabilityModule: s.fixes.observabilityModule };
  return out;
}

export function summarize(inv: Inventory): InventorySummary {
  return {
    routes: inv.routes.length,
    routesInstrumented: inv.routes.filter((r) => r.coverage !== 'none').length,
    jobs: inv.jobs.length,
    jobsInstrumented: inv.jobs.filter((j) => j.coverage !== 'none').length,
  };
}

/** 0-based line/character of an offset. */
export function positionAt(text: string, offset: number): WirePosition {
  let line = 0, lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return { line, character: offset - lineStart };
}

export class WorkerService {
  private analyzer?: Analyzer;
  private root = '';
  private settings: SettingsConfig = {};
  private filesExclude: string[] = [];
  private config: TelltaleConfig = {};
  private configError?: string;
  /** Document versions of texts that came from the editor (absent: disk text). */
  private readonly versions = new Map<string, number>();
  /** Overlays received before the first scan finished. */
  private readonly pending = new Map<string, Overlay>();
  /** What the host shows, per file (JSON of the findings), to publish only what changed. */
  private readonly published = new Map<string, string>();
  private lastSummary = '';
  private current: WireFinding[] = [];
  private generation = 0;
  private fullPass?: ReturnType<typeof setImmediate>;

  constructor(private readonly emit: Emit) {}

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.emit({ type: 'log', level, message });
  }

  async handle<M extends keyof WorkerMethods>(method: M, params: WorkerMethods[M]['params']): Promise<WorkerMethods[M]['result']> {
    const p = params as never;
    switch (method) {
      case 'scan': return this.scan(p) as never;
      case 'update': return this.update(p) as never;
      case 'remove': return this.remove(p) as never;
      case 'configure': return this.configure(p) as never;
      case 'offers': return this.offers(p) as never;
      case 'resolveFix': return this.resolveFix(p) as never;
      case 'fixAll': return this.fixAll(p) as never;
      case 'inventory': return this.requireAnalyzer().inventory() as never;
      case 'prometheusRules': return prometheusRules(this.requireAnalyzer().inventory(), (params as { service?: string }).service) as never;
      case 'rules': return RULES.map((r) => ({ id: r.id, description: r.description, severity: r.severity, category: r.category, docs: docsUrl(r.id), fixes: r.fixes ?? [] })) as never;
      case 'config': return JSON.parse(JSON.stringify(this.config)) as never;
      case 'ping': return { pid: process.pid, uptimeMs: Math.round(process.uptime() * 1000) } as never;
      default: throw new Error(`unknown method ${String(method)}`);
    }
  }

  private requireAnalyzer(): Analyzer {
    if (!this.analyzer) throw new Error('the workspace has not been scanned yet');
    return this.analyzer;
  }

  /** Resolves the config: settings validated like the file, then the file on top. */
  private resolveConfig(): void {
    this.configError = undefined;
    let fromSettings: TelltaleConfig = {};
    try {
      fromSettings = validateConfig(cleanSettings(this.settings), 'settings (telltale.*)');
    } catch (err) {
      this.configError = (err as Error).message;
    }
    let fromFile: TelltaleConfig = {};
    try {
      fromFile = loadConfig(this.root).config;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.configError = err.message;
    }
    this.config = mergeConfig(fromSettings, fromFile);
    this.config.exclude = [...(this.config.exclude ?? []), ...this.filesExclude];
    if (this.configError) this.log('error', `config: ${this.configError}`);
  }

  private scan(params: WorkerMethods['scan']['params']): ScanResult {
    const started = Date.now();
    this.root = params.root;
    this.settings = params.settings;
    this.filesExclude = params.filesExclude;
    this.resolveConfig();
    this.emit({ type: 'progress', phase: 'reading', files: 0 });
    this.analyzer = Analyzer.load(this.root, {
      include: this.config.include, exclude: this.config.exclude,
      onProgress: (files) => this.emit({ type: 'progress', phase: 'reading', files }),
    });
    this.versions.clear();
    const overlays = [...params.overlays, ...this.pending.values()];
    this.pending.clear();
    for (const o of overlays) {
      if (!this.accepts(o.file)) continue;
      this.analyzer.update(o.file, o.text);
      this.versions.set(o.file, o.version);
    }
    const files = this.analyzer.project.files.size;
    this.emit({ type: 'progress', phase: 'analysing', files });
    this.analyzer.inventory();
    this.emit({ type: 'progress', phase: 'rules', files });
    this.published.clear();
    const count = this.publishAll(true);
    const summary = summarize(this.analyzer.inventory());
    const elapsedMs = Date.now() - started;
    this.log('info', `scanned ${files} files in ${elapsedMs} ms: ${count} findings, ${summary.routesInstrumented}/${summary.routes} routes and ${summary.jobsInstrumented}/${summary.jobs} jobs instrumented`);
    for (const e of this.analyzer.inventory().errors.slice(0, 20)) this.log('warn', `${e.file}: ${e.message}`);
    return { files, findings: count, summary, configError: this.configError, elapsedMs };
  }

  /** Would the workspace scan read this file? (For files the editor opens or a fix creates.) */
  private accepts(abs: string): boolean {
    if (!this.analyzer) return false;
    if (this.analyzer.project.files.has(abs)) return true;
    const rel = path.relative(this.root, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const name = path.basename(abs);
    if (!SOURCE.test(name) || /\.d\.[cm]?ts$/.test(name) || TEST_FILE.test(name)) return false;
    const segments = rel.split(path.sep);
    if (segments.slice(0, -1).some((s) => SKIPPED_SEGMENT.has(s) || s.startsWith('.'))) return false;
    const relSlash = segments.join('/');
    const glob = (path as unknown as { matchesGlob?: (p: string, g: string) => boolean }).matchesGlob;
    if (glob) {
      const match = (g: string) => { try { return glob(relSlash, g.replace(/^\.\//, '')); } catch { return false; } };
      if ((this.config.exclude ?? []).some(match)) return false;
      if (this.config.include?.length && !this.config.include.some(match)) return false;
    }
    return true;
  }

  private update(params: WorkerMethods['update']['params']): { findings: number } {
    if (!this.analyzer) {
      this.pending.set(params.file, params);
      return { findings: 0 };
    }
    if (!this.accepts(params.file)) return { findings: 0 };
    this.analyzer.update(params.file, params.text);
    if (params.version < 0) this.versions.delete(params.file);
    else this.versions.set(params.file, params.version);
    const result = runRules(this.analyzer, { config: this.config, files: [params.file] });
    const wire = result.findings.map((f) => this.wire(f));
    this.publish({ [params.file]: wire }, false);
    this.scheduleFullPass();
    return { findings: wire.length };
  }

  private remove(params: WorkerMethods['remove']['params']): null {
    this.pending.delete(params.file);
    if (!this.analyzer) return null;
    this.versions.delete(params.file);
    if (params.fromDisk && fs.existsSync(params.file)) {
      if (this.analyzer.project.files.has(params.file)) this.analyzer.update(params.file, fs.readFileSync(params.file, 'utf8'));
    } else {
      this.analyzer.remove(params.file);
      this.publish({ [params.file]: [] }, false);
    }
    this.scheduleFullPass();
    return null;
  }

  private configure(params: WorkerMethods['configure']['params']): { findings: number; configError?: string } {
    this.settings = params.settings;
    if (!this.analyzer) return { findings: 0 };
    const before = JSON.stringify([this.config.include, this.config.exclude]);
    this.resolveConfig();
    if (JSON.stringify([this.config.include, this.config.exclude]) !== before) {
      this.log('info', 'include/exclude changed: run Telltale: Scan Workspace to re-read the files');
    }
    return { findings: this.publishAll(false), configError: this.configError };
  }

  private scheduleFullPass(): void {
    if (this.fullPass) clearImmediate(this.fullPass);
    const generation = ++this.generation;
    this.fullPass = setImmediate(() => {
      this.fullPass = undefined;
      if (generation !== this.generation) return;
      this.publishAll(false);
    });
  }

  private wire(f: Finding): WireFinding {
    return { ...f, abs: path.join(this.root, ...f.file.split('/')), docs: docsUrl(f.rule) };
  }

  /** Runs every rule and publishes the files whose findings changed (all files when `everything`). */
  private publishAll(everything: boolean): number {
    const analyzer = this.requireAnalyzer();
    let result;
    try {
      result = runRules(analyzer, { config: this.config });
    } catch (err) {
      // an unknown rule id in the config: say so once, show nothing rather than something wrong
      this.configError = (err as Error).message;
      this.log('error', `config: ${this.configError}`);
      result = { findings: [], errors: [] };
    }
    for (const e of result.errors) this.log('warn', `${e.file}: ${e.message}`);
    const byFile: Record<string, WireFinding[]> = {};
    for (const file of analyzer.project.files.keys()) byFile[file] = [];
    for (const abs of this.published.keys()) byFile[abs] ??= [];
    this.current = result.findings.map((f) => this.wire(f));
    for (const f of this.current) (byFile[f.abs] ??= []).push(f);
    this.publish(byFile, everything);
    return this.current.length;
  }

  private publish(byFile: Record<string, WireFinding[]>, everything: boolean): void {
    const files: Record<string, WireFinding[]> = {};
    const versions: Record<string, number> = {};
    for (const [abs, list] of Object.entries(byFile)) {
      const sig = JSON.stringify(list);
      if (!everything && this.published.get(abs) === sig) continue;
      if (list.length === 0 && !this.published.has(abs) && !everything) continue;
      if (list.length) this.published.set(abs, sig); else this.published.delete(abs);
      files[abs] = list;
      const v = this.versions.get(abs);
      if (v !== undefined) versions[abs] = v;
    }
    const summary = summarize(this.requireAnalyzer().inventory());
    const sumSig = JSON.stringify(summary) + this.requireAnalyzer().inventory().routes.length;
    const inventoryChanged = sumSig !== this.lastSummary || everything;
    this.lastSummary = sumSig;
    if (Object.keys(files).length || inventoryChanged) this.emit({ type: 'findings', files, versions, summary, inventoryChanged });
  }

  /** The host's finding as the worker currently knows it (undefined when it is stale). */
  private match(f: WireFinding): Finding | undefined {
    const key = findingKey(f);
    return this.current.find((c) => findingKey(c) === key);
  }

  private offers(params: WorkerMethods['offers']['params']): Array<{ key: string; offers: FixOffer[] }> {
    const analyzer = this.requireAnalyzer();
    const out: Array<{ key: string; offers: FixOffer[] }> = [];
    for (const f of params.findings) {
      const finding = this.match(f);
      const offers: FixOffer[] = [];
      if (finding) {
        const preferred = preferredFixes(finding, this.current, analyzer);
        // "Instrument all routes of this app" only when several of its routes are uninstrumented
        const appWide = preferred[0]?.id === 'add-app-metrics';
        for (const fix of preferred) {
          if (fix.id === 'add-app-metrics' && !appWide) continue;
          const outcome = this.compute(finding, fix.id);
          if ('edits' in outcome) offers.push({ fix: fix.id, title: outcome.title, safety: fix.safety, appWide: fix.id === 'add-app-metrics' || undefined });
        }
      }
      out.push({ key: findingKey(f), offers });
    }
    return out;
  }

  private compute(finding: Finding, fixId: string) {
    const fix = FIXES.find((x) => x.id === fixId);
    if (!fix) return { reason: `unknown fix ${fixId}` };
    return computeFix(this.requireAnalyzer(), finding, fix, { observabilityModule: this.config.fixes?.observabilityModule });
  }

  private resolveFix(params: WorkerMethods['resolveFix']['params']): WorkerMethods['resolveFix']['result'] {
    const finding = this.match(params.finding);
    if (!finding) return { reason: 'the code changed since this problem was reported; try again' };
    const outcome = this.compute(finding, params.fix);
    if (!('edits' in outcome)) return { reason: outcome.reason };
    const analyzer = this.requireAnalyzer();
    const textOf = (abs: string) => analyzer.project.files.get(abs)?.sf.text ?? fs.readFileSync(abs, 'utf8');
    const versions: Record<string, number> = {};
    const edits: WireEdit[] = outcome.edits.map((e) => {
      if (e.create) return { file: e.file, newText: e.newText, create: true };
      const text = textOf(e.file);
      const v = this.versions.get(e.file);
      if (v !== undefined) versions[e.file] = v;
      return { file: e.file, newText: e.newText, start: positionAt(text, e.start), end: positionAt(text, e.end) };
    });
    return { edits, title: outcome.title, versions };
  }

  private fixAll(params: WorkerMethods['fixAll']['params']): FixAllResult {
    const analyzer = this.requireAnalyzer();
    const result = fixAll(analyzer, {
      findings: { config: this.config, files: params.files },
      rules: params.rules, fixes: params.fixes, dryRun: true,
      observabilityModule: this.config.fixes?.observabilityModule,
    });
    // dry run: the analyzer saw the fixed texts; put the editor's texts back (the host applies the
    // edits as one WorkspaceEdit and the documents' changes come back as updates)
    for (const [abs, c] of result.changes) {
      if (c.before === undefined) analyzer.remove(abs);
      else if (SOURCE.test(abs)) analyzer.update(abs, c.before);
    }
    const changes: FileChange[] = [...result.changes].map(([file, c]) => ({ file, before: c.before, after: c.after }));
    return {
      changes,
      applied: result.applied.map((a) => ({ file: a.finding.file, line: a.finding.line, fix: a.fix, title: a.title })),
      failed: result.failed.map((f) => ({ file: f.finding.file, line: f.finding.line, rule: f.finding.rule, reason: f.reason })),
    };
  }
}
