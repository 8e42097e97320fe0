import type { PostgresRunner } from './postgres-runner.js';

/**
 * Tells other processes that work became due, by NOTIFY, one notification at a time: wake-ups meanwhile are
 * merged (the earliest counts; a worker's claim then tells it the rest). Each goes in a transaction of its own
 * that does not wait for the disk, after the durable commit that made the work due: a NOTIFY holds a
 * database-wide lock through its commit, and inside a durable commit it would make every process's commits
 * wait in line.
 */
export class PostgresAnnouncer {
  private unannounced: number | undefined;
  private announcing: Promise<void> | undefined;

  constructor(
    private readonly runner: PostgresRunner,
    private readonly channel: string,
    private readonly origin: string,
  ) {}

  announce(inMs: number): void {
    this.unannounced = Math.min(this.unannounced ?? Infinity, inMs);
    this.announcing ??= this.flush().finally(() => (this.announcing = undefined));
  }

  /** Resolves when what was announced so far is sent. */
  async drain(): Promise<void> {
    await this.announcing;
  }

  private async flush(): Promise<void> {
    while (this.unannounced !== undefined && this.runner.pool !== undefined) {
      const inMs = this.unannounced;
      this.unannounced = undefined;
      const payload = `${this.origin}|w${inMs > 0 ? `|${Math.ceil(inMs)}` : ''}`;
      // A lost notification costs other processes at most a poll interval; nothing to report.
      await this.runner.run('notify', 'notify', [this.channel, payload]).catch(() => undefined);
    }
  }
}
