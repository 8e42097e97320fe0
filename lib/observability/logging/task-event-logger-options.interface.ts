import type { TaskEventSubject } from '../../interfaces/task-event.interface.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { TaskOutcome } from '../task-outcome.js';

/** What a log record is about: the event types, with `failed` split into `retried` and `failed`. */
export type TaskLogKind = 'scheduled' | 'started' | TaskOutcome;

export type TaskEventLogLevel = 'verbose' | 'debug' | 'log' | 'warn' | 'error';

export interface TaskEventLoggerOptions {
  /** Where records go. Default: Nest's `Logger` with the `TaskQueue` context (in the Nest module), else the console. */
  logger?: TaskQueueLogger;
  /**
   * Args are never logged unless this is given: it receives a task's args and returns what to log of them
   * (a redacted copy, a few fields), or undefined to log none for that task.
   *
   * @example args: (args, task) => (task.handler === 'send-email' ? { ...(args as object), email: '[redacted]' } : undefined)
   */
  args?: (args: unknown, task: TaskEventSubject) => unknown;
  /**
   * The level of each kind of record, or false for none. Default: scheduled, started, succeeded 'debug';
   * retried 'warn'; failed 'error'; cancelled 'log'.
   */
  levels?: Partial<Record<TaskLogKind, TaskEventLogLevel | false>>;
}
