import { BinaryHeap } from '../../collections/binary-heap.js';
import { Deque } from '../../collections/deque.js';
import { dueBefore, Place, type MemoryTask } from './memory-task.js';

/**
 * One priority's due tasks in (runAt, insertion) order. Tasks mostly arrive in that order, so they go to a
 * FIFO (O(1)); the few that arrive out of order (a retry, a long-delayed task) go to a heap beside it.
 * FIFO entries are removed lazily (skipped when their place no longer says so); heap entries eagerly.
 */
class Bucket {
  readonly fifo = new Deque<MemoryTask>();
  readonly heap = new BinaryHeap<MemoryTask>(dueBefore);
  private last: MemoryTask | undefined;

  push(task: MemoryTask): void {
    if (this.last === undefined || this.fifo.size === 0 || !dueBefore(task, this.last)) {
      this.fifo.push(task);
      this.last = task;
      task.place = Place.Ready;
    } else {
      this.heap.push(task);
      task.place = Place.ReadyHeap;
    }
  }

  shift(): MemoryTask | undefined {
    const head = this.fifoHead();
    const top = this.heap.peek();
    if (top !== undefined && (head === undefined || dueBefore(top, head))) return this.heap.pop();
    return this.fifo.shift();
  }

  peek(): MemoryTask | undefined {
    const head = this.fifoHead();
    const top = this.heap.peek();
    return top !== undefined && (head === undefined || dueBefore(top, head)) ? top : head;
  }

  /** The earliest runAt in this bucket. */
  oldestRunAt(): number | undefined {
    const head = this.fifoHead();
    const top = this.heap.peek();
    if (head === undefined) return top?.runAt;
    return top === undefined ? head.runAt : Math.min(head.runAt, top.runAt);
  }

  /** The FIFO's first live entry, dropping the stale ones before it. */
  private fifoHead(): MemoryTask | undefined {
    let head = this.fifo.peek();
    while (head !== undefined && head.place !== Place.Ready) {
      this.fifo.shift();
      head = this.fifo.peek();
    }
    return head;
  }
}

/** Due tasks by priority, highest first; one bucket per priority in use (one queue per lane, memory-lane.ts). */
export class ReadyQueue {
  private readonly buckets = new Map<number, Bucket>();
  /** Priorities that have a bucket, highest first. */
  private priorities: number[] = [];

  push(task: MemoryTask): void {
    let bucket = this.buckets.get(task.priority);
    if (bucket === undefined) {
      bucket = new Bucket();
      this.buckets.set(task.priority, bucket);
      this.priorities = [...this.priorities, task.priority].sort((a, b) => b - a);
    }
    bucket.push(task);
  }

  /** Removes a task from the heap side (FIFO entries are skipped lazily instead). */
  remove(task: MemoryTask): void {
    if (task.place === Place.ReadyHeap) this.buckets.get(task.priority)!.heap.remove(task);
  }

  /** The earliest runAt of any due task, across priorities. O(priorities in use). */
  oldestRunAt(): number | undefined {
    let oldest: number | undefined;
    for (const bucket of this.buckets.values()) {
      const runAt = bucket.oldestRunAt();
      if (runAt !== undefined && (oldest === undefined || runAt < oldest)) oldest = runAt;
    }
    return oldest;
  }

  shift(): MemoryTask | undefined {
    return this.head(true);
  }

  /** The task `shift()` would return, left in place. */
  peek(): MemoryTask | undefined {
    return this.head(false);
  }

  private head(take: boolean): MemoryTask | undefined {
    while (this.priorities.length > 0) {
      const priority = this.priorities[0]!;
      const bucket = this.buckets.get(priority)!;
      const task = take ? bucket.shift() : bucket.peek();
      if (task !== undefined) return task;
      // Drop emptied buckets so an old priority costs nothing later.
      this.buckets.delete(priority);
      this.priorities = this.priorities.slice(1);
    }
    return undefined;
  }
}
