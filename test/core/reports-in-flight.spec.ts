import {
  FixedDelayRetryStrategy,
  InMemoryTaskStore,
  TaskHandler,
  TaskStatus,
  type ITaskHandler,
  type Lease,
  type TaskContext,
  type TaskError,
} from '../../lib/index.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

// On a remote store a worker's slot is free once the handler settled: the next claim goes out while the report is
// on its way, not a round trip after it. At most one report per slot is so freed, and concurrency still holds.

/**
 * A store that records reports at once and answers them only when released, as a slow network would. Its methods
 * are overridden, so the worker takes it for a remote store (no synchronous path).
 */
class SlowAnswersStore extends InMemoryTaskStore {
  private held: (() => void)[] = [];
  private onReport: (() => void) | undefined;

  override async complete(lease: Lease, result?: unknown): Promise<boolean> {
    return this.answerLater(await super.complete(lease, result));
  }
  override async fail(lease: Lease, error: TaskError, retryInMs: number | null): Promise<boolean> {
    return this.answerLater(await super.fail(lease, error, retryInMs));
  }

  /** Resolves once `n` reports wait for their answer. */
  reportsHeld(n: number): Promise<void> {
    if (this.held.length >= n) return Promise.resolve();
    return new Promise((resolve) => {
      this.onReport = () => {
        if (this.held.length < n) return;
        this.onReport = undefined;
        resolve();
      };
    });
  }

  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  private answerLater(recorded: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      this.held.push(() => resolve(recorded));
      this.onReport?.();
    });
  }
}

/** Lets every pending promise job and I/O callback run: what the worker would do next, it has done. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

const started: string[] = [];
let runningNow = 0;
let mostAtOnce = 0;
let gate: Promise<void> = Promise.resolve();

@TaskHandler('step')
class StepTask implements ITaskHandler<{ name: string; failFirst?: boolean }> {
  async execute(args: { name: string; failFirst?: boolean }, ctx: TaskContext) {
    started.push(`${args.name}#${ctx.attempt}`);
    mostAtOnce = Math.max(mostAtOnce, ++runningNow);
    try {
      if (args.failFirst && ctx.attempt === 1) throw new Error('first attempt fails');
      if (ctx.attempt > 1) await gate;
    } finally {
      runningNow--;
    }
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);
beforeEach(() => {
  started.length = 0;
  runningNow = mostAtOnce = 0;
  gate = Promise.resolve();
});

async function startOn(store: SlowAnswersStore) {
  app = await startTestApp({
    queue: {
      store,
      concurrency: 1,
      logger: false,
      defaultMaxRetries: 1,
      defaultRetryStrategy: new FixedDelayRetryStrategy(0),
    },
    providers: [StepTask],
  });
  return app.scheduler;
}

it('claims the next task while the report of the last one is on its way, one report per slot', async () => {
  const store = new SlowAnswersStore();
  const scheduler = await startOn(store);
  const ids = await scheduler.scheduleMany(['a', 'b', 'c'].map((name) => ({ handler: 'step', args: { name } })));

  await store.reportsHeld(2);
  await settle();
  // a's report freed its slot: b ran before it was answered. b's would be a second one: c waits for an answer.
  expect(started).toEqual(['a#1', 'b#1']);
  expect((await scheduler.getTask(ids[2]!))!.status).toBe(TaskStatus.Pending);

  store.release();
  await store.reportsHeld(1);
  store.release();
  await scheduler.whenIdle();
  expect(started).toEqual(['a#1', 'b#1', 'c#1']);
  expect(mostAtOnce).toBe(1);
  for (const id of ids) expect((await scheduler.getTask(id))!.status).toBe(TaskStatus.Succeeded);
});

it('keeps concurrency when a retry due at once starts before its failed attempt was answered', async () => {
  const store = new SlowAnswersStore();
  const scheduler = await startOn(store);
  let open!: () => void;
  gate = new Promise((resolve) => (open = resolve));
  const first = await scheduler.schedule('step', { name: 'a', failFirst: true });

  // a#1 failed; its retry, due at once, runs (and waits at the gate) while the failure's answer is on its way.
  await app!.nextEvent((event) => event.type === 'started' && event.attempt === 2);
  await store.reportsHeld(1);
  expect(started).toEqual(['a#1', 'a#2']);
  const second = await scheduler.schedule('step', { name: 'b' });
  await settle();
  expect(started).toEqual(['a#1', 'a#2']); // one slot, and a#2 holds it

  store.release();
  open();
  for (let answered = 0; answered < 2; answered++) {
    await store.reportsHeld(1);
    store.release();
  }
  await scheduler.whenIdle();
  expect(started).toEqual(['a#1', 'a#2', 'b#1']);
  expect(mostAtOnce).toBe(1);
  expect((await scheduler.getTask(first))!.status).toBe(TaskStatus.Succeeded);
  expect((await scheduler.getTask(second))!.status).toBe(TaskStatus.Succeeded);
});
