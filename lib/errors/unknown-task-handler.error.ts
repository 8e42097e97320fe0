import { TaskQueueError } from './task-queue.error.js';

/** `schedule()` named a handler that is not registered. */
export class UnknownTaskHandlerError extends TaskQueueError {}
