import { jest } from '@jest/globals';
import {
  createTaskQueue,
  InMemoryTaskStore,
  TaskCancelledError,
  TaskQueue,
  TaskTimeoutError,
  type ClaimBatch,
  type ClaimRequest,
  type Lease,
  type TaskContext,
  type TaskEvent,
} from '../../lib/index.js';
import { Messages } from '../../lib/task-queue.messages.js';

const capture = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() });

function nextEvent(queue: TaskQueue, type: TaskEvent['type']): Promise<TaskEvent> {
  return new Promise((resolve) => {
    const remove = queue.observe({ onTaskEvent: (event) => event.type === type && (remove(), resolve(event)) });
  });
}

/** A handler that runs until its signal aborts, and records the reason. */
const waitsForAbort = (aborts: unknown[]) => ({
  execute: (_args: unknown, ctx: TaskContext) =>
    new Promise((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => {
        aborts.push(ctx.signal.reason);
        reject(ctx.signal.reason);
      });
    }),
});

/** Refuses every report as from a stale lease (as if the task had been taken over by another worker). */
class StaleLeaseStore extends InMemoryTaskStore {
  override complete(lease: Lease, result?: unknown): Promise<boolean> {
    return super.complete({ ...lease, token: 'stale' }, result);
  }
}

let queue: TaskQueue | undefined;
afterEach(async () => {
  jest.restoreAllMocks();
  await queue?.close();
  queue = undefined;
});

it('a cancel reaches a task that is draining at shutdown (through the store signal)', async () => {
  queue = createTaskQueue({ logLevel: false });
  const aborts: unknown[] = [];
  queue.registerHandler('waits', waitsForAbort(aborts));
  await queue.start();
  const started = nextEvent(queue, 'started');
  const id = await queue.schedule('waits');
  await started;
  const stopping = queue.stop();
  expect(queue.workerStatus.state).toBe('stopping');
  expect(await queue.cancel(id)).toBe(true);
  await stopping;
  expect(aborts).toEqual([expect.any(TaskCancelledError)]);
});

it('a refused outcome is logged once, by the store', async () => {
  const logger = capture();
  queue = createTaskQueue({ store: new StaleLeaseStore(), logger });
  queue.registerHandler('noop', { execute: () => 'done' });
  await queue.start();
  const id = await queue.schedule('noop');
  await queue.whenIdle();
  expect(logger.warn.mock.calls).toEqual([[Messages.leaseLost(id)]]);
});

describe('after stop() and start() (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('a delayed task still runs when due (the wake timer is armed again)', async () => {
    queue = createTaskQueue({ logLevel: false });
    const ran: string[] = [];
    queue.registerHandler('noop', { execute: (_args: unknown, ctx: TaskContext) => void ran.push(ctx.taskId) });
    await queue.start();
    const id = await queue.schedule('noop', undefined, { delay: 1_000 });
    await queue.stop();
    await queue.start();
    await jest.advanceTimersByTimeAsync(1_000);
    await queue.whenIdle();
    expect(ran).toEqual([id]);
  });

  it('a timeout still aborts (the deadline timer is armed again)', async () => {
    queue = createTaskQueue({ logLevel: false });
    const aborts: unknown[] = [];
    queue.registerHandler('quick', { execute: () => 'done' });
    queue.registerHandler('waits', waitsForAbort(aborts));
    await queue.start();
    // Ends long before its deadline: the deadline timer stays armed for it when the worker stops.
    await queue.schedule('quick', undefined, { timeout: 5_000 });
    await queue.whenIdle();
    await queue.stop();
    await queue.start();
    await queue.schedule('waits', undefined, { timeout: 10_000 });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(aborts).toEqual([expect.any(TaskTimeoutError)]);
    await queue.whenIdle();
  });
});

it('claims again after a failed claim even when the backoff timer fires before Date.now() says it ended', async () => {
  const realNow = Date.now.bind(Date);
  const lagClock = () => jest.spyOn(Date, 'now').mockImplementation(() => realNow() - 50);
  const logger = {
    ...capture(),
    // After the backoff's end was taken from the true clock: from now on Date.now() reads 50 ms behind.
    warn: (message: unknown) => void (String(message).startsWith('Could not claim') && setTimeout(lagClock, 0)),
  };
  let refusals = 1;
  const store = new (class extends InMemoryTaskStore {
    override claim(request: ClaimRequest): Promise<ClaimBatch> {
      return refusals-- > 0 ? Promise.reject(new Error('connection refused')) : super.claim(request);
    }
  })();
  queue = createTaskQueue({ store, logger });
  queue.registerHandler('noop', { execute: () => 'done' });
  await queue.start();
  const succeeded = nextEvent(queue, 'succeeded');
  await queue.schedule('noop');
  await succeeded;
});
