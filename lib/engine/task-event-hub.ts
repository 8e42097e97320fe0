import type { TaskContext } from '../interfaces/task-handler.interface.js';
import type { TaskEvent, TaskEventSubject, TaskEventType, TaskObserver } from '../interfaces/task-event.interface.js';
import type { NewTask, TaskError } from '../interfaces/task-record.interface.js';
import { TASK_METRICS_SINK, type TaskMetricsSink, type WithTaskMetricsSink } from './task-metrics.sink.js';

/** Whole ms that fit a small integer: a time difference of clock reads is a double, boxed per call otherwise. */
const MAX_SMALL_MS = 0x3fffffff; // ~12 days
function smallMs(ms: number): number {
  return ms <= 0 ? 0 : ms < MAX_SMALL_MS ? ms | 0 : MAX_SMALL_MS;
}

/**
 * Fans task events out to observers, and applies their schedule-time stamps and execution wrappers.
 * Callers check `active` / `stamping` / `wrapping` first, so nothing is built or called for nobody.
 */
export class TaskEventHub {
  private observers: TaskObserver[] = [];
  /** Observers that take events as objects; the library's metrics take them through their sinks instead. */
  private eventObservers: TaskObserver[] = [];
  private sinks: TaskMetricsSink[] = [];
  private listening = false;
  private stamps = false;
  private wraps = false;

  /** Some observer wants events. */
  get active(): boolean {
    return this.listening;
  }

  /** Some observer stamps metadata at schedule(). */
  get stamping(): boolean {
    return this.stamps;
  }

  /** Some observer wraps executions. */
  get wrapping(): boolean {
    return this.wraps;
  }

  observe(observer: TaskObserver): () => void {
    this.update([...this.observers, observer]);
    return () => this.update(this.observers.filter((o) => o !== observer));
  }

  /** `runAt` in epoch ms: the event's Date is made only for observers that take events. */
  scheduled(task: TaskEventSubject, runAt: number): void {
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.scheduled(task.handler);
    if (this.eventObservers.length === 0) return;
    this.emit('scheduled', task, 0, new Date(runAt), undefined, undefined, undefined, undefined, undefined);
  }

  started(task: TaskEventSubject, attempt: number, lateness: number): void {
    const sinks = this.sinks;
    const ms = smallMs(lateness);
    for (let i = 0; i < sinks.length; i++) sinks[i]!.started(task.handler, ms);
    if (this.eventObservers.length === 0) return;
    this.emit('started', task, attempt, undefined, lateness, undefined, undefined, undefined, undefined);
  }

  succeeded(task: TaskEventSubject, attempt: number, duration: number): void {
    const sinks = this.sinks;
    const ms = smallMs(duration);
    for (let i = 0; i < sinks.length; i++) sinks[i]!.ended(task.handler, 'succeeded', ms);
    if (this.eventObservers.length === 0) return;
    this.emit('succeeded', task, attempt, undefined, undefined, duration, undefined, undefined, undefined);
  }

  failed(
    task: TaskEventSubject,
    attempt: number,
    duration: number,
    error: TaskError,
    willRetry: boolean,
    retryAt: Date | undefined,
  ): void {
    for (const sink of this.sinks) sink.ended(task.handler, willRetry ? 'retried' : 'failed', duration);
    if (this.eventObservers.length === 0) return;
    this.emit('failed', task, attempt, undefined, undefined, duration, error, willRetry, retryAt);
  }

  cancelled(task: TaskEventSubject, attempt: number): void {
    for (const sink of this.sinks) sink.ended(task.handler, 'cancelled', undefined);
    if (this.eventObservers.length === 0) return;
    this.emit('cancelled', task, attempt, undefined, undefined, undefined, undefined, undefined, undefined);
  }

  progress(task: TaskEventSubject, attempt: number, value: unknown): void {
    if (this.eventObservers.length === 0) return;
    this.emit('progress', task, attempt, undefined, undefined, undefined, undefined, undefined, undefined, value);
  }

  /**
   * Every event has the same shape (fields that do not apply are undefined) and is the only allocation:
   * no details object, no spread, so observers' code stays monomorphic and the garbage stays small.
   */
  private emit(
    type: TaskEventType,
    task: TaskEventSubject,
    attempt: number,
    runAt: Date | undefined,
    lateness: number | undefined,
    duration: number | undefined,
    error: TaskError | undefined,
    willRetry: boolean | undefined,
    retryAt: Date | undefined,
    progress?: unknown,
  ): void {
    const event: TaskEvent = {
      type,
      taskId: task.id,
      handler: task.handler,
      name: task.name,
      partitionKey: task.partitionKey,
      attempt,
      timestamp: Date.now(),
      runAt,
      lateness,
      duration,
      error,
      willRetry,
      retryAt,
      progress,
    };
    for (const observer of this.eventObservers) {
      try {
        observer.onTaskEvent!(event, task);
      } catch {
        // An observer's bug must not fail the task or the worker.
      }
    }
  }

  /** Merges the observers' metadata stamps into a task about to be added; the caller's own entries win. */
  stamp(task: NewTask): void {
    let stamped: Record<string, unknown> | undefined;
    for (const observer of this.observers) {
      try {
        const entries = observer.stampMetadata?.(task);
        if (entries !== undefined) stamped = { ...stamped, ...entries };
      } catch {
        // A failed stamp leaves the task as the caller made it.
      }
    }
    if (stamped !== undefined) task.metadata = { ...stamped, ...task.metadata };
  }

  /** Runs an attempt through every wrapper, the first registered outermost. */
  wrap(context: TaskContext, run: () => Promise<unknown>): Promise<unknown> {
    let next = run;
    for (let i = this.observers.length - 1; i >= 0; i--) {
      const observer = this.observers[i]!;
      if (observer.wrapExecution === undefined) continue;
      const inner = next;
      next = () => callWrapper(observer, context, inner);
    }
    return next();
  }

  private update(observers: TaskObserver[]): void {
    this.observers = observers;
    const sinkOf = (o: TaskObserver) => (o as WithTaskMetricsSink)[TASK_METRICS_SINK];
    this.sinks = observers.map(sinkOf).filter((sink) => sink !== undefined);
    this.eventObservers = observers.filter((o) => o.onTaskEvent !== undefined && sinkOf(o) === undefined);
    this.listening = this.sinks.length > 0 || this.eventObservers.length > 0;
    this.stamps = observers.some((o) => o.stampMetadata !== undefined);
    this.wraps = observers.some((o) => o.wrapExecution !== undefined);
  }
}

/** A wrapper that throws before running the attempt is skipped: an observer's bug must not fail the task. */
function callWrapper(observer: TaskObserver, context: TaskContext, run: () => Promise<unknown>): Promise<unknown> {
  let ran = false;
  try {
    return observer.wrapExecution!(context, () => {
      ran = true;
      return run();
    });
  } catch (error) {
    if (ran) return Promise.reject(error);
    return run();
  }
}
