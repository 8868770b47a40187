/** A button (toolkit `vscode-button`): keyboard and screen-reader ready, themed by VS Code. */
import { custom } from '../dom';

export interface ButtonOptions {
  appearance?: 'primary' | 'secondary';
  title?: string;
  /** A stable hook for tests and styling. */
  name?: string;
}

export function button(label: string, onClick: (ev: Event) => void, options: ButtonOptions = {}): HTMLElement {
  const b = custom('vscode-button', {
    attrs: { appearance: options.appearance ?? 'primary', title: options.title, 'data-action': options.name },
  }, label);
  b.addEventListener('click', (ev) => { ev.stopPropagation(); onClick(ev); });
  // Enter/Space inside a clickable table row must act on the button, not the row.
  b.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') ev.stopPropagation(); });
  return b;
}
