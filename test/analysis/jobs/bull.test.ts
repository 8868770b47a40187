import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('Bull jobs', () => {
  it('queue.process with no name, a job name, a concurrency, or both', () => checkInventory(ts`
    import Queue from 'bull';
    const emailQueue = new Queue('email', 'redis://127.0.0.1:6379');
    emailQueue.process(async (job) => job.data);
    //         ^^^^^^^ job bull email none
    emailQueue.process('welcome', async (job) => job.data);
    //         ^^^^^^^ job bull welcome none
    emailQueue.process('digest', 5, async (job) => job.data);
    //         ^^^^^^^ job bull digest none
    emailQueue.process(3, sendBatch);
    //         ^^^^^^^ job bull email none
    emailQueue.process('*', async (job) => job.data);
    //         ^^^^^^^ job bull email none
    async function sendBatch() { return 1; }
  `));

  it('CommonJS, Bull(...) without new, queues exported from another file and held in objects', () => checkInventory(ts`
    //- /src/queues.js
    const Bull = require('bull');
    const videoQueue = Bull('video');
    const queues = { audio: new Bull('audio'), pdf: new Bull('pdf') };
    module.exports = { videoQueue, queues };
    //- /src/worker.js
    const { videoQueue, queues } = require('./queues');
    videoQueue.process(function transcode(job, done) { done(); });
    //         ^^^^^^^ job bull video none
    queues.audio.process('normalize', (job) => job.data);
    //           ^^^^^^^ job bull normalize none
  `, '/src/worker.js'));

  it('coverage: recording processors, sandboxed processor files, and queue listeners', () => checkInventory(ts`
    //- /src/worker.ts
    import Bull from 'bull';
    import path from 'node:path';
    import { Counter } from 'prom-client';
    const completed = new Counter({ name: 'bull_jobs_completed_total', help: 'h', labelNames: ['queue'] });
    const a = new Bull('a');
    a.process(async () => { completed.inc({ queue: 'a' }); });
    //^^^^^^^ job bull a handler
    const b = new Bull('b');
    b.process(path.join(__dirname, 'processor.js'));
    //^^^^^^^ job bull b handler
    const c = new Bull('c');
    c.process('resize', 2, async () => 1);
    //^^^^^^^ job bull resize middleware
    c.on('global:completed', () => completed.inc({ queue: 'c' }));
    const d = new Bull('d');
    d.process(async () => 1);
    //^^^^^^^ job bull d none
    d.on('failed', (job, err) => console.error(job.id, err));
    //- /src/processor.ts
    import { Histogram } from 'prom-client';
    const h = new Histogram({ name: 'bull_job_duration_seconds', help: 'h' });
    module.exports = async function (job: { id: string }) { const end = h.startTimer(); end(); return job.id; };
  `, '/src/worker.ts'));

  it('queues made by a project factory take the name given to the factory', () => checkInventory(ts`
    //- /src/lib/queue.ts
    import Queue from 'bull';
    export function createQueue(name: string) { return new Queue(name, { redis: { port: 6379 } }); }
    //- /src/jobs/mail.ts
    import { createQueue } from '../lib/queue';
    const mail = createQueue('mail');
    mail.process(async (job) => job.data);
    //   ^^^^^^^ job bull mail none
  `, '/src/jobs/mail.ts'));

  it('@nestjs/bull: @Process methods of @Processor classes, with @OnQueue* listeners', () => checkInventory(ts`
    import { Processor, Process, OnQueueCompleted } from '@nestjs/bull';
    import { Job } from 'bull';
    import { Counter } from 'prom-client';
    const done = new Counter({ name: 'jobs_done_total', help: 'h' });
    @Processor('audio')
    export class AudioProcessor {
      @Process('transcode')
    //^^^^^^^^ job bull transcode none
      async transcode(job: Job) { return job.data; }
      @Process()
    //^^^^^^^^ job bull audio handler
      async other(job: Job) { done.inc(); return job.data; }
    }
    @Processor({ name: 'mail' })
    export class MailProcessor {
      @Process({ name: 'welcome', concurrency: 2 })
    //^^^^^^^^ job bull welcome middleware
      async welcome(job: Job) { return job.data; }
      @OnQueueCompleted()
      onCompleted() { done.inc(); }
    }
  `));

  it('queues injected by @nestjs/bull and processed by hand, and typed parameters', () => checkInventory(ts`
    import { Injectable, OnModuleInit } from '@nestjs/common';
    import { InjectQueue } from '@nestjs/bull';
    import type { Queue } from 'bull';
    @Injectable()
    export class Exporter implements OnModuleInit {
      constructor(@InjectQueue('exports') private readonly queue: Queue) {}
      onModuleInit() {
        this.queue.process('csv', async (job) => job.data);
        //         ^^^^^^^ job bull csv none
        this.queue.process(async (job) => job.data);
        //         ^^^^^^^ job bull exports none
      }
    }
    export function register(q: Queue) {
      q.process(async () => 1);
      //^^^^^^^ job bull q none
    }
  `));

  it('look-alikes: process.on, other queue libraries, bullmq queues, local objects', () => checkInventory(ts`
    import BeeQueue from 'bee-queue';
    import { Queue } from 'bullmq';
    import Bull from 'bull';
    process.on('SIGTERM', () => process.exit(0));
    const bee = new BeeQueue('x');
    bee.process(async () => 1);
    const mq = new Queue('y') as unknown as { process(fn: () => void): void };
    mq.process(() => {});
    const imageProcessor = { process: (file: string) => file };
    imageProcessor.process('a.png');
    const q = new Bull('z');
    q.add({ a: 1 });
  `));
});
