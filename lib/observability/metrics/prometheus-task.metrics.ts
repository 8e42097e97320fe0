import type * as PromClient from 'prom-client';
import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { ObservabilityMessages } from '../observability.messages.js';
import { loadPeer } from '../../stores/shared/peer-loader.js';
import { backlogSourceOf, readQueueGauges } from '../queue-gauges.reader.js';
import type { TaskOutcome } from '../task-outcome.js';
import { CounterSeries, type HistogramSeries } from './metric-series.js';
import { millisecondHistogramClass, type MillisecondHistogram } from './prometheus-histogram.factory.js';
import type { PrometheusTaskMetricsOptions } from './prometheus-task-metrics-options.interface.js';
import {
  DEFAULT_DURATION_BUCKETS,
  DEFAULT_LATENESS_BUCKETS,
  DEFAULT_STORE_TIMEOUT_MS,
  TASK_METRICS,
} from './task-metric.names.js';
import { TaskMetricsObserver } from './task-metrics.observer.js';

type Registry = PromClient.Registry<PromClient.RegistryContentType>;
type GaugeName = 'pending' | 'running' | 'delayed' | 'oldestDueAge' | 'storeUp';
/** A handler's series, found once per event by one Map lookup. */
interface HandlerSeries {
  scheduled: CounterSeries;
  lateness: HistogramSeries;
  outcomes: Record<TaskOutcome, { count: CounterSeries; duration: HistogramSeries | undefined }>;
}

/**
 * Prometheus metrics of a task queue, through prom-client (an optional peer): counters and histograms fed
 * by task events, gauges read from the store on each scrape. Register it with `queue.observe(metrics)`.
 * Events are aggregated here (a few additions each) and handed to prom-client when it is scraped.
 *
 * @example const metrics = await PrometheusTaskMetrics.create(queue.store, { registry }); queue.observe(metrics);
 */
export class PrometheusTaskMetrics extends TaskMetricsObserver {
  readonly registry: Registry;
  private readonly scheduled: PromClient.Counter<'handler'>;
  private readonly outcomes: PromClient.Counter<'handler' | 'outcome'>;
  private readonly duration: MillisecondHistogram;
  private readonly lateness: MillisecondHistogram;
  private readonly gauges: Partial<Record<GaugeName, PromClient.Gauge>> = {};
  private readonly counterSeries: CounterSeries[] = [];
  private readonly handlers = new Map<string, HandlerSeries>();
  private readonly registered: string[] = [];
  private refreshing: Promise<void> | undefined;

  /** Imports prom-client (unless `options.client` is given) and registers the metrics. */
  static async create(store: ITaskStore, options: PrometheusTaskMetricsOptions = {}): Promise<PrometheusTaskMetrics> {
    const client =
      options.client ?? (await loadPeer('PrometheusTaskMetrics', 'prom-client', () => import('prom-client')));
    return new PrometheusTaskMetrics(client, store, options);
  }

  constructor(
    client: typeof PromClient,
    private readonly store: ITaskStore,
    options: PrometheusTaskMetricsOptions = {},
  ) {
    super();
    this.registry = options.registry ?? client.register;
    const prefix = options.prefix ?? 'task_queue_';
    const storeTimeout = options.storeTimeout ?? DEFAULT_STORE_TIMEOUT_MS;
    const config = (metric: keyof typeof TASK_METRICS) => ({
      name: prefix + TASK_METRICS[metric].prom,
      help: TASK_METRICS[metric].help,
      registers: [],
    });
    const flushCounters = () => this.flushCounters();
    const readGauges = () => this.refresh(storeTimeout);
    const Histogram = millisecondHistogramClass(client);

    this.scheduled = new client.Counter({
      ...config('scheduled'),
      labelNames: ['handler'] as const,
      collect: flushCounters,
    });
    this.outcomes = new client.Counter({
      ...config('outcomes'),
      labelNames: ['handler', 'outcome'] as const,
      collect: flushCounters,
    });
    this.duration = new Histogram({
      ...config('duration'),
      labelNames: ['handler', 'outcome'],
      buckets: [...(options.durationBuckets ?? DEFAULT_DURATION_BUCKETS)],
    });
    this.lateness = new Histogram({
      ...config('lateness'),
      labelNames: ['handler'],
      buckets: [...(options.latenessBuckets ?? DEFAULT_LATENESS_BUCKETS)],
    });
    this.gauges.pending = new client.Gauge({ ...config('pending'), collect: readGauges });
    this.gauges.running = new client.Gauge({ ...config('running'), collect: readGauges });
    if (backlogSourceOf(store) !== undefined) {
      this.gauges.delayed = new client.Gauge({ ...config('delayed'), collect: readGauges });
      this.gauges.oldestDueAge = new client.Gauge({ ...config('oldestDueAge'), collect: readGauges });
    }
    this.gauges.storeUp = new client.Gauge({ ...config('storeUp'), collect: readGauges });
    this.register([this.scheduled, this.outcomes, this.duration, this.lateness, ...Object.values(this.gauges)]);
  }

  /** Removes the metrics from the registry. */
  dispose(): void {
    for (const name of this.registered.splice(0)) this.registry.removeSingleMetric(name);
  }

  protected countScheduled(handler: string): void {
    this.seriesOf(handler).scheduled.unflushed++;
  }

  protected recordStart(handler: string, latenessMs: number): void {
    this.seriesOf(handler).lateness.observe(latenessMs);
  }

  protected recordEnd(handler: string, outcome: TaskOutcome, durationMs: number | undefined): void {
    const series = this.seriesOf(handler).outcomes[outcome];
    series.count.unflushed++;
    if (durationMs !== undefined) series.duration?.observe(durationMs);
  }

  /** No closure in here: one would make every call allocate a context (three a task). */
  private seriesOf(handler: string): HandlerSeries {
    return this.handlers.get(handler) ?? this.addSeries(handler);
  }

  private addSeries(handler: string): HandlerSeries {
    const count = (labels: Record<string, string>) => {
      const counter = new CounterSeries(labels);
      this.counterSeries.push(counter);
      return counter;
    };
    const outcome = (o: TaskOutcome) => {
      const labels = { handler, outcome: o };
      return { count: count(labels), duration: o === 'cancelled' ? undefined : this.duration.series(labels) };
    };
    const series: HandlerSeries = {
      scheduled: count({ handler }),
      lateness: this.lateness.series({ handler }),
      outcomes: {
        succeeded: outcome('succeeded'),
        retried: outcome('retried'),
        failed: outcome('failed'),
        cancelled: outcome('cancelled'),
      },
    };
    this.handlers.set(handler, series);
    return series;
  }

  /**
   * Hands the counts since the last scrape to prom-client (its public inc), at scrape time only. Zeros too:
   * a handler's every outcome series exists from its first event, so `increase()` sees the first failure.
   */
  private flushCounters(): void {
    for (const series of this.counterSeries) {
      (series.labels.outcome === undefined ? this.scheduled : this.outcomes).inc(series.labels, series.unflushed);
      series.unflushed = 0;
    }
  }

  /** Every gauge's collect awaits this one read of the store, so a scrape asks the store once. */
  private refresh(timeoutMs: number): Promise<void> {
    this.refreshing ??= this.readGauges(timeoutMs).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async readGauges(timeoutMs: number): Promise<void> {
    const { pending, running, delayed, oldestDueAge, storeUp } = this.gauges;
    try {
      const read = await readQueueGauges(this.store, timeoutMs);
      pending!.set(read.pending);
      running!.set(read.running);
      delayed?.set(read.delayed ?? NaN);
      oldestDueAge?.set((read.oldestDueAgeMs ?? NaN) / 1000);
      storeUp!.set(1);
    } catch {
      for (const gauge of [pending, running, delayed, oldestDueAge]) gauge?.set(NaN);
      storeUp!.set(0);
    }
  }

  private register(metrics: PromClient.Metric[]): void {
    for (const metric of metrics) {
      const { name } = metric as unknown as { name: string };
      if (this.registry.getSingleMetric(name) !== undefined) {
        this.dispose();
        throw new InvalidTaskOptionsError(ObservabilityMessages.metricRegistered(name));
      }
      this.registry.registerMetric(metric);
      this.registered.push(name);
    }
  }
}
