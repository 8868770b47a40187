/**
 * The analysis worker (`dist/worker.js`): a worker_threads worker that holds the ts-morph world so
 * the extension host's thread never parses or analyses. Requests are handled one at a time, in
 * order (an edit and the code actions that follow it see the same state); unsolicited events
 * (progress, findings, log) go out as they happen.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerEvent, WorkerRequest } from '../protocol/worker';
import { WorkerService } from './service';

const port = parentPort;
if (!port) throw new Error('dist/worker.js must run as a worker thread');

const post = (e: WorkerEvent) => port.postMessage(e);
const service = new WorkerService(post);
let queue: Promise<void> = Promise.resolve();

port.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const result = await service.handle(req.method, req.params);
      post({ type: 'response', id: req.id, ok: true, result });
    } catch (err) {
      const e = err as Error;
      post({ type: 'response', id: req.id, ok: false, error: e?.stack ?? String(err) });
    }
  });
});
