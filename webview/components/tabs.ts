/**
 * Tabs (toolkit `vscode-panels`): arrow keys move between tabs, Tab moves into the panel. The
 * active tab is driven by us (`select`), and the toolkit reports user changes through `onChange`.
 */
import { custom } from '../dom';

export interface TabItem<Id extends string> { id: Id; label: string; panel: HTMLElement }

export interface Tabs<Id extends string> {
  element: HTMLElement;
  select(id: Id): void;
  setLabel(id: Id, label: string): void;
}

export function tabs<Id extends string>(items: TabItem<Id>[], active: Id, onChange: (id: Id) => void): Tabs<Id> {
  const element = custom('vscode-panels', { attrs: { activeid: `tab-${active}`, 'aria-label': 'Dashboard views' } });
  const labels = new Map<Id, HTMLElement>();
  for (const it of items) {
    const tab = custom('vscode-panel-tab', { attrs: { id: `tab-${it.id}`, 'data-view': it.id } }, it.label);
    labels.set(it.id, tab);
    element.appendChild(tab);
  }
  for (const it of items) element.appendChild(custom('vscode-panel-view', { attrs: { id: `view-${it.id}` } }, it.panel));
  let current = active;
  element.addEventListener('change', (ev) => {
    if (ev.target !== element) return; // a text field inside a panel also fires 'change'
    const id = ((element as unknown as { activeid?: string }).activeid ?? '').replace(/^tab-/, '') as Id;
    if (id && id !== current && items.some((i) => i.id === id)) { current = id; onChange(id); }
  });
  return {
    element,
    select(id) {
      current = id;
      element.setAttribute('activeid', `tab-${id}`);
    },
    setLabel(id, label) {
      const t = labels.get(id);
      if (t && t.textContent !== label) t.textContent = label;
    },
  };
}
