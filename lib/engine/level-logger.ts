import type { TaskQueueLogger, TaskQueueLogLevel } from '../interfaces/task-queue-logger.interface.js';

const RANK: Record<TaskQueueLogLevel, number> = { verbose: 0, debug: 1, log: 2, warn: 3, error: 4, fatal: 5 };
/** Every level, lowest first. */
export const LOG_LEVELS = Object.keys(RANK) as readonly TaskQueueLogLevel[];

/**
 * Applies the `logLevel` option once, up front, so the hot path asks a boolean (`debugEnabled`) instead of
 * building messages nobody reads.
 */
export class LevelLogger {
  readonly debugEnabled: boolean;
  private readonly min: number;

  constructor(
    private readonly target: TaskQueueLogger,
    level: TaskQueueLogLevel | false,
  ) {
    this.min = level === false ? Infinity : RANK[level];
    this.debugEnabled = this.min <= RANK.debug && target.debug !== undefined;
  }

  debug(message: string): void {
    if (this.debugEnabled) this.target.debug!(message);
  }

  log(message: string): void {
    if (this.min <= RANK.log) this.target.log(message);
  }

  warn(message: string): void {
    if (this.min <= RANK.warn) this.target.warn(message);
  }

  error(message: string, stack?: string): void {
    if (this.min <= RANK.error) this.target.error(message, stack);
  }

  /** What stores get in `init()`: the same filter, in the plain logger shape. */
  asLogger(): TaskQueueLogger {
    return {
      log: (m) => this.log(String(m)),
      warn: (m) => this.warn(String(m)),
      error: (m, s) => this.error(String(m), s as string | undefined),
      debug: (m) => this.debug(String(m)),
    };
  }
}
