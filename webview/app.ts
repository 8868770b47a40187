/**
 * The dashboard shell: header with the runtime's status, the five views as tabs, a notice area,
 * and the data flow — a full load when the runtime becomes reachable, then live SSE updates
 * (merged into the data and a bounded history), drift polled, everything re-rendered in place.
 */
import type { AlertsResponse } from '../src/protocol/alerts';
import type { ApiPath, DashboardView, DashboardViewState, InventoryResponse, RuntimeStatus, ShowTarget } from '../src/protocol/dashboard';
import type { Inventory } from '../src/protocol/inventory';
import type { DriftResponse, HealthResponse, JobsResponse, RoutesResponse, RuntimeUpdateEvent, TargetsResponse } from '../src/protocol/runtime';
import { button } from './components/button';
import { notice } from './components/notice';
import { busy } from './components/progress';
import { tabs, type Tabs } from './components/tabs';
import { registerToolkit } from './components/toolkit';
import type { DashboardData, View, ViewContext } from './context';
import { assertNever, el, replaceChildren, setText } from './dom';
import { RouteHistory, type RoutePoint } from './history';
import { onThemeChange } from './theme';
import { HostError, type Host, type HostListener, type Notice } from './host';
import { buildJobRows, formatAgo, parseDriftDatasets, restoreViewState, routeKey } from './model';
import { AlertsView } from './views/alerts';
import { DriftView } from './views/drift';
import { JobsView } from './views/jobs';
import { OverviewView } from './views/overview';
import { RoutesView } from './views/routes';

/** History per route: 360 points (30 min at a 5 s scrape), at most 2,000 routes, dropped 10 min after last seen. */
const HISTORY = { capacity: 360, maxKeys: 2000, evictAfterMs: 10 * 60_000 };
const BACKFILL_POINTS = 30;
const DRIFT_POLL_MS = 15_000;
/** Alerts change at the runtime's evaluation interval (seconds): poll a little faster than the default 15 s. */
const ALERTS_POLL_MS = 5_000;
const TICK_MS = 5_000;

export class App implements HostListener {
  private readonly data: DashboardData = { runtime: { state: 'starting' }, errors: {} };
  private readonly state: DashboardViewState;
  private readonly history = new RouteHistory(HISTORY);
  private readonly views = {
    overview: new OverviewView(), routes: new RoutesView(), jobs: new JobsView(), drift: new DriftView(), alerts: new AlertsView(),
  } satisfies Record<DashboardView, View>;
  private readonly statusEl = el('span', { class: 'status', attrs: { 'data-field': 'runtime-status', role: 'status' } });
  private readonly updatedEl = el('span', { class: 'muted', attrs: { 'data-field': 'updated' } });
  private readonly gate = el('div', { class: 'gate' });
  private readonly noticesEl = el('div', { class: 'notices', attrs: { 'aria-live': 'polite' } });
  private tabs!: Tabs<DashboardView>;
  private lastAt = 0;
  private loading = false;
  private loadedFor = -1;
  private connection = 0;
  private driftTimer?: ReturnType<typeof setInterval>;
  private alertsTimer: ReturnType<typeof setInterval> | undefined;
  private renderQueued = false;
  readonly ctx: ViewContext;

  constructor(private readonly host: Host, private readonly root: HTMLElement) {
    this.state = restoreViewState(host.loadState());
    this.ctx = {
      host, data: this.data, state: this.state, history: this.history,
      now: () => (this.lastAt > 0 ? this.lastAt : Date.now()),
      saveState: () => host.saveState(this.state),
      refresh: () => this.render(),
    };
  }

  start(): void {
    registerToolkit();
    document.body.classList.add(this.host.kind === 'vscode' ? 'in-vscode' : 'standalone');
    const labels: Record<DashboardView, string> = { overview: 'Overview', routes: 'Routes', jobs: 'Jobs', drift: 'Drift', alerts: 'Alerts' };
    this.tabs = tabs((Object.keys(labels) as DashboardView[]).map((id) => ({ id, label: labels[id], panel: this.views[id].element })), this.state.view, (id) => {
      this.state.view = id;
      this.ctx.saveState();
      this.render();
    });
    replaceChildren(this.root,
      el('header', { class: 'top' }, el('h1', {}, 'Telltale'), this.statusEl, this.updatedEl),
      this.gate,
      this.tabs.element,
      this.noticesEl,
    );
    this.host.connect(this);
    onThemeChange(() => {
      for (const v of Object.values(this.views) as View[]) v.restyle?.();
      this.render();
    });
    setInterval(() => this.render(), TICK_MS);
    this.render();
  }

  // ------------------------------------------------------------ host listener

  onRuntime(status: RuntimeStatus): void {
    this.data.runtime = status;
    switch (status.state) {
      case 'running':
        this.connection++;
        void this.loadAll();
        this.driftTimer ??= setInterval(() => void this.load('/api/drift'), DRIFT_POLL_MS);
        this.alertsTimer ??= setInterval(() => void this.load('/api/alerts'), ALERTS_POLL_MS);
        break;
      case 'starting': case 'stopped': case 'unauthorized': case 'error':
        clearInterval(this.driftTimer);
        this.driftTimer = undefined;
        clearInterval(this.alertsTimer);
        this.alertsTimer = undefined;
        break;
      default: assertNever(status, 'runtime status');
    }
    this.render();
  }

  onEvent(event: RuntimeUpdateEvent): void {
    if (event.targets) this.data.targets = { ...this.data.targets, targets: event.targets };
    if (event.routes) this.data.routes = event.routes;
    if (event.jobs) this.data.jobs = event.jobs;
    this.lastAt = Math.max(this.lastAt, event.at);
    if (this.data.routes) this.history.record(event.at, routePoints(this.data.routes));
    this.render();
  }

  onShow(target: ShowTarget): void {
    this.state.view = target.view;
    if (target.view === 'routes') {
      this.state.selectedRoute = target.route;
      this.views.routes.reveal(target.route, this.ctx);
    } else {
      this.state.selectedJob = target.job;
      this.views.jobs.reveal(target.job);
    }
    this.ctx.saveState();
    this.render();
  }

  onNotice(n: Notice): void {
    const item = el('div', { class: `toast toast-${n.level}`, attrs: { 'data-notice': n.level } },
      el('span', {}, n.message),
      n.link ? el('a', { attrs: { href: n.link.href } }, n.link.label) : null,
      el('button', { class: 'link', attrs: { type: 'button', 'aria-label': 'Dismiss' }, on: { click: () => item.remove() } }, '×'));
    this.noticesEl.appendChild(item);
    while (this.noticesEl.childElementCount > 3) this.noticesEl.firstElementChild?.remove();
    setTimeout(() => item.remove(), 12_000);
  }

  // ------------------------------------------------------------ loading

  private async load(path: ApiPath): Promise<void> {
    try {
      const body = await this.host.request<unknown>(path);
      this.store(path, body);
      delete this.data.errors[path];
    } catch (err) {
      this.data.errors[path] = (err as Error).message;
      if (err instanceof HostError && (err.kind === 'unreachable' || err.kind === 'unauthorized') && this.host.kind === 'standalone') this.host.startRuntime();
    }
    this.render();
  }

  private store(path: ApiPath, body: unknown): void {
    switch (path) {
      case '/api/health': this.data.health = body as HealthResponse; break;
      case '/api/targets': this.data.targets = body as TargetsResponse; break;
      case '/api/routes': this.data.routes = body as RoutesResponse; this.lastAt = Math.max(this.lastAt, this.data.routes.at); break;
      case '/api/jobs': this.data.jobs = body as JobsResponse; break;
      case '/api/drift': this.data.drift = body as DriftResponse; break;
      case '/api/alerts': this.data.alerts = body as AlertsResponse; break;
      case '/api/inventory': {
        const inv = (body as InventoryResponse).inventory;
        this.data.inventory = inv && Array.isArray(inv.routes) && Array.isArray(inv.jobs) ? inv : null;
        if (this.data.inventory) this.host.setRoot(this.data.inventory.root);
        break;
      }
      default: assertNever(path, 'endpoint');
    }
  }

  private async loadAll(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    const conn = this.connection;
    try {
      await Promise.all((['/api/health', '/api/targets', '/api/inventory', '/api/routes', '/api/jobs', '/api/drift', '/api/alerts'] as ApiPath[]).map((p) => this.load(p)));
      if (this.data.routes) this.history.record(this.data.routes.at, routePoints(this.data.routes));
      if (this.loadedFor !== conn) {
        this.loadedFor = conn;
        await this.backfill();
      }
    } finally {
      this.loading = false;
    }
  }

  /** Fills the sparklines and charts with the recent past (the runtime keeps an hour): one query per point, 4 at a time. */
  private async backfill(): Promise<void> {
    const routes = this.data.routes, health = this.data.health;
    if (!routes || routes.routes.length === 0) return;
    const interval = Math.min(...(this.data.targets?.targets ?? []).map((t) => t.intervalSeconds), 60) * 1000 || 5000;
    const since = health?.startedAt ?? routes.at;
    const n = Math.min(BACKFILL_POINTS, Math.floor((routes.at - since) / interval));
    const times = Array.from({ length: Math.max(0, n) }, (_, i) => routes.at - (i + 1) * interval);
    for (let i = 0; i < times.length; i += 4) {
      const batch = await Promise.allSettled(times.slice(i, i + 4).map((t) => this.host.request<RoutesResponse>('/api/routes', { at: String(t) })));
      for (const b of batch) if (b.status === 'fulfilled') this.history.backfill(b.value.at, routePoints(b.value));
    }
    this.render();
  }

  // ------------------------------------------------------------ rendering

  /** Coalesces renders: everything that changes in one task is painted by one render. */
  render(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => { this.renderQueued = false; this.renderNow(); });
  }

  private renderNow(): void {
    const rt = this.data.runtime;
    const live = rt.state === 'running';
    setText(this.statusEl, statusText(rt));
    this.statusEl.className = `status status-${rt.state}`;
    setText(this.updatedEl, this.lastAt ? `updated ${formatAgo(this.lastAt, Math.max(Date.now(), this.lastAt))}` : '');
    this.renderGate();
    this.tabs.element.hidden = !live;
    if (!live) return;
    this.tabs.select(this.state.view);
    this.updateTabLabels();
    this.views[this.state.view].update(this.ctx);
  }

  private updateTabLabels(): void {
    const routes = this.data.routes?.routes.length;
    this.tabs.setLabel('routes', routes !== undefined ? `Routes (${routes})` : 'Routes');
    const failing = buildJobRows(this.data.jobs, this.data.inventory).filter((j) => j.status === 'failing').length;
    this.tabs.setLabel('jobs', failing ? `Jobs (${failing} failing)` : 'Jobs');
    const drifted = parseDriftDatasets(this.data.drift?.datasets).datasets.filter((d) => d.report?.datasetDrift).length;
    this.tabs.setLabel('drift', drifted ? `Drift (${drifted} drifted)` : 'Drift');
    const firing = this.data.alerts?.firing.length ?? 0;
    this.tabs.setLabel('alerts', firing ? `Alerts (${firing} firing)` : 'Alerts');
  }

  private gateSig = '';

  /** The whole-page states: runtime starting, not running, token refused, error. */
  private renderGate(): void {
    const rt = this.data.runtime;
    const sig = JSON.stringify(rt) + this.host.kind;
    if (sig === this.gateSig) return;
    this.gateSig = sig;
    const vscode = this.host.kind === 'vscode';
    const start = () => button('Start runtime', () => this.host.startRuntime(), { name: 'start-runtime' });
    switch (rt.state) {
      case 'running': replaceChildren(this.gate); return;
      case 'starting':
        replaceChildren(this.gate, busy(vscode ? 'Starting the runtime…' : 'Connecting to the runtime…'));
        return;
      case 'stopped':
        replaceChildren(this.gate, notice({
          tone: 'warn', state: 'runtime-stopped', title: 'The Telltale runtime is not running',
          body: vscode
            ? ['The dashboard reads live numbers from the local runtime (it scrapes your app\'s /metrics and serves them on 127.0.0.1 only).']
            : [`This page could not reach the runtime at ${location.origin}${rt.reason ? ` (${rt.reason})` : ''}. Start it in your project folder; it prints the dashboard URL with its token. This page retries on its own.`],
          code: vscode ? [] : ['npx telltale runtime --target http://127.0.0.1:3000/metrics'],
          actions: vscode ? [start()] : [button('Retry now', () => this.host.startRuntime(), { appearance: 'secondary', name: 'retry' })],
        }));
        return;
      case 'unauthorized':
        replaceChildren(this.gate, notice({
          tone: 'warn', state: 'runtime-unauthorized', title: 'The runtime refused this page\'s token',
          body: ['A runtime is listening here but the token does not match: it was probably restarted. Open the URL it printed at start (it carries the new token).'],
        }));
        return;
      case 'error':
        replaceChildren(this.gate, notice({ tone: 'error', state: 'runtime-error', title: 'The runtime failed to start', body: [rt.message], actions: vscode ? [start()] : [] }));
        return;
      default: assertNever(rt, 'runtime status');
    }
  }
}

function statusText(rt: RuntimeStatus): string {
  switch (rt.state) {
    case 'running': return 'runtime running';
    case 'starting': return 'connecting…';
    case 'stopped': return 'runtime not running';
    case 'unauthorized': return 'token refused';
    case 'error': return 'runtime error';
    default: return assertNever(rt, 'runtime status');
  }
}

/** The history's view of a routes response (a route already is a RoutePoint: nothing is copied). */
export function routePoints(r: RoutesResponse): [string, RoutePoint][] {
  return r.routes.map((x) => [routeKey(x.method, x.route), x]);
}

export type { Inventory };
