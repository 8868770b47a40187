/**
 * Self-contained HTML drift report: one file, no external resources (inline CSS and SVG charts),
 * every string from the data HTML-escaped. Per column: reference-vs-current histogram or category
 * bars, test, score and threshold; then the data checks.
 */
import type { ColumnChart, ColumnDrift, DriftReport } from '../../protocol/drift';

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(3);
  return Number(x.toFixed(digits)).toString();
}

const W = 420, H = 160, PAD_L = 36, PAD_B = 34, PAD_T = 8;

/** Grouped bars: reference (blue) and current (orange) share per bin or category. */
export function chartSvg(chart: ColumnChart, title: string): string {
  const n = chart.reference.length;
  const maxV = Math.max(1e-12, ...chart.reference, ...chart.current);
  const plotW = W - PAD_L - 8, plotH = H - PAD_B - PAD_T;
  const slot = plotW / Math.max(n, 1);
  const bw = Math.max(1, slot / 2 - 1);
  const y = (v: number): number => PAD_T + plotH - (v / maxV) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">`);
  parts.push(`<line x1="${PAD_L}" y1="${PAD_T + plotH}" x2="${W - 8}" y2="${PAD_T + plotH}" stroke="#888"/>`);
  parts.push(`<text x="${PAD_L - 4}" y="${PAD_T + 8}" text-anchor="end" font-size="9">${escapeHtml(fmt(maxV, 3))}</text>`);
  for (let i = 0; i < n; i++) {
    const x0 = PAD_L + i * slot;
    const label = chart.kind === 'histogram' ? `[${fmt(chart.edges[i], 3)}, ${fmt(chart.edges[i + 1], 3)}${i === n - 1 ? ']' : ')'}` : chart.keys[i];
    parts.push(`<g><title>${escapeHtml(label)}: reference ${escapeHtml(fmt(chart.reference[i]))}, current ${escapeHtml(fmt(chart.current[i]))}</title>`);
    parts.push(`<rect x="${(x0 + 1).toFixed(2)}" y="${y(chart.reference[i]).toFixed(2)}" width="${bw.toFixed(2)}" height="${(PAD_T + plotH - y(chart.reference[i])).toFixed(2)}" fill="#4e79a7"/>`);
    parts.push(`<rect x="${(x0 + 1 + bw).toFixed(2)}" y="${y(chart.current[i]).toFixed(2)}" width="${bw.toFixed(2)}" height="${(PAD_T + plotH - y(chart.current[i])).toFixed(2)}" fill="#f28e2b"/></g>`);
  }
  if (chart.kind === 'histogram') {
    parts.push(`<text x="${PAD_L}" y="${H - PAD_B + 14}" font-size="9">${escapeHtml(fmt(chart.edges[0], 3))}</text>`);
    parts.push(`<text x="${W - 8}" y="${H - PAD_B + 14}" font-size="9" text-anchor="end">${escapeHtml(fmt(chart.edges[chart.edges.length - 1], 3))}</text>`);
  } else {
    const every = Math.ceil(n / 10);
    for (let i = 0; i < n; i += every) {
      const label = chart.keys[i].length > 10 ? chart.keys[i].slice(0, 9) + '…' : chart.keys[i];
      parts.push(`<text x="${(PAD_L + i * slot + slot / 2).toFixed(2)}" y="${H - PAD_B + 12}" font-size="9" text-anchor="middle">${escapeHtml(label)}</text>`);
    }
  }
  parts.push(`<rect x="${PAD_L}" y="${H - 14}" width="9" height="9" fill="#4e79a7"/><text x="${PAD_L + 12}" y="${H - 6}" font-size="10">reference</text>`);
  parts.push(`<rect x="${PAD_L + 80}" y="${H - 14}" width="9" height="9" fill="#f28e2b"/><text x="${PAD_L + 92}" y="${H - 6}" font-size="10">current</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function columnCard(c: ColumnDrift): string {
  const status = c.error ? 'error' : c.skipped ? 'skipped' : c.drifted ? 'drift' : 'ok';
  const badge = { error: 'Error', skipped: 'Not tested', drift: 'Drift detected', ok: 'No drift' }[status];
  const rule = c.scoreKind === 'p_value' ? `p-value ${c.test === 'ks' || c.test === 'cramer_von_mises' ? '≤' : '<'} threshold` : `distance ${c.test === 'ed' ? '>' : '≥'} threshold`;
  const stats = (label: string, s: ColumnDrift['reference']): string => s
    ? `<tr><th>${label}</th><td>${s.rows}</td><td>${fmt(s.nullFraction)}</td><td>${s.nUnique}</td><td>${fmt(s.mean ?? null)}</td><td>${fmt(s.std ?? null)}</td><td>${fmt(s.min ?? null)}</td><td>${fmt(s.max ?? null)}</td></tr>`
    : '';
  return `<section class="col ${status}">
<h3>${escapeHtml(c.column)} <span class="badge ${status}">${badge}</span></h3>
<p class="meta">${escapeHtml(c.type)}${c.test ? ` · test <b>${escapeHtml(c.test)}</b> · score <b>${escapeHtml(fmt(c.score))}</b> · threshold ${escapeHtml(fmt(c.threshold ?? null))} (drift if ${escapeHtml(rule)})` : ''} · n = ${c.nReference} / ${c.nCurrent}</p>
${c.error ? `<p class="err">${escapeHtml(c.error)}</p>` : ''}${c.skipped ? `<p class="skip">${escapeHtml(c.skipped)}</p>` : ''}
${c.chart ? chartSvg(c.chart, `${c.column}: reference vs current`) : ''}
${c.chart?.kind === 'categories' && c.chart.otherCount ? `<p class="meta">${c.chart.otherCount} more categories not shown</p>` : ''}
${c.reference ? `<table class="stats"><tr><th></th><th>rows</th><th>null fraction</th><th>distinct</th><th>mean</th><th>std</th><th>min</th><th>max</th></tr>${stats('reference', c.reference)}${stats('current', c.current)}</table>` : ''}
</section>`;
}

export function renderHtml(r: DriftReport, title = 'Telltale drift report'): string {
  const rows = r.columns.map((c) => `<tr class="${c.error ? 'error' : c.drifted ? 'drift' : ''}"><td><a href="#col-${escapeHtml(encodeURIComponent(c.column))}">${escapeHtml(c.column)}</a></td><td>${escapeHtml(c.type)}</td><td>${escapeHtml(c.test ?? '—')}</td><td>${escapeHtml(fmt(c.score))}</td><td>${escapeHtml(fmt(c.threshold ?? null))}</td><td>${c.error ? 'error' : c.skipped ? 'not tested' : c.drifted ? 'yes' : 'no'}</td></tr>`).join('\n');
  const checks = r.checks.filter((c) => c.status !== 'pass');
  const passed = r.checks.length - checks.length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:0 0 4px}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;font-variant-numeric:tabular-nums}
tr.drift td{background:#fff3e0}tr.error td{background:#fde8e8}
.summary{font-size:16px;padding:10px 14px;border-radius:6px;display:inline-block}.summary.drift{background:#fde0c8}.summary.ok{background:#dff3e3}
.col{border:1px solid #e3e3e3;border-radius:6px;padding:12px;margin:10px 0;max-width:760px}
.badge{font-size:11px;padding:2px 6px;border-radius:10px;vertical-align:middle}.badge.drift{background:#f28e2b;color:#fff}.badge.ok{background:#59a14f;color:#fff}.badge.error{background:#e15759;color:#fff}.badge.skipped{background:#bab0ac;color:#fff}
.meta{color:#555;margin:2px 0 8px}.err{color:#b00020}.skip{color:#666}.stats{font-size:12px}
.fail{color:#b00020;font-weight:600}.warn{color:#a35d00}
</style></head><body>
<h1>${escapeHtml(title)}${r.dataset ? ` — ${escapeHtml(r.dataset)}` : ''}</h1>
<p class="meta">reference: ${escapeHtml(r.reference.source.join(', '))} (${r.reference.rows} rows) · current: ${escapeHtml(r.current.source.join(', '))} (${r.current.rows} rows)</p>
<p class="summary ${r.datasetDrift ? 'drift' : 'ok'}">${r.datasetDrift ? 'Dataset drift detected' : 'No dataset drift'}: ${r.nDrifted} of ${r.nTested} columns drifted (share ${escapeHtml(fmt(r.driftedShare))}, dataset drifts at ≥ ${escapeHtml(fmt(r.driftShare))})</p>
<h2>Columns</h2>
<table><tr><th>column</th><th>type</th><th>test</th><th>score</th><th>threshold</th><th>drift</th></tr>
${rows}
</table>
<h2>Data checks</h2>
<p class="meta">${passed} passed${checks.length ? `, ${checks.filter((c) => c.status === 'fail').length} failed, ${checks.filter((c) => c.status === 'warn').length} warnings` : ''}</p>
${checks.length ? `<table><tr><th>status</th><th>check</th><th>column</th><th>detail</th></tr>${checks.map((c) => `<tr><td class="${c.status}">${c.status}</td><td>${escapeHtml(c.check)}</td><td>${escapeHtml(c.column ?? '')}</td><td>${escapeHtml(c.message)}</td></tr>`).join('')}</table>` : ''}
<h2>Details</h2>
${r.columns.map((c) => `<div id="col-${escapeHtml(encodeURIComponent(c.column))}">${columnCard(c)}</div>`).join('\n')}
<p class="meta">Statistics follow evidently's DataDriftPreset defaults and scipy's algorithms. Generated by Telltale.</p>
</body></html>
`;
}
