import { jest } from '@jest/globals';
import {
  InMemoryTaskStore,
  TaskHandler,
  TaskStatus,
  type ClaimBatch,
  type ClaimRequest,
  type ITaskHandler,
  type TaskContext,
} from '../../lib/index.js';
import { Messages } from '../../lib/task-queue.messages.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

const LEASE_TIME = 1_000;

/** A store whose next claim that takes tasks is answered `stallMs` late (a stalled network, a paused process). */
class StallingStore extends InMemoryTaskStore {
  stallMs = 0;
  override async claim(request: ClaimRequest): Promise<ClaimBatch> {
    const batch = await super.claim(request);
    const stall = batch.tasks.length > 0 ? this.stallMs : 0;
    if (stall > 0) {
      this.stallMs = 0;
      await new Promise((resolve) => setTimeout(resolve, stall));
    }
    return batch;
  }
}

const attemptsRun: number[] = [];

@TaskHandler('record')
class RecordTask implements ITaskHandler {
  execute(_args: unknown, ctx: TaskContext) {
    attemptsRun.push(ctx.attempt);
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);
beforeEach(() => (attemptsRun.length = 0));

it.each([
  ['after its lease expired', LEASE_TIME + 500],
  ['too close to its lease expiry to renew it in time', LEASE_TIME * 0.8],
])('hands back unstarted a task whose claim was answered %s; the next claim runs it', async (_, stallMs) => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  const store = new StallingStore({ leaseTime: LEASE_TIME });
  app = await startTestApp({ queue: { store, logger: false }, providers: [RecordTask] });
  await app.scheduler.whenIdle();
  store.stallMs = stallMs;
  const id = await app.scheduler.schedule('record');
  await jest.advanceTimersByTimeAsync(stallMs);
  await app.scheduler.whenIdle();
  expect(attemptsRun).toEqual([2]);
  const task = (await app.scheduler.getTask(id))!;
  expect(task).toMatchObject({ status: TaskStatus.Succeeded, attempts: 2 });
  expect(task.lastError?.message).toBe(Messages.staleClaim(id, stallMs, LEASE_TIME));
});

it('starts a task whose claim was answered late but with time to renew its lease', async () => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  const store = new StallingStore({ leaseTime: LEASE_TIME });
  app = await startTestApp({ queue: { store, logger: false }, providers: [RecordTask] });
  await app.scheduler.whenIdle();
  store.stallMs = LEASE_TIME / 2;
  const id = await app.scheduler.schedule('record');
  await jest.advanceTimersByTimeAsync(LEASE_TIME / 2);
  await app.scheduler.whenIdle();
  expect(attemptsRun).toEqual([1]);
  expect(await app.scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Succeeded, attempts: 1 });
});
