/**
 * Messages between the dashboard webview and its host (TYPE-ONLY). Inside VS Code the host is the
 * extension (`acquireVsCodeApi().postMessage` ⇄ `webview.postMessage`); standalone the webview talks
 * to the runtime's HTTP API itself and handles the actions it can (see webview/host.ts).
 *
 * Both sides treat what they receive as untrusted: the webview validates every host message
 * before its `switch (msg.type)`; the extension validates every webview message (paths inside the
 * workspace, known endpoints only) before acting on it.
 */
import type { Inventory } from './inventory';
import type { RuntimeUpdateEvent } from './runtime';

/** `/api/inventory`: the inventory the runtime joins its views with. */
export interface InventoryResponse { inventory: Inventory | null }

/** The runtime endpoints the dashboard reads (the extension proxies only these). */
export type ApiPath = '/api/health' | '/api/targets' | '/api/routes' | '/api/jobs' | '/api/drift' | '/api/inventory' | '/api/alerts';

/** Query parameters the dashboard sends: `window` (a duration like `60s`) and `at` (ms since the epoch). */
export interface ApiQuery { window?: string; at?: string }

/** Whether the dashboard's runtime is there, as the host sees it. */
export type RuntimeStatus =
  | { state: 'running'; url?: string }
  | { state: 'starting' }
  /** Not running, or not reachable. `reason` says what was tried. */
  | { state: 'stopped'; reason?: string }
  /** Reachable, but the token was refused (a restarted runtime has a new token). */
  | { state: 'unauthorized'; reason?: string }
  | { state: 'error'; message: string };

/** The fixes the dashboard can ask for (ids of src/fixes). */
export type DashboardFixId = 'add-route-metrics' | 'add-job-instrumentation';

/** What "show this in the dashboard" points at (a code lens, a command). */
export type ShowTarget = { view: 'routes'; route: string } | { view: 'jobs'; job: string };

/** webview → host. */
export type WebviewMessage =
  /** Sent once when the page has loaded; the host answers with `state`. */
  | { type: 'ready' }
  /** A read of the runtime API; answered by `api/response` with the same id. */
  | { type: 'api/request'; id: number; path: ApiPath; query?: ApiQuery }
  /** Open a workspace file (relative to the inventory root) at a 1-based line. */
  | { type: 'openFile'; file: string; line: number; column?: number }
  /** Apply a fix to the route or job registered at file:line. */
  | { type: 'runFix'; fix: DashboardFixId; file: string; line: number; column?: number }
  | { type: 'startRuntime' }
  /** A `show` was applied: that view is open with the route or job selected. */
  | { type: 'shown'; target: ShowTarget };

/** host → webview. */
export type HostMessage =
  | { type: 'state'; runtime: RuntimeStatus }
  | { type: 'api/response'; id: number; ok: true; body: unknown }
  | { type: 'api/response'; id: number; ok: false; status: number; error: string }
  /** One SSE `update` event of the runtime, forwarded. */
  | { type: 'event'; event: RuntimeUpdateEvent }
  /** The outcome of an action (a fix applied, a file that could not be opened). */
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string }
  /** Open a view with a route or job selected and scrolled into view; answered by `shown`. */
  | { type: 'show'; target: ShowTarget };

export type DashboardView = 'overview' | 'routes' | 'jobs' | 'drift' | 'alerts';

export type RouteSortKey = 'method' | 'route' | 'rate' | 'errorRatio' | 'p50' | 'p95' | 'p99';

/** What the dashboard keeps across hide/show (`getState`/`setState`, or sessionStorage standalone). */
export interface DashboardViewState {
  view: DashboardView;
  routeSort: { key: RouteSortKey; dir: 'asc' | 'desc' };
  routeFilter: string;
  /** `METHOD route` of the selected route. */
  selectedRoute?: string;
  selectedDataset?: string;
  /** Name of the job shown selected (set by `show`). */
  selectedJob?: string;
}
