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

describe('a step while the occurrence added waits (pending, never started)', () => {
  /** The schedule of `options` whose occurrence at `at` waits and whose next is `next`, planned at `now`. */
  function waiting(options: RecurringOptions, at: string, next: string | null, now = Date.parse(at) - 60_000) {
    const definition = toDefinition(undefined, options, false);
    const lastTaskId = `r@${at}`;
    const record: RecurringRecord = {
      key: 'r',
      handler: 'tick',
      definition,
      fingerprint: '',
      nextRunAt: next === null ? null : Date.parse(next),
      lastRunAt: Date.parse(at),
      lastTaskId,
    };
    const task: TaskRecord = {
      id: lastTaskId,
      handler: 'tick',
      args: undefined,
      status: TaskStatus.Pending,
      priority: 0,
      runAt: Date.parse(at),
      createdAt: now,
      attempts: 0,
      maxRetries: 0,
    };
    return planStep(record, definition, new RecurringTimeline(definition), task, now, false);
  }
  const berlin = { cron: '30 2 * * *', timezone: 'Europe/Berlin' };

  it('waits for it when it is an occurrence of the timing, DST days and startAt included', () => {
    const wait = { kind: 'wait' };
    // Spring forward: 02:30 did not exist, the occurrence is 03:00 CEST; fall back: 02:30 CEST, once.
    expect(waiting(berlin, '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z')).toMatchObject(wait);
    expect(waiting(berlin, '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z')).toMatchObject(wait);
    const startAt = new Date('2026-01-01T00:00:07.000Z');
    const every = { every: 5_000, startAt, endAt: new Date('2026-01-01T00:00:17.000Z') };
    expect(waiting(every, '2026-01-01T00:00:12.000Z', '2026-01-01T00:00:17.000Z')).toMatchObject(wait);
    expect(waiting(every, '2026-01-01T00:00:17.000Z', null)).toMatchObject(wait);
  });

  it('replaces one the timing does not have (an upsert changed it): cancels it, adds the next', () => {
    const at = Date.parse('2026-10-25T00:30:00.000Z');
    const moved = waiting({ ...berlin, cron: '0 3 * * *' }, '2026-10-25T00:30:00.000Z', '2026-10-25T02:00:00.000Z');
    expect(moved).toMatchObject({ kind: 'step', occurrence: at + 90 * 60_000, cancelLast: true });
    const ended = { every: 5_000, endAt: new Date('2026-01-01T00:00:10.000Z') };
    expect(waiting(ended, '2026-01-01T00:00:12.000Z', null)).toMatchObject({
      kind: 'step',
      occurrence: undefined,
      nextRunAt: null,
      cancelLast: true,
    });
  });
});
