import pg from 'pg';
import { TaskStatus, type ClaimRequest } from '../../lib/index.js';
import { PostgresNames } from '../../lib/stores/postgres/postgres-names.js';
import type { PostgresTaskStore } from '../../lib/stores/postgres/postgres-task.store.js';
import { MIGRATIONS } from '../../lib/stores/postgres/postgres.migrations.js';
import { eventually } from '../support/eventually.js';
import { newTask } from '../support/store-conformance.js';
import { nextSignal, useStoreSpecHarness } from '../support/store-spec-harness.js';
import { describeIfUp } from '../support/store-target.js';
import { POSTGRES_URL, postgresTarget } from './postgres.store-target.js';

const describePostgres = await describeIfUp(postgresTarget);

/** Claims of many stores (each its own pool: other processes) at once; the tasks they got, together. */
async function claimTogether(stores: PostgresTaskStore[], request: Omit<ClaimRequest, 'workerId'>, rounds: number) {
  const batches = await Promise.all(
    Array.from({ length: rounds }, (_, i) => stores[i % stores.length]!.claim({ workerId: `w${i}`, ...request })),
  );
  return batches.flatMap((batch) => batch.tasks);
}

describePostgres('PostgresTaskStore deployments on PostgreSQL', () => {
  const stores = useStoreSpecHarness(postgresTarget, 'pgdep');
  const { open } = stores;
  let admin: pg.Pool;
  const table = (name: string) => new PostgresNames(stores.namespace).of(name);

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  });

  afterAll(async () => {
    await admin.end();
  });

  const openMany = (count: number) => Promise.all(Array.from({ length: count }, () => open()));

  it('never exceeds globalConcurrency under many concurrent claims from several stores', async () => {
    const all = await openMany(4);
    await all[0]!.add(Array.from({ length: 100 }, () => newTask({ handler: 'capped' })));
    const handlers = { capped: { globalConcurrency: 3 } };
    const first = await claimTogether(all, { limit: 5, handlers }, 40);
    expect(first).toHaveLength(3);
    // Two finish while others claim: the running count stays at most 3 whatever the interleaving.
    const [finishing, racing] = await Promise.all([
      Promise.all(first.slice(0, 2).map((task) => all[1]!.complete({ taskId: task.id, token: task.leaseToken! }))),
      claimTogether(all, { limit: 5, handlers }, 40),
    ]);
    expect(finishing).toEqual([true, true]);
    const after = await claimTogether(all, { limit: 5, handlers }, 40);
    expect(racing.length + after.length).toBe(2);
    expect((await all[0]!.list({ status: TaskStatus.Running })).length).toBe(3);
  });

  it('lets concurrent claims each fill their limit: a claim locks only the tasks it takes', async () => {
    const all = await openMany(4);
    for (const handler of ['a', 'b', 'c']) await all[0]!.add(Array.from({ length: 20 }, () => newTask({ handler })));
    const handlers = { a: {}, b: {}, c: {} };
    const batches = await Promise.all(all.map((store, i) => store.claim({ workerId: `w${i}`, limit: 15, handlers })));
    expect(batches.map((batch) => batch.tasks.length)).toEqual([15, 15, 15, 15]);
    expect(new Set(batches.flatMap((batch) => batch.tasks.map((task) => task.id))).size).toBe(60);
  });

  it('starts at most rateLimit.limit tasks per window under concurrent claims, per key separately', async () => {
    const all = await openMany(4);
    const tasks = ['a', 'b'].flatMap((key) =>
      Array.from({ length: 30 }, () => newTask({ handler: 'limited', rateLimitKey: key })),
    );
    await all[0]!.add([...tasks, ...Array.from({ length: 30 }, () => newTask({ handler: 'limited' }))]);
    const handlers = { limited: { rateLimit: { limit: 4, interval: 60_000 } } };
    const claimed = await claimTogether(all, { limit: 3, handlers }, 40);
    const perKey = (key: string | undefined) => claimed.filter((task) => task.rateLimitKey === key).length;
    expect([perKey('a'), perKey('b'), perKey(undefined)]).toEqual([4, 4, 4]);
    const held = await all[0]!.claim({ workerId: 'w', limit: 10, handlers });
    expect(held.tasks).toEqual([]);
    expect(held.nextDueInMs).toBeGreaterThan(30_000);
    expect(held.nextDueInMs).toBeLessThanOrEqual(60_000);
  });

  it("dates a claimed task's start after the handlers' locks, the instant its rate window counts", async () => {
    const store = await open();
    const [task] = [newTask({ handler: 'limited' })];
    await store.add([task!]);
    const handlers = { limited: { rateLimit: { limit: 5, interval: 60_000 } } };
    const locker = await admin.connect();
    let releasedAt: Date;
    let claiming: ReturnType<PostgresTaskStore['claim']>;
    try {
      await locker.query('BEGIN');
      const lockKey = new PostgresNames(stores.namespace).handlerLockKey("'limited'");
      await locker.query(`SELECT pg_advisory_xact_lock(${lockKey})`);
      claiming = store.claim({ workerId: 'w', limit: 1, handlers });
      const waiting = async () =>
        Number(
          (await admin.query(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0]
            .count,
        );
      await eventually(waiting, (n) => n > 0);
      releasedAt = (await locker.query('SELECT clock_timestamp() AS t')).rows[0].t;
      await locker.query('COMMIT');
    } finally {
      locker.release();
    }
    expect((await claiming).tasks.map((claimed) => claimed.id)).toEqual([task!.id]);
    const { rows } = await admin.query(
      `SELECT t.started_at, r.at FROM ${table('tasks')} t, ${table('rate_starts')} r WHERE t.id = $1`,
      [task!.id],
    );
    expect(rows[0].started_at.getTime()).toBeGreaterThanOrEqual(releasedAt.getTime());
    expect(rows[0].started_at.getTime()).toBe(rows[0].at.getTime());
  });

  it('frees the rate window on the database clock, and the sweep removes the starts that left it', async () => {
    const store = await open();
    await store.add(Array.from({ length: 4 }, () => newTask({ handler: 'limited' })));
    const handlers = { limited: { rateLimit: { limit: 2, interval: 300 } } };
    expect((await store.claim({ workerId: 'w', limit: 4, handlers })).tasks).toHaveLength(2);
    const held = await store.claim({ workerId: 'w', limit: 4, handlers });
    expect(held.tasks).toEqual([]);
    expect(held.nextDueInMs).toBeLessThanOrEqual(300);
    const later = await eventually(
      () => store.claim({ workerId: 'w', limit: 4, handlers }),
      (batch) => batch.tasks.length > 0,
    );
    expect(later.tasks).toHaveLength(2);
    const starts = async () =>
      Number((await admin.query(`SELECT count(*) FROM ${table('rate_starts')}`)).rows[0].count);
    expect(await starts()).toBe(4);
    await eventually(
      async () => (await admin.query(`SELECT ${table('sweep_deployments')}(1000)`), starts()),
      (n) => n === 0,
    );
  });

  it("claims other handlers' tasks in order past a capped handler's due backlog", async () => {
    const store = await open();
    const early = Date.now() - 60_000;
    await store.add(Array.from({ length: 500 }, (_, i) => newTask({ handler: 'a', runAt: early + i, priority: 5 })));
    const [running] = (await store.claim({ workerId: 'w', limit: 1, handlers: { a: {} } })).tasks;
    expect(running!.handler).toBe('a');
    const b = [newTask({ handler: 'b', priority: 1 }), newTask({ handler: 'b', priority: 9 })];
    const c = newTask({ handler: 'c', priority: 5 });
    await store.add([...b, c]);
    const handlers = { a: { globalConcurrency: 1 }, b: {}, c: {} };
    const batch = await store.claim({ workerId: 'w', limit: 10, handlers });
    expect(batch.tasks.map((task) => task.id)).toEqual([b[1]!.id, c.id, b[0]!.id]);
  });

  it('lets the head of a partition decide: a task of another handler at its head holds the partition', async () => {
    const store = await open();
    const early = Date.now() - 1_000;
    const head = newTask({ handler: 'a', partitionKey: 'p', runAt: early });
    const behind = newTask({ handler: 'b', partitionKey: 'p', runAt: early + 1 });
    const free = newTask({ handler: 'b' });
    await store.add([head, behind, free]);
    const batch = await store.claim({ workerId: 'w', limit: 10, handlers: { b: {} } });
    expect(batch.tasks.map((task) => task.id)).toEqual([free.id]);
    const [claimedHead] = (await store.claim({ workerId: 'w', limit: 10, handlers: { a: {} } })).tasks;
    expect(await store.complete({ taskId: head.id, token: claimedHead!.leaseToken! })).toBe(true);
    const next = await store.claim({ workerId: 'w', limit: 10, handlers: { b: {} } });
    expect(next.tasks.map((task) => task.id)).toEqual([behind.id]);
  });

  it('wakes another store when a task of a handler at its globalConcurrency finishes', async () => {
    const [here, there] = await openMany(2);
    await here!.add([newTask({ handler: 'capped' }), newTask({ handler: 'capped' })]);
    const handlers = { capped: { globalConcurrency: 1 } };
    const [task] = (await here!.claim({ workerId: 'w1', limit: 5, handlers })).tasks;
    const full = await there!.claim({ workerId: 'w2', limit: 5, handlers });
    expect(full.tasks).toEqual([]);
    const woken = nextSignal(there!, (signal) => signal.type === 'wake');
    expect(await here!.complete({ taskId: task!.id, token: task!.leaseToken! })).toBe(true);
    await woken;
    expect((await there!.claim({ workerId: 'w2', limit: 5, handlers })).tasks).toHaveLength(1);
  });

  it('postpones: pending again later, the attempt not counted, its handler (or only its key) held until then', async () => {
    const store = await open();
    await store.add([newTask({ handler: 'h', id: 'first' }), newTask({ handler: 'h', id: 'second' })]);
    await store.add([
      newTask({ handler: 'k', id: 'k1', rateLimitKey: 'x' }),
      newTask({ handler: 'k', rateLimitKey: 'y' }),
    ]);
    const handlers = { h: {}, k: { rateLimit: { limit: 100, interval: 1_000 } } };
    const [first] = (await store.claim({ workerId: 'w', limit: 1, handlers: { h: {} } })).tasks;
    const [k1] = (await store.claim({ workerId: 'w', limit: 1, handlers: { k: handlers.k } })).tasks;
    expect(k1!.id).toBe('k1');
    expect(await store.postpone({ taskId: 'first', token: first!.leaseToken! }, 60_000)).toBe(true);
    expect(await store.postpone({ taskId: 'k1', token: k1!.leaseToken! }, 60_000)).toBe(true);
    expect(await store.postpone({ taskId: 'first', token: first!.leaseToken! }, 60_000)).toBe(false);
    const record = (await store.get('first'))!;
    expect(record).toMatchObject({ status: TaskStatus.Pending, attempts: 1, retryBase: 1 });
    expect(record.runAt).toBeGreaterThan(Date.now() + 50_000);
    const batch = await store.claim({ workerId: 'w', limit: 10, handlers });
    // 'second' waits with its handler; of k only key y runs.
    expect(batch.tasks.map((task) => task.rateLimitKey)).toEqual(['y']);
    expect(batch.nextDueInMs).toBeGreaterThan(50_000);
  });

  it('leaves paused handlers and a paused queue out, and wakes the other stores on resume', async () => {
    const [here, there] = await openMany(2);
    await here!.add([newTask({ handler: 'a' }), newTask({ handler: 'b' })]);
    const handlers = { a: {}, b: {} };
    await here!.setPaused('a', true);
    await here!.setPaused(null, true);
    expect(await there!.getPaused()).toEqual({ queue: true, handlers: ['a'] });
    expect((await there!.claim({ workerId: 'w', limit: 5, handlers })).tasks).toEqual([]);
    const woken = nextSignal(there!, (signal) => signal.type === 'wake');
    await here!.setPaused(null, false);
    await woken;
    expect((await there!.claim({ workerId: 'w', limit: 5, handlers })).tasks.map((task) => task.handler)).toEqual([
      'b',
    ]);
    await here!.setPaused('a', false);
    expect(await there!.getPaused()).toEqual({ queue: false, handlers: [] });
    expect((await there!.claim({ workerId: 'w', limit: 5, handlers })).tasks.map((task) => task.handler)).toEqual([
      'a',
    ]);
  });

  it('leaves paused and held handlers out of a claim without handlers too', async () => {
    const store = await open();
    await store.add([newTask({ handler: 'a' }), newTask({ handler: 'b' }), newTask({ handler: 'c', id: 'c1' })]);
    await store.add([newTask({ handler: 'c' })]);
    const [c1] = (await store.claim({ workerId: 'w', limit: 1, handlers: { c: {} } })).tasks;
    expect(await store.postpone({ taskId: c1!.id, token: c1!.leaseToken! }, 60_000)).toBe(true);
    await store.setPaused('a', true);
    const batch = await store.claim({ workerId: 'w', limit: 10 });
    expect(batch.tasks.map((task) => task.handler)).toEqual(['b']);
    expect(batch.nextDueInMs).toBeGreaterThan(50_000);
    await store.setPaused('a', false);
    expect((await store.claim({ workerId: 'w', limit: 10 })).tasks.map((task) => task.handler)).toEqual(['a']);
  });

  it('keeps live workers with their ttl on the database clock, and names the handlers with due tasks', async () => {
    const store = await open();
    const worker = { hostname: 'host', pid: 42, handlers: ['a'], concurrency: 4, running: 1, startedAt: Date.now() };
    await store.heartbeatWorker({ ...worker, id: 'short' }, 300);
    await store.heartbeatWorker({ ...worker, id: 'long' }, 60_000);
    await store.heartbeatWorker({ ...worker, id: 'gone' }, 60_000);
    await store.removeWorker('gone');
    const listed = await store.listWorkers();
    expect(listed.map((w) => w.id)).toEqual(['long', 'short']);
    expect(listed[0]).toMatchObject({ ...worker, id: 'long' });
    await eventually(
      () => store.listWorkers(),
      (workers) => workers.length === 1,
    );
    await store.add([
      newTask({ handler: 'due' }),
      newTask({ handler: 'later', runAt: Date.now() + 60_000 }),
      newTask({ handler: 'due', priority: 3, runAt: Date.now() + 60_000 }),
    ]);
    expect(await store.dueHandlers()).toEqual(['due']);
  });

  it('upgrades a version 6 schema: its tasks are claimed per handler', async () => {
    const names = new PostgresNames(stores.namespace);
    await admin.query(`CREATE SCHEMA ${names.schema}`);
    const columns = 'version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()';
    await admin.query(`CREATE TABLE ${names.of('migrations')} (${columns})`);
    for (const migration of MIGRATIONS.filter(({ version }) => version <= 6)) {
      await admin.query(migration.sql(names));
      await admin.query(`INSERT INTO ${names.of('migrations')} (version, name) VALUES ($1, 'old')`, [
        migration.version,
      ]);
    }
    // (add_tasks is installed as it is now: the row goes in as version 6 would add it.)
    await admin.query(
      `INSERT INTO ${names.of('tasks')} (id, handler, run_at, created_at) VALUES ('old', 'h', now(), now())`,
    );
    const store = await open();
    const batch = await store.claim({ workerId: 'w', limit: 5, handlers: { h: { globalConcurrency: 1 } } });
    expect(batch.tasks.map((task) => task.id)).toEqual(['old']);
  });
});
