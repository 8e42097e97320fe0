// Worker apps with their own handler sets on one store (issue 10): each runs only its handlers' tasks; a task
// claimed by an app without its handler (a store that ignores ClaimRequest.handlers) is handed back, never failed.
import { jest } from '@jest/globals';
import { defineTask, InMemoryTaskStore, TaskHandler, TaskStatus, type TaskQueueLogger } from '../../lib/index.js';
import { DeploymentMessages } from '../../lib/engine/deployments/deployment.messages.js';
import { startTestApp, type TestApp } from '../support/task-queue-app.js';
import { ignoringHandlers } from './support/deployment-stores.js';

const Resize = defineTask<{ i: number }, string>('resize-image');
const Invoice = defineTask<{ i: number }, string>('send-invoice');

/** Which app ran each task: the handler returns its app's label. */
let labels = new Map<object, string>();
@TaskHandler(Resize)
class ResizeTask {
  execute() {
    return labels.get(ResizeTask) ?? '?';
  }
}
@TaskHandler(Invoice)
class InvoiceTask {
  execute() {
    return labels.get(InvoiceTask) ?? '?';
  }
}

describe('worker apps with their own handler sets', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    labels = new Map();
  });
  const start = async (store: InMemoryTaskStore, provider: object, logger?: TaskQueueLogger) => {
    const app = await startTestApp({
      queue: { store, concurrency: 8, ...(logger ? { logger } : {}) },
      providers: [provider as never],
    });
    apps.push(app);
    return app;
  };

  it('two apps with disjoint handlers on one store: 1,000 tasks, each succeeds on the app that has its handler', async () => {
    const store = new InMemoryTaskStore();
    labels.set(ResizeTask, 'images-app');
    labels.set(InvoiceTask, 'billing-app');
    const images = await start(store, ResizeTask);
    await start(store, InvoiceTask);
    const ids = await images.scheduler.scheduleMany(
      Array.from({ length: 1_000 }, (_, i) => ({ handler: i % 2 ? Invoice : Resize, args: { i } })),
    );
    const done = await Promise.all(ids.map((id) => images.scheduler.waitFor(id)));
    for (const task of done) {
      expect(task).toMatchObject({ status: TaskStatus.Succeeded, attempts: 1 });
      expect(task.result).toBe(task.handler === 'resize-image' ? 'images-app' : 'billing-app');
    }
  });

  it('a store that ignores handlers: the task is handed back (warned once), never failed, and runs on its app', async () => {
    const store = ignoringHandlers(new InMemoryTaskStore());
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const images = await start(store, ResizeTask, logger);
    const ids = [
      await images.scheduler.schedule(Invoice, { i: 1 }),
      await images.scheduler.schedule(Invoice, { i: 2 }),
    ];
    const warned = () => logger.warn.mock.calls.filter(([m]) => m === DeploymentMessages.foreignTask('send-invoice'));
    await images.scheduler.whenIdle();
    expect(warned()).toHaveLength(1);
    for (const id of ids) expect((await images.scheduler.getTask(id))!.status).toBe(TaskStatus.Pending);
    // The billing app alone claims from here: with both apps on the store, the images app's timer for the end of
    // each hand-back's hold may fire first every time, and it hands the tasks back again.
    apps.splice(apps.indexOf(images), 1);
    await images.close();
    labels.set(InvoiceTask, 'billing-app');
    const billing = await start(store, InvoiceTask);
    for (const id of ids) {
      const task = await billing.scheduler.waitFor(id);
      expect(task).toMatchObject({ status: TaskStatus.Succeeded, result: 'billing-app' });
    }
    expect(warned()).toHaveLength(1);
  });
});
