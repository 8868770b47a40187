import cron from 'node-cron';
import { jobDurationSeconds, jobRunsTotal, logger, rowsProcessedTotal } from '../observability';

/** Rolls up order rows every 10 seconds (nightly in production): fully instrumented. */
export async function rollup(): Promise<number> {
  const stop = jobDurationSeconds.startTimer({ job: 'nightly-rollup' });
  try {
    const rows = 500 + Math.floor(Math.random() * 500);
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    if (Math.random() < 0.1) throw new Error('warehouse connection reset');
    rowsProcessedTotal.inc({ job: 'nightly-rollup' }, rows);
    jobRunsTotal.inc({ job: 'nightly-rollup', status: 'ok' });
    logger.info({ job: 'nightly-rollup', rows }, 'job finished');
    return rows;
  } catch (err) {
    jobRunsTotal.inc({ job: 'nightly-rollup', status: 'error' });
    logger.error({ job: 'nightly-rollup', err }, 'job failed');
    throw err;
  } finally {
    stop();
  }
}

export function scheduleRollup(): cron.ScheduledTask {
  // rollup() logs and counts its own failures; the schedule just keeps going
  return cron.schedule('*/10 * * * * *', () => rollup().then(() => undefined, (err: unknown) => logger.debug({ err }, 'rollup failed (already logged)')));
}
