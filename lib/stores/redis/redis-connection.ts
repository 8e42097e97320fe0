import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import { StoreUnavailableError } from '../../errors/store-unavailable.error.js';
import { Messages } from '../../task-queue.messages.js';
import { loadPeer } from '../shared/peer-loader.js';
import { isCluster, redisTarget, type RedisTarget } from './redis-connection-target.js';
import type { RedisClientLike, RedisTaskStoreOptions } from './redis-task-store-options.interface.js';
import { RedisMessages } from './redis.messages.js';

type RedisConstructor = new (...args: unknown[]) => Redis;

/**
 * Settings of the connections the store opens: while Redis is unreachable, commands fail at once instead of
 * waiting in ioredis's offline queue, and commands in flight when the connection drops are failed, not
 * replayed (the caller decides; a script either ran whole or not at all). No auto-pipelining: the store
 * batches its own calls, and the extra hop cost a worker at low concurrency a quarter of its throughput.
 * Options you pass override these.
 */
export const FAIL_FAST_OPTIONS: RedisOptions = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  enableAutoPipelining: false,
});

export interface RedisConnections extends RedisTarget {
  /** Runs the scripts: a `Redis` client or a `Cluster` (both answer the commands the store sends). */
  client: Redis;
  /** Receives signals (a connection in subscriber mode runs nothing else). Always the store's own. */
  subscriber: Redis;
  /** Whether the store opened `client` (and so closes it). */
  ownsClient: boolean;
}

/** Loads ioredis (an optional peer dependency) only when a Redis store starts. */
async function loadRedis(): Promise<RedisConstructor> {
  const loaded: { Redis?: unknown; default?: unknown } = await loadPeer(
    'RedisTaskStore',
    'ioredis',
    () => import('ioredis'),
  );
  return (loaded.Redis ?? loaded.default) as RedisConstructor;
}

function isClient(connection: RedisTaskStoreOptions['connection']): connection is RedisClientLike {
  return typeof connection === 'object' && typeof (connection as RedisClientLike).duplicate === 'function';
}

/**
 * Opens the store's connections and waits until both are ready; a store that cannot connect throws. A client
 * you pass may be in any state: lazy (the store connects it), connecting, or ready.
 */
export async function openConnections(connection: RedisTaskStoreOptions['connection']): Promise<RedisConnections> {
  const Redis = await loadRedis();
  const ownsClient = !isClient(connection);
  let client: Redis;
  if (!ownsClient) client = connection as unknown as Redis;
  else if (typeof connection === 'string') client = new Redis(connection, { ...FAIL_FAST_OPTIONS, lazyConnect: true });
  else client = new Redis({ ...FAIL_FAST_OPTIONS, ...connection, lazyConnect: true });
  const target = redisTarget(client);
  const subscriber = subscriberOf(client);
  const db = isCluster(client) ? 0 : (client.options.db ?? 0);
  try {
    await ready(client);
    await client.ping();
    if (db !== 0) await selectDatabase(client, db, target.where);
    await connect(subscriber);
    return { client, subscriber, ownsClient, ...target };
  } catch (error) {
    disconnectNow(subscriber);
    if (ownsClient) disconnectNow(client);
    if (error instanceof InvalidTaskOptionsError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(
      Messages.storeUnavailable('init', `cannot connect to ${target.server} at ${target.where}: ${reason}`),
      { cause: error },
    );
  }
}

/**
 * The store's own connection for signals, with the client's settings (a Cluster's duplicate() takes startup
 * nodes first; [] keeps the client's), lazy so that the store sees its connection errors.
 */
function subscriberOf(client: Redis): Redis {
  const options = { lazyConnect: true, enableOfflineQueue: true, enableAutoPipelining: false };
  if (isCluster(client)) return (client as unknown as Cluster).duplicate([], options) as unknown as Redis;
  return client.duplicate(options);
}

/** Connects a lazy client, or waits until one already connecting is ready; its first error fails the wait. */
async function ready(client: Redis): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') return connect(client);
  if (client.status === 'end') throw new Error(RedisMessages.clientClosed());
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      client.off('ready', onReady).off('error', settle).off('end', onEnd);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = () => settle();
    const onEnd = () => settle(new Error(RedisMessages.clientClosed()));
    client.once('ready', onReady).once('error', settle).once('end', onEnd);
  });
}

/**
 * ioredis selects the database (`db`, or the URL's `/3`) as it connects, and when Redis refuses (ERR DB index is out
 * of range) only emits an error and carries on in database 0: selecting again here refuses it at start-up instead.
 */
async function selectDatabase(client: Redis, db: number, where: string): Promise<void> {
  try {
    await client.select(db);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidTaskOptionsError(RedisMessages.databaseRefused(db, where, reason), { cause: error });
  }
}

/** Connects, failing with the socket's own error (ECONNREFUSED, ...) rather than ioredis's "Connection is closed". */
async function connect(redis: Redis): Promise<void> {
  let cause: unknown;
  const remember = (error: unknown) => (cause ??= error);
  redis.on('error', remember);
  try {
    await redis.connect();
  } catch (error) {
    throw cause ?? error;
  } finally {
    redis.off('error', remember);
  }
}

/** A failed command as a StoreUnavailableError that says what failed, and whether Redis is connected. */
export function commandFailure(
  operation: string,
  connections: RedisConnections,
  error: unknown,
): StoreUnavailableError {
  const { client, server, where } = connections;
  const reason = error instanceof Error ? error.message : String(error);
  const state =
    client.status === 'ready' ? `${server} at ${where}` : `${server} at ${where} is not connected (${client.status})`;
  return new StoreUnavailableError(Messages.storeUnavailable(operation, `${state}: ${reason}`), { cause: error });
}

/** Redis's time (TIME), epoch ms. */
export async function readRedisTime(client: Redis): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

/** Closes the store's connections: the subscriber, and the client if the store opened it. */
export async function closeConnections({ client, subscriber, ownsClient }: RedisConnections): Promise<void> {
  subscriber.removeAllListeners().on('error', () => undefined);
  await closeConnection(subscriber);
  if (ownsClient) await closeConnection(client);
}

/** Closes a connection politely, or at once if Redis is not there to answer. */
async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  // Not ready: no QUIT can reach Redis (ioredis would only disconnect, or queue it until Redis is back).
  if (redis.status !== 'ready') return disconnectNow(redis);
  try {
    await redis.quit();
  } catch {
    disconnectNow(redis);
  }
}

/**
 * Drops a connection at once. ioredis's disconnect() gives its socket `disconnectTimeout` (2 s) to close, on a timer
 * only the socket's 'close' event clears: a socket that already closed (Redis refused or dropped it) never closes
 * again, so that timer kept the process alive 2 s after the store gave up. Such a socket has nothing to wait for.
 */
function disconnectNow(redis: Redis): void {
  const connector = (redis as unknown as { connector?: { stream?: { closed?: boolean } } }).connector;
  if (connector?.stream?.closed === true) connector.stream = undefined;
  redis.disconnect();
}
