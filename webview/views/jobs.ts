/** Jobs: last run, status, runs ok/error, p95 duration, rows processed, time since last success; failing first. */
import { badge, type Tone } from '../components/badge';
import { button } from '../components/button';
import { notice } from '../components/notice';
import type { View, ViewContext } from '../context';
import { el, replaceChildren } from '../dom';
import { buildJobRows, formatAgo, formatCount, formatSeconds, type JobStatus } from '../model';
import { codeButton, pageConditions } from './common';

const TONE: Record<JobStatus, Tone> = { failing: 'error', errors: 'warn', ok: 'ok', idle: 'muted', uninstrumented: 'warn' };
const LABEL: Record<JobStatus, string> = { failing: 'failing', errors: 'errors', ok: 'ok', idle: 'no runs', uninstrumented: 'not instrumented' };

export class JobsView implements View {
  readonly element = el('div', { class: 'view view-jobs', attrs: { 'data-view-body': 'jobs' } });
  private sig = '';
  private revealJob?: string;

  update(ctx: ViewContext): void {
    const d = ctx.data;
    const now = ctx.now();
    const rows = buildJobRows(d.jobs, d.inventory);
    // Relative times change every second; rebuild at most when data or the displayed minute/second text changes.
    const sig = JSON.stringify([rows, d.jobs?.windowSeconds, Math.floor(now / 1000), ctx.state.selectedJob]);
    if (sig === this.sig && !this.revealJob) return;
    this.sig = sig;
    const conds = pageConditions(ctx, ['no-targets', 'target-down', 'waiting']);
    if (rows.length === 0) {
      replaceChildren(this.element, ...conds, notice({
        tone: 'info', state: 'no-jobs', title: 'No jobs seen',
        body: ['Batch jobs show up here from their metrics — job_runs_total{job, status}, job_duration_seconds{job} and rows_processed_total{job} — and from the inventory (node-cron, BullMQ, Agenda, @nestjs/schedule, intervals, scripts).',
          d.inventory ? 'The inventory lists no jobs, and the targets expose no job metrics.' : 'There is no inventory, and the targets expose no job metrics.'],
      }));
      return;
    }
    const win = d.jobs ? `${Math.round(d.jobs.windowSeconds / 60)} min` : 'window';
    const head = ['Status', 'Job', 'Last run', 'Last status', `OK / errors (${win})`, 'OK / errors (all time)', 'p95 duration', `Rows (${win})`, 'Since last success', 'Code'];
    replaceChildren(this.element, ...conds,
      el('div', { class: 'table-wrap' }, el('table', { class: 'grid jobs', attrs: { 'aria-label': 'Jobs' } },
        el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { class: /OK|p95|Rows/.test(h) ? 'num' : undefined, attrs: { scope: 'col' } }, h)))),
        el('tbody', {}, ...rows.map((j) => {
          const selected = ctx.state.selectedJob === j.name;
          const tr = el('tr', { class: `${j.status}${selected ? ' selected' : ''}`, attrs: { 'data-job': j.name, tabindex: j.code ? 0 : undefined, 'aria-selected': String(selected) } },
            el('td', {}, badge(LABEL[j.status], TONE[j.status])),
            el('td', { class: 'route' }, j.name, el('span', { class: 'job-meta' }, [j.kind, j.schedule].filter(Boolean).join(' · '))),
            el('td', {}, j.lastRun ? formatAgo(j.lastRun, now) : j.status === 'uninstrumented' ? '—' : `none in ${win}`),
            el('td', { class: j.lastStatus && j.status === 'failing' ? 'bad' : undefined }, j.lastStatus ?? '—'),
            // increase() over a window is extrapolated (1.05 runs): people count whole runs
            el('td', { class: `num${j.error ? ' bad' : ''}`, attrs: { title: j.ok === null ? undefined : `${j.ok} / ${j.error} (extrapolated over the window)` } },
              j.ok === null ? '—' : `${formatCount(Math.round(j.ok))} / ${formatCount(Math.round(j.error ?? 0))}`),
            el('td', { class: 'num' }, j.okTotal === null ? '—' : `${formatCount(j.okTotal)} / ${formatCount(j.errorTotal)}`),
            el('td', { class: 'num' }, formatSeconds(j.p95)),
            el('td', { class: 'num' }, formatCount(j.rows === null ? null : Math.round(j.rows))),
            el('td', {}, j.lastSuccess ? formatAgo(j.lastSuccess, now) : j.status === 'uninstrumented' ? '—' : `none in ${win}`),
            el('td', { class: 'code' }, j.code ? codeButton(ctx, j.code) : el('span', { class: 'muted' }, 'not in inventory'),
              j.status === 'uninstrumented' && j.code ? button('Instrument', () => ctx.host.runFix('add-job-instrumentation', j.code!.file, j.code!.line, j.code!.column), { appearance: 'secondary', name: 'instrument' }) : null));
          if (j.code) {
            const code = j.code;
            tr.addEventListener('click', () => ctx.host.openFile(code.file, code.line, code.column));
            tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && ev.target === tr) ctx.host.openFile(code.file, code.line, code.column); });
          }
          return tr;
        })))));
    const reveal = this.revealJob;
    this.revealJob = undefined;
    if (reveal) this.element.querySelector<HTMLElement>(`tr[data-job="${CSS.escape(reveal)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  /** Scrolls the job's row into view on the next update (a code lens asked for it). */
  reveal(name: string): void { this.revealJob = name; }
}
