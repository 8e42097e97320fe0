import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { FixedDelayRetryStrategy, TaskQueue } from '../../lib/index.js';
import { OtelTaskMetrics } from '../../lib/observability/index.js';
import { StoppableStore } from './support/faulty-stores.js';
import { outcomeQueue } from './support/outcome-queue.js';

/** A reader the test pulls from. */
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

describe('OtelTaskMetrics', () => {
  let store: StoppableStore;
  let queue: TaskQueue;
  let reader: PullReader;
  let provider: MeterProvider;
  let metrics: OtelTaskMetrics;

  beforeEach(async () => {
    store = new StoppableStore();
    queue = outcomeQueue(store);
    reader = new PullReader();
    provider = new MeterProvider({ readers: [reader] });
    metrics = await OtelTaskMetrics.create(store, { meterProvider: provider });
    queue.observe(metrics);
  });

  afterEach(async () => {
    await queue.close();
    await provider.shutdown();
  });

  async function collect(): Promise<Map<string, MetricData>> {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    return new Map(
      resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]),
    );
  }

  const point = <T>(
    metric: MetricData | undefined,
    attributes: Record<string, string> = {},
  ): DataPoint<T> | undefined =>
    (metric?.dataPoints as DataPoint<T>[] | undefined)?.find(
      (p) => JSON.stringify(p.attributes) === JSON.stringify(attributes),
    );

  it('records the same mix of outcomes as the Prometheus metrics, under the same names', async () => {
    await queue.start();
    await queue.schedule('ok');
    await queue.schedule('ok');
    await queue.schedule('flaky', undefined, { maxRetries: 1, retryStrategy: new FixedDelayRetryStrategy(0) });
    const later = await queue.schedule('ok', undefined, { delay: 60_000 });
    await queue.whenIdle();
    let m = await collect();
    expect(point<number>(m.get('task_queue.pending_tasks'))?.value).toBe(1);
    expect(point<number>(m.get('task_queue.delayed_tasks'))?.value).toBe(1);
    await queue.cancel(later);

    m = await collect();
    const tasks = m.get('task_queue.tasks')!;
    expect(tasks.dataPointType).toBe(DataPointType.SUM);
    expect(tasks.descriptor.unit).toBe('{task}');
    const count = (handler: string, outcome: string) => point<number>(tasks, { handler, outcome })?.value;
    expect([
      count('ok', 'succeeded'),
      count('ok', 'cancelled'),
      count('flaky', 'retried'),
      count('flaky', 'failed'),
    ]).toEqual([2, 1, 1, 1]);
    expect(point<number>(m.get('task_queue.tasks.scheduled'), { handler: 'ok' })?.value).toBe(3);

    const duration = m.get('task_queue.task.duration')!;
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.descriptor.unit).toBe('s');
    const succeeded = point<Histogram>(duration, { handler: 'ok', outcome: 'succeeded' })!.value;
    expect(succeeded.count).toBe(2);
    expect(succeeded.buckets.boundaries).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
    ]);
    expect(point<Histogram>(m.get('task_queue.task.lateness'), { handler: 'flaky' })!.value.count).toBe(2);

    expect(point<number>(m.get('task_queue.pending_tasks'))?.value).toBe(0);
    expect(point<number>(m.get('task_queue.running_tasks'))?.value).toBe(0);
    expect(point<number>(m.get('task_queue.oldest_due_task_age'))?.value).toBe(0);
    expect(point<number>(m.get('task_queue.store_up'))?.value).toBe(1);
  });

  it('reports the store down and leaves the store gauges out while it fails', async () => {
    store.stopped = true;
    const m = await collect();
    expect(point<number>(m.get('task_queue.store_up'))?.value).toBe(0);
    expect(m.get('task_queue.pending_tasks')?.dataPoints ?? []).toEqual([]);
  });

  it('stops observing the store once disposed', async () => {
    metrics.dispose();
    const m = await collect();
    expect(m.get('task_queue.store_up')?.dataPoints ?? []).toEqual([]);
  });
});
