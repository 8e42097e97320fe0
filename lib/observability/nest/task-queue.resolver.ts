import type { TaskQueue } from '../../engine/task-queue.js';
import { TaskQueueError } from '../../errors/task-queue.error.js';
import type { TaskQueueHost } from '../../nest/task-queue.host.js';
import { ObservabilityMessages } from '../observability.messages.js';

/** The app's engine, from the host TaskQueueModule hands it to; says so clearly when the app has no TaskQueueModule. */
export function resolveTaskQueue(host: TaskQueueHost): TaskQueue {
  const { queue } = host;
  if (queue === undefined) throw new TaskQueueError(ObservabilityMessages.noTaskQueue());
  return queue;
}
