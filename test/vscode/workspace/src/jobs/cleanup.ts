import cron from 'node-cron';

cron.schedule('0 3 * * *', async () => {
  await purgeExpiredSessions();
});

async function purgeExpiredSessions() {
  return 0;
}
