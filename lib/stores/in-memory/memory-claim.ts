import type { ClaimableHandler, RateLimit } from '../../interfaces/deployment-store.interface.js';
import type { ClaimRequest } from '../../interfaces/task-store.interface.js';
import type { MemoryHandlerLanes } from './memory-handler-lanes.js';
import { claimsBefore, type MemoryLane } from './memory-lane.js';
import type { MemoryPlacement } from './memory-placement.js';
import type { MemoryTask } from './memory-task.js';

/** A handler a claim takes from, with what is left of its limits in this claim. */
interface Candidate {
  readonly lanes: MemoryHandlerLanes;
  budget: number;
  readonly rate: RateLimit | undefined;
  /** Its budget is what `globalConcurrency` leaves (not its `limit`). */
  readonly capped: boolean;
}

const NO_LIMITS: ClaimableHandler = Object.freeze({});

/**
 * Takes due tasks for `request` in claim order (priority, runAt, insertion) across its handlers, each within its
 * limits, passing each to `start`. Each pick compares the best lane of each handler still in the claim: O(handlers).
 * Returns when a handler held back now (rate limit, postpone) may be claimed again, if one is.
 */
export function claimTasks(
  placement: MemoryPlacement,
  request: ClaimRequest,
  now: number,
  start: (task: MemoryTask) => void,
): number | undefined {
  const candidates = candidatesOf(placement, request, now);
  let count = 0;
  while (count < request.limit && candidates.length > 0) {
    let best: Candidate | undefined;
    let bestLane: MemoryLane | undefined;
    for (let i = 0; i < candidates.length;) {
      const candidate = candidates[i]!;
      const lane = candidate.lanes.best(candidate.rate, now);
      if (lane === undefined) {
        candidates[i] = candidates[candidates.length - 1]!;
        candidates.pop();
        continue;
      }
      if (bestLane === undefined || claimsBefore(lane.head()!, bestLane.head()!)) {
        best = candidate;
        bestLane = lane;
      }
      i++;
    }
    if (best === undefined) break;
    start(best.lanes.take(bestLane!, best.rate, now));
    count++;
    if (--best.budget > 0) continue;
    if (best.capped) best.lanes.waitsForSlot = true;
    candidates.splice(candidates.indexOf(best), 1);
  }
  return nextOpenAt(placement, request, now);
}

function candidatesOf(placement: MemoryPlacement, request: ClaimRequest, now: number): Candidate[] {
  const candidates: Candidate[] = [];
  const { handlers } = request;
  if (handlers === undefined) {
    for (const lanes of placement.handlers.values()) add(candidates, lanes, NO_LIMITS, now);
    return candidates;
  }
  for (const name in handlers) {
    const lanes = placement.handlers.get(name);
    if (lanes !== undefined) add(candidates, lanes, handlers[name]!, now);
  }
  return candidates;
}

function add(candidates: Candidate[], lanes: MemoryHandlerLanes, limits: ClaimableHandler, now: number): void {
  if (lanes.size === 0 || lanes.paused || lanes.heldUntil > now) return;
  const { limit = Infinity, globalConcurrency } = limits;
  const slots = globalConcurrency === undefined ? Infinity : globalConcurrency - lanes.running;
  const budget = Math.min(limit, slots);
  if (budget <= 0) {
    if (slots <= 0) lanes.waitsForSlot = true;
    return;
  }
  candidates.push({ lanes, budget, rate: limits.rateLimit, capped: slots <= limit });
}

/** The earliest time a handler of the request with due tasks is held or rate-limited until. */
function nextOpenAt(placement: MemoryPlacement, request: ClaimRequest, now: number): number | undefined {
  let earliest: number | undefined;
  const consider = (lanes: MemoryHandlerLanes | undefined) => {
    if (lanes === undefined || lanes.size === 0 || lanes.paused) return;
    const at = lanes.heldUntil > now ? lanes.heldUntil : lanes.nextOpenAt();
    if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
  };
  if (request.handlers === undefined) for (const lanes of placement.handlers.values()) consider(lanes);
  else for (const name in request.handlers) consider(placement.handlers.get(name));
  return earliest;
}
