/**
 * ioredis connection options (`RedisOptions`: host, port, username, password, db, tls, ...). Typed
 * structurally so that this package's types do not need ioredis installed.
 */
export interface RedisConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  [option: string]: unknown;
}

/** An ioredis client (`Redis` instance) that you created and keep: the store uses it and never closes it. */
export interface RedisClientLike {
  readonly status: string;
  duplicate(...args: never[]): unknown;
  evalsha(...args: never[]): unknown;
}

export interface RedisTaskStoreOptions {
  /**
   * Where Redis is: ioredis options (`{ host, port }`), a `redis://` or `rediss://` URL, or an ioredis client you
   * own. Connections the store opens fail commands at once while Redis is unreachable (no offline queue);
   * a client you pass keeps its own settings.
   */
  connection: RedisConnectionOptions | string | RedisClientLike;
  /**
   * Names this queue's keys (`{prefix}:...`, one hash tag, so one Redis Cluster slot). Apps or queues that
   * share a Redis use different prefixes. Default `ntq`.
   */
  prefix?: string;
  /** How long a claimed task stays leased without a renewal, ms. A dead worker's tasks run again after it. Default 30,000. */
  leaseTime?: number;
  /**
   * How often idle workers claim anyway, ms: a safety net for a signal lost while the subscriber reconnected.
   * Signals and the due-time timer do the real work. Default 5,000.
   */
  pollInterval?: number;
}
