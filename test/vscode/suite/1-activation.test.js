/* global describe, it, before */
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { EXT_ID, api } = require('./helpers');

describe('activation', () => {
  let a;
  before(async () => { a = await api(); });

  it('activates from the workspace and returns its API', () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.strictEqual(ext.isActive, true);
    assert.ok(a.analysis && a.client && a.runtime && a.tree, 'API parts exported');
    // measured, reported by the harness, deliberately not asserted (timing is no test)
    assert.strictEqual(typeof a.activationMs, 'number');
    console.log(`[telltale-e2e] activate() took ${a.activationMs.toFixed(1)} ms`);
  });

  it('registers every command of the manifest', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    const declared = ext.packageJSON.contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, []);
    assert.ok(declared.length >= 14);
  });

  it('runs the analysis in a worker thread, not on the extension host thread', async () => {
    const a2 = await api();
    const ping = await a2.client.request('ping', {});
    assert.strictEqual(ping.pid, process.pid, 'a worker thread shares the process');
    const { threadId } = require('worker_threads');
    assert.strictEqual(threadId, 0, 'the suite runs on the extension host main thread');
    assert.strictEqual(a2.client.running, true);
  });
});
