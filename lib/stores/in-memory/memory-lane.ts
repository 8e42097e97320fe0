import type { HeapItem } from '../../collections/binary-heap.js';
import type { RateLimit } from '../../interfaces/deployment-store.interface.js';
import { dueBefore, type MemoryTask } from './memory-task.js';
import { ReadyQueue } from './ready-queue.js';

/** Where a lane sits in its handler's structures (memory-handler-lanes.ts). */
export const LaneSpot = {
  None: 0,
  /** Has due tasks and may start one now, as far as it last knew: in the handler's ready heap. */
  Ready: 1,
  /** Has due tasks but its window is full or it is held: in the blocked heap until `until`. */
  Blocked: 2,
  /** Empty, but its rate-limit log or hold still matters: in the idle heap until `until`, then dropped. */
  Idle: 3,
} as const;
export type LaneSpot = (typeof LaneSpot)[keyof typeof LaneSpot];

/** Priority first, then (runAt, insertion order): the claim order, also across lanes and handlers. */
export function claimsBefore(a: MemoryTask, b: MemoryTask): boolean {
  return a.priority > b.priority || (a.priority === b.priority && dueBefore(a, b));
}

/**
 * One handler's due tasks of one `rateLimitKey` ('' for those without one): their ready queue, the start times
 * its rate limit counts, and the hold a `postpone` put on the key.
 */
export class MemoryLane implements HeapItem {
  heapIndex = -1;
  spot: LaneSpot = LaneSpot.None;
  /** Blocked or idle: when it is looked at again. */
  until = 0;
  /** Its due tasks (the queue skips removed ones lazily, so it cannot count them). */
  size = 0;
  /** No task of this key starts before this (a postpone of a task with this key). */
  heldUntil = 0;
  readonly queue = new ReadyQueue();
  /** The latest starts, oldest first, at most twice the limit (trimmed in halves: amortised O(1)). */
  private starts: number[] | undefined;
  private interval = 0;

  constructor(readonly key: string) {}

  head(): MemoryTask | undefined {
    return this.queue.peek();
  }

  /** When a task of this lane may start under `rate` and its hold; 0 if now. */
  openAt(rate: RateLimit | undefined, now: number): number {
    let at = this.heldUntil;
    const starts = this.starts;
    if (rate !== undefined && starts !== undefined && starts.length >= rate.limit)
      at = Math.max(at, starts[starts.length - rate.limit]! + rate.interval);
    return at > now ? at : 0;
  }

  /** A task of the lane started under `rate`. */
  started(rate: RateLimit, now: number): void {
    const starts = (this.starts ??= []);
    starts.push(now);
    if (starts.length > 2 * rate.limit) starts.splice(0, starts.length - rate.limit);
    this.interval = rate.interval;
  }

  /** When its log and hold stop mattering: an empty lane kept until then remembers them. */
  forgetAt(): number {
    const last = this.starts?.at(-1);
    return Math.max(this.heldUntil, last === undefined ? 0 : last + this.interval);
  }
}
