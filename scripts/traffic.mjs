// Bounded traffic for the example shop: normal browsing, some client errors, a few server errors,
// a slow report, and model-scoring requests whose input features drift over the first minutes.
// Used by `npm start` (and its test); only ever talks to the given 127.0.0.1 base URL.

const ROUTES = [
  [40, () => ['GET', '/api/products']],
  [20, (r) => ['GET', `/api/products/${1 + Math.floor(r() * 4)}`]],   // id 4 does not exist → 404
  [4, () => ['GET', '/api/products/reports/slow']],
  [10, (r) => ['POST', '/api/orders', r() < 0.2 ? {} : { email: 'ada@example.com', customerId: `c${Math.floor(r() * 50)}`, items: [{ sku: '1', qty: 1 }] }]],
  [10, (r) => ['GET', `/api/orders/${r() < 0.1 ? 13 : 1 + Math.floor(r() * 40)}`]],  // 13 → 500
  [16, () => ['POST', '/api/model/score', null]],
  [2, () => ['GET', '/health']],
];
const TOTAL = ROUTES.reduce((a, [w]) => a + w, 0);

function rng(seed) { let s = seed >>> 0; return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; }; }
function normal(r) { return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()); }

/**
 * Sends requests until `signal` aborts or `maxRequests` were sent. `rps` requests per second.
 * Scoring features drift: customer age moves from ~38 to ~52 over `driftSeconds`.
 */
export async function runTraffic(base, { rps = 15, maxRequests = 100_000, signal, driftSeconds = 120, onError } = {}) {
  const r = rng(7);
  const started = Date.now();
  const stats = { sent: 0, byStatus: {} };
  const inflight = new Set();
  while (!signal?.aborted && stats.sent < maxRequests) {
    let x = r() * TOTAL, entry = ROUTES[0];
    for (const e of ROUTES) { x -= e[0]; if (x < 0) { entry = e; break; } }
    let [method, path, body] = entry[1](r);
    if (path === '/api/model/score') {
      const progress = Math.min(1, (Date.now() - started) / 1000 / driftSeconds);
      body = { age: Math.max(18, 38 + 14 * progress + 9 * normal(r)), basket_value: Math.exp(4.2 + 0.5 * normal(r)), visits: Math.floor(r() * 6), plan: r() < 0.3 + 0.2 * progress ? 'pro' : 'free' };
    }
    const p = fetch(base + path, {
      method,
      headers: body !== undefined && body !== null ? { 'content-type': 'application/json' } : undefined,
      body: body !== undefined && body !== null ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(5000),
    }).then(async (res) => { await res.arrayBuffer(); stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1; },
      (err) => { stats.byStatus.error = (stats.byStatus.error ?? 0) + 1; onError?.(err); });
    inflight.add(p);
    p.finally(() => inflight.delete(p));
    stats.sent++;
    await new Promise((res) => setTimeout(res, 1000 / rps));
  }
  await Promise.allSettled([...inflight]);
  return stats;
}
