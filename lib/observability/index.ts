// The public API of the observability features, at `nest-task-queue/observability` (not re-exported by the root:
// these types name the optional peers prom-client, @opentelemetry/api and @nestjs/terminus, which are imported
// only when a feature starts).
export { TaskQueueObservabilityModule } from './nest/task-queue-observability.module.js';
export { TaskQueueHealthIndicator, type TaskQueueHealthResult } from './nest/task-queue.health-indicator.js';
export { TaskQueueInstrumentation } from './task-queue.instrumentation.js';
export type { TaskQueueObservabilityOptions } from './task-queue-observability-options.interface.js';
export { PrometheusTaskMetrics } from './metrics/prometheus-task.metrics.js';
export type { PrometheusTaskMetricsOptions } from './metrics/prometheus-task-metrics-options.interface.js';
export { OtelTaskMetrics } from './metrics/otel-task.metrics.js';
export type { OtelTaskMetricsOptions } from './metrics/otel-task-metrics-options.interface.js';
export { TASK_METRICS } from './metrics/task-metric.names.js';
export { TaskTracing } from './tracing/task.tracing.js';
export type { TaskTracingOptions } from './tracing/task-tracing-options.interface.js';
export { TRACEPARENT, TRACESTATE } from './tracing/trace-context.codec.js';
export { TaskEventLogger } from './logging/task-event.logger.js';
export type {
  TaskEventLoggerOptions,
  TaskEventLogLevel,
  TaskLogKind,
} from './logging/task-event-logger-options.interface.js';
export type { TaskLogRecord } from './logging/task-log.record.js';
export { TaskQueueHealthCheck, type TaskQueueHealth } from './health/task-queue.health-check.js';
export type { TaskQueueHealthOptions } from './health/task-queue-health-options.interface.js';
export type { TaskOutcome } from './task-outcome.js';
