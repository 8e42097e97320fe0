import type { IRetryStrategy, RetryStrategyDescriptor } from './retry-strategy.interface.js';
import { assertFiniteAtLeast } from './retry-option.assert.js';

export interface LinearBackoffOptions {
  /** Delay after the first failure, ms. Default 1,000. */
  baseDelay?: number;
  /** Added for each further failure, ms. Default: baseDelay. */
  step?: number;
  /** Upper bound, ms. Default 60,000. */
  maxDelay?: number;
}

/** baseDelay + step * (attempt-1), capped at maxDelay. */
export class LinearBackoffRetryStrategy implements IRetryStrategy {
  readonly baseDelay: number;
  readonly step: number;
  readonly maxDelay: number;

  constructor(options: LinearBackoffOptions = {}) {
    this.baseDelay = assertFiniteAtLeast('baseDelay', options.baseDelay ?? 1_000, 0);
    this.step = assertFiniteAtLeast('step', options.step ?? this.baseDelay, 0);
    this.maxDelay = assertFiniteAtLeast('maxDelay', options.maxDelay ?? 60_000, 0);
  }

  nextDelay(attempt: number): number {
    return Math.min(this.maxDelay, this.baseDelay + this.step * (attempt - 1));
  }

  toJSON(): RetryStrategyDescriptor {
    return { kind: 'linear', baseDelay: this.baseDelay, step: this.step, maxDelay: this.maxDelay };
  }
}
