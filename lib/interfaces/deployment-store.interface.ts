/**
 * The store side of deployments (issue 10): workers that claim only their own handlers, per-handler limits across
 * processes, pause, and the registry of live workers. Every limit is checked inside the store's atomic claim.
 */

/** At most `limit` attempts of a handler start in any window of `interval` ms (on the store's clock). */
export interface RateLimit {
  limit: number;
  interval: number;
}

/** One handler a worker asks tasks of in a claim, with the limits that apply to it. */
export interface ClaimableHandler {
  /** At most this many of its tasks in this claim (its per-process `concurrency` minus its attempts running here). */
  limit?: number;
  /**
   * At most this many of its tasks `running` at once in the store, whoever holds them; a task whose worker died
   * holds its slot until its lease expires.
   */
  globalConcurrency?: number;
  /** Starts (claims) per window, per `rateLimitKey` when a task has one, else per handler. */
  rateLimit?: RateLimit;
}

/** What is paused in a store: the whole queue, and handlers by name. */
export interface PauseState {
  queue: boolean;
  handlers: string[];
}

/** A live worker as the store keeps it (`scheduler.listWorkers()`). Times are epoch ms. */
export interface WorkerRecord {
  id: string;
  hostname: string;
  pid: number;
  /** The handlers it runs. */
  handlers: string[];
  concurrency: number;
  /** Attempts it was running at its last heartbeat. */
  running: number;
  startedAt: number;
  /** Its last heartbeat, on the store's clock. */
  lastSeenAt: number;
}

/**
 * Optional store methods of deployments. A store with `supportsDeployments` honours `ClaimRequest.handlers` (its
 * tasks of handlers not listed are never claimed, whatever their place in the order; a capped, held or paused
 * handler never holds up another's tasks, and claims cost the same whatever the backlog of a handler at its cap)
 * and implements all of these. Without it the scheduler's `pause()`, `listWorkers()` and the handler limits throw
 * `StoreOperationUnsupportedError`.
 */
export interface DeploymentStoreMethods {
  readonly supportsDeployments?: boolean;
  /**
   * The handler asked to slow down (`RateLimitedError`): the task is `pending` again in `delayMs` (keeping its
   * partition, as a retry does), `retryBase` grows by one (the attempt does not use up a retry), and no task of
   * its handler, or of its `rateLimitKey` if it has one, is claimed by anyone before then. False if the lease is
   * stale or the task was cancelled meanwhile.
   */
  postpone?(lease: { taskId: string; token: string }, delayMs: number): Promise<boolean>;
  /** Pauses (or resumes) one handler, or with `handler` null the whole queue; a resume signals `wake`. */
  setPaused?(handler: string | null, paused: boolean): Promise<void>;
  getPaused?(): Promise<PauseState>;
  /** Creates or refreshes the worker's record, `lastSeenAt` = the store's now; it expires after `ttlMs` unseen. */
  heartbeatWorker?(worker: Omit<WorkerRecord, 'lastSeenAt'>, ttlMs: number): Promise<void>;
  /** The worker stopped: its record goes at once. */
  removeWorker?(workerId: string): Promise<void>;
  /** The live workers (seen within their ttl), by id. */
  listWorkers?(): Promise<WorkerRecord[]>;
  /** Names of the handlers with due `pending` tasks (for the health check's `unattendedHandlers`). */
  dueHandlers?(): Promise<string[]>;
}
