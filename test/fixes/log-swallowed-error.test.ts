import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseAnnotated, removeProject, ts, writeProject } from '../helpers/annotated';
import { runCli } from '../helpers/cli';
import { checkFix, runFix } from '../helpers/fixes';
import { notApplicableReason, runFixedCode } from '../helpers/run-fixed';

describe('fix log-swallowed-error', () => {
  it('an empty catch without a binding: binds err and logs it at error level with the project logger', () => checkFix('log-swallowed-error', ts`
    //- /src/log.ts
    import pino from 'pino';
    export const logger = pino();
    //- /src/billing.ts
    export async function charge(api: { post(path: string, body: unknown): Promise<void> }, order: { id: string }) {
      try {
        await api.post('/charges', order);
      } $0catch {
        // TODO: handle
      }
    }
  `, ts`
    //- /src/billing.ts
    import { logger } from './log';
    export async function charge(api: { post(path: string, body: unknown): Promise<void> }, order: { id: string }) {
      try {
        await api.post('/charges', order);
      } catch (err) {
        logger.error({ err }, 'api.post failed');
        // TODO: handle
      }
    }
  `));

  it('a one-line try/catch, with the pino logger the file already uses', () => checkFix('log-swallowed-error', ts`
    import pino from 'pino';
    const log = pino();
    export async function ping(url: string) {
      log.info({ url }, 'pinging');
      try { await fetch(url); } $0catch {}
    }
  `, ts`
    import pino from 'pino';
    const log = pino();
    export async function ping(url: string) {
      log.info({ url }, 'pinging');
      try { await fetch(url); } catch (err) { log.error({ err }, 'fetch failed'); }
    }
  `));

  it('CommonJS, double quotes, no semicolons: a default return is kept and logged at warn level', () => checkFix('log-swallowed-error', ts`
    //- /src/users.js
    const db = require("./db")
    async function findUser(id) {
      try {
        return await db.users.findOne({ id })
      } $0catch (e) {
        return null
      }
    }
    module.exports = { findUser }
  `, ts`
    //- /src/users.js
    const db = require("./db")
    const { logger } = require("./observability")
    async function findUser(id) {
      try {
        return await db.users.findOne({ id })
      } catch (e) {
        logger.warn({ err: e }, "db.users.findOne failed")
        return null
      }
    }
    module.exports = { findUser }
    //- /src/observability.js
    /**
     * Observability for this service: Prometheus metrics (prom-client), structured logs (pino) and
     * traces (@opentelemetry/api). Written by Telltale's fixes, which reuse what is here: edit freely.
     */
    const { trace } = require('@opentelemetry/api');
    const { pino } = require('pino');

    /** Structured JSON logs; every line logged inside a span carries its trace_id and span_id. */
    const logger = exports.logger = pino({
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    });
  `, '/src/users.js'));

  it('promise .catch() handlers: an empty one, one returning a default, a noop', () => {
    const head = ts`
      //- /src/log.ts
      import pino from 'pino';
      export const logger = pino();
    `;
    checkFix('log-swallowed-error', head + ts`
      //- /src/notify.ts
      export function notify(send: () => Promise<void>) {
        send().$0catch(() => {});
      }
    `, ts`
      //- /src/notify.ts
      import { logger } from './log';
      export function notify(send: () => Promise<void>) {
        send().catch((err) => { logger.error({ err }, 'send failed'); });
      }
    `);
    checkFix('log-swallowed-error', head + ts`
      //- /src/notify.ts
      export async function load(fetchRows: () => Promise<string[]>) {
        return fetchRows().$0catch(async () => []);
      }
    `, ts`
      //- /src/notify.ts
      import { logger } from './log';
      export async function load(fetchRows: () => Promise<string[]>) {
        return fetchRows().catch(async (err) => { logger.warn({ err }, 'fetchRows failed'); return []; });
      }
    `);
    checkFix('log-swallowed-error', head + ts`
      //- /src/notify.ts
      import { noop } from 'lodash';
      export function fire(send: () => Promise<void>) {
        send().$0catch(noop);
      }
    `, ts`
      //- /src/notify.ts
      import { noop } from 'lodash';
      import { logger } from './log';
      export function fire(send: () => Promise<void>) {
        send().catch((err) => { logger.error({ err }, 'send failed'); });
      }
    `);
  });

  it('not applicable when "logger" already names something else in the file', () => assert.match(notApplicableReason('log-swallowed-error', ts`
    const logger = { audit: (m: string) => m };
    export async function ping(url: string) {
      logger.audit(url);
      try { await fetch(url); } $0catch {}
    }
  `), /'logger' is already defined in src\/index.ts and is not a pino logger/));

  it('real run: the error is logged as JSON (type, message, stack) and the fallback value is still returned', () => {
    const run = runFix('log-swallowed-error', ts`
      //- /src/config.ts
      export async function loadLimits(read: () => Promise<number[]>): Promise<number[]> {
        try {
          return await read();
        } $0catch (e) {
          return [10];
        }
      }
    `);
    try {
      const out = runFixedCode(run.after, { name: '/main.ts', code: [
        `import { loadLimits } from './src/config';`,
        `loadLimits(async () => { throw new Error('disk unavailable'); }).then((v) => process.stdout.write('result ' + JSON.stringify(v) + '\\n'));`,
      ].join('\n') });
      assert.equal(out.status, 0, out.stderr);
      assert.match(out.stdout, /^result \[10\]$/m);
      assert.equal(out.json.length, 1, out.stdout);
      const line = out.json[0];
      assert.equal(line.level, 40);
      assert.equal(line.msg, 'read failed');
      const err = line.err as Record<string, unknown>;
      assert.equal(err.type, 'Error');
      assert.equal(err.message, 'disk unavailable');
      assert.match(String(err.stack), /disk unavailable/);
    } finally {
      removeProject(run.dir);
    }
  });

  it('telltale fix --rule swallowed-error --diff: prints the diff, writes the files, nothing left to fix', async () => {
    const dir = writeProject(parseAnnotated(ts`
      //- /src/sync.ts
      export async function sync(push: () => Promise<void>) {
        try { await push(); } catch {}
        await push().catch(() => null);
      }
      //- /package.json
      { "name": "svc" }
    `).files);
    try {
      const r = await runCli(['fix', dir, '--rule', 'swallowed-error', '--diff']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /\+ {2}try \{ await push\(\); \} catch \(err\) \{ logger\.error\(\{ err \}, 'push failed'\); \}/);
      assert.match(r.stdout, /log-swallowed-error/);
      const sync = fs.readFileSync(path.join(dir, 'src/sync.ts'), 'utf8');
      assert.match(sync, /^import \{ logger \} from '\.\/observability';/);
      assert.match(sync, /\.catch\(\(err\) => \{ logger\.warn\(\{ err \}, 'push failed'\); return null; \}\)/);
      assert.ok(fs.existsSync(path.join(dir, 'src/observability.ts')));
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies.pino, '^10.4.0');
      const again = await runCli(['fix', dir, '--rule', 'swallowed-error']);
      assert.equal(again.code, 0);
      assert.equal(fs.readFileSync(path.join(dir, 'src/sync.ts'), 'utf8'), sync, 'a second run changes nothing');
    } finally {
      removeProject(dir);
    }
  });
});
