/**
 * Runs the rules: project-level checks over the inventory, then one walk per file dispatching each
 * node to the visitors of every enabled rule. Applies the config (rules off, severities, options)
 * and suppression comments:
 *
 *   // telltale-ignore-next-line uninstrumented-route -- health check, scraped by the LB
 *   // telltale-ignore-file pii-in-log
 *
 * A rule that throws on a file is reported under `errors` and the others keep running.
 */
import { ts } from './ts';
import type { Analyzer } from './analyze';
import type { AnalysisError, Finding, Severity } from './model';
import type { ProjectFile } from './project';
import type { AnyRule, RuleContext } from './rule';
import { RULES } from './rules';
import type { TelltaleConfig } from '../config/load';

export interface FindingsOptions {
  config?: TelltaleConfig;
  /** Only these rule ids (CLI --rule). */
  only?: string[];
  rules?: AnyRule[];
  /** Report suppressions that suppressed nothing. */
  reportUnusedIgnores?: boolean;
  /** Only findings in these files (absolute paths): the editor re-checks the edited file. */
  files?: string[];
  /**
   * Only the per-file (visitor) rules, without linking the whole project: what an editor runs on
   * every keystroke; the inventory-based rules follow when the project is re-linked.
   */
  visitorsOnly?: boolean;
}

export interface FindingsResult {
  findings: Finding[];
  errors: AnalysisError[];
}

interface Suppression { file: ProjectFile; line: number; rules: string[]; whole: boolean; used: boolean; commentLine: number; column: number }

const IGNORE = /\/\/\s*telltale-ignore(-next-line|-file)?\b([^\n]*)/g;

export function resolveRules(config: TelltaleConfig | undefined, only?: string[], all: AnyRule[] = RULES): Array<{ rule: AnyRule; severity: Severity; options: Record<string, unknown> }> {
  const unknown = [...Object.keys(config?.rules ?? {}), ...(only ?? [])].filter((id) => !all.some((r) => r.id === id));
  if (unknown.length) throw new Error(`unknown rule '${unknown[0]}' (known: ${all.map((r) => r.id).join(', ')})`);
  const out: Array<{ rule: AnyRule; severity: Severity; options: Record<string, unknown> }> = [];
  for (const rule of all) {
    if (only?.length && !only.includes(rule.id)) continue;
    const setting = config?.rules?.[rule.id];
    let severity: Severity | 'off' = rule.severity;
    let options: Record<string, unknown> = { ...(rule.defaultOptions ?? {}) };
    if (typeof setting === 'string') severity = setting;
    else if (setting) { if (setting.severity) severity = setting.severity; options = { ...options, ...(setting.options ?? {}) }; }
    if (severity === 'off') continue;
    out.push({ rule, severity, options });
  }
  return out;
}

export function runRules(analyzer: Analyzer, options: FindingsOptions = {}): FindingsResult {
  const enabled = resolveRules(options.config, options.only, options.rules);
  const computed = options.visitorsOnly ? undefined : analyzer.details();
  const linker = analyzer.linker, instr = analyzer.instrumentation;
  const project = analyzer.project;
  const findings: Finding[] = [];
  const errors: AnalysisError[] = [];
  const onlyFiles = options.files ? new Set(options.files) : undefined;
  const wanted = (file: ProjectFile) => !onlyFiles || onlyFiles.has(file.abs);

  const toFinding = (file: ProjectFile, node: ts.Node, endNode: ts.Node, rule: AnyRule, severity: Severity, message: string, data?: Record<string, unknown>): Finding => {
    const start = file.sf.getLineAndCharacterOfPosition(node.getStart(file.sf));
    const end = file.sf.getLineAndCharacterOfPosition(endNode.getEnd());
    const f: Finding = {
      rule: rule.id, severity, file: file.rel, line: start.line + 1, column: start.character + 1,
      endLine: end.line + 1, endColumn: end.character + 1, message,
    };
    if (data) f.data = data;
    return f;
  };

  // Project-level checks
  for (const { rule, severity, options: ruleOptions } of enabled) {
    if (!rule.check || !computed) continue;
    try {
      rule.check({
        project, analysis: computed, options: ruleOptions,
        report: (file, node, message, data) => { if (wanted(file)) findings.push(toFinding(file, node, node, rule, severity, message, data)); },
      });
    } catch (err) {
      errors.push({ file: '(project)', message: `internal error in rule ${rule.id}: ${(err as Error).message}` });
    }
  }

  // One walk per file for all visitor rules
  const visiting = enabled.filter((e) => e.rule.visit);
  if (visiting.length) {
    for (const file of project.files.values()) {
      if (!wanted(file)) continue;
      const active = visiting.filter((e) => !e.rule.appliesTo || e.rule.appliesTo(file));
      if (!active.length) continue;
      const byKind = new Map<ts.SyntaxKind, Array<{ fn: (n: ts.Node, c: RuleContext) => void; ctx: RuleContext; id: string }>>();
      for (const { rule, severity, options: ruleOptions } of active) {
        const ctx: RuleContext = {
          file, project, linker, instr, options: ruleOptions,
          report: (node, message, data) => findings.push(toFinding(file, node, node, rule, severity, message, data)),
          reportRange: (node, endNode, message, data) => findings.push(toFinding(file, node, endNode, rule, severity, message, data)),
        };
        for (const [kind, fn] of Object.entries(rule.visit!)) {
          const k = Number(kind) as ts.SyntaxKind;
          if (!byKind.has(k)) byKind.set(k, []);
          byKind.get(k)!.push({ fn: fn as (n: ts.Node, c: RuleContext) => void, ctx, id: rule.id });
        }
      }
      const failed = new Set<string>();
      const visit = (node: ts.Node): void => {
        const handlers = byKind.get(node.kind);
        if (handlers) {
          for (const h of handlers) {
            if (failed.has(h.id)) continue;
            try { h.fn(node, h.ctx); } catch (err) {
              failed.add(h.id);
              errors.push({ file: file.rel, message: `internal error in rule ${h.id}: ${(err as Error).message}` });
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file.sf);
    }
  }

  const kept = applySuppressions([...project.files.values()].filter(wanted), findings, options.reportUnusedIgnores ?? false);
  kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  return { findings: kept, errors };
}

function applySuppressions(files: Iterable<ProjectFile>, findings: Finding[], reportUnused: boolean): Finding[] {
  const byFile = new Map<string, Suppression[]>();
  for (const file of files) {
    const text = file.sf.text;
    if (!text.includes('telltale-ignore')) continue;
    const list: Suppression[] = [];
    for (const m of text.matchAll(IGNORE)) {
      const kind = m[1] ?? '-next-line';
      const rules = (m[2].split('--')[0] ?? '').split(/[\s,]+/).filter(Boolean);
      const lc = file.sf.getLineAndCharacterOfPosition(m.index!);
      list.push({ file, line: lc.line + 2, rules, whole: kind === '-file', used: false, commentLine: lc.line + 1, column: lc.character + 1 });
    }
    byFile.set(file.rel, list);
  }
  const kept = findings.filter((f) => {
    const list = byFile.get(f.file);
    if (!list) return true;
    const s = list.find((x) => (x.whole || x.line === f.line) && (x.rules.length === 0 || x.rules.includes(f.rule)));
    if (s) { s.used = true; return false; }
    return true;
  });
  if (reportUnused) {
    for (const list of byFile.values()) for (const s of list) {
      if (s.used) continue;
      kept.push({
        rule: 'unused-ignore', severity: 'warning', file: s.file.rel, line: s.commentLine, column: s.column, endLine: s.commentLine, endColumn: s.column + 2,
        message: `Unused telltale-ignore${s.whole ? '-file' : '-next-line'}${s.rules.length ? ' ' + s.rules.join(', ') : ''}: nothing here is reported`,
      });
    }
  }
  return kept;
}
