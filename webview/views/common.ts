/** Notices shared by several views: the page conditions of model.ts, rendered with what to do next. */
import { button } from '../components/button';
import { notice } from '../components/notice';
import { el, setText } from '../dom';
import type { ViewContext } from '../context';
import { conditions, formatAgo, type Condition } from '../model';

export function conditionNotice(c: Condition, ctx: ViewContext): HTMLElement {
  switch (c.kind) {
    case 'no-targets': {
      const s = c.suggestions;
      return notice({
        tone: 'info', state: 'no-targets', title: 'No targets configured',
        body: [
          'The runtime scrapes the Prometheus endpoint of your running app. Tell it where that endpoint is, in telltale.config.json or with --target:',
          ...(s.length ? [el('p', {}, 'Your code serves metrics here, so the target is probably that path on the port your app listens on:'),
            el('ul', { class: 'suggestions' }, ...s.map((x) => el('li', {},
              el('code', {}, x.path), ' — ',
              el('button', { class: 'link', attrs: { type: 'button' }, on: { click: () => ctx.host.openFile(x.file, x.line) } }, `${x.file}:${x.line}`))))] : []),
        ],
        code: [
          `{ "runtime": { "targets": [{ "url": "http://127.0.0.1:3000${s[0]?.path ?? '/metrics'}" }] } }`,
          `npx telltale runtime --target http://127.0.0.1:3000${s[0]?.path ?? '/metrics'}`,
        ],
      });
    }
    case 'target-down': {
      const t = c.target;
      return notice({
        tone: 'error', state: 'target-down', title: `Target ${t.name} is down`,
        body: [
          el('p', {}, 'Scraping ', el('code', {}, t.url), ` failed ${formatAgo(t.lastError?.at ?? t.lastScrape, ctx.now())}: `,
            el('span', { class: 'error-text', attrs: { 'data-field': 'target-error' } }, t.lastError ? `${t.lastError.kind}: ${t.lastError.message}` : 'no answer')),
          t.lastSuccess ? `Last successful scrape ${formatAgo(t.lastSuccess, ctx.now())}; the numbers below are from then.` : 'It has never been scraped successfully. Is the app running, and does it listen on that port?',
        ],
      });
    }
    case 'waiting':
      return notice({
        tone: 'info', state: 'waiting', title: 'Waiting for the first samples',
        body: [`Rates need two scrapes. ${c.targets.map((t) => `${t.name} is scraped every ${t.intervalSeconds} s`).join('; ')}: numbers appear within ${Math.max(...c.targets.map((t) => t.intervalSeconds)) * 2} s.`],
      });
    case 'no-route-metrics':
      return notice({
        tone: 'warn', state: 'no-route-metrics', title: 'No HTTP request metrics found',
        body: [
          `${c.targets.map((t) => t.name).join(', ')} answers, but exposes neither a request counter (http_requests_total) nor a duration histogram (http_request_duration_seconds) with a route label.`,
          'Instrument the routes (the Instrument action below, or the quick fix in the editor) and keep the route template as the label, not the raw URL.',
        ],
      });
    case 'no-traffic':
      return notice({ tone: 'info', state: 'no-traffic', title: 'No requests in the last ' + c.windowSeconds + ' s', body: ['The metrics are there, but no route received a request in the window. Send some traffic to your app to see numbers.'] });
    case 'empty-inventory':
      return notice({
        tone: 'info', state: 'empty-inventory', title: 'No inventory',
        body: ['Without an inventory the dashboard cannot link numbers to code or list routes that are not instrumented. Write one and point the runtime at it:'],
        code: ['npx telltale inventory --format json > .telltale/inventory.json', 'npx telltale runtime --inventory .telltale/inventory.json'],
      });
  }
}

export function pageConditions(ctx: ViewContext, kinds: Condition['kind'][]): HTMLElement[] {
  const d = ctx.data;
  return conditions({
    targets: d.targets?.targets, suggestions: d.targets?.suggestions, source: d.health?.source ?? d.routes?.source,
    routes: d.routes, inventory: d.inventory, now: ctx.now(),
  }).filter((c) => kinds.includes(c.kind)).map((c) => conditionNotice(c, ctx));
}

type Code = { file: string; line: number; column?: number };

/** A "file:line" button posting openFile. */
export function codeButton(ctx: ViewContext, code: Code): HTMLElement {
  const b = codeLinkButton(ctx);
  b.set(code);
  return b.element;
}

export interface CodeLinkButton { readonly element: HTMLButtonElement; set(code: Code | undefined): void }

/** A "file:line" button whose target changes in place (recycled table rows); hidden without a target. */
export function codeLinkButton(ctx: ViewContext): CodeLinkButton {
  let target: Code | undefined;
  let shown = '';
  const element = el('button', {
    class: 'link code-link', attrs: { type: 'button', hidden: true },
    on: { click: (ev) => { ev.stopPropagation(); if (target) ctx.host.openFile(target.file, target.line, target.column); } },
  });
  return {
    element,
    set(code) {
      target = code;
      const label = code ? `${code.file}:${code.line}` : '';
      if (label === shown) return;
      shown = label;
      setText(element, label);
      element.title = code ? `Open ${code.file} at line ${code.line}` : '';
      element.hidden = !code;
    },
  };
}

export { button };
