import assert from 'node:assert/strict';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

const schedules = (inv: ReturnType<typeof checkInventory>) => inv.jobs.map((j) => `${j.name}=${j.schedule}`);

describe('node-cron jobs', () => {
  it('default import, named handler, inline handler calling one function, fallback name', () => {
    const inv = checkInventory(ts`
      import cron from 'node-cron';
      function cleanup() { return 0; }
      cron.schedule('*/5 * * * *', cleanup);
      //   ^^^^^^^^ job node-cron cleanup none
      cron.schedule('0 3 * * *', async () => { await rebuildIndex(); });
      //   ^^^^^^^^ job node-cron rebuildIndex none
      cron.schedule('0 0 * * 0', () => {
      //   ^^^^^^^^ job node-cron cron '0 0 * * 0' none
        const a = 1;
        console.log(a);
      });
      async function rebuildIndex() { return 1; }
    `);
    assert.deepEqual(schedules(inv).sort(), ["cleanup=*/5 * * * *", "cron '0 0 * * 0'=0 0 * * 0", 'rebuildIndex=0 3 * * *']);
  });

  it('named import, the name option, and the variable a task is assigned to', () => checkInventory(ts`
    import { schedule } from 'node-cron';
    export function startJobs() {
      schedule('0 * * * *', () => { work(); more(); }, { name: 'hourly-report', timezone: 'UTC' });
    //^^^^^^^^ job node-cron hourly-report none
      const purgeTask = schedule('0 1 * * *', () => { work(); more(); }, { scheduled: false });
      //                ^^^^^^^^ job node-cron purgeTask none
      purgeTask.start();
    }
    function work() {}
    function more() {}
  `));

  it('CommonJS require, namespace import, and expressions held in constants', () => {
    const inv = checkInventory(ts`
      //- /src/a.js
      const cron = require('node-cron');
      const EVERY_MINUTE = '* * * * *';
      cron.schedule(EVERY_MINUTE, function poll() { return 1; });
      //   ^^^^^^^^ job node-cron poll none
      //- /src/b.ts
      import * as nodeCron from 'node-cron';
      import { config } from './config';
      nodeCron.schedule(config.digestCron, () => sendDigest());
      //       ^^^^^^^^ job node-cron sendDigest none
      function sendDigest() {}
      //- /src/config.ts
      export const config = { digestCron: '0 8 * * *' };
    `, '/src/a.js');
    assert.deepEqual(schedules(inv).sort(), ['poll=* * * * *', 'sendDigest=0 8 * * *']);
  });

  it('coverage: the handler records a metric, directly or through a helper in another file', () => checkInventory(ts`
    //- /src/jobs.ts
    import cron from 'node-cron';
    import { Counter } from 'prom-client';
    import { timed } from './metrics';
    const runs = new Counter({ name: 'job_runs_total', help: 'runs', labelNames: ['job'] });
    cron.schedule('0 * * * *', function hourlyA() { runs.inc({ job: 'a' }); doA(); });
    //   ^^^^^^^^ job node-cron hourlyA handler
    cron.schedule('5 * * * *', () => timed('b', doB));
    //   ^^^^^^^^ job node-cron b handler
    cron.schedule('10 * * * *', doC);
    //   ^^^^^^^^ job node-cron doC none
    function doA() {}
    function doB() {}
    function doC() {}
    //- /src/metrics.ts
    import { Histogram } from 'prom-client';
    const dur = new Histogram({ name: 'job_duration_seconds', help: 'd', labelNames: ['job'] });
    export async function timed(job: string, fn: () => unknown) { const end = dur.startTimer({ job }); try { await fn(); } finally { end(); } }
  `, '/src/jobs.ts'));

  it('a span opened by the handler is coverage, and a task wrapped in a project re-export still counts', () => checkInventory(ts`
    //- /src/lib/scheduler.ts
    export { schedule } from 'node-cron';
    //- /src/main.ts
    import { trace } from '@opentelemetry/api';
    import { schedule } from './lib/scheduler';
    const tracer = trace.getTracer('jobs');
    if (process.env.JOBS) {
      schedule('*/10 * * * *', () => tracer.startActiveSpan('sync', (span) => { span.end(); }));
    //^^^^^^^^ job node-cron sync handler
    }
  `, '/src/main.ts'));

  it('look-alikes: other schedulers, validate(), local objects with a schedule method', () => checkInventory(ts`
    import cron from 'node-cron';
    import nodeSchedule from 'node-schedule';
    cron.validate('* * * * *');
    nodeSchedule.schedule('* * * * *', () => {});
    const planner = { schedule: (expr: string, fn: () => void) => fn() };
    planner.schedule('* * * * *', () => {});
    function schedule(expr: string, fn: () => void) { fn(); }
    schedule('* * * * *', () => {});
    const agenda = { schedule: (when: string, name: string) => name };
    agenda.schedule('in 5 minutes', 'send-mail');
  `));
});
