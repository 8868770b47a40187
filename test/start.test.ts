/**
 * `npm start` for real: builds if needed, scans the example, starts the example app, traffic and
 * the runtime, and the runtime's API then serves live RED numbers for the example's routes, job
 * health and the example's drift report. SIGINT stops every process it started.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..');

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** PIDs of processes whose command line mentions `needle` (from /proc, no ps needed). */
function processesMatching(needle: string): number[] {
  const r = spawnSync('sh', ['-c', `grep -l -a -- ${JSON.stringify(needle)} /proc/[0-9]*/cmdline 2>/dev/null || true`], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map((p) => Number(p.split('/')[2])).filter((pid) => pid !== process.pid);
}

describe('npm start (the bundled example)', function () {
  this.timeout(180_000);

  it('brings up the example with live numbers, and Ctrl-C leaves no process behind', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--json', '--rps', '25', '--duration', '150'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = readline.createInterface({ input: child.stdout });
        rl.on('line', (l) => { if (l.startsWith('{')) resolve(l); });
        child.once('exit', () => reject(new Error(`npm start exited early:\n${stderr}`)));
      });
      const info = JSON.parse(line) as { app: string; runtime: string; dashboard: string };
      assert.match(info.dashboard, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      const token = info.dashboard.split('token=')[1];
      const api = async (p: string) => {
        const res = await fetch(info.runtime + p, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
        assert.equal(res.status, 200, p);
        return res.json() as Promise<Record<string, unknown>>;
      };
      assert.equal((await fetch(info.runtime + '/api/routes', { signal: AbortSignal.timeout(5000) })).status, 401, 'the API needs the token');

      // Live RED numbers for the instrumented routes, within a minute.
      let routes: Array<{ route: string; method: string; rate?: number; requestsPerSecond?: number }> = [];
      const deadline = Date.now() + 60_000;
      for (;;) {
        const body = await api('/api/routes');
        routes = (body.routes ?? []) as typeof routes;
        const products = routes.find((r) => r.route === '/api/products' && r.method === 'GET');
        if (products && Number(products.rate ?? products.requestsPerSecond ?? 0) > 0) break;
        if (Date.now() > deadline) assert.fail(`no live numbers for GET /api/products after 60 s: ${JSON.stringify(body).slice(0, 800)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      assert.ok(routes.some((r) => r.route === '/api/products/:id'), 'templated routes are listed by template');

      // The drift report of the example's datasets: age, visits and plan drift.
      let drift: Record<string, unknown> = {};
      for (let i = 0; i < 30; i++) {
        drift = await api('/api/drift');
        if (JSON.stringify(drift).includes('"datasetDrift":true')) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      assert.match(JSON.stringify(drift), /scoring-features/);
      assert.match(JSON.stringify(drift), /"datasetDrift":true/);
    } finally {
      child.kill('SIGINT');
    }
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 15_000))]);
    assert.equal(code, 0, `npm start should exit 0 on Ctrl-C:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 500));
    const left = processesMatching('examples/shop/src/server.ts').concat(processesMatching('telltale-example-inventory')).filter(alive);
    assert.deepEqual(left, [], 'processes left behind');
  });
});
