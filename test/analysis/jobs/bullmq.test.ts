import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('BullMQ jobs', () => {
  it('new Worker with an inline processor, a constant queue name, CommonJS', () => checkInventory(ts`
    //- /src/worker.ts
    import { Worker } from 'bullmq';
    import { QUEUES } from './queues';
    const connection = { host: 'localhost', port: 6379 };
    export const emailWorker = new Worker(QUEUES.email, async (job) => { await send(job.data); }, { connection });
    //                         ^^^ job bullmq emails none
    async function send(d: unknown) { return d; }
    //- /src/queues.ts
    export const QUEUES = { email: 'emails', report: 'reports' } as const;
    //- /src/legacy.js
    const { Worker } = require('bullmq');
    const w = new Worker('thumbnails', function (job) { return job.data; }, { concurrency: 4 });
    //        ^^^ job bullmq thumbnails none
    module.exports = w;
  `, '/src/worker.ts'));

  it('coverage: a processor reference that records, and sandboxed processor files', () => checkInventory(ts`
    //- /src/workers.ts
    import path from 'node:path';
    import { Worker } from 'bullmq';
    import { processInvoice } from './processors/invoice';
    new Worker('invoices', processInvoice);
  //^^^ job bullmq invoices handler
    new Worker('images', path.join(__dirname, 'processors', 'image.js'));
  //^^^ job bullmq images handler
    new Worker('pdfs', \`\${__dirname}/processors/pdf.js\`);
  //^^^ job bullmq pdfs none
    //- /src/processors/invoice.ts
    import type { Job } from 'bullmq';
    import { trace } from '@opentelemetry/api';
    export async function processInvoice(job: Job) {
      return trace.getTracer('w').startActiveSpan('invoice', async (span) => { span.end(); return job.id; });
    }
    //- /src/processors/image.ts
    import type { SandboxedJob } from 'bullmq';
    import { Counter } from 'prom-client';
    const done = new Counter({ name: 'images_processed_total', help: 'h' });
    export default async function (job: SandboxedJob) { done.inc(); return job.id; }
    //- /src/processors/pdf.ts
    export default async function (job: { id: string }) { return job.id; }
  `, '/src/workers.ts'));

  it('coverage: worker and QueueEvents listeners recording metrics, and bullmq-otel telemetry', () => checkInventory(ts`
    import { Worker, QueueEvents } from 'bullmq';
    import { BullMQOtel } from 'bullmq-otel';
    import { Counter } from 'prom-client';
    const failures = new Counter({ name: 'jobs_failed_total', help: 'h', labelNames: ['queue'] });
    const a = new Worker('a', async () => 1);
    //        ^^^ job bullmq a middleware
    a.on('failed', () => failures.inc({ queue: 'a' }));
    const b = new Worker('b', async () => 1);
    //        ^^^ job bullmq b none
    b.on('error', (err) => console.error(err));
    b.on('completed', () => console.log('done'));
    const c = new Worker('c', async () => 1);
    //        ^^^ job bullmq c middleware
    const events = new QueueEvents('c');
    events.on('completed', () => failures.inc({ queue: 'c' }));
    export const d = new Worker('d', async () => 1, { telemetry: new BullMQOtel('svc') });
    //               ^^^ job bullmq d auto
  `));

  it('workers made by a project factory are one job per call of the factory', () => checkInventory(ts`
    //- /src/lib/make-worker.ts
    import { Worker, type Processor, type Queue } from 'bullmq';
    import { Histogram } from 'prom-client';
    const dur = new Histogram({ name: 'job_duration_seconds', help: 'h', labelNames: ['queue'] });
    export function makeWorker(queueName: string, processor: Processor) {
      const worker = new Worker(queueName, processor, { connection: {} });
      worker.on('completed', (job) => dur.observe({ queue: queueName }, (job.finishedOn! - job.processedOn!) / 1000));
      return worker;
    }
    export function createWorker(queue: Queue, fn: Processor) {
      return new Worker(queue.name, fn);
    }
    //- /src/main.ts
    import { Queue } from 'bullmq';
    import { makeWorker, createWorker } from './lib/make-worker';
    const invoices = new Queue('invoices');
    createWorker(invoices, async (job) => job.data);
  //^^^^^^^^^^^^ job bullmq invoices none
    makeWorker('orders', async (job) => job.data);
  //^^^^^^^^^^ job bullmq orders middleware
    makeWorker('refunds', async (job) => job.data);
  //^^^^^^^^^^ job bullmq refunds middleware
  `, '/src/main.ts'));

  it('@nestjs/bullmq processors: the @Processor line, process() and @OnWorkerEvent listeners', () => checkInventory(ts`
    //- /src/audio.processor.ts
    import { Processor, WorkerHost, OnWorkerEvent } from '@nestjs/bullmq';
    import { Job } from 'bullmq';
    import { Counter } from 'prom-client';
    const processed = new Counter({ name: 'audio_jobs_total', help: 'h' });
    @Processor('audio')
  //^^^^^^^^^^ job bullmq audio none
    export class AudioConsumer extends WorkerHost {
      async process(job: Job): Promise<unknown> { return job.data; }
    }
    @Processor({ name: 'video' })
  //^^^^^^^^^^ job bullmq video handler
    export class VideoConsumer extends WorkerHost {
      async process(job: Job) { processed.inc(); return job.data; }
    }
    @Processor('transcode', { concurrency: 2 })
  //^^^^^^^^^^ job bullmq transcode middleware
    export class TranscodeConsumer extends WorkerHost {
      async process(job: Job) { return job.data; }
      @OnWorkerEvent('completed')
      onCompleted() { processed.inc(); }
    }
  `, '/src/audio.processor.ts'));

  it('workers owned by a class: this.x = new Worker(…) with a bound method as processor', () => checkInventory(ts`
    import { Worker, type Job } from 'bullmq';
    import { Counter } from 'prom-client';
    const handled = new Counter({ name: 'handled_total', help: 'h' });
    export class EmailWorker {
      private worker: Worker;
      private other: Worker;
      constructor(private readonly queueName = 'email') {
        this.worker = new Worker('email', this.handle.bind(this), { connection: {} });
        //            ^^^ job bullmq email handler
        this.other = new Worker('plain', this.plain.bind(this));
        //           ^^^ job bullmq plain middleware
        this.other.on('failed', () => handled.inc());
      }
      private async handle(job: Job) { handled.inc(); return job.id; }
      private async plain(job: Job) { return job.id; }
    }
  `));

  it('a base worker class named by its subclasses (super(queue)) and processing with their methods', () => checkInventory(ts`
    //- /src/base.worker.ts
    import { Worker, type Job } from 'bullmq';
    export abstract class BaseWorker {
      protected worker: Worker;
      constructor(queueName: string) {
        this.worker = new Worker(queueName, this.process.bind(this), { connection: {} });
      }
      abstract process(job: Job): Promise<unknown>;
    }
    //- /src/workers.ts
    import type { Job } from 'bullmq';
    import { Counter } from 'prom-client';
    import { BaseWorker } from './base.worker';
    const sent = new Counter({ name: 'emails_sent_total', help: 'h' });
    export class EmailWorker extends BaseWorker {
      constructor() {
        super('email');
      //^^^^^ job bullmq email handler
      }
      async process(job: Job) { sent.inc(); return job.id; }
    }
    export class SmsWorker extends BaseWorker {
      constructor() {
        super('sms');
      //^^^^^ job bullmq sms none
      }
      async process(job: Job) { return job.id; }
    }
  `, '/src/workers.ts'));

  it('listeners attached by a project helper that receives the worker', () => checkInventory(ts`
    //- /src/worker.ts
    import { Worker } from 'bullmq';
    import { instrumentWorker } from './observability';
    const w = new Worker('billing', async (job) => job.data);
    //        ^^^ job bullmq billing middleware
    instrumentWorker(w, 'billing');
    export const other = new Worker('other', async (job) => job.data);
    //                   ^^^ job bullmq other none
    //- /src/observability.ts
    import type { Worker } from 'bullmq';
    import { Counter } from 'prom-client';
    const failed = new Counter({ name: 'jobs_failed_total', help: 'h', labelNames: ['queue'] });
    export function instrumentWorker(worker: Worker, queue: string) {
      worker.on('failed', () => failed.inc({ queue }));
    }
  `, '/src/worker.ts'));

  it('@nestjs/bullmq processors are traced when BullModule is configured with bullmq-otel', () => checkInventory(ts`
    //- /src/app.module.ts
    import { Module } from '@nestjs/common';
    import { BullModule } from '@nestjs/bullmq';
    import { BullMQOtel } from 'bullmq-otel';
    @Module({
      imports: [
        BullModule.forRoot({ connection: { host: 'localhost' }, telemetry: new BullMQOtel('api') }),
        BullModule.registerQueue({ name: 'reports' }),
      ],
    })
    export class AppModule {}
    //- /src/reports.processor.ts
    import { Processor, WorkerHost } from '@nestjs/bullmq';
    import type { Job } from 'bullmq';
    @Processor('reports')
  //^^^^^^^^^^ job bullmq reports auto
    export class ReportsProcessor extends WorkerHost {
      async process(job: Job) { return job.data; }
    }
  `, '/src/reports.processor.ts'));

  it('look-alikes: worker_threads, web workers, queues and producers, other Processor decorators', () => checkInventory(ts`
    import { Worker as ThreadWorker } from 'node:worker_threads';
    import { Queue, FlowProducer } from 'bullmq';
    import { Processor } from './local-decorators';
    new ThreadWorker('./thread.js');
    const webWorker = new Worker(new URL('./w.js', import.meta.url));
    const q = new Queue('emails');
    q.add('welcome', { to: 'a@b.c' });
    new FlowProducer({ connection: {} });
    @Processor('emails')
    export class NotAJob { process() { return webWorker; } }
  `));
});
