import assert from 'node:assert/strict';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('@nestjs/schedule jobs', () => {
  it('@Cron with an expression, a CronExpression and a name option', () => {
    const inv = checkInventory(ts`
      import { Injectable } from '@nestjs/common';
      import { Cron, CronExpression } from '@nestjs/schedule';
      @Injectable()
      export class TasksService {
        @Cron('45 * * * * *')
      //^^^^^ job nest-schedule handleCron none
        handleCron() { return 1; }
        @Cron(CronExpression.EVERY_HOUR)
      //^^^^^ job nest-schedule hourly none
        async hourly() { return 1; }
        @Cron('0 0 * * *', { name: 'notifications', timeZone: 'Europe/Paris' })
      //^^^^^ job nest-schedule notifications none
        notify() { return 1; }
      }
    `);
    assert.deepEqual(inv.jobs.map((j) => `${j.name}=${j.schedule}`).sort(), ['handleCron=45 * * * * *', 'hourly=CronExpression.EVERY_HOUR', 'notifications=0 0 * * *']);
  });

  it('@Interval and @Timeout, with and without a name, milliseconds from constants', () => {
    const inv = checkInventory(ts`
      import { Injectable } from '@nestjs/common';
      import { Interval, Timeout } from '@nestjs/schedule';
      const MINUTE = 60 * 1000;
      @Injectable()
      export class Pollers {
        @Interval(5000)
      //^^^^^^^^^ job nest-schedule poll none
        poll() { return 1; }
        @Interval('sync', 10 * MINUTE)
      //^^^^^^^^^ job nest-schedule sync none
        syncAll() { return 1; }
        @Timeout(3000)
      //^^^^^^^^ job nest-schedule warmCache none
        warmCache() { return 1; }
        @Timeout('bootstrap-index', 1000)
      //^^^^^^^^ job nest-schedule bootstrap-index none
        build() { return 1; }
      }
    `);
    assert.deepEqual(inv.jobs.map((j) => `${j.name}=${j.schedule}`).sort(),
      ['bootstrap-index=after 1000 ms', 'poll=every 5000 ms', 'sync=every 600000 ms', 'warmCache=after 3000 ms']);
  });

  it('namespace imports and decorators in JavaScript-style classes', () => checkInventory(ts`
    import * as schedule from '@nestjs/schedule';
    export class Reports {
      @schedule.Cron(schedule.CronExpression.EVERY_DAY_AT_1AM)
    //^^^^^^^^^^^^^^ job nest-schedule daily none
      daily() { return 1; }
    }
  `));

  it('coverage: a method that records, directly or through an injected service', () => checkInventory(ts`
    //- /src/tasks.ts
    import { Injectable } from '@nestjs/common';
    import { Cron, Interval } from '@nestjs/schedule';
    import { Counter } from 'prom-client';
    import { JobMetrics } from './job-metrics';
    const ticks = new Counter({ name: 'ticks_total', help: 'h' });
    @Injectable()
    export class Tasks {
      constructor(private readonly metrics: JobMetrics) {}
      @Cron('* * * * *')
    //^^^^^ job nest-schedule direct handler
      direct() { ticks.inc(); }
      @Interval(1000)
    //^^^^^^^^^ job nest-schedule viaService handler
      async viaService() { await this.metrics.track('x', async () => 1); }
      @Interval(2000)
    //^^^^^^^^^ job nest-schedule plain none
      plain() { return 2; }
    }
    //- /src/job-metrics.ts
    import { Histogram } from 'prom-client';
    const h = new Histogram({ name: 'job_duration_seconds', help: 'h', labelNames: ['job'] });
    export class JobMetrics {
      async track(job: string, fn: () => Promise<unknown>) { const end = h.startTimer({ job }); try { return await fn(); } finally { end(); } }
    }
  `, '/src/tasks.ts'));

  it('a tracing decorator on the method is coverage', () => checkInventory(ts`
    import { Cron } from '@nestjs/schedule';
    import { Span } from 'nestjs-otel';
    export class Traced {
      @Cron('0 * * * *')
    //^^^^^ job nest-schedule run handler
      @Span('hourly-run')
      run() { return 1; }
    }
  `));

  it('look-alikes: local decorators and other libraries with the same names', () => checkInventory(ts`
    //- /src/index.ts
    import { interval } from 'rxjs';
    import { Timeout } from 'nestjs-timeout';
    import { Cron } from './decorators';
    export class NotJobs {
      @Cron('* * * * *')
      a() { return interval(1000); }
      @Timeout(500)
      b() { return 1; }
    }
    //- /src/decorators.ts
    export const Cron = (_expr: string): MethodDecorator => () => undefined;
  `));
});
