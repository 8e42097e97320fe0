import type { PauseState, WorkerRecord } from '../../interfaces/deployment-store.interface.js';
import type { Lease } from '../../interfaces/task-store.interface.js';
import type { PostgresRunner } from './postgres-runner.js';

/** The row `paused` holds for the whole queue (handler names are never empty). */
const QUEUE = '';

interface WorkerRow {
  id: string;
  hostname: string;
  pid: number;
  handlers: string[];
  concurrency: number;
  running: number;
  started_at: number;
  last_seen_at: number;
}

/**
 * The deployments' store calls besides the claim (sql/deployments.sql.ts): postpone, pause, the worker registry
 * and due handlers. Times cross with the clock offset, as task times do.
 */
export class PostgresDeployments {
  constructor(
    private readonly runner: PostgresRunner,
    private readonly origin: string,
    /** ms to add to this machine's times to get the database's. */
    private readonly clock: { offset: number },
    /** Work is due in ms (null: none): this store's workers and other processes are told. */
    private readonly wake: (inMs: number | null) => void,
  ) {}

  async postpone(lease: Lease, delayMs: number): Promise<boolean> {
    const values = [lease.taskId, lease.token, delayMs, this.origin];
    const [row] = await this.runner.run<{ postponed: boolean; wake_ms: number | null }>('postpone', 'postpone', values);
    this.wake(row!.wake_ms);
    return row!.postponed;
  }

  async setPaused(handler: string | null, paused: boolean): Promise<void> {
    await this.runner.run('setPaused', paused ? 'pause' : 'resume', [handler ?? QUEUE]);
    if (!paused) this.wake(0);
  }

  async getPaused(): Promise<PauseState> {
    const rows = await this.runner.run<{ handler: string }>('getPaused', 'paused', []);
    const handlers = rows.map((row) => row.handler);
    return { queue: handlers.includes(QUEUE), handlers: handlers.filter((handler) => handler !== QUEUE) };
  }

  async heartbeatWorker(worker: Omit<WorkerRecord, 'lastSeenAt'>, ttlMs: number): Promise<void> {
    const { id, hostname, pid, handlers, concurrency, running, startedAt } = worker;
    const values = [id, hostname, pid, handlers, concurrency, running, startedAt + this.clock.offset, ttlMs];
    await this.runner.run('heartbeatWorker', 'heartbeat', values);
  }

  async removeWorker(workerId: string): Promise<void> {
    await this.runner.run('removeWorker', 'removeWorker', [workerId]);
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    const rows = await this.runner.run<WorkerRow>('listWorkers', 'workers', []);
    return rows.map((row) => ({
      id: row.id,
      hostname: row.hostname,
      pid: row.pid,
      handlers: row.handlers,
      concurrency: row.concurrency,
      running: row.running,
      startedAt: row.started_at - this.clock.offset,
      lastSeenAt: row.last_seen_at - this.clock.offset,
    }));
  }

  async dueHandlers(): Promise<string[]> {
    const rows = await this.runner.run<{ handler: string }>('dueHandlers', 'dueHandlers', []);
    return rows.map((row) => row.handler).sort();
  }
}
