/* global describe, it, before */
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { api, uri, ours, scanned, waitFor, codeActions } = require('./helpers');

const GOLDEN = path.join(__dirname, '..', 'golden');

/** Compares with test/vscode/golden/<name>; TELLTALE_E2E_UPDATE_GOLDENS=1 rewrites it. */
function golden(name, actual) {
  const file = path.join(GOLDEN, name);
  if (process.env.TELLTALE_E2E_UPDATE_GOLDENS === '1') {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `missing golden ${name} (run with UPDATE_GOLDENS=1 and review it)`);
  assert.strictEqual(actual, fs.readFileSync(file, 'utf8'), `differs from golden ${name}`);
}

describe('code actions', () => {
  let a;
  const users = uri('src/routes/users.ts');
  before(async () => {
    a = await api();
    await scanned(a);
    await waitFor(() => ours(users).length === 3, 'users.ts diagnostics');
  });

  it('offers every applicable fix, the app-wide fix, fix-all, ignore and documentation', async () => {
    const diag = ours(users).find((d) => d.range.start.line === 4);
    // The first request right after the document opens can come back empty while the worker
    // re-analyses the opened version (the light bulb appears a moment later): wait, bounded.
    const actions = await waitFor(async () => {
      const got = await codeActions(users, diag.range);
      return got.length ? got : undefined;
    }, 'code actions for GET /api/users/:id', 15000);
    const titles = actions.map((x) => x.title);
    for (const t of [
      'Add request metrics to GET /api/users/:id',
      'Instrument all routes of this app',
      'Fix all Telltale problems in this file',
      'Ignore for this line (telltale-ignore-next-line uninstrumented-route)',
      'Show documentation for uninstrumented-route',
    ]) assert.ok(titles.includes(t), `missing "${t}" in: ${titles.join(' | ')}`);
    for (const x of actions.filter((x) => x.title !== 'Show documentation for uninstrumented-route')) {
      assert.strictEqual(x.kind.value, 'quickfix', x.title);
    }
  });

  it('the route fix, applied as one WorkspaceEdit, instruments the route, creates the observability module and adds prom-client', async () => {
    const diag = ours(users).find((d) => d.range.start.line === 4);
    const actions = await codeActions(users, diag.range);
    const fix = actions.find((x) => x.title === 'Add request metrics to GET /api/users/:id');
    assert.ok(fix.edit, 'resolved lazily into an edit');
    const touched = fix.edit.entries().map(([u]) => vscode.workspace.asRelativePath(u)).sort();
    assert.ok(touched.includes('src/routes/users.ts'), touched.join(', '));
    // as the light bulb applies it: a refactoring, background files saved (files.refactoring.autoSave)
    assert.ok(await vscode.workspace.applyEdit(fix.edit, { isRefactoring: true }));
    await vscode.workspace.saveAll(false);
    const text = fs.readFileSync(users.fsPath, 'utf8');
    golden('users.add-route-metrics.ts.txt', text);
    const obs = uri('src/observability.ts');
    assert.ok(fs.existsSync(obs.fsPath), 'src/observability.ts created');
    golden('observability.add-route-metrics.ts.txt', fs.readFileSync(obs.fsPath, 'utf8'));
    // package.json was edited in the background (saved by files.refactoring.autoSave or saveAll)
    await waitFor(() => JSON.parse(fs.readFileSync(uri('package.json').fsPath, 'utf8')).dependencies['prom-client'], 'prom-client added to package.json');
    const left = await waitFor(() => ours(users).length === 2 && ours(users), 'the fixed route no longer reported');
    assert.ok(!left.some((d) => /GET \/api\/users\/:id/.test(d.message)));
  });

  it('"Ignore for this line" inserts the suppression comment and the problem goes away', async () => {
    const doc = await vscode.workspace.openTextDocument(users);
    // the diagnostics of the current text (the fix above moved the lines)
    const diag = await waitFor(() => ours(users).find((d) => d.code.value === 'swallowed-error' && /catch/.test(doc.lineAt(d.range.start.line).text)), 'swallowed-error');
    const actions = await codeActions(users, diag.range);
    const ignore = actions.find((x) => x.title === 'Ignore for this line (telltale-ignore-next-line swallowed-error)');
    assert.ok(ignore && ignore.edit);
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    const line = doc.lineAt(diag.range.start.line).text;
    assert.match(line, /^\s+\/\/ telltale-ignore-next-line swallowed-error$/);
    assert.strictEqual(/^\s*/.exec(line)[0], /^\s*/.exec(doc.lineAt(diag.range.start.line + 1).text)[0], 'indented like the line below');
    await waitFor(() => !ours(users).some((d) => d.code.value === 'swallowed-error'), 'swallowed-error suppressed');
    await doc.save();
  });

  it('"Fix all Telltale problems in this file" fixes what can be fixed in the file', async () => {
    const app = uri('src/app.ts');
    const doc = await vscode.workspace.openTextDocument(app);
    await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const editor = vscode.window.activeTextEditor;
    await editor.edit((e) => e.insert(end, "\napp.get('/ready', (_req, res) => {\n  res.end();\n});\n"));
    const diag = await waitFor(() => ours(app).length === 2 && ours(app)[0], 'two routes in app.ts');
    const actions = await codeActions(app, diag.range);
    const all = actions.find((x) => x.title === 'Fix all Telltale problems in this file');
    assert.ok(all && all.edit, 'fix-all resolved: ' + actions.map((x) => x.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(all.edit, { isRefactoring: true }));
    await doc.save();
    await waitFor(() => ours(app).length === 0, 'app.ts has no problems left');
  });

  it('the ignore comment and the fixes are recognised by a rescan from disk', async () => {
    const r = await vscode.commands.executeCommand('telltale.scanWorkspace');
    assert.ok(r && r.files >= 4, JSON.stringify(r));
    assert.deepStrictEqual(ours(uri('src/app.ts')).map((d) => d.code.value), []);
    assert.ok(!ours(users).some((d) => d.code.value === 'swallowed-error'));
  });
});
