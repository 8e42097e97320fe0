import { jest } from '@jest/globals';
import { InMemoryTaskStore, TaskHandler, TaskStatus, type ClaimBatch, type ClaimRequest, type ITaskHandler } from '../../lib/index.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

/** A store whose claims fail while `down` is set, counting every claim. */
class FlakyStore extends InMemoryTaskStore {
  down = false;
  claims = 0;
  override claim(request: ClaimRequest): Promise<ClaimBatch> {
    this.claims++;
    return this.down ? Promise.reject(new Error('connection lost')) : super.claim(request);
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
