import type { DurableStoreOptions } from '../shared/durable-store-options.interface.js';

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

/**
 * An ioredis client that you created and keep, a `Redis` or a `Cluster`, in any state (lazy, connecting, ready):
 * the store waits until it is ready, uses it for commands, opens its own subscriber from it (`duplicate()`), and
 * never closes it.
 */
export interface RedisClientLike {
  readonly status: string;
  duplicate(...args: never[]): unknown;
  evalsha(...args: never[]): unknown;
}

export interface RedisTaskStoreOptions extends DurableStoreOptions {
  /**
   * Where Redis is: ioredis options (`{ host, port }`), a `redis://` or `rediss://` URL, or an ioredis client you
   * own (a `Cluster` for Redis Cluster). Connections the store opens fail commands at once while Redis is unreachable (no offline queue);
   * a client you pass keeps its own settings.
   */
  connection: RedisConnectionOptions | string | RedisClientLike;
  /**
   * Names this queue's keys (`{prefix}:...`, one hash tag, so one Redis Cluster slot). Apps or queues that
   * share a Redis use different prefixes. Default `ntq`.
   */
  prefix?: string;
}
