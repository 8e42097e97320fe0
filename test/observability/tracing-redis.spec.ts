import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TaskHandler, TaskQueueModule, TaskScheduler } from '../../lib/index.js';
import { TaskQueueObservabilityModule, TRACEPARENT } from '../../lib/observability/index.js';
import { redisTarget } from '../redis/redis.store-target.js';
import { createStore, describeIfUp } from '../support/store-target.js';
import { deferred } from './support/deferred.js';

const describeRedis = await describeIfUp(redisTarget);

const ran = deferred<string>();

@TaskHandler('render-report')
class RenderReportTask {
  async execute(): Promise<void> {
    ran.resolve('ran');
  }
}

describeRedis('TaskTracing across two apps on Redis', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const prefix = redisTarget.uniqueNamespace('tracing');
  const apps: INestApplicationContext[] = [];

  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    context.disable();
    await provider.shutdown();
    await redisTarget.dispose(prefix);
  });

  /** One app on the shared queue: its own store (connections), its own module instances. */
  async function app(autoStart: boolean): Promise<INestApplicationContext> {
    @Module({
      imports: [
        TaskQueueModule.forRoot({ store: createStore(redisTarget, prefix), autoStart, logger: false }),
        TaskQueueObservabilityModule.forRoot({ tracing: { tracerProvider: provider } }),
      ],
      providers: [RenderReportTask],
    })
    class AppModule {}
    const ref = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const started = await ref.init();
    apps.push(started);
    return started;
  }

  it('makes the execution span in the worker app a child of the request span in the producer app', async () => {
    const producer = await app(false);
    const worker = await app(true);
    const tracer = provider.getTracer('producer-app');
    let requestSpan = { traceId: '', spanId: '' };
    let taskId = '';
    await tracer.startActiveSpan('POST /reports', async (span) => {
      requestSpan = span.spanContext();
      taskId = await producer.get(TaskScheduler).schedule(RenderReportTask, undefined);
      span.end();
    });
    expect((await producer.get(TaskScheduler).getTask(taskId))!.metadata).toEqual({
      [TRACEPARENT]: `00-${requestSpan.traceId}-${requestSpan.spanId}-01`,
    });

    await ran.promise;
    await worker.get(TaskScheduler).whenIdle();
    const [execution] = exporter.getFinishedSpans().filter((s) => s.name === 'task.execute render-report');
    expect(execution!.spanContext().traceId).toBe(requestSpan.traceId);
    expect(execution!.parentSpanContext).toMatchObject({ spanId: requestSpan.spanId, isRemote: true });
    expect(execution!.attributes['messaging.message.id']).toBe(taskId);
  });
});
