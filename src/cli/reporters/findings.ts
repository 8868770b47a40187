/** Findings output: ESLint-style text grouped by file, the JSON contract, and SARIF 2.1.0. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnalysisError, Finding, Severity } from '../../analysis/model';
import type { AnyRule } from '../../analysis/rule';
import { docsUrl } from '../../analysis/rule';
import { paint } from './color';

export interface ScanOutput { root: string; findings: Finding[]; errors: AnalysisError[] }

export function toScanJson(out: ScanOutput): unknown {
  return {
    root: out.root,
    findings: out.findings.map((f) => ({ rule: f.rule, severity: f.severity, file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, message: f.message })),
    errors: out.errors,
  };
}

export function renderFindingsText(out: ScanOutput, { color }: { color: boolean }): string {
  const p = paint(color);
  const sev = (s: Severity) => (s === 'error' ? p.red('error') : s === 'warning' ? p.yellow('warning') : p.cyan('info'));
  const byFile = new Map<string, Finding[]>();
  for (const f of out.findings) { if (!byFile.has(f.file)) byFile.set(f.file, []); byFile.get(f.file)!.push(f); }
  const lines: string[] = [];
  for (const [file, fs] of byFile) {
    lines.push(p.bold(file));
    const posWidth = Math.max(...fs.map((f) => `${f.line}:${f.column}`.length));
    const sevWidth = Math.max(...fs.map((f) => f.severity.length));
    const msgWidth = Math.max(...fs.map((f) => f.message.length));
    for (const f of fs) {
      lines.push(`  ${p.dim(`${f.line}:${f.column}`.padEnd(posWidth))}  ${sev(f.severity)}${' '.repeat(sevWidth - f.severity.length)}  ${f.message.padEnd(msgWidth)}  ${p.dim(f.rule)}`);
    }
    lines.push('');
  }
  for (const e of out.errors) lines.push(p.yellow(`! ${e.file}: ${e.message}`));
  if (out.errors.length) lines.push('');
  const count = (s: Severity) => out.findings.filter((f) => f.severity === s).length;
  const n = out.findings.length;
  if (n === 0) lines.push(p.green('✔ No problems found.'));
  else {
    const summary = `✖ ${n} problem${n === 1 ? '' : 's'} (${count('error')} error${count('error') === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}${count('info') ? `, ${count('info')} info` : ''})`;
    lines.push(count('error') ? p.red(p.bold(summary)) : p.yellow(p.bold(summary)));
  }
  return lines.join('\n') + '\n';
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0: one run, rule metadata with help URIs, results with regions relative to %SRCROOT%. */
export function toSarif(out: ScanOutput, rules: AnyRule[], version: string): unknown {
  const used = new Set(out.findings.map((f) => f.rule));
  const ruleList = rules;
  // Findings of pseudo-rules (unused-ignore) still need a descriptor.
  const extra = [...used].filter((id) => !ruleList.some((r) => r.id === id));
  const descriptors = [
    ...ruleList.map((r) => ({
      id: r.id,
      name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: r.description },
      fullDescription: { text: r.description },
      helpUri: docsUrl(r.id),
      help: { text: `${r.description}. See ${docsUrl(r.id)}` },
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { category: r.category, tags: ['observability', r.category] },
    })),
    ...extra.map((id) => ({ id, shortDescription: { text: id }, defaultConfiguration: { level: 'warning' as const } })),
  ];
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Telltale', semanticVersion: version, informationUri: 'https://github.com/telltale-dev/telltale', rules: descriptors } },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(out.root + path.sep).href } },
      results: out.findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: index.get(f.rule),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        }],
      })),
      invocations: [{
        executionSuccessful: out.errors.every((e) => !e.message.startsWith('internal error')),
        toolExecutionNotifications: out.errors.map((e) => ({
          level: e.message.startsWith('internal error') ? 'error' : 'warning',
          message: { text: e.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(e.file), uriBaseId: '%SRCROOT%' } } }],
        })),
      }],
    }],
  };
}
