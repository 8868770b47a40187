import rule from '../../../src/analysis/rules/pii-in-log';
import { ts } from '../../helpers/annotated';
import { checkRule } from '../../helpers/rules';

describe('rule pii-in-log', () => {
  it('reports personal data and secrets in logs, labels and span attributes', () => checkRule(rule, {
    invalid: [
      // pino: object keys
      ts`
        import pino from 'pino';
        const logger = pino();
        export function login(body: { email: string; password: string }) {
          logger.info({ email: body.email, password: body.password }, 'login attempt');
          //            ^^^^^ Field email is written to the log by logger.info (pino)
          //                               ^^^^^^^^ Field password is written to the log by logger.info (pino)
        }
      `,
      // console in an Express handler: the body whole
      ts`
        import express from 'express';
        const app = express();
        app.post('/signup', (req, res) => {
          console.log('signup', req.body);
          //                    ^^^^^^^^ Request body req.body is written whole to the log by console.log
          res.end();
        });
      `,
      // winston from another file: request headers whole, in a metadata object
      ts`
        //- /src/logger.ts
        import winston from 'winston';
        export const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Console()] });
        //- /src/app.ts
        import express from 'express';
        import { logger } from './logger';
        const app = express();
        app.use((req, res, next) => {
          logger.debug('incoming request', { url: req.url, headers: req.headers });
          //                                                        ^^^^^^^^^^^ Request headers req.headers are written whole to the log by logger.debug (winston)
          next();
        });
      `,
      // Nest Logger: a template with the user's email; a whole user record
      ts`
        import { Injectable, Logger } from '@nestjs/common';
        @Injectable()
        export class AuthService {
          private readonly logger = new Logger(AuthService.name);
          constructor(private readonly users: { findById(id: string): Promise<{ id: string; email: string }> }) {}
          async reset(id: string) {
            const user = await this.users.findById(id);
            this.logger.log(\`Password reset for \${user.email}\`);
            //                                    ^^^^^^^^^^ Field user.email is written to the log by this.logger.log (nest)
            this.logger.debug({ user });
            //                  ^^^^ User object user is written whole to the log by this.logger.debug (nest)
          }
        }
      `,
      // a NestJS @Body() DTO written whole
      ts`
        import { Body, Controller, Logger, Post } from '@nestjs/common';
        @Controller('users')
        export class UsersController {
          private readonly logger = new Logger(UsersController.name);
          @Post()
          create(@Body() dto: { name: string; password: string }) {
            this.logger.log(\`creating user \${JSON.stringify(dto)}\`);
            //                                              ^^^ Request body dto (req.body) is written whole to the log by this.logger.log (nest)
            return dto.name;
          }
        }
      `,
      // through local variables and destructuring
      ts`
        import pino from 'pino';
        import express from 'express';
        const log = pino();
        const app = express();
        app.post('/login', (req, res) => {
          const { username, password } = req.body;
          const auth = req.headers.authorization;
          log.warn(\`failed login for \${username} with \${password}\`);
          //                                            ^^^^^^^^ Field password is written to the log by log.warn (pino)
          log.info({ auth }, 'auth header');
          //         ^^^^ Field auth (req.headers.authorization) is written to the log by log.info (pino)
          res.end();
        });
      `,
      // metric labels and span attributes
      ts`
        import { Counter } from 'prom-client';
        import { trace } from '@opentelemetry/api';
        const signups = new Counter({ name: 'signups_total', help: 'Signups', labelNames: ['email', 'plan'] });
        const tracer = trace.getTracer('accounts');
        export function signup(req: { body: { email: string; plan: string; phone: string } }) {
          signups.inc({ email: req.body.email, plan: req.body.plan });
          //            ^^^^^ Field email is written to label email of metric signups_total
          tracer.startActiveSpan('signup', (span) => {
            span.setAttribute('user.phone', req.body.phone);
            //                ^^^^^^^^^^^^ Field user.phone is written to span attribute user.phone
            span.end();
          });
        }
      `,
      // Fastify request.log, a logger of unknown origin named logger (CommonJS)
      ts`
        //- /src/server.js
        const fastify = require('fastify')();
        const { logger } = require('./container');
        fastify.post('/keys', async (request) => {
          request.log.info({ apiKey: request.headers['x-api-key'] }, 'key used');
          //                 ^^^^^^ Field apiKey is written to the log by request.log.info (pino)
          logger.error('card declined: ' + request.body.cardNumber);
          //                               ^^^^^^^^^^^^^^^^^^^^^^^ Field request.body.cardNumber is written to the log by logger.error
          return {};
        });
      `,
    ],
    valid: [
      // redacted, masked, boolean and length forms
      ts`
        import pino from 'pino';
        const logger = pino();
        declare function maskEmail(e: string): string;
        export function login(email: string, token: string) {
          logger.info({ email: maskEmail(email), token: '[redacted]', hasToken: !!token, tokenLength: token.length }, 'login');
        }
      `,
      // names that only contain a sensitive word; a value whose own name says it is something else
      ts`
        import pino from 'pino';
        const logger = pino();
        export function indexed(tokenAddress: string, user: { emailVerified: boolean; verificationTokenExpiry: Date }) {
          logger.debug(\`Token \${tokenAddress} already indexed, expiry \${user.verificationTokenExpiry}\`);
          logger.info({ token: tokenAddress, email: user.emailVerified }, 'indexed');
        }
      `,
      ts`
        import pino from 'pino';
        const logger = pino();
        export function report(user: { id: string; emailVerified: boolean }, usage: { promptTokens: number; totalTokens: number }, nextPageToken: string) {
          logger.info({ userId: user.id, emailVerified: user.emailVerified, promptTokens: usage.promptTokens, totalTokens: usage.totalTokens, nextPageToken, passwordResetRequired: false }, 'report');
        }
      `,
      // pino redact paths remove the fields
      ts`
        import pino from 'pino';
        import express from 'express';
        const logger = pino({ redact: ['req.headers.authorization', '*.password', 'email'] });
        const app = express();
        app.post('/login', (req, res) => {
          logger.info({ authorization: req.headers.authorization, body: { password: req.body.password }, email: req.body.email }, 'login');
          res.end();
        });
      `,
      // not loggers: a local object named log, Math.log, a DOM element's setAttribute
      ts`
        const log = { info: (x: unknown) => x };
        export function f(password: string, el: { setAttribute(k: string, v: string): void }, email: string) {
          log.info({ password });
          el.setAttribute('data-email', email);
          return Math.log(password.length);
        }
      `,
      // constants and ids only; span attributes without personal data
      ts`
        import pino from 'pino';
        import { trace } from '@opentelemetry/api';
        const logger = pino();
        export function changed(user: { id: string }, orderId: string) {
          logger.info('Password changed');
          console.log('token refreshed');
          logger.info({ userId: user.id, orderId }, \`order \${orderId} placed\`);
          trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
        }
      `,
      // console in browser code and in a CLI talks to a person, not to a log store
      ts`
        //- /src/components/Profile.tsx
        import React from 'react';
        export function Profile({ user }: { user: { email: string } }) { console.log(user.email, user); return null; }
        //- /scripts/create-key.ts
        const apiKey = Math.random().toString(36);
        console.log(\`Your API key: \${apiKey}\`);
      `,
      // a winston logger whose format masks fields: trusted
      ts`
        import winston from 'winston';
        declare const maskSecrets: winston.Logform.FormatWrap;
        const logger = winston.createLogger({ format: winston.format.combine(maskSecrets(), winston.format.json()) });
        export function f(password: string) { logger.info('login', { password }); }
      `,
      // the body's non-sensitive fields; a user's id
      ts`
        import express from 'express';
        import pino from 'pino';
        const logger = pino();
        const app = express();
        app.post('/orders', (req, res) => {
          logger.info({ items: req.body.items.length, userId: req.user?.id, sku: req.body.sku }, 'order');
          res.end();
        });
      `,
    ],
  }));

  it('extends the sensitive-name list with options', () => checkRule(rule, {
    options: { extraFields: ['iban'] },
    invalid: [ts`
      import pino from 'pino';
      const logger = pino();
      export function pay(account: { iban: string }) {
        logger.info({ iban: account.iban }, 'paying');
        //            ^^^^ Field iban is written to the log by logger.info (pino)
      }
    `],
  }));
});
