/**
 * Finds background jobs (cron schedules, queue workers, intervals, batch scripts) whose run
 * records no metric and opens no span.
 * Why: a job that fails or slows down silently is found by the people waiting for its output;
 * the guide's batch checklist wants `job_runs_total{status}` and a `job_duration_seconds` histogram.
 * @invalid
 * ```ts
 * import cron from 'node-cron';
 * function cleanup() { return 0; }
 * cron.schedule('0 * * * *', cleanup);
 * //   ^^^^^^^^ Job cleanup (node-cron) has no metrics or spans
 * ```
 * @valid
 * ```ts
 * import cron from 'node-cron';
 * import { Counter } from 'prom-client';
 * const runs = new Counter({ name: 'job_runs_total', help: 'Job runs', labelNames: ['job', 'status'] });
 * cron.schedule('0 * * * *', () => { runs.inc({ job: 'cleanup', status: 'ok' }); });
 * ```
 */
import { defineRule } from '../rule';

export default defineRule({
  id: 'uninstrumented-job',
  category: 'coverage',
  severity: 'warning',
  description: 'Background job with no metrics or spans',
  fixes: ['add-job-instrumentation', 'add-metrics-endpoint'],
  check(ctx) {
    for (const j of ctx.analysis.jobs) {
      if (j.entry.coverage !== 'none') continue;
      ctx.report(j.file, j.nameNode, `Job ${j.entry.name} (${j.entry.kind}) has no metrics or spans`, {
        kind: j.entry.kind, name: j.entry.name,
      });
    }
  },
});
