/* global describe, it, before, after */
'use strict';
const assert = require('assert');
const { spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { codeLenses, api, uri, ours, scanned, waitFor, setSetting } = require('./helpers');

function which(bin) {
  for (const dir of (process.env.PATH || '').split(path.delimiter).concat(['/usr/bin', '/usr/local/bin'])) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

describe('commands', () => {
  let a, tmp;
  before(async () => {
    a = await api();
    await scanned(a);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'telltale-e2e-'));
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('Generate Prometheus Rules writes recording and alerting rules that promtool accepts', async () => {
    const out = path.join(tmp, 'telltale.rules.yml');
    const r = await vscode.commands.executeCommand('telltale.generatePrometheusRules', out);
    assert.ok(r && r.rules >= 5, JSON.stringify(r));
    const yaml = fs.readFileSync(out, 'utf8');
    assert.match(yaml, /record: route:http_requests:rate5m/);
    assert.match(yaml, /alert: JobFailed/);
    const promtool = which('promtool');
    if (promtool) {
      const check = spawnSync(promtool, ['check', 'rules', out], { encoding: 'utf8' });
      assert.strictEqual(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /SUCCESS: \d+ rules found/);
    }
  });

  it('Export SARIF writes one result per finding', async () => {
    const out = path.join(tmp, 'telltale.sarif');
    const r = await vscode.commands.executeCommand('telltale.exportSarif', out);
    assert.ok(r, 'command returned');
    const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.strictEqual(sarif.version, '2.1.0');
    const ruleIds = sarif.runs[0].results.map((x) => x.ruleId).sort();
    assert.ok(ruleIds.includes('uninstrumented-job'), ruleIds.join(', '));
    assert.strictEqual(r.results, sarif.runs[0].results.length);
    // the same findings as the editor shows: big/ is excluded by the settings here, too
    const shown = vscode.languages.getDiagnostics().reduce((n, [, ds]) => n + ds.filter((d) => d.source === 'telltale').length, 0);
    assert.strictEqual(r.results, shown);
  });

  it('Run Drift Report compares a reference and a current file', async () => {
    const ref = path.join(tmp, 'ref.csv'), cur = path.join(tmp, 'cur.csv');
    const rows = (f) => ['amount,country', ...Array.from({ length: 200 }, (_, i) => `${f(i)},${['de', 'fr', 'us'][i % 3]}`)].join('\n') + '\n';
    fs.writeFileSync(ref, rows((i) => (i % 50) + 10));
    fs.writeFileSync(cur, rows((i) => (i % 50) + 400));
    const out = path.join(tmp, 'drift.txt');
    const r = await vscode.commands.executeCommand('telltale.runDriftReport', { reference: ref, current: cur, out });
    assert.ok(r, 'command returned');
    assert.strictEqual(r.drift, true);
    assert.match(fs.readFileSync(out, 'utf8'), /amount/);
  });

  it('Open Rule Documentation resolves a rule to its docs page', async () => {
    const url = await vscode.commands.executeCommand('telltale.openRuleDocumentation', 'uninstrumented-job');
    assert.match(url, /docs\/rules\/uninstrumented-job\.md$/);
  });

  it('Show Log opens the Telltale log channel', async () => {
    await vscode.commands.executeCommand('telltale.showLog');
  });

  describe('runtime', () => {
    let server, scrapes = 0;
    before(async () => {
      // a stand-in for the user's app: /metrics with RED series for GET /api/users/:id, growing per scrape
      server = http.createServer((req, res) => {
        scrapes++;
        const n = scrapes * 50, errors = scrapes;
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end([
          '# TYPE http_requests_total counter',
          `http_requests_total{method="GET",route="/api/users/:id",status_code="200"} ${n}`,
          `http_requests_total{method="GET",route="/api/users/:id",status_code="500"} ${errors}`,
          '# TYPE http_request_duration_seconds histogram',
          `http_request_duration_seconds_bucket{method="GET",route="/api/users/:id",status_code="200",le="0.05"} ${n * 0.5}`,
          `http_request_duration_seconds_bucket{method="GET",route="/api/users/:id",status_code="200",le="0.1"} ${n * 0.96}`,
          `http_request_duration_seconds_bucket{method="GET",route="/api/users/:id",status_code="200",le="+Inf"} ${n}`,
          `http_request_duration_seconds_sum{method="GET",route="/api/users/:id",status_code="200"} ${n * 0.05}`,
          `http_request_duration_seconds_count{method="GET",route="/api/users/:id",status_code="200"} ${n}`,
          '',
        ].join('\n'));
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      await setSetting('runtime.targets', [{ url: `http://127.0.0.1:${server.address().port}/metrics`, name: 'shop-api' }]);
    });
    after(async () => {
      await vscode.commands.executeCommand('telltale.stopRuntime');
      await setSetting('runtime.targets', undefined);
      await new Promise((r) => server.close(r));
    });

    it('Start Runtime starts the local runtime and the status bar says so', async () => {
      const status = await vscode.commands.executeCommand('telltale.startRuntime');
      assert.strictEqual(status.state, 'running', JSON.stringify(status));
      assert.match(status.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await a.runtime.get('/api/health');
      assert.strictEqual(health.ok, true);
      assert.match(a.statusBar.item.text, /live/);
    });

    it('code lenses show the live numbers of a route', async () => {
      const users = uri('src/routes/users.ts');
      const lens = await waitFor(async () => {
        const lenses = await codeLenses(users);
        return lenses.find((l) => l.command && /req\/s/.test(l.command.title));
      }, 'a live code lens', 60000);
      assert.match(lens.command.title, /^GET \/api\/users\/:id · [\d.]+ req\/s · [\d.]+% errors · p95 \d+ ms$/);
      const doc = await vscode.workspace.openTextDocument(users);
      assert.match(doc.lineAt(lens.range.start.line).text, /usersRouter\.get\('\/:id'/);
      assert.strictEqual(lens.command.command, 'telltale.openDashboard');
    });

    it('Stop Runtime stops it', async () => {
      const status = await vscode.commands.executeCommand('telltale.stopRuntime');
      assert.strictEqual(status.state, 'stopped');
      await assert.rejects(a.runtime.get('/api/health'));
    });
  });

  describe('fixing from commands', () => {
    const orders = uri('src/routes/orders.ts');
    before(async () => {
      // a new file on disk, as git or another tool would create it: the watcher picks it up
      await vscode.workspace.fs.writeFile(orders, Buffer.from([
        "import { Router } from 'express';",
        '',
        'export const ordersRouter = Router();',
        '',
        "ordersRouter.get('/orders', async (_req, res) => {",
        '  res.json([]);',
        '});',
        '',
        "ordersRouter.delete('/orders/:id', async (_req, res) => {",
        '  res.status(204).end();',
        '});',
        '',
      ].join('\n')));
      await waitFor(() => ours(orders).length === 2, 'the new file analysed');
    });

    it('the code lens "Instrument" command instruments that one route', async () => {
      const lenses = await codeLenses(orders);
      const lens = lenses.find((l) => l.command && l.command.command === 'telltale.instrument' && l.range.start.line === 4);
      assert.ok(lens, 'lens above GET /orders');
      assert.strictEqual(await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments), true);
      await (await vscode.workspace.openTextDocument(orders)).save();
      await waitFor(() => ours(orders).length === 1, 'GET /orders instrumented');
      const text = await waitFor(() => { const t = fs.readFileSync(orders.fsPath, 'utf8'); return /startTimer/.test(t) && t; }, 'orders.ts saved');
      assert.match(text, /ordersRouter\.get\('\/orders', async \(_req, res\) => \{\n\s+const \w+ = \w+\.startTimer/);
      assert.doesNotMatch(text, /ordersRouter\.delete\('\/orders\/:id', async \(_req, res\) => \{\n\s+const \w+ = \w+\.startTimer/, 'only that route');
    });

    it('Fix All in Workspace (no preview) fixes every fixable finding at once', async () => {
      assert.deepStrictEqual(ours(orders).map((d) => d.message), ['Route DELETE /orders/:id has no metrics or spans']);
      const r = await vscode.commands.executeCommand('telltale.fixAllInWorkspace', { preview: false });
      assert.ok(r.applied >= 1 && r.files >= 1, JSON.stringify(r));
      await vscode.workspace.saveAll(false);
      await waitFor(() => !vscode.languages.getDiagnostics().some(([, ds]) => ds.some((d) => d.source === 'telltale' && d.code.value === 'uninstrumented-route')), 'no uninstrumented route left');
      await waitFor(() => a.analysis.state === 'ready' && !a.analysis.isScanning && a.analysis.summary.routesInstrumented === a.analysis.summary.routes, 'summary updated');
      const s = a.analysis.summary;
      assert.ok(a.statusBar.item.text.includes(`Telltale ${s.routesInstrumented + s.jobsInstrumented}/${s.routes + s.jobs} instrumented`), a.statusBar.item.text);
    });
  });
});
