/**
 * The host adapter: the one place that knows whether the dashboard runs inside VS Code (messages to
 * and from the extension through `acquireVsCodeApi()`) or as the runtime's standalone page (`fetch`
 * and `EventSource` against the same origin, with the token from the page URL). Everything else
 * sees only the `Host` interface and the typed messages of src/protocol/dashboard.ts.
 */
import type {
  ApiPath, ApiQuery, DashboardFixId, DashboardViewState, HostMessage, RuntimeStatus, ShowTarget, WebviewMessage,
} from '../src/protocol/dashboard';
import type { RuntimeUpdateEvent } from '../src/protocol/runtime';
import { assertNever } from './dom';
import { measureToPaint, setUpdateStart } from './frame';

/** An API read failed: why, in words a user can act on. */
export class HostError extends Error {
  override name = 'HostError';
  constructor(readonly kind: 'unreachable' | 'unauthorized' | 'http' | 'timeout' | 'bad-response', message: string, readonly status?: number) { super(message); }
}

export interface Notice { level: 'info' | 'warning' | 'error'; message: string; link?: { label: string; href: string } }

export interface HostListener {
  onEvent(event: RuntimeUpdateEvent): void;
  onRuntime(status: RuntimeStatus): void;
  onNotice(notice: Notice): void;
  /** Open a view with a route or job selected (a code lens in VS Code was clicked). */
  onShow(target: ShowTarget): void;
}

export interface Host {
  readonly kind: 'vscode' | 'standalone';
  request<T>(path: ApiPath, query?: ApiQuery): Promise<T>;
  /** Starts delivering events and runtime status changes. */
  connect(listener: HostListener): void;
  openFile(file: string, line: number, column?: number): void;
  runFix(fix: DashboardFixId, file: string, line: number, column?: number): void;
  /** Only inside VS Code: the extension starts the runtime. */
  startRuntime(): void;
  /** The inventory root, so file links can be absolute where the host needs it. */
  setRoot(root: string): void;
  loadState(): unknown;
  saveState(state: DashboardViewState): void;
}

// ------------------------------------------------------------------ validation

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function parseRuntimeStatus(x: unknown): RuntimeStatus | undefined {
  if (!isObject(x) || typeof x.state !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (x.state) {
    case 'running': return { state: 'running', url: str(x.url) };
    case 'starting': return { state: 'starting' };
    case 'stopped': return { state: 'stopped', reason: str(x.reason) };
    case 'unauthorized': return { state: 'unauthorized', reason: str(x.reason) };
    case 'error': return { state: 'error', message: str(x.message) ?? 'unknown error' };
    default: return undefined;
  }
}

/** An SSE / forwarded update event, checked enough that the views can trust its shape. */
export function parseUpdateEvent(x: unknown): RuntimeUpdateEvent | undefined {
  if (!isObject(x) || x.type !== 'update' || typeof x.round !== 'number' || typeof x.at !== 'number') return undefined;
  if (x.targets !== undefined && !Array.isArray(x.targets)) return undefined;
  if (x.routes !== undefined && !(isObject(x.routes) && Array.isArray(x.routes.routes))) return undefined;
  if (x.jobs !== undefined && !(isObject(x.jobs) && Array.isArray(x.jobs.jobs))) return undefined;
  return x as unknown as RuntimeUpdateEvent;
}

/** A route key or job name to show: a non-empty string of sane length. */
const isShowName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 2000;

/** Messages from the extension are untrusted until checked: unknown or malformed ones give undefined. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (!isObject(data) || typeof data.type !== 'string') return undefined;
  switch (data.type) {
    case 'state': {
      const runtime = parseRuntimeStatus(data.runtime);
      return runtime ? { type: 'state', runtime } : undefined;
    }
    case 'api/response':
      if (typeof data.id !== 'number') return undefined;
      if (data.ok === true) return { type: 'api/response', id: data.id, ok: true, body: data.body };
      if (data.ok === false) return { type: 'api/response', id: data.id, ok: false, status: typeof data.status === 'number' ? data.status : 0, error: typeof data.error === 'string' ? data.error : 'request failed' };
      return undefined;
    case 'event': {
      const event = parseUpdateEvent(data.event);
      return event ? { type: 'event', event } : undefined;
    }
    case 'notice':
      if ((data.level === 'info' || data.level === 'warning' || data.level === 'error') && typeof data.message === 'string') {
        return { type: 'notice', level: data.level, message: data.message };
      }
      return undefined;
    case 'show': {
      const t = data.target;
      if (isObject(t) && t.view === 'routes' && isShowName(t.route)) return { type: 'show', target: { view: 'routes', route: t.route } };
      if (isObject(t) && t.view === 'jobs' && isShowName(t.job)) return { type: 'show', target: { view: 'jobs', job: t.job } };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `#route=<METHOD route>` or `#job=<name>` (URL-encoded) → what to show; anything else → undefined. */
export function parseShowHash(hash: string): ShowTarget | undefined {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const route = p.get('route'), job = p.get('job');
  if (isShowName(route)) return { view: 'routes', route };
  if (isShowName(job)) return { view: 'jobs', job };
  return undefined;
}

const queryString = (q: ApiQuery | undefined): string => {
  const p = new URLSearchParams();
  if (q?.window) p.set('window', q.window);
  if (q?.at) p.set('at', q.at);
  const s = p.toString();
  return s ? `?${s}` : '';
};

// ------------------------------------------------------------------ VS Code

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

class VsCodeHost implements Host {
  readonly kind = 'vscode';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
  private listener?: HostListener;
  private lastStatus: RuntimeStatus = { state: 'starting' };

  constructor(private readonly api: VsCodeApi) {
    window.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data));
  }

  private post(msg: WebviewMessage): void { this.api.postMessage(msg); }

  private receive(data: unknown): void {
    const msg = parseHostMessage(data);
    if (!msg) { console.warn('telltale: ignored a malformed host message'); return; }
    switch (msg.type) {
      case 'state':
        this.lastStatus = msg.runtime;
        if (msg.runtime.state !== 'running') this.failPending(msg.runtime.state === 'unauthorized' ? 'unauthorized' : 'unreachable', 'the runtime is not running');
        this.listener?.onRuntime(msg.runtime);
        return;
      case 'api/response': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.body);
        else p.reject(msg.status === 401 ? new HostError('unauthorized', msg.error, 401) : msg.status === 0 ? new HostError('unreachable', msg.error) : new HostError('http', msg.error, msg.status));
        return;
      }
      case 'event': {
        const started = performance.now();
        this.listener?.onEvent(msg.event);
        markPaint(started);
        return;
      }
      case 'notice': this.listener?.onNotice({ level: msg.level, message: msg.message }); return;
      case 'show':
        this.listener?.onShow(msg.target);
        this.post({ type: 'shown', target: msg.target });
        return;
      default: assertNever(msg, 'host message');
    }
  }

  private failPending(kind: 'unreachable' | 'unauthorized', why: string): void {
    for (const [id, p] of this.pending) { clearTimeout(p.timer); p.reject(new HostError(kind, why)); this.pending.delete(id); }
  }

  request<T>(path: ApiPath, query?: ApiQuery): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new HostError('timeout', `${path}: no answer from the extension within 15 s`)); }, 15_000);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ type: 'api/request', id, path, ...(query ? { query } : {}) });
    });
  }

  connect(listener: HostListener): void {
    this.listener = listener;
    listener.onRuntime(this.lastStatus);
    this.post({ type: 'ready' });
  }

  openFile(file: string, line: number, column?: number): void { this.post({ type: 'openFile', file, line, ...(column ? { column } : {}) }); }
  runFix(fix: DashboardFixId, file: string, line: number, column?: number): void { this.post({ type: 'runFix', fix, file, line, ...(column ? { column } : {}) }); }
  startRuntime(): void {
    this.lastStatus = { state: 'starting' };
    this.listener?.onRuntime(this.lastStatus);
    this.post({ type: 'startRuntime' });
  }
  setRoot(): void { /* the extension resolves paths against the workspace itself */ }
  loadState(): unknown { return this.api.getState(); }
  saveState(state: DashboardViewState): void { this.api.setState(state); }
}

// ------------------------------------------------------------------ standalone

const STATE_KEY = 'telltale.dashboard.state';
const TOKEN_KEY = 'telltale.dashboard.token';

class StandaloneHost implements Host {
  readonly kind = 'standalone';
  private token: string | undefined;
  private source?: EventSource;
  private listener?: HostListener;
  private probeTimer?: ReturnType<typeof setTimeout>;
  private probeDelay = 1000;
  private status: RuntimeStatus['state'] | undefined;
  private root?: string;

  constructor() {
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get('token');
    if (fromUrl) {
      this.token = fromUrl;
      try { sessionStorage.setItem(TOKEN_KEY, fromUrl); } catch { /* storage disabled: the cookie still works */ }
      // Keep the token out of the address bar, history and screenshots; the runtime set a cookie too.
      url.searchParams.delete('token');
      history.replaceState(null, '', url.pathname + url.search + url.hash);
    } else {
      try { this.token = sessionStorage.getItem(TOKEN_KEY) ?? undefined; } catch { this.token = undefined; }
    }
  }

  async request<T>(path: ApiPath, query?: ApiQuery): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path + queryString(query), {
        headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
        credentials: 'same-origin',
        cache: 'no-store',
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      const timeout = (err as Error)?.name === 'TimeoutError';
      throw new HostError(timeout ? 'timeout' : 'unreachable', timeout ? `${path}: no answer within 15 s` : `cannot reach the runtime at ${location.origin}`);
    }
    if (res.status === 401) throw new HostError('unauthorized', 'the runtime refused the token', 401);
    let body: unknown;
    try { body = await res.json(); } catch { throw new HostError('bad-response', `${path}: the answer is not JSON (HTTP ${res.status})`, res.status); }
    if (!res.ok) {
      const msg = isObject(body) && typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
      throw new HostError('http', `${path}: ${msg}`, res.status);
    }
    return body as T;
  }

  connect(listener: HostListener): void {
    this.listener = listener;
    void this.probe();
    // Deep links: `#route=GET%20%2Fusers%2F%3Aid` or `#job=nightly-import` open that row.
    const follow = () => { const t = parseShowHash(location.hash); if (t) listener.onShow(t); };
    follow();
    window.addEventListener('hashchange', follow);
  }

  private setStatus(s: RuntimeStatus): void {
    if (this.status === s.state && s.state === 'running') return;
    this.status = s.state;
    this.listener?.onRuntime(s);
  }

  /** Checks /api/health; on success opens the event stream, otherwise retries with backoff (max 10 s). */
  private async probe(): Promise<void> {
    clearTimeout(this.probeTimer);
    try {
      await this.request('/api/health');
      this.probeDelay = 1000;
      this.setStatus({ state: 'running', url: location.origin });
      this.openStream();
    } catch (err) {
      const e = err as HostError;
      if (e.kind === 'unauthorized') this.setStatus({ state: 'unauthorized', reason: e.message });
      else this.setStatus({ state: 'stopped', reason: e.message });
      this.probeTimer = setTimeout(() => void this.probe(), this.probeDelay);
      this.probeDelay = Math.min(this.probeDelay * 2, 10_000);
    }
  }

  private openStream(): void {
    this.source?.close();
    const q = this.token ? `?token=${encodeURIComponent(this.token)}` : '';
    const es = new EventSource(`/api/events${q}`);
    this.source = es;
    es.addEventListener('update', (ev) => {
      const started = performance.now();
      let data: unknown;
      try { data = JSON.parse((ev as MessageEvent<string>).data); } catch { return; }
      const event = parseUpdateEvent(data);
      if (!event) { console.warn('telltale: ignored a malformed update event'); return; }
      this.listener?.onEvent(event);
      markPaint(started);
    });
    es.addEventListener('error', () => {
      // The stream ended (runtime stopped or restarted with a new token): find out which.
      es.close();
      if (this.source === es) this.source = undefined;
      void this.probe();
    });
  }

  openFile(file: string, line: number, column?: number): void {
    const abs = this.root && !/^([a-zA-Z]:)?[\\/]/.test(file) ? `${this.root.replace(/[\\/]+$/, '')}/${file}` : file;
    const href = `vscode://file/${encodeURI(abs.replace(/^\/+/, ''))}:${line}${column ? `:${column}` : ''}`;
    this.listener?.onNotice({ level: 'info', message: `${file}:${line}`, link: { label: 'Open in VS Code', href } });
  }

  runFix(fix: DashboardFixId, file: string, line: number): void {
    this.listener?.onNotice({
      level: 'info',
      message: `Instrumenting edits your code, so the page does not do it: run  npx telltale fix ${file} --fix ${fix} --diff  in the project (it reports what it changed at ${file}:${line}), or use Instrument in VS Code.`,
    });
  }

  startRuntime(): void { void this.probe(); }
  setRoot(root: string): void { this.root = root; }

  loadState(): unknown {
    try { const s = sessionStorage.getItem(STATE_KEY); return s ? JSON.parse(s) : undefined; } catch { return undefined; }
  }

  saveState(state: DashboardViewState): void {
    try { sessionStorage.setItem(STATE_KEY, JSON.stringify(state)); } catch { /* storage full or disabled: state is only a convenience */ }
  }
}

/**
 * Records "update to paint" as a User Timing measure (`telltale:update-to-paint`): from the arrival
 * of an update to the first task after the next frame, i.e. after the browser painted the new
 * numbers; and the script part of it (`telltale:update-script`). Marks are cleared as they are
 * made, so the timeline buffer stays empty.
 */
export function markPaint(started: number): void {
  setUpdateStart(started);
  // Queued after the app's render microtask: the script part (parse, view-model, DOM writes).
  queueMicrotask(() => {
    performance.measure('telltale:update-script', { start: started, end: performance.now() });
    performance.clearMeasures('telltale:update-script');
  });
  measureToPaint('telltale:update-to-paint');
}

export function createHost(): Host {
  if (typeof acquireVsCodeApi === 'function') return new VsCodeHost(acquireVsCodeApi());
  return new StandaloneHost();
}

