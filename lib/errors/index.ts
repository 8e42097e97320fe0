export { TaskQueueError } from './task-queue.error.js';
export { UnknownTaskHandlerError } from './unknown-task-handler.error.js';
export { DuplicateTaskHandlerError } from './duplicate-task-handler.error.js';
export { InvalidTaskOptionsError } from './invalid-task-options.error.js';
export { TaskArgsNotSerializableError } from './task-args-not-serializable.error.js';
export { TaskArgsTooLargeError } from './task-args-too-large.error.js';
export { QueueFullError } from './queue-full.error.js';
export { StoreUnavailableError } from './store-unavailable.error.js';
export { TaskTimeoutError } from './task-timeout.error.js';
export { TaskCancelledError } from './task-cancelled.error.js';
export { TaskAbortedError } from './task-aborted.error.js';
export { NonRetryableError } from './non-retryable.error.js';
export { StoreOperationUnsupportedError } from './store-operation-unsupported.error.js';
// flows (issue 12)
export { UnknownTaskError } from './unknown-task.error.js';
export { TaskWaitTimeoutError } from './task-wait-timeout.error.js';
// deployments (issue 10)
export { RateLimitedError } from './rate-limited.error.js';
export { DuplicateTaskDefinitionError } from './duplicate-task-definition.error.js';
