import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  defineTask,
  InMemoryTaskStore,
  RateLimitedError,
  TaskHandler,
  TaskQueueModule,
  TaskScheduler,
  type ITaskHandler,
  type TaskArgs,
  type TaskResult,
} from 'nest-task-queue';

// contracts.ts, shared by every app: a name, defaults and types; no handler class, no dependency.
export const SendEmail = defineTask<{ email: string }, { messageId: string }>('send-email', {
  maxRetries: 3,
  rateLimit: { limit: 100, interval: 60_000 }, // 100 starts a minute, cluster-wide (per rateLimitKey if given)
});
export const ResizeImage = defineTask<{ url: string }>('resize-image', { globalConcurrency: 5 });

// A stand-in for the partner's API.
const partner = { send: async (email: string) => ({ status: 200, id: `m-${email}`, retryAfterMs: 0 }) };

// The mail worker app runs send-email only; an image worker app would run resize-image.
@TaskHandler(SendEmail, { concurrency: 10 }) // name and defaults from the contract; options add to them
class SendEmailTask implements ITaskHandler<TaskArgs<typeof SendEmail>, TaskResult<typeof SendEmail>> {
  async execute({ email }: { email: string }) {
    const response = await partner.send(email);
    if (response.status === 429) throw new RateLimitedError(response.retryAfterMs); // uses up no retry
    return { messageId: response.id };
  }
}

// In production every app gets the same durable store (one Redis prefix, one PostgreSQL schema).
const store = new InMemoryTaskStore();

@Module({ imports: [TaskQueueModule.forRoot({ store })], providers: [SendEmailTask] })
class MailWorkerModule {}

@Module({ imports: [TaskQueueModule.forRoot({ store, autoStart: false })] }) // the API app only schedules
class ApiModule {}

it('an API app schedules by contract; the mail worker runs it; pause holds it in every app', async () => {
  const worker = await (await Test.createTestingModule({ imports: [MailWorkerModule] }).compile()).init();
  const api = await (await Test.createTestingModule({ imports: [ApiModule] }).compile()).init();
  const scheduler = api.get(TaskScheduler);

  const id = await scheduler.schedule(SendEmail, { email: 'a@b.c' }, { rateLimitKey: 'tenant:42' });
  expect(await scheduler.waitFor(id)).toMatchObject({ status: 'succeeded', result: { messageId: 'm-a@b.c' } });

  await scheduler.pause(SendEmail); // no attempt of it starts anywhere; running ones finish
  const later = await scheduler.schedule(SendEmail, { email: 'd@e.f' }); // stays pending
  expect(await scheduler.isPaused(SendEmail)).toBe(true);
  await scheduler.resume(SendEmail); // the workers wake at once
  expect((await scheduler.waitFor(later)).status).toBe('succeeded');

  const workers = await scheduler.listWorkers(); // the live workers and the handlers each runs
  expect(workers.map((w) => w.handlers)).toEqual([['send-email']]);
  await api.close();
  await worker.close();
});
