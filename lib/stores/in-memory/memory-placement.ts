import { BinaryHeap } from '../../collections/binary-heap.js';
import { dueBefore, Place, type MemoryTask } from './memory-task.js';
import { ReadyQueue } from './ready-queue.js';

/**
 * Where claimable and delayed pending tasks wait: the due-time heap (not due yet) and the ready queue (due, by
 * priority). Tasks behind their partition's head wait in the partition instead (memory-partitions.ts).
 */
export class MemoryPlacement {
  private readonly delayed = new BinaryHeap<MemoryTask>(dueBefore);
  private readonly ready = new ReadyQueue();

  /** Tasks not due yet. */
  get delayedCount(): number {
    return this.delayed.size;
  }

  place(task: MemoryTask, now: number): void {
    if (task.runAt <= now) this.ready.push(task);
    else {
      this.delayed.push(task);
      task.place = Place.Delayed;
    }
  }

  /** Due now, whatever its runAt (a task whose lease expired). */
  toReady(task: MemoryTask): void {
    this.ready.push(task);
  }

  /** Moves tasks that have become due from the delayed heap to the ready queue. */
  promoteDue(now: number): void {
    for (let next = this.delayed.peek(); next !== undefined && next.runAt <= now; next = this.delayed.peek()) {
      this.delayed.pop();
      this.ready.push(next);
    }
  }

  /** The next claimable task, out of the ready queue. */
  shift(): MemoryTask | undefined {
    return this.ready.shift();
  }

  /** ms until the earliest delayed task is due (undefined: none). */
  nextDueInMs(now: number): number | undefined {
    const next = this.delayed.peek();
    return next === undefined ? undefined : Math.max(0, next.runAt - now);
  }

  oldestDueAt(): number | undefined {
    return this.ready.oldestRunAt();
  }

  /** Takes a delayed or ready task out (not a partition-queued one: its partition does). */
  remove(task: MemoryTask): void {
    if (task.place === Place.Delayed) this.delayed.remove(task);
    else if (task.place === Place.ReadyHeap) this.ready.remove(task);
    // A Ready (FIFO) entry is skipped lazily when shifted: its place no longer says Ready.
    task.place = Place.None;
  }
}
