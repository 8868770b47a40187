/**
 * Overview: runtime and target health, inventory coverage by framework / job kind, firing alerts.
 * Rebuilt on each update (a handful of rows; the live tables are in routes.ts / jobs.ts).
 */
import { badge } from '../components/badge';
import { notice } from '../components/notice';
import type { View, ViewContext } from '../context';
import { el, replaceChildren } from '../dom';
import { buildJobRows, buildRouteRows, coverageByFramework, formatAgo, formatCount, formatPercent, formatRate, formatSeconds, sortRoutes } from '../model';
import { alertList, alertsEmpty } from './alerts';
import { alertRows } from '../model';
import { codeButton, pageConditions } from './common';

export class OverviewView implements View {
  readonly element = el('div', { class: 'view view-overview', attrs: { 'data-view-body': 'overview' } });

  update(ctx: ViewContext): void {
    const d = ctx.data;
    const now = ctx.now();
    const targets = d.targets?.targets ?? [];
    const up = targets.filter((t) => t.health === 'up').length;
    const routes = buildRouteRows(d.routes, d.inventory);
    const measured = routes.filter((r) => r.instrumented);
    const totalRate = measured.reduce((s, r) => s + (r.rate ?? 0), 0);
    const totalReq = measured.reduce((s, r) => s + (r.requests ?? 0), 0);
    const totalErr = measured.reduce((s, r) => s + (r.errors ?? 0), 0);
    const jobs = buildJobRows(d.jobs, d.inventory);
    const failing = jobs.filter((j) => j.status === 'failing').length;

    const card = (label: string, value: string, sub: string, tone?: 'ok' | 'warn' | 'error', name?: string) =>
      el('div', { class: `card${tone ? ` card-${tone}` : ''}`, attrs: { 'data-card': name } },
        el('div', { class: 'card-label' }, label), el('div', { class: 'card-value' }, value), el('div', { class: 'card-sub' }, sub));

    const cards = el('div', { class: 'cards' },
      card('Runtime', d.health ? `v${d.health.version}` : 'running', d.health ? `${d.health.source === 'prometheus' ? 'Prometheus source' : 'local store'} · up ${formatAgo(d.health.startedAt, now).replace(' ago', '')} · ${formatCount(d.health.series)} series` : '', 'ok', 'runtime'),
      card('Targets', targets.length ? `${up}/${targets.length} up` : 'none', targets.length ? targets.map((t) => t.name).join(', ') : 'add one to see live numbers', targets.length === 0 ? 'warn' : up < targets.length ? 'error' : 'ok', 'targets'),
      card('Traffic', formatRate(totalRate), `${formatCount(Math.round(totalReq))} requests, ${totalReq ? formatPercent(totalErr / totalReq) : '—'} errors over ${d.routes?.windowSeconds ?? '—'} s`, totalReq && totalErr / totalReq > 0.05 ? 'error' : undefined, 'traffic'),
      card('Jobs', jobs.length ? `${failing} failing` : 'none', `${jobs.length} job${jobs.length === 1 ? '' : 's'} known`, failing ? 'error' : jobs.length ? 'ok' : undefined, 'jobs'),
    );

    const targetTable = targets.length === 0 ? null : el('table', { class: 'grid', attrs: { 'aria-label': 'Targets' } },
      el('thead', {}, el('tr', {}, ...['Target', 'URL', 'Health', 'Last scrape', 'Duration', 'Series', 'Last error'].map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
      el('tbody', {}, ...targets.map((t) => el('tr', { attrs: { 'data-target': t.name } },
        el('td', {}, t.name),
        el('td', {}, el('code', {}, t.url)),
        el('td', {}, badge(t.health, t.health === 'up' ? 'ok' : t.health === 'down' ? 'error' : 'muted')),
        el('td', {}, formatAgo(t.lastScrape, now)),
        el('td', { class: 'num' }, t.lastDurationMs !== undefined ? formatSeconds(t.lastDurationMs / 1000) : '—'),
        el('td', { class: 'num' }, formatCount(t.series)),
        el('td', { class: 'error-text' }, t.lastError ? `${t.lastError.kind}: ${t.lastError.message}` : '')))));

    const busiest = sortRoutes(measured.filter((r) => (r.requests ?? 0) > 0), { key: 'rate', dir: 'desc' }).slice(0, 5);
    const busiestTable = busiest.length === 0 ? null : el('table', { class: 'grid', attrs: { 'aria-label': 'Busiest routes' } },
      el('thead', {}, el('tr', {}, ...['Method', 'Route', 'Req/s', 'Error %', 'p95', 'Code'].map((h) => el('th', { class: /Req|Error|p95/.test(h) ? 'num' : undefined, attrs: { scope: 'col' } }, h)))),
      el('tbody', {}, ...busiest.map((r) => el('tr', { attrs: { 'data-busiest': r.key } },
        el('td', { class: 'method' }, r.method),
        el('td', { class: 'route' }, r.route),
        el('td', { class: 'num' }, formatRate(r.rate)),
        el('td', { class: `num${r.errorRatio !== null && r.errorRatio >= 0.05 ? ' bad' : ''}` }, formatPercent(r.errorRatio)),
        el('td', { class: 'num' }, formatSeconds(r.p95)),
        el('td', { class: 'code' }, r.code ? codeButton(ctx, r.code) : '')))));

    const coverage = coverageByFramework(d.inventory);
    const uninstrumented = routes.filter((r) => !r.instrumented).length;
    const coverageBlock = coverage.length === 0 ? null : el('table', { class: 'grid', attrs: { 'aria-label': 'Inventory coverage' } },
      el('thead', {}, el('tr', {}, ...['', 'Framework / kind', 'Instrumented', 'Coverage'].map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
      el('tbody', {}, ...coverage.map((c) => el('tr', { attrs: { 'data-coverage': `${c.kind}:${c.group}` } },
        el('td', {}, c.kind),
        el('td', {}, c.group),
        el('td', { class: 'num' }, `${c.instrumented} of ${c.total}`),
        el('td', {}, el('meter', { attrs: { min: 0, max: c.total, value: c.instrumented, low: c.total * 0.5, high: c.total * 0.99, optimum: c.total, title: `${c.instrumented} of ${c.total}` } }))))));

    replaceChildren(this.element,
      cards,
      ...pageConditions(ctx, ['no-targets', 'target-down', 'waiting', 'no-route-metrics']),
      busiestTable ? el('h2', {}, 'Busiest routes') : null,
      busiestTable,
      el('h2', {}, 'Targets'),
      targetTable ?? (d.health?.source === 'prometheus' ? el('p', { class: 'muted' }, 'The views come from a Prometheus server; the runtime scrapes nothing itself.') : el('p', { class: 'muted' }, 'No targets yet (see above).')),
      el('h2', {}, 'Inventory coverage'),
      coverageBlock
        ? el('div', {}, coverageBlock, uninstrumented ? el('p', { class: 'muted' }, `${uninstrumented} route${uninstrumented === 1 ? ' is' : 's are'} not instrumented: see Routes to instrument ${uninstrumented === 1 ? 'it' : 'them'}.`) : null)
        : (d.inventory === undefined ? el('p', { class: 'muted' }, 'Loading the inventory…') : pageConditions(ctx, ['empty-inventory'])[0]
          ?? notice({ tone: 'info', state: 'empty-inventory', title: 'The inventory lists no routes or jobs', body: ['The analysis found no routes or jobs in this workspace.'] })),
      el('h2', {}, 'Firing alerts'),
      !d.alerts ? el('p', { class: 'muted' }, d.errors['/api/alerts'] ? `Alerts could not be loaded: ${d.errors['/api/alerts']}` : 'Loading alerts…')
        : d.alerts.enabled ? alertList(alertRows(d.alerts).firing, ctx, 'Nothing is firing.') : alertsEmpty(),
    );
  }
}
