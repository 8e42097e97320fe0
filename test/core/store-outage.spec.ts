import { jest } from '@jest/globals';
import {
  InMemoryTaskStore,
  TaskHandler,
  TaskStatus,
  type ClaimBatch,
  type ClaimRequest,
  type ITaskHandler,
  type StoreSignal,
} from '../../lib/index.js';
import { connectionEvents } from '../../lib/stores/shared/connection-events.js';
import { StoreSignalBus } from '../../lib/stores/shared/store-signal-bus.js';
import { closeAfterEach, gate, startTestApp, type TestApp } from '../support/task-queue-app.js';

/**
 * A store whose claims fail while `down` is set, counting every claim; `hold` keeps the next failing claim on its
 * way until opened. `reconnect()` is back up, with the signal a durable store sends then (connection-events.ts).
 */
class FlakyStore extends InMemoryTaskStore {
  down = false;
  claims = 0;
  hold: ReturnType<typeof gate<void>> | undefined;
  private readonly bus = new StoreSignalBus(0);
  private readonly events = connectionEvents('the test server', 'nowhere', this.bus, undefined);

  override claim(request: ClaimRequest): Promise<ClaimBatch> {
    this.claims++;
    if (!this.down) return super.claim(request);
    const held = this.hold?.promise ?? Promise.resolve();
    this.hold = undefined;
    return held.then(() => Promise.reject(new Error('connection lost')));
  }

  override subscribe(listener: (signal: StoreSignal) => void): () => void {
    const own = super.subscribe(listener);
    const bus = this.bus.subscribe(listener);
    return () => {
      own();
      bus();
    };
  }

  reconnect(): void {
    this.down = false;
    this.events.reconnected();
  }
}

@TaskHandler('noop')
class NoopTask implements ITaskHandler {
  execute() {
    return 'ran';
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);

it('backs off while claims fail, and runs the waiting tasks once the store answers again', async () => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  const store = new FlakyStore();
  app = await startTestApp({ queue: { store, logger: false }, providers: [NoopTask] });
  await app.scheduler.whenIdle();
  store.down = true;
  store.claims = 0;
  const ids = [];
  for (let i = 0; i < 50; i++) ids.push(await app.scheduler.schedule('noop')); // each schedule wakes the worker
  await jest.advanceTimersByTimeAsync(1_000);
  // Backoff 100, 200, 400 ms...: a handful of claims in a second, not one per wake-up.
  expect(store.claims).toBeGreaterThanOrEqual(3);
  expect(store.claims).toBeLessThanOrEqual(6);
  store.down = false;
  await jest.advanceTimersByTimeAsync(2_000);
  await app.scheduler.whenIdle();
  for (const id of ids) expect((await app.scheduler.getTask(id))!.status).toBe(TaskStatus.Succeeded);
});

/** Down long enough that the claim backoff reached 12.8 s: the reconnection must not wait for it. */
async function startDuringOutage(): Promise<{ store: FlakyStore; ids: string[] }> {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  const store = new FlakyStore();
  app = await startTestApp({ queue: { store, logger: false }, providers: [NoopTask] });
  await app.scheduler.whenIdle();
  store.down = true;
  store.claims = 0;
  const ids = [await app.scheduler.schedule('noop'), await app.scheduler.schedule('noop')];
  // Claims at 0, 0.1, 0.3, 0.7, 1.5, 3.1, 6.3 and 12.7 s; the next one would be at 25.5 s.
  await jest.advanceTimersByTimeAsync(13_000);
  expect(store.claims).toBe(8);
  return { store, ids };
}

it('claims at once when the store reconnects, however long the claim backoff', async () => {
  const { store, ids } = await startDuringOutage();
  store.reconnect();
  await jest.advanceTimersByTimeAsync(10);
  for (const id of ids) expect((await app!.scheduler.getTask(id))!.status).toBe(TaskStatus.Succeeded);
});

it('claims again at once when a claim sent before the store reconnected fails after it', async () => {
  const { store, ids } = await startDuringOutage();
  const held = gate();
  store.hold = held;
  // A safety-poll-like wake: the backoff is over for this one claim, which then waits for the dead connection.
  await jest.advanceTimersByTimeAsync(13_000);
  expect(store.hold).toBeUndefined();
  store.reconnect();
  held.open();
  await jest.advanceTimersByTimeAsync(10);
  for (const id of ids) expect((await app!.scheduler.getTask(id))!.status).toBe(TaskStatus.Succeeded);
});
