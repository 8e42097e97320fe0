import { jest } from '@jest/globals';
import { Injectable, Logger } from '@nestjs/common';
import { TaskAbortedError, TaskHandler, TaskStatus, type ITaskHandler, type TaskContext } from '../../lib/index.js';
import { closeAfterEach, gate, startTestApp, type TestApp } from '../support/task-queue-app.js';

@Injectable()
class Progress {
  readonly done: string[] = [];
  readonly aborts: unknown[] = [];
  release = gate();
}

@TaskHandler('slow')
class SlowTask implements ITaskHandler {
  constructor(private readonly progress: Progress) {}
  async execute(_args: unknown, ctx: TaskContext) {
    await this.progress.release.promise;
    this.progress.done.push(ctx.taskId);
  }
}

@TaskHandler('stubborn')
class StubbornTask implements ITaskHandler {
  constructor(private readonly progress: Progress) {}
  execute(_args: unknown, ctx: TaskContext) {
    return new Promise<void>((_resolve, reject) =>
      ctx.signal.addEventListener('abort', () => {
        this.progress.aborts.push(ctx.signal.reason);
        reject(ctx.signal.reason);
      }),
    );
  }
}

let app: TestApp | undefined;
closeAfterEach(
  () => app,
  () => jest.restoreAllMocks(),
);
const start = (queue = {}) =>
  startTestApp({ queue, providers: [Progress, SlowTask, StubbornTask] }).then((started) => (app = started));

it('on shutdown, stops claiming and waits for running tasks to finish', async () => {
  const { scheduler, app: nest } = await start();
  const id = await scheduler.schedule(SlowTask);
  await app!.nextEvent((e) => e.type === 'started');
  const progress = nest.get(Progress);
  let closed = false;
  const closing = app!.close().then(() => (closed = true));
  app = undefined;
  await new Promise((resolve) => setImmediate(resolve));
  expect(closed).toBe(false);
  progress.release.open();
  await closing;
  expect(progress.done).toEqual([id]);
});

it('aborts tasks still running after shutdownTimeout with TaskAbortedError', async () => {
  const { scheduler, app: nest } = await start({ shutdownTimeout: 50 });
  await scheduler.schedule(StubbornTask);
  await app!.nextEvent((e) => e.type === 'started');
  await app!.close();
  app = undefined;
  expect(nest.get(Progress).aborts).toEqual([expect.any(TaskAbortedError)]);
});

it('logs how many pending tasks the in-memory store drops at shutdown', async () => {
  const warn = jest.spyOn(Logger.prototype, 'warn');
  const { scheduler } = await start({ logger: 'warn' });
  await scheduler.schedule(SlowTask, undefined, { delay: 60_000 });
  await scheduler.schedule(SlowTask, undefined, { delay: 60_000 });
  await app!.close();
  app = undefined;
  expect(warn).toHaveBeenCalledWith(
    'Dropping 2 pending task(s): the in-memory store keeps nothing after the application stops',
  );
});

it('with autoStart false, only schedules (producer-only process)', async () => {
  const { scheduler } = await start({ autoStart: false });
  const id = await scheduler.schedule(SlowTask);
  await scheduler.whenIdle();
  expect((await scheduler.getTask(id))!.status).toBe(TaskStatus.Pending);
});
