import assert from 'node:assert/strict';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('cron (CronJob) jobs', () => {
  it('new CronJob with positional arguments, named and inline handlers', () => {
    const inv = checkInventory(ts`
      import { CronJob } from 'cron';
      function syncAll() {}
      const a = new CronJob('0 * * * *', () => syncAll(), null, true, 'UTC');
      //        ^^^ job cron syncAll none
      new CronJob('*/30 * * * * *', function heartbeat() { a.start(); a.stop(); }).start();
    //^^^ job cron heartbeat none
    `);
    assert.deepEqual(inv.jobs.map((j) => j.schedule).sort(), ['*/30 * * * * *', '0 * * * *']);
  });

  it('CronJob.from with a name, and the onTick name otherwise', () => checkInventory(ts`
    import { CronJob } from 'cron';
    export const jobs = [
      CronJob.from({ cronTime: '0 0 * * *', onTick: async () => { await a(); await b(); }, start: true, name: 'nightly' }),
      //      ^^^^ job cron nightly none
      CronJob.from({ cronTime: '0 12 * * *', onTick: sendReport, start: false }),
      //      ^^^^ job cron sendReport none
    ];
    async function a() {}
    async function b() {}
    function sendReport() {}
  `));

  it('CommonJS: require(...).CronJob, new cron.CronJob, cron.job and the old object form', () => checkInventory(ts`
    //- /src/jobs.js
    const CronJob = require('cron').CronJob;
    const cron = require('cron');
    const cleanupJob = new CronJob('0 4 * * *', function () { purge(); log(); });
    //                 ^^^ job cron cleanupJob none
    new cron.CronJob({ cronTime: '*/5 * * * *', onTick: refreshRates, start: true });
  //^^^ job cron refreshRates none
    const j = cron.job('0 0 1 * *', () => { monthly(); log(); });
    //             ^^^ job cron j none
    function purge() {}
    function log() {}
    function refreshRates() {}
    function monthly() {}
  `, '/src/jobs.js'));

  it('jobs added to the NestJS SchedulerRegistry take the registry name', () => checkInventory(ts`
    import { Injectable } from '@nestjs/common';
    import { SchedulerRegistry } from '@nestjs/schedule';
    import { CronJob } from 'cron';
    @Injectable()
    export class Notifier {
      constructor(private readonly registry: SchedulerRegistry) {}
      addJob(expr: string) {
        const job = new CronJob(expr, () => { this.a(); this.b(); });
        //          ^^^ job cron notifications none
        this.registry.addCronJob('notifications', job);
        job.start();
      }
      a() {}
      b() {}
    }
  `));

  it('coverage: an onTick that records a metric or calls a helper that does', () => checkInventory(ts`
    //- /src/index.ts
    import { CronJob } from 'cron';
    import { recordRun } from './metrics';
    new CronJob('0 * * * *', () => { recordRun('hourly'); work(); }, null, true);
  //^^^ job cron cron '0 * * * *' handler
    CronJob.from({ cronTime: '0 1 * * *', onTick: work, start: true });
    //      ^^^^ job cron work none
    function work() {}
    //- /src/metrics.ts
    import { Counter } from 'prom-client';
    const runs = new Counter({ name: 'job_runs_total', help: 'h', labelNames: ['job'] });
    export function recordRun(job: string) { runs.inc({ job }); }
  `));

  it('look-alikes: a local CronJob class, croner, CronTime and sendAt', () => checkInventory(ts`
    //- /src/index.ts
    import { CronJob as LocalJob } from './local';
    import { Cron } from 'croner';
    import { CronTime, sendAt } from 'cron';
    new LocalJob('0 * * * *', () => {});
    LocalJob.from({ cronTime: '0 * * * *', onTick: () => {} });
    new Cron('0 * * * *', () => {});
    new CronTime('0 * * * *');
    sendAt('0 * * * *');
    //- /src/local.ts
    export class CronJob { constructor(public expr: string, public fn: () => void) {} static from(o: object) { return o; } }
  `));
});
