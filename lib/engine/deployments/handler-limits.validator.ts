import type { RateLimit } from '../../interfaces/deployment-store.interface.js';
import {
  checkOption,
  checkOptional,
  isPlainObject,
  isPositiveInteger,
  isRetryStrategy,
  isNonNegativeInteger,
  isPositiveFinite,
} from '../../validation/option.validator.js';

/** The handler options of deployments (on `@TaskHandler` and on `defineTask` defaults). */
export interface HandlerLimits {
  /** At most this many attempts of this handler at once in this process (within the module's `concurrency`). */
  concurrency?: number;
  /**
   * At most this many attempts of this handler running at once across every process sharing the store. A task
   * whose worker died holds its slot until its lease expires.
   */
  globalConcurrency?: number;
  /**
   * In any window of `interval` ms, at most `limit` attempts of this handler start, across every process (on the
   * store's clock); per `rateLimitKey` for tasks scheduled with one.
   */
  rateLimit?: RateLimit;
}

const POSITIVE_INTEGER = 'an integer from 1 up';

/** Checks the limits of a handler or contract; throws `InvalidTaskOptionsError` naming the bad one. */
export function checkHandlerLimits(limits: HandlerLimits): void {
  checkOptional('concurrency', limits.concurrency, isPositiveInteger, POSITIVE_INTEGER);
  checkOptional('globalConcurrency', limits.globalConcurrency, isPositiveInteger, POSITIVE_INTEGER);
  if (limits.rateLimit === undefined) return;
  checkOption('rateLimit', limits.rateLimit, isPlainObject, 'an object { limit, interval }');
  checkOption('rateLimit.limit', limits.rateLimit.limit, isPositiveInteger, POSITIVE_INTEGER);
  checkOption('rateLimit.interval', limits.rateLimit.interval, isPositiveInteger, 'an integer number of ms from 1 up');
}

/** Checks the task defaults a contract carries (timeout, maxRetries, retryStrategy) and its limits. */
export function checkTaskDefaults(defaults: {
  timeout?: unknown;
  maxRetries?: unknown;
  retryStrategy?: unknown;
}): void {
  checkOptional('timeout', defaults.timeout, isPositiveFinite, 'a positive number of ms');
  checkOptional('maxRetries', defaults.maxRetries, isNonNegativeInteger, 'an integer from 0 up');
  checkOptional('retryStrategy', defaults.retryStrategy, isRetryStrategy, 'an object with nextDelay()');
  checkHandlerLimits(defaults as HandlerLimits);
}

/** Whether a handler has a limit only a store with `supportsDeployments` can keep. */
export function hasLimits(limits: HandlerLimits): boolean {
  return limits.concurrency !== undefined || limits.globalConcurrency !== undefined || limits.rateLimit !== undefined;
}
