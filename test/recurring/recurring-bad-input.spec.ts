import { Test } from '@nestjs/testing';
import {
  createTaskQueue,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  Recurring,
  TaskArgsNotSerializableError,
  TaskHandler,
  TaskQueueModule,
  type ITaskHandler,
  type ITaskStore,
  type RecurringDeclaration,
  type RecurringOptions,
  type TaskQueue,
} from '../../lib/index.js';
import { RecurringMessages } from '../../lib/engine/recurring/recurring.messages.js';

let queue: TaskQueue;
beforeEach(async () => {
  queue = createTaskQueue({ logLevel: false, store: new InMemoryTaskStore({ serialization: 'json' }) });
  queue.registerHandler('report', { execute: () => undefined });
  await queue.start();
});
afterEach(() => queue.close());

const refused = async (options: unknown, message: string | RegExp, key = 'k') => {
  const scheduled = queue.scheduleRecurring(key, 'report', undefined, options as RecurringOptions);
  await expect(scheduled).rejects.toThrow(InvalidTaskOptionsError);
  await expect(scheduled).rejects.toThrow(message);
  expect(await queue.listRecurring()).toEqual([]);
  expect(await queue.listTasks()).toEqual([]);
};

describe('scheduleRecurring refuses bad input, storing nothing', () => {
  it('an invalid cron expression, naming it and why', async () => {
    await refused({ cron: '61 * * * *' }, /Expected `cron` to be a cron expression .*"61 \* \* \* \*".*minute: 61/);
    await refused({ cron: 'every day' }, /Expected `cron` to be a cron expression/);
    // Valid fields, but no such day: it would never run.
    await refused({ cron: '0 0 30 2 *' }, /Expected `cron` to be a cron expression .*"0 0 30 2 \*".*it never fires/);
  });

  it('both or neither of cron and every', async () => {
    await refused({ cron: '* * * * *', every: 60_000 }, RecurringMessages.cronOrEvery(true));
    await refused({}, RecurringMessages.cronOrEvery(false));
  });

  it('every that is not an integer of at least 1,000 ms, nor at most 100 years', async () => {
    for (const every of [999, 0, -1, 1500.5, '60000', NaN, 1e16, Infinity])
      await refused(
        { every },
        'Expected `every` to be an integer number of ms from 1000 up to 3155760000000 (100 years)',
      );
  });

  it('an unknown time zone', async () => {
    await refused({ cron: '0 9 * * *', timezone: 'Mars/Olympus' }, /Expected `timezone` to be an IANA time zone.*Mars/);
  });

  it('endAt before startAt, and dates that are not dates', async () => {
    const startAt = new Date('2026-02-01T00:00:00Z');
    await refused(
      { every: 60_000, startAt, endAt: new Date('2026-01-01T00:00:00Z') },
      /`endAt` .* to be after `startAt`/,
    );
    await refused({ every: 60_000, startAt: '2026-01-01' }, 'Expected `startAt` to be a valid Date');
  });

  it('a key that is not a non-empty string, or holds "@"', async () => {
    for (const key of ['', 'a@b', 42 as unknown as string])
      await refused({ every: 60_000 }, RecurringMessages.badKey(key), key);
    await refused({ every: 60_000 }, /at most 487 characters/, 'k'.repeat(488));
  });

  it('delay, runAt or taskId (a schedule decides them), and unknown options', async () => {
    for (const option of ['delay', 'runAt', 'taskId'])
      await refused({ every: 60_000, [option]: 1 }, RecurringMessages.notForRecurring(option));
    await refused({ every: 60_000, misfire: 'sometimes' }, "Expected `misfire` to be 'skip', 'once' or 'all'");
    await refused({ every: 60_000, overlaps: false }, 'did you mean `overlap`');
    await refused({ every: 60_000, timeout: -5 }, 'Expected `timeout` to be a positive number of ms');
  });

  it('args a durable store cannot keep', async () => {
    const scheduled = queue.scheduleRecurring('k', 'report', { at: new Date() }, { every: 60_000 });
    await expect(scheduled).rejects.toThrow(TaskArgsNotSerializableError);
    expect(await queue.listRecurring()).toEqual([]);
  });

  it('a store without the recurring methods says so', async () => {
    // A store of one's own written before recurring schedules: the contract's other methods only.
    class PlainStore extends InMemoryTaskStore {}
    for (const name of ['putRecurring', 'getRecurring', 'listRecurring', 'removeRecurring', 'advanceRecurring'])
      Object.defineProperty(PlainStore.prototype, name, { value: undefined });
    const plain = createTaskQueue({ logLevel: false, store: new PlainStore() as ITaskStore });
    plain.registerHandler('report', { execute: () => undefined });
    await plain.start();
    const scheduled = plain.scheduleRecurring('k', 'report', undefined, { every: 60_000 });
    await expect(scheduled).rejects.toThrow(RecurringMessages.unsupportedStore('PlainStore'));
    await expect(plain.listRecurring()).rejects.toThrow(InvalidTaskOptionsError);
    await plain.close();
  });
});

describe('@Recurring() at start-up', () => {
  it('bad options fail the bootstrap with the typed error', async () => {
    @Recurring({ cron: 'not a cron' })
    @TaskHandler()
    class BadCronTask implements ITaskHandler {
      execute() {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot({ logger: 'error' })],
      providers: [BadCronTask],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(/Expected `cron` to be a cron expression/);
    await moduleRef.close();
  });

  it.each([
    ['a key with "@"', { key: 'a@b', every: 60_000 }, RecurringMessages.badKey('a@b')],
    ['both cron and every', { cron: '* * * * *', every: 60_000 }, RecurringMessages.cronOrEvery(true)],
    ['every under 1,000 ms', { every: 999 }, 'Expected `every` to be an integer number of ms from 1000 up'],
    ['an unknown time zone', { cron: '0 9 * * *', timezone: 'Mars/Olympus' }, 'Expected `timezone`'],
    ['runAt', { every: 60_000, runAt: new Date() }, RecurringMessages.notForRecurring('runAt')],
    [
      'endAt before startAt',
      { every: 60_000, startAt: new Date('2026-02-01'), endAt: new Date('2026-01-01') },
      /`endAt` .* to be after `startAt`/,
    ],
    ['args a durable store cannot keep', { every: 60_000, args: { at: new Date() } }, TaskArgsNotSerializableError],
  ])('%s fails the bootstrap with the typed error', async (_case, declaration, error) => {
    @TaskHandler()
    class DeclaredTask implements ITaskHandler {
      execute() {}
    }
    Recurring(declaration as RecurringDeclaration)(DeclaredTask);
    const store = new InMemoryTaskStore({ serialization: 'json' });
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot({ logger: 'error', store })],
      providers: [DeclaredTask],
    }).compile();
    const init = moduleRef.init();
    await expect(init).rejects.toThrow(error === TaskArgsNotSerializableError ? error : InvalidTaskOptionsError);
    await expect(init).rejects.toThrow(error);
    expect(await store.listRecurring()).toEqual([]);
    await moduleRef.close();
  });

  it('two schedules with one key fail the bootstrap naming both classes', async () => {
    @Recurring({ key: 'nightly', cron: '0 3 * * *' })
    @TaskHandler()
    class FirstTask implements ITaskHandler {
      execute() {}
    }
    @Recurring({ key: 'nightly', every: 60_000 })
    @TaskHandler()
    class SecondTask implements ITaskHandler {
      execute() {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot({ logger: 'error' })],
      providers: [FirstTask, SecondTask],
    }).compile();
    const init = moduleRef.init();
    await expect(init).rejects.toThrow(InvalidTaskOptionsError);
    await expect(init).rejects.toThrow(RecurringMessages.duplicateKey('nightly', 'FirstTask', 'SecondTask'));
    await moduleRef.close();
  });
});
