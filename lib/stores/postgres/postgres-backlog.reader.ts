import type { TaskBacklog } from '../../interfaces/task-backlog.interface.js';
import type { PostgresRunner } from './postgres-runner.js';

/** Due tasks counted at most; past this, the delayed ones are counted instead. */
const BACKLOG_COUNT_LIMIT = 10_000;

type BacklogRow = { claimable: number; due: number; oldest_due: number | null };

/**
 * The backlog, for metrics and health checks, from counters and indexes: the oldest due task costs
 * O(priorities x log n); the delayed count is the claimable counter minus the due tasks, counted up to 10,000
 * (past that, the delayed ones are counted instead). `clockOffset`: the database's clock minus this machine's.
 */
export async function readBacklog(runner: PostgresRunner, clockOffset: number): Promise<TaskBacklog> {
  const [row] = await runner.run<BacklogRow>('backlog', 'backlog', [BACKLOG_COUNT_LIMIT]);
  let delayed = row!.claimable - row!.due;
  if (row!.due >= BACKLOG_COUNT_LIMIT) {
    delayed = (await runner.run<{ delayed: number }>('backlog', 'backlogDelayed', []))[0]!.delayed;
  }
  const oldestDueAt = row!.oldest_due === null ? undefined : row!.oldest_due - clockOffset;
  return { delayed: Math.max(0, delayed), oldestDueAt };
}
