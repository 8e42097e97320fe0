import {
  InvalidTaskOptionsError,
  TaskArgsNotSerializableError,
  TaskHandler,
  UnknownTaskError,
  type ITaskHandler,
  type ITaskStore,
} from '../../lib/index.js';
import { postgresTarget } from '../postgres/postgres.store-target.js';
import { redisTarget } from '../redis/redis.store-target.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';
import { createStore, describeIfUp, type StoreTarget } from '../support/store-target.js';

@TaskHandler('echo')
class EchoTask implements ITaskHandler {
  execute(args: unknown) {
    return args;
  }
}

/**
 * What each durable store took or mangled before schedule() checked it (PostgreSQL: an "outage" that also
 * failed the other adds of its turn; Redis: lone surrogates turned into U+FFFD, so two ids became one).
 */
for (const target of [redisTarget, postgresTarget] as StoreTarget<ITaskStore>[]) {
  const describeStore = await describeIfUp(target);

  describeStore(`schedule() on ${target.Store.name} refuses what no store can keep`, () => {
    let app: TestApp | undefined;
    let namespace: string | undefined;
    closeAfterEach(() => app);
    afterEach(async () => {
      if (namespace !== undefined) await target.dispose(namespace);
      namespace = undefined;
    });
    const start = async () => {
      namespace = target.uniqueNamespace('badinput');
      app = await startTestApp({
        queue: { store: createStore(target, namespace), autoStart: false },
        providers: [EchoTask],
      });
      return app.scheduler;
    };

    it('U+0000 and lone surrogates in args, naming the path, and adds the rest of the turn', async () => {
      const scheduler = await start();
      const turn = [
        scheduler.schedule('echo', { ok: 1 }, { delay: 60_000 }),
        scheduler.schedule('echo', { note: 'a\u0000b' }, { delay: 60_000 }),
        scheduler.schedule('echo', { list: ['x\udc00'] }, { delay: 60_000 }),
        scheduler.schedule('echo', { ok: 2 }, { delay: 60_000 }),
      ];
      const [first, nul, surrogate, last] = await Promise.allSettled(turn);
      expect(nul).toMatchObject({ status: 'rejected', reason: expect.any(TaskArgsNotSerializableError) });
      expect((nul as PromiseRejectedResult).reason.message).toContain(
        'args.note is a string holding U+0000 at index 1',
      );
      expect(surrogate).toMatchObject({ status: 'rejected', reason: expect.any(TaskArgsNotSerializableError) });
      expect((surrogate as PromiseRejectedResult).reason.message).toContain(
        'args.list[0] is a string holding a lone surrogate',
      );
      expect([first!.status, last!.status]).toEqual(['fulfilled', 'fulfilled']);
      expect((await scheduler.counts()).pending).toBe(2);
    });

    it('ids that differ only in lone surrogates: neither is taken, so none is merged', async () => {
      const scheduler = await start();
      await expect(scheduler.schedule('echo', {}, { taskId: 'sur\ud800', delay: 60_000 })).rejects.toThrow(
        InvalidTaskOptionsError,
      );
      await expect(scheduler.schedule('echo', {}, { taskId: 'sur\udbff', delay: 60_000 })).rejects.toThrow(
        InvalidTaskOptionsError,
      );
      await expect(scheduler.schedule('echo', {}, { partitionKey: 'p\ud800', delay: 60_000 })).rejects.toThrow(
        InvalidTaskOptionsError,
      );
      expect((await scheduler.counts()).pending).toBe(0);
    });

    it('looks up no task by an id no task can have (both found the task a lone surrogate is mangled into; PostgreSQL failed on U+0000)', async () => {
      const scheduler = await start();
      const id = await scheduler.schedule('echo', {}, { taskId: 'sur\ufffd', delay: 60_000 });
      expect(await scheduler.getTask('sur\ud800')).toBeUndefined();
      expect(await scheduler.cancel('sur\ud800')).toBe(false);
      expect(await scheduler.getTask('nul\u0000')).toBeUndefined();
      expect(await scheduler.cancel('nul\u0000')).toBe(false);
      expect(await scheduler.listTasks({ handler: 'echo\u0000' })).toEqual([]);
      expect(await scheduler.getTask(id)).toMatchObject({ id, status: 'pending' });
      // waitFor: not a wait for the task 'sur\ufffd', nor a store error.
      await expect(scheduler.waitFor('sur\ud800', { timeout: 5_000 })).rejects.toThrow(UnknownTaskError);
      await expect(scheduler.waitFor('nul\u0000', { timeout: 5_000 })).rejects.toThrow(UnknownTaskError);
    });

    it('args nested 10,000 deep, with TaskArgsNotSerializableError', async () => {
      const scheduler = await start();
      let deep: object = {};
      for (let i = 0; i < 10_000; i++) deep = [deep];
      await expect(scheduler.schedule('echo', deep)).rejects.toThrow(TaskArgsNotSerializableError);
    });
  });
}
