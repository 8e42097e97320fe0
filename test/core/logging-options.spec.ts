import { jest } from '@jest/globals';
import {
  createTaskQueue,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  TaskQueue,
  type TaskQueueLogger,
} from '../../lib/index.js';
import { InMemoryMessages } from '../../lib/stores/in-memory/in-memory.messages.js';

const capture = (): TaskQueueLogger & Record<'warn' | 'debug', jest.Mock> => ({
  log: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
  debug: jest.fn(),
});

/** Closing a queue with a pending task makes the in-memory store warn: a log line to look for. */
async function closeWithPending(queue: TaskQueue): Promise<void> {
  queue.registerHandler('noop', { execute: () => undefined });
  await queue.schedule('noop', undefined, { delay: 60_000 });
  await queue.close();
}

afterEach(() => jest.restoreAllMocks());

it('logs through `logger` at `logLevel` and above', async () => {
  const logger = capture();
  await closeWithPending(createTaskQueue({ logger, logLevel: 'warn' }));
  expect(logger.warn).toHaveBeenCalledWith(InMemoryMessages.droppingPending(1));
  expect(logger.debug).not.toHaveBeenCalled();
});

it('`logLevel` false logs nothing', async () => {
  const logger = capture();
  await closeWithPending(createTaskQueue({ logger, logLevel: false }));
  expect(logger.warn).not.toHaveBeenCalled();
});

it('still reads a level or false given as `logger` (deprecated) as the level', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  await closeWithPending(createTaskQueue({ logger: false }));
  await closeWithPending(createTaskQueue({ logger: 'error' }));
  expect(warn).not.toHaveBeenCalled();
  await closeWithPending(createTaskQueue({ logger: 'warn' }));
  expect(warn).toHaveBeenCalledWith(`[TaskQueue] ${InMemoryMessages.droppingPending(1)}`);
});

it('the engine needs a store; createTaskQueue gives it the in-memory one', () => {
  expect(() => new TaskQueue({} as never)).toThrow(InvalidTaskOptionsError);
  expect(createTaskQueue().store).toBeInstanceOf(InMemoryTaskStore);
});
