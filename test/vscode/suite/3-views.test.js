/* global describe, it, before, after */
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { codeLenses, api, uri, scanned, waitFor } = require('./helpers');

async function labels(tree, node) {
  const kids = await tree.getChildren(node);
  return kids.map((k) => {
    const item = tree.getTreeItem(k);
    return item.description ? `${item.label} [${item.description}]` : String(item.label);
  });
}

describe('views', () => {
  let a;
  before(async () => { a = await api(); await scanned(a); });

  describe('inventory tree', () => {
    after(() => a.tree.setFilter(false));

    it('lists routes by framework and jobs by kind with counts', async () => {
      const top = await a.tree.getChildren();
      assert.deepStrictEqual(await labels(a.tree), ['Routes [0/3 instrumented]', 'Jobs [0/1 instrumented]']);
      assert.deepStrictEqual(await labels(a.tree, top[0]), ['Express [0/3]']);
      const [express] = await a.tree.getChildren(top[0]);
      assert.deepStrictEqual(await labels(a.tree, express), [
        'GET /health [src/app.ts:8]',
        'GET /api/users/:id [src/routes/users.ts:5]',
        'POST /api/users [src/routes/users.ts:10]',
      ]);
      const [cron] = await a.tree.getChildren(top[1]);
      assert.deepStrictEqual(await labels(a.tree, cron), ['purgeExpiredSessions [0 3 * * * · src/jobs/cleanup.ts:3]']);
    });

    it('items show coverage and reveal their code on click', async () => {
      const [routes] = await a.tree.getChildren();
      const [express] = await a.tree.getChildren(routes);
      const [, getUser] = await a.tree.getChildren(express);
      const item = a.tree.getTreeItem(getUser);
      assert.strictEqual(item.iconPath.id, 'circle-large-outline');
      assert.strictEqual(item.contextValue, 'telltale.route.uninstrumented');
      await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
      const editor = await waitFor(() => vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.fsPath === uri('src/routes/users.ts').fsPath && vscode.window.activeTextEditor, 'users.ts revealed');
      assert.deepStrictEqual([editor.selection.active.line, editor.selection.active.character], [4, 12]);
    });

    it('filters to what is not instrumented', async () => {
      await vscode.commands.executeCommand('telltale.inventory.showUninstrumentedOnly');
      assert.strictEqual(a.tree.uninstrumentedOnly, true);
      const [routes] = await a.tree.getChildren();
      const [express] = await a.tree.getChildren(routes);
      assert.strictEqual((await a.tree.getChildren(express)).length, 3);
      await vscode.commands.executeCommand('telltale.inventory.showAll');
      assert.strictEqual(a.tree.uninstrumentedOnly, false);
    });

    it('Show Inventory reveals the view in the Telltale container', async () => {
      await vscode.commands.executeCommand('telltale.showInventory');
      await waitFor(() => a.treeView.visible, 'inventory view visible');
    });
  });

  describe('code lenses', () => {
    it('"not instrumented · Instrument" above each uninstrumented route and job', async () => {
      const lenses = await codeLenses(uri('src/routes/users.ts'));
      const ours = lenses.filter((l) => l.command && l.command.command === 'telltale.instrument');
      assert.deepStrictEqual(ours.map((l) => [l.range.start.line, l.command.title]), [[4, 'not instrumented · Instrument'], [9, 'not instrumented · Instrument']]);
      const job = await codeLenses(uri('src/jobs/cleanup.ts'));
      assert.deepStrictEqual(job.filter((l) => l.command && l.command.command === 'telltale.instrument').map((l) => l.range.start.line), [2]);
    });
  });

  describe('dashboard', () => {
    it('the side bar view resolves with a strict CSP and the bundled app', async () => {
      assert.strictEqual(await vscode.commands.executeCommand('telltale.showDashboardView'), true);
      const view = await waitFor(() => a.dashboard.view, 'dashboard view resolved');
      const html = view.webview.html;
      assert.match(html, /default-src 'none'/);
      assert.match(html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
      assert.match(html, /dist\/webview\/main\.js/);
      // the page loads and greets the host with `ready`
      await waitFor(() => a.dashboard.received.some((m) => m.type === 'ready'), 'the webview says ready', 60000);
    });

    it('Open Dashboard opens the same page as an editor panel; from a code lens with the route or job selected', async () => {
      const readyBefore = a.dashboard.received.filter((m) => m.type === 'ready').length;
      assert.strictEqual(await vscode.commands.executeCommand('telltale.openDashboard', { route: 'GET /api/users/:id' }), true);
      const panel = a.dashboard.panel;
      assert.strictEqual(panel.viewType, 'telltale.dashboardPanel');
      assert.match(panel.webview.html, /default-src 'none'/);
      assert.match(panel.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
      await waitFor(() => a.dashboard.received.filter((m) => m.type === 'ready').length > readyBefore, 'the panel says ready', 60000);
      // the page applied the selection and said so
      const shown = (kind, key) => a.dashboard.received.some((m) => m.type === 'shown' && m.target.view === kind && (m.target.route ?? m.target.job) === key);
      await waitFor(() => shown('routes', 'GET /api/users/:id'), 'the panel shows GET /api/users/:id', 30000);
      // a second lens reuses the panel
      assert.strictEqual(await vscode.commands.executeCommand('telltale.openDashboard', { job: 'purgeExpiredSessions' }), true);
      assert.strictEqual(a.dashboard.panel, panel, 'one panel');
      await waitFor(() => shown('jobs', 'purgeExpiredSessions'), 'the panel shows the job', 30000);
      panel.dispose();
      assert.strictEqual(a.dashboard.panel, undefined);
    });
  });

  describe('status bar', () => {
    it('shows the coverage and opens the inventory', () => {
      assert.match(a.statusBar.item.text, /Telltale \d+\/\d+ instrumented/);
      assert.strictEqual(a.statusBar.item.command, 'telltale.showInventory');
    });
  });
});
