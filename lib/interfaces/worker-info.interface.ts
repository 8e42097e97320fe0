/** A live worker sharing the store, as `listWorkers()` shows it. */
export interface WorkerInfo {
  id: string;
  hostname: string;
  pid: number;
  /** The handlers it runs: it claims tasks of these only. */
  handlers: string[];
  concurrency: number;
  /** Attempts it was running at its last heartbeat. */
  running: number;
  startedAt: Date;
  /** Its last heartbeat (the store's clock); a worker unseen for about a `leaseTime` drops out. */
  lastSeenAt: Date;
}
