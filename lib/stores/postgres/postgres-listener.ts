import type { Client, ClientConfig, Notification } from 'pg';
import type { PgModule } from './postgres-driver.loader.js';

export interface PostgresListenerEvents {
  notification(payload: string): void;
  /** The connection broke (once per outage). */
  lost(reason: string): void;
  /** LISTEN works again after an outage: notifications sent meanwhile were missed. */
  reconnected(): void;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 10_000;
/** A ping not answered within this is a dead connection. */
const PING_TIMEOUT_MS = 5_000;

/**
 * The one dedicated connection that LISTENs on the queue's channel (a pooled connection cannot: LISTEN
 * belongs to a session). It reconnects by itself with exponential backoff and jitter, and pings now and then
 * so a silently dead connection (a half-open socket) is noticed too.
 */
export class PostgresListener {
  private client: Client | undefined;
  private closed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private outage = false;

  constructor(
    private readonly pg: PgModule,
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly events: PostgresListenerEvents,
  ) {}

  /** Connects and listens; throws if that fails (the store cannot start). */
  async start(): Promise<void> {
    await this.open();
  }

  /** Checks the connection answers; a dead one is dropped and reconnected. */
  async ping(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to a ping within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (error) {
      this.drop(client, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    const client = new this.pg.Client(this.config);
    client.on('error', (error: Error) => this.drop(client, error));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    client.on('notification', (message: Notification) => this.events.notification(message.payload ?? ''));
    client.on('end', () => this.drop(client, new Error('the connection was closed')));
    this.client = client;
  }

  private drop(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (!this.outage) {
      this.outage = true;
      this.events.lost(error instanceof Error ? error.message : String(error));
    }
    this.retry();
  }

  private retry(): void {
    const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures++);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => void this.reconnect(), delay);
    this.retryTimer.unref();
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      await this.open();
    } catch {
      if (!this.closed) this.retry();
      return;
    }
    if (this.closed) return;
    this.failures = 0;
    this.outage = false;
    this.events.reconnected();
  }
}
