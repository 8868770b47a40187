/**
 * Alerts: firing and recently resolved alerts of the runtime's rules (thresholds and SLO burn
 * rates), each with its rule and a link to the code it watches; then the rules and the notifiers.
 */
import { notice } from '../components/notice';
import type { View, ViewContext } from '../context';
import { el, replaceChildren } from '../dom';
import { alertRows, formatAgo, type AlertRow } from '../model';
import { codeButton } from './common';

/** No rule configured: how to add some. */
export function alertsEmpty(): HTMLElement {
  return notice({
    tone: 'info', state: 'no-alert-rules', title: 'No alert rules configured',
    body: ['Nothing is evaluated, so nothing can fire. Turn on the built-in rules (route error ratio and p95, failing jobs, targets down, drifted datasets) or write your own thresholds and SLO burn-rate rules in telltale.config.json:'],
    code: ['{ "alerts": { "defaults": true, "notifiers": [{ "name": "editor", "type": "vscode" }] } }'],
  });
}

/** The firing alerts as a compact list (also used by the Overview). */
export function alertList(rows: AlertRow[], ctx: ViewContext, empty: string): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'muted', attrs: { 'data-alerts-empty': '' } }, empty);
  return el('table', { class: 'table alerts' },
    el('thead', {}, el('tr', {}, ...['Severity', 'Alert', 'About', 'Value', 'Since', 'Code'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', { attrs: { 'data-alert': r.rule, 'data-status': r.status } },
      el('td', {}, el('span', { class: `badge badge-${r.status === 'firing' ? 'error' : r.status === 'pending' ? 'warn' : 'ok'}` }, r.severity)),
      el('td', {}, el('strong', {}, r.rule), r.summary ? el('div', { class: 'muted' }, r.summary) : null),
      el('td', {}, el('code', {}, r.subject || '—')),
      el('td', { class: 'num' }, r.value),
      el('td', {}, formatAgo(r.since, ctx.now())),
      el('td', {}, r.code ? codeButton(ctx, r.code) : '—'),
    ))));
}

export class AlertsView implements View {
  readonly element = el('div', { class: 'view view-alerts', attrs: { 'data-view-body': 'alerts' } });

  update(ctx: ViewContext): void {
    const alerts = ctx.data.alerts;
    const error = ctx.data.errors['/api/alerts'];
    if (!alerts) {
      replaceChildren(this.element, error
        ? notice({ tone: 'error', state: 'alerts-error', title: 'Alerts could not be loaded', body: [error] })
        : el('p', { class: 'muted' }, 'Loading alerts…'));
      return;
    }
    if (!alerts.enabled) { replaceChildren(this.element, alertsEmpty()); return; }
    const rows = alertRows(alerts);
    replaceChildren(this.element,
      el('p', { class: 'muted' }, alerts.evaluatedAt ? `Evaluated every ${alerts.intervalSeconds} s, last ${formatAgo(alerts.evaluatedAt, ctx.now())}.` : 'Waiting for the first evaluation.'),
      el('h2', {}, `Firing (${rows.firing.length})`), alertList(rows.firing, ctx, 'Nothing is firing.'),
      ...(rows.pending.length ? [el('h2', {}, `Pending (${rows.pending.length})`), alertList(rows.pending, ctx, '')] : []),
      el('h2', {}, 'Recently resolved'), alertList(rows.resolved, ctx, 'None.'),
      el('h2', {}, 'Rules'),
      el('table', { class: 'table rules' },
        el('thead', {}, el('tr', {}, ...['Rule', 'Condition', 'Firing', 'Health'].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...alerts.rules.map((r) => el('tr', { attrs: { 'data-rule': r.name } },
          el('td', {}, r.name, r.builtin ? el('span', { class: 'muted' }, ' (built-in)') : null),
          el('td', {}, el('code', {}, r.expression)),
          el('td', { class: 'num' }, String(r.firing)),
          el('td', {}, r.health === 'error' ? el('span', { class: 'error-text' }, r.lastError ?? 'error') : r.health))))),
      ...(alerts.notifiers.length ? [el('h2', {}, 'Notifiers'),
        el('table', { class: 'table notifiers' },
          el('thead', {}, el('tr', {}, ...['Notifier', 'Type', 'State', 'Sent', 'Last error'].map((h) => el('th', {}, h)))),
          el('tbody', {}, ...alerts.notifiers.map((n) => el('tr', { attrs: { 'data-notifier': n.name } },
            el('td', {}, n.name), el('td', {}, n.type),
            el('td', {}, el('span', { class: `badge badge-${n.state === 'failing' ? 'error' : n.state === 'ok' ? 'ok' : 'muted'}` }, n.state)),
            el('td', { class: 'num' }, String(n.sent)),
            el('td', {}, n.lastError ? n.lastError.message : '—')))))] : []),
    );
  }
}
