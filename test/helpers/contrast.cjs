/**
 * WCAG contrast of every visible text in a page region, measured in the browser from computed
 * styles: the text colour against the first opaque background behind it (alpha blended up the
 * ancestor chain). Passed to Playwright's `evaluate`, so the function is self-contained.
 *
 *   const low = await page.evaluate(lowContrastTexts, { selector: '#app', min: 4.5 });
 *   const low = await frame.locator('body').evaluate(lowContrastTexts, { selector: '#app', min: 7 });
 */
function lowContrastTexts(a, b) {
  // page.evaluate(fn, arg) passes the arg; locator.evaluate(fn, arg) passes the element first
  const { selector, min } = b ?? a;
  const parse = (c) => {
    const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec((c || '').trim());
    if (hex) {
      const n = parseInt(hex[1], 16);
      return { r: n >> 16, g: (n >> 8) & 255, b: n & 255, a: hex[2] ? parseInt(hex[2], 16) / 255 : 1 };
    }
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const lum = ({ r, g, b }) => {
    const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    // Behind a transparent page: in a VS Code webview the workbench paints the view's background
    // (the theme's side bar or editor colour, also given to the page as a variable); else white.
    const vars = getComputedStyle(document.documentElement);
    const behind = document.body.classList.contains('in-vscode')
      ? parse(vars.getPropertyValue('--vscode-sideBar-background')) ?? parse(vars.getPropertyValue('--vscode-editor-background')) : null;
    let bg = behind && behind.a >= 1 ? behind : { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) bg = over(l, bg);
    return bg;
  };
  const out = [];
  const root = document.querySelector(selector);
  if (!root) return [{ text: `no element ${selector}`, ratio: 0 }];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!el || seen.has(el) || !t.data.trim()) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
    const bg = background(el);
    const fg = over(parse(style.color) ?? { r: 0, g: 0, b: 0, a: 1 }, bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < min) out.push({ text: t.data.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: style.color, tag: el.tagName.toLowerCase() });
  }
  return out;
}

module.exports = { lowContrastTexts };
