import { TaskQueueError } from './task-queue.error.js';

/** Args or metadata would not survive the store's JSON round trip; nothing was stored. */
export class TaskArgsNotSerializableError extends TaskQueueError {}
