import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createTaskQueue,
  FixedDelayRetryStrategy,
  TaskQueue,
  type TaskContext,
  type TaskEvent,
  type TaskObserver,
} from '../../lib/index.js';

/** The engine's hook for observability: events with their task, metadata stamps at schedule(), execution wrappers. */
describe('TaskObserver hooks', () => {
  let queue: TaskQueue;

  beforeEach(() => {
    queue = createTaskQueue({ logger: false });
  });

  afterEach(() => queue.close());

  it("stamps metadata from the caller's async context, the caller's own entries winning", async () => {
    const request = new AsyncLocalStorage<string>();
    queue.registerHandler('h', { execute: async (_args: unknown, ctx: TaskContext) => ctx.metadata });
    queue.observe({ stampMetadata: () => ({ requestId: request.getStore(), source: 'stamp' }) });
    queue.observe({ stampMetadata: () => undefined });
    await queue.start();
    const id = await request.run('req-1', () => queue.schedule('h', undefined, { metadata: { source: 'caller' } }));
    const [batch] = await request.run('req-2', () => queue.scheduleMany([{ handler: 'h' }]));
    await queue.whenIdle();
    expect((await queue.getTask(id))!.result).toEqual({ requestId: 'req-1', source: 'caller' });
    expect((await queue.getTask(batch!))!.metadata).toEqual({ requestId: 'req-2', source: 'stamp' });
  });

  it('runs each attempt through the wrappers, the first registered outermost', async () => {
    const order: string[] = [];
    queue.registerHandler('h', {
      execute: async () => {
        order.push('handler');
        return 42;
      },
    });
    const wrapper = (name: string): TaskObserver => ({
      wrapExecution: async (ctx, run) => {
        order.push(`${name}>${ctx.handler}#${ctx.attempt}`);
        const result = await run();
        order.push(`${name}<${String(result)}`);
        return result;
      },
    });
    queue.observe(wrapper('outer'));
    const remove = queue.observe(wrapper('inner'));
    await queue.start();
    const id = await queue.schedule('h');
    await queue.whenIdle();
    expect(order).toEqual(['outer>h#1', 'inner>h#1', 'handler', 'inner<42', 'outer<42']);
    expect((await queue.getTask(id))!.result).toBe(42);

    remove();
    order.length = 0;
    await queue.schedule('h');
    await queue.whenIdle();
    expect(order).toEqual(['outer>h#1', 'handler', 'outer<42']);
  });

  it('passes failures through wrappers, and skips a wrapper that throws before running the attempt', async () => {
    queue.registerHandler('ok', { execute: async () => 'ran' });
    queue.registerHandler('bad', {
      execute: async () => {
        throw new Error('handler failed');
      },
    });
    const seen: unknown[] = [];
    queue.observe({
      wrapExecution: (_ctx, run) => run().catch((error: unknown) => (seen.push(error), Promise.reject(error))),
    });
    queue.observe({
      wrapExecution: () => {
        throw new Error('observer bug');
      },
    });
    await queue.start();
    const ok = await queue.schedule('ok');
    const bad = await queue.schedule('bad');
    await queue.whenIdle();
    expect(await queue.getTask(ok)).toMatchObject({ status: 'succeeded', result: 'ran' });
    expect(await queue.getTask(bad)).toMatchObject({ status: 'failed', lastError: { message: 'handler failed' } });
    expect(seen).toEqual([new Error('handler failed')]);
  });

  it('hands observers the task beside the event, and keeps args out of the event', async () => {
    const seen: [TaskEvent, unknown][] = [];
    queue.registerHandler('h', { execute: async () => {} });
    queue.observe({ onTaskEvent: (event, task) => void seen.push([event, task.args]) });
    await queue.start();
    await queue.schedule('h', { secret: 's3cret' });
    await queue.whenIdle();
    expect(seen.map(([event, args]) => [event.type, args])).toEqual([
      ['scheduled', { secret: 's3cret' }],
      ['started', { secret: 's3cret' }],
      ['succeeded', { secret: 's3cret' }],
    ]);
    expect(JSON.stringify(seen.map(([event]) => event))).not.toContain('s3cret');
  });

  it('waits for a retry that is due at once, even when it starts before the failed attempt finished reporting', async () => {
    // Regression: the retry runs under the same task id; the failed attempt must not remove it from the worker.
    queue.registerHandler('flaky', {
      execute: async (_args: unknown, ctx: TaskContext) => {
        if (ctx.attempt === 1) throw new Error('once');
        return 'second time';
      },
    });
    queue.observe({ wrapExecution: (_ctx, run) => run() });
    await queue.start();
    const id = await queue.schedule('flaky', undefined, {
      maxRetries: 1,
      retryStrategy: new FixedDelayRetryStrategy(0),
    });
    await queue.whenIdle();
    expect(await queue.getTask(id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 'second time' });
    expect(queue.running).toBe(0);
  });

  it('reports the worker status for health checks', async () => {
    expect(queue.workerStatus).toEqual({ state: 'stopped', claimFailures: 0 });
    await queue.start();
    expect(queue.workerStatus).toEqual({ state: 'running', claimFailures: 0 });
    await queue.stop();
    expect(queue.workerStatus.state).toBe('stopped');
  });
});
