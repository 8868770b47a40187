/**
 * The runtime's HTTP API: JSON endpoints, a Server-Sent Events stream and the standalone dashboard,
 * on 127.0.0.1 unless the user explicitly asks otherwise. Every request needs the per-start bearer
 * token (`Authorization: Bearer …`; the SSE stream and the page also take `?token=`, after which a
 * same-site cookie carries it for the page's own requests).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type {
  DriftResponse, HealthResponse, JobsResponse, RoutesResponse, RuntimeUpdateEvent, SeriesResponse, TargetsResponse,
} from '../protocol/runtime';
import type { InventoryResponse } from '../protocol/dashboard';
import type { AlertEvent, AlertsResponse } from '../protocol/alerts';

export interface ViewQuery { windowMs?: number; atMs?: number }

export interface ServerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ApiHandlers {
  health(): HealthResponse;
  targets(): TargetsResponse;
  series(match: string | undefined, limit: number): SeriesResponse;
  routes(q: ViewQuery): Promise<RoutesResponse>;
  jobs(q: ViewQuery): Promise<JobsResponse>;
  drift(): DriftResponse;
  /** The inventory the runtime joins views with (`/api/inventory`; `{ inventory: null }` without one). */
  inventory?(): InventoryResponse;
  /** Firing, pending and recently resolved alerts, the rules and the notifier states (`/api/alerts`). */
  alerts?(): AlertsResponse;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface ServerOptions {
  host: string;
  port: number;
  token: string;
  api: ApiHandlers;
  /** The dashboard bundle (dist/webview); a placeholder page is served when it has no index.html. */
  staticDir?: string;
  logger?: ServerLogger;
  /** At most this many SSE clients at once (default 32). */
  maxEventClients?: number;
  /** Called when an SSE client connects (the next update then carries every view). */
  onEventClient?: () => void;
}

export interface RuntimeServer {
  url: string;
  port: number;
  /** Sends one SSE event to every connected client. */
  broadcast(event: RuntimeUpdateEvent | AlertEvent): void;
  readonly eventClients: number;
  close(): Promise<void>;
}

export class BadRequest extends Error { override name = 'BadRequest'; }

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.ico': 'image/x-icon',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Parses a duration: `90`, `90s`, `1m`, `500ms`, `1h` → ms. */
export function parseDurationMs(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v * 1000 : undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] as number);
  return n > 0 ? n : undefined;
}

function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given), b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export async function startServer(options: ServerOptions): Promise<RuntimeServer> {
  const { token, api, logger } = options;
  const clients = new Set<http.ServerResponse>();
  const maxClients = options.maxEventClients ?? 32;
  let cookieName = 'telltale_token';

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    });
    res.end(text);
  };

  const authorized = (req: http.IncomingMessage, url: URL, allowQuery: boolean): 'header' | 'query' | 'cookie' | undefined => {
    const auth = req.headers.authorization;
    if (auth && /^Bearer /i.test(auth) && tokenMatches(auth.slice(7).trim(), token)) return 'header';
    if (allowQuery && tokenMatches(url.searchParams.get('token') ?? undefined, token)) return 'query';
    const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).find(([k]) => k === cookieName);
    if (cookie && tokenMatches(cookie[1], token)) return 'cookie';
    return undefined;
  };

  const viewQuery = (url: URL): ViewQuery => {
    const q: ViewQuery = {};
    const w = url.searchParams.get('window');
    if (w !== null) {
      const ms = parseDurationMs(w);
      if (!ms || ms < 1000 || ms > 7 * 24 * 3_600_000) throw new BadRequest(`window '${w}' must be a duration between 1s and 7d, like 60s or 5m`);
      q.windowMs = ms;
    }
    const at = url.searchParams.get('at');
    if (at !== null) {
      const n = Number(at);
      if (!Number.isFinite(n) || n <= 0) throw new BadRequest(`at '${at}' must be a time in ms since the epoch`);
      q.atMs = n;
    }
    return q;
  };

  const serveStatic = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, how: 'header' | 'query' | 'cookie'): void => {
    const cookie = how === 'query' ? { 'set-cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/` } : undefined;
    const dir = options.staticDir ? path.resolve(options.staticDir) : undefined;
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = dir ? path.resolve(dir, '.' + rel) : undefined;
    if (file && dir && (file === dir || file.startsWith(dir + path.sep)) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', ...cookie });
      fs.createReadStream(file).pipe(res);
      return;
    }
    if (rel !== '/index.html') { send(res, 404, { error: `not found: ${url.pathname}` }); return; }
    const where = dir ? path.join(dir, 'index.html') : 'dist/webview/index.html';
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Telltale runtime</title></head><body>
<h1>Telltale runtime</h1>
<p>The dashboard is not built: <code>${escapeHtml(where)}</code> does not exist. Run <code>npm run build</code>.</p>
<p>The API is up: <code>/api/health</code>, <code>/api/targets</code>, <code>/api/routes</code>, <code>/api/jobs</code>, <code>/api/series</code>, <code>/api/drift</code>, <code>/api/inventory</code>, <code>/api/alerts</code>, <code>/api/events</code>, <code>/metrics</code>.</p>
</body></html>\n`;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'", ...cookie,
    });
    res.end(html);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    const isPage = !p.startsWith('/api/') && p !== '/metrics';
    const how = authorized(req, url, p === '/api/events' || isPage);
    if (!how) {
      send(res, 401, { error: 'missing or wrong token: send Authorization: Bearer <token> (the token file is printed at start)' }, { 'www-authenticate': 'Bearer realm="telltale"' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') { send(res, 405, { error: `${req.method} not allowed` }, { allow: 'GET, HEAD' }); return; }
    switch (p) {
      case '/api/health': send(res, 200, api.health()); return;
      case '/api/targets': send(res, 200, api.targets()); return;
      case '/api/series': {
        const limit = Number(url.searchParams.get('limit') ?? 1000);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new BadRequest('limit must be an integer between 1 and 100000');
        send(res, 200, api.series(url.searchParams.get('match') ?? undefined, limit));
        return;
      }
      case '/api/routes': send(res, 200, await api.routes(viewQuery(url))); return;
      case '/api/jobs': send(res, 200, await api.jobs(viewQuery(url))); return;
      case '/api/drift': send(res, 200, api.drift()); return;
      case '/api/inventory': send(res, 200, api.inventory?.() ?? { inventory: null }); return;
      case '/api/alerts': send(res, 200, api.alerts?.() ?? { enabled: false, intervalSeconds: 0, firing: [], pending: [], resolved: [], rules: [], notifiers: [] } satisfies AlertsResponse); return;
      case '/metrics': {
        const m = await api.metrics();
        send(res, 200, m.body, { 'content-type': m.contentType });
        return;
      }
      case '/api/events': {
        if (clients.size >= maxClients) { send(res, 503, { error: `too many event streams (${maxClients})` }); return; }
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        res.write('retry: 2000\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        options.onEventClient?.();
        return;
      }
      default:
        if (p.startsWith('/api/')) { send(res, 404, { error: `no endpoint ${p}` }); return; }
        serveStatic(req, res, url, how);
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof BadRequest) { send(res, 400, { error: err.message }); return; }
      logger?.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: `internal error: ${(err as Error)?.message ?? String(err)}` });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  cookieName = `telltale_token_${port}`;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const heartbeat = setInterval(() => { for (const c of clients) c.write(': ping\n\n'); }, 15_000);
  heartbeat.unref();

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    get eventClients() { return clients.size; },
    broadcast(event) {
      const data = encodeEvent(event);
      for (const c of clients) c.write(data);
    },
    async close() {
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    },
  };
}

/** Significant digits of the measured numbers in events: the dashboard shows three; the rest is noise that costs every client parsing time. */
const EVENT_DIGITS = 6;
const roundNumbers = (_key: string, v: unknown): unknown => (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(EVENT_DIGITS)) : v);

/** One server-sent event as written to the stream (update events carry their round as the id). */
export function encodeEvent(event: RuntimeUpdateEvent | AlertEvent): string {
  return `event: ${event.type}\n${event.type === 'update' ? `id: ${event.round}\n` : ''}data: ${JSON.stringify(event, roundNumbers)}\n\n`;
}
