/** Helpers of the alert tests: fake views for the engine, a recording notifier, HTTP receivers on 127.0.0.1. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertInputs } from '../../../src/runtime/alerts/evaluate';
import type { Notifier, NotificationBatch } from '../../../src/runtime/alerts/notifiers/index';
import type { CompiledNotifierConfig } from '../../../src/runtime/alerts/rules';
import type { JobHealth, RouteRed, TargetState } from '../../../src/protocol/runtime';
import type { DatasetDriftState } from '../../../src/protocol/drift';

export function route(r: Partial<RouteRed> & { route: string }): RouteRed {
  return { method: 'GET', rate: 1, requests: 100, errors: 0, errorRatio: 0, p50: 0.01, p95: 0.05, p99: 0.1, ...r };
}

/** Views the test sets directly (what the runtime would compute from the store). */
export function fakeInputs(): AlertInputs & { set: { routes: RouteRed[]; jobs: JobHealth[]; targets: TargetState[]; drift: DatasetDriftState[]; fail?: string }; windows: number[] } {
  const set: { routes: RouteRed[]; jobs: JobHealth[]; targets: TargetState[]; drift: DatasetDriftState[]; fail?: string } = { routes: [], jobs: [], targets: [], drift: [] };
  const windows: number[] = [];
  return {
    set, windows,
    async routes(w, at) {
      windows.push(w);
      if (set.fail) throw new Error(set.fail);
      return { source: 'local', at, windowSeconds: w / 1000, routes: set.routes.map((r) => ({ ...r })) };
    },
    async jobs(w, at) { windows.push(w); return { source: 'local', at, windowSeconds: w / 1000, jobs: set.jobs.map((j) => ({ ...j })) }; },
    targets: () => set.targets,
    drift: () => set.drift,
    defaultWindowMs: 60_000,
    defaultJobWindowMs: 3_600_000,
  };
}

export function notifierConfig(name: string, extra: Partial<CompiledNotifierConfig> = {}): CompiledNotifierConfig {
  return { name, type: 'webhook', url: 'http://127.0.0.1:1/', headers: {}, timeoutMs: 1000, retries: 0, sendResolved: true, ...extra };
}

/** A notifier that records batches (unit isolation of the dispatcher); `fail` makes deliveries throw. */
export function recordingNotifier(name = 'rec', extra: Partial<CompiledNotifierConfig> = {}): Notifier & { batches: NotificationBatch[]; fail?: string; resendMs?: number } {
  const n = {
    name, type: 'webhook' as const, config: notifierConfig(name, extra), batches: [] as NotificationBatch[], fail: undefined as string | undefined,
    async deliver(b: NotificationBatch) {
      if (n.fail) throw new Error(n.fail);
      n.batches.push(b);
    },
  };
  return n;
}

export interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: unknown }

/** An HTTP receiver on 127.0.0.1; `respond` decides each answer (status, body, delay). */
export async function startReceiver(respond: (req: Received, n: number) => { status?: number; body?: string; delayMs?: number; headers?: Record<string, string> } = () => ({})):
Promise<{ url: string; received: Received[]; close(): Promise<void>; waitFor(n: number, timeoutMs?: number): Promise<Received[]> }> {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => {
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* text */ }
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      const a = respond(r, received.length);
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(a.status ?? 200, { 'content-type': 'text/plain', ...a.headers });
        res.end(a.body ?? 'ok');
        for (const w of waiters.splice(0)) w();
      };
      if (a.delayMs) { const t = setTimeout(answer, a.delayMs); res.on('close', () => clearTimeout(t)); } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, received,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
    async waitFor(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`receiver got ${received.length} of ${n} requests within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 100); });
      }
      return received;
    },
  };
}

/** A free loopback port that nothing listens on (a receiver that is down). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
