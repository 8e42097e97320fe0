import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A free loopback port (the OS picks it; a listener on it is closed before the port is used). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A redis-server of the chaos run's own, on a free port, with AOF fsynced at every write (so what Redis
 * acknowledged survives a kill -9 of the server, and a loss the run finds is the queue's), that it may shut down,
 * kill and start again on the same port and data.
 */
export class ChaosRedisServer {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ntq-chaos-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<ChaosRedisServer> {
    const server = new ChaosRedisServer(await freePort());
    await server.up();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--logfile', join(this.dir, 'redis.log'));
    this.process = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const redis = new Redis(this.port, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        if ((await redis.ping()) === 'PONG') return;
      } catch {
        await sleep(50);
      } finally {
        redis.disconnect();
      }
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** SHUTDOWN (a clean stop: AOF flushed), or `kill`: SIGKILL. Resolves once the process is gone. */
  async down(how: 'shutdown' | 'kill'): Promise<void> {
    const process = this.process;
    if (process === undefined || process.exitCode !== null || process.signalCode !== null) return;
    const exit = once(process, 'exit');
    process.kill(how === 'kill' ? 'SIGKILL' : 'SIGTERM'); // SIGTERM is SHUTDOWN to redis-server
    await exit;
  }

  async stop(): Promise<void> {
    await this.down('shutdown');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
