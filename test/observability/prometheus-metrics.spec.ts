import { Registry, register, type OpenMetricsContentType } from 'prom-client';
import { FixedDelayRetryStrategy, InvalidTaskOptionsError, TaskQueue } from '../../lib/index.js';
import { ObservabilityMessages } from '../../lib/observability/observability.messages.js';
import { PrometheusTaskMetrics } from '../../lib/observability/index.js';
import { StoppableStore } from './support/faulty-stores.js';
import { outcomeQueue } from './support/outcome-queue.js';
import { PrometheusText } from './support/prometheus-text.js';

const OUTCOMES = ['succeeded', 'retried', 'failed', 'cancelled'];

describe('PrometheusTaskMetrics', () => {
  let store: StoppableStore;
  let queue: TaskQueue;
  let registry: Registry;

  beforeEach(async () => {
    store = new StoppableStore();
    queue = outcomeQueue(store);
    registry = new Registry();
    queue.observe(await PrometheusTaskMetrics.create(queue.store, { registry }));
  });

  afterEach(() => queue.close());

  const scrape = async () => new PrometheusText(await registry.metrics());

  it('counts a known mix of outcomes, by handler and outcome only', async () => {
    await queue.start();
    const ids = [await queue.schedule('ok'), await queue.schedule('ok')];
    ids.push(
      await queue.schedule('flaky', undefined, {
        maxRetries: 1,
        retryStrategy: new FixedDelayRetryStrategy(0),
        partitionKey: 'customer-42',
      }),
    );
    const later = await queue.schedule('ok', undefined, { delay: 60_000 });
    await queue.whenIdle();

    let m = await scrape();
    expect(m.value('task_queue_pending_tasks')).toBe(1);
    expect(m.value('task_queue_delayed_tasks')).toBe(1);
    expect(m.value('task_queue_running_tasks')).toBe(0);
    expect(m.value('task_queue_store_up')).toBe(1);

    expect(await queue.cancel(later)).toBe(true);
    m = await scrape();
    expect(m.types.get('task_queue_tasks_total')).toBe('counter');
    expect(m.types.get('task_queue_task_duration_seconds')).toBe('histogram');
    expect(m.types.get('task_queue_pending_tasks')).toBe('gauge');
    const outcomes = (handler: string) =>
      Object.fromEntries(OUTCOMES.map((outcome) => [outcome, m.value('task_queue_tasks_total', { handler, outcome })]));
    expect(outcomes('ok')).toEqual({ succeeded: 2, retried: 0, failed: 0, cancelled: 1 });
    expect(outcomes('flaky')).toEqual({ succeeded: 0, retried: 1, failed: 1, cancelled: 0 });
    expect(m.value('task_queue_tasks_scheduled_total', { handler: 'ok' })).toBe(3);
    expect(m.value('task_queue_tasks_scheduled_total', { handler: 'flaky' })).toBe(1);

    expect(m.value('task_queue_task_duration_seconds_count', { handler: 'ok', outcome: 'succeeded' })).toBe(2);
    expect(m.value('task_queue_task_duration_seconds_count', { handler: 'flaky', outcome: 'retried' })).toBe(1);
    expect(m.value('task_queue_task_duration_seconds_count', { handler: 'flaky', outcome: 'failed' })).toBe(1);
    expect(
      m.value('task_queue_task_duration_seconds_bucket', { handler: 'ok', outcome: 'succeeded', le: '+Inf' }),
    ).toBe(2);
    expect(
      m.value('task_queue_task_duration_seconds_sum', { handler: 'ok', outcome: 'succeeded' }),
    ).toBeGreaterThanOrEqual(0);
    // Two attempts each; nothing waited long.
    expect(m.value('task_queue_task_lateness_seconds_count', { handler: 'ok' })).toBe(2);
    expect(m.value('task_queue_task_lateness_seconds_count', { handler: 'flaky' })).toBe(2);
    expect(m.value('task_queue_task_lateness_seconds_bucket', { handler: 'flaky', le: '60' })).toBe(2);

    expect(m.value('task_queue_pending_tasks')).toBe(0);
    expect(m.value('task_queue_delayed_tasks')).toBe(0);
    expect(m.value('task_queue_oldest_due_task_age_seconds')).toBe(0);

    // Bounded cardinality: no task id, no partition key, no other label.
    for (const sample of m.samples)
      for (const label of Object.keys(sample.labels)) expect(['handler', 'outcome', 'le']).toContain(label);
    const text = await registry.metrics();
    for (const id of [...ids, later, 'customer-42']) expect(text).not.toContain(id);
  });

  it('counts a retried task as scheduled again', async () => {
    await queue.start();
    const id = await queue.schedule('flaky');
    await queue.whenIdle();
    expect((await scrape()).value('task_queue_tasks_scheduled_total', { handler: 'flaky' })).toBe(1);
    expect(await queue.retry(id)).toBe(true);
    await queue.whenIdle();
    const m = await scrape();
    expect(m.value('task_queue_tasks_scheduled_total', { handler: 'flaky' })).toBe(2);
    expect(m.value('task_queue_tasks_total', { handler: 'flaky', outcome: 'failed' })).toBe(2);
  });

  it('keeps histogram buckets cumulative', async () => {
    await queue.start();
    for (let i = 0; i < 3; i++) await queue.schedule('ok');
    await queue.whenIdle();
    const buckets = (await scrape()).samples.filter(
      (s) => s.name === 'task_queue_task_duration_seconds_bucket' && s.labels.outcome === 'succeeded',
    );
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: 3 });
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
  });

  it('reports how long the oldest due task has waited', async () => {
    // Not started: a task due ten minutes ago waits.
    await queue.schedule('ok', undefined, { runAt: new Date(Date.now() - 600_000) });
    const age = (await scrape()).value('task_queue_oldest_due_task_age_seconds')!;
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(700);
  });

  it('says the store is down, with NaN gauges, when it fails or does not answer in time', async () => {
    store.stopped = true;
    let m = await scrape();
    expect(m.value('task_queue_store_up')).toBe(0);
    expect(m.value('task_queue_pending_tasks')).toBeNaN();

    store.stopped = false;
    store.hanging = true;
    const slow = new Registry();
    queue.observe(await PrometheusTaskMetrics.create(store, { registry: slow, storeTimeout: 20 }));
    m = new PrometheusText(await slow.metrics());
    expect(m.value('task_queue_store_up')).toBe(0);

    store.hanging = false;
    expect((await scrape()).value('task_queue_store_up')).toBe(1);
  });

  it('refuses a second set of metrics with the same names on one registry; another prefix works', async () => {
    await expect(PrometheusTaskMetrics.create(queue.store, { registry })).rejects.toThrow(
      new InvalidTaskOptionsError(ObservabilityMessages.metricRegistered('task_queue_tasks_scheduled_total')),
    );
    const other = await PrometheusTaskMetrics.create(queue.store, { registry, prefix: 'reports_queue_' });
    expect(registry.getSingleMetric('reports_queue_tasks_total')).toBeDefined();
    other.dispose();
    expect(registry.getSingleMetric('reports_queue_tasks_total')).toBeUndefined();
    expect(registry.getSingleMetric('task_queue_tasks_total')).toBeDefined();
  });

  it("uses prom-client's default registry when none is given, and leaves it on dispose", async () => {
    const metrics = await PrometheusTaskMetrics.create(queue.store);
    expect(metrics.registry).toBe(register);
    expect(register.getSingleMetric('task_queue_tasks_total')).toBeDefined();
    metrics.dispose();
    expect(register.getSingleMetric('task_queue_tasks_total')).toBeUndefined();
  });

  it('starts from zero again after registry.resetMetrics()', async () => {
    await queue.start();
    await queue.schedule('ok');
    await queue.whenIdle();
    await registry.metrics();
    registry.resetMetrics();
    const m = await scrape();
    expect(m.value('task_queue_tasks_total', { handler: 'ok', outcome: 'succeeded' })).toBe(0);
    expect(m.value('task_queue_task_duration_seconds_count', { handler: 'ok', outcome: 'succeeded' })).toBe(0);
  });

  it('renders in the OpenMetrics format too', async () => {
    const open = new Registry<OpenMetricsContentType>();
    open.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    queue.observe(await PrometheusTaskMetrics.create(queue.store, { registry: open }));
    await queue.start();
    await queue.schedule('ok');
    await queue.whenIdle();
    const text = await open.metrics();
    expect(text).toContain('task_queue_tasks_total{handler="ok",outcome="succeeded"} 1');
    expect(text).toContain('task_queue_task_duration_seconds_count{handler="ok",outcome="succeeded"} 1');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });
});
