import type { TaskQueueHealthOptions } from './health/task-queue-health-options.interface.js';
import type { TaskEventLoggerOptions } from './logging/task-event-logger-options.interface.js';
import type { OtelTaskMetricsOptions } from './metrics/otel-task-metrics-options.interface.js';
import type { PrometheusTaskMetricsOptions } from './metrics/prometheus-task-metrics-options.interface.js';
import type { TaskTracingOptions } from './tracing/task-tracing-options.interface.js';

/** What to turn on. Each feature is off unless given; `true` turns it on with its defaults. */
export interface TaskQueueObservabilityOptions {
  /** Prometheus metrics through prom-client (optional peer). `true`: on prom-client's default registry. */
  prometheus?: boolean | PrometheusTaskMetricsOptions;
  /** The same metrics through the OpenTelemetry meter (@opentelemetry/api, optional peer). */
  openTelemetryMetrics?: boolean | OtelTaskMetricsOptions;
  /** A span per attempt, child of the span active at `schedule()` (@opentelemetry/api, optional peer). */
  tracing?: boolean | TaskTracingOptions;
  /** One structured log record per task event; args only through `logging.args`. */
  logging?: boolean | TaskEventLoggerOptions;
  /** Thresholds of `TaskQueueHealthIndicator` (always provided by the module). */
  health?: TaskQueueHealthOptions;
}

/** The options with `true` made `{}`, `false` dropped, every value checked. */
export interface ResolvedObservabilityOptions {
  prometheus?: PrometheusTaskMetricsOptions;
  openTelemetryMetrics?: OtelTaskMetricsOptions;
  tracing?: TaskTracingOptions;
  logging?: TaskEventLoggerOptions;
  health: TaskQueueHealthOptions;
}
