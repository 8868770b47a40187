/**
 * Frame scheduling for live updates. An update paints the table in its own frame; the selected
 * route's chart (one chart.js layout and redraw) is drawn in the task after that paint and shows
 * in the next frame, so neither frame carries both. Both are measured (User Timing, see `markPaint`
 * in host.ts): `telltale:update-to-paint` for the table, `telltale:chart-to-paint` for the chart.
 */

/** Runs `fn` in the first task after the next frame was painted. */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); fn(); };
    ch.port2.postMessage(0);
  });
}

let updateStarted = 0;

/** The arrival time (performance.now) of the update being rendered. */
export function setUpdateStart(t: number): void { updateStarted = t; }

/** Measures from the arrival of the current update to the paint after this call. */
export function measureToPaint(name: string): void {
  const start = updateStarted;
  if (!start) return;
  afterPaint(() => {
    performance.measure(name, { start, end: performance.now() });
    performance.clearMeasures(name);
  });
}
