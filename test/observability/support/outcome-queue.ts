import { TaskQueue, type ITaskStore } from '../../../lib/index.js';

/** A queue with the handlers whose outcomes the metrics tests count: 'ok' succeeds, 'flaky' always throws. */
export function outcomeQueue(store: ITaskStore): TaskQueue {
  const queue = new TaskQueue({ store, logger: false });
  queue.registerHandler('ok', { execute: async () => 'done' });
  queue.registerHandler('flaky', {
    execute: async () => {
      throw new Error('boom');
    },
  });
  return queue;
}
