import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';
import type { DependencyFailurePolicy } from './task-record.interface.js';

/** Options of one `schedule()` call; they override the handler's and the module's defaults. */
export interface ScheduleOptions {
  /** A label shown by `getTask` and in logs. */
  name?: string;
  /** Run no sooner than this many ms from now. Not with `runAt`. */
  delay?: number;
  /** Run no sooner than this time. Not with `delay`. */
  runAt?: Date;
  /** Per-attempt timeout in ms; the attempt's signal aborts with `TaskTimeoutError`. */
  timeout?: number;
  /** Retries after the first attempt fails (0: none). */
  maxRetries?: number;
  retryStrategy?: IRetryStrategy;
  /**
   * Tasks with the same key run one after another, in order of (runAt, scheduling order). At most 512
   * characters, without U+0000 or lone surrogates.
   */
  partitionKey?: string;
  /** Higher runs first among due tasks. Default 0. */
  priority?: number;
  /**
   * Your own id. Scheduling again with the id of a task that is not finished returns the id and adds
   * nothing (de-duplication); a finished task with that id is replaced. At most 512 characters, without U+0000
   * or lone surrogates (every store can keep and index such an id).
   */
  taskId?: string;
  /** Free-form data kept with the task, shown by `getTask` and given to the handler as `ctx.metadata`. */
  metadata?: Record<string, unknown>;
  /**
   * Add the task inside your transaction, so it exists only if that commits (the outbox pattern). For stores
   * that support it: with PostgresTaskStore, a pg client after BEGIN. Other stores refuse the option.
   */
  transaction?: unknown;
  /**
   * Ids of tasks this one waits for: it is `waiting` until all of them finished, then `pending` (due at the later of
   * its own runAt and that moment). Each must be known to the store (or scheduled in the same `scheduleMany()`);
   * an unknown one rejects with `UnknownTaskError`, adding nothing. One that already succeeded counts at once.
   */
  dependsOn?: string[];
  /**
   * What a dependency that fails or is cancelled does: 'cancel' (default) cancels this task, and its own
   * dependents in turn; 'run' runs it once all dependencies finished (`ctx.dependencies` shows how they ended).
   */
  onDependencyFailure?: DependencyFailurePolicy;
  /**
   * The handler's `rateLimit` applies to the tasks of this key separately (per tenant, per partner account), as
   * does the hold of a `RateLimitedError`. Only for a handler (or contract) with `rateLimit`; a non-empty string of
   * at most 512 characters.
   */
  rateLimitKey?: string;
}
