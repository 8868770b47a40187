/**
 * Shapes met in real open-source applications (bench/results/realworld.md) that the recognizers
 * first got wrong, reduced to their minimal form.
 */
import { ts } from '../helpers/annotated';
import { checkInventory } from '../helpers/inventory';

describe('real-world shapes', () => {
  it('Bull queues made lazily by a getter around a project factory are named by the factory call (Outline)', () => checkInventory(ts`
    //- /server/queues/queue.ts
    import Queue from 'bull';
    export function createQueue(name: string, opts?: object) {
      const queue = new Queue(name, { defaultJobOptions: opts });
      return queue;
    }
    //- /server/queues/index.ts
    import { createQueue } from './queue';
    let _events: ReturnType<typeof createQueue> | undefined;
    export const eventQueue = () => {
      if (!_events) {
        _events = createQueue('globalEvents', { attempts: 5 });
      }
      return _events;
    };
    let _tasks;
    export function taskQueue() {
      if (!_tasks) _tasks = createQueue('tasks');
      return _tasks;
    }
    //- /server/worker.ts
    import { eventQueue, taskQueue } from './queues';
    export default function init() {
      eventQueue().process(4, async (job) => job.data);
      //           ^^^^^^^ job bull globalEvents none
      taskQueue()
        .process(async (job) => job.data)
      // ^^^^^^^ job bull tasks none
        .catch(() => undefined);
    }
  `, '/server/worker.ts'));

  it('a router or app assigned after its declaration (let x; x = express.Router())', () => checkInventory(ts`
    //- /src/routes.js
    const express = require('express');
    let router;
    router = express.Router();
    router.get('/items', (req, res) => res.json([]));
    //     ^^^ GET /api/items none
    module.exports = router;
    //- /src/app.js
    const express = require('express');
    let app = null;
    function getApp() {
      if (!app) app = express();
      return app;
    }
    getApp().use('/api', require('./routes'));
    const cache = new Map();
    let lookup;
    lookup = cache;
    lookup.get('/items');
  `, '/src/routes.js'));
});
