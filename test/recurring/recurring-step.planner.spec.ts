import { toDefinition } from '../../lib/engine/recurring/recurring-definition.js';
import { planStep } from '../../lib/engine/recurring/recurring-step.planner.js';
import { RecurringTimeline } from '../../lib/engine/recurring/recurring-timeline.js';
import { TaskStatus, type RecurringOptions, type RecurringRecord, type TaskRecord } from '../../lib/index.js';

/**
 * The planner alone, at exact times: what a step adds given the schedule and its last occurrence as a store reads
 * them. An every-second schedule whose occurrence of T ran (or runs) and whose next is T + 1 s.
 */
const T = Date.UTC(2026, 11, 2, 22, 42, 42, 432);
const SECOND = 1_000;

function plan(options: Partial<RecurringOptions>, last: Partial<TaskRecord>, now: number) {
  const definition = toDefinition(undefined, { every: SECOND, ...options }, false);
  const lastTaskId = `beat@${new Date(T).toISOString()}`;
  const record: RecurringRecord = {
    key: 'beat',
    handler: 'tick',
    definition,
    fingerprint: '',
    nextRunAt: T + SECOND,
    lastRunAt: T,
    lastTaskId,
  };
  const task: TaskRecord = {
    id: lastTaskId,
    handler: 'tick',
    args: undefined,
    status: TaskStatus.Running,
    priority: 0,
    runAt: T,
    createdAt: T - SECOND,
    attempts: 1,
    maxRetries: 0,
    ...last,
  };
  return planStep(record, definition, new RecurringTimeline(definition), task, now, false);
}

describe("a step under misfire 'once'", () => {
  it('a process died after starting an occurrence and before stepping: the next still runs once its lease is taken over', () => {
    // The occurrence of T started on time in a process killed before its step; another took the lease over
    // after T + 1 s (a second attempt), and the step its start makes must add T + 1 s, not skip it.
    const retaken = plan({ overlap: true }, { attempts: 2, startedAt: T + SECOND + 8 }, T + SECOND + 12);
    expect(retaken).toMatchObject({ kind: 'step', occurrence: T + SECOND, nextRunAt: T + 2 * SECOND });
  });

  it('the same for a late retry of a failed occurrence whose step was lost (overlap: false): one runs now', () => {
    const retried = plan({}, { attempts: 3, startedAt: T + 2 * SECOND + 5 }, T + 2 * SECOND + 9);
    expect(retried).toMatchObject({ kind: 'step', occurrence: T + 2 * SECOND, nextRunAt: T + 3 * SECOND });
  });

  it('a first attempt that started after the next was due ran for it: the step goes on to the future one', () => {
    // overlap: false, the occurrence of T waited behind a slow one and started 1.5 s late.
    const late = plan({}, { attempts: 1, startedAt: T + 1_500 }, T + 1_510);
    expect(late).toMatchObject({ kind: 'step', occurrence: T + 2 * SECOND, nextRunAt: T + 3 * SECOND });
  });

  it('a first attempt that started on time, stepped late: the next runs now', () => {
    const punctual = plan({ overlap: true }, { attempts: 1, startedAt: T + 5 }, T + SECOND + 30);
    expect(punctual).toMatchObject({ kind: 'step', occurrence: T + SECOND, runAt: T + SECOND });
  });
});
