/**
 * Theme changes while the dashboard is open: VS Code swaps the body's theme class (and the
 * --vscode-* variables) when the user switches themes; a browser flips prefers-color-scheme or
 * forced colours. CSS follows by itself; canvas charts read their colours when drawn, so views
 * redraw them on this signal.
 */
export function onThemeChange(listener: () => void): void {
  // Standalone, the OS scheme flips the --vscode-* fallbacks; the toolkit re-reads them when the
  // body's class changes (its VS Code theme listener), so the page mirrors the scheme as a class.
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const mirror = () => { if (!document.body.classList.contains('in-vscode')) document.body.classList.toggle('scheme-dark', dark.matches); };
  mirror();
  dark.addEventListener('change', mirror);
  let queued = false;
  const fire = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; listener(); });
  };
  new MutationObserver(fire).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  // (a scheme change reaches `fire` through the mirrored class)
  for (const q of ['(forced-colors: active)', '(prefers-contrast: more)']) matchMedia(q).addEventListener('change', fire);
}
