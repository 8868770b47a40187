/**
 * Drift: datasets with drifted share and verdict; per column the test, score, threshold and a
 * drifted badge; a reference-vs-current overlay per column; the data-check results.
 */
import type { DatasetDriftState, DriftReport } from '../../src/protocol/drift';
import { badge, type Tone } from '../components/badge';
import { overlayChart, type OverlayChart } from '../components/chart';
import { notice } from '../components/notice';
import type { View, ViewContext } from '../context';
import { el, replaceChildren } from '../dom';
import { chartSeries, datasetVerdict, formatAgo, formatCount, formatPercent, formatScore, parseDriftDatasets, type Verdict } from '../model';

const VERDICT: Record<Verdict, [string, Tone]> = {
  drift: ['drift detected', 'error'], 'no-drift': ['no drift', 'ok'], failed: ['checks failed', 'warn'], pending: ['computing…', 'muted'], error: ['error', 'error'],
};

const MAX_CHARTS = 24;

export class DriftView implements View {
  readonly element = el('div', { class: 'view view-drift', attrs: { 'data-view-body': 'drift' } });
  private charts: OverlayChart[] = [];
  private sig = '';

  update(ctx: ViewContext): void {
    const drift = ctx.data.drift;
    const { datasets, rejected } = parseDriftDatasets(drift?.datasets);
    const sig = JSON.stringify([drift?.enabled, datasets, ctx.state.selectedDataset, ctx.data.errors['/api/drift']]);
    if (sig === this.sig) return;
    this.sig = sig;
    this.disposeCharts();
    if (!drift) {
      const err = ctx.data.errors['/api/drift'];
      replaceChildren(this.element, err
        ? notice({ tone: 'error', state: 'drift-error', title: 'Could not load drift reports', body: [err] })
        : el('p', { class: 'muted' }, 'Loading drift reports…'));
      return;
    }
    if (!drift.enabled || datasets.length === 0) {
      replaceChildren(this.element, notice({
        tone: 'info', state: 'drift-not-configured', title: drift.enabled ? 'No datasets configured' : 'Drift monitoring is not configured',
        body: ['Compare the data your model or pipeline sees now with a reference sample: add a drift section to telltale.config.json, then restart the runtime.'],
        code: ['{ "drift": { "datasets": [{ "name": "orders", "reference": "data/reference.csv", "current": "data/current/*.csv" }] } }',
          'npx telltale drift data/reference.csv data/current.csv   # a one-off report in the terminal'],
      }));
      return;
    }
    const selected = datasets.find((d) => d.dataset === ctx.state.selectedDataset) ?? datasets[0];
    const list = el('div', { class: 'datasets', attrs: { role: 'listbox', 'aria-label': 'Datasets' } }, ...datasets.map((d) => {
      const [label, tone] = VERDICT[datasetVerdict(d)];
      const isSel = d === selected;
      return el('button', {
        class: `dataset${isSel ? ' selected' : ''}`, attrs: { type: 'button', role: 'option', 'aria-selected': String(isSel), 'data-dataset': d.dataset },
        on: { click: () => { ctx.state.selectedDataset = d.dataset; ctx.saveState(); ctx.refresh(); } },
      }, el('span', { class: 'dataset-name' }, d.dataset), badge(label, tone),
      d.report ? el('span', { class: 'muted' }, `${formatPercent(d.report.driftedShare)} of columns drifted`) : null);
    }));
    replaceChildren(this.element, list, rejected ? el('p', { class: 'muted' }, `${rejected} dataset entr${rejected === 1 ? 'y' : 'ies'} from the runtime could not be read.`) : null, this.renderDataset(selected, ctx));
  }

  private renderDataset(d: DatasetDriftState, ctx: ViewContext): HTMLElement {
    const when = d.updatedAt ? ` (updated ${formatAgo(d.updatedAt, Date.now())})` : '';
    if (d.status === 'error') return notice({ tone: 'error', state: 'drift-dataset-error', title: `${d.dataset}: the report failed${when}`, body: [d.message ?? 'unknown error'] });
    if (!d.report) return notice({ tone: 'info', state: 'drift-pending', title: `${d.dataset}: computing the first report`, body: ['The runtime reads both datasets and runs the tests; the report appears at the next refresh.'] });
    const r = d.report;
    return el('section', { class: 'dataset-detail', attrs: { 'data-dataset-detail': d.dataset } },
      el('h2', {}, d.dataset, ' ', badge(VERDICT[datasetVerdict(d)][0], VERDICT[datasetVerdict(d)][1])),
      el('p', { class: 'summary' },
        `${r.nDrifted} of ${r.nTested} tested columns drifted (${formatPercent(r.driftedShare)}; the dataset drifts at ${formatPercent(r.driftShare)}). `,
        `Reference: ${formatCount(r.reference.rows)} rows from ${r.reference.source.join(', ')}. Current: ${formatCount(r.current.rows)} rows from ${r.current.source.join(', ')}.${when}`),
      this.columnsTable(r),
      el('h3', {}, 'Reference vs current'),
      this.chartsGrid(r),
      el('h3', {}, 'Data checks'),
      this.checksTable(r, ctx),
    );
  }

  private columnsTable(r: DriftReport): HTMLElement {
    return el('div', { class: 'table-wrap' }, el('table', { class: 'grid drift-columns', attrs: { 'aria-label': 'Columns' } },
      el('thead', {}, el('tr', {}, ...['Column', 'Type', 'Test', 'Score', 'Threshold', 'Drift', 'Rows (ref / cur)'].map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
      el('tbody', {}, ...r.columns.map((c) => el('tr', { attrs: { 'data-column': c.column } },
        el('td', {}, c.column),
        el('td', {}, c.type),
        el('td', {}, c.test ?? '—'),
        el('td', { class: 'num' }, c.test ? `${formatScore(c.score)}${c.scoreKind === 'p_value' ? ' (p)' : ''}` : '—'),
        el('td', { class: 'num' }, c.threshold !== undefined ? formatScore(c.threshold) : '—'),
        el('td', {}, c.error ? badge('error', 'error', c.error) : c.skipped ? badge('skipped', 'muted', c.skipped) : c.drifted ? badge('drifted', 'error') : badge('ok', 'ok')),
        el('td', { class: 'num' }, `${formatCount(c.nReference)} / ${formatCount(c.nCurrent)}`))))));
  }

  private chartsGrid(r: DriftReport): HTMLElement {
    const withCharts = r.columns.filter((c) => c.chart);
    if (withCharts.length === 0) return el('p', { class: 'muted' }, 'No charts in this report.');
    // Drifted columns first: they are the ones worth looking at.
    const ordered = [...withCharts].sort((a, b) => Number(b.drifted) - Number(a.drifted));
    const grid = el('div', { class: 'charts charts-grid' });
    for (const c of ordered.slice(0, MAX_CHARTS)) {
      const s = chartSeries(c.chart!);
      const chart = overlayChart(`${c.column}${c.drifted ? ' — drifted' : ''}`, s.labels, s.reference, s.current);
      chart.element.setAttribute('data-chart-column', c.column);
      this.charts.push(chart);
      grid.appendChild(chart.element);
    }
    return el('div', {}, grid, withCharts.length > MAX_CHARTS ? el('p', { class: 'muted' }, `${withCharts.length - MAX_CHARTS} more columns not charted.`) : null);
  }

  private checksTable(r: DriftReport, _ctx: ViewContext): HTMLElement {
    if (r.checks.length === 0) return el('p', { class: 'muted' }, 'No data checks configured or triggered.');
    const tone = (s: string): Tone => (s === 'fail' ? 'error' : s === 'warn' ? 'warn' : 'ok');
    return el('div', { class: 'table-wrap' }, el('table', { class: 'grid drift-checks', attrs: { 'aria-label': 'Data checks' } },
      el('thead', {}, el('tr', {}, ...['Status', 'Check', 'Column', 'Value', 'Limit', 'Message'].map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
      el('tbody', {}, ...r.checks.map((c) => el('tr', { attrs: { 'data-check': c.check } },
        el('td', {}, badge(c.status, tone(c.status))),
        el('td', {}, c.check),
        el('td', {}, c.column ?? ''),
        el('td', { class: 'num' }, c.value === undefined ? '' : typeof c.value === 'number' ? formatScore(c.value) : c.value),
        el('td', { class: 'num' }, c.limit === undefined ? '' : typeof c.limit === 'number' ? formatScore(c.limit) : c.limit),
        el('td', {}, c.message))))));
  }

  private disposeCharts(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  dispose(): void { this.disposeCharts(); }

  restyle(): void { this.sig = ''; }
}
