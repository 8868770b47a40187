/** A coloured status pill; the colour comes from the theme (see media/dashboard.css `.badge-*`). */
import { el } from '../dom';

export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'muted';

export function badge(text: string, tone: Tone, title?: string): HTMLElement {
  return el('span', { class: `badge badge-${tone}`, attrs: { title } }, text);
}

export function setBadge(node: HTMLElement, text: string, tone: Tone): void {
  const cls = `badge badge-${tone}`;
  if (node.getAttribute('class') !== cls) node.setAttribute('class', cls);
  if (node.textContent !== text) node.textContent = text;
}
