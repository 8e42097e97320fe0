// Handler limits (issue 10) through the public API, on one in-memory store shared by several apps (as processes
// share a Redis or PostgreSQL store). Held handlers wait on gates, not on time; rate limits are checked on the
// store's start times (each task's `startedAt`), with no upper bound on how long anything takes.
import {
  defineTask,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  StoreOperationUnsupportedError,
  TaskHandler,
  TaskStatus,
  type TaskInfo,
} from '../../lib/index.js';
import { DeploymentMessages } from '../../lib/engine/deployments/deployment.messages.js';
import { gate, startTestApp, type TestApp } from '../support/task-queue-app.js';
import { withoutDeployments } from './support/deployment-stores.js';

const PerProcess = defineTask<{ i: number }>('per-process', { concurrency: 2 });
const ClusterCapped = defineTask<{ i: number }>('cluster-capped', { globalConcurrency: 2 });
const Limited = defineTask<{ i: number }>('limited', { rateLimit: { limit: 5, interval: 300 } });
const PerTenant = defineTask<{ i: number }>('per-tenant', { rateLimit: { limit: 2, interval: 60_000 } });
const Free = defineTask<{ i: number }>('free');

/** What the held handlers share with the test: how many run now, the most at once, the gate they wait on. */
const held = { running: 0, most: 0, gate: gate(), twoRunning: gate() };
const hold = async () => {
  held.most = Math.max(held.most, ++held.running);
  if (held.running === 2) held.twoRunning.open();
  await held.gate.promise;
  held.running--;
};

@TaskHandler(PerProcess)
class PerProcessTask {
  execute = hold;
}
@TaskHandler(ClusterCapped)
class ClusterCappedTask {
  execute = hold;
}
@TaskHandler(Limited)
class LimitedTask {
  execute() {}
}
@TaskHandler(PerTenant)
class PerTenantTask {
  execute() {}
}
@TaskHandler(Free)
class FreeTask {
  execute() {}
}

const all = [PerProcessTask, ClusterCappedTask, LimitedTask, PerTenantTask, FreeTask];

describe('handler limits', () => {
  const apps: TestApp[] = [];
  const start = async (store: InMemoryTaskStore, concurrency = 10) => {
    const app = await startTestApp({ queue: { store, concurrency }, providers: all });
    apps.push(app);
    return app;
  };
  const started = (app: TestApp, handler: string) =>
    app.events.filter((e) => e.type === 'started' && e.handler === handler).length;
  const waitAll = (app: TestApp, ids: string[]) => Promise.all(ids.map((id) => app.scheduler.waitFor(id)));
  afterEach(async () => {
    held.gate.open();
    for (const app of apps.splice(0)) await app.close();
    Object.assign(held, { running: 0, most: 0, gate: gate(), twoRunning: gate() });
  });

  it('concurrency: at most n attempts of the handler in this process, the others meanwhile unhindered', async () => {
    const app = await start(new InMemoryTaskStore(), 10);
    const capped = await app.scheduler.scheduleMany(
      Array.from({ length: 6 }, (_, i) => ({ handler: PerProcess, args: { i } })),
    );
    await held.twoRunning.promise;
    const free = await app.scheduler.scheduleMany(
      Array.from({ length: 5 }, (_, i) => ({ handler: Free, args: { i } })),
    );
    await waitAll(app, free);
    expect(started(app, 'per-process')).toBe(2);
    held.gate.open();
    expect((await waitAll(app, capped)).every((t) => t.status === TaskStatus.Succeeded)).toBe(true);
    expect(held.most).toBe(2);
  });

  it('globalConcurrency: at most n running across the apps sharing the store', async () => {
    const store = new InMemoryTaskStore();
    const [a, b, c] = [await start(store), await start(store), await start(store)];
    const capped = await a.scheduler.scheduleMany(
      Array.from({ length: 8 }, (_, i) => ({ handler: ClusterCapped, args: { i } })),
    );
    await held.twoRunning.promise;
    // Each app claims again for the free tasks: none takes a third capped one.
    for (const app of [a, b, c])
      await waitAll(app, [await app.scheduler.schedule(Free, { i: 0 }), await app.scheduler.schedule(Free, { i: 1 })]);
    expect([a, b, c].reduce((sum, app) => sum + started(app, 'cluster-capped'), 0)).toBe(2);
    held.gate.open();
    expect((await waitAll(a, capped)).every((t) => t.status === TaskStatus.Succeeded)).toBe(true);
    expect(held.most).toBe(2);
  });

  it('rateLimit: never more than `limit` starts in any window of `interval`, across the apps', async () => {
    const store = new InMemoryTaskStore();
    const [a] = [await start(store), await start(store), await start(store)];
    const ids = await a.scheduler.scheduleMany(
      Array.from({ length: 16 }, (_, i) => ({ handler: Limited, args: { i } })),
    );
    const done = await waitAll(a, ids);
    expect(done.every((t) => t.status === TaskStatus.Succeeded && t.attempts === 1)).toBe(true);
    const starts = done.map((t) => t.startedAt!.getTime()).sort((x, y) => x - y);
    for (let i = 0; i + 5 < starts.length; i++) expect(starts[i + 5]! - starts[i]!).toBeGreaterThanOrEqual(300);
  });

  it('rateLimitKey: each key has its own window, and tasks without a key share the handler', async () => {
    const app = await start(new InMemoryTaskStore());
    const of = (key: string | undefined, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          app.scheduler.schedule(PerTenant, { i }, key === undefined ? {} : { rateLimitKey: key }),
        ),
      );
    const [t1, t2, keyless] = [await of('tenant:1', 3), await of('tenant:2', 3), await of(undefined, 3)];
    await waitAll(app, [...t1.slice(0, 2), ...t2.slice(0, 2), ...keyless.slice(0, 2)]);
    const third = await Promise.all([t1[2]!, t2[2]!, keyless[2]!].map((id) => app.scheduler.getTask(id)));
    expect(third.map((t) => (t as TaskInfo).status)).toEqual([
      TaskStatus.Pending,
      TaskStatus.Pending,
      TaskStatus.Pending,
    ]);
    expect((await app.scheduler.getTask(t1[0]!))!.rateLimitKey).toBe('tenant:1');
  });

  describe('bad input', () => {
    it('refuses limits that are not positive integers, in a contract and at registration', () => {
      const bad = [
        { concurrency: 0 },
        { globalConcurrency: 1.5 },
        { rateLimit: { limit: 0, interval: 1_000 } },
        { rateLimit: { limit: 5, interval: -1 } },
        { rateLimit: 5 },
      ];
      for (const [i, defaults] of bad.entries())
        expect(() => defineTask(`bad-${i}`, defaults as never)).toThrow(InvalidTaskOptionsError);
      expect(() => defineTask('bad-concurrency', { concurrency: 0 })).toThrow(
        'Expected `concurrency` to be an integer from 1 up, got `0`',
      );
    });

    it('refuses a rateLimitKey that is empty, or for a handler without rateLimit', async () => {
      const app = await start(new InMemoryTaskStore());
      await expect(app.scheduler.schedule(Free, { i: 0 }, { rateLimitKey: 'k' })).rejects.toThrow(
        new InvalidTaskOptionsError(DeploymentMessages.rateLimitKeyWithoutLimit('free')),
      );
      await expect(app.scheduler.schedule(PerTenant, { i: 0 }, { rateLimitKey: '' })).rejects.toThrow(
        InvalidTaskOptionsError,
      );
      expect(await app.scheduler.counts()).toMatchObject({ pending: 0 });
    });

    it('a store without deployments: handler limits fail the start, rateLimitKey is refused', async () => {
      const store = withoutDeployments(new InMemoryTaskStore());
      await expect(startTestApp({ queue: { store }, providers: [PerProcessTask] })).rejects.toThrow(
        StoreOperationUnsupportedError,
      );
      const producer = await startTestApp({ queue: { store, autoStart: false } });
      apps.push(producer);
      await expect(producer.scheduler.schedule(PerTenant, { i: 0 }, { rateLimitKey: 'k' })).rejects.toThrow(
        new InvalidTaskOptionsError(DeploymentMessages.rateLimitKeyUnsupported()),
      );
    });
  });
});
