// Pause, resume and the worker registry (issue 10), through the scheduler, on one in-memory store shared by apps.
import {
  defineTask,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  StoreOperationUnsupportedError,
  TaskHandler,
  TaskStatus,
  UnknownTaskHandlerError,
} from '../../lib/index.js';
import { startTestApp, type TestApp } from '../support/task-queue-app.js';
import { withoutDeployments } from './support/deployment-stores.js';

const Report = defineTask<{ n: number }>('pausable-report');
const Mail = defineTask<{ n: number }>('pausable-mail');

@TaskHandler(Report)
class ReportTask {
  execute() {}
}
@TaskHandler(Mail)
class MailTask {
  execute() {}
}
class NotRegistered {
  execute() {}
}

describe('pause and resume', () => {
  const apps: TestApp[] = [];
  const start = async (store: InMemoryTaskStore, autoStart = true) => {
    const app = await startTestApp({ queue: { store, concurrency: 1, autoStart }, providers: [ReportTask, MailTask] });
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it("a paused handler's tasks stay pending while others run, in every app of the store; resume runs them", async () => {
    const store = new InMemoryTaskStore();
    const [producer, worker] = [await start(store, false), await start(store)];
    await producer.scheduler.pause(Report);
    expect(await worker.scheduler.isPaused(Report)).toBe(true);
    expect(await worker.scheduler.isPaused('pausable-report')).toBe(true);
    expect(await worker.scheduler.isPaused()).toBe(false);
    // Scheduled first (concurrency 1): were the pause not kept, it would run before the mail.
    const report = await producer.scheduler.schedule(Report, { n: 1 });
    const mail = await producer.scheduler.schedule(Mail, { n: 1 });
    await producer.scheduler.waitFor(mail);
    expect((await producer.scheduler.getTask(report))!.status).toBe(TaskStatus.Pending);
    await producer.scheduler.resume(Report);
    expect((await producer.scheduler.waitFor(report)).status).toBe(TaskStatus.Succeeded);
  });

  it('pause() without a handler pauses the whole queue; running and pending tasks are kept', async () => {
    const store = new InMemoryTaskStore();
    const app = await start(store);
    await app.scheduler.pause();
    expect(await app.scheduler.isPaused()).toBe(true);
    const ids = [await app.scheduler.schedule(Report, { n: 1 }), await app.scheduler.schedule(Mail, { n: 1 })];
    await app.scheduler.whenIdle();
    expect(await app.scheduler.counts()).toMatchObject({ pending: 2, running: 0 });
    await app.scheduler.resume();
    for (const id of ids) expect((await app.scheduler.waitFor(id)).status).toBe(TaskStatus.Succeeded);
  });

  it('names a handler by contract, class or name (one running elsewhere too); refuses bad ones', async () => {
    const app = await start(new InMemoryTaskStore());
    await app.scheduler.pause(ReportTask);
    await app.scheduler.pause('runs-in-another-app');
    expect(await app.scheduler.isPaused(Report)).toBe(true);
    expect(await app.scheduler.isPaused('runs-in-another-app')).toBe(true);
    await expect(app.scheduler.pause('')).rejects.toThrow(InvalidTaskOptionsError);
    await expect(app.scheduler.pause(NotRegistered)).rejects.toThrow(UnknownTaskHandlerError);
  });

  it('a store without deployments: pause, isPaused and listWorkers throw StoreOperationUnsupportedError', async () => {
    const app = await startTestApp({ queue: { store: withoutDeployments(new InMemoryTaskStore()) } });
    apps.push(app);
    await expect(app.scheduler.pause()).rejects.toThrow(StoreOperationUnsupportedError);
    await expect(app.scheduler.resume(Report)).rejects.toThrow(StoreOperationUnsupportedError);
    await expect(app.scheduler.isPaused()).rejects.toThrow(StoreOperationUnsupportedError);
    await expect(app.scheduler.listWorkers()).rejects.toThrow(StoreOperationUnsupportedError);
  });
});

describe('listWorkers', () => {
  it('shows each running worker of the store with its handlers, and drops it when it stops', async () => {
    const store = new InMemoryTaskStore();
    const before = Date.now();
    const worker = await startTestApp({ queue: { store, concurrency: 3 }, providers: [ReportTask] });
    const producer = await startTestApp({ queue: { store, autoStart: false } });
    try {
      const workers = await producer.scheduler.listWorkers();
      expect(workers).toEqual([
        {
          id: expect.stringContaining(String(process.pid)),
          hostname: expect.any(String),
          pid: process.pid,
          handlers: ['pausable-report'],
          concurrency: 3,
          running: 0,
          startedAt: expect.any(Date),
          lastSeenAt: expect.any(Date),
        },
      ]);
      expect(workers[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(before);
      await worker.close();
      expect(await producer.scheduler.listWorkers()).toEqual([]);
    } finally {
      await worker.close();
      await producer.close();
    }
  });
});
