import { BinaryHeap } from '../../collections/binary-heap.js';
import { MemoryHandlerLanes } from './memory-handler-lanes.js';
import { dueBefore, Place, type MemoryTask } from './memory-task.js';

/**
 * Where claimable and delayed pending tasks wait: the due-time heap (not due yet) and, once due, the lanes of
 * their handler (by priority; memory-handler-lanes.ts). Tasks behind their partition's head wait in the partition
 * instead (memory-partitions.ts).
 */
export class MemoryPlacement {
  /** Due tasks by handler; a handler's entry stays once made (handlers are few: they are code). */
  readonly handlers = new Map<string, MemoryHandlerLanes>();
  /** Whether any lane was ever blocked or held: until then, no claim looks for when one opens. */
  readonly seen = { holds: false };
  private readonly delayed = new BinaryHeap<MemoryTask>(dueBefore);

  /** Tasks not due yet. */
  get delayedCount(): number {
    return this.delayed.size;
  }

  place(task: MemoryTask, now: number): void {
    if (task.runAt <= now) this.toReady(task);
    else {
      this.delayed.push(task);
      task.place = Place.Delayed;
    }
  }

  /** Due now, whatever its runAt (a task whose lease expired). */
  toReady(task: MemoryTask): void {
    this.lanesOf(task.handler).push(task);
  }

  /** Moves tasks that have become due from the delayed heap to their handler's lanes. */
  promoteDue(now: number): void {
    for (let next = this.delayed.peek(); next !== undefined && next.runAt <= now; next = this.delayed.peek()) {
      this.delayed.pop();
      this.toReady(next);
    }
  }

  /** ms until the earliest delayed task is due (undefined: none). */
  nextDueInMs(now: number): number | undefined {
    const next = this.delayed.peek();
    return next === undefined ? undefined : Math.max(0, next.runAt - now);
  }

  /** The earliest runAt of a due task. O(lanes with tasks). */
  oldestDueAt(): number | undefined {
    let oldest: number | undefined;
    for (const lanes of this.handlers.values()) {
      const runAt = lanes.size === 0 ? undefined : lanes.oldestRunAt();
      if (runAt !== undefined && (oldest === undefined || runAt < oldest)) oldest = runAt;
    }
    return oldest;
  }

  /** Takes a delayed or due task out (not a partition-queued one: its partition does). */
  remove(task: MemoryTask): void {
    if (task.place === Place.Delayed) this.delayed.remove(task);
    else if (task.place === Place.Ready || task.place === Place.ReadyHeap)
      this.handlers.get(task.handler)!.remove(task);
    task.place = Place.None;
  }

  lanesOf(handler: string): MemoryHandlerLanes {
    let lanes = this.handlers.get(handler);
    if (lanes === undefined) {
      lanes = new MemoryHandlerLanes(handler, this.seen);
      this.handlers.set(handler, lanes);
    }
    return lanes;
  }
}
