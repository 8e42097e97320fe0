import { jest } from '@jest/globals'; // ESM jest (Nest 12); CommonJS jest has `jest` as a global
import { Test } from '@nestjs/testing';
import { TaskScheduler } from 'nest-task-queue';
import { AppModule, MailService, UsersService } from './app.module.js';

afterEach(() => jest.useRealTimers());

it('sends the welcome email five minutes after sign-up', async () => {
  jest.useFakeTimers();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await moduleRef.init();
  const scheduler = app.get(TaskScheduler);

  await app.get(UsersService).register('ada@example.com');
  await jest.advanceTimersByTimeAsync(5 * 60_000 - 1);
  await scheduler.whenIdle();
  expect(app.get(MailService).sent).toEqual([]);

  await jest.advanceTimersByTimeAsync(1);
  await scheduler.whenIdle();
  expect(app.get(MailService).sent).toEqual(['ada@example.com']);
  await app.close();
});
