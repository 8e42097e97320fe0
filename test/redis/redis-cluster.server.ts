import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { eventually } from '../support/eventually.js';

const run = promisify(execFile);

/** A port free on loopback now, whose cluster bus port (port + 10000) is free too. */
async function freePort(taken: Set<number>): Promise<number> {
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as { port: number };
        server.close(() => resolve(bound));
      });
    });
  for (;;) {
    const port = await listen(0);
    if (port > 55_000 || taken.has(port) || taken.has(port + 10_000)) continue;
    const bus = await listen(port + 10_000).catch(() => undefined);
    if (bus !== undefined) return port;
  }
}

/**
 * A Redis Cluster of three masters (no replicas) on free loopback ports, in a temp folder, started by the test
 * and shut down after it. Throws when redis-server or redis-cli is missing.
 */
export class RedisClusterServer {
  private constructor(
    readonly ports: number[],
    private readonly dir: string,
  ) {}

  /** The startup nodes, as an ioredis Cluster takes them. */
  get nodes(): { host: string; port: number }[] {
    return this.ports.map((port) => ({ host: '127.0.0.1', port }));
  }

  /** Checks that the tools are installed (the skip reason when they are not). */
  static async probe(): Promise<void> {
    for (const tool of ['redis-server', 'redis-cli']) {
      await run(tool, ['--version']).catch((error: Error) => {
        throw new Error(`${tool} is needed to start a test cluster (${error.message})`, { cause: error });
      });
    }
  }

  static async start(): Promise<RedisClusterServer> {
    const dir = mkdtempSync(join(tmpdir(), 'ntq-cluster-'));
    const taken = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort(taken);
      taken.add(port).add(port + 10_000);
      ports.push(port);
    }
    const server = new RedisClusterServer(ports, dir);
    try {
      for (const port of ports) {
        await run('redis-server', [
          ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
          ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
          ...['--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--logfile', `redis-${port}.log`],
        ]);
      }
      const cli = (port: number, ...args: string[]) =>
        run('redis-cli', ['-p', String(port), ...args]).then(
          ({ stdout }) => stdout,
          () => '',
        );
      const all =
        (...args: string[]) =>
        () =>
          Promise.all(ports.map((port) => cli(port, ...args)));
      await eventually(all('ping'), (replies) => replies.every((reply) => reply.includes('PONG')));
      await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-yes']);
      await eventually(all('cluster', 'info'), (infos) => infos.every((info) => info.includes('cluster_state:ok')));
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** A Cluster client on the startup nodes (lazy unless told), quiet about errors the tests provoke. */
  client(options: ConstructorParameters<typeof Cluster>[1] = {}): Cluster {
    const cluster = new Cluster(this.nodes, options);
    cluster.on('error', () => undefined);
    return cluster;
  }

  /**
   * `count` queue prefixes whose keys (hash tag `{prefix}`) land on different masters, `count` at most 3.
   */
  async prefixesOnDifferentShards(label: string, count: number): Promise<string[]> {
    const redis = new Redis({ host: '127.0.0.1', port: this.ports[0]! });
    try {
      const slots = (await redis.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
      const owner = (slot: number) => slots.find(([from, to]) => slot >= from && slot <= to)![2][1];
      const byOwner = new Map<number, string>();
      for (let i = 0; byOwner.size < count; i++) {
        const prefix = `ntq-${label}-${Date.now().toString(36)}-${i}`;
        const slot = (await redis.cluster('KEYSLOT', `{${prefix}}:counts`)) as number;
        if (!byOwner.has(owner(slot))) byOwner.set(owner(slot), prefix);
      }
      return [...byOwner.values()];
    } finally {
      redis.disconnect();
    }
  }

  /** SHUTDOWN NOSAVE on every node, then removes the folder. */
  async stop(): Promise<void> {
    for (const port of this.ports) {
      await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
