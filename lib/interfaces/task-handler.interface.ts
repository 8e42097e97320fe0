import type { TaskStatus } from './task-status.js';

/** A task this one depended on (`dependsOn`), as it ended, in `ctx.dependencies`. */
export interface TaskDependency {
  id: string;
  handler: string;
  status: TaskStatus;
  /** What its handler returned, if it succeeded. */
  result?: unknown;
}

/** What a handler gets besides its args. */
export interface TaskContext {
  readonly taskId: string;
  /** The handler's registered name. */
  readonly handler: string;
  /** 1 on the first attempt, 2 on the first retry, ... */
  readonly attempt: number;
  /**
   * Aborts on timeout (reason `TaskTimeoutError`), cancellation (`TaskCancelledError`) or when the worker
   * gives the task up (`TaskAbortedError`: shutdown, lost lease). Pass it to fetch, timers, drivers.
   */
  readonly signal: AbortSignal;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  /** The tasks of `dependsOn`, in that order, as they finished (empty without `dependsOn`). */
  readonly dependencies: readonly TaskDependency[];
  /**
   * Reports progress: a number from 0 to 100 or any JSON value, kept as the task's `progress` and emitted as a
   * `progress` event. Durable stores write a few times a second at most (the last value is always written); from an
   * attempt whose lease was taken over it does nothing but warn.
   */
  progress(value: unknown): Promise<void>;
}

/** A class decorated with `@TaskHandler()` implements this. The return value is kept as the task's result. */
export interface ITaskHandler<TArgs = unknown, TResult = unknown> {
  execute(args: TArgs, context: TaskContext): Promise<TResult> | TResult;
}
