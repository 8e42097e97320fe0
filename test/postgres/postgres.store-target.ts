import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresTaskStore } from '../../lib/stores/postgres/postgres-task.store.js';
import type { RunRecord, StoreTarget } from '../support/store-target.js';

export const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresStoreOptions = ConstructorParameters<typeof PostgresTaskStore>[0];

/** The tables the run recorder writes (the child side is fixtures/postgres-run-recorder.mjs). */
const recordTable = (schema: string, name: string) => `"${schema}".test_${name}`;

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const postgresTarget: StoreTarget<PostgresTaskStore, PostgresStoreOptions> = {
  service: 'PostgreSQL',
  id: 'postgres',
  url: POSTGRES_URL,
  Store: PostgresTaskStore,
  module: 'stores/postgres/postgres-task.store.js',
  options: (schema) => ({ connectionString: POSTGRES_URL, schema }),

  async probe() {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  },

  // The claim's prepared statement name (postgres.queries.ts): the worker's presence heartbeat, sent before its first
  // claim, carries the worker id too.
  claimMarker: (schema) => `ntq:${schema}:claim`,

  uniqueNamespace: (label = 'test') => `ntq_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`,

  dispose: (schema) =>
    withClient(async (client) => {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }),

  recorder: {
    module: new URL('fixtures/postgres-run-recorder.mjs', import.meta.url).href,
    prepare: (schema) =>
      withClient(async (client) => {
        await client.query(`
          CREATE TABLE ${recordTable(schema, 'active')} (partition integer PRIMARY KEY, n integer NOT NULL);
          CREATE TABLE ${recordTable(schema, 'overlaps')} (partition integer, seq integer);
          CREATE TABLE ${recordTable(schema, 'runs')}
            (id bigserial PRIMARY KEY, partition integer, seq integer, pid integer)`);
      }),
    read: (schema) =>
      withClient(async (client): Promise<RunRecord> => {
        const overlaps = (await client.query(`SELECT * FROM ${recordTable(schema, 'overlaps')}`)).rows;
        const runs = await client.query<RunRecord['runs'][number]>(
          `SELECT partition, seq, pid FROM ${recordTable(schema, 'runs')} ORDER BY id`,
        );
        return { overlaps, runs: runs.rows };
      }),
  },
};
