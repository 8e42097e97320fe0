import type * as OtelApi from '@opentelemetry/api';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { loadPeer } from '../../stores/shared/peer-loader.js';
import { backlogSourceOf, readQueueGauges } from '../queue-gauges.reader.js';
import type { TaskOutcome } from '../task-outcome.js';
import type { OtelTaskMetricsOptions } from './otel-task-metrics-options.interface.js';
import {
  DEFAULT_DURATION_BUCKETS,
  DEFAULT_LATENESS_BUCKETS,
  DEFAULT_STORE_TIMEOUT_MS,
  INSTRUMENTATION_NAME,
  TASK_METRICS,
} from './task-metric.names.js';
import { TaskMetricsObserver } from './task-metrics.observer.js';

type Attributes = { handler: string; outcome?: TaskOutcome };
type GaugeName = 'pending' | 'running' | 'delayed' | 'oldestDueAge' | 'storeUp';
/** A handler's attribute sets, made once: the SDK is handed the same objects on every event. */
type HandlerAttributes = { handler: Attributes; outcome: Record<TaskOutcome, Attributes> };

/**
 * The same metrics as `PrometheusTaskMetrics`, through the OpenTelemetry meter (@opentelemetry/api, an
 * optional peer; your SDK exports them). Through OTel's Prometheus exporter the names come out the same.
 */
export class OtelTaskMetrics extends TaskMetricsObserver {
  private readonly scheduled: OtelApi.Counter<Attributes>;
  private readonly outcomes: OtelApi.Counter<Attributes>;
  private readonly duration: OtelApi.Histogram<Attributes>;
  private readonly lateness: OtelApi.Histogram<Attributes>;
  private readonly gauges: Partial<Record<GaugeName, OtelApi.ObservableGauge>> = {};
  private readonly meter: OtelApi.Meter;
  private readonly attributes = new Map<string, HandlerAttributes>();

  /** Imports @opentelemetry/api (unless `options.api` is given) and creates the instruments. */
  static async create(store: ITaskStore, options: OtelTaskMetricsOptions = {}): Promise<OtelTaskMetrics> {
    const api =
      options.api ?? (await loadPeer('OtelTaskMetrics', '@opentelemetry/api', () => import('@opentelemetry/api')));
    return new OtelTaskMetrics(api, store, options);
  }

  constructor(
    api: typeof OtelApi,
    private readonly store: ITaskStore,
    private readonly options: OtelTaskMetricsOptions = {},
  ) {
    super();
    const meter = (this.meter = (options.meterProvider ?? api.metrics.getMeterProvider()).getMeter(
      INSTRUMENTATION_NAME,
    ));
    const name = (metric: keyof typeof TASK_METRICS) => `task_queue.${TASK_METRICS[metric].otel}`;
    const described = (metric: keyof typeof TASK_METRICS, unit: string) => ({
      description: TASK_METRICS[metric].help,
      unit,
    });
    this.scheduled = meter.createCounter(name('scheduled'), described('scheduled', '{task}'));
    this.outcomes = meter.createCounter(name('outcomes'), described('outcomes', '{task}'));
    this.duration = meter.createHistogram(name('duration'), {
      ...described('duration', 's'),
      advice: { explicitBucketBoundaries: [...(options.durationBuckets ?? DEFAULT_DURATION_BUCKETS)] },
    });
    this.lateness = meter.createHistogram(name('lateness'), {
      ...described('lateness', 's'),
      advice: { explicitBucketBoundaries: [...(options.latenessBuckets ?? DEFAULT_LATENESS_BUCKETS)] },
    });
    this.gauges.pending = meter.createObservableGauge(name('pending'), described('pending', '{task}'));
    this.gauges.running = meter.createObservableGauge(name('running'), described('running', '{task}'));
    if (backlogSourceOf(store) !== undefined) {
      this.gauges.delayed = meter.createObservableGauge(name('delayed'), described('delayed', '{task}'));
      this.gauges.oldestDueAge = meter.createObservableGauge(name('oldestDueAge'), described('oldestDueAge', 's'));
    }
    this.gauges.storeUp = meter.createObservableGauge(name('storeUp'), described('storeUp', '1'));
    meter.addBatchObservableCallback(this.collect, Object.values(this.gauges));
  }

  dispose(): void {
    this.meter.removeBatchObservableCallback(this.collect, Object.values(this.gauges));
  }

  protected countScheduled(handler: string): void {
    this.scheduled.add(1, this.attributesOf(handler).handler);
  }

  protected recordStart(handler: string, latenessMs: number): void {
    this.lateness.record(latenessMs / 1000, this.attributesOf(handler).handler);
  }

  protected recordEnd(handler: string, outcome: TaskOutcome, durationMs: number | undefined): void {
    const attributes = this.attributesOf(handler).outcome[outcome];
    this.outcomes.add(1, attributes);
    if (durationMs !== undefined) this.duration.record(durationMs / 1000, attributes);
  }

  /** No closure in here: one would make every call allocate a context (three a task). */
  private attributesOf(handler: string): HandlerAttributes {
    return this.attributes.get(handler) ?? this.addAttributes(handler);
  }

  private addAttributes(handler: string): HandlerAttributes {
    const outcome = (o: TaskOutcome): Attributes => ({ handler, outcome: o });
    const attributes: HandlerAttributes = {
      handler: { handler },
      outcome: {
        succeeded: outcome('succeeded'),
        retried: outcome('retried'),
        failed: outcome('failed'),
        cancelled: outcome('cancelled'),
      },
    };
    this.attributes.set(handler, attributes);
    return attributes;
  }

  /** One read of the store per collection, for every gauge. Nothing is observed while the store does not answer. */
  private readonly collect = async (result: OtelApi.BatchObservableResult): Promise<void> => {
    const { pending, running, delayed, oldestDueAge, storeUp } = this.gauges;
    try {
      const read = await readQueueGauges(this.store, this.options.storeTimeout ?? DEFAULT_STORE_TIMEOUT_MS);
      result.observe(pending!, read.pending);
      result.observe(running!, read.running);
      if (delayed !== undefined && read.delayed !== undefined) result.observe(delayed, read.delayed);
      if (oldestDueAge !== undefined && read.oldestDueAgeMs !== undefined)
        result.observe(oldestDueAge, read.oldestDueAgeMs / 1000);
      result.observe(storeUp!, 1);
    } catch {
      result.observe(storeUp!, 0);
    }
  };
}
