import { Test } from '@nestjs/testing';
import {
  createTaskQueue,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  TaskArgsNotSerializableError,
  TaskArgsTooLargeError,
  TaskQueue,
  TaskQueueModule,
  type ITaskStore,
  type TaskQueueModuleOptions,
} from '../../lib/index.js';
import { Messages } from '../../lib/task-queue.messages.js';

/** createTaskQueue with options the types would refuse, as a JavaScript caller or a config file may pass. */
const make = (options: Record<string, unknown>) => () => createTaskQueue(options as TaskQueueModuleOptions);

describe('module options are checked at run time, naming the option', () => {
  it.each([
    [{ logger: 'verbose2' }, 'Expected `logger` to be a logger ({ log, warn, error }) or, deprecated, one of'],
    [{ logger: { log: () => {} } }, 'Expected `logger` to be a logger ({ log, warn, error })'],
    [
      { logLevel: 'loud' },
      "Expected `logLevel` to be one of 'verbose', 'debug', 'log', 'warn', 'error', 'fatal' or false",
    ],
    [{ defaultRetryStrategy: 1000 }, 'Expected `defaultRetryStrategy` to be an object with nextDelay(), got `1000`'],
    [{ autoStart: 'no' }, 'Expected `autoStart` to be true or false, got `"no"`'],
    [{ retention: 5 }, 'Expected `retention` to be an object ({ maxCount?, maxAge? }), got `5`'],
    [{ maxArgsBytes: 0 }, 'Expected `maxArgsBytes` to be an integer number of bytes from 1 up, got `0`'],
  ])('%p', (options, message) => {
    expect(make(options)).toThrow(InvalidTaskOptionsError);
    expect(make(options)).toThrow(message);
  });

  it('an unknown key, suggesting the nearest known name', () => {
    expect(make({ concurency: 2 })).toThrow(InvalidTaskOptionsError);
    expect(make({ concurency: 2 })).toThrow('Unknown task queue option `concurency`: did you mean `concurrency`?');
    expect(make({ retryStrategy: {} })).toThrow('did you mean `defaultRetryStrategy`?');
    expect(make({ retention: { maxcount: 5 } })).toThrow(
      new InvalidTaskOptionsError(Messages.unknownOption('retention', 'maxcount', 'maxCount', [])),
    );
  });

  it('an unknown key like no known one, listing the known names', () => {
    expect(make({ colour: 'blue' })).toThrow(/^Unknown task queue option `colour`\. Known: store, concurrency, /);
  });

  it('a store without the ITaskStore shape, saying what it lacks', () => {
    expect(make({ store: {} })).toThrow(InvalidTaskOptionsError);
    expect(make({ store: {} })).toThrow('lacks add(), claim(), renew(), complete(), fail(), cancel(), get()');
    const almost = Object.assign(Object.create(InMemoryTaskStore.prototype) as object, {
      leaseTime: 1000,
      serialization: 'json',
      subscribe: undefined,
    });
    expect(make({ store: almost })).toThrow(/, which lacks subscribe\(\)$/);
    expect(() => new TaskQueue({ store: null as unknown as ITaskStore })).toThrow(
      'Expected `store` to be a task store',
    );
  });

  it('takes every documented option', async () => {
    const queue = createTaskQueue({
      store: new InMemoryTaskStore(),
      concurrency: 2,
      defaultTimeout: 1_000,
      defaultMaxRetries: 1,
      shutdownTimeout: 10,
      autoStart: false,
      retention: { maxCount: 5, maxAge: 1_000 },
      maxQueueSize: 10,
      maxArgsBytes: 1_000,
      logLevel: 'warn',
      logger: { log: () => {}, warn: () => {}, error: () => {} },
    });
    await queue.close();
    await createTaskQueue({ logger: 'warn' }).close();
  });

  it('TaskQueueModule.forRoot refuses them at start-up', async () => {
    const options = { logLevel: 'error', delay: 5 } as TaskQueueModuleOptions;
    await expect(
      Test.createTestingModule({ imports: [TaskQueueModule.forRoot({ ...options, isGlobal: false })] }).compile(),
    ).rejects.toThrow('Unknown task queue option `delay`');
  });
});

describe('schedule() refuses an unknown option, suggesting the nearest known name', () => {
  let queue: TaskQueue;
  beforeEach(() => {
    queue = createTaskQueue({ logLevel: false, autoStart: false });
    queue.registerHandler('echo', { execute: (args: unknown) => args });
  });
  afterEach(() => queue.close());

  it.each([
    [{ delayMs: 5 }, 'Unknown schedule option `delayMs`: did you mean `delay`?'],
    [{ timout: 5 }, 'Unknown schedule option `timout`: did you mean `timeout`?'],
    [{ partitionkey: 'a' }, 'Unknown schedule option `partitionkey`: did you mean `partitionKey`?'],
    [{ retries: 3 }, 'Unknown schedule option `retries`: did you mean `maxRetries`?'],
  ])('%p', async (options, message) => {
    await expect(queue.schedule('echo', {}, options as never)).rejects.toThrow(new InvalidTaskOptionsError(message));
    expect((await queue.counts()).pending).toBe(0);
  });

  it('options that are not an object', async () => {
    await expect(queue.schedule('echo', {}, 'soon' as never)).rejects.toThrow(
      'Expected `options` to be an object of schedule options, got `"soon"`',
    );
  });

  it('in scheduleMany too', async () => {
    await expect(
      queue.scheduleMany([
        { handler: 'echo', options: { delay: 1 } },
        { handler: 'echo', options: { runat: 1 } as never },
      ]),
    ).rejects.toThrow('Unknown schedule option `runat`: did you mean `runAt`?');
  });
});

describe('maxArgsBytes', () => {
  let queue: TaskQueue | undefined;
  afterEach(() => queue?.close());
  const start = (options: TaskQueueModuleOptions) => {
    queue = createTaskQueue({ logLevel: false, autoStart: false, ...options });
    queue.registerHandler('echo', { execute: (args: unknown) => args });
    return queue;
  };

  it('refuses args over the limit in UTF-8 JSON bytes with TaskArgsTooLargeError, storing nothing', async () => {
    const q = start({ maxArgsBytes: 100 });
    // {"s":"…"}: 8 bytes around the text; é is 2 bytes in UTF-8, so 46 of them are 100 bytes, 47 are 102.
    await q.schedule('echo', { s: 'é'.repeat(46) });
    const refused = q.schedule('echo', { s: 'é'.repeat(47) });
    await expect(refused).rejects.toThrow(new TaskArgsTooLargeError(Messages.argsTooLarge(102, 100)));
    await expect(refused).rejects.toBeInstanceOf(TaskArgsNotSerializableError);
    await expect(q.scheduleMany([{ handler: 'echo', args: 'x'.repeat(200) }])).rejects.toThrow(TaskArgsTooLargeError);
    expect((await q.counts()).pending).toBe(1);
  });

  it('is off by default', async () => {
    await start({}).schedule('echo', { s: 'x'.repeat(1_000_000) });
  });
});
