import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { TaskAbortedError } from '../../errors/task-aborted.error.js';
import { Messages } from '../../task-queue.messages.js';
import { describeError } from '../describe-error.js';
import type { LevelLogger } from '../level-logger.js';
import type { TaskAttempt } from '../task-attempt.js';

/**
 * Renews the leases of the running attempts at a third of the store's lease time; an attempt whose lease is
 * lost (taken over, cancelled or gone) is aborted. The store logs the loss.
 */
export class LeaseHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ITaskStore,
    private readonly attempts: ReadonlyMap<string, TaskAttempt>,
    private readonly logger: LevelLogger,
  ) {}

  start(): void {
    this.timer = setInterval(this.renew, Math.max(10, this.store.leaseTime / 3)).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private readonly renew = async (): Promise<void> => {
    if (this.attempts.size === 0) return;
    const leases = [...this.attempts.values()].map((attempt) => attempt.lease);
    try {
      const lost = await this.store.renew(leases);
      for (const taskId of lost) this.attempts.get(taskId)?.abort(new TaskAbortedError(Messages.leaseLost(taskId)));
    } catch (error) {
      this.logger.warn(`Could not renew task leases (${describeError(error)})`);
    }
  };
}
