import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

/** Where Debian's `pgbouncer` package puts it (/usr/sbin is not on every user's PATH). */
function findPgBouncer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => join(dir, 'pgbouncer')).find((path) => existsSync(path));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A PgBouncer of the test's own, in transaction mode (what managed PostgreSQL poolers use), on a free loopback
 * port in front of the test server (127.0.0.1:5432, database `test`), with a temp config. `url` reaches the
 * database through it.
 */
export class PgBouncer {
  private constructor(
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly dir: string,
  ) {}

  /** Starts one, or throws saying why it cannot (not installed, did not start). */
  static async start(
    server = { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' },
  ): Promise<PgBouncer> {
    const binary = findPgBouncer();
    if (binary === undefined) throw new Error('pgbouncer is not installed (Debian: apt-get install -y pgbouncer)');
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'ntq-pgbouncer-'));
    // PgBouncer refuses to run as root: it switches to `postgres` (-u), which must read the config and write the log.
    chmodSync(dir, 0o777);
    const config = join(dir, 'pgbouncer.ini');
    const { host, database, user } = server;
    writeFileSync(
      config,
      [
        '[databases]',
        `${database} = host=${host} port=${server.port} dbname=${database} user=${user}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        "unix_socket_dir = ''",
        'auth_type = any',
        'pool_mode = transaction',
        'max_client_conn = 500',
        'default_pool_size = 20',
        // Each transaction on the next server connection, not the one just released (LIFO, the default): a client's
        // statements then surely meet server connections it did not prepare them on, as under real concurrency.
        'server_round_robin = 1',
        `logfile = ${join(dir, 'pgbouncer.log')}`,
        '',
      ].join('\n'),
    );
    chmodSync(config, 0o644);
    const asRoot = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
    const child = spawn(binary, [...asRoot, config], { stdio: ['ignore', 'ignore', 'pipe'] });
    const bouncer = new PgBouncer(`postgres://${user}@127.0.0.1:${port}/${database}`, child, dir);
    try {
      await bouncer.ready();
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
    return bouncer;
  }

  /** Waits until a query goes through (PgBouncer takes a moment to listen), or the process dies. */
  private async ready(): Promise<void> {
    let stderr = '';
    this.process.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      this.process.once('exit', (code) => reject(new Error(`pgbouncer exited (${code}): ${stderr}${this.log()}`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1_000 });
      client.on('error', () => undefined);
      try {
        await Promise.race([client.connect().then(() => client.query('SELECT 1')), exited]);
        return;
      } catch (error) {
        if (this.process.exitCode !== null || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  private log(): string {
    const path = join(this.dir, 'pgbouncer.log');
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGINT');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
