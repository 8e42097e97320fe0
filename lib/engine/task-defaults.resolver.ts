import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';
import type { TaskHandlerDefaults } from './handler-registry.js';
import type { ResolvedTaskQueueOptions } from './resolved-task-queue.options.js';

type QueueDefaults = Pick<ResolvedTaskQueueOptions, 'defaultTimeout' | 'defaultMaxRetries' | 'defaultRetryStrategy'>;

/**
 * The rule for a task's settings, in one place: its own (the schedule option), else its handler's default, else
 * the queue's. The builder asks for timeout and maxRetries when a task is scheduled (they are stored with it);
 * the worker asks for the retry strategy when an attempt fails (a default strategy is not stored: it may not
 * survive JSON, and a redeploy may change it).
 */
export class TaskDefaultsResolver {
  constructor(private readonly queue: QueueDefaults) {}

  timeout(own: number | undefined, handler: TaskHandlerDefaults | undefined): number | undefined {
    return own ?? handler?.timeout ?? this.queue.defaultTimeout;
  }

  maxRetries(own: number | undefined, handler: TaskHandlerDefaults | undefined): number {
    return own ?? handler?.maxRetries ?? this.queue.defaultMaxRetries;
  }

  retryStrategy(own: IRetryStrategy | undefined, handler: TaskHandlerDefaults | undefined): IRetryStrategy {
    return own ?? handler?.retryStrategy ?? this.queue.defaultRetryStrategy;
  }
}
