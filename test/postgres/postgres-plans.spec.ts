import pg from 'pg';
import { PostgresNames } from '../../lib/stores/postgres/postgres-names.js';
import { newTask } from '../support/store-conformance.js';
import { useStoreSpecHarness } from '../support/store-spec-harness.js';
import { describeIfUp } from '../support/store-target.js';
import { POSTGRES_URL, postgresTarget } from './postgres.store-target.js';

const describePostgres = await describeIfUp(postgresTarget);

/** The plans a connection runs, from auto_explain's notices (nested statements too: those of the functions). */
async function explaining(client: pg.Client): Promise<{ plans: string[] }> {
  const seen = { plans: [] as string[] };
  client.on('notice', (notice) => {
    if (notice.message?.includes('Query Text:')) seen.plans.push(notice.message);
  });
  await client.query(`LOAD 'auto_explain'`);
  await client.query(`SET auto_explain.log_min_duration = 0`);
  await client.query(`SET auto_explain.log_nested_statements = on`);
  await client.query(`SET auto_explain.log_level = notice`);
  return seen;
}

const tableReads = (plan: string) => plan.match(/(Seq Scan|Bitmap Heap Scan|Index Scan|Index Only Scan)[^\n]* on \w+/g);

describePostgres('PostgresTaskStore plans on PostgreSQL', () => {
  const stores = useStoreSpecHarness(postgresTarget, 'pgplan');

  // Claims and finishes plan once per connection (HOT_PATH_PLANS): a plan made while the table is empty is the
  // one they keep, so it must read through indexes however small the table was.
  it('claims and finishes through indexes only, with plans made while the table was empty', async () => {
    const store = await stores.open();
    const fn = (name: string) => new PostgresNames(stores.namespace).of(name);
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const handlers = JSON.stringify({ plain: {}, limited: { rateLimit: { limit: 1_000, interval: 60_000 } } });
      const claim = () =>
        client.query<{ id: string; lease_token: string }>(
          `SELECT (c.task).id, (c.task).lease_token FROM ${fn('claim_handlers')}(50, 30000, 'w', $1::json) c`,
          [handlers],
        );
      const finish = (rows: { id: string; lease_token: string }[]) =>
        client.query(`SELECT * FROM ${fn('finish_tasks')}($1::json, 'o')`, [
          JSON.stringify(rows.map((row) => ({ id: row.id, token: row.lease_token, outcome: 'succeeded' }))),
        ]);
      await claim();
      await finish([]);
      const later = Date.now() + 3_600_000;
      for (let from = 0; from < 5_000; from += 1_000)
        await store.add(
          Array.from({ length: 1_000 }, (_, i) =>
            newTask({
              handler: i % 2 === 0 ? 'plain' : 'limited',
              rateLimitKey: i % 4 === 1 ? `k${i % 8}` : undefined,
              partitionKey: i % 10 === 0 ? `p${i % 30}` : undefined,
              runAt: i % 5 === 0 ? Date.now() : later + from + i,
            }),
          ),
        );
      const seen = await explaining(client);
      const claimed = (await claim()).rows.filter((row) => row.id !== null);
      await finish(claimed);

      expect(claimed.length).toBe(50);
      const reads = seen.plans.flatMap((plan) => tableReads(plan) ?? []);
      expect(reads.filter((read) => read.includes(' on tasks')).length).toBeGreaterThan(0);
      expect(reads.filter((read) => /^(Seq Scan|Bitmap Heap Scan)/.test(read))).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
