/* global describe, it, before, after */
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { api, uri, ours, describe: desc, scanned, waitFor, sleep } = require('./helpers');

describe('diagnostics', () => {
  let a;
  before(async () => { a = await api(); await scanned(a); });

  it('appear for the fixture workspace after the start-up scan, with codes, ranges and severities', async () => {
    const users = uri('src/routes/users.ts');
    const list = await waitFor(() => ours(users).length === 3 && ours(users), 'diagnostics of users.ts');
    assert.deepStrictEqual(list.map(desc).sort(), ['12:4-12:9 swallowed-error', '4:12-4:15 uninstrumented-route', '9:12-9:16 uninstrumented-route']);
    const get = list.find((d) => d.range.start.line === 4);
    assert.strictEqual(get.message, 'Route GET /api/users/:id has no metrics or spans');
    assert.strictEqual(get.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(get.source, 'telltale');
    assert.match(get.code.target.toString(), /docs\/rules\/uninstrumented-route\.md$/);
    // telltale.config.json raises swallowed-error to error
    assert.strictEqual(list.find((d) => d.code.value === 'swallowed-error').severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(ours(uri('src/app.ts')).map(desc), ['7:4-7:7 uninstrumented-route']);
    assert.deepStrictEqual(ours(uri('src/jobs/cleanup.ts')).map(desc), ['2:5-2:13 uninstrumented-job']);
  });

  it('the status bar and summary count what is instrumented', () => {
    assert.deepStrictEqual(a.analysis.summary, { routes: 3, routesInstrumented: 0, jobs: 1, jobsInstrumented: 0 });
    assert.match(a.statusBar.item.text, /Telltale 0\/4 instrumented/);
  });

  describe('as the user types', () => {
    let doc, editor;
    before(async () => {
      doc = await vscode.workspace.openTextDocument(uri('src/app.ts'));
      editor = await vscode.window.showTextDocument(doc);
    });
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitFor(() => ours(doc.uri).length === 1, 'app.ts back to one diagnostic');
    });

    it('re-checks the edited file (debounced) and reports a new route', async () => {
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      await editor.edit((e) => e.insert(end, "\napp.get('/ready', (_req, res) => {\n  res.end();\n});\n"));
      const list = await waitFor(() => ours(doc.uri).length === 2 && ours(doc.uri), 'the new route reported');
      assert.ok(list.some((d) => d.message === 'Route GET /ready has no metrics or spans'));
      assert.ok(doc.isDirty, 'reported before saving');
    });

    it('after quick successive edits shows the findings of the last version only', async () => {
      // several quick edits: what finally shows belongs to the last text
      for (let i = 0; i < 5; i++) {
        const end = doc.lineAt(doc.lineCount - 1).range.end;
        await editor.edit((e) => e.insert(end, `app.get('/r${i}', (_req, res) => res.end());\n`));
        await sleep(60);
      }
      const list = await waitFor(() => ours(doc.uri).length === 7 && ours(doc.uri), 'all routes of the last version', 30000);
      for (const d of list) assert.ok(d.range.end.line < doc.lineCount, 'range inside the current text');
      assert.ok(list.some((d) => /GET \/r4 /.test(d.message)));
    });
  });
});
