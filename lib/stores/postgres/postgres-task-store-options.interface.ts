import type { ClientBase, Pool, PoolConfig } from 'pg';
import type { AddOptions } from '../../interfaces/task-store.interface.js';

export interface PostgresTaskStoreOptions {
  /** `postgres://user:password@host:5432/db`. Give this or `pool`. */
  connectionString?: string;
  /**
   * `pg` Pool options (the store opens and closes the pool), or a `pg.Pool` you created and keep (the store
   * uses it and never ends it). Give this or `connectionString`. The store also opens one connection of its
   * own for LISTEN, with the same settings.
   */
  pool?: PoolConfig | Pool;
  /** The schema that holds the store's tables and functions (created if missing). Default `task_queue`. */
  schema?: string;
  /** How long a claimed task stays leased without a renewal, ms. A dead worker's tasks run again after it. Default 30,000. */
  leaseTime?: number;
  /**
   * Create or upgrade the schema when the store starts (safe when several processes start at once). false:
   * run `store.migrate()` yourself, e.g. in a deploy step; the store then checks the schema is current. Default true.
   */
  migrate?: boolean;
  /**
   * How often idle workers claim anyway, ms: a safety net for a notification missed while the listening
   * connection reconnected. Notifications and the due-time timer do the real work. Default 5,000.
   */
  pollInterval?: number;
}

/** What can run the store's statements: a `pg.Pool`, a pool client or a `pg.Client`. */
export type PostgresQueryable = Pick<ClientBase, 'query'>;

export interface PostgresAddOptions extends AddOptions {
  /**
   * A client inside your transaction (after BEGIN): the tasks are added by your transaction, so they exist
   * only if it commits (the outbox pattern), and workers are notified at commit. The store never commits,
   * rolls back or releases it.
   */
  transaction?: PostgresQueryable;
}
