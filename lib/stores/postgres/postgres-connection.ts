import type { Pool, PoolClient } from 'pg';
import type { PostgresNames } from './postgres-names.js';
import { runMigrations } from './postgres.migrations.js';
import type { PostgresQueries } from './postgres.queries.js';

/** Creates or upgrades the schema on one connection of the pool; returns the versions before and after. */
export async function migrateSchema(pool: Pool, names: PostgresNames): Promise<{ from: number; to: number }> {
  const client: PoolClient = await pool.connect();
  try {
    return await runMigrations(client, names);
  } finally {
    client.release();
  }
}

/** The schema's version (0: no schema, or never migrated). */
export async function schemaVersion(pool: Pool, queries: PostgresQueries): Promise<number> {
  try {
    return Number((await pool.query(queries.version)).rows[0].version);
  } catch (error) {
    // 3F000: no such schema; 42P01: no such table. Anything else is a real failure.
    const code = (error as { code?: string }).code;
    if (code === '3F000' || code === '42P01') return 0;
    throw error;
  }
}

/** The database's time (clock_timestamp()), epoch ms. */
export async function readDatabaseTime(pool: Pool, queries: PostgresQueries): Promise<number> {
  return (await pool.query(queries.now)).rows[0].now;
}
