// Shared helpers of the integration suite (real `vscode` API, inside the extension host).
'use strict';
const vscode = require('vscode');

const EXT_ID = 'telltale-dev.telltale';

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

/** Polls `fn` until it returns something truthy. */
async function waitFor(fn, what, ms = 30000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = undefined; if (Date.now() > end || /the scan (failed|cancelled)/.test(e.message)) throw e; }
    if (last) return last;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(100);
  }
}

async function api() {
  const ext = vscode.extensions.getExtension(EXT_ID);
  if (!ext) throw new Error(EXT_ID + ' is not installed');
  return ext.isActive ? ext.exports : ext.activate();
}

function root() { return vscode.workspace.workspaceFolders[0].uri; }
function uri(rel) { return vscode.Uri.joinPath(root(), ...rel.split('/')); }

function ours(u) { return vscode.languages.getDiagnostics(u).filter((d) => d.source === 'telltale'); }

/** Our diagnostics as "line:col-line:col code" strings (0-based, as VS Code has them). */
function describe(d) {
  const r = d.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${d.code.value}`;
}

/** Waits until the start-up (or current) scan is done. */
async function scanned(a) {
  await waitFor(() => {
    if (!a.analysis.isScanning && (a.analysis.state === 'failed' || a.analysis.state === 'cancelled')) throw new Error(`the scan ${a.analysis.state} (see the Telltale log)`);
    return a.analysis.state === 'ready' && !a.analysis.isScanning;
  }, 'the scan', 180000);
}

/** The workbench may cancel a provider call when the active editor changes (NOTES.md pitfall 13). */
async function retryCanceled(fn) {
  for (let attempt = 1; ; attempt++) {
    try { return await fn(); } catch (e) {
      if (attempt >= 5 || !/Canceled/.test(String(e && e.message))) throw e;
      await sleep(300);
    }
  }
}

async function codeActions(u, range) {
  await vscode.workspace.openTextDocument(u); // the provider command needs the document loaded
  return retryCanceled(() => vscode.commands.executeCommand('vscode.executeCodeActionProvider', u, range, vscode.CodeActionKind.QuickFix.value, 50));
}

/** Code lenses of a file (the provider command needs the document loaded). */
async function codeLenses(u) {
  await vscode.workspace.openTextDocument(u);
  return retryCanceled(() => vscode.commands.executeCommand('vscode.executeCodeLensProvider', u, 10));
}

async function setSetting(key, value) {
  await vscode.workspace.getConfiguration('telltale').update(key, value, vscode.ConfigurationTarget.Workspace);
}

module.exports = { EXT_ID, sleep, waitFor, api, root, uri, ours, describe, scanned, codeActions, codeLenses, retryCanceled, setSetting };
