/** Decides when a failed attempt runs again. */
export interface IRetryStrategy {
  /**
   * @param attempt the attempt that just failed, from 1
   * @param error what it threw
   * @returns delay in ms before the next attempt, or null to stop retrying
   */
  nextDelay(attempt: number, error: unknown): number | null;
}

/** The JSON form of a built-in strategy, as durable stores keep it. */
export type RetryStrategyDescriptor =
  | { kind: 'exponential'; baseDelay: number; factor: number; maxDelay: number; jitter: number }
  | { kind: 'fixed'; delay: number }
  | { kind: 'linear'; baseDelay: number; step: number; maxDelay: number };
