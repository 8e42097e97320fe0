// The stores of the scale-out benchmark, each with a key prefix or schema of its own (cleared before a run).
import { PostgresTaskStore } from '../dist/esm/stores/postgres/index.js';
import { RedisTaskStore } from '../dist/esm/stores/redis/index.js';
import pg from 'pg';
import { deleteKeys, REDIS_URL } from './redis-bench-support.mjs';

const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const PREFIX = 'bench-scale';
const SCHEMA = 'bench_scale';

export function openStore(name) {
  if (name === 'redis') return new RedisTaskStore({ connection: REDIS_URL, prefix: PREFIX });
  if (name === 'postgres') return new PostgresTaskStore({ connectionString: POSTGRES_URL, schema: SCHEMA });
  throw new Error(`Unknown store ${name}`);
}

export async function clearStore(name) {
  // The store's keys all start with its hash tag, `{prefix}:` (a pattern of `bench-scale*` matched none of them).
  if (name === 'redis') return deleteKeys(`{${PREFIX}}:*`);
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await client.end();
}
