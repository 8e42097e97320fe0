import { jest } from '@jest/globals';
import { StoreUnavailableError } from '../../lib/index.js';
import type { PostgresTaskStore } from '../../lib/stores/postgres/postgres-task.store.js';
import { PostgresMessages } from '../../lib/stores/postgres/postgres.messages.js';
import { describeConformanceOf, newTask } from '../support/store-conformance.js';
import { useStoreSpecHarness } from '../support/store-spec-harness.js';
import { describeSignalsBetweenStores } from '../support/store-signals-suite.js';
import { describeIfUp, type StoreTarget } from '../support/store-target.js';
import { PgBouncer } from './pgbouncer.js';
import { POSTGRES_URL, postgresTarget, type PostgresStoreOptions } from './postgres.store-target.js';

// PostgreSQL behind a PgBouncer of the test's own in transaction mode, as managed PostgreSQL runs it. Skipped,
// saying why, where pgbouncer is not installed (.ci/run installs it).
let bouncer: PgBouncer | undefined;

const pgbouncerTarget: StoreTarget<PostgresTaskStore, PostgresStoreOptions> = {
  ...postgresTarget,
  service: 'PgBouncer',
  id: 'pgbouncer',
  get url() {
    return bouncer!.url;
  },
  options: (schema) => ({ connectionString: bouncer!.url, schema, preparedStatements: false }),
  async probe() {
    await postgresTarget.probe();
    bouncer ??= await PgBouncer.start();
  },
};

afterAll(async () => {
  await bouncer?.stop();
});

await describeConformanceOf(pgbouncerTarget);

const describeBouncer = await describeIfUp(pgbouncerTarget);

describeBouncer('PostgresTaskStore through PgBouncer in transaction mode', () => {
  const { open, logger } = useStoreSpecHarness(pgbouncerTarget, 'pgb');

  it('with prepared statements on, fails saying to set preparedStatements: false', async () => {
    const store = await open({ preparedStatements: true, listenConnectionString: POSTGRES_URL });
    await store.add([newTask()]);
    // Concurrent statements on the pool's connections: PgBouncer soon hands one a server connection on which
    // another already prepared the statement (42P05), or one without it (26000).
    const rounds = async (): Promise<void> => {
      for (let round = 0; round < 50; round++) {
        await Promise.all(Array.from({ length: 30 }, () => store.get('none')));
      }
    };
    const failure = rounds();
    await expect(failure).rejects.toThrow(StoreUnavailableError);
    await expect(failure).rejects.toThrow(/\((42P05|26000)\).*set `preparedStatements: false`/);
  });

  it('without listenConnectionString, says once at start-up that it relies on the safety poll', async () => {
    const log = jest.spyOn(logger, 'log');
    try {
      await open({ pollInterval: 1_000 });
      expect(log.mock.calls.filter(([message]) => message === PostgresMessages.noListen(1_000))).toHaveLength(1);
    } finally {
      log.mockRestore();
    }
  });

  describe('LISTEN on listenConnectionString (straight to the server)', () => {
    describeSignalsBetweenStores(() => open({ listenConnectionString: POSTGRES_URL }));
  });
});
