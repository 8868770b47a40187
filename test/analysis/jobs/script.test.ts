import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('batch script jobs', () => {
  it('main().catch, void main(), top-level await and then-chains in script folders', () => checkInventory(ts`
    //- /scripts/backfill-orders.ts
    async function main() { return 1; }
    if (process.argv.length > 1) {
      main().catch((err) => { console.error(err); process.exit(1); });
    //^^^^ job script backfill-orders none
    }
    //- /src/scripts/seed.ts
    const run = async () => 1;
    {
      void run();
    //     ^^^ job script seed none
    }
    //- /bin/migrate.mts
    import { migrate } from '../src/db/migrate';
    {
      await migrate().then(() => process.exit(0));
    //      ^^^^^^^ job script migrate none
    }
    //- /src/db/migrate.ts
    export async function migrate() { return 1; }
  `, '/scripts/backfill-orders.ts'));

  it('require.main guards, IIFEs, index files named by their folder', () => checkInventory(ts`
    //- /jobs/cleanup.js
    async function run() { return 1; }
    module.exports = { run };
    if (require.main === module) {
      run().then(() => process.exit(0));
    //^^^ job script cleanup none
    }
    //- /src/tasks/index.js
    function runDaily() {}
    function report() {}
    {
      (async () => { runDaily(); report(); })();
    //^ job script tasks none
    }
    //- /src/jobs/reindex/index.ts
    function main() {}
    if (import.meta.url === \`file://\${process.argv[1]}\`) {
      main();
    //^^^^ job script reindex none
    }
    //- /src/app.ts
    import { run } from '../jobs/cleanup';
    export const tasks = [run];
  `, '/jobs/cleanup.js'));

  it('coverage: a main that records or pushes metrics, directly or in an imported function', () => checkInventory(ts`
    //- /scripts/nightly.ts
    import { Counter, Pushgateway, register } from 'prom-client';
    const rows = new Counter({ name: 'nightly_rows_total', help: 'h' });
    async function main() { rows.inc(10); await new Pushgateway('http://127.0.0.1:9091', {}, register).pushAdd({ jobName: 'nightly' }); }
    {
      main().catch(() => process.exit(1));
    //^^^^ job script nightly handler
    }
    //- /scripts/export.ts
    import { exportAll } from '../src/export';
    {
      exportAll().finally(() => process.exit());
    //^^^^^^^^^ job script export handler
    }
    //- /src/export.ts
    import { trace } from '@opentelemetry/api';
    export async function exportAll() { await trace.getTracer('x').startActiveSpan('export', async (s) => s.end()); }
  `, '/scripts/nightly.ts'));

  it('entry files named like jobs outside script folders', () => checkInventory(ts`
    //- /src/cleanup.job.ts
    async function main() { return 1; }
    {
      main();
    //^^^^ job script cleanup.job none
    }
    //- /src/sync-cron.ts
    function main() { return 2; }
    {
      main();
    //^^^^ job script sync-cron none
    }
  `, '/src/cleanup.job.ts'));

  it('anywhere else: a main() that exits the process when done, not long-running consumers', () => checkInventory(ts`
    //- /src/clean-attachments.ts
    async function main() { return 1; }
    {
      main().then(() => process.exit(0)).catch((err) => { console.error(err); process.exit(1); });
    //^^^^ job script clean-attachments none
    }
    //- /tools/report.ts
    const run = async () => {
      await Promise.resolve(1);
      process.exit();
    };
    {
      run();
    //^^^ job script report none
    }
    //- /src/consumer.ts
    async function run() {
      process.on('SIGTERM', () => process.exit(0));
      return 1;
    }
    run().catch((e) => { console.error(e); process.exit(1); });
  `, '/src/clean-attachments.ts'));

  it('not scripts: modules that only export, modules imported by others, servers, package calls', () => checkInventory(ts`
    //- /src/jobs/email.ts
    export async function sendEmails() { return 1; }
    export function registerEmailJobs() { return sendEmails; }
    //- /scripts/lib/env.ts
    import dotenv from 'dotenv';
    dotenv.config();
    export function loadEnv() { return process.env; }
    loadEnv();
    //- /scripts/a.ts
    import { loadEnv } from './lib/env';
    export const env = loadEnv;
    //- /src/main.ts
    async function bootstrap() { return 1; }
    bootstrap();
    //- /jobs/config.ts
    import { config } from 'dotenv';
    config();
    //- /bin/server.ts
    import express from 'express';
    async function main() { express().listen(3000); }
    main();
  `, '/src/main.ts'));

  it('one entry per file: main/run preferred over other top-level calls', () => checkInventory(ts`
    //- /scripts/report.ts
    function setup() {}
    async function main() { return 1; }
    {
      setup();
      main();
    //^^^^ job script report none
    }
  `, '/scripts/report.ts'));
});
