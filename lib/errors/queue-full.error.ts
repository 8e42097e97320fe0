import { TaskQueueError } from './task-queue.error.js';

/** `maxQueueSize` pending tasks are waiting; `schedule()` added nothing (back-pressure). */
export class QueueFullError extends TaskQueueError {}
