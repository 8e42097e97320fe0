import type { Lease } from '../../interfaces/task-store.interface.js';
import type { MemoryTask } from './memory-task.js';

const NONE: readonly MemoryTask[] = Object.freeze([]);

/**
 * The leases of running tasks: a fresh token per claim, an expiry, and the scan that finds the expired ones. The
 * leased tasks are an array, each task knowing its index: a claim and a report are a push and a swap, no hashing.
 */
export class MemoryLeases {
  private readonly running: MemoryTask[] = [];
  private tokens = 0;
  private nextScan = 0;

  constructor(readonly leaseTime: number) {}

  grant(task: MemoryTask, now: number): void {
    task.lease = ++this.tokens;
    task.leaseUntil = now + this.leaseTime;
    if (task.leaseIndex === -1) {
      task.leaseIndex = this.running.length;
      this.running.push(task);
    }
  }

  release(task: MemoryTask): void {
    task.lease = undefined;
    const index = task.leaseIndex;
    if (index === -1) return;
    task.leaseIndex = -1;
    const last = this.running.pop()!;
    if (last === task) return;
    this.running[index] = last;
    last.leaseIndex = index;
  }

  /** Whether `lease` is the task's current lease: it runs, or was cancelled while running and not reported. */
  holds(task: MemoryTask | undefined, lease: Lease): task is MemoryTask {
    return task !== undefined && task.lease !== undefined && isTokenOf(lease.token, task.lease);
  }

  /** The tasks whose lease expired; claims call it, and it scans at most every min(1 s, leaseTime / 4). */
  expired(now: number): readonly MemoryTask[] {
    if (now < this.nextScan) return NONE;
    this.nextScan = now + Math.min(1_000, this.leaseTime / 4);
    const expired: MemoryTask[] = [];
    for (const task of this.running) if (task.leaseUntil! <= now) expired.push(task);
    return expired;
  }
}

/** `token === String(lease)` for a lease counter (a positive integer), digit by digit: no string per report. */
function isTokenOf(token: string, lease: number): boolean {
  let i = token.length;
  for (let rest = lease; rest > 0; rest = (rest - (rest % 10)) / 10) {
    if (i === 0 || token.charCodeAt(--i) !== 48 + (rest % 10)) return false;
  }
  return i === 0;
}
