/**
 * Quick fixes (vscode-eslint's menu): every applicable fix of each Telltale diagnostic, "Instrument
 * all routes of this app" when several of its routes are uninstrumented, "Fix all Telltale problems
 * in this file", "Ignore for this line", "Show documentation". `provideCodeActions` returns titles
 * only; `resolveCodeAction` asks the worker for the edits (rust-analyzer's lazy resolve), applied
 * by VS Code as one WorkspaceEdit — new files and package.json included, one undo step.
 */
import * as vscode from 'vscode';
import { findingKey, type FileChange, type WireEdit, type WireFinding } from '../protocol/worker';
import type { Analysis } from './analysis';
import { WorkerCancelled, type WorkerClient } from './client';
import type { Log } from './log';
import { ignoreComment, minimalChange } from './text';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('telltale');

export class FixAction extends vscode.CodeAction {
  constructor(title: string, readonly finding: WireFinding, readonly fix: string, readonly uri: vscode.Uri) {
    super(title, vscode.CodeActionKind.QuickFix);
  }
}

export class FixFileAction extends vscode.CodeAction {
  constructor(title: string, kind: vscode.CodeActionKind, readonly uri: vscode.Uri, readonly rules?: string[]) {
    super(title, kind);
  }
}

export class TelltaleCodeActions implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly analysis: Analysis, private readonly client: WorkerClient, private readonly log: Log) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    if (this.analysis.state !== 'ready') return [];
    const only = context.only;
    if (only && FIX_ALL_KIND.contains(only) || only?.value === vscode.CodeActionKind.SourceFixAll.value) {
      return this.analysis.findingsIn(doc.uri).length ? [new FixFileAction('Fix all Telltale problems', FIX_ALL_KIND, doc.uri)] : [];
    }
    if (only && !vscode.CodeActionKind.QuickFix.intersects(only)) return [];
    const ours = context.diagnostics
      .filter((d) => d.source === 'telltale')
      .map((d) => ({ diagnostic: d, finding: this.analysis.findingOf(doc.uri, d) }))
      .filter((x): x is { diagnostic: vscode.Diagnostic; finding: WireFinding } => !!x.finding);
    if (!ours.length) return [];
    let offers;
    try {
      offers = await this.client.request('offers', { findings: ours.map((o) => o.finding) }, token);
    } catch (err) {
      if (!(err instanceof WorkerCancelled)) this.log.error(`code actions: ${(err as Error).message}`);
      return [];
    }
    const byKey = new Map(offers.map((o) => [o.key, o.offers]));
    const actions: vscode.CodeAction[] = [];
    const appWideSeen = new Set<string>();
    for (const { diagnostic, finding } of ours) {
      for (const offer of byKey.get(findingKey(finding)) ?? []) {
        const title = offer.appWide ? 'Instrument all routes of this app' : offer.title;
        if (offer.appWide) {
          if (appWideSeen.has(offer.fix)) continue;
          appWideSeen.add(offer.fix);
        }
        const a = new FixAction(title, finding, offer.fix, doc.uri);
        a.diagnostics = [diagnostic];
        a.isPreferred = offer.safety === 'safe';
        actions.push(a);
      }
    }
    const fixable = this.analysis.findingsIn(doc.uri).length;
    if (actions.length && fixable > 1) {
      const all = new FixFileAction('Fix all Telltale problems in this file', vscode.CodeActionKind.QuickFix, doc.uri);
      all.diagnostics = ours.map((o) => o.diagnostic);
      actions.push(all);
    }
    for (const { diagnostic, finding } of ours) {
      const ignore = new vscode.CodeAction(`Ignore for this line (telltale-ignore-next-line ${finding.rule})`, vscode.CodeActionKind.QuickFix);
      ignore.diagnostics = [diagnostic];
      const line = doc.lineAt(diagnostic.range.start.line);
      ignore.edit = new vscode.WorkspaceEdit();
      ignore.edit.insert(doc.uri, line.range.start, ignoreComment(line.text, finding.rule, doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'));
      actions.push(ignore);
    }
    for (const rule of [...new Set(ours.map((o) => o.finding.rule))]) {
      const docs = new vscode.CodeAction(`Show documentation for ${rule}`, vscode.CodeActionKind.QuickFix);
      docs.command = { command: 'telltale.openRuleDocumentation', title: 'Show documentation', arguments: [rule] };
      docs.diagnostics = ours.filter((o) => o.finding.rule === rule).map((o) => o.diagnostic);
      actions.push(docs);
    }
    return actions;
  }

  async resolveCodeAction(action: vscode.CodeAction, token: vscode.CancellationToken): Promise<vscode.CodeAction> {
    try {
      if (action instanceof FixAction) action.edit = await resolveFix(this.client, action.finding, action.fix, token);
      else if (action instanceof FixFileAction) {
        const result = await this.client.request('fixAll', { files: [action.uri.fsPath], rules: action.rules }, token);
        action.edit = await changesToEdit(result.changes);
        if (!result.applied.length) void vscode.window.showInformationMessage('Telltale: nothing in this file can be fixed automatically');
      }
    } catch (err) {
      if (err instanceof WorkerCancelled) return action;
      this.log.showError(`could not compute "${action.title}"`, err);
    }
    return action;
  }
}

/** The edits of one fix, checked against the documents they were computed for. */
export async function resolveFix(client: WorkerClient, finding: WireFinding, fix: string, token?: vscode.CancellationToken): Promise<vscode.WorkspaceEdit> {
  const r = await client.request('resolveFix', { finding, fix }, token);
  if ('reason' in r) throw new Error(r.reason);
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.fsPath, d]));
  for (const e of r.edits) {
    const doc = open.get(e.file);
    if (!doc || e.create) continue;
    const version = r.versions[e.file];
    // positioned in the disk text (package.json…) while the editor holds unsaved changes
    if (version === undefined && doc.isDirty) throw new Error(`${vscode.workspace.asRelativePath(e.file)} has unsaved changes; save it and try again`);
    if (version !== undefined && doc.version !== version) throw new Error(`${vscode.workspace.asRelativePath(e.file)} changed while the fix was computed; try again`);
  }
  return wireEditsToEdit(r.edits);
}

export function wireEditsToEdit(edits: WireEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const uri = vscode.Uri.file(e.file);
    // createFile + insert rather than createFile({ contents }): contents do not survive the trip
    // to a remote (code-server) workbench ("Could not revive data transfer file")
    if (e.create) { edit.createFile(uri, { overwrite: false, ignoreIfExists: false }); edit.insert(uri, new vscode.Position(0, 0), e.newText); }
    else edit.replace(uri, new vscode.Range(e.start!.line, e.start!.character, e.end!.line, e.end!.character), e.newText);
  }
  return edit;
}

/**
 * Whole-file results of a fix-all as one WorkspaceEdit: the smallest replacement per file. A file
 * whose text changed since the worker read it is refused (its changes would land in the wrong place).
 */
export async function changesToEdit(changes: FileChange[], opts: { preview?: boolean } = {}): Promise<vscode.WorkspaceEdit> {
  const edit = new vscode.WorkspaceEdit();
  const meta = (label: string): vscode.WorkspaceEditEntryMetadata | undefined => opts.preview ? { label, needsConfirmation: true } : undefined;
  for (const c of changes) {
    const uri = vscode.Uri.file(c.file);
    const label = vscode.workspace.asRelativePath(uri);
    if (c.before === undefined) {
      const m = meta(`create ${label}`);
      if (m) { edit.createFile(uri, {}, m); edit.insert(uri, new vscode.Position(0, 0), c.after, m); }
      else { edit.createFile(uri, {}); edit.insert(uri, new vscode.Position(0, 0), c.after); }
      continue;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.getText() !== c.before) throw new Error(doc.isDirty ? `${label} has unsaved changes; save it and try again` : `${label} changed while the fixes were computed; try again`);
    const change = minimalChange(c.before, c.after);
    if (!change) continue;
    const range = new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end));
    const m = meta(label);
    if (m) edit.replace(uri, range, change.newText, m); else edit.replace(uri, range, change.newText);
  }
  return edit;
}
