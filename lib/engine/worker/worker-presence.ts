import { hostname } from 'node:os';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { describeError } from '../describe-error.js';
import type { LevelLogger } from '../level-logger.js';
import { DeploymentMessages } from '../deployments/deployment.messages.js';

/** What the worker says of itself at each beat. */
export interface WorkerSelf {
  readonly id: string;
  handlers(): string[];
  readonly concurrency: number;
  running(): number;
}

/**
 * Keeps this worker's record in the store (`listWorkers()`), on stores with `supportsDeployments`: refreshed at
 * the lease heartbeat's cadence with a ttl of one lease time, so a dead worker drops out about a `leaseTime`
 * after its last beat; removed when the worker stops.
 */
export class WorkerPresence {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private startedAt = 0;
  private failing = false;

  constructor(
    private readonly store: ITaskStore,
    private readonly self: WorkerSelf,
    private readonly logger: LevelLogger,
  ) {}

  start(): void {
    if (!this.store.supportsDeployments || this.store.heartbeatWorker === undefined) return;
    this.startedAt = Date.now();
    this.beat();
    this.timer = setInterval(this.beat, Math.max(10, this.store.leaseTime / 3)).unref();
  }

  async stop(): Promise<void> {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    try {
      await this.store.removeWorker?.(this.self.id);
    } catch (error) {
      this.logger.debug(`Could not remove this worker's record (${describeError(error)}); it expires on its own`);
    }
  }

  private readonly beat = (): void => {
    if (this.beating !== undefined) return;
    const { id, concurrency } = this.self;
    const record = {
      id,
      hostname: hostname(),
      pid: process.pid,
      handlers: this.self.handlers(),
      concurrency,
      running: this.self.running(),
      startedAt: this.startedAt,
    };
    this.beating = this.store.heartbeatWorker!(record, this.store.leaseTime).then(
      () => {
        this.failing = false;
        this.beating = undefined;
      },
      (error: unknown) => {
        if (!this.failing) this.logger.warn(DeploymentMessages.presenceFailed(describeError(error)));
        this.failing = true;
        this.beating = undefined;
      },
    );
  };
}
