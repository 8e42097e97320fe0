import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';
import type { TaskQueueLogLevel } from './task-queue-logger.interface.js';
import type { ITaskStore, RetentionOptions } from './task-store.interface.js';

/** Options of `TaskQueueModule.forRoot()` / `forRootAsync()`. Every one is optional. */
export interface TaskQueueModuleOptions {
  /** Where tasks live. Default: a new `InMemoryTaskStore` (one process, nothing to set up). */
  store?: ITaskStore;
  /** Tasks this process runs at once. Default 10. */
  concurrency?: number;
  /** Per-attempt timeout in ms for tasks that set none. Default: none. */
  defaultTimeout?: number;
  /** Retries for tasks that set none. Default 0. */
  defaultMaxRetries?: number;
  /** Retry strategy for tasks that set none. Default `new ExponentialBackoffRetryStrategy()`. */
  defaultRetryStrategy?: IRetryStrategy;
  /** On shutdown, how long running tasks may finish before their signals abort, ms. Default 10,000. */
  shutdownTimeout?: number;
  /** Run tasks in this process. false: this process only schedules (producer-only apps). Default true. */
  autoStart?: boolean;
  /** How many finished tasks are kept, and for how long. Default 10,000 and 24 h. */
  retention?: RetentionOptions;
  /** Pending tasks above this make `schedule()` reject with `QueueFullError`. Default: unbounded. */
  maxQueueSize?: number;
  /**
   * The lowest level logged under the `TaskQueue` context, or false for none. Default 'log': failures are
   * warned about, each task's start and end is logged at 'debug'.
   */
  logger?: TaskQueueLogLevel | false;
}
