/**
 * Routes: one row per route (method, template, req/s, error %, p50/p95/p99, sparkline), sortable
 * and filterable, uninstrumented routes with an Instrument action. Rows are keyed and updated in
 * place (only changed text is written) so a thousand live routes repaint within a frame.
 * Selecting a row opens its handler and shows the route's rate, errors and latency over time.
 */
import type { RouteSortKey } from '../../src/protocol/dashboard';
import { button } from '../components/button';
import { panelChart, type TimeChart } from '../components/chart';
import { notice } from '../components/notice';
import { sparkline, type Sparkline } from '../components/sparkline';
import { textField, type TextField } from '../components/text-field';
import type { View, ViewContext } from '../context';
import { el, replaceChildren, setText } from '../dom';
import { afterPaint, measureToPaint } from '../frame';
import type { RouteField } from '../history';
import {
  buildRouteRows, filterRoutes, formatPercent, formatRate, formatSeconds, nextSort, sortRoutes, type RouteRow,
} from '../model';
import { codeButton, codeLinkButton, pageConditions, type CodeLinkButton } from './common';

const COLUMNS: { key: RouteSortKey | null; label: string; num?: boolean; title?: string }[] = [
  { key: 'method', label: 'Method' },
  { key: 'route', label: 'Route' },
  { key: 'rate', label: 'Req/s', num: true, title: 'Requests per second over the window' },
  { key: 'errorRatio', label: 'Error %', num: true, title: 'Share of 5xx responses' },
  { key: 'p50', label: 'p50', num: true },
  { key: 'p95', label: 'p95', num: true },
  { key: 'p99', label: 'p99', num: true },
  { key: null, label: 'Trend', title: 'Requests per second, recent updates' },
  { key: null, label: 'Code' },
];

const SPARK_POINTS = 30;
/** Row height in px (media/dashboard.css `table.routes tbody tr`), for the scroll window. */
const ROW_PX = 32;
/** Up to this many rows are all rendered; more are windowed. */
const WINDOW_ALL = 150;
const WINDOW_MARGIN = 4;

/**
 * A rendered row. Rows are recycled: the window's i-th slot shows whichever route is i-th there,
 * so a re-sort rewrites text in place instead of moving rows (moved rows are styled and laid out
 * again from scratch).
 */
interface Slot {
  /** The route shown, if any. */
  key?: string;
  tr: HTMLTableRowElement;
  method: HTMLTableCellElement;
  route: HTMLTableCellElement;
  rate: HTMLTableCellElement;
  errorRatio: HTMLTableCellElement;
  p50: HTMLTableCellElement;
  p95: HTMLTableCellElement;
  p99: HTMLTableCellElement;
  spark: Sparkline;
  code: HTMLTableCellElement;
  link: CodeLinkButton;
  noCode: HTMLElement;
  /** The route the Instrument button is for ('' when there is none). */
  fixFor: string;
  fix?: HTMLElement;
}

interface Detail { key: string; element: HTMLElement; charts: TimeChart[] }

export class RoutesView implements View {
  readonly element = el('div', { class: 'view view-routes', attrs: { 'data-view-body': 'routes' } });
  private readonly conditionsEl = el('div', { class: 'conditions' });
  private conditionsSig = '';
  private readonly countEl = el('span', { class: 'muted', attrs: { 'data-field': 'route-count', 'aria-live': 'polite' } });
  private readonly headers = new Map<RouteSortKey, HTMLTableCellElement>();
  private readonly tbody = el('tbody', { attrs: { role: 'rowgroup' } });
  private readonly emptyRow = el('tr', { class: 'empty-row' }, el('td', { attrs: { colspan: COLUMNS.length } }));
  /** Row slots; the first `rendered` are in the table, in order. */
  private readonly slots: Slot[] = [];
  private rendered = 0;
  private spacers = false;
  /** Every shown (filtered, sorted) row, rendered or not. */
  private shown: RouteRow[] = [];
  private current = new Map<string, RouteRow>();
  private readonly wrap = el('div', { class: 'table-wrap routes-wrap' });
  private readonly topSpacer = el('tr', { class: 'spacer', attrs: { 'aria-hidden': 'true' } }, el('td', { attrs: { colspan: COLUMNS.length } }));
  private readonly bottomSpacer = el('tr', { class: 'spacer', attrs: { 'aria-hidden': 'true' } }, el('td', { attrs: { colspan: COLUMNS.length } }));
  private scrollQueued = false;
  private filter?: TextField;
  private ctx?: ViewContext;
  private readonly detailEl = el('section', { class: 'detail', attrs: { 'aria-label': 'Selected route' } });
  private detail?: Detail;
  private built = false;
  private inputs: unknown[] = [];
  private chartQueued = false;
  /** A route to scroll into view once the rows include it. */
  private revealKey?: string;

  private build(ctx: ViewContext): void {
    this.built = true;
    this.filter = textField({
      label: 'Filter routes', placeholder: 'Filter by method, path, file…', value: ctx.state.routeFilter, name: 'route-filter',
      onInput: (v) => { ctx.state.routeFilter = v; ctx.saveState(); this.update(ctx); },
    });
    // explicit roles: the CSS lays the table out as flex rows, which would drop its table semantics
    const headRow = el('tr', { attrs: { role: 'row', 'aria-rowindex': 1 } });
    for (const c of COLUMNS) {
      const th = el('th', { class: c.num ? 'num' : undefined, attrs: { role: 'columnheader', scope: 'col', title: c.title } });
      if (c.key) {
        const key = c.key;
        th.appendChild(el('button', { class: 'sort', attrs: { type: 'button', 'data-sort': key }, on: { click: () => {
          ctx.state.routeSort = nextSort(ctx.state.routeSort, key);
          ctx.saveState();
          this.update(ctx);
        } } }, c.label));
        this.headers.set(key, th);
      } else th.appendChild(document.createTextNode(c.label));
      headRow.appendChild(th);
    }
    this.tbody.addEventListener('keydown', (ev) => this.onKey(ev));
    this.wrap.appendChild(el('table', { class: 'grid routes', attrs: { role: 'table', 'aria-label': 'Routes', 'aria-rowcount': 0 } }, el('thead', { attrs: { role: 'rowgroup' } }, headRow), this.tbody));
    // Scrolling a long table, or the view growing (a taller panel; the first rows making the table
    // reach its full height), renders the rows that come into view (on the next frame).
    const rerender = () => {
      if (this.scrollQueued) return;
      this.scrollQueued = true;
      requestAnimationFrame(() => { this.scrollQueued = false; if (this.ctx) this.renderRows(this.ctx); });
    };
    this.wrap.addEventListener('scroll', rerender, { passive: true });
    let height = -1;
    new ResizeObserver(() => { if (this.wrap.clientHeight !== height) { height = this.wrap.clientHeight; rerender(); } }).observe(this.wrap);
    replaceChildren(this.element,
      this.conditionsEl,
      el('div', { class: 'toolbar' }, this.filter.element, this.countEl),
      this.wrap,
      this.detailEl,
    );
  }

  update(ctx: ViewContext): void {
    this.ctx = ctx;
    if (!this.built) this.build(ctx);
    const d = ctx.data;

    // Conditions: rebuilt only when they change.
    const conds = pageConditions(ctx, ['no-targets', 'target-down', 'waiting', 'no-route-metrics', 'no-traffic']);
    const sig = conds.map((c) => c.textContent).join('\u0000');
    if (sig !== this.conditionsSig) { this.conditionsSig = sig; replaceChildren(this.conditionsEl, ...conds); }

    // Rows and charts are rebuilt only when something they show changed (an update that carries
    // only the time changes nothing here).
    const inputs = [d.routes, d.inventory, ctx.state.routeFilter, ctx.state.routeSort.key, ctx.state.routeSort.dir, ctx.state.selectedRoute, ctx.history.version];
    if (!this.revealKey && inputs.length === this.inputs.length && inputs.every((v, i) => v === this.inputs[i])) return;
    this.inputs = inputs;

    const all = buildRouteRows(d.routes, d.inventory);
    this.current = new Map(all.map((r) => [r.key, r]));
    const shown = sortRoutes(filterRoutes(all, ctx.state.routeFilter), ctx.state.routeSort);
    const missing = all.filter((r) => !r.instrumented).length;
    setText(this.countEl, `${shown.length === all.length ? `${all.length}` : `${shown.length} of ${all.length}`} route${all.length === 1 ? '' : 's'}`
      + (missing ? ` · ${missing} not instrumented` : '') + (d.routes ? ` · over the last ${d.routes.windowSeconds} s` : ''));
    for (const [key, th] of this.headers) {
      const aria = ctx.state.routeSort.key === key ? (ctx.state.routeSort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
      if (th.getAttribute('aria-sort') !== aria) th.setAttribute('aria-sort', aria);
    }

    this.shown = shown;
    this.renderRows(ctx);
    // Scrolled once the spacers have the height of this list (a filter may just have been cleared).
    const reveal = this.revealKey ? shown.findIndex((r) => r.key === this.revealKey) : -1;
    if (reveal >= 0) {
      this.revealKey = undefined;
      this.centerRow(reveal, ctx);
    }
    this.updateDetail(ctx);
  }

  /**
   * Renders the rows in view. Up to WINDOW_ALL rows are all in the DOM; beyond that only the rows
   * within the scrolled window (plus a margin) are, between two spacer rows of the right height,
   * so a thousand live routes cost what forty do. Rows have a fixed height (ROW_PX, in the CSS).
   */
  private renderRows(ctx: ViewContext): void {
    const shown = this.shown;
    const n = shown.length;
    let start = 0, end = n;
    if (n > WINDOW_ALL) {
      const view = this.wrap.clientHeight || 600; // 0 while the view is hidden
      start = Math.max(0, Math.floor(this.wrap.scrollTop / ROW_PX) - WINDOW_MARGIN);
      end = Math.min(n, start + Math.ceil(view / ROW_PX) + 2 * WINDOW_MARGIN);
    }
    const table = this.tbody.parentElement;
    if (table && table.getAttribute('aria-rowcount') !== String(n + 1)) table.setAttribute('aria-rowcount', String(n + 1));
    if (n === 0) {
      setText(this.emptyRow.firstChild!, this.current.size ? `No route matches “${ctx.state.routeFilter}”.` : 'No routes yet: the runtime has not seen any route metrics, and the inventory lists none.');
      if (this.tbody.firstChild !== this.emptyRow || this.tbody.childNodes.length !== 1) this.tbody.replaceChildren(this.emptyRow);
      this.rendered = 0;
      return;
    }
    // The route that has the focus keeps it when it moves to another slot.
    const active = document.activeElement;
    const focusedKey = active instanceof HTMLTableRowElement && active.parentElement === this.tbody ? active.getAttribute('data-key') : null;
    const count = end - start;
    while (this.slots.length < count) this.slots.push(this.createSlot());
    for (let i = 0; i < count; i++) this.fillSlot(this.slots[i], shown[start + i], start + i, ctx);
    const spacers = n > WINDOW_ALL;
    if (count !== this.rendered || spacers !== this.spacers || this.tbody.firstChild === this.emptyRow) {
      const trs = this.slots.slice(0, count).map((s) => s.tr);
      this.tbody.replaceChildren(...(spacers ? [this.topSpacer, ...trs, this.bottomSpacer] : trs));
      this.rendered = count;
      this.spacers = spacers;
    }
    const topPx = `${start * ROW_PX}px`, bottomPx = `${(n - end) * ROW_PX}px`;
    if (this.topSpacer.style.height !== topPx) this.topSpacer.style.height = topPx;
    if (this.bottomSpacer.style.height !== bottomPx) this.bottomSpacer.style.height = bottomPx;
    if (focusedKey && active?.getAttribute('data-key') !== focusedKey) this.slotOf(focusedKey)?.tr.focus({ preventScroll: true });
  }

  /** The rendered slot showing `key`. */
  private slotOf(key: string): Slot | undefined {
    for (let i = 0; i < this.rendered; i++) if (this.slots[i].key === key) return this.slots[i];
    return undefined;
  }

  private createSlot(): Slot {
    const td = (cls?: string) => el('td', { class: cls, attrs: { role: 'cell' } });
    const tr = el('tr', { attrs: { role: 'row', tabindex: 0, 'aria-selected': 'false' } });
    const slot: Slot = {
      tr, method: td('method'), route: td('route'), rate: td('num'), errorRatio: td('num'), p50: td('num'), p95: td('num'), p99: td('num'),
      spark: sparkline('Requests per second'), code: td('code'), link: codeLinkButton(this.ctx!),
      noCode: el('span', { class: 'muted' }, 'not in inventory'), fixFor: '',
    };
    slot.code.append(slot.link.element, slot.noCode);
    slot.rate.dataset.col = 'rate';
    slot.errorRatio.dataset.col = 'errorRatio';
    slot.p50.dataset.col = 'p50';
    slot.p95.dataset.col = 'p95';
    slot.p99.dataset.col = 'p99';
    const sparkCell = td('spark-cell');
    sparkCell.appendChild(slot.spark.element);
    tr.append(slot.method, slot.route, slot.rate, slot.errorRatio, slot.p50, slot.p95, slot.p99, sparkCell, slot.code);
    tr.addEventListener('click', () => { if (slot.key) this.activate(slot.key); });
    return slot;
  }

  private fillSlot(slot: Slot, r: RouteRow, index: number, ctx: ViewContext): void {
    if (slot.key !== r.key) {
      slot.key = r.key;
      slot.tr.setAttribute('data-key', r.key);
      slot.spark.setLabel(`Requests per second of ${r.key}`);
    }
    const rowIndex = String(index + 2);
    if (slot.tr.getAttribute('aria-rowindex') !== rowIndex) slot.tr.setAttribute('aria-rowindex', rowIndex);
    setText(slot.method, r.method);
    setText(slot.route, r.route);
    setText(slot.rate, r.instrumented ? formatRate(r.rate) : 'not instrumented');
    setText(slot.errorRatio, formatPercent(r.errorRatio));
    setText(slot.p50, formatSeconds(r.p50));
    setText(slot.p95, formatSeconds(r.p95));
    setText(slot.p99, formatSeconds(r.p99));
    const errCls = r.errorRatio !== null && r.errorRatio >= 0.05 ? 'num bad' : r.errorRatio ? 'num warn' : 'num';
    if (slot.errorRatio.className !== errCls) slot.errorRatio.className = errCls;
    const selected = ctx.state.selectedRoute === r.key;
    const trCls = `${r.instrumented ? '' : 'uninstrumented'}${selected ? ' selected' : ''}`.trim();
    if (slot.tr.className !== trCls) {
      slot.tr.className = trCls;
      slot.tr.setAttribute('aria-selected', String(selected));
    }
    slot.spark.update(ctx.history.ring(r.key, 'rate')?.lastValues(SPARK_POINTS) ?? []);
    const code = r.code;
    slot.link.set(code);
    if (slot.noCode.hidden !== Boolean(code)) slot.noCode.hidden = Boolean(code);
    const fixFor = !r.instrumented && code ? r.key : '';
    if (fixFor !== slot.fixFor) {
      slot.fixFor = fixFor;
      slot.fix?.remove();
      slot.fix = fixFor && code ? button('Instrument', () => ctx.host.runFix('add-route-metrics', code.file, code.line, code.column), {
        appearance: 'secondary', name: 'instrument', title: `Add a request-duration histogram to ${r.method} ${r.route}`,
      }) : undefined;
      if (slot.fix) slot.code.appendChild(slot.fix);
    }
  }

  /**
   * Scrolls `key` into view on the next update (a code lens asked for it). A filter that hides it
   * is cleared, so the route asked for is always shown.
   */
  reveal(key: string, ctx: ViewContext): void {
    this.revealKey = key;
    if (ctx.state.routeFilter && !filterRoutes(buildRouteRows(ctx.data.routes, ctx.data.inventory), ctx.state.routeFilter).some((r) => r.key === key)) {
      ctx.state.routeFilter = '';
      this.filter?.setValue('');
    }
  }

  /** Click / Enter on a row: select it (charts below) and jump to its handler. */
  private activate(key: string): void {
    const ctx = this.ctx;
    const r = this.current.get(key);
    if (!ctx || !r) return;
    ctx.state.selectedRoute = key;
    ctx.saveState();
    if (r.code) ctx.host.openFile(r.code.file, r.code.line, r.code.column);
    this.update(ctx);
  }

  private onKey(ev: KeyboardEvent): void {
    const tr = (ev.target as HTMLElement).closest('tr');
    if (!tr || tr.parentElement !== this.tbody) return;
    const key = tr.getAttribute('data-key');
    if (!key) return;
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); this.activate(key); return; }
    const i = this.shown.findIndex((r) => r.key === key);
    const page = Math.max(1, Math.floor(this.wrap.clientHeight / ROW_PX) - 1);
    const target = ev.key === 'ArrowDown' ? i + 1 : ev.key === 'ArrowUp' ? i - 1 : ev.key === 'PageDown' ? i + page : ev.key === 'PageUp' ? i - page
      : ev.key === 'Home' ? 0 : ev.key === 'End' ? this.shown.length - 1 : undefined;
    if (target === undefined || i < 0) return;
    ev.preventDefault();
    this.focusIndex(Math.max(0, Math.min(this.shown.length - 1, target)));
  }

  /** Moves the focus to the i-th shown row, scrolling it into the rendered window first. */
  private focusIndex(i: number): void {
    const key = this.shown[i]?.key;
    if (!key || !this.ctx) return;
    // a short list is all rendered: focus() scrolls it natively
    if (this.shown.length > WINDOW_ALL) this.centerRow(i, this.ctx);
    this.slotOf(key)?.tr.focus();
  }

  /** Scrolls the i-th shown row to the middle of the table when it is out of view, rendering that window. */
  private centerRow(i: number, ctx: ViewContext): void {
    const top = i * ROW_PX, view = this.wrap.clientHeight;
    if (top >= this.wrap.scrollTop && top + ROW_PX <= this.wrap.scrollTop + view) return;
    this.wrap.scrollTop = Math.max(0, top - Math.floor(view / 2));
    this.renderRows(ctx);
  }

  private updateDetail(ctx: ViewContext): void {
    const key = ctx.state.selectedRoute;
    const r = key ? this.current.get(key) : undefined;
    if (!key || !r) {
      if (this.detail || this.detailEl.childNodes.length === 0) {
        this.disposeDetail();
        replaceChildren(this.detailEl, el('p', { class: 'muted hint' }, 'Select a route (click, or Enter on a focused row) to see its rate, errors and latency over time and jump to its handler.'));
      }
      return;
    }
    if (this.detail?.key !== key) {
      this.disposeDetail();
      const head = el('div', { class: 'detail-head' }, el('h2', {}, el('span', { class: 'method' }, r.method), ' ', r.route), r.code ? codeButton(ctx, r.code) : null);
      if (!r.instrumented) {
        replaceChildren(this.detailEl, head, notice({ tone: 'warn', state: 'route-uninstrumented', title: 'This route is not instrumented',
          body: ['It records no request metrics, so it has no numbers. Use Instrument to add a request-duration histogram labelled by method, route template and status.'] }));
        this.detail = { key, element: head, charts: [] };
        return;
      }
      const chart = panelChart(`${r.method} ${r.route} over time`, [
        { title: 'Requests', series: [{ label: 'req/s', colorVar: 0 }], format: (v) => formatRate(v) },
        { title: 'Errors', series: [{ label: '5xx share', colorVar: 2 }], format: (v) => formatPercent(v), max: 1 },
        { title: 'Latency', series: [{ label: 'p50', colorVar: 4 }, { label: 'p95', colorVar: 1 }, { label: 'p99', colorVar: 3 }], format: (v) => formatSeconds(v), weight: 1.4 },
      ]);
      replaceChildren(this.detailEl, head, chart.element);
      this.detail = { key, element: head, charts: [chart] };
    }
    if (this.detail.charts.length === 0 || this.chartQueued) return;
    // The chart is drawn in the task after the table's paint (see frame.ts): one frame each.
    this.chartQueued = true;
    afterPaint(() => {
      this.chartQueued = false;
      const d = this.detail;
      if (!d || d.charts.length === 0) return;
      const pts = (f: RouteField) => (ctx.history.ring(d.key, f)?.points() ?? []).map((p) => ({ x: p.t, y: Number.isFinite(p.v) ? p.v : null }));
      d.charts[0].update([pts('rate'), pts('errorRatio'), pts('p50'), pts('p95'), pts('p99')]);
      measureToPaint('telltale:chart-to-paint');
    });
  }

  private disposeDetail(): void {
    for (const c of this.detail?.charts ?? []) c.destroy();
    this.detail = undefined;
  }

  dispose(): void { this.disposeDetail(); }

  restyle(): void {
    this.disposeDetail();
    this.inputs = [];
  }
}
