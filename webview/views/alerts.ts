/** Alerts: the runtime has no alert evaluator yet, so this says so plainly instead of an empty list. */
import { notice } from '../components/notice';
import type { View, ViewContext } from '../context';
import { el, replaceChildren } from '../dom';

export function alertsEmpty(): HTMLElement {
  return notice({
    tone: 'info', state: 'no-alert-rules', title: 'No alert rules configured',
    body: ['Nothing is firing because no alert rules are evaluated. Alert rules (thresholds and SLO burn rates on these metrics) are not available in this version of the runtime; firing and recently resolved alerts will be listed here, each with its rule and the code it watches.'],
  });
}

export class AlertsView implements View {
  readonly element = el('div', { class: 'view view-alerts', attrs: { 'data-view-body': 'alerts' } });
  private rendered = false;

  update(_ctx: ViewContext): void {
    if (this.rendered) return;
    this.rendered = true;
    replaceChildren(this.element, el('h2', {}, 'Firing'), alertsEmpty(), el('h2', {}, 'Recently resolved'), el('p', { class: 'muted' }, 'None.'));
  }
}
