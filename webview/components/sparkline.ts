/** A tiny SVG line of the last values (NaN = gap), updated in place. */
import { svg } from '../dom';

const W = 80, H = 20;

export interface Sparkline { element: SVGSVGElement; update(values: readonly number[]): void; setLabel(label: string): void }

export function sparkline(label: string): Sparkline {
  const element = svg('svg', { class: 'spark', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label });
  const line = svg('polyline', { class: 'spark-line', fill: 'none' });
  element.appendChild(line);
  let last = '';
  return {
    element,
    setLabel(label) { element.setAttribute('aria-label', label); },
    update(values) {
      const points = sparkPoints(values, W, H);
      if (points !== last) { line.setAttribute('points', points); last = points; }
    },
  };
}

/** The polyline `points` of values scaled into w×h (0 at the bottom, the max at the top; gaps drop out). */
export function sparkPoints(values: readonly number[], w: number, h: number): string {
  const n = values.length;
  if (n === 0) return '';
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const step = n > 1 ? w / (n - 1) : 0;
  let out = '';
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const y = max > 0 ? h - 1 - (v / max) * (h - 2) : h - 1;
    out += `${out ? ' ' : ''}${(i * step).toFixed(1)},${y.toFixed(1)}`;
  }
  return out;
}
