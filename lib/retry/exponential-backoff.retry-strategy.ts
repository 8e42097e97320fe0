import type { IRetryStrategy, RetryStrategyDescriptor } from './retry-strategy.interface.js';
import { assertFiniteAtLeast } from './retry-option.assert.js';

export interface ExponentialBackoffOptions {
  /** Delay after the first failure, ms. Default 1,000. */
  baseDelay?: number;
  /** Each further failure multiplies the delay by this. Default 2. */
  factor?: number;
  /** Upper bound of the delay, ms. Default 60,000. */
  maxDelay?: number;
  /**
   * Fraction of the delay drawn at random (0 none, 1 "full jitter"): the delay is
   * `d * (1 - jitter * random())`, so many failing tasks do not retry in lockstep. Default 0.5.
   */
  jitter?: number;
}

/** baseDelay * factor^(attempt-1), capped at maxDelay, with jitter. The default strategy. */
export class ExponentialBackoffRetryStrategy implements IRetryStrategy {
  readonly baseDelay: number;
  readonly factor: number;
  readonly maxDelay: number;
  readonly jitter: number;

  constructor(
    options: ExponentialBackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.baseDelay = assertFiniteAtLeast('baseDelay', options.baseDelay ?? 1_000, 0);
    this.factor = assertFiniteAtLeast('factor', options.factor ?? 2, 1);
    this.maxDelay = assertFiniteAtLeast('maxDelay', options.maxDelay ?? 60_000, 0);
    this.jitter = assertFiniteAtLeast('jitter', options.jitter ?? 0.5, 0, 1);
  }

  nextDelay(attempt: number): number {
    const delay = Math.min(this.maxDelay, this.baseDelay * this.factor ** (attempt - 1));
    return Math.round(delay * (1 - this.jitter * this.random()));
  }

  toJSON(): RetryStrategyDescriptor {
    return {
      kind: 'exponential',
      baseDelay: this.baseDelay,
      factor: this.factor,
      maxDelay: this.maxDelay,
      jitter: this.jitter,
    };
  }
}
