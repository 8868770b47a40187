/* global describe, it, before, afterEach */
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { codeLenses, api, uri, ours, scanned, waitFor, sleep, setSetting } = require('./helpers');

describe('settings change behaviour', () => {
  let a;
  before(async () => { a = await api(); await scanned(a); });
  afterEach(async () => {
    for (const key of ['rules', 'diagnostics.run', 'codeLens.enabled']) await setSetting(key, undefined);
  });

  const probe = uri('src/settings-probe.ts');
  before(async () => {
    // a file with known findings, whatever the earlier suites fixed
    await vscode.workspace.fs.writeFile(probe, Buffer.from([
      "import { Router } from 'express';",
      '',
      'export const probeRouter = Router();',
      "probeRouter.get('/probe', (_req, res) => {",
      '  res.end();',
      '});',
      '',
      'export async function sync(push: () => Promise<void>): Promise<void> {',
      '  try {',
      '    await push();',
      '  } catch {}',
      '}',
      '',
    ].join('\n')));
    await waitFor(() => ours(probe).length === 2, 'the probe file analysed (a route and a swallowed error)');
  });

  it('telltale.rules turns a rule off, and sets its severity', async () => {
    await setSetting('rules', { 'uninstrumented-route': 'off' });
    await waitFor(() => !ours(probe).some((d) => d.code.value === 'uninstrumented-route'), 'rule switched off');
    await setSetting('rules', { 'uninstrumented-route': 'error' });
    const d = await waitFor(() => ours(probe).find((x) => x.code.value === 'uninstrumented-route'), 'rule back on');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error, 'severity from the setting');
  });

  it('telltale.config.json wins over the settings for a rule it sets', async () => {
    assert.strictEqual(ours(probe).find((x) => x.code.value === 'swallowed-error').severity, vscode.DiagnosticSeverity.Error, 'the file says error');
    // uninstrumented-route (not in the file) going off shows the settings were applied
    await setSetting('rules', { 'swallowed-error': 'info', 'uninstrumented-route': 'off' });
    await waitFor(() => !ours(probe).some((x) => x.code.value === 'uninstrumented-route'), 'settings applied');
    assert.strictEqual(ours(probe).find((x) => x.code.value === 'swallowed-error').severity, vscode.DiagnosticSeverity.Error, 'the file still wins');
  });

  it('telltale.diagnostics.run = onSave re-checks on save only', async () => {
    await setSetting('diagnostics.run', 'onSave');
    await waitFor(() => a.analysis.settings.run === 'onSave', 'the setting seen by the extension');
    const app = uri('src/app.ts');
    const doc = await vscode.workspace.openTextDocument(app);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(doc.lineAt(doc.lineCount - 1).range.end, "\nconst admin = express();\nadmin.get('/admin/stats', (_req, res) => {\n  res.json({});\n});\nadmin.listen(3001);\n"));
    await sleep(2000);
    assert.ok(!ours(app).some((d) => /admin\/stats/.test(d.message)), 'no re-check while typing');
    await doc.save();
    await waitFor(() => ours(app).some((d) => d.message === 'Route GET /admin/stats has no metrics or spans'), 're-checked on save');
  });

  it('telltale.codeLens.enabled = false hides the code lenses', async () => {
    const app = uri('src/app.ts');
    const count = async () => (await codeLenses(app)).filter((l) => l.command && /^telltale\./.test(l.command.command)).length;
    await waitFor(async () => (await count()) > 0, 'a lens above the admin route');
    await setSetting('codeLens.enabled', false);
    await waitFor(async () => (await count()) === 0, 'lenses hidden');
  });
});
