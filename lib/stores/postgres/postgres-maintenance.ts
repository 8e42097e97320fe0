import type { RetentionOptions } from '../../interfaces/task-store.interface.js';
import type { PostgresRunner } from './postgres-runner.js';

/** What the housekeeping needs of the store besides its statements. */
export interface MaintenanceEvents {
  /** Checks the listening connection. */
  ping(): Promise<void>;
  /** A tick failed (reported once until a tick succeeds again). */
  failed(error: unknown): void;
}

const TICK_MS = 1_000;
/** Retention also runs this often when this process finished nothing (others may have; age expires tasks). */
const IDLE_TRIM_MS = 30_000;
const TRIM_BATCH = 1_000;
/** Batches per tick at most, so a large backlog is removed over several ticks. */
const TRIM_BATCHES_PER_TICK = 20;
/** Expired rate-window starts one sweep deletes at most (the sweep runs with retention). */
const SWEEP_BATCH = 10_000;

/**
 * One timer for the store's housekeeping: every second it folds the counters; it applies retention after
 * this process finished tasks (or every 30 s), in batches, and sweeps the deployments' expired rows; it pings the listening connection every
 * `pingEvery` ms. A tick never overlaps the previous one. Failures are reported once per outage.
 */
export class PostgresMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private finished = false;
  private nextTrimAt = 0;
  private nextPingAt = 0;
  private failing = false;

  constructor(
    private readonly runner: PostgresRunner,
    private readonly retention: () => Required<RetentionOptions>,
    private readonly pingEvery: number,
    private readonly events: MaintenanceEvents,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, TICK_MS);
    this.timer.unref();
  }

  /** Tasks finished here: retention runs on the next tick. */
  markFinished(): void {
    this.finished = true;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    try {
      if (now >= this.nextPingAt) {
        this.nextPingAt = now + this.pingEvery;
        await this.events.ping();
      }
      await this.runner.run('maintenance', 'fold', []);
      if (this.finished || now >= this.nextTrimAt) {
        this.finished = false;
        this.nextTrimAt = now + IDLE_TRIM_MS;
        for (let i = 0; i < TRIM_BATCHES_PER_TICK; i++) if ((await this.trim()) < TRIM_BATCH) break;
        // Deployments: rate-window starts, holds and workers past their time.
        await this.runner.run('maintenance', 'sweep', [SWEEP_BATCH]);
      }
      this.failing = false;
    } catch (error) {
      // Retention is owed until a tick gets through.
      this.finished = true;
      if (!this.failing) this.events.failed(error);
      this.failing = true;
    }
  }

  /** Removes one batch of finished tasks past retention; returns how many. */
  private async trim(): Promise<number> {
    const { maxCount, maxAge } = this.retention();
    const values = [Math.min(maxCount, 1e15), Math.min(maxAge, 1e15), TRIM_BATCH];
    const [row] = await this.runner.run<{ removed: number }>('retention', 'trim', values);
    return row!.removed;
  }
}
