import { jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InMemoryTaskStore, RedisTaskStore, TASK_STORE, TaskQueueModule, TaskScheduler } from 'nest-task-queue';
import { MailService, SendWelcomeEmailTask, UsersService } from './app.module.js';

// The app as production runs it: on Redis (or PostgreSQL), here by forRoot; forRootAsync works alike.
@Module({
  imports: [TaskQueueModule.forRoot({ store: new RedisTaskStore({ connection: 'redis://redis:6379' }) })],
  providers: [MailService, SendWelcomeEmailTask, UsersService],
})
class AppModule {}

afterEach(() => jest.useRealTimers());

it('runs the tasks of a Redis app in memory, checked as Redis would check them', async () => {
  jest.useFakeTimers();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TASK_STORE)
    .useValue(new InMemoryTaskStore({ serialization: 'json' }))
    .compile();
  const app = await moduleRef.init(); // Redis is never contacted
  const scheduler = app.get(TaskScheduler);

  await app.get(UsersService).register('ada@example.com');
  await jest.advanceTimersByTimeAsync(5 * 60_000);
  await scheduler.whenIdle();
  expect(app.get(MailService).sent).toEqual(['ada@example.com']);
  await app.close();
});
