import { BinaryHeap } from '../../collections/binary-heap.js';
import { dueBefore, Place, type MemoryTask } from './memory-task.js';
import type { MemoryPlacement } from './memory-placement.js';

/** A partition's state: who holds it, who is placed to run next, who waits behind. */
interface Partition {
  holder: MemoryTask | undefined;
  head: MemoryTask | undefined;
  readonly queue: BinaryHeap<MemoryTask>;
}

/**
 * Ordered partitions: of the tasks of one `partitionKey`, only the first by (runAt, insertion order) is placed,
 * and none while another holds the partition (from its first claim until it is finished).
 */
export class MemoryPartitions {
  private readonly byKey = new Map<string, Partition>();

  constructor(private readonly placement: MemoryPlacement) {}

  /** Puts a new pending task in its place: its partition's queue, or the placement's structures. */
  enqueue(task: MemoryTask, now: number): void {
    if (task.partitionKey === undefined) return this.placement.place(task, now);
    let partition = this.byKey.get(task.partitionKey);
    if (partition === undefined) {
      partition = { holder: undefined, head: undefined, queue: new BinaryHeap<MemoryTask>(dueBefore) };
      this.byKey.set(task.partitionKey, partition);
    }
    const head = partition.head;
    if (partition.holder !== undefined || (head !== undefined && !dueBefore(task, head))) {
      partition.queue.push(task);
      task.place = Place.PartitionQueue;
      return;
    }
    if (head !== undefined) {
      // The new task is due before the placed head: it takes the head's place.
      this.placement.remove(head);
      partition.queue.push(head);
      head.place = Place.PartitionQueue;
    }
    partition.head = task;
    this.placement.place(task, now);
  }

  /** Takes a pending task out, wherever it waits. */
  remove(task: MemoryTask): void {
    if (task.place !== Place.PartitionQueue) return this.placement.remove(task);
    this.byKey.get(task.partitionKey!)!.queue.remove(task);
    task.place = Place.None;
  }

  /** The task was claimed: it holds its partition. */
  hold(task: MemoryTask): void {
    if (task.partitionKey === undefined) return;
    const partition = this.byKey.get(task.partitionKey)!;
    partition.holder = task;
    partition.head = undefined;
  }

  /** The task is pending again (a retry, an expired lease): it keeps its partition and is placed as its head. */
  headAgain(task: MemoryTask): void {
    if (task.partitionKey !== undefined) this.byKey.get(task.partitionKey)!.head = task;
  }

  /** The task no longer holds or heads its partition: the next one in order is placed, and returned. */
  leave(task: MemoryTask, now: number): MemoryTask | undefined {
    if (task.partitionKey === undefined) return undefined;
    const partition = this.byKey.get(task.partitionKey)!;
    if (partition.holder === task) partition.holder = undefined;
    if (partition.head === task) partition.head = undefined;
    if (partition.holder !== undefined || partition.head !== undefined) return undefined;
    const next = partition.queue.pop();
    if (next === undefined) {
      this.byKey.delete(task.partitionKey);
      return undefined;
    }
    partition.head = next;
    this.placement.place(next, now);
    return next;
  }
}
