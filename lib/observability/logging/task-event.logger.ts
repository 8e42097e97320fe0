import type { TaskEvent, TaskEventSubject, TaskObserver } from '../../interfaces/task-event.interface.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import { LOGGER_CONTEXT } from '../../task-queue.constants.js';
import { outcomeOf } from '../task-outcome.js';
import type { TaskEventLoggerOptions, TaskEventLogLevel, TaskLogKind } from './task-event-logger-options.interface.js';
import { toTaskLogRecord } from './task-log.record.js';

const DEFAULT_LEVELS: Record<TaskLogKind, TaskEventLogLevel | false> = {
  scheduled: 'debug',
  started: 'debug',
  succeeded: 'debug',
  retried: 'warn',
  failed: 'error',
  cancelled: 'log',
};

/**
 * Logs each task event as one structured record (`TaskLogRecord`). Args are never logged unless the
 * `args` option says what of them to log.
 */
export class TaskEventLogger implements TaskObserver {
  private readonly logger: TaskQueueLogger;
  private readonly levels: Record<TaskLogKind, TaskEventLogLevel | false>;

  constructor(private readonly options: TaskEventLoggerOptions = {}) {
    this.logger = options.logger ?? consoleLogger;
    this.levels = { ...DEFAULT_LEVELS, ...options.levels };
  }

  onTaskEvent(event: TaskEvent, task: TaskEventSubject): void {
    if (event.type === 'progress') return;
    const kind: TaskLogKind = outcomeOf(event) ?? (event.type as 'scheduled' | 'started');
    const level = this.levels[kind];
    if (level === false) return;
    const write = this.logger[level];
    if (write === undefined) return;
    const record = toTaskLogRecord(kind, event);
    if (this.options.args !== undefined) {
      const args = this.options.args(task.args, task);
      if (args !== undefined) record.args = args;
    }
    write.call(this.logger, record);
  }
}

const consoleLogger: TaskQueueLogger = {
  log: (record) => console.log(`[${LOGGER_CONTEXT}]`, record),
  warn: (record) => console.warn(`[${LOGGER_CONTEXT}]`, record),
  error: (record) => console.error(`[${LOGGER_CONTEXT}]`, record),
  debug: (record) => console.debug(`[${LOGGER_CONTEXT}]`, record),
  verbose: (record) => console.debug(`[${LOGGER_CONTEXT}]`, record),
};
