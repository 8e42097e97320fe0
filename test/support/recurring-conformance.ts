import { randomUUID } from 'node:crypto';
import {
  TaskStatus,
  type ITaskStore,
  type NewTask,
  type RecurringRecord,
  type RecurringStep,
} from '../../lib/index.js';

type RecurringCapable = ITaskStore &
  Required<
    Pick<ITaskStore, 'putRecurring' | 'getRecurring' | 'listRecurring' | 'removeRecurring' | 'advanceRecurring'>
  >;

/**
 * The recurring part of the store contract (RecurringStoreMethods), run by the conformance suite on every store:
 * schedules kept by key, an upsert that keeps times unless the timing changed, and a step that is one
 * compare-and-set with the occurrence's add (and a cancel under misfire 'skip').
 */
export function describeRecurringConformance(
  open: () => Promise<ITaskStore>,
  newTask: (o?: Partial<NewTask>) => NewTask,
): void {
  describe('recurring schedules', () => {
    const T0 = Date.UTC(2030, 0, 1);
    const record = (key: string, overrides: Partial<RecurringRecord> = {}): RecurringRecord => ({
      key,
      handler: 'test-handler',
      definition: { every: 60_000, args: { n: 1, list: ['a', null] }, misfire: 'once', overlap: false, task: {} },
      fingerprint: '[null,60000]',
      nextRunAt: T0,
      ...overrides,
    });
    const occurrence = (key: string, at: number, overrides: Partial<NewTask> = {}) =>
      newTask({ id: `${key}@${new Date(at).toISOString()}`, runAt: at, metadata: { recurringKey: key }, ...overrides });
    const firstStep = (key: string, at = T0): RecurringStep => ({
      key,
      expectedNextRunAt: at,
      expectedLastTaskId: undefined,
      expectedLast: 'started',
      cancelLast: false,
      task: occurrence(key, at),
      runAt: at,
      nextRunAt: at + 60_000,
    });
    const capable = async (): Promise<RecurringCapable> => (await open()) as RecurringCapable;

    it('keeps a schedule by key: put, get, list (by key), remove', async () => {
      const store = await capable();
      const key = `r-${randomUUID()}`;
      expect(await store.getRecurring(key)).toBeUndefined();
      expect(await store.putRecurring(record(`${key}-b`))).toEqual(record(`${key}-b`));
      await store.putRecurring(record(`${key}-a`));
      expect(await store.getRecurring(`${key}-a`)).toEqual(record(`${key}-a`));
      expect((await store.listRecurring()).map((r) => r.key)).toEqual([`${key}-a`, `${key}-b`]);
      expect(await store.removeRecurring(`${key}-a`)).toEqual(record(`${key}-a`));
      expect(await store.removeRecurring(`${key}-a`)).toBeUndefined();
      expect((await store.listRecurring()).map((r) => r.key)).toEqual([`${key}-b`]);
    });

    it('an upsert with the same fingerprint keeps the times and ids; another fingerprint takes its nextRunAt', async () => {
      const store = await capable();
      await store.putRecurring(record('r'));
      expect(await store.advanceRecurring(firstStep('r'))).toBe(true);
      const moved = { nextRunAt: T0 + 60_000, lastRunAt: T0, lastTaskId: `r@${new Date(T0).toISOString()}` };
      const changed = record('r', { definition: { args: 'new' }, nextRunAt: T0 + 5 });
      expect(await store.putRecurring(changed)).toEqual({ ...changed, ...moved });
      const retimed = record('r', { fingerprint: 'other', nextRunAt: T0 + 7 });
      expect(await store.putRecurring(retimed)).toEqual({ ...retimed, ...moved, nextRunAt: T0 + 7 });
    });

    it('a step adds its occurrence and moves the schedule on, once: a second with the same expectations changes nothing', async () => {
      const store = await capable();
      await store.putRecurring(record('r'));
      const step = firstStep('r');
      expect(await store.advanceRecurring(step)).toBe(true);
      expect(await store.advanceRecurring({ ...step, task: occurrence('r', T0 + 1) })).toBe(false);
      expect(await store.get(step.task!.id)).toMatchObject({
        status: TaskStatus.Pending,
        metadata: { recurringKey: 'r' },
      });
      expect(await store.get(occurrence('r', T0 + 1).id)).toBeUndefined();
      expect(await store.getRecurring('r')).toMatchObject({
        nextRunAt: T0 + 60_000,
        lastRunAt: T0,
        lastTaskId: step.task!.id,
      });
      expect(await store.advanceRecurring({ ...firstStep('none') })).toBe(false);
    });

    it('of steps made at once with the same expectations, exactly one is applied', async () => {
      const store = await capable();
      await store.putRecurring(record('r'));
      const steps = Array.from({ length: 8 }, (_, i) => ({
        ...firstStep('r'),
        task: occurrence('r', T0, { args: { i } }),
      }));
      const applied = await Promise.all(steps.map((step) => store.advanceRecurring(step)));
      expect(applied.filter(Boolean)).toHaveLength(1);
      expect((await store.list()).filter((t) => t.metadata?.recurringKey === 'r')).toHaveLength(1);
    });

    it('a step checks the last occurrence as read: unstarted (pending, never claimed) or started', async () => {
      const store = await capable();
      const at = Date.now() - 1_000;
      await store.putRecurring(record('r', { nextRunAt: at }));
      const first = { ...firstStep('r', at), nextRunAt: at + 60_000 };
      expect(await store.advanceRecurring(first)).toBe(true);
      const second = (expectedLast: 'unstarted' | 'started'): RecurringStep => ({
        key: 'r',
        expectedNextRunAt: at + 60_000,
        expectedLastTaskId: first.task!.id,
        expectedLast,
        cancelLast: false,
        task: occurrence('r', at + 60_000),
        runAt: at + 60_000,
        nextRunAt: at + 120_000,
      });
      expect(await store.advanceRecurring(second('started'))).toBe(false);
      const claimed = (await store.claim({ workerId: 'w', limit: 10 })).tasks.map((t) => t.id);
      expect(claimed).toEqual([first.task!.id]);
      expect(await store.advanceRecurring(second('unstarted'))).toBe(false);
      expect(await store.advanceRecurring(second('started'))).toBe(true);
      expect(await store.getRecurring('r')).toMatchObject({
        lastTaskId: second('started').task!.id,
        previousTaskId: first.task!.id,
        previousRunAt: at,
      });
    });

    it('a step with cancelLast cancels the unstarted last occurrence, in the same step', async () => {
      const store = await capable();
      await store.putRecurring(record('r'));
      const first = firstStep('r');
      expect(await store.advanceRecurring(first)).toBe(true);
      const skip: RecurringStep = {
        key: 'r',
        expectedNextRunAt: T0 + 60_000,
        expectedLastTaskId: first.task!.id,
        expectedLast: 'unstarted',
        cancelLast: true,
        task: occurrence('r', T0 + 120_000),
        runAt: T0 + 120_000,
        nextRunAt: T0 + 180_000,
      };
      expect(await store.advanceRecurring(skip)).toBe(true);
      expect((await store.get(first.task!.id))?.status).toBe(TaskStatus.Cancelled);
      expect((await store.get(skip.task!.id))?.status).toBe(TaskStatus.Pending);
      expect((await store.counts()).pending).toBe(1);
    });

    it('a step without a task ends the schedule (nextRunAt null)', async () => {
      const store = await capable();
      await store.putRecurring(record('r'));
      expect(
        await store.advanceRecurring({ ...firstStep('r'), task: undefined, runAt: undefined, nextRunAt: null }),
      ).toBe(true);
      expect(await store.getRecurring('r')).toEqual(record('r', { nextRunAt: null }));
      expect(await store.list()).toEqual([]);
    });

    it('a step without a task but with a next keeps the last occurrence and moves only the next', async () => {
      const store = await capable();
      await store.putRecurring(record('r'));
      const first = firstStep('r');
      expect(await store.advanceRecurring(first)).toBe(true);
      const moveOn: RecurringStep = {
        key: 'r',
        expectedNextRunAt: T0 + 60_000,
        expectedLastTaskId: first.task!.id,
        expectedLast: 'unstarted',
        cancelLast: false,
        task: undefined,
        runAt: undefined,
        nextRunAt: T0 + 120_000,
      };
      expect(await store.advanceRecurring(moveOn)).toBe(true);
      expect(await store.getRecurring('r')).toEqual({
        ...record('r'),
        nextRunAt: T0 + 120_000,
        lastRunAt: T0,
        lastTaskId: first.task!.id,
      });
      expect((await store.get(first.task!.id))?.status).toBe(TaskStatus.Pending);
    });

    it('a step adds its occurrence where one of its id was cancelled (a schedule removed and made again)', async () => {
      const store = await capable();
      await store.putRecurring(record('again'));
      expect(await store.advanceRecurring(firstStep('again'))).toBe(true);
      await store.removeRecurring('again');
      expect((await store.get(firstStep('again').task!.id))?.status).toBe(TaskStatus.Cancelled);
      await store.putRecurring(record('again'));
      expect(await store.advanceRecurring(firstStep('again'))).toBe(true);
      expect(await store.get(firstStep('again').task!.id)).toMatchObject({ status: TaskStatus.Pending, attempts: 0 });
      expect((await store.counts()).pending).toBe(1);
    });

    it('remove cancels the last occurrence if it never started, and leaves a started one alone', async () => {
      const store = await capable();
      await store.putRecurring(record('pending'));
      expect(await store.advanceRecurring(firstStep('pending'))).toBe(true);
      expect(await store.removeRecurring('pending')).toMatchObject({ key: 'pending' });
      expect((await store.get(firstStep('pending').task!.id))?.status).toBe(TaskStatus.Cancelled);

      const now = Date.now() - 10;
      await store.putRecurring(record('running', { nextRunAt: now }));
      expect(await store.advanceRecurring(firstStep('running', now))).toBe(true);
      await store.claim({ workerId: 'w', limit: 10 });
      await store.removeRecurring('running');
      expect((await store.get(firstStep('running', now).task!.id))?.status).toBe(TaskStatus.Running);
    });
  });
}
