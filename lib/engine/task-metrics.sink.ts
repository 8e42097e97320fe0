/**
 * The engine's event path without events, for the library's own metrics observers: three calls with the
 * handler's name and whole milliseconds, no event object, no clock read. An observer exposes it under this
 * symbol (internal: not exported from the package); the hub then calls it instead of `onTaskEvent`.
 */
export const TASK_METRICS_SINK: unique symbol = Symbol('nest-task-queue.metricsSink');

/** How an attempt or a task ended, as metrics label it (see `TaskOutcome`). */
export type SinkOutcome = 'succeeded' | 'failed' | 'retried' | 'cancelled';

export interface TaskMetricsSink {
  scheduled(handler: string): void;
  /** `latenessMs` is never negative (producers' clocks may run ahead of the worker's). */
  started(handler: string, latenessMs: number): void;
  /** `durationMs` is undefined for `cancelled` (no attempt ended). */
  ended(handler: string, outcome: SinkOutcome, durationMs: number | undefined): void;
}

/** An observer carrying a metrics sink. */
export interface WithTaskMetricsSink {
  readonly [TASK_METRICS_SINK]?: TaskMetricsSink;
}
