import type { Pool, PoolClient } from 'pg';
import { StoreUnavailableError } from '../../errors/store-unavailable.error.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import { Messages } from '../../task-queue.messages.js';
import { isMissingSchema } from './postgres-error.classifier.js';
import { literal, type PostgresNames } from './postgres-names.js';
import { MIGRATIONS, SCHEMA_VERSION } from './postgres.migrations.js';
import { PostgresMessages } from './postgres.messages.js';
import type { PostgresQueries } from './postgres.queries.js';

/** Brings a queue's schema to SCHEMA_VERSION (postgres.migrations.ts), or checks that it is there. */
export class PostgresMigrator {
  constructor(
    private readonly names: PostgresNames,
    private readonly queries: PostgresQueries,
  ) {}

  /** When the store starts: migrates, or (`migrate: false`) checks that the schema is current. */
  async prepare(pool: Pool, migrate: boolean, logger: TaskQueueLogger | undefined): Promise<void> {
    if (migrate) await this.migrate(pool, logger);
    else await this.check(pool, logger);
  }

  /** Creates or upgrades the schema on one connection of `pool` (idempotent, safe from many processes at once). */
  async migrate(pool: Pool, logger: TaskQueueLogger | undefined): Promise<void> {
    const client = await pool.connect();
    try {
      const { from, to } = await this.run(client);
      if (to > from) logger?.log(PostgresMessages.migrated(this.names.schemaName, from, to));
    } finally {
      client.release();
    }
  }

  /** For `migrate: false`: throws if the schema is older than this code needs, warns if it is newer. */
  private async check(pool: Pool, logger: TaskQueueLogger | undefined): Promise<void> {
    const { schemaName } = this.names;
    const found = await this.version(pool);
    if (found < SCHEMA_VERSION) {
      const reason = PostgresMessages.schemaOutdated(schemaName, found, SCHEMA_VERSION);
      throw new StoreUnavailableError(Messages.storeUnavailable('init', reason));
    }
    if (found > SCHEMA_VERSION) logger?.warn(PostgresMessages.schemaNewer(schemaName, found, SCHEMA_VERSION));
  }

  /** The schema's version (0: no schema, or never migrated). */
  private async version(pool: Pool): Promise<number> {
    try {
      return Number((await pool.query(this.queries.version)).rows[0].version);
    } catch (error) {
      if (isMissingSchema(error)) return 0;
      throw error;
    }
  }

  /**
   * Runs the missing migrations in one transaction, holding a transaction-level advisory lock of the schema:
   * processes starting together take turns, and all but the first find nothing to do. Returns the versions
   * before and after.
   */
  private async run(client: PoolClient): Promise<{ from: number; to: number }> {
    const { names } = this;
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${names.lockKey('migrate')})`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${names.schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${names.of('migrations')} ` +
          '(version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query(`SELECT coalesce(max(version), 0) AS version FROM ${names.of('migrations')}`);
      const from = Number(rows[0]!.version);
      for (const migration of MIGRATIONS) {
        if (migration.version <= from) continue;
        await client.query(migration.sql(names));
        const values = `(${migration.version}, ${literal(migration.name)})`;
        await client.query(`INSERT INTO ${names.of('migrations')} (version, name) VALUES ${values}`);
      }
      await client.query('COMMIT');
      return { from, to: Math.max(from, SCHEMA_VERSION) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
