import type { PauseState, WorkerRecord } from '../../interfaces/deployment-store.interface.js';
import type { MemoryPlacement } from './memory-placement.js';

/** What is paused, and the registry of live workers sharing the store. */
export class MemoryDeployments {
  queuePaused = false;
  private readonly pausedHandlers = new Set<string>();
  private readonly workers = new Map<string, { record: WorkerRecord; expiresAt: number }>();

  constructor(private readonly placement: MemoryPlacement) {}

  /** True if this resumed something. */
  setPaused(handler: string | null, paused: boolean): boolean {
    if (handler === null) {
      const resumed = this.queuePaused && !paused;
      this.queuePaused = paused;
      return resumed;
    }
    const resumed = this.pausedHandlers.has(handler) && !paused;
    if (paused) this.pausedHandlers.add(handler);
    else this.pausedHandlers.delete(handler);
    this.placement.lanesOf(handler).paused = paused;
    return resumed;
  }

  pauseState(): PauseState {
    return { queue: this.queuePaused, handlers: [...this.pausedHandlers].sort() };
  }

  heartbeat(worker: Omit<WorkerRecord, 'lastSeenAt'>, ttlMs: number, now: number): void {
    this.workers.set(worker.id, {
      record: { ...worker, handlers: [...worker.handlers], lastSeenAt: now },
      expiresAt: now + ttlMs,
    });
  }

  remove(workerId: string): void {
    this.workers.delete(workerId);
  }

  /** The live workers by id; expired records go. */
  list(now: number): WorkerRecord[] {
    const live: WorkerRecord[] = [];
    for (const [id, { record, expiresAt }] of this.workers) {
      if (expiresAt <= now) this.workers.delete(id);
      else live.push({ ...record, handlers: [...record.handlers] });
    }
    return live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
