import type { Pool, PoolClient } from 'pg';
import type { PostgresNames } from './postgres-names.js';
import { runMigrations } from './postgres.migrations.js';
import type { PostgresQueries } from './postgres.queries.js';

/** Clock differences below this are measuring noise and left alone. */
const SKEW_TOLERANCE_MS = 20;

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

/** How far the database's clock is ahead of this machine's in ms, or 0 if within measuring noise. */
export async function measureClockOffset(pool: Pool, queries: PostgresQueries): Promise<number> {
  const before = Date.now();
  const { rows } = await pool.query(queries.now);
  const after = Date.now();
  const offset = Math.round(rows[0].now - (before + after) / 2);
  return Math.abs(offset) <= SKEW_TOLERANCE_MS + (after - before) ? 0 : offset;
}
