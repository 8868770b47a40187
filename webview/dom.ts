/**
 * The only way the dashboard builds DOM: elements by name, text through text nodes and
 * `textContent`. Nothing here (or anywhere in webview/) parses HTML, so a label value such as
 * `<img src=x onerror=alert(1)>` is always shown as the characters it is.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes set with setAttribute (names are ours; values may come from outside). */
  attrs?: Record<string, string | number | boolean | undefined>;
  /** Event listeners. */
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

function apply(node: Element, props: Props | undefined, children: Child[]): void {
  if (props?.class) node.setAttribute('class', props.class);
  for (const [k, v] of Object.entries(props?.attrs ?? {})) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [k, fn] of Object.entries(props?.on ?? {})) node.addEventListener(k, fn as EventListener);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** `el('td', { class: 'num' }, '12.3')` — an HTML element with text children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, props, children);
  return node;
}

/** A custom element (the toolkit's `vscode-*` ones are created through webview/components only). */
export function custom(tag: string, props?: Props, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  apply(node, props, children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Replaces all children of `node`. */
export function replaceChildren(node: Element, ...children: Child[]): void {
  node.replaceChildren(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
    .map((c) => (typeof c === 'number' ? String(c) : c)));
}

/**
 * Sets text only when it changed (cheap re-renders of live tables). An element holding a single
 * text node gets that node's data changed: no node is replaced, so nothing is re-attached and
 * document-wide childList observers (chart.js watches the document for its canvases) see nothing.
 */
export function setText(node: Node, text: string): void {
  const only = node.firstChild;
  if (only !== null && only === node.lastChild && only.nodeType === Node.TEXT_NODE) {
    if ((only as Text).data !== text) (only as Text).data = text;
  } else if (node.textContent !== text) node.textContent = text;
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
