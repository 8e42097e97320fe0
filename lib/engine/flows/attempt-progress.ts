import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import type { Lease, ITaskStore } from '../../interfaces/task-store.interface.js';
import { FlowMessages } from '../../task-queue-flows.messages.js';
import { Messages } from '../../task-queue.messages.js';
import { describeError } from '../describe-error.js';
import { assertJsonSafe } from '../json-safety.js';
import type { LevelLogger } from '../level-logger.js';

/** At most one progress write per task this often (ms): a few a second, whatever the handler calls. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * One attempt's `ctx.progress()`: the first value is written at once, later ones at most every
 * PROGRESS_INTERVAL_MS, the last always (`flush()` before the attempt reports). A lease the store refuses makes
 * it warn once and write nothing more.
 */
export class AttemptProgress {
  private lastWriteAt = -Infinity;
  private latest: { value: unknown } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private refused = false;

  constructor(
    private readonly store: ITaskStore,
    private readonly lease: Lease,
    private readonly logger: LevelLogger,
  ) {}

  /** Checks the value; false if nothing will be written (the lease was lost). */
  set(value: unknown): boolean {
    if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0 && value <= 100))
      throw new InvalidTaskOptionsError(
        Messages.invalidOption('progress', 'a number from 0 to 100 or JSON data', value),
      );
    if (value === undefined)
      throw new InvalidTaskOptionsError(
        Messages.invalidOption('progress', 'a number from 0 to 100 or JSON data', value),
      );
    if (this.store.serialization === 'json') assertJsonSafe(value, 'progress');
    if (this.refused) return false;
    this.latest = { value };
    if (this.timer === undefined && this.writing === undefined) {
      const wait = this.lastWriteAt + PROGRESS_INTERVAL_MS - Date.now();
      if (wait <= 0) this.write();
      else this.arm(wait);
    }
    return true;
  }

  /** Writes what is left to write; resolves once written (before the attempt's report). */
  async flush(): Promise<void> {
    for (;;) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.writing !== undefined) await this.writing;
      else if (this.latest === undefined || this.refused) return;
      else this.write();
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.writing === undefined && this.latest !== undefined) this.write();
    }, ms);
  }

  private write(): void {
    const { value } = this.latest!;
    this.latest = undefined;
    this.lastWriteAt = Date.now();
    this.writing = this.store.setProgress!(this.lease, value).then(
      (kept) => {
        if (!kept && !this.refused) {
          this.refused = true;
          this.logger.warn(FlowMessages.progressRefused(this.lease.taskId));
        }
      },
      (error: unknown) =>
        this.logger.warn(`Task ${this.lease.taskId}: progress not recorded (${describeError(error)})`),
    );
    void this.writing.then(() => {
      this.writing = undefined;
      if (this.latest !== undefined && this.timer === undefined && !this.refused)
        this.arm(Math.max(0, this.lastWriteAt + PROGRESS_INTERVAL_MS - Date.now()));
    });
  }
}
