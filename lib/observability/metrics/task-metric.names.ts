/**
 * The metrics both exporters publish. Prometheus names get a prefix (default `task_queue_`); OpenTelemetry
 * names get `task_queue.` and, through OTel's Prometheus exporter, come out as the same Prometheus names.
 * Labels: `handler` and `outcome` only (never a task id or partition key), so cardinality stays bounded.
 */
export const TASK_METRICS = {
  scheduled: {
    prom: 'tasks_scheduled_total',
    otel: 'tasks.scheduled',
    help: 'Tasks scheduled in this process, by handler.',
  },
  outcomes: {
    prom: 'tasks_total',
    otel: 'tasks',
    help: 'Task outcomes by handler: succeeded; retried (an attempt failed, another is scheduled); failed (no attempts left); cancelled.',
  },
  duration: {
    prom: 'task_duration_seconds',
    otel: 'task.duration',
    help: 'How long attempts ran, by handler and outcome (succeeded, retried, failed).',
  },
  lateness: {
    prom: 'task_lateness_seconds',
    otel: 'task.lateness',
    help: 'How late attempts started after they were due (start - runAt), by handler.',
  },
  pending: {
    prom: 'pending_tasks',
    otel: 'pending_tasks',
    help: 'Pending tasks in the store: due, delayed and waiting behind a partition. Store-wide.',
  },
  running: {
    prom: 'running_tasks',
    otel: 'running_tasks',
    help: 'Running tasks in the store, in every process that shares it. Store-wide.',
  },
  delayed: {
    prom: 'delayed_tasks',
    otel: 'delayed_tasks',
    help: 'Pending tasks not due yet (a delay, or a retry wait). Store-wide.',
  },
  oldestDueAge: {
    prom: 'oldest_due_task_age_seconds',
    otel: 'oldest_due_task_age',
    help: 'How long the oldest due task that nothing holds back has waited past its runAt (0: none waits). Store-wide.',
  },
  storeUp: {
    prom: 'store_up',
    otel: 'store_up',
    help: '1 if the store answered the last read of its counts in time, else 0 (the store gauges are then NaN).',
  },
} as const;

export const DEFAULT_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];
export const DEFAULT_LATENESS_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600,
];
export const DEFAULT_STORE_TIMEOUT_MS = 1_000;

/** The instrumentation scope of meters and tracers. */
export const INSTRUMENTATION_NAME = 'nest-task-queue';
