import { TaskQueueError } from './task-queue.error.js';

/** Two `@TaskHandler()` classes share a name; the application does not start. */
export class DuplicateTaskHandlerError extends TaskQueueError {}
