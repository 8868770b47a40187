import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WireFinding, WorkerEvent } from '../../src/protocol/worker';
import { mergeConfig, positionAt, WorkerService } from '../../src/worker/service';

const FIXTURE = path.resolve(__dirname, '../vscode/workspace');

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'telltale-worker-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const events: WorkerEvent[] = [];
  const service = new WorkerService((e) => events.push(e));
  const findings = () => {
    const byFile = new Map<string, WireFinding[]>();
    for (const e of events) if (e.type === 'findings') for (const [f, list] of Object.entries(e.files)) byFile.set(f, list);
    return byFile;
  };
  return { root, events, service, findings, abs: (rel: string) => path.join(root, ...rel.split('/')) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('analysis worker service', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => { ctx = setup(); });
  afterEach(() => fs.rmSync(ctx.root, { recursive: true, force: true }));

  it('mergeConfig: the file wins key by key, rules rule by rule', () => {
    const merged = mergeConfig(
      { exclude: ['a/**'], rules: { 'pii-in-log': 'off', 'swallowed-error': 'info' }, fixes: { observabilityModule: 'lib/obs.ts' } },
      { rules: { 'swallowed-error': 'error' }, runtime: { port: 9 } },
    );
    assert.deepEqual(merged, { exclude: ['a/**'], rules: { 'pii-in-log': 'off', 'swallowed-error': 'error' }, fixes: { observabilityModule: 'lib/obs.ts' }, runtime: { port: 9 } });
  });

  it('scan publishes every file, with docs links and the summary', async () => {
    const r = await ctx.service.handle('scan', { root: ctx.root, settings: {}, filesExclude: [], overlays: [] });
    assert.equal(r.files, 3);
    assert.deepEqual(r.summary, { routes: 3, routesInstrumented: 0, jobs: 1, jobsInstrumented: 0 });
    const users = ctx.findings().get(ctx.abs('src/routes/users.ts'))!;
    assert.deepEqual(users.map((f) => `${f.line}:${f.column} ${f.rule} ${f.severity}`), ['5:13 uninstrumented-route warning', '10:13 uninstrumented-route warning', '13:5 swallowed-error error']);
    assert.match(users[0].docs, /docs\/rules\/uninstrumented-route\.md$/);
    assert.ok(ctx.events.some((e) => e.type === 'progress' && e.phase === 'reading'));
  });

  it('settings apply, and invalid settings are reported naming the key', async () => {
    const r = await ctx.service.handle('scan', { root: ctx.root, settings: { rules: { 'uninstrumented-job': 'off' } }, filesExclude: [], overlays: [] });
    assert.equal(ctx.findings().get(ctx.abs('src/jobs/cleanup.ts'))!.length, 0);
    assert.equal(r.configError, undefined);
    const bad = await ctx.service.handle('configure', { settings: { rules: { 'uninstrumented-job': 'loud' as never } } });
    assert.match(bad.configError!, /settings \(telltale\.\*\): rules\.uninstrumented-job/);
  });

  it('files.exclude globs and settings excludes keep files out of the scan', async () => {
    const r = await ctx.service.handle('scan', { root: ctx.root, settings: { exclude: ['src/jobs/**'] }, filesExclude: ['**/routes'], overlays: [] });
    assert.equal(r.files, 1);
  });

  it('an edit re-checks that file at once with its version, then what depends on it', async () => {
    await ctx.service.handle('scan', { root: ctx.root, settings: {}, filesExclude: [], overlays: [] });
    ctx.events.length = 0;
    const app = ctx.abs('src/app.ts');
    const text = fs.readFileSync(app, 'utf8') + "app.get('/ready', (_req, res) => { res.end(); });\n";
    const r = await ctx.service.handle('update', { file: app, text, version: 7 });
    assert.equal(r.findings, 2);
    const first = ctx.events.find((e): e is Extract<WorkerEvent, { type: 'findings' }> => e.type === 'findings')!;
    assert.deepEqual(Object.keys(first.files), [app]);
    assert.equal(first.versions[app], 7);
    assert.equal(first.summary.routes, 4);
    await tick();
    // instrumenting the app in app.ts covers the routes of users.ts (another file) through middleware
    ctx.events.length = 0;
    const mw = text.replace("app.use(express.json());", "app.use(express.json());\nimport promBundle from 'express-prom-bundle';\napp.use(promBundle({ includeMethod: true }));");
    await ctx.service.handle('update', { file: app, text: mw, version: 8 });
    await tick();
    const users = ctx.findings().get(ctx.abs('src/routes/users.ts'));
    assert.ok(users, 'users.ts republished by the full pass');
    assert.deepEqual(users!.map((f) => f.rule), ['swallowed-error']);
  });

  it('offers only applicable fixes; the app-wide one only when several routes of the app are uninstrumented', async () => {
    await ctx.service.handle('scan', { root: ctx.root, settings: {}, filesExclude: [], overlays: [] });
    const users = ctx.findings().get(ctx.abs('src/routes/users.ts'))!;
    const offers = await ctx.service.handle('offers', { findings: users });
    const [get, , swallowed] = offers;
    const ids = get.offers.map((o) => o.fix);
    assert.ok(ids.includes('add-app-metrics') && ids.includes('add-route-metrics'), ids.join());
    assert.equal(ids[0], 'add-app-metrics', 'the app-wide fix first');
    assert.equal(get.offers.find((o) => o.fix === 'add-app-metrics')!.appWide, true);
    assert.ok(swallowed.offers.every((o) => o.fix !== 'add-route-metrics'));
    const stale = await ctx.service.handle('offers', { findings: [{ ...users[0], line: 99 }] });
    assert.deepEqual(stale[0].offers, [], 'a stale finding gets no offers');
  });

  it('resolveFix returns positioned edits, the new module and package.json', async () => {
    await ctx.service.handle('scan', { root: ctx.root, settings: {}, filesExclude: [], overlays: [] });
    const users = ctx.findings().get(ctx.abs('src/routes/users.ts'))!;
    const r = await ctx.service.handle('resolveFix', { finding: users[0], fix: 'add-route-metrics' });
    assert.ok('edits' in r, JSON.stringify(r));
    const files = new Set(r.edits.map((e) => path.relative(ctx.root, e.file)));
    assert.ok(files.has(path.join('src', 'routes', 'users.ts')) && files.has('package.json') && files.has(path.join('src', 'observability.ts')), [...files].join());
    assert.ok(r.edits.find((e) => e.file.endsWith('observability.ts'))!.create);
    const inUsers = r.edits.filter((e) => e.file.endsWith('users.ts'));
    assert.ok(inUsers.every((e) => e.start && e.end && e.start.line >= 0));
    assert.equal(r.title, 'Add request metrics to GET /api/users/:id');
    const gone = await ctx.service.handle('resolveFix', { finding: { ...users[0], message: 'changed' }, fix: 'add-route-metrics' });
    assert.ok('reason' in gone);
  });

  it('fixAll is a dry run: the changes come back and the analysis is as before', async () => {
    await ctx.service.handle('scan', { root: ctx.root, settings: {}, filesExclude: [], overlays: [] });
    const users = ctx.abs('src/routes/users.ts'), app = ctx.abs('src/app.ts');
    const before = fs.readFileSync(app, 'utf8');
    const r = await ctx.service.handle('fixAll', { files: [users], rules: ['uninstrumented-route'] });
    // the app has three uninstrumented routes: one middleware in app.ts instruments them all
    assert.deepEqual(r.applied.map((a) => a.fix), ['add-app-metrics']);
    assert.deepEqual(r.changes.map((c) => [path.relative(ctx.root, c.file), c.before === undefined]), [[path.join('src', 'app.ts'), false], [path.join('src', 'observability.ts'), true], ['package.json', false]]);
    assert.ok(r.changes.some((c) => c.file === app && c.before === before && /app\.use\(\(req, res, next\)/.test(c.after)));
    assert.equal(fs.readFileSync(app, 'utf8'), before, 'nothing written');
    assert.ok(!fs.existsSync(ctx.abs('src/observability.ts')));
    const inv = await ctx.service.handle('inventory', {});
    assert.equal(inv.routes.filter((x) => x.coverage === 'none').length, 3, 'the analyzer is back to the editor texts');
    assert.ok(!inv.metrics.length);
  });

  it('runs as dist/worker.js in a real worker thread', async function () {
    const script = path.resolve(__dirname, '../../dist/worker.js');
    if (!fs.existsSync(script)) this.skip();
    const w = new Worker(script);
    try {
      const answer = await new Promise<WorkerEvent>((resolve, reject) => {
        w.on('message', (e: WorkerEvent) => { if (e.type === 'response') resolve(e); });
        w.on('error', reject);
        w.postMessage({ id: 1, method: 'scan', params: { root: ctx.root, settings: {}, filesExclude: [], overlays: [] } });
      });
      assert.ok(answer.type === 'response' && answer.ok, JSON.stringify(answer));
      assert.equal((answer as { result: { files: number } }).result.files, 3);
    } finally {
      await w.terminate();
    }
  });

  it('positionAt counts lines and UTF-16 characters', () => {
    assert.deepEqual(positionAt('ab\ncd\n', 4), { line: 1, character: 1 });
    assert.deepEqual(positionAt('ab', 0), { line: 0, character: 0 });
  });
});
