import { TaskAbortedError } from '../../errors/task-aborted.error.js';
import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { Messages } from '../../task-queue.messages.js';
import { describeError } from '../describe-error.js';
import type { LevelLogger } from '../level-logger.js';
import { toTaskError } from '../task-error.mapper.js';

/**
 * A claim answered later than this share of the lease time is stale: its leases would not outlast the heartbeat's
 * next renewal (a third of the lease time away at most), so another worker could take a task over while it runs.
 */
const HOLDABLE_LEASE_SHARE = 2 / 3;

/**
 * Whether a claim answered `replyMs` after it was asked for leaves its leases time to be renewed. A store leases
 * a task for `leaseTime` from its own now during the claim, which comes after the request left: so the request's
 * start plus `leaseTime`, on this process's monotonic clock, is a deadline the lease outlives, with no comparison
 * of clocks.
 */
export function claimIsStale(replyMs: number, leaseTime: number): boolean {
  return replyMs > leaseTime * HOLDABLE_LEASE_SHARE;
}

/** Releases the tasks of a stale claim unstarted: pending again at once (a lease lost meanwhile is refused). */
export async function handBackStaleClaim(
  store: ITaskStore,
  logger: LevelLogger,
  tasks: readonly TaskRecord[],
  replyMs: number,
): Promise<void> {
  const { leaseTime } = store;
  const ms = Math.round(replyMs);
  const late = `the claim was answered after ${ms} ms, too late to hold their ${leaseTime} ms leases`;
  logger.warn(`Handing back ${tasks.length} claimed task(s) unstarted: ${late}`);
  const handBack = async (task: TaskRecord): Promise<void> => {
    const error = toTaskError(new TaskAbortedError(Messages.staleClaim(task.id, ms, leaseTime)));
    try {
      await store.fail({ taskId: task.id, token: task.leaseToken! }, error, 0);
    } catch (failure) {
      const what = `could not hand it back (${describeError(failure)}); it runs again once its lease expires`;
      logger.warn(`Task ${task.id}: ${what}`);
    }
  };
  await Promise.all(tasks.map(handBack));
}
