import rule from '../../../src/analysis/rules/span-not-ended';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule span-not-ended', () => {
  it('reports spans not ended on some path', () => checkRule(rule, {
    invalid: [
      // early return
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export async function load(id: string, db: { find(id: string): Promise<unknown> }) {
          const span = tracer.startSpan('load');
        //                    ^^^^^^^^^ Span 'load' is not ended on the return at line 6
          if (!id) {
            return null;
          }
          const row = await db.find(id);
          span.end();
          return row;
        }
      `,
      // explicit throw
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export function check(input: { ok: boolean }) {
          const span = tracer.startSpan('check');
        //                    ^^^^^^^^^ Span 'check' is not ended when the error is thrown at line 5
          if (!input.ok) throw new Error('bad input');
          span.end();
        }
      `,
      // ended in try only; the catch rethrows without ending
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export async function pay(charge: () => Promise<void>) {
          const span = tracer.startSpan('pay');
        //                    ^^^^^^^^^ Span 'pay' is not ended when the error is thrown at line 11
          try {
            await charge();
            span.end();
          } catch (err) {
            span.recordException(err as Error);
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw err;
          }
        }
      `,
      // the catch handles the error and falls through
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export async function sync(push: () => Promise<void>, log: (e: unknown) => void) {
          try {
            const span = tracer.startSpan('sync');
        //                      ^^^^^^^^^ Span 'sync' is not ended when the catch at line 8 handles an error
            await push();
            span.end();
          } catch (err) {
            log(err);
          }
        }
      `,
      // never ended; discarded; ended only conditionally
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export function a() {
          const span = tracer.startSpan('a');
        //                    ^^^^^^^^^ Span 'a' is never ended
          span.setAttribute('k', 1);
        }
        export function b() {
          tracer.startSpan('b');
        //       ^^^^^^^^^ Span 'b' is started but never ended (the span is discarded)
        }
        export function c(flag: boolean) {
          const span = tracer.startSpan('c');
        //                    ^^^^^^^^^ Span 'c' is not ended on every path to the end of the function
          if (flag) span.end();
        }
      `,
      // startActiveSpan callbacks
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export function run(job: () => Promise<number>) {
          return tracer.startActiveSpan('run', async (span) => {
        //              ^^^^^^^^^^^^^^^ Span 'run' is not ended on the return at line 6
            const n = await job();
            if (n === 0) return 0;
            span.end();
            return n;
          });
        }
        export function fire(job: () => void) {
          tracer.startActiveSpan('fire', () => job());
        //       ^^^^^^^^^^^^^^^ Span 'fire' is never ended (the callback does not take the span)
          tracer.startActiveSpan('fire2', (span) => job());
        //       ^^^^^^^^^^^^^^^ Span 'fire2' is never ended
        }
      `,
      // a span per loop iteration, skipped with continue
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export async function each(items: string[], work: (s: string) => Promise<boolean>) {
          for (const item of items) {
            const span = tracer.startSpan('item');
        //                      ^^^^^^^^^ Span 'item' is not ended before the continue at line 6
            if (!(await work(item))) continue;
            span.end();
          }
        }
      `,
      // a wrapper that lends the span to its callback still has to end it; a helper that only records on it does not end it
      ts`
        import { trace, SpanStatusCode, type Span } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        function recordError(span: Span, err: unknown) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        export function traceAsync<T>(name: string, fn: (span: Span) => Promise<T>): Promise<T> {
          return tracer.startActiveSpan(name, async (span) => {
        //              ^^^^^^^^^^^^^^^ Span \`name\` is not ended when the error is thrown at line 15
            try {
              const result = await fn(span);
              span.end();
              return result;
            } catch (err) {
              recordError(span, err);
              throw err;
            }
          });
        }
      `,
      // CommonJS, tracer from the API package under another name
      ts`
        //- /src/worker.js
        const api = require('@opentelemetry/api');
        const tracer = api.trace.getTracer('worker');
        async function handle(msg) {
          const span = tracer.startSpan('handle');
        //                    ^^^^^^^^^ Span 'handle' is not ended on the return at line 5
          if (!msg.body) return;
          await process(msg.body);
          span.end();
        }
        module.exports = { handle };
      `,
    ],
    valid: [
      // finally
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export async function load(id: string, db: { find(id: string): Promise<unknown> }) {
          const span = tracer.startSpan('load');
          try {
            if (!id) return null;
            return await db.find(id);
          } catch (err) {
            span.recordException(err as Error);
            throw err;
          } finally {
            span.end();
          }
        }
      `,
      // ended on each path explicitly
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export function run(job: () => Promise<number>) {
          return tracer.startActiveSpan('run', async (span) => {
            try {
              const n = await job();
              if (n === 0) { span.end(); return 0; }
              span.end();
              return n;
            } catch (e) {
              span.setStatus({ code: SpanStatusCode.ERROR });
              span.end();
              throw e;
            }
          });
        }
      `,
      // returned / stored / passed on: the receiver owns it
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export function begin(name: string) { const span = tracer.startSpan(name); return span; }
        export class Ctx { span: unknown; start() { const span = tracer.startSpan('x'); this.span = span; } }
        export function handOff(finish: (s: unknown) => void) { const span = tracer.startSpan('h'); finish(span); }
        const open = new Map<string, unknown>();
        export function track(id: string) { const span = tracer.startSpan('t'); open.set(id, span); }
      `,
      // ended by a callback registered on the way, or by a local helper
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        import type { Request, Response, NextFunction } from 'express';
        export function tracing(req: Request, res: Response, next: NextFunction) {
          const span = tracer.startSpan('http');
          res.on('finish', () => { span.setAttribute('status', res.statusCode); span.end(); });
          next();
        }
        export async function withHelper(work: () => Promise<boolean>) {
          const span = tracer.startSpan('w');
          const done = () => span.end();
          if (!(await work())) { done(); return; }
          done();
        }
        export function chained(work: () => Promise<void>) {
          const span = tracer.startSpan('c');
          return work().finally(() => span.end());
        }
      `,
      // Sentry's callback APIs end the span themselves; a project wrapper owns its callbacks
      ts`
        import * as Sentry from '@sentry/node';
        export function a(work: () => void) {
          Sentry.startSpan({ name: 'a' }, () => work());
          Sentry.startActiveSpan({ name: 'b' }, (span) => work());
        }
        //- /src/tracing.ts
        import { trace, type Span } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export const tracing = {
          startActiveSpan<T>(name: string, fn: (span: Span) => Promise<T>): Promise<T> {
            return tracer.startActiveSpan(name, async (span) => { try { return await fn(span); } finally { span.end(); } });
          },
        };
        //- /src/use.ts
        import { tracing } from './tracing';
        export const x = () => tracing.startActiveSpan('x', async (span) => { span.setAttribute('a', 1); });
      `,
      // while (true) exits only through break; guard on the span (elastic-apm style); switch
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export async function poll(next: () => Promise<boolean>) {
          const span = tracer.startSpan('poll');
          while (true) {
            if (await next()) { span.end(); break; }
          }
        }
        declare const apm: { startSpan(n: string): { end(): void } | null };
        export function maybe() {
          const span = apm.startSpan('q');
          if (span) span.end();
        }
        export function kind(k: string) {
          const span = tracer.startSpan('k');
          switch (k) {
            case 'a': span.end(); return 1;
            default: span.end(); return 2;
          }
        }
      `,
      // implicit exceptions from calls are not paths; returns inside callbacks are not the function's returns
      ts`
        import { trace } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        export async function batch(ids: string[], load: (id: string) => Promise<number>) {
          const span = tracer.startSpan('batch');
          const rows = await Promise.all(ids.map((id) => { if (!id) return 0; return load(id); }));
          span.setAttribute('rows', rows.length);
          span.end();
          return rows;
        }
        export async function nested(ids: string[], load: (id: string) => Promise<void>) {
          for (const id of ids) {
            const span = tracer.startSpan('one');
            try {
              if (!id) continue;
              await load(id);
            } finally {
              span.end();
            }
          }
        }
      `,
      // ended in an overridden res.send; a project's own tracer class; a callback-style project tracer
      ts`
        import { trace, context, ROOT_CONTEXT, type Tracer } from '@opentelemetry/api';
        export function middleware(tracer: Tracer) {
          return (req: any, res: any, next: any) => {
            const span = tracer.startSpan(\`\${req.method} \${req.path}\`);
            const originalSend = res.send;
            res.send = function send(...args: any[]) { span.end(); originalSend.apply(res, args); };
            context.with(trace.setSpan(ROOT_CONTEXT, span), next);
          };
        }
        class TracingService {
          spans: string[] = [];
          startSpan(op: string) { this.spans.push(op); return op; }
        }
        const mine = new TracingService();
        mine.startSpan('http.request');
      `,
      // handed to a helper that ends it
      ts`
        import { trace, type Span } from '@opentelemetry/api';
        const tracer = trace.getTracer('svc');
        function finishSpan(span: Span, ok: boolean) { span.setAttribute('ok', ok); span.end(); }
        export async function work(run: () => Promise<boolean>) {
          const span = tracer.startSpan('work');
          finishSpan(span, await run());
        }
      `,
      // OpenTracing / dd-trace spans end with finish()
      ts`
        import tracer from 'dd-trace';
        export async function job(run: () => Promise<void>) {
          const span = tracer.startSpan('job');
          try { await run(); } finally { span.finish(); }
        }
      `,
    ],
  }));
});
