import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';
import type { TaskQueueLogger, TaskQueueLogLevel } from './task-queue-logger.interface.js';
import type { ITaskStore, RetentionOptions } from './task-store.interface.js';

/** Options of the engine, `new TaskQueue(options)`: the base every other options type extends. */
export interface TaskQueueOptions {
  /** Where tasks live. The engine picks none: `createTaskQueue()` and the module default to in-memory. */
  store: ITaskStore;
  /**
   * Tasks this process runs at once. Default 10. On a durable store a slot is free once the handler settled: the
   * next task may start while the last one's outcome is on its way to the store (at most one such per slot).
   */
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
   * Args larger than this many bytes (UTF-8 JSON) make `schedule()` reject with `TaskArgsTooLargeError`, storing
   * nothing. Default: no limit of ours, only the store's: PostgreSQL keeps up to about 255 MB of jsonb, Redis
   * 512 MB a value (`proto-max-bulk-len`), the in-memory store what the heap holds. Far less is wise: args travel
   * with every claim, so keep them small (ids, not documents).
   */
  maxArgsBytes?: number;
  /**
   * The lowest level logged under the `TaskQueue` context, or false for none. Default 'log': failures are
   * warned about, each task's start and end is logged at 'debug'.
   */
  logLevel?: TaskQueueLogLevel | false;
  /**
   * Where logs go: the console by default (`new TaskQueue`, `createTaskQueue`), Nest's `Logger` in the module.
   * Deprecated: a level or false here (`logger: 'warn'`, `logger: false`) still means `logLevel`, which wins.
   */
  logger?: TaskQueueLogger | TaskQueueLogLevel | false;
  /**
   * At start-up, remove the recurring schedules that @Recurring() declared and the code no longer declares.
   * Default false: during a rolling deploy, processes still running the old code may declare them.
   */
  pruneRecurring?: boolean;
}

/** Options of `createTaskQueue()` and `TaskQueueModule.forRoot()`: the engine's, with the store optional. */
export interface TaskQueueModuleOptions extends Omit<TaskQueueOptions, 'store'> {
  /** Where tasks live. Default: a new `InMemoryTaskStore` (one process, nothing to set up). */
  store?: ITaskStore;
}
