/**
 * A full explanation in place of a panel that has nothing to show yet: what is going on, why, and
 * what to do (a command to copy, a button). Used for every empty or failing state, so no panel
 * is ever blank.
 */
import { el, type Child } from '../dom';

export interface NoticeOptions {
  tone: 'info' | 'warn' | 'error';
  title: string;
  body?: Child[];
  /** Shell commands or config snippets shown as copyable code. */
  code?: string[];
  actions?: HTMLElement[];
  /** A stable hook for tests ("runtime-stopped", "no-targets"…). */
  state: string;
}

export function notice(o: NoticeOptions): HTMLElement {
  return el('section', { class: `notice notice-${o.tone}`, attrs: { 'data-state': o.state, role: o.tone === 'error' ? 'alert' : 'status' } },
    el('h3', {}, o.title),
    ...(o.body ?? []).map((b) => (typeof b === 'string' ? el('p', {}, b) : b)),
    ...(o.code ?? []).map((c) => el('pre', { class: 'code' }, el('code', {}, c))),
    o.actions?.length ? el('div', { class: 'actions' }, ...o.actions) : null,
  );
}
