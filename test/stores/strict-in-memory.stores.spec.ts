import { jest } from '@jest/globals';
import {
  FixedDelayRetryStrategy,
  InMemoryTaskStore,
  TaskArgsNotSerializableError,
  TaskHandler,
  type ITaskHandler,
  type ITaskStore,
  type TaskContext,
} from '../../lib/index.js';
import { StoreMessages } from '../../lib/stores/shared/store.messages.js';
import { postgresTarget } from '../postgres/postgres.store-target.js';
import { redisTarget } from '../redis/redis.store-target.js';
import { createStore, describeIfUp, type StoreTarget } from '../support/store-target.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

/** What each attempt was given, as the handler saw it before changing it. */
const seen: unknown[] = [];

@TaskHandler({ name: 'mutate-then-fail', maxRetries: 1, retryStrategy: new FixedDelayRetryStrategy(0) })
class MutateThenFailTask implements ITaskHandler<{ list: unknown[] }> {
  execute(args: { list: unknown[] }, ctx: TaskContext) {
    seen.push(structuredClone(args));
    args.list.push('changed by attempt ' + ctx.attempt);
    if (ctx.attempt === 1) throw new Error('first attempt fails');
  }
}

@TaskHandler('returns')
class ReturnsTask implements ITaskHandler<{ kind: string }> {
  execute(args: { kind: string }) {
    if (args.kind === 'bigint') return { big: 1n };
    if (args.kind === 'date') return { at: new Date(0), gone: undefined };
    if (args.kind === 'nul') throw new Error('bad \u0000 byte');
    return undefined;
  }
}

/** Args every durable store refuses, with the path and reason `schedule()` names. */
const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
const REFUSED: [string, unknown][] = [
  ['a Date', { at: new Date(0) }],
  ['a BigInt', { n: 1n }],
  ['a Map', { m: new Map([[1, 2]]) }],
  ['a cycle', cyclic],
  ['a function', { f: () => 1 }],
  ['NaN', { n: NaN }],
  ['U+0000', { s: 'a\u0000b' }],
];

interface StoreUnderTest {
  name: string;
  describe: Awaited<ReturnType<typeof describeIfUp>>;
  open(): { store: ITaskStore; dispose: () => Promise<void> };
}

const memory: StoreUnderTest = {
  name: "InMemoryTaskStore({ serialization: 'json' })",
  describe,
  open: () => ({ store: new InMemoryTaskStore({ serialization: 'json' }), dispose: async () => {} }),
};

async function durable(target: StoreTarget): Promise<StoreUnderTest> {
  return {
    name: target.Store.name,
    describe: await describeIfUp(target),
    open: () => {
      const namespace = target.uniqueNamespace('strict');
      return { store: createStore(target, namespace), dispose: () => target.dispose(namespace) };
    },
  };
}

/**
 * The same checks on the strict in-memory store as on Redis and PostgreSQL: what one refuses, keeps or drops, so
 * does every other, so an app's tests on the in-memory store fail where the app would fail in production.
 */
const durableTargets = [redisTarget, postgresTarget] as StoreTarget[];
for (const subject of [memory, ...(await Promise.all(durableTargets.map(durable)))]) {
  subject.describe(`${subject.name} keeps args, results and errors as JSON`, () => {
    let app: TestApp | undefined;
    let dispose: (() => Promise<void>) | undefined;
    const warn = jest.fn();
    closeAfterEach(
      () => app,
      () => undefined,
    );
    afterEach(async () => {
      await dispose?.();
      dispose = undefined;
      warn.mockClear();
      seen.length = 0;
    });
    const start = async () => {
      const opened = subject.open();
      dispose = opened.dispose;
      const logger = { log: () => undefined, warn, error: () => undefined, debug: () => undefined };
      app = await startTestApp({
        queue: { store: opened.store, logger, logLevel: 'warn' },
        providers: [MutateThenFailTask, ReturnsTask],
      });
      return app.scheduler;
    };

    it.each(REFUSED)('schedule() refuses %s, with the message the in-memory strict store gives', async (_, args) => {
      const scheduler = await start();
      const refused = scheduler.schedule('returns', args);
      await expect(refused).rejects.toThrow(TaskArgsNotSerializableError);
      const strict = await startTestApp({
        queue: { store: memory.open().store, logger: false },
        providers: [ReturnsTask],
      });
      const message = await strict.scheduler.schedule('returns', args).catch((error: Error) => error.message);
      await strict.close();
      await expect(refused).rejects.toThrow(message as string);
      expect((await scheduler.counts()).pending).toBe(0);
    });

    it('each attempt gets the args as JSON gave them back, fresh: a change by an attempt stays in it', async () => {
      const scheduler = await start();
      const id = await scheduler.schedule('mutate-then-fail', { list: [1, undefined], nested: { gone: undefined } } as {
        list: unknown[];
      });
      await scheduler.whenIdle();
      await app!.nextEvent((event) => event.type === 'succeeded');
      const expected = { list: [1, null], nested: {} };
      expect(seen).toEqual([expected, expected]);
      expect((await scheduler.getTask(id))?.args).toEqual(expected);
    });

    it('a result JSON cannot keep is dropped with a warning, the task succeeds; a Date result is its ISO text', async () => {
      const scheduler = await start();
      const big = await scheduler.schedule('returns', { kind: 'bigint' });
      const date = await scheduler.schedule('returns', { kind: 'date' });
      await scheduler.whenIdle();
      await app!.nextEvent((event) => event.type === 'succeeded' && event.taskId === big);
      await app!.nextEvent((event) => event.type === 'succeeded' && event.taskId === date);
      expect(await scheduler.getTask(big)).toMatchObject({ status: 'succeeded', result: undefined });
      expect(warn).toHaveBeenCalledWith(StoreMessages.resultDropped(big, 'Do not know how to serialize a BigInt'));
      expect((await scheduler.getTask(date))?.result).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    });

    it('an error message with U+0000 is kept with U+FFFD in its place', async () => {
      const scheduler = await start();
      const id = await scheduler.schedule('returns', { kind: 'nul' });
      await scheduler.whenIdle();
      await app!.nextEvent((event) => event.type === 'failed' && event.taskId === id);
      expect((await scheduler.getTask(id))?.lastError?.message).toBe('bad \ufffd byte');
    });
  });
}
