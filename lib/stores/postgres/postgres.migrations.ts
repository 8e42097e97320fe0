import { literal, type PostgresNames } from './postgres-names.js';
import { addSql } from './sql/add.sql.js';
import { cancelSql } from './sql/cancel.sql.js';
import { countsSql } from './sql/counts.sql.js';
import { finishSql } from './sql/finish.sql.js';
import { leasesSql } from './sql/leases.sql.js';
import { partitionsSql } from './sql/partitions.sql.js';
import { retentionSql } from './sql/retention.sql.js';
import { signalsSql } from './sql/signals.sql.js';
import { tablesSql } from './sql/tables.sql.js';

/** One step of the schema, applied once, in order, inside the migration transaction. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql(names: PostgresNames): string;
}

/**
 * The schema's history. Append new versions; never edit an applied one. The README's PostgreSQL section says
 * why each table, index and function exists.
 */
export const MIGRATIONS: readonly PostgresMigration[] = [{ version: 1, name: 'tasks, partitions, counts, functions', sql: version1 }];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Version 1: the whole design (see sql/: tables, counts, signals, partitions, and one function per change). */
function version1(n: PostgresNames): string {
  const parts = [tablesSql, countsSql, signalsSql, partitionsSql, addSql, finishSql, cancelSql, leasesSql, retentionSql];
  return parts.map((part) => part(n)).join('\n');
}

/** What `runMigrations` needs of a connection: statements, on one session (a transaction spans them). */
interface MigrationClient {
  query(text: string): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Creates or upgrades the schema to SCHEMA_VERSION in one transaction, holding a transaction-level advisory
 * lock of the schema: processes starting together take turns, and all but the first find nothing to do.
 * Returns the versions before and after.
 */
export async function runMigrations(client: MigrationClient, names: PostgresNames): Promise<{ from: number; to: number }> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${names.lockKey('migrate')})`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${names.schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${names.of('migrations')} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query(`SELECT coalesce(max(version), 0) AS version FROM ${names.of('migrations')}`);
    const from = Number(rows[0]!.version);
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      await client.query(migration.sql(names));
      await client.query(`INSERT INTO ${names.of('migrations')} (version, name) VALUES (${migration.version}, ${literal(migration.name)})`);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, SCHEMA_VERSION) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
