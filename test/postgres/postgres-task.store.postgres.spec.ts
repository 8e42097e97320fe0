import { jest } from '@jest/globals';
import pg from 'pg';
import {
  ExponentialBackoffRetryStrategy,
  QueueFullError,
  reviveRetryStrategy,
  StoreUnavailableError,
  TaskStatus,
} from '../../lib/index.js';
import { PostgresNames } from '../../lib/stores/postgres/postgres-names.js';
import { PostgresTaskStore } from '../../lib/stores/postgres/postgres-task.store.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../lib/stores/postgres/postgres.migrations.js';
import { Messages } from '../../lib/task-queue.messages.js';
import { eventually } from '../support/eventually.js';
import { newTask } from '../support/store-conformance.js';
import { nextSignal, RETENTION, useStoreSpecHarness } from '../support/store-spec-harness.js';
import { describeSignalsBetweenStores } from '../support/store-signals-suite.js';
import { describeIfUp } from '../support/store-target.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { POSTGRES_URL, postgresTarget } from './postgres.store-target.js';

const describePostgres = await describeIfUp(postgresTarget);

describePostgres('PostgresTaskStore on PostgreSQL', () => {
  const stores = useStoreSpecHarness(postgresTarget, 'pg');
  const { open, opened, logger } = stores;
  let admin: pg.Pool;

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 3 });
  });

  afterAll(async () => {
    await admin.end();
  });

  it('migrates once when several stores start on one schema at the same time', async () => {
    await Promise.all(Array.from({ length: 6 }, () => open()));
    const { rows } = await admin.query(`SELECT version FROM "${stores.namespace}".migrations ORDER BY version`);
    expect(rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })));
    await opened[0]!.migrate();
    const checked = await open({ migrate: false });
    expect(await checked.add([newTask()])).toEqual([true]);
  });

  it('upgrades a schema of version 1, installing the functions again', async () => {
    const { namespace } = stores;
    await admin.query(`CREATE SCHEMA "${namespace}"`);
    await admin.query(
      `CREATE TABLE "${namespace}".migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    await admin.query(MIGRATIONS[0]!.sql(new PostgresNames(namespace)));
    await admin.query(`INSERT INTO "${namespace}".migrations (version, name) VALUES (1, 'v1')`);
    const log = jest.spyOn(logger, 'log');
    try {
      const store = await open();
      expect(log).toHaveBeenCalledWith(expect.stringContaining(`from version 1 to ${SCHEMA_VERSION}`));
      expect(await store.add([newTask()])).toEqual([true]);
    } finally {
      log.mockRestore();
    }
  });

  it('recovers leases saying no lease runs out when none is held (null, not 0: a wake-up at once)', async () => {
    const store = await open();
    const recover = `SELECT recovered, next_expiry_ms FROM "${stores.namespace}".recover_leases('test')`;
    expect((await admin.query(recover)).rows).toEqual([{ recovered: 0, next_expiry_ms: null }]);
    await store.add([newTask()]);
    await store.claim({ workerId: 'w', limit: 1 });
    expect((await admin.query(recover)).rows[0].next_expiry_ms).toBeGreaterThan(0);
  });

  it('upgrades a version 1 schema: its finished tasks keep their order in retention, before the new ones', async () => {
    const names = new PostgresNames(stores.namespace);
    await admin.query(`CREATE SCHEMA ${names.schema}`);
    const columns = 'version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()';
    await admin.query(`CREATE TABLE ${names.of('migrations')} (${columns})`);
    await admin.query(MIGRATIONS[0]!.sql(names));
    await admin.query(`INSERT INTO ${names.of('migrations')} (version, name) VALUES (1, 'v1')`);
    // Finished together under version 1: one finished_at, insertion order.
    const old = ['old-0', 'old-1', 'old-2'];
    await admin.query(
      `INSERT INTO ${names.of('tasks')} (id, handler, status, run_at, created_at, finished_at)
       SELECT id, 'h', 'succeeded', now(), now(), now() FROM unnest($1::text[]) WITH ORDINALITY AS o(id, i) ORDER BY i`,
      [old],
    );
    const store = await open({}, { maxCount: 2 });
    await store.add([newTask({ id: 'new' })]);
    const [claimed] = (await store.claim({ workerId: 'w1', limit: 1 })).tasks;
    expect(await store.complete({ taskId: 'new', token: claimed!.leaseToken! })).toBe(true);
    const dropped = () => Promise.all(['old-0', 'old-1'].map((id) => store.get(id)));
    await eventually(dropped, (got) => got.every((t) => t === undefined));
    expect((await store.get('old-2'))?.status).toBe(TaskStatus.Succeeded);
    expect((await store.get('new'))?.status).toBe(TaskStatus.Succeeded);
  });

  it('refuses to start with migrate: false on a schema that was never migrated', async () => {
    const store = new PostgresTaskStore({ connectionString: POSTGRES_URL, schema: stores.namespace, migrate: false });
    const init = store.init({ retention: RETENTION, logger });
    await expect(init).rejects.toThrow(StoreUnavailableError);
    await expect(init).rejects.toThrow(/is at version 0.*run store\.migrate\(\)/);
  });

  it("adds in the caller's transaction: nothing if it rolls back, the task and a wake-up once it commits", async () => {
    const store = await open();
    const client = await admin.connect();
    try {
      const rolledBack = newTask();
      await client.query('BEGIN');
      expect(await store.add([rolledBack], { transaction: client })).toEqual([true]);
      await client.query('ROLLBACK');
      expect(await store.get(rolledBack.id)).toBeUndefined();

      const committed = newTask();
      await client.query('BEGIN');
      await client.query(`CREATE TABLE "${stores.namespace}".orders (id text)`);
      await client.query(`INSERT INTO "${stores.namespace}".orders VALUES ('order-1')`);
      expect(await store.add([committed], { transaction: client })).toEqual([true]);
      expect(await store.get(committed.id)).toBeUndefined();
      expect((await store.claim({ workerId: 'w', limit: 10 })).tasks).toEqual([]);
      const woken = nextSignal(store, (signal) => signal.type === 'wake');
      await client.query('COMMIT');
      await woken;
      expect((await store.claim({ workerId: 'w', limit: 10 })).tasks.map((t) => t.id)).toEqual([committed.id]);
    } finally {
      client.release();
    }
  });

  it('keeps args, metadata, results, errors and retry strategies through JSON', async () => {
    const store = await open();
    const args = {
      text: 'héllo ✓ "quoted" \n',
      n: 1.5,
      big: Number.MAX_SAFE_INTEGER,
      list: [null, true, { deep: [1] }],
      empty: {},
    };
    const retryStrategy = new ExponentialBackoffRetryStrategy({ baseDelay: 10 });
    const task = newTask({
      args,
      metadata: { tenant: 't1', tags: ['a'] },
      retryStrategy,
      maxRetries: 1,
      timeout: 250.5,
      priority: -2.5,
    });
    const nullArgs = newTask({ args: null });
    const noArgs = newTask({ args: undefined });
    const nullResult = newTask();
    await store.add([task, nullArgs, noArgs, nullResult]);
    const got = (await store.get(task.id))!;
    expect(got).toMatchObject({ args, metadata: { tenant: 't1', tags: ['a'] }, timeout: 250.5, priority: -2.5 });
    expect(reviveRetryStrategy(got.retryStrategy)).toEqual(retryStrategy);
    expect((await store.get(nullArgs.id))!.args).toBeNull();
    expect((await store.get(noArgs.id))!.args).toBeUndefined();

    const claimed = (await store.claim({ workerId: 'w', limit: 10 })).tasks;
    const lease = (id: string) => ({ taskId: id, token: claimed.find((t) => t.id === id)!.leaseToken! });
    await store.fail(
      lease(task.id),
      { name: 'TypeError', message: 'bad "x"', stack: 'TypeError: bad\n    at y (z.ts:1:2)' },
      0,
    );
    await store.complete(lease(nullArgs.id), { ok: true, list: [1, 'two'] });
    await store.complete(lease(noArgs.id), { big: 10n } as unknown);
    await store.complete(lease(nullResult.id), null);
    expect((await store.get(nullResult.id))!.result).toBeNull();
    expect((await store.get(task.id))!.lastError).toEqual({
      name: 'TypeError',
      message: 'bad "x"',
      stack: 'TypeError: bad\n    at y (z.ts:1:2)',
    });
    expect((await store.get(nullArgs.id))!.result).toEqual({ ok: true, list: [1, 'two'] });
    // A result JSON cannot hold is dropped (and logged); the task still succeeds.
    const dropped = (await store.get(noArgs.id))!;
    expect(dropped.status).toBe(TaskStatus.Succeeded);
    expect(dropped.result).toBeUndefined();
  });

  it('refuses a stale report and says so in the log it was given', async () => {
    const warnings: string[] = [];
    const log = {
      log: () => undefined,
      warn: (message: unknown) => void warnings.push(String(message)),
      error: () => undefined,
    };
    const store = await open({ leaseTime: 200 }, {}, log);
    await store.add([newTask({ id: 'stale' })]);
    const [first] = (await store.claim({ workerId: 'dead', limit: 1 })).tasks;
    const [second] = await eventually(
      async () => (await store.claim({ workerId: 'w2', limit: 1 })).tasks,
      (tasks) => tasks.length === 1,
    );
    expect(second!.attempts).toBe(2);
    expect(await store.complete({ taskId: 'stale', token: first!.leaseToken! })).toBe(false);
    expect(await store.renew([{ taskId: 'stale', token: first!.leaseToken! }])).toEqual(['stale']);
    expect(warnings.filter((w) => w === Messages.leaseLost('stale'))).toHaveLength(2);
    expect(await store.complete({ taskId: 'stale', token: second!.leaseToken! })).toBe(true);
    // A renewal that races the worker's own report finds the lease gone: no warning for that one.
    expect(await store.renew([{ taskId: 'stale', token: second!.leaseToken! }])).toEqual(['stale']);
    expect(warnings.filter((w) => w === Messages.leaseLost('stale'))).toHaveLength(2);
  });

  it('never lets a busy partition hold up the others', async () => {
    const store = await open();
    const early = Date.now() - 60_000;
    await store.add(
      Array.from({ length: 1_000 }, (_, i) => newTask({ partitionKey: 'busy', runAt: early + i, priority: 9 })),
    );
    const others = Array.from({ length: 10 }, (_, i) => newTask({ partitionKey: `p${i}` }));
    const free = [newTask(), newTask()];
    await store.add([...others, ...free]);
    const first = await store.claim({ workerId: 'w', limit: 20 });
    expect(first.tasks).toHaveLength(13);
    expect(first.tasks.filter((t) => t.partitionKey === 'busy')).toHaveLength(1);
    expect((await store.claim({ workerId: 'w', limit: 20 })).tasks).toEqual([]);
  });

  it('rejects an add past maxPending with QueueFullError, counting with the counters (no COUNT(*))', async () => {
    const store = await open();
    await store.add(
      Array.from({ length: 5 }, () => newTask()),
      { maxPending: 5 },
    );
    await expect(store.add([newTask()], { maxPending: 5 })).rejects.toThrow(QueueFullError);
    // Adds of one turn go together; if together they do not fit, each is tried alone.
    const results = await Promise.allSettled([
      store.add([newTask()], { maxPending: 6 }),
      store.add([newTask()], { maxPending: 6 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((await store.counts()).pending).toBe(6);
  });

  it('reports its backlog for metrics: delayed tasks, and the oldest due one that is claimable', async () => {
    const store = await open();
    const now = Date.now();
    await store.add([
      newTask({ runAt: now - 5_000 }),
      newTask({ runAt: now - 1_000, priority: 3 }),
      newTask({ runAt: now + 60_000 }),
      newTask({ runAt: now + 60_000, priority: 2 }),
      newTask({ partitionKey: 'p', runAt: now - 9_000 }),
      newTask({ partitionKey: 'p', runAt: now - 10_000, createdAt: now }), // earlier: it heads the partition
      newTask({ partitionKey: 'q', runAt: now + 1_000 }),
      newTask({ partitionKey: 'q', runAt: now + 2_000 }), // behind its partition's head: not counted
    ]);
    expect(await store.backlog()).toEqual({ delayed: 3, oldestDueAt: now - 10_000 });
  });

  it('drops finished tasks older than retention.maxAge', async () => {
    const store = await open({}, { maxAge: 1 });
    const task = newTask();
    await store.add([task]);
    const [claimed] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
    await store.complete({ taskId: task.id, token: claimed!.leaseToken! });
    await eventually(
      () => store.get(task.id),
      (got) => got === undefined,
    );
    expect(await store.counts()).toEqual({ waiting: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 });
  });

  it('uses a pool you pass and leaves it open', async () => {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    try {
      const store = await open({ connectionString: undefined, pool });
      await store.add([newTask()]);
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  describe('two stores on one schema (two processes)', () => {
    describeSignalsBetweenStores(() => open());

    it('wakes again for a lease that runs out just after its recovery ran (it runs at most every leaseTime / 4)', async () => {
      const [a, b] = [await open({ leaseTime: 1_000 }), await open({ leaseTime: 1_000 })];
      const task = newTask();
      await a.add([task]);
      await a.claim({ workerId: 'dead', limit: 1 });
      // The dead worker's lease runs out 50 ms from now: well within b's next 250 ms without a recovery.
      await admin.query(
        `UPDATE "${stores.namespace}".tasks SET lease_until = now() + interval '50 milliseconds' WHERE id = $1`,
        [task.id],
      );
      // Listening first, as a worker does (a store arms no lease timer for nobody), then claiming on every wake:
      // without a second wake the task would wait for the safety poll.
      let wakes = 0;
      let woken: () => void = () => undefined;
      b.subscribe((signal) => {
        if (signal.type !== 'wake') return;
        wakes++;
        woken();
      });
      const nextWake = (seen: number) =>
        new Promise<void>((resolve) => {
          woken = () => void (wakes > seen && resolve());
          woken();
        });
      await b.claim({ workerId: 'b', limit: 1 });
      for (;;) {
        const seen = wakes;
        await nextWake(seen);
        const { tasks } = await b.claim({ workerId: 'b', limit: 1 });
        if (tasks.length === 0) continue;
        expect(tasks[0]).toMatchObject({ id: task.id, attempts: 2 });
        break;
      }
    }, 5_000);

    it('wakes a store when a lease it never saw expires', async () => {
      const [a, b] = [await open({ leaseTime: 300 }), await open({ leaseTime: 300 })];
      await a.add([newTask()]);
      await a.claim({ workerId: 'dead', limit: 1 });
      // b learns when the lease runs out from its own claim, then wakes by itself.
      const woken = nextSignal(b, (s) => s.type === 'wake' && s.inMs === undefined);
      await b.claim({ workerId: 'b', limit: 1 });
      await woken;
      expect(
        (
          await eventually(
            async () => (await b.claim({ workerId: 'b', limit: 1 })).tasks,
            (t) => t.length === 1,
          )
        )[0]!.attempts,
      ).toBe(2);
    });
  });

  describe('when PostgreSQL is unreachable', () => {
    it('refuses to start, quickly and saying why', async () => {
      const store = new PostgresTaskStore({
        connectionString: 'postgres://postgres@127.0.0.1:1/test',
        schema: stores.namespace,
      });
      await stores.expectRefusedStart(store, /init.*127\.0\.0\.1:1\/test is unreachable.*ECONNREFUSED/);
    });

    it('fails operations while down, loses and duplicates nothing, and wakes its workers when back', async () => {
      await open(); // the schema, migrated directly
      const proxy = new TcpProxy('127.0.0.1', 5432);
      await proxy.start();
      const warn = jest.spyOn(logger, 'warn');
      try {
        const store = await open({ connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
        const before = newTask();
        await store.add([before]);
        await proxy.stop();
        await expect(store.add([newTask({ id: 'during' })])).rejects.toThrow(StoreUnavailableError);
        await expect(store.claim({ workerId: 'w', limit: 10 })).rejects.toThrow(/claim.*unreachable/);
        await eventually(
          async () => warn.mock.calls.map((c) => String(c[0])),
          (calls) => calls.some((m) => m.includes('is unreachable')),
        );

        const back = nextSignal(store, (s) => s.type === 'wake' && s.reconnected === true);
        await proxy.start();
        await back;
        expect(await store.get('during')).toBeUndefined();
        expect((await store.claim({ workerId: 'w', limit: 10 })).tasks.map((t) => t.id)).toEqual([before.id]);
      } finally {
        warn.mockRestore();
        await proxy.stop();
      }
    });
  });
});
