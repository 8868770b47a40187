/**
 * Proof on a real job process: copy the node-cron worker fixture (no HTTP app), run `telltale fix`,
 * type-check it with the real node-cron, prom-client, pino and OpenTelemetry types, run it with a
 * real OpenTelemetry SDK preloaded, and check its metrics endpoint (the metrics-server module the fix adds):
 * successful and failing runs in job_runs_total{status}, job_duration_seconds, rows_processed_total
 * from the returned array, promtool-valid exposition, one JSON log line per run carrying trace_id.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { startProcess, type Started } from '../helpers/processes';
import { TSC, copyFixApp } from '../helpers/fix-apps';

const ROOT = path.resolve(__dirname, '../..');
const PRELOAD = path.join(ROOT, 'test/fixtures/fix-apps/shared/otel-preload.ts');

function sample(exposition: string, metric: string, labels: string): number | undefined {
  for (const line of exposition.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m && m[1] === metric && m[2] === labels) return Number(m[3]);
  }
  return undefined;
}

describe('telltale fix on a real node-cron worker', function () {
  this.timeout(60_000);
  let dir: string;
  let worker: Started | undefined;
  let metrics = '';

  before(async () => {
    dir = copyFixApp('jobs');
    const fixed = await runCli(['fix', dir]);
    assert.equal(fixed.code === 0 || fixed.code === 1, true, fixed.stdout + fixed.stderr);
    assert.match(fixed.stdout, /add-job-instrumentation: Instrument job sync-orders/);
    assert.match(fixed.stdout, /add-job-instrumentation: Instrument job pruneCache/);
  });

  after(async () => {
    await worker?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('wraps the inline handler in runJob and the referenced one in instrumentJob, and imports the metrics server once', () => {
    const src = fs.readFileSync(path.join(dir, 'src/worker.ts'), 'utf8');
    assert.match(src, /return runJob\('sync-orders', async \(\) => \{/);
    assert.match(src, /\}, \{ countRows: true \}\);/);
    assert.match(src, /cron\.schedule\('\* \* \* \* \* \*', instrumentJob\('pruneCache', pruneCache\)\);/);
    assert.equal(src.match(/^import '\.\/metrics-server';$/gm)?.length, 1, src);
    assert.match(fs.readFileSync(path.join(dir, 'src/metrics-server.ts'), 'utf8'), /^startMetricsServer\(\);$/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of ['prom-client', 'pino', '@opentelemetry/api']) assert.ok(pkg.dependencies[dep], dep);
    assert.ok(!('node:http' in pkg.dependencies));
  });

  it('type-checks with the real types (tsc --noEmit)', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('serves job_runs_total by status, job_duration_seconds and rows_processed_total on its metrics port', async () => {
    worker = await startProcess(process.execPath, ['--import', 'tsx', '--import', PRELOAD, path.join(dir, 'src/worker.ts')], {
      cwd: dir, env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' }, ready: /"port":(\d+),"msg":"metrics server listening"/,
    });
    const base = `http://127.0.0.1:${worker.match[1]}`;
    // the sync job runs every second and fails every second run: wait (bounded) for both outcomes
    for (let i = 0; i < 40; i++) {
      metrics = await fetch(base + '/metrics', { signal: AbortSignal.timeout(5000) }).then((r) => r.text());
      if ((sample(metrics, 'job_runs_total', 'job="sync-orders",status="error"') ?? 0) >= 1 && (sample(metrics, 'job_runs_total', 'job="sync-orders",status="ok"') ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const ok = sample(metrics, 'job_runs_total', 'job="sync-orders",status="ok"');
    const failed = sample(metrics, 'job_runs_total', 'job="sync-orders",status="error"');
    assert.ok(ok !== undefined && ok >= 1, metrics);
    assert.ok(failed !== undefined && failed >= 1, metrics);
    const count = sample(metrics, 'job_duration_seconds_count', 'job="sync-orders"');
    assert.ok(count !== undefined && count >= ok + failed, 'every run is timed');
    assert.ok((sample(metrics, 'job_runs_total', 'job="pruneCache",status="ok"') ?? 0) >= 1);
    assert.equal(sample(metrics, 'job_runs_total', 'job="pruneCache",status="error"'), undefined);
    // two of the three orders have a total: every successful run adds 2 rows
    const rows = sample(metrics, 'rows_processed_total', 'job="sync-orders"');
    assert.ok(rows !== undefined && rows % 2 === 0 && rows >= 2, `rows_processed_total ${rows}`);
    assert.match(metrics, /^process_cpu_user_seconds_total /m, 'default process metrics');
    const notFound = await fetch(base + '/other', { signal: AbortSignal.timeout(5000) });
    assert.equal(notFound.status, 404);
  });

  it('the exposition passes promtool check metrics', function () {
    if (!metrics) this.skip();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
    assert.equal(r.error, undefined, 'promtool must be installed (Debian package prometheus)');
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('logs one JSON line per run with trace_id, duration and outcome; the error is logged', function () {
    if (!worker) this.skip();
    const lines = worker.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const runs = lines.filter((l) => l.job === 'sync-orders');
    const okLine = runs.find((l) => l.status === 'ok');
    const errLine = runs.find((l) => l.status === 'error');
    assert.ok(okLine && errLine, JSON.stringify(runs));
    for (const l of [okLine, errLine]) {
      assert.match(String(l.trace_id), /^[0-9a-f]{32}$/);
      assert.notEqual(l.trace_id, '0'.repeat(32));
      assert.equal(typeof l.duration_seconds, 'number');
    }
    assert.equal(okLine.msg, 'job finished');
    assert.equal(okLine.rows, 2);
    assert.equal(errLine.level, 50);
    assert.match(String((errLine.err as { message?: string }).message), /upstream unavailable/);
    assert.notEqual(okLine.trace_id, errLine.trace_id, 'one trace per run');
  });

  it('running fix again changes nothing (idempotent)', async () => {
    const again = await runCli(['fix', dir, '--dry-run']);
    assert.match(again.stdout, /0 fixes would apply, 0 files would change/);
  });
});
