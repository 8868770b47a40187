import assert from 'node:assert/strict';
import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('long-lived setInterval jobs', () => {
  it('module-level intervals: named callbacks, one-call callbacks, anonymous ones by position', () => {
    const inv = checkInventory(ts`
      import { cache } from './cache';
      function flushBuffers() { return 1; }
      setInterval(flushBuffers, 10_000);
    //^^^^^^^^^^^ job interval flushBuffers none
      const pruner = setInterval(() => cache.prune(), 60 * 1000);
      //             ^^^^^^^^^^^ job interval cache.prune none
      pruner.unref();
      if (process.env.NODE_ENV !== 'test') {
        setInterval(() => {
      //^^^^^^^^^^^ job interval src/index.ts:7 none
          cache.prune();
          cache.compact();
        }, Number(process.env.COMPACT_MS));
      }
    `);
    assert.deepEqual(inv.jobs.map((j) => `${j.name}=${j.schedule}`).sort(), ['cache.prune=every 60000 ms', 'flushBuffers=every 10000 ms', 'src/index.ts:7=undefined']);
  });

  it('start-up code: functions called at module level, main() across files, listen callbacks, IIFEs', () => checkInventory(ts`
    //- /src/server.ts
    import express from 'express';
    import { startHeartbeat } from './heartbeat';
    const app = express();
    function startPolling() {
      setInterval(pollQueue, 1000);
    //^^^^^^^^^^^ job interval pollQueue none
    }
    async function main() {
      await startHeartbeat();
      app.listen(3000, () => {
        setInterval(() => reportUptime(), 30_000);
      //^^^^^^^^^^^ job interval reportUptime none
      });
    }
    (async () => {
      setInterval(() => refreshConfig(), 5000);
    //^^^^^^^^^^^ job interval refreshConfig none
    })();
    startPolling();
    main().catch(console.error);
    function pollQueue() {}
    function reportUptime() {}
    function refreshConfig() {}
    //- /src/heartbeat.ts
    export async function startHeartbeat() {
      setInterval(beat, 15000);
    //^^^^^^^^^^^ job interval beat none
    }
    function beat() {}
  `, '/src/server.ts'));

  it('start-up methods: constructor, start(), onModuleInit, onApplicationBootstrap; the registry name', () => checkInventory(ts`
    import { Injectable, OnModuleInit } from '@nestjs/common';
    import { SchedulerRegistry } from '@nestjs/schedule';
    export class Poller {
      private timer?: NodeJS.Timeout;
      constructor() { setInterval(() => this.gc(), 1000); }
      //              ^^^^^^^^^^^ job interval gc none
      private readonly flusher = setInterval(() => this.flush(), 250);
      //                         ^^^^^^^^^^^ job interval flush none
      start() { this.timer = setInterval(() => this.tick(), 500); }
      //                     ^^^^^^^^^^^ job interval tick none
      tick() {}
      gc() {}
      flush() { return this.flusher; }
    }
    @Injectable()
    export class Watcher implements OnModuleInit {
      constructor(private readonly registry: SchedulerRegistry) {}
      onModuleInit() {
        const handle = setInterval(() => this.scan(), 2000);
        //             ^^^^^^^^^^^ job interval watch-files none
        this.registry.addInterval('watch-files', handle);
      }
      onApplicationBootstrap() { setInterval(() => this.scan(), 9000); }
      //                         ^^^^^^^^^^^ job interval scan none
      scan() {}
    }
  `));

  it('coverage: a callback that records a gauge or counter', () => checkInventory(ts`
    import { Gauge } from 'prom-client';
    import { pool } from './db';
    const poolSize = new Gauge({ name: 'db_pool_size', help: 'h' });
    setInterval(() => poolSize.set(pool.totalCount), 5000);
  //^^^^^^^^^^^ job interval poolSize.set handler
    setInterval(function collectStats() { pool.stats(); }, 5000);
  //^^^^^^^^^^^ job interval collectStats none
  `));

  it('global.setInterval, node:timers and set-interval-async count too', () => checkInventory(ts`
    import timers from 'node:timers';
    import { setIntervalAsync } from 'set-interval-async';
    global.setInterval(() => sweep(), 1000);
    //     ^^^^^^^^^^^ job interval sweep none
    timers.setInterval(() => sweep(), 2000);
    //     ^^^^^^^^^^^ job interval sweep none
    setIntervalAsync(async () => { await sweep(); }, 3000);
  //^^^^^^^^^^^^^^^^ job interval sweep none
    function sweep() {}
  `));

  it('not jobs: per-request and per-connection timers, waits that clear themselves, browser code', () => checkInventory(ts`
    //- /src/app.ts
    import express from 'express';
    import { WebSocketServer } from 'ws';
    const app = express();
    app.get('/stream', (req, res) => {
    //  ^^^ GET /stream none
      const t = setInterval(() => res.write('data: ping\\n\\n'), 1000);
      req.on('close', () => clearInterval(t));
    });
    function handleUpload(req: express.Request, res: express.Response) { setInterval(() => res.write('.'), 500); }
    function startHeartbeat(res: express.Response) { setInterval(() => res.write(':\\n\\n'), 15000); }
    app.get('/sse', (req, res) => startHeartbeat(res));
    //  ^^^ GET /sse none
    class PerRequestTimer { constructor() { setInterval(() => 1, 100); } }
    app.get('/t', (req, res) => { new PerRequestTimer(); res.end(); });
    //  ^^^ GET /t none
    app.post('/upload', handleUpload);
    //  ^^^^ POST /upload none
    const wss = new WebSocketServer({ port: 8080 });
    wss.on('connection', (ws) => { setInterval(() => ws.ping(), 30000); });
    export function waitFor(check: () => boolean) {
      return new Promise<void>((resolve) => { const t = setInterval(() => { if (check()) { clearInterval(t); resolve(); } }, 100); });
    }
    async function boot() { await waitFor(() => true); }
    boot();
    const clock = { setInterval: (fn: () => void, ms: number) => [fn, ms] };
    clock.setInterval(() => {}, 10);
    //- /src/web/Clock.tsx
    import { useEffect, useState } from 'react';
    export function Clock() {
      const [now, setNow] = useState(Date.now());
      useEffect(() => { const id = setInterval(() => setNow(Date.now()), 1000); return () => clearInterval(id); }, []);
      return now;
    }
    //- /src/client/poll.ts
    'use client';
    setInterval(() => fetch('/api/ping'), 5000);
    //- /src/widget.ts
    window.setInterval(() => document.title, 1000);
    //- /src/repo.ts
    export async function save(document: { save(): Promise<void> }) { await document.save(); }
    setInterval(function compactStore() { return 1; }, 1000);
  //^^^^^^^^^^^ job interval compactStore none
  `, '/src/app.ts'));
});
