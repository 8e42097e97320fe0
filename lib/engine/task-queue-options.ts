import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import type { TaskQueueLogger, TaskQueueLogLevel } from '../interfaces/task-queue-logger.interface.js';
import type { TaskQueueModuleOptions } from '../interfaces/task-queue-options.interface.js';
import type { ITaskStore, RetentionOptions } from '../interfaces/task-store.interface.js';
import { ExponentialBackoffRetryStrategy } from '../retry/exponential-backoff.retry-strategy.js';
import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';
import { InMemoryTaskStore } from '../stores/in-memory/in-memory-task.store.js';
import { DEFAULT_RETENTION, DEFAULTS } from '../task-queue.constants.js';
import { Messages } from '../task-queue.messages.js';

/** Engine options: the module's, plus the logger the Nest layer (or a script) hands in. */
export interface TaskQueueOptions extends TaskQueueModuleOptions {
  /** Where logs go. Default: the console. */
  loggerService?: TaskQueueLogger;
}

/** Options with every default applied and every value checked: the only place that does either. */
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
  logLevel: TaskQueueLogLevel | false;
  loggerService: TaskQueueLogger;
}

export function resolveTaskQueueOptions(options: TaskQueueOptions = {}): ResolvedTaskQueueOptions {
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  return {
    store: options.store ?? new InMemoryTaskStore(),
    concurrency: check('concurrency', options.concurrency ?? DEFAULTS.concurrency, isPositiveInteger, 'an integer from 1 up'),
    defaultTimeout: options.defaultTimeout === undefined ? undefined : check('defaultTimeout', options.defaultTimeout, isPositiveFinite, 'a positive number of ms'),
    defaultMaxRetries: check('defaultMaxRetries', options.defaultMaxRetries ?? DEFAULTS.defaultMaxRetries, isNonNegativeInteger, 'an integer from 0 up'),
    defaultRetryStrategy: options.defaultRetryStrategy ?? new ExponentialBackoffRetryStrategy(),
    shutdownTimeout: check('shutdownTimeout', options.shutdownTimeout ?? DEFAULTS.shutdownTimeout, isNonNegativeFinite, 'a number of ms from 0 up'),
    autoStart: options.autoStart ?? DEFAULTS.autoStart,
    retention: {
      maxCount: check('retention.maxCount', retention.maxCount, isNonNegativeInteger, 'an integer from 0 up'),
      maxAge: check('retention.maxAge', retention.maxAge, isNonNegativeFinite, 'a number of ms from 0 up'),
    },
    maxQueueSize: options.maxQueueSize === undefined ? undefined : check('maxQueueSize', options.maxQueueSize, isPositiveInteger, 'an integer from 1 up'),
    logLevel: options.logger ?? 'log',
    loggerService: options.loggerService ?? consoleLogger,
  };
}

function check<T>(name: string, value: T, valid: (v: T) => boolean, expected: string): T {
  if (!valid(value)) throw new InvalidTaskOptionsError(Messages.invalidOption(name, expected, value));
  return value;
}

export const isPositiveInteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
export const isNonNegativeInteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
export const isPositiveFinite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
export const isNonNegativeFinite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

const consoleLogger: TaskQueueLogger = {
  log: (message) => console.log(`[TaskQueue] ${String(message)}`),
  warn: (message) => console.warn(`[TaskQueue] ${String(message)}`),
  error: (message, ...rest) => console.error(`[TaskQueue] ${String(message)}`, ...rest),
  debug: (message) => console.debug(`[TaskQueue] ${String(message)}`),
};
