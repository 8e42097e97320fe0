import type { ClientConfig, Pool, PoolConfig } from 'pg';
import { ownPool } from './postgres-pool.js';
import type { PostgresTaskStoreOptions } from './postgres-task-store-options.interface.js';

/** Settings of the connections the store opens; options you pass override them. */
const CONNECTION_DEFAULTS: ClientConfig = Object.freeze({
  connectionTimeoutMillis: 10_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  application_name: 'nest-task-queue',
});

/** The settings of every connection the store opens (its pool's and its listener's). */
export function connectionConfig(options: PostgresTaskStoreOptions): PoolConfig {
  const pool = ownPool(options);
  // pg-pool keeps the options it was created with.
  if (pool !== undefined) return { ...CONNECTION_DEFAULTS, ...(pool as Pool & { options: PoolConfig }).options };
  const config: PoolConfig = { ...CONNECTION_DEFAULTS, ...(options.pool as PoolConfig | undefined) };
  if (options.connectionString !== undefined) config.connectionString = options.connectionString;
  return config;
}

/**
 * The settings of the one LISTEN connection: `listenConnectionString` over the store's settings; without it the
 * store's own, unless they lead through a transaction-mode pooler (`preparedStatements: false`), where a LISTEN
 * would hear nothing once the pooler moves the session: then none (undefined).
 */
export function listenConfig(
  config: PoolConfig,
  preparedStatements: boolean,
  listenConnectionString: string | undefined,
): PoolConfig | undefined {
  if (listenConnectionString !== undefined) return { ...config, connectionString: listenConnectionString };
  return preparedStatements ? config : undefined;
}

/** Where the settings point, host:port/database, for messages. */
export function describeTarget(config: PoolConfig): string {
  if (config.connectionString !== undefined) {
    try {
      const url = new URL(config.connectionString);
      return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
    } catch {
      return 'the configured server';
    }
  }
  const host = config.host ?? process.env.PGHOST ?? 'localhost';
  const port = config.port ?? process.env.PGPORT ?? 5432;
  return `${host}:${port}/${config.database ?? process.env.PGDATABASE ?? ''}`;
}
