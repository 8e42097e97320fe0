import type { AddOptions } from '../../interfaces/task-store.interface.js';
import type { DurableStoreOptions } from '../shared/durable-store-options.interface.js';

/**
 * `pg` Pool options (its `PoolConfig`: host, port, user, password, database, ssl, max, ...). Typed
 * structurally so that this package's types do not need pg's types installed.
 */
export interface PostgresPoolOptions {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string | (() => string | Promise<string>);
  database?: string;
  ssl?: boolean | Record<string, unknown>;
  /** Connections at most. pg's default: 10. */
  max?: number;
  [option: string]: unknown;
}

/** A `pg.Pool` that you created and keep: the store uses it and never ends it. */
export interface PostgresPoolLike {
  connect(...args: never[]): unknown;
  query(...args: never[]): unknown;
  on(...args: never[]): unknown;
}

export interface PostgresTaskStoreOptions extends DurableStoreOptions {
  /** `postgres://user:password@host:5432/db`. Give this or `pool`. */
  connectionString?: string;
  /**
   * `pg` Pool options (the store opens and closes the pool), or a `pg.Pool` you created and keep (the store
   * uses it and never ends it). Give this or `connectionString`. The store also opens one connection of its
   * own for LISTEN, with the same settings.
   */
  pool?: PostgresPoolOptions | PostgresPoolLike;
  /** The schema that holds the store's tables and functions (created if missing). Default `task_queue`. */
  schema?: string;
  /**
   * Create or upgrade the schema when the store starts (safe when several processes start at once). false:
   * run `store.migrate()` yourself, e.g. in a deploy step; the store then checks the schema is current. Default true.
   */
  migrate?: boolean;
  /**
   * Run statements as named prepared statements (parsed and planned once per connection). Set false when the
   * store reaches PostgreSQL through a pooler in transaction mode (PgBouncer, most managed poolers): a named
   * statement belongs to one server connection, which the pooler hands to other clients. Default true.
   */
  preparedStatements?: boolean;
  /**
   * A connection string straight to the server (not through a transaction-mode pooler), for the store's one
   * LISTEN connection: LISTEN belongs to a session. Default: the store's own settings, or, with
   * `preparedStatements: false`, no LISTEN at all: workers then hear of other processes' tasks and cancels only
   * through their safety poll (`pollInterval`).
   */
  listenConnectionString?: string;
}

/** What can run the store's statements inside your transaction: a pg `PoolClient` or `Client` after BEGIN. */
export interface PostgresQueryable {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
}

export interface PostgresAddOptions extends AddOptions {
  /**
   * A client inside your transaction (after BEGIN): the tasks are added by your transaction, so they exist
   * only if it commits (the outbox pattern), and workers are notified at commit. The store never commits,
   * rolls back or releases it.
   */
  transaction?: PostgresQueryable;
}
