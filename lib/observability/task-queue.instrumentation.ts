import type { TaskQueue } from '../engine/task-queue.js';
import type { TaskObserver } from '../interfaces/task-event.interface.js';
import { TaskEventLogger } from './logging/task-event.logger.js';
import { OtelTaskMetrics } from './metrics/otel-task.metrics.js';
import { PrometheusTaskMetrics } from './metrics/prometheus-task.metrics.js';
import { resolveObservabilityOptions } from './observability-options.resolver.js';
import type { TaskQueueObservabilityOptions } from './task-queue-observability-options.interface.js';
import { TaskTracing } from './tracing/task.tracing.js';

type Observer = TaskObserver & { dispose?(): void };

/**
 * Turns the chosen features on for a queue, and off again: what `TaskQueueObservabilityModule` does in a
 * Nest app, for scripts and workers that use `TaskQueue` directly. Peers are imported here, once.
 *
 * @example const instrumentation = await TaskQueueInstrumentation.attach(queue, { prometheus: { registry }, tracing: true });
 */
export class TaskQueueInstrumentation {
  private constructor(
    private readonly observers: Observer[],
    private readonly removers: (() => void)[],
    /** The Prometheus metrics, if turned on (their `registry` serves `GET /metrics`). */
    readonly prometheus: PrometheusTaskMetrics | undefined,
  ) {}

  static async attach(queue: TaskQueue, options: TaskQueueObservabilityOptions): Promise<TaskQueueInstrumentation> {
    const o = resolveObservabilityOptions(options);
    const observers: Observer[] = [];
    let prometheus: PrometheusTaskMetrics | undefined;
    try {
      // Tracing first: its wrapper is the outermost, so a logger or a user's wrapper runs inside the span.
      if (o.tracing) observers.push(await TaskTracing.create(o.tracing));
      if (o.prometheus) observers.push((prometheus = await PrometheusTaskMetrics.create(queue.store, o.prometheus)));
      if (o.openTelemetryMetrics) observers.push(await OtelTaskMetrics.create(queue.store, o.openTelemetryMetrics));
      if (o.logging) observers.push(new TaskEventLogger(o.logging));
    } catch (error) {
      for (const observer of observers) observer.dispose?.();
      throw error;
    }
    return new TaskQueueInstrumentation(
      observers,
      observers.map((observer) => queue.observe(observer)),
      prometheus,
    );
  }

  /** Removes the observers from the queue and unregisters their metrics. Idempotent. */
  detach(): void {
    for (const remove of this.removers.splice(0)) remove();
    for (const observer of this.observers.splice(0)) observer.dispose?.();
  }
}
