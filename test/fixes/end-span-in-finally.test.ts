import assert from 'node:assert/strict';
import { ts } from '../helpers/annotated';
import { checkFix } from '../helpers/fixes';
import { notApplicableReason } from '../helpers/run-fixed';

const HEAD = ts`
  import { trace, SpanStatusCode } from '@opentelemetry/api';
  const tracer = trace.getTracer('svc');
`;

describe('fix end-span-in-finally', () => {
  it('wraps the code after startSpan in try/finally; the redundant end before the return goes; template text is kept', () => checkFix('end-span-in-finally', HEAD + ts`
    export async function load(id: string, db: { find(id: string): Promise<unknown> }) {
      const span = tracer.$0startSpan('load');
      if (!id) {
        return null;
      }
      const row = await db.find(id);
      span.setAttribute('note', \`multi
    line \${id}\`);
      span.end();
      return row;
    }
  `, HEAD + ts`
    export async function load(id: string, db: { find(id: string): Promise<unknown> }) {
      const span = tracer.startSpan('load');
      try {
        if (!id) {
          return null;
        }
        const row = await db.find(id);
        span.setAttribute('note', \`multi
    line \${id}\`);
        return row;
      } finally {
        span.end();
      }
    }
  `));

  it('a single try without finally gets the finally; in async code a returned call is awaited inside the try', () => {
    checkFix('end-span-in-finally', HEAD + ts`
      export async function pay(charge: () => Promise<void>) {
        const span = tracer.$0startSpan('pay');
        try {
          await charge();
          span.end();
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw err;
        }
      }
    `, HEAD + ts`
      export async function pay(charge: () => Promise<void>) {
        const span = tracer.startSpan('pay');
        try {
          await charge();
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw err;
        } finally {
          span.end();
        }
      }
    `);
    checkFix('end-span-in-finally', HEAD + ts`
      export async function fetchUser(id: string, api: { get(id: string): Promise<unknown> }) {
        const span = tracer.$0startSpan('fetchUser');
        span.setAttribute('user.kind', 'customer');
        if (!id) throw new Error('no id');
        return api.get(id);
      }
    `, HEAD + ts`
      export async function fetchUser(id: string, api: { get(id: string): Promise<unknown> }) {
        const span = tracer.startSpan('fetchUser');
        try {
          span.setAttribute('user.kind', 'customer');
          if (!id) throw new Error('no id');
          return await api.get(id);
        } finally {
          span.end();
        }
      }
    `);
  });

  it('an existing finally gets the end call', () => checkFix('end-span-in-finally', HEAD + ts`
    export async function job(work: () => Promise<void>, release: () => void) {
      const span = tracer.$0startSpan('job');
      try {
        await work();
      } finally {
        release();
      }
    }
  `, HEAD + ts`
    export async function job(work: () => Promise<void>, release: () => void) {
      const span = tracer.startSpan('job');
      try {
        await work();
      } finally {
        release();
        span.end();
      }
    }
  `));

  it('end calls right before a return or a break in a switch are redundant too', () => checkFix('end-span-in-finally', HEAD + ts`
    export function kind(k: string, log: (s: string) => void) {
      const span = tracer.$0startSpan('kind');
      switch (k) {
        case 'a':
          span.end();
          return 1;
        case 'b':
          span.end();
          break;
        default:
          log(k);
      }
      return 0;
    }
  `, HEAD + ts`
    export function kind(k: string, log: (s: string) => void) {
      const span = tracer.startSpan('kind');
      try {
        switch (k) {
          case 'a':
            return 1;
          case 'b':
            break;
          default:
            log(k);
        }
        return 0;
      } finally {
        span.end();
      }
    }
  `));

  it('startActiveSpan callbacks: a block body, an expression body without the span parameter', () => {
    checkFix('end-span-in-finally', HEAD + ts`
      export function run(job: () => Promise<number>) {
        return tracer.$0startActiveSpan('run', async (span) => {
          const n = await job();
          if (n === 0) return 0;
          span.end();
          return n;
        });
      }
    `, HEAD + ts`
      export function run(job: () => Promise<number>) {
        return tracer.startActiveSpan('run', async (span) => {
          try {
            const n = await job();
            if (n === 0) return 0;
            return n;
          } finally {
            span.end();
          }
        });
      }
    `);
    checkFix('end-span-in-finally', HEAD + ts`
      export function fire(job: () => Promise<void>) {
        return tracer.$0startActiveSpan('fire', async () => job());
      }
    `, HEAD + ts`
      export function fire(job: () => Promise<void>) {
        return tracer.startActiveSpan('fire', async (span) => {
          try {
            return await job();
          } finally {
            span.end();
          }
        });
      }
    `);
  });

  it('CommonJS, double quotes, no semicolons, four-space indentation: a span per loop iteration skipped with continue', () => checkFix('end-span-in-finally', ts`
    //- /src/worker.js
    const api = require("@opentelemetry/api")
    const tracer = api.trace.getTracer("worker")
    async function handleAll(msgs, handle) {
        for (const msg of msgs) {
            const span = tracer.$0startSpan("handle")
            if (!msg.body) continue
            await handle(msg.body)
            span.end()
        }
    }
    module.exports = { handleAll }
  `, ts`
    //- /src/worker.js
    const api = require("@opentelemetry/api")
    const tracer = api.trace.getTracer("worker")
    async function handleAll(msgs, handle) {
        for (const msg of msgs) {
            const span = tracer.startSpan("handle")
            try {
                if (!msg.body) continue
                await handle(msg.body)
            } finally {
                span.end()
            }
        }
    }
    module.exports = { handleAll }
  `, '/src/worker.js'));

  it('not applicable: a discarded span; a function declared after the span (it would move out of scope)', () => {
    assert.match(notApplicableReason('end-span-in-finally', HEAD + ts`
      export function b() {
        tracer.$0startSpan('b');
      }
    `), /not kept in a variable/);
    assert.match(notApplicableReason('end-span-in-finally', HEAD + ts`
      export function c() {
        const span = tracer.$0startSpan('c');
        helper();
        function helper() { span.setAttribute('k', 1); }
      }
    `), /function declared after the span/);
  });
});
