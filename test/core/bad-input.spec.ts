import { Injectable } from '@nestjs/common';
import {
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  StoreUnavailableError,
  TaskArgsNotSerializableError,
  TaskHandler,
  UnknownTaskHandlerError,
  type ITaskHandler,
  type IRetryStrategy,
  type ScheduleOptions,
} from '../../lib/index.js';
import { MAX_JSON_DEPTH } from '../../lib/engine/json-safety.js';
import { Messages } from '../../lib/task-queue.messages.js';
import { MAX_KEY_LENGTH } from '../../lib/validation/text.validator.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

@TaskHandler('echo')
class EchoTask implements ITaskHandler {
  execute(args: unknown) {
    return args;
  }
}

@TaskHandler('bad\u0000name')
class BadlyNamedTask implements ITaskHandler {
  execute() {}
}

@Injectable()
class NotAHandler {}

/** A store that keeps JSON (as Redis and PostgreSQL do), to check what schedule() refuses for such stores. */
class JsonStore extends InMemoryTaskStore {
  override readonly serialization = 'json' as const;
}

/** A store whose server is down. */
class DownStore extends InMemoryTaskStore {
  override async add(): Promise<boolean[]> {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
  }
}

/** `{ a: { a: ... } }`, `depth` objects deep. */
function nest(depth: number): object {
  let value = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

let app: TestApp | undefined;
closeAfterEach(() => app);
const start = (queue = {}) => startTestApp({ queue, providers: [EchoTask] }).then((started) => (app = started));

const invalid: [string, ScheduleOptions, string][] = [
  ['a negative delay', { delay: -1 }, 'Expected `delay` to be a finite number of ms from 0 up, got `-1`'],
  ['a NaN delay', { delay: Number.NaN }, 'Expected `delay` to be a finite number of ms from 0 up, got `NaN`'],
  ['an infinite delay', { delay: Infinity }, 'Expected `delay` to be a finite number of ms from 0 up, got `Infinity`'],
  ['delay and runAt', { delay: 1, runAt: new Date() }, 'Give either `delay` or `runAt`, not both.'],
  [
    'an invalid runAt',
    { runAt: new Date('not a date') },
    'Expected `runAt` to be a valid Date, got `Date(Invalid Date)`',
  ],
  [
    'a runAt that is not a Date',
    { runAt: '2030-01-01' as unknown as Date },
    'Expected `runAt` to be a valid Date, got `"2030-01-01"`',
  ],
  ['a zero timeout', { timeout: 0 }, 'Expected `timeout` to be a positive number of ms, got `0`'],
  ['a fractional maxRetries', { maxRetries: 1.5 }, 'Expected `maxRetries` to be an integer from 0 up, got `1.5`'],
  ['a negative maxRetries', { maxRetries: -1 }, 'Expected `maxRetries` to be an integer from 0 up, got `-1`'],
  ['an empty partitionKey', { partitionKey: '' }, 'Expected `partitionKey` to be a non-empty string, got `""`'],
  [
    'a numeric partitionKey',
    { partitionKey: 7 as unknown as string },
    'Expected `partitionKey` to be a non-empty string, got `7`',
  ],
  ['an empty taskId', { taskId: '' }, 'Expected `taskId` to be a non-empty string, got `""`'],
  [
    'a retryStrategy without nextDelay',
    { retryStrategy: {} as IRetryStrategy },
    'Expected `retryStrategy` to be an object with nextDelay(), got `[object Object]`',
  ],
];

describe('schedule() refuses bad input with a typed error and stores nothing', () => {
  it.each(invalid)('%s', async (_what, options, message) => {
    const { scheduler } = await start();
    await expect(scheduler.schedule('echo', {}, options)).rejects.toThrow(new InvalidTaskOptionsError(message));
    expect((await scheduler.counts()).pending).toBe(0);
  });

  it('an unknown handler name', async () => {
    const { scheduler } = await start();
    await expect(scheduler.schedule('no-such-handler')).rejects.toThrow(
      new UnknownTaskHandlerError(
        'No task handler is registered under the name "no-such-handler". Decorate a provider with @TaskHandler() and list it in a module.',
      ),
    );
  });

  it('a class that is not a registered handler', async () => {
    const { scheduler } = await start();
    await expect(scheduler.schedule(NotAHandler as never, {})).rejects.toThrow(
      new UnknownTaskHandlerError(
        "NotAHandler is not a registered task handler. Decorate it with @TaskHandler() and list it in a module's providers.",
      ),
    );
  });

  it('a transaction, with a store that cannot add inside one', async () => {
    const { scheduler } = await start();
    await expect(scheduler.schedule('echo', {}, { transaction: {} })).rejects.toThrow(
      new InvalidTaskOptionsError(
        'This store cannot add tasks inside your transaction (`transaction`); PostgresTaskStore can.',
      ),
    );
  });

  it('a batch with one bad item adds none of it', async () => {
    const { scheduler } = await start();
    await expect(
      scheduler.scheduleMany([{ handler: 'echo' }, { handler: 'echo', options: { delay: -5 } }]),
    ).rejects.toThrow(InvalidTaskOptionsError);
    expect((await scheduler.counts()).pending).toBe(0);
  });
});

/** Text no store can keep: PostgreSQL refuses U+0000 and lone surrogates, Redis mangles surrogates into U+FFFD. */
const unstorable: [string, string, string][] = [
  ['U+0000', 'a\u0000b', 'U+0000 at index 1'],
  ['a lone high surrogate', 'sur\ud800', 'a lone surrogate (\\ud800, not well-formed Unicode) at index 3'],
  ['a lone low surrogate', '\udc00x', 'a lone surrogate (\\udc00, not well-formed Unicode) at index 0'],
];

describe('on every store, schedule() refuses ids, keys and names no store can keep', () => {
  const fields = ['taskId', 'partitionKey', 'name'] as const;
  const cases = fields.flatMap((field) =>
    unstorable.map(([what, text, problem]) => [field, what, text, problem] as const),
  );

  it.each(cases)('%s holding %s', async (field, _what, text, problem) => {
    const { scheduler } = await start();
    await expect(scheduler.schedule('echo', {}, { [field]: text })).rejects.toThrow(
      new InvalidTaskOptionsError(Messages.textNotStorable(field, problem)),
    );
    expect((await scheduler.counts()).pending).toBe(0);
  });

  it.each(['taskId', 'partitionKey'] as const)(
    'a %s longer than MAX_KEY_LENGTH, and takes one that long',
    async (field) => {
      const { scheduler } = await start();
      const longest = '\u20ac'.repeat(MAX_KEY_LENGTH);
      await expect(scheduler.schedule('echo', {}, { [field]: `${longest}x` })).rejects.toThrow(
        new InvalidTaskOptionsError(Messages.textTooLong(field, MAX_KEY_LENGTH, MAX_KEY_LENGTH + 1)),
      );
      await scheduler.schedule('echo', {}, { [field]: longest, delay: 60_000 });
      expect((await scheduler.counts()).pending).toBe(1);
    },
  );

  it('takes well-formed surrogate pairs', async () => {
    const { scheduler } = await start();
    expect(
      await scheduler.schedule(
        'echo',
        {},
        { taskId: 'emoji-\ud83d\ude00', partitionKey: '\ud83d\ude00', name: '\ud83d\ude00', delay: 60_000 },
      ),
    ).toBe('emoji-\ud83d\ude00');
  });

  it('a handler whose name holds U+0000', async () => {
    app = await startTestApp({ providers: [EchoTask, BadlyNamedTask] });
    await expect(app.scheduler.schedule(BadlyNamedTask)).rejects.toThrow(
      new InvalidTaskOptionsError(Messages.textNotStorable('handler', 'U+0000 at index 3')),
    );
  });
});

describe('with a store that keeps JSON', () => {
  class Money {
    constructor(readonly cents: number) {}
  }
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const unsafe: [string, unknown, string][] = [
    ['a function', { cb: () => 1 }, 'args.cb is a function'],
    ['a BigInt', { amount: 10n }, 'args.amount is a BigInt (pass it as a string)'],
    ['a Date', { at: new Date(0) }, 'args.at is a Date (pass date.toISOString())'],
    ['a class instance', { price: new Money(5) }, 'args.price is an instance of Money'],
    ['a cycle', cyclic, 'args.self is a circular reference'],
    ['NaN', { list: [1, Number.NaN] }, 'args.list[1] is NaN (JSON turns it into null)'],
    ['a symbol', { s: Symbol('x') }, 'args.s is a symbol'],
    ['U+0000 in a string', { list: ['ok', 'a\u0000'] }, 'args.list[1] is a string holding U+0000 at index 1'],
    [
      'a lone surrogate in a string',
      { nested: { s: 'x\ud800' } },
      'args.nested.s is a string holding a lone surrogate (\\ud800',
    ],
    ['U+0000 in a key', { nested: { 'k\u0000': 1 } }, 'args.nested is an object with a key holding U+0000 at index 1'],
    ['a lone surrogate in a key', { '\udfff': 1 }, 'args is an object with a key holding a lone surrogate (\\udfff'],
    [
      'nesting 10,000 deep',
      nest(10_000),
      `args.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a… is nested more than ${MAX_JSON_DEPTH} levels deep`,
    ],
  ];

  it.each(unsafe)('refuses args holding %s, saying where', async (_what, args, where) => {
    const { scheduler } = await start({ store: new JsonStore() });
    const scheduling = scheduler.schedule('echo', args);
    await expect(scheduling).rejects.toThrow(TaskArgsNotSerializableError);
    await expect(scheduling).rejects.toThrow(where);
    expect((await scheduler.counts()).pending).toBe(0);
  });

  it('refuses metadata no store can keep, and takes args nested MAX_JSON_DEPTH deep', async () => {
    const { scheduler } = await start({ store: new JsonStore() });
    await expect(scheduler.schedule('echo', {}, { metadata: { tenant: 'a\u0000' } })).rejects.toThrow(
      'metadata.tenant is a string holding U+0000 at index 1',
    );
    await scheduler.schedule('echo', nest(MAX_JSON_DEPTH), { delay: 60_000 });
    expect((await scheduler.counts()).pending).toBe(1);
  });

  it('accepts plain data, and refuses a custom retry strategy it cannot store', async () => {
    const { scheduler } = await start({ store: new JsonStore() });
    await scheduler.schedule('echo', { a: [1, 'two', null, { b: true }], skipped: undefined });
    await expect(scheduler.schedule('echo', {}, { retryStrategy: { nextDelay: () => 1 } })).rejects.toThrow(
      TaskArgsNotSerializableError,
    );
  });
});

it('a store that is down: StoreUnavailableError naming the cause', async () => {
  const { scheduler } = await start({ store: new DownStore() });
  const scheduling = scheduler.schedule('echo', {});
  await expect(scheduling).rejects.toThrow(StoreUnavailableError);
  await expect(scheduling).rejects.toThrow(
    'The task store is unavailable (schedule): connect ECONNREFUSED 127.0.0.1:6379',
  );
});

it('a failed write says its outcome is unknown and how to retry it safely; a failed read does not', () => {
  expect(Messages.storeUnavailable('add', 'Connection is closed.')).toMatch(
    /may have been applied all the same; to retry a schedule safely, give it the same taskId/,
  );
  expect(Messages.storeUnavailable('get', 'Connection is closed.')).toBe(
    'The task store is unavailable (get): Connection is closed.',
  );
});
