/**
 * What a store can tell cheaply about its pending tasks, through the optional `backlog()` (metrics and the
 * health check use it). Pending tasks are due (claimable now), delayed, or waiting behind their partition.
 */
export interface TaskBacklog {
  /** Pending tasks whose runAt is ahead (a delay, or a retry's wait); not those behind their partition's head. */
  delayed: number;
  /** runAt (epoch ms) of the oldest task that is due and claimable, i.e. not waiting behind its partition. */
  oldestDueAt: number | undefined;
}

/** A store that implements the optional `backlog()`. */
export interface TaskBacklogSource {
  /** Answers from the store's indexes (no scan of all tasks): it is called on every metrics scrape. */
  backlog(): Promise<TaskBacklog>;
}
