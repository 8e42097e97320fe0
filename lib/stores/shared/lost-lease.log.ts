import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { Lease } from '../../interfaces/task-store.interface.js';
import { Messages } from '../../task-queue.messages.js';

/** Leases remembered at most: the aborted attempt's refused report normally comes within a lease period. */
const REMEMBERED = 1_000;

/**
 * Warns once per lost lease. A worker learns of the loss at renewal (warned there), aborts the attempt, and the
 * attempt's report is then refused for the same lease: that refusal is not warned about again. A refusal the
 * renewals never saw (the lease was lost between two of them) is.
 */
export class LostLeaseLog {
  /** taskId -> token of leases warned about at renewal, oldest first. */
  private readonly warned = new Map<string, string>();

  constructor(private readonly logger: () => TaskQueueLogger | undefined) {}

  /** A renewal found the lease gone. */
  lostAtRenewal(lease: Lease): void {
    if (this.warned.get(lease.taskId) === lease.token) return;
    this.warned.delete(lease.taskId);
    this.warned.set(lease.taskId, lease.token);
    if (this.warned.size > REMEMBERED) this.warned.delete(this.warned.keys().next().value!);
    this.logger()?.warn(Messages.leaseLost(lease.taskId));
  }

  /** The store refused a report because the lease was gone. */
  reportRefused(lease: Lease): void {
    if (this.warned.get(lease.taskId) === lease.token) this.warned.delete(lease.taskId);
    else this.logger()?.warn(Messages.leaseLost(lease.taskId));
  }
}
