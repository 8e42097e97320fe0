import { BinaryHeap } from '../../collections/binary-heap.js';
import type { RateLimit } from '../../interfaces/deployment-store.interface.js';
import { claimsBefore, LaneSpot, MemoryLane } from './memory-lane.js';
import { Place, type MemoryTask } from './memory-task.js';

const headBefore = (a: MemoryLane, b: MemoryLane) => claimsBefore(a.head()!, b.head()!);
const untilBefore = (a: MemoryLane, b: MemoryLane) => a.until < b.until;
const KEYLESS = '';

/**
 * One handler's due tasks, in a lane per `rateLimitKey`, and what its limits count: its running tasks and the
 * hold a `postpone` put on it. A claim looks at the best lane only, and lanes whose window is full wait in a
 * heap by the time they open: a held, capped or rate-limited handler costs a claim O(1) whatever its backlog.
 */
export class MemoryHandlerLanes {
  /** Its tasks `running` in the store (whoever holds them): what `globalConcurrency` counts. */
  running = 0;
  /** Its due tasks in all lanes. */
  size = 0;
  /** No task of it starts before this (a postpone of a task without a key). */
  heldUntil = 0;
  paused = false;
  /** A claim found it at its `globalConcurrency`: the next slot freed signals wake. */
  waitsForSlot = false;
  private readonly lanes = new Map<string, MemoryLane>();
  /** The lane of tasks without a key, kept at hand: most tasks go there. */
  private keyless: MemoryLane | undefined;
  private readonly ready = new BinaryHeap<MemoryLane>(headBefore);
  private readonly blocked = new BinaryHeap<MemoryLane>(untilBefore);
  private readonly idle = new BinaryHeap<MemoryLane>(untilBefore);

  constructor(
    readonly name: string,
    /** Shared by every handler of the store: set once any lane was ever blocked or held (claims skip the search before). */
    private readonly seen: { holds: boolean },
  ) {}

  push(task: MemoryTask): void {
    const lane = this.lane(task.rateLimitKey ?? KEYLESS);
    // The order of lanes matters only between lanes: a handler's one lane (the usual case) skips it.
    const head = lane.spot === LaneSpot.Ready && this.ready.size > 1 ? lane.head() : undefined;
    lane.queue.push(task);
    lane.size++;
    this.size++;
    if (lane.spot === LaneSpot.Ready) {
      if (head !== undefined && claimsBefore(task, head)) this.ready.update(lane);
    } else if (lane.spot !== LaneSpot.Blocked) this.toReady(lane);
  }

  /** Takes a due task out (a cancel, a remove): its place says None after. */
  remove(task: MemoryTask): void {
    const lane = this.lanes.get(task.rateLimitKey ?? KEYLESS)!;
    lane.queue.remove(task);
    // A FIFO entry is skipped lazily when it comes up: its place no longer says Ready.
    task.place = Place.None;
    lane.size--;
    this.size--;
    this.settle(lane, Date.now());
  }

  /** The lane a claim under `rate` takes from next, if one may start a task now (after `reopen(now)`). */
  best(rate: RateLimit | undefined, now: number): MemoryLane | undefined {
    for (let lane = this.ready.peek(); lane !== undefined; lane = this.ready.peek()) {
      const at = lane.openAt(rate, now);
      if (at === 0) return lane;
      this.ready.pop();
      this.park(lane, LaneSpot.Blocked, at);
    }
    return undefined;
  }

  /** Takes the head of `lane` (from `best`) to run, counting its start under `rate`. */
  take(lane: MemoryLane, rate: RateLimit | undefined, now: number): MemoryTask {
    const task = lane.queue.shift()!;
    lane.size--;
    this.size--;
    this.running++;
    task.lanes = this;
    if (rate !== undefined) lane.started(rate, now);
    this.settle(lane, now);
    return task;
  }

  /** Holds the lane of `key` (undefined: the whole handler) until `until`. */
  hold(key: string | undefined, until: number): void {
    this.seen.holds = true;
    if (key === undefined) this.heldUntil = Math.max(this.heldUntil, until);
    else {
      const lane = this.lane(key);
      lane.heldUntil = Math.max(lane.heldUntil, until);
      if (lane.spot === LaneSpot.None || lane.spot === LaneSpot.Idle) this.park(lane, LaneSpot.Idle, lane.forgetAt());
    }
  }

  /** When a lane with tasks that is blocked now opens (undefined: none is blocked). */
  nextOpenAt(): number | undefined {
    return this.blocked.peek()?.until;
  }

  /** The earliest runAt of its due tasks. O(lanes with tasks). */
  oldestRunAt(): number | undefined {
    let oldest: number | undefined;
    for (const lane of this.lanes.values()) {
      const runAt = lane.size === 0 ? undefined : lane.queue.oldestRunAt();
      if (runAt !== undefined && (oldest === undefined || runAt < oldest)) oldest = runAt;
    }
    return oldest;
  }

  private lane(key: string): MemoryLane {
    if (key === KEYLESS && this.keyless !== undefined) return this.keyless;
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = new MemoryLane(key);
      this.lanes.set(key, lane);
      if (key === KEYLESS) this.keyless = lane;
    }
    return lane;
  }

  /** Blocked lanes whose time came are ready again; idle ones whose log expired are dropped. Once per claim. */
  reopen(now: number): void {
    for (let lane = this.blocked.peek(); lane !== undefined && lane.until <= now; lane = this.blocked.peek()) {
      this.blocked.pop();
      this.toReady(lane);
    }
    for (let lane = this.idle.peek(); lane !== undefined && lane.until <= now; lane = this.idle.peek()) {
      this.idle.pop();
      lane.spot = LaneSpot.None;
      if (lane.key !== KEYLESS) this.lanes.delete(lane.key);
    }
  }

  /** After the lane's head changed: its new place. */
  private settle(lane: MemoryLane, now: number): void {
    if (lane.size > 0) {
      if (lane.spot === LaneSpot.Ready && this.ready.size > 1) this.ready.update(lane);
      return;
    }
    this.unpark(lane);
    const forgetAt = lane.forgetAt();
    if (forgetAt > now) this.park(lane, LaneSpot.Idle, forgetAt);
    else if (lane.key !== KEYLESS) this.lanes.delete(lane.key);
  }

  private toReady(lane: MemoryLane): void {
    this.unpark(lane);
    if (lane.size === 0) return this.settle(lane, Date.now());
    lane.spot = LaneSpot.Ready;
    this.ready.push(lane);
  }

  private park(lane: MemoryLane, spot: typeof LaneSpot.Blocked | typeof LaneSpot.Idle, until: number): void {
    this.unpark(lane);
    if (spot === LaneSpot.Blocked) this.seen.holds = true;
    lane.spot = spot;
    lane.until = until;
    (spot === LaneSpot.Blocked ? this.blocked : this.idle).push(lane);
  }

  private unpark(lane: MemoryLane): void {
    if (lane.spot === LaneSpot.Ready) this.ready.remove(lane);
    else if (lane.spot === LaneSpot.Blocked) this.blocked.remove(lane);
    else if (lane.spot === LaneSpot.Idle) this.idle.remove(lane);
    lane.spot = LaneSpot.None;
  }
}
