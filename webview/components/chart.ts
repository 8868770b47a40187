/**
 * chart.js behind two small functions: a live time-series chart of stacked panels and a reference-vs-current
 * overlay (histogram bins or categories). Colours come from the theme's CSS variables, animation
 * is off (live data), and each chart is updated in place, never recreated per update.
 */
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import { el } from '../dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController, BarElement, Legend, Tooltip, Filler);

/** A theme colour (VS Code variable, our standalone fallback otherwise). */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function baseColors() {
  return {
    text: themeColor('--vscode-descriptionForeground', '#717171'),
    grid: themeColor('--tt-grid', 'rgba(128,128,128,0.2)'),
    font: themeColor('--vscode-font-family', 'system-ui, sans-serif'),
  };
}

export const SERIES_COLORS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-green'];
const FALLBACKS = ['#3794ff', '#d18616', '#f14c4c', '#b180d7', '#89d185'];

export interface SeriesSpec { label: string; colorVar: number }

export interface TimeChart {
  element: HTMLElement;
  /** One array of points per series (x in ms since the epoch). */
  update(series: { x: number; y: number | null }[][]): void;
  destroy(): void;
}

const clock = (t: number): string => {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
};

export interface PanelSpec {
  title: string;
  series: SeriesSpec[];
  format: (v: number) => string;
  /** Share of the height (default 1). */
  weight?: number;
  /** A fixed top (e.g. 1 for a ratio); otherwise the data's max plus headroom for the panel's name. */
  max?: number;
}

/**
 * Several panels stacked on one canvas over a shared time axis (one chart.js update and one
 * x axis per redraw instead of one per panel): each panel has its own y axis, the series are
 * named in an HTML legend above the canvas.
 */
export function panelChart(title: string, panels: PanelSpec[]): TimeChart {
  const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': title } });
  const legend = el('div', { class: 'chart-legend' });
  const c = baseColors();
  const datasets: { label: string; data: never[]; borderColor: string; backgroundColor: string; borderWidth: number; pointRadius: number; spanGaps: boolean; tension: number; yAxisID: string }[] = [];
  const scales: Record<string, object> = {
    x: { type: 'linear', bounds: 'data', ticks: { color: c.text, maxTicksLimit: 5, maxRotation: 0, sampleSize: 6, autoSkip: false, callback: (v: number | string) => clock(Number(v)) }, grid: { color: c.grid } },
  };
  // chart.js stacks the first axis of a stack at the bottom: panels are given top first.
  // A panel's top label would sit on the bottom label of the panel above it: only the first shows it.
  [...panels].reverse().forEach((p, i) => {
    const pi = panels.length - 1 - i;
    scales[`y${pi}`] = {
      type: 'linear', position: 'left', stack: 'panels', stackWeight: p.weight ?? 1, beginAtZero: true, grace: p.max === undefined ? '25%' : 0, max: p.max,
      ticks: { color: c.text, maxTicksLimit: 3, sampleSize: 4, autoSkip: false, callback: (v: number | string, k: number, all: unknown[]) => (pi > 0 && k === all.length - 1 ? '' : p.format(Number(v))) },
      grid: { color: c.grid }, border: { color: c.text },
    };
  });
  panels.forEach((p, pi) => {
    for (const s of p.series) {
      const color = themeColor(SERIES_COLORS[s.colorVar], FALLBACKS[s.colorVar]);
      datasets.push({ label: s.label, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, spanGaps: false, tension: 0, yAxisID: `y${pi}` });
      const swatch = el('span', { class: 'chart-swatch' });
      swatch.style.background = color;
      legend.appendChild(el('span', { class: 'chart-key' }, swatch, s.label));
    }
  });
  const formats = panels.flatMap((p) => p.series.map(() => p.format));
  // Each panel is named in its top-left corner and separated from the one above by a rule (chart.js
  // draws stacked axes edge to edge); `grace` keeps the data clear of the name.
  const panelNames = {
    id: 'panelNames',
    afterDraw(ch: Chart) {
      const { ctx, chartArea } = ch;
      ctx.save();
      ctx.font = `600 11px ${c.font}`;
      ctx.textBaseline = 'top';
      panels.forEach((p, i) => {
        const scale = ch.scales[`y${i}`];
        if (!scale) return;
        if (i > 0) {
          ctx.strokeStyle = c.text;
          ctx.globalAlpha = 0.5;
          ctx.beginPath();
          ctx.moveTo(chartArea.left, Math.round(scale.top) + 0.5);
          ctx.lineTo(chartArea.right, Math.round(scale.top) + 0.5);
          ctx.stroke();
          ctx.globalAlpha = 1;
        }
        ctx.fillStyle = c.text;
        ctx.fillText(p.title, chartArea.left + 6, scale.top + 3);
      });
      ctx.restore();
    },
  };
  const element = el('figure', { class: 'chart chart-panels' }, el('figcaption', {}, title), legend, el('div', { class: 'chart-box' }, canvas));
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [panelNames],
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      interaction: { mode: 'index', intersect: false },
      scales,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: (items) => (items[0] ? clock(items[0].parsed.x ?? 0) : ''), label: (i) => `${i.dataset.label}: ${formats[i.datasetIndex](i.parsed.y ?? NaN)}` } },
      },
    },
  });
  return {
    element,
    update(series) {
      series.forEach((pts, i) => { const ds = chart.data.datasets[i] as { data: unknown } | undefined; if (ds) ds.data = pts; });
      chart.update('none');
    },
    destroy() { chart.destroy(); },
  };
}

export interface OverlayChart { element: HTMLElement; destroy(): void }

/** Reference vs current shares (percent of rows) per bin or category, as grouped bars. */
export function overlayChart(title: string, labels: string[], reference: number[], current: number[]): OverlayChart {
  const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': title } });
  const element = el('figure', { class: 'chart chart-small' }, el('figcaption', {}, title), el('div', { class: 'chart-box' }, canvas));
  const c = baseColors();
  const ref = themeColor('--vscode-charts-blue', FALLBACKS[0]);
  const cur = themeColor('--vscode-charts-orange', FALLBACKS[1]);
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'reference', data: reference, backgroundColor: withAlpha(ref, 0.55), borderColor: ref, borderWidth: 1, grouped: false, barPercentage: 1, categoryPercentage: 0.95 },
        { label: 'current', data: current, backgroundColor: withAlpha(cur, 0.45), borderColor: cur, borderWidth: 1, grouped: false, barPercentage: 1, categoryPercentage: 0.95 },
      ],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: { ticks: { color: c.text, maxRotation: 0, autoSkip: true, maxTicksLimit: 6 }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { color: c.text, maxTicksLimit: 4, callback: (v) => `${v}%` }, grid: { color: c.grid } },
      },
      plugins: {
        legend: { labels: { color: c.text, boxWidth: 10, font: { family: c.font } } },
        tooltip: { callbacks: { label: (i) => `${i.dataset.label}: ${i.parsed.y}%` } },
      },
    },
  });
  return { element, destroy() { chart.destroy(); } };
}

/** `#rrggbb` → `rgba(r,g,b,a)`; other colour syntaxes are returned unchanged. */
export function withAlpha(color: string, a: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  return m ? `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${a})` : color;
}
