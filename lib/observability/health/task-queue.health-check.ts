import type { TaskQueue } from '../../engine/task-queue.js';
import { ObservabilityMessages } from '../observability.messages.js';
import { readQueueGauges, type QueueGauges } from '../queue-gauges.reader.js';
import type { TaskQueueHealthOptions } from './task-queue-health-options.interface.js';
import { readUnattendedHandlers } from './unattended-handlers.reader.js';

/** What the health check found. `problems` says why it is not healthy, one line each. */
export interface TaskQueueHealth {
  healthy: boolean;
  store: 'up' | 'down';
  /** `disabled`: this process only schedules (`autoStart: false`), so its worker is not checked. */
  worker: 'running' | 'stopped' | 'stopping' | 'disabled';
  claimFailures: number;
  pending?: number;
  running?: number;
  /** Only from stores with `backlog()`. */
  oldestDueAgeMs?: number;
  /**
   * Handlers with due tasks that no live worker runs: they wait until one starts (a worker app not deployed, or
   * down). Reported, not counted as a problem. Only from stores with `supportsDeployments`.
   */
  unattendedHandlers?: string[];
  problems: string[];
}

export const HEALTH_DEFAULTS = Object.freeze({
  storeTimeout: 1_000,
  maxOldestDueAge: 300_000 as number | false,
  maxClaimFailures: 3,
});

/**
 * Checks a task queue: the store answers in time, the worker loop runs and its claims succeed, and the
 * oldest due task is not later than a threshold. Plain TypeScript; `TaskQueueHealthIndicator` adapts it to terminus.
 */
export class TaskQueueHealthCheck {
  private readonly options: Required<TaskQueueHealthOptions>;

  constructor(
    private readonly queue: Pick<TaskQueue, 'store' | 'workerStatus' | 'options'>,
    options: TaskQueueHealthOptions = {},
  ) {
    this.options = { ...HEALTH_DEFAULTS, ...options };
  }

  async check(): Promise<TaskQueueHealth> {
    const problems: string[] = [];
    const { state, claimFailures } = this.queue.workerStatus;
    const worker = this.queue.options.autoStart ? state : 'disabled';
    if (worker !== 'running' && worker !== 'disabled') problems.push(ObservabilityMessages.workerNotRunning(worker));
    if (worker !== 'disabled' && claimFailures >= this.options.maxClaimFailures)
      problems.push(ObservabilityMessages.claimsFailing(claimFailures));

    let gauges: QueueGauges | undefined;
    try {
      gauges = await readQueueGauges(this.queue.store, this.options.storeTimeout);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(
        message === ObservabilityMessages.storeTimedOut(this.options.storeTimeout)
          ? message
          : ObservabilityMessages.storeFailed(message),
      );
    }
    const { maxOldestDueAge } = this.options;
    const age = gauges?.oldestDueAgeMs;
    if (maxOldestDueAge !== false && age !== undefined && age > maxOldestDueAge)
      problems.push(ObservabilityMessages.oldestDueTooLate(age, maxOldestDueAge));

    const health: TaskQueueHealth = {
      healthy: problems.length === 0,
      store: gauges === undefined ? 'down' : 'up',
      worker,
      claimFailures,
      problems,
    };
    if (gauges !== undefined) {
      health.pending = gauges.pending;
      health.running = gauges.running;
      if (age !== undefined) health.oldestDueAgeMs = age;
      const unattended = await readUnattendedHandlers(this.queue.store, this.options.storeTimeout).catch(
        () => undefined,
      );
      if (unattended !== undefined) health.unattendedHandlers = unattended;
    }
    return health;
  }
}
