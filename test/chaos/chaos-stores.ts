import { setTimeout as sleep } from 'node:timers/promises';
import { POSTGRES_URL, postgresTarget } from '../postgres/postgres.store-target.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { ChaosRedisServer } from './chaos-redis-server.js';

/** A durable store as the chaos run drives it: its server (or the way to it), and how to take it away. */
export interface ChaosStore {
  name: string;
  /** The store's module in lib/ and its options (JSON: the workers get them too). */
  module: string;
  exportName: string;
  options: Record<string, unknown>;
  /** Takes the store away for `ms`, the `n`th time, then brings it back. Returns how it was done. */
  outage(n: number, ms: number): Promise<string>;
  close(): Promise<void>;
}

/** Redis: a server of the run's own (AOF on), shut down or killed, and started again on the same port. */
export async function redisChaosStore(leaseTime: number): Promise<ChaosStore> {
  const server = await ChaosRedisServer.start();
  return {
    name: 'Redis',
    module: 'stores/redis/redis-task.store.js',
    exportName: 'RedisTaskStore',
    options: { connection: server.url, prefix: 'ntq-chaos', leaseTime },
    async outage(n, ms) {
      const how = n % 2 === 0 ? 'shutdown' : 'kill';
      await server.down(how);
      await sleep(ms);
      await server.up();
      return how === 'kill' ? 'redis-server killed' : 'redis-server shut down';
    },
    close: () => server.stop(),
  };
}

/**
 * PostgreSQL: the machine's server (never restarted: other work uses it) behind a TCP proxy of the run's own,
 * which cuts every connection and refuses new ones, then listens again on the same port.
 */
export async function postgresChaosStore(leaseTime: number): Promise<ChaosStore> {
  const url = new URL(POSTGRES_URL);
  const proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
  await proxy.start();
  const schema = postgresTarget.uniqueNamespace('chaos');
  url.port = String(proxy.port);
  return {
    name: 'PostgreSQL',
    module: 'stores/postgres/postgres-task.store.js',
    exportName: 'PostgresTaskStore',
    options: { connectionString: url.href, schema, leaseTime },
    async outage(_n, ms) {
      await proxy.stop();
      await sleep(ms);
      await proxy.start();
      return 'connections cut';
    },
    async close() {
      await proxy.stop();
      await postgresTarget.dispose(schema);
    },
  };
}
