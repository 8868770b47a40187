import rule from '../../../src/analysis/rules/swallowed-error';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule swallowed-error', () => {
  it('reports empty and default-only catch blocks', () => checkRule(rule, {
    invalid: [
      ts`
        export async function charge(api: { post(path: string, body: unknown): Promise<void> }, order: { id: string }) {
          try {
            await api.post('/charges', order);
          } catch (err) {
        //  ^^^^^ Error swallowed: the catch block is empty
          }
        }
      `,
      ts`
        export async function ping(url: string) {
          try { await fetch(url); } catch {}
        //                          ^^^^^ Error swallowed: the catch block is empty
        }
      `,
      ts`
        export async function findUser(db: { users: { findOne(q: object): Promise<unknown> } }, id: string) {
          try {
            return await db.users.findOne({ id });
          } catch (e) {
        //  ^^^^^ Error swallowed: the catch block only returns null
            return null;
          }
        }
      `,
      ts`
        import Redis from 'ioredis';
        const redis = new Redis();
        let cached: Record<string, string> = {};
        export async function refresh() {
          try {
            cached = await redis.hgetall('settings');
          } catch (error) {
        //  ^^^^^ Error swallowed: the catch block only sets cached = {}
            cached = {};
          }
        }
      `,
      ts`
        export async function handler(queue: { publish(m: string): Promise<void> }) {
          try {
            await queue.publish('order.created');
          } catch (e) {
        //  ^^^^^ Error swallowed: the catch block is empty
            // TODO: handle
          }
        }
      `,
      ts`
        //- /src/jobs.js
        const axios = require('axios');
        module.exports = async function sync() {
          try {
            await axios.post('https://example.invalid/sync');
          } catch (e) {
        //  ^^^^^ Error swallowed: the catch block only returns
            return;
          }
        };
      `,
    ],
    valid: [
      ts`
        import pino from 'pino';
        const logger = pino();
        export async function load(db: { query(q: string): Promise<unknown[]> }) {
          try { return await db.query('select 1'); } catch (err) { logger.error({ err }, 'query failed'); return []; }
        }
      `,
      ts`
        export async function load(db: { query(q: string): Promise<unknown[]> }) {
          try { return await db.query('select 1'); } catch (err) { throw new Error('query failed', { cause: err }); }
        }
      `,
      ts`
        import type { Request, Response, NextFunction } from 'express';
        export async function create(req: Request, res: Response, next: NextFunction) {
          try { res.json(await save(req.body)); } catch (err) { next(err); }
        }
        declare function save(b: unknown): Promise<unknown>;
      `,
      ts`
        import { trace, SpanStatusCode } from '@opentelemetry/api';
        import * as Sentry from '@sentry/node';
        export async function work(run: () => Promise<void>) {
          const span = trace.getActiveSpan();
          try { await run(); } catch (err) { span?.recordException(err as Error); span?.setStatus({ code: SpanStatusCode.ERROR }); }
          try { await run(); } catch (err) { Sentry.captureException(err); }
        }
      `,
      ts`
        export function read(path: string, cb: (err: unknown, data?: string) => void) {
          return new Promise((resolve, reject) => {
            try { resolve(readSomething(path)); } catch (err) { reject(err); }
          });
        }
        export function parse(text: string) {
          try { return { ok: true, value: compute(text) }; } catch (e) { return e; }
        }
        declare function readSomething(p: string): string;
        declare function compute(t: string): number;
      `,
      ts`
        let sharp: unknown;
        try { sharp = require('sharp'); } catch { sharp = undefined; }
        export function body(raw: string) {
          try { return JSON.parse(raw); } catch { return {}; }
        }
        export function isUrl(s: string) {
          try { new URL(s); return true; } catch { return false; }
        }
      `,
      ts`
        export async function healthy(db: { ping(): Promise<void> }) {
          try { await db.ping(); return true; } catch { return false; }
        }
        export async function warm(cache: { load(): Promise<void> }) {
          try { await cache.load(); } catch {
            // the cache is optional: a cold start is slower but correct
          }
        }
      `,
      // secondary failures while handling an error, best-effort cleanup in finally; names that announce tolerance
      ts`
        export async function run(job: () => Promise<void>, tx: { rollback(): Promise<void> }, tmp: { remove(): Promise<void> }) {
          try {
            await job();
          } catch (err) {
            try { await tx.rollback(); } catch {}
            throw err;
          } finally {
            try { await tmp.remove(); } catch {}
          }
        }
        export function safeMemoryUsage() { try { return process.memoryUsage(); } catch { return; } }
        export async function isReachable(ping: () => Promise<void>) { try { await ping(); } catch { return false; } return true; }
      `,
    ],
  }));

  it('reports promise .catch() handlers that drop the error', () => checkRule(rule, {
    invalid: [
      ts`
        export function notify(send: () => Promise<void>) {
          send().catch(() => {});
        //       ^^^^^ Error swallowed: the .catch() handler is empty
        }
      `,
      ts`
        import { noop } from 'lodash';
        export function fire(emit: (e: string) => Promise<void>) {
          emit('a').catch(noop);
        //          ^^^^^ Error swallowed: the .catch() handler is empty
          return emit('b').then(() => 1).catch((err) => null);
        //                               ^^^^^ Error swallowed: the .catch() handler only returns null
        }
      `,
    ],
    valid: [
      ts`
        import { z } from 'zod';
        export const Tags = z.array(z.string()).catch(() => []);
      `,
      ts`
        import fs from 'node:fs';
        export async function cleanup(tmp: string, send: () => Promise<void>) {
          await fs.promises.unlink(tmp).catch(() => {});
          await import('optional-dep').catch(() => null);
          await send().catch((err) => console.warn('send failed', err));
          await send().catch((err) => { throw err; });
        }
      `,
    ],
  }));

  it('honours telltale-ignore-next-line', () => checkRule(rule, {
    valid: [ts`
      export async function f(g: () => Promise<void>) {
        // telltale-ignore-next-line swallowed-error -- best effort
        try { await g(); } catch {}
      }
    `],
  }));
});
