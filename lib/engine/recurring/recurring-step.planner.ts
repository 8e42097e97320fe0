import type { RecurringRecord } from '../../interfaces/recurring-store.interface.js';
import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import { TaskStatus } from '../../interfaces/task-status.js';
import type { RecurringDefinition } from './recurring-definition.js';
import type { RecurringTimeline } from './recurring-timeline.js';

/** Missed occurrences that misfire 'all' runs at most; past this, one for all ('once'). */
export const MAX_MISFIRE_RUNS = 1_000;
/** How late an occurrence that never started may be, when a worker starts, before 'skip' counts it missed. */
export const MISFIRE_GRACE_MS = 1_000;

/** The occurrence to add, the schedule's next, and what the step expects of the last one. */
export interface PlannedStep {
  kind: 'step';
  /** The occurrence's time (its id), or undefined: the schedule ended. */
  occurrence: number | undefined;
  /** When the occurrence's task is due (its time, or now for one run for all missed). */
  runAt: number | undefined;
  nextRunAt: number | null;
  expectedLast: 'unstarted' | 'started';
  cancelLast: boolean;
  /** More than MAX_MISFIRE_RUNS were missed under 'all'. */
  capped: boolean;
}

/** Nothing to do until `at` (the last occurrence is ahead, or due and not yet started), or ever (ended). */
export interface PlannedWait {
  kind: 'wait';
  at: number;
}

export type RecurringPlan = PlannedStep | PlannedWait;

const isUnstarted = (task: TaskRecord | undefined): boolean =>
  task !== undefined && task.status === TaskStatus.Pending && task.attempts === 0;

/**
 * What a schedule does next, given its last occurrence's task (as read) and the time. One occurrence is added
 * ahead: the next is added once the last has started (so a schedule never piles up tasks), with misfire
 * deciding which when occurrences were missed. `catchUp` (a worker starting): under 'skip', a last occurrence
 * that never started and is overdue is cancelled. A last occurrence that never started and that the timing does
 * not put before the schedule's next was added under a timing an upsert has since changed: it is replaced.
 */
export function planStep(
  record: RecurringRecord,
  definition: RecurringDefinition,
  timeline: RecurringTimeline,
  last: TaskRecord | undefined,
  now: number,
  catchUp: boolean,
): RecurringPlan {
  const next = record.nextRunAt;
  if (isUnstarted(last) && record.lastRunAt !== undefined && !timeline.follows(record.lastRunAt, next))
    return retimed(record.lastRunAt, definition, timeline, next, now);
  if (next === null) return { kind: 'wait', at: Infinity };
  if (isUnstarted(last)) {
    const overdue = now - last!.runAt > MISFIRE_GRACE_MS;
    if (!(catchUp && overdue && definition.misfire === 'skip')) return { kind: 'wait', at: last!.runAt };
    const occurrence = next > now ? next : timeline.after(now, next);
    return step(timeline, occurrence, occurrence, 'unstarted', true, next);
  }
  const expected = 'started';
  // The first step comes right after the schedule was made: its first occurrence is never a missed one.
  if (next > now || record.lastTaskId === undefined) return step(timeline, next, next, expected, false, next);
  switch (definition.misfire) {
    case 'skip': {
      const future = timeline.after(now, next);
      return step(timeline, future, future, expected, false, next);
    }
    case 'all': {
      if (timeline.countUntil(next, now, MAX_MISFIRE_RUNS) <= MAX_MISFIRE_RUNS)
        return step(timeline, next, next, expected, false, next);
      return { ...runOnceForAll(timeline, last, next, now), capped: true };
    }
    default:
      return runOnceForAll(timeline, last, next, now);
  }
}

/** A step that keeps the last occurrence, never started, as it is. */
const KEEP_LAST = { expectedLast: 'unstarted', cancelLast: false, capped: false } as const;

/**
 * An upsert changed the timing after the last occurrence was added (it never started): it goes, and the new
 * timing's next is added now; if that is the same occurrence, it stays, and only the schedule's next moves on.
 */
function retimed(
  last: number,
  definition: RecurringDefinition,
  timeline: RecurringTimeline,
  next: number | null,
  now: number,
): PlannedStep {
  if (next === last) {
    const nextRunAt = timeline.after(last, last);
    return { kind: 'step', occurrence: undefined, runAt: undefined, nextRunAt, ...KEEP_LAST };
  }
  const skipped = next !== null && next < now && definition.misfire === 'skip';
  const occurrence = skipped ? timeline.after(now, next) : next;
  return step(timeline, occurrence, occurrence, 'unstarted', true, next ?? last);
}

/**
 * 'once': a last occurrence whose first attempt started after `next` was due ran for the missed ones; else one
 * runs now. Only a first attempt's startedAt tells: a later attempt (the lease of a process that died before it
 * stepped the schedule, taken over elsewhere) starts late however punctual the occurrence was, and `next` must
 * still run.
 */
function runOnceForAll(
  timeline: RecurringTimeline,
  last: TaskRecord | undefined,
  next: number,
  now: number,
): PlannedStep {
  if (last?.startedAt !== undefined && last.attempts === 1 && last.startedAt >= next) {
    const future = timeline.after(now, next);
    return step(timeline, future, future, 'started', false, next);
  }
  const latest = timeline.latest(next, now);
  return step(timeline, latest, latest, 'started', false, next);
}

function step(
  timeline: RecurringTimeline,
  occurrence: number | null,
  runAt: number | null,
  expectedLast: 'unstarted' | 'started',
  cancelLast: boolean,
  grid: number,
): PlannedStep {
  return {
    kind: 'step',
    occurrence: occurrence ?? undefined,
    runAt: runAt ?? undefined,
    nextRunAt: occurrence === null ? null : timeline.after(occurrence, grid),
    expectedLast,
    cancelLast,
    capped: false,
  };
}
