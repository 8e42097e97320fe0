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
}

/** A class decorated with `@TaskHandler()` implements this. The return value is kept as the task's result. */
export interface ITaskHandler<TArgs = unknown, TResult = unknown> {
  execute(args: TArgs, context: TaskContext): Promise<TResult> | TResult;
}
