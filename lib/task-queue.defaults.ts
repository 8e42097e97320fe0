import type { RetentionOptions } from './interfaces/task-store.interface.js';

/** Default values of the queue's options (see TaskQueueOptions for what each means). */
export const DEFAULT_RETENTION: Required<RetentionOptions> = Object.freeze({
  maxCount: 10_000,
  maxAge: 24 * 60 * 60 * 1000,
});

export const DEFAULTS = Object.freeze({
  concurrency: 10,
  defaultMaxRetries: 0,
  shutdownTimeout: 10_000,
  autoStart: true,
  logLevel: 'log',
} as const);
