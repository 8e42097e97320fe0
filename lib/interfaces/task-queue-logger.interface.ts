/** The logging the engine and stores need; Nest's `Logger` fits it. */
export interface TaskQueueLogger {
  log(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
  debug?(message: unknown, ...rest: unknown[]): void;
  verbose?(message: unknown, ...rest: unknown[]): void;
}

/** Nest's log levels, lowest first. */
export type TaskQueueLogLevel = 'verbose' | 'debug' | 'log' | 'warn' | 'error' | 'fatal';
