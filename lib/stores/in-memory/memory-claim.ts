import type { ClaimableHandler, RateLimit } from '../../interfaces/deployment-store.interface.js';
import type { ClaimRequest } from '../../interfaces/task-store.interface.js';
import type { MemoryHandlerLanes } from './memory-handler-lanes.js';
import { claimsBefore, type MemoryLane } from './memory-lane.js';
import type { MemoryPlacement } from './memory-placement.js';
import type { MemoryTask } from './memory-task.js';

/** A handler a claim takes from, with what is left of its limits in this claim. Reused from claim to claim. */
interface Candidate {
  lanes: MemoryHandlerLanes;
  budget: number;
  rate: RateLimit | undefined;
  /** Its budget is what `globalConcurrency` leaves (not its `limit`). */
  capped: boolean;
}

const NO_LIMITS: ClaimableHandler = Object.freeze({});

/**
 * Takes due tasks for a claim in claim order (priority, runAt, insertion) across its handlers, each within its
 * limits. Each pick compares the best lane of each handler still in the claim: O(handlers). Its candidates are
 * reused, so a claim allocates nothing of its own (the hot path's garbage is the tasks' snapshots).
 */
export class MemoryClaimer {
  private readonly pool: Candidate[] = [];
  private count = 0;

  constructor(private readonly placement: MemoryPlacement) {}

  /**
   * Passes each task taken to `start`, up to `request.limit`. Returns when a handler held back now (rate
   * limit, postpone) may be claimed again, if one is.
   */
  claim(request: ClaimRequest, now: number, start: (task: MemoryTask) => void): number | undefined {
    this.collect(request, now);
    const pool = this.pool;
    let taken = 0;
    while (taken < request.limit && this.count > 0) {
      let best = -1;
      let bestLane: MemoryLane | undefined;
      for (let i = 0; i < this.count;) {
        const candidate = pool[i]!;
        const lane = candidate.lanes.best(candidate.rate, now);
        if (lane === undefined) {
          this.drop(i);
          continue;
        }
        if (bestLane === undefined || claimsBefore(lane.head()!, bestLane.head()!)) {
          best = i;
          bestLane = lane;
        }
        i++;
      }
      if (bestLane === undefined) break;
      const candidate = pool[best]!;
      start(candidate.lanes.take(bestLane, candidate.rate, now));
      taken++;
      if (--candidate.budget > 0) continue;
      if (candidate.capped) candidate.lanes.waitsForSlot = true;
      this.drop(best);
    }
    this.count = 0;
    return this.nextOpenAt(request, now);
  }

  private collect(request: ClaimRequest, now: number): void {
    const { handlers } = request;
    if (handlers === undefined) {
      for (const lanes of this.placement.handlers.values()) this.add(lanes, NO_LIMITS, now);
      return;
    }
    for (const name in handlers) {
      const lanes = this.placement.handlers.get(name);
      if (lanes !== undefined) this.add(lanes, handlers[name]!, now);
    }
  }

  private add(lanes: MemoryHandlerLanes, limits: ClaimableHandler, now: number): void {
    if (lanes.size === 0 || lanes.paused || lanes.heldUntil > now) return;
    lanes.reopen(now);
    const { limit = Infinity, globalConcurrency } = limits;
    const slots = globalConcurrency === undefined ? Infinity : globalConcurrency - lanes.running;
    const budget = Math.min(limit, slots);
    if (budget <= 0) {
      if (slots <= 0) lanes.waitsForSlot = true;
      return;
    }
    let candidate = this.pool[this.count];
    if (candidate === undefined) this.pool.push((candidate = { lanes, budget, rate: undefined, capped: false }));
    candidate.lanes = lanes;
    candidate.budget = budget;
    candidate.rate = limits.rateLimit;
    candidate.capped = slots <= limit;
    this.count++;
  }

  /** Takes candidate `i` out of this claim (the last one takes its place; order does not matter). */
  private drop(i: number): void {
    const last = --this.count;
    if (i === last) return;
    const dropped = this.pool[i]!;
    this.pool[i] = this.pool[last]!;
    this.pool[last] = dropped;
  }

  /** The earliest time a handler of the request with due tasks is held or rate-limited until. */
  private nextOpenAt(request: ClaimRequest, now: number): number | undefined {
    if (!this.placement.seen.holds) return undefined;
    let earliest = Infinity;
    const { handlers } = request;
    if (handlers === undefined) {
      for (const lanes of this.placement.handlers.values()) earliest = Math.min(earliest, opensAt(lanes, now));
    } else {
      for (const name in handlers) {
        const lanes = this.placement.handlers.get(name);
        if (lanes !== undefined) earliest = Math.min(earliest, opensAt(lanes, now));
      }
    }
    return earliest === Infinity ? undefined : earliest;
  }
}

/** When a handler with due tasks held back now opens (Infinity: none is held, or it has none). */
function opensAt(lanes: MemoryHandlerLanes, now: number): number {
  if (lanes.size === 0 || lanes.paused) return Infinity;
  return lanes.heldUntil > now ? lanes.heldUntil : (lanes.nextOpenAt() ?? Infinity);
}
