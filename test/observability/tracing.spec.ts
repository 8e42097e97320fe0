import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  createTaskQueue,
  FixedDelayRetryStrategy,
  InMemoryTaskStore,
  TaskQueue,
  TaskTimeoutError,
  type TaskContext,
} from '../../lib/index.js';
import { TaskTracing, TRACEPARENT } from '../../lib/observability/index.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('app');
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
afterAll(() => {
  context.disable();
  return provider.shutdown();
});

/** Runs `fn` in an active span, as an HTTP request's instrumentation would; returns the span. */
async function inSpan(name: string, fn: () => Promise<unknown>): Promise<ReadableSpan> {
  let id = '';
  await tracer.startActiveSpan(name, async (span) => {
    id = span.spanContext().spanId;
    await fn();
    span.end();
  });
  return exporter.getFinishedSpans().find((s) => s.spanContext().spanId === id)!;
}

const executions = (handler: string) => exporter.getFinishedSpans().filter((s) => s.name === `task.execute ${handler}`);

describe('TaskTracing', () => {
  let queue: TaskQueue;

  beforeEach(async () => {
    exporter.reset();
    queue = createTaskQueue({ logger: false });
    queue.observe(await TaskTracing.create({ tracerProvider: provider }));
  });

  afterEach(() => queue.close());

  it('runs each attempt in a span that is a child of the span active at schedule()', async () => {
    let active: string | undefined;
    queue.registerHandler('send-email', {
      execute: async () => {
        active = trace.getActiveSpan()?.spanContext().spanId;
        tracer.startSpan('smtp.send').end();
      },
    });
    await queue.start();
    let taskId = '';
    const request = await inSpan('POST /signup', async () => {
      taskId = await queue.schedule('send-email', { to: 'a@b.c' }, { metadata: { tenant: 't1' } });
    });
    await queue.whenIdle();

    const [execution] = executions('send-email');
    expect(execution).toBeDefined();
    expect(execution!.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(execution!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(execution!.kind).toBe(SpanKind.CONSUMER);
    expect(execution!.status.code).toBe(SpanStatusCode.UNSET);
    expect(execution!.attributes).toEqual({
      'messaging.system': 'nest-task-queue',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'execute',
      'messaging.destination.name': 'send-email',
      'messaging.message.id': taskId,
      'task_queue.attempt': 1,
    });
    // The handler runs inside the span, so its own spans nest under it.
    expect(active).toBe(execution!.spanContext().spanId);
    const smtp = exporter.getFinishedSpans().find((s) => s.name === 'smtp.send')!;
    expect(smtp.parentSpanContext?.spanId).toBe(execution!.spanContext().spanId);

    // The link is stored with the task, next to the caller's metadata, so it survives any store.
    const { traceId, spanId } = request.spanContext();
    expect((await queue.getTask(taskId))!.metadata).toEqual({
      tenant: 't1',
      [TRACEPARENT]: `00-${traceId}-${spanId}-01`,
    });
  });

  it('gives every attempt its own span under the same parent, failures marked as errors', async () => {
    queue.registerHandler('flaky', {
      execute: async (_args: unknown, ctx: TaskContext) => {
        if (ctx.attempt === 1) throw new TypeError('first attempt fails');
      },
    });
    await queue.start();
    const request = await inSpan('POST /jobs', () =>
      queue.schedule('flaky', undefined, { maxRetries: 1, retryStrategy: new FixedDelayRetryStrategy(0) }),
    );
    await queue.whenIdle();

    const spans = executions('flaky').sort(
      (a, b) => Number(a.attributes['task_queue.attempt']) - Number(b.attributes['task_queue.attempt']),
    );
    expect(spans.map((s) => s.attributes['task_queue.attempt'])).toEqual([1, 2]);
    for (const span of spans) expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(spans[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'first attempt fails' });
    expect(spans[0]!.attributes['error.type']).toBe('TypeError');
    expect(spans[0]!.events.map((e) => e.name)).toEqual(['exception']);
    expect(spans[1]!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a span failed when the attempt timed out, even if the handler returned', async () => {
    queue.registerHandler('slow', {
      execute: (_args: unknown, ctx: TaskContext) =>
        new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('ignored the signal'))),
    });
    await queue.start();
    await queue.schedule('slow', undefined, { timeout: 10 });
    await queue.whenIdle();
    const [span] = executions('slow');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe(TaskTimeoutError.name);
  });

  it('starts a root span for a task scheduled with no span active', async () => {
    queue.registerHandler('nightly', { execute: async () => {} });
    await queue.start();
    const id = await queue.schedule('nightly');
    await queue.whenIdle();
    const [span] = executions('nightly');
    expect(span!.parentSpanContext).toBeUndefined();
    expect((await queue.getTask(id))!.metadata).toBeUndefined();
  });

  it('keeps a traceparent the caller put in the metadata', async () => {
    queue.registerHandler('imported', { execute: async () => {} });
    await queue.start();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await inSpan('POST /import', () => queue.schedule('imported', undefined, { metadata: { traceparent } }));
    await queue.whenIdle();
    const [span] = executions('imported');
    expect(span!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('ignores a malformed traceparent', async () => {
    queue.registerHandler('odd', { execute: async () => {} });
    await queue.start();
    await queue.schedule('odd', undefined, { metadata: { traceparent: 'ff-not-a-trace' } });
    await queue.whenIdle();
    expect(executions('odd')[0]!.parentSpanContext).toBeUndefined();
  });

  it('links across processes through the store: one app schedules, another runs', async () => {
    // Two engines on one store, as two processes on Redis or PostgreSQL: only the stored metadata links them.
    const store = new InMemoryTaskStore();
    const producer = new TaskQueue({ store, autoStart: false, logger: false });
    const worker = new TaskQueue({ store, logger: false });
    for (const q of [producer, worker]) {
      q.registerHandler('report', { execute: async () => {} });
      q.observe(await TaskTracing.create({ tracerProvider: provider }));
    }
    try {
      await producer.start();
      const request = await inSpan('POST /reports', () => producer.schedule('report', { month: '2026-11' }));
      await worker.start();
      await worker.whenIdle();
      const [span] = executions('report');
      expect(span!.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(span!.parentSpanContext).toMatchObject({ spanId: request.spanContext().spanId, isRemote: true });
    } finally {
      await worker.close();
      await producer.close();
    }
  });
});
