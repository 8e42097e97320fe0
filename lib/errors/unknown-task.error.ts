import { TaskQueueError } from './task-queue.error.js';

/** An id the store does not know: a `dependsOn` entry at schedule(), or the task `waitFor()` was given. */
export class UnknownTaskError extends TaskQueueError {}
