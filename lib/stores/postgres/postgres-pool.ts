import type { Pool, PoolConfig } from 'pg';
import type { PgModule } from './postgres-driver.loader.js';
import type { PostgresTaskStoreOptions } from './postgres-task-store-options.interface.js';

/** The option's pool if it is a `pg.Pool` you keep (rather than Pool options): the store never ends it. */
export function ownPool(options: PostgresTaskStoreOptions): Pool | undefined {
  const pool = options.pool as Pool | undefined;
  return typeof pool?.connect === 'function' && typeof pool.query === 'function' ? pool : undefined;
}

/** The pool the store runs on: yours, or one it opens with its connection settings (and `overrides`). */
export function openPool(
  pg: PgModule,
  options: PostgresTaskStoreOptions,
  config: PoolConfig,
  overrides?: PoolConfig,
): Pool {
  return ownPool(options) ?? new pg.Pool({ ...config, ...overrides });
}

/** Ends the pool if the store opened it (never yours). */
export async function endPool(pool: Pool, options: PostgresTaskStoreOptions): Promise<void> {
  if (pool !== ownPool(options)) await pool.end().catch(() => undefined);
}
