/** A small busy indicator with a text beside it (never shown without a reason next to it). */
import { custom, el } from '../dom';

export function busy(text: string): HTMLElement {
  return el('div', { class: 'busy', attrs: { role: 'status' } }, custom('vscode-progress-ring', { attrs: { 'aria-hidden': 'true' } }), el('span', {}, text));
}
