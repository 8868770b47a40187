import { app } from './app';
import { scheduleRollup } from './jobs/nightly-rollup';
import { startCacheCleanup } from './jobs/cache-cleanup';
import { logger } from './observability';

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const addr = server.address();
  logger.info({ port: typeof addr === 'object' && addr ? addr.port : addr }, 'shop listening');
  console.log(`shop listening on http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : addr}`);
});
const rollupTask = scheduleRollup();
const cleanup = startCacheCleanup();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    rollupTask.stop();
    clearInterval(cleanup);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
