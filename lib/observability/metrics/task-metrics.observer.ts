import type { TaskEvent, TaskObserver } from '../../interfaces/task-event.interface.js';
import { TASK_METRICS_SINK, type TaskMetricsSink } from '../../engine/task-metrics.sink.js';
import { outcomeOf, type TaskOutcome } from '../task-outcome.js';

/**
 * Turns task events into metric updates; Prometheus and OpenTelemetry each implement the three updates.
 * Times are handed over in whole milliseconds, as the engine measures them: small integers that V8 passes
 * without allocating (seconds, a fraction, would be boxed on every call). Exporters convert when they export.
 */
export abstract class TaskMetricsObserver implements TaskObserver {
  /** The engine calls these instead of `onTaskEvent` (no event objects; ~5% of a no-op task's cost otherwise). */
  readonly [TASK_METRICS_SINK]: TaskMetricsSink = {
    scheduled: (handler) => this.countScheduled(handler),
    started: (handler, latenessMs) => this.recordStart(handler, latenessMs),
    ended: (handler, outcome, durationMs) => this.recordEnd(handler, outcome, durationMs),
  };

  /** Events from elsewhere (a replayed stream, a test): the same updates as the sink's. */
  onTaskEvent(event: TaskEvent): void {
    if (event.type === 'scheduled') return this.countScheduled(event.handler);
    // Producers' clocks may run ahead of the worker's: never a negative lateness.
    if (event.type === 'started') return this.recordStart(event.handler, Math.max(0, event.lateness ?? 0));
    const outcome = outcomeOf(event)!;
    this.recordEnd(event.handler, outcome, outcome === 'cancelled' ? undefined : (event.duration ?? 0));
  }

  /** Unregisters the metrics (the observer is removed from the queue separately). */
  abstract dispose(): void;

  protected abstract countScheduled(handler: string): void;
  protected abstract recordStart(handler: string, latenessMs: number): void;
  /** `durationMs` is undefined for `cancelled` (no attempt ended). */
  protected abstract recordEnd(handler: string, outcome: TaskOutcome, durationMs: number | undefined): void;
}
