/** What every view gets: the data the runtime served, the saved view state, the history and the host. */
import type { ApiPath, DashboardViewState, RuntimeStatus } from '../src/protocol/dashboard';
import type { Inventory } from '../src/protocol/inventory';
import type { DriftResponse, HealthResponse, JobsResponse, RoutesResponse, TargetsResponse } from '../src/protocol/runtime';
import type { AlertsResponse } from '../src/protocol/alerts';
import type { RouteHistory } from './history';
import type { Host } from './host';

export interface DashboardData {
  runtime: RuntimeStatus;
  health?: HealthResponse;
  targets?: TargetsResponse;
  routes?: RoutesResponse;
  jobs?: JobsResponse;
  drift?: DriftResponse;
  /** `/api/alerts`: firing, pending and recently resolved alerts with their rules. */
  alerts?: AlertsResponse;
  /** undefined until loaded; null when the runtime has no inventory. */
  inventory?: Inventory | null;
  /** The last failure per endpoint (cleared by the next success). */
  errors: Partial<Record<ApiPath, string>>;
}

export interface ViewContext {
  readonly host: Host;
  readonly data: DashboardData;
  readonly state: DashboardViewState;
  readonly history: RouteHistory;
  /** The runtime's clock as last seen (so "ago" matches its timestamps), else the browser's. */
  now(): number;
  /** Persists the view state (getState/setState or sessionStorage). */
  saveState(): void;
  /** Re-renders the active view. */
  refresh(): void;
}

export interface View {
  readonly element: HTMLElement;
  update(ctx: ViewContext): void;
  /** Releases charts when the dashboard is torn down. */
  dispose?(): void;
  /** The theme changed: pictures that hold colours (canvas charts) are redrawn on the next update. */
  restyle?(): void;
}
