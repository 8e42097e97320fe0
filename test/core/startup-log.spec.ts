import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import {
  createTaskQueue,
  TaskHandler,
  TaskQueue,
  TaskQueueModule,
  type ITaskHandler,
  type TaskQueueLogger,
} from '../../lib/index.js';
import { PostgresTaskStore } from '../../lib/stores/postgres/postgres-task.store.js';
import { RedisTaskStore } from '../../lib/stores/redis/redis-task.store.js';
import { Messages } from '../../lib/task-queue.messages.js';

const capture = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() }) satisfies TaskQueueLogger;
const IN_MEMORY = 'the in-memory store (this process only)';

@TaskHandler('send-email')
class SendEmailTask implements ITaskHandler {
  execute() {}
}

@TaskHandler()
class ResizeImageTask implements ITaskHandler {
  execute() {}
}

let queue: TaskQueue | undefined;
afterEach(() => queue?.close());

it('logs once at start-up, at log level: the store, the handlers, the concurrency, that the worker runs', async () => {
  const logger = capture();
  queue = createTaskQueue({ logger, concurrency: 4 });
  queue.registerHandler('a', { execute: () => undefined });
  queue.registerHandler('b', { execute: () => undefined });
  await queue.start();
  await queue.start();
  expect(logger.log.mock.calls).toEqual([
    ['Task queue on the in-memory store (this process only); 2 handler(s): a, b; worker running, concurrency 4'],
  ]);
  expect(logger.log.mock.calls[0]![0]).toBe(Messages.started(IN_MEMORY, ['a', 'b'], 4, true));
});

it('says when this process runs no worker, and logs nothing below its logLevel', async () => {
  const logger = capture();
  queue = createTaskQueue({ logger, autoStart: false });
  await queue.start();
  expect(logger.log).toHaveBeenCalledWith(
    'Task queue on the in-memory store (this process only); 0 handler(s); no worker in this process (autoStart: false)',
  );
  await queue.close();
  const quiet = capture();
  queue = createTaskQueue({ logger: quiet, logLevel: 'warn' });
  await queue.start();
  expect(quiet.log).not.toHaveBeenCalled();
});

it('through the Nest module: the handlers it found', async () => {
  const logger = capture();
  const moduleRef = await Test.createTestingModule({
    imports: [TaskQueueModule.forRoot({ logger })],
    providers: [SendEmailTask, ResizeImageTask],
  }).compile();
  const app = await moduleRef.init();
  await app.close();
  expect(logger.log).toHaveBeenCalledTimes(1);
  expect(logger.log).toHaveBeenCalledWith(Messages.started(IN_MEMORY, ['send-email', 'ResizeImageTask'], 10, true));
});

it('names a durable store by its target, without secrets', () => {
  const postgres = new PostgresTaskStore({
    connectionString: 'postgres://app:s3cret@db.internal:6432/orders',
    schema: 'jobs',
  });
  expect(postgres.describe()).toBe('PostgreSQL at db.internal:6432/orders schema jobs');
  const redis = new RedisTaskStore({ connection: 'redis://:s3cret@127.0.0.1:6379', prefix: 'mail' });
  expect(redis.describe()).toBe('Redis at (not connected) prefix mail');
});
