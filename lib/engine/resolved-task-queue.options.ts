import type { TaskQueueLogger, TaskQueueLogLevel } from '../interfaces/task-queue-logger.interface.js';
import type { ITaskStore, RetentionOptions } from '../interfaces/task-store.interface.js';
import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';

/** The queue's options with every default applied and every value checked (by `resolveTaskQueueOptions`). */
export interface ResolvedTaskQueueOptions {
  store: ITaskStore;
  concurrency: number;
  defaultTimeout: number | undefined;
  defaultMaxRetries: number;
  defaultRetryStrategy: IRetryStrategy;
  shutdownTimeout: number;
  autoStart: boolean;
  retention: Required<RetentionOptions>;
  maxQueueSize: number | undefined;
  maxArgsBytes: number | undefined;
  logLevel: TaskQueueLogLevel | false;
  logger: TaskQueueLogger;
  pruneRecurring: boolean;
}
