import assert from 'node:assert/strict';
import { ts } from '../helpers/annotated';
import { checkFix, runFix } from '../helpers/fixes';
import { removeProject } from '../helpers/annotated';
import { notApplicableReason, runFixedCode } from '../helpers/run-fixed';

describe('fix redact-log-field', () => {
  it('pino created without options in the same file: adds redact with the field', () => checkFix('redact-log-field', ts`
    import pino from 'pino';
    const logger = pino();
    export function login(body: { user: string; password: string }) {
      logger.info({ user: body.user, $0password: body.password }, 'login attempt');
    }
  `, ts`
    import pino from 'pino';
    const logger = pino({ redact: ['password'] });
    export function login(body: { user: string; password: string }) {
      logger.info({ user: body.user, password: body.password }, 'login attempt');
    }
  `));

  it('a logger created in another file: merges a nested path into redact.paths there', () => checkFix('redact-log-field', ts`
    //- /src/logger.ts
    import pino from 'pino';
    export const logger = pino({
      level: 'info',
      redact: { paths: ['token'], censor: '[Redacted]' },
    });
    //- /src/index.ts
    import { logger } from './logger';
    export function login(body: { password: string }) {
      logger.info({ user: { $0password: body.password } }, 'login attempt');
    }
  `, ts`
    //- /src/logger.ts
    import pino from 'pino';
    export const logger = pino({
      level: 'info',
      redact: { paths: ['token', 'user.password'], censor: '[Redacted]' },
    });
  `));

  it('CommonJS, double quotes, no semicolons, multi-line options with a trailing comma; a child logger', () => checkFix('redact-log-field', ts`
    //- /src/app.js
    const express = require("express")
    const pino = require("pino")
    const base = pino({
      level: "info",
    })
    const log = base.child({ service: "auth" })
    const app = express()
    app.post("/login", (req, res) => {
      const auth = req.headers.authorization
      log.info({ $0auth }, "auth header")
      res.end()
    })
  `, ts`
    //- /src/app.js
    const express = require("express")
    const pino = require("pino")
    const base = pino({
      level: "info",
      redact: ["auth"],
    })
    const log = base.child({ service: "auth" })
    const app = express()
    app.post("/login", (req, res) => {
      const auth = req.headers.authorization
      log.info({ auth }, "auth header")
      res.end()
    })
  `, '/src/app.js'));

  it('whole request headers: redacts their authorization and cookie', () => checkFix('redact-log-field', ts`
    import express from 'express';
    import pino from 'pino';
    const logger = pino({ level: 'debug' });
    const app = express();
    app.use((req, res, next) => {
      logger.debug({ method: req.method, headers: $0req.headers }, 'incoming request');
      next();
    });
  `, ts`
    import express from 'express';
    import pino from 'pino';
    const logger = pino({ level: 'debug', redact: ['headers.authorization', 'headers.cookie'] });
    const app = express();
    app.use((req, res, next) => {
      logger.debug({ method: req.method, headers: req.headers }, 'incoming request');
      next();
    });
  `));

  it('not pino: removes the argument (console) or the property (winston)', () => {
    checkFix('redact-log-field', ts`
      import express from 'express';
      const app = express();
      app.post('/signup', (req, res) => {
        console.log('signup', $0req.body);
        res.end();
      });
    `, ts`
      import express from 'express';
      const app = express();
      app.post('/signup', (req, res) => {
        console.log('signup');
        res.end();
      });
    `);
    checkFix('redact-log-field', ts`
      //- /src/logger.ts
      import winston from 'winston';
      export const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Console()] });
      //- /src/app.ts
      import express from 'express';
      import { logger } from './logger';
      const app = express();
      app.use((req, res, next) => {
        logger.debug('incoming request', { method: req.method, headers: $0req.headers });
        next();
      });
    `, ts`
      //- /src/app.ts
      import express from 'express';
      import { logger } from './logger';
      const app = express();
      app.use((req, res, next) => {
        logger.debug('incoming request', { method: req.method });
        next();
      });
    `, '/src/app.ts');
  });

  it('not applicable: the value is interpolated into the message; a metric label', () => {
    assert.match(notApplicableReason('redact-log-field', ts`
      import pino from 'pino';
      const log = pino();
      export function failed(username: string, password: string) {
        log.warn(\`failed login for \${username} with \${$0password}\`);
      }
    `), /part of the log message/);
    assert.match(notApplicableReason('redact-log-field', ts`
      import { Counter } from 'prom-client';
      const signups = new Counter({ name: 'signups_total', help: 'Signups', labelNames: ['email', 'plan'] });
      export function signup(req: { body: { email: string; plan: string } }) {
        signups.inc({ $0email: req.body.email, plan: req.body.plan });
      }
    `), /written to a metric label, not to a log/);
  });

  it('real run: the redacted field prints [Redacted], the others are intact', () => {
    const run = runFix('redact-log-field', ts`
      //- /src/auth.ts
      import pino from 'pino';
      export const logger = pino({ level: 'info' });
      export function login(body: { user: string; password: string }) {
        logger.info({ user: body.user, credentials: { $0password: body.password } }, 'login attempt');
      }
    `);
    try {
      assert.match(run.after['/src/auth.ts'], /pino\(\{ level: 'info', redact: \['credentials\.password'\] \}\)/);
      const out = runFixedCode(run.after, { name: '/main.ts', code: `import { login } from './src/auth';\nlogin({ user: 'ada', password: 'hunter2' });\n` });
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.json.length, 1, out.stdout);
      assert.equal(out.json[0].msg, 'login attempt');
      assert.equal(out.json[0].user, 'ada');
      assert.deepEqual(out.json[0].credentials, { password: '[Redacted]' });
      assert.ok(!out.stdout.includes('hunter2'));
    } finally {
      removeProject(run.dir);
    }
  });
});
