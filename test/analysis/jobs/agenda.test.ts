import assert from 'node:assert/strict';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('Agenda jobs', () => {
  it('define with and without options; the schedule comes from every()', () => {
    const inv = checkInventory(ts`
      import Agenda from 'agenda';
      const agenda = new Agenda({ db: { address: 'mongodb://127.0.0.1/agenda' } });
      agenda.define('send email report', async (job) => { await job.touch(); });
      //     ^^^^^^ job agenda send email report none
      agenda.define('cleanup', { priority: 'high', concurrency: 2 }, async () => 1);
      //     ^^^^^^ job agenda cleanup none
      agenda.define('one-off', async () => 1);
      //     ^^^^^^ job agenda one-off none
      (async () => {
        await agenda.start();
        await agenda.every('5 minutes', 'send email report');
        await agenda.every('0 3 * * *', ['cleanup']);
        await agenda.schedule('in 20 minutes', 'one-off');
      })();
    `);
    assert.deepEqual(inv.jobs.map((j) => `${j.name}=${j.schedule}`).sort(), ['cleanup=0 3 * * *', 'one-off=undefined', 'send email report=5 minutes']);
  });

  it('@hokify/agenda, named imports, names held in constants, agendas in another file', () => checkInventory(ts`
    //- /src/agenda.ts
    import { Agenda } from '@hokify/agenda';
    export const agenda = new Agenda({ db: { address: 'mongodb://127.0.0.1/x' } });
    //- /src/names.ts
    export const JOBS = { REINDEX: 'reindex-search' } as const;
    //- /src/jobs.ts
    import { agenda } from './agenda';
    import { JOBS } from './names';
    agenda.define(JOBS.REINDEX, async function reindex() { return 1; });
    //     ^^^^^^ job agenda reindex-search none
  `, '/src/jobs.ts'));

  it('job definition modules that receive the agenda as a parameter (typed or named agenda)', () => checkInventory(ts`
    //- /src/jobs/email.js
    module.exports = function (agenda) {
      agenda.define('registration email', async (job) => job.attrs.data);
      //     ^^^^^^ job agenda registration email none
    };
    //- /src/jobs/billing.ts
    import type { Agenda } from 'agenda';
    export default (scheduler: Agenda) => {
      scheduler.define('charge', async () => 1);
      //        ^^^^^^ job agenda charge none
    };
  `, '/src/jobs/email.js'));

  it('coverage: recording handlers, and success/fail listeners recording metrics', () => checkInventory(ts`
    import { Agenda } from 'agenda';
    import { Counter } from 'prom-client';
    const runs = new Counter({ name: 'agenda_runs_total', help: 'h', labelNames: ['job', 'status'] });
    const a = new Agenda();
    a.define('measured', async () => { runs.inc({ job: 'measured', status: 'ok' }); });
    //^^^^^^ job agenda measured handler
    a.define('reported', async () => 1);
    //^^^^^^ job agenda reported middleware
    a.on('success:reported', () => runs.inc({ job: 'reported', status: 'ok' }));
    const b = new Agenda();
    b.define('all-covered', async () => 1);
    //^^^^^^ job agenda all-covered middleware
    b.on('fail', (err, job) => runs.inc({ job: job.attrs.name, status: 'fail' }));
    const c = new Agenda();
    c.define('quiet', async () => 1);
    //^^^^^^ job agenda quiet none
    c.on('ready', () => c.start());
  `));

  it('the single agenda of a project covers jobs defined through untyped parameters', () => checkInventory(ts`
    //- /src/index.js
    const Agenda = require('agenda');
    const metrics = require('./metrics');
    const agenda = new Agenda();
    agenda.on('complete', (job) => metrics.jobsCompleted.inc({ job: job.attrs.name }));
    require('./jobs/sync')(agenda);
    //- /src/metrics.js
    const client = require('prom-client');
    exports.jobsCompleted = new client.Counter({ name: 'jobs_completed_total', help: 'h', labelNames: ['job'] });
    //- /src/jobs/sync.js
    module.exports = (agenda) => {
      agenda.define('sync users', async () => 1);
      //     ^^^^^^ job agenda sync users middleware
    };
  `, '/src/index.js'));

  it('look-alikes: custom elements, AMD define, Sequelize models, a local Agenda', () => checkInventory(ts`
    //- /src/index.ts
    import { Sequelize } from 'sequelize';
    import { Agenda } from './local';
    customElements.define('x-el', class extends HTMLElement {});
    declare function define(deps: string[], fn: () => void): void;
    define(['a'], () => {});
    const sequelize = new Sequelize('sqlite::memory:');
    sequelize.define('User', {});
    new Agenda().define('not-a-job', () => {});
    const registry = { define: (name: string, fn: () => void) => fn };
    registry.define('x', () => {});
    //- /src/local.ts
    export class Agenda { define(name: string, fn: () => void) { return [name, fn]; } }
  `));
});
