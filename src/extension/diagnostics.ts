/** The one converter from a finding to a VS Code diagnostic (STYLE.md §7). */
import * as vscode from 'vscode';
import type { WireFinding } from '../protocol/worker';

const SEVERITY: Record<WireFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(f: Pick<WireFinding, 'line' | 'column' | 'endLine' | 'endColumn'>, doc?: vscode.TextDocument): vscode.Range {
  const range = new vscode.Range(f.line - 1, f.column - 1, Math.max(f.endLine - 1, f.line - 1), f.endLine === f.line ? Math.max(f.endColumn - 1, f.column - 1) : f.endColumn - 1);
  return doc ? doc.validateRange(range) : range;
}

/** `source: 'telltale'`, `code` linking the rule id to its documentation page. */
export function toDiagnostic(finding: WireFinding, doc?: vscode.TextDocument): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(finding, doc), finding.message, SEVERITY[finding.severity] ?? vscode.DiagnosticSeverity.Warning);
  d.source = 'telltale';
  d.code = { value: finding.rule, target: vscode.Uri.parse(finding.docs) };
  return d;
}
