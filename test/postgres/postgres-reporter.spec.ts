import { StoreUnavailableError } from '../../lib/index.js';
import { PostgresReporter } from '../../lib/stores/postgres/postgres-reporter.js';
import type { PostgresRunner } from '../../lib/stores/postgres/postgres-runner.js';
import type { TaskReport } from '../../lib/stores/postgres/postgres-task.codec.js';

/** A runner whose finish call fails, as the runner reports it, whenever its batch holds a report `refuses` picks. */
function runnerRefusing(refuses: (report: TaskReport) => boolean, code: string) {
  const calls: string[][] = [];
  const runner = {
    run: async (_operation: string, _statement: string, values: unknown[]) => {
      const reports = JSON.parse(values[0] as string) as TaskReport[];
      calls.push(reports.map((report) => report.id));
      if (reports.some(refuses)) {
        const cause = Object.assign(new Error('refused'), { code });
        throw new StoreUnavailableError(`The task store is unavailable (complete/fail): ${cause.message}`, { cause });
      }
      return [{ accepted: reports.map((report) => report.id), settled: [], wake_ms: null }];
    },
  };
  return { calls, runner: runner as unknown as PostgresRunner };
}

const events = { finished: () => undefined, wake: () => undefined };
const report = (id: string): TaskReport => ({ id, token: `t-${id}`, outcome: 'succeeded' });

describe('PostgresReporter', () => {
  it('records the other reports of a batch whose data the database refuses; the refused one fails alone', async () => {
    const { calls, runner } = runnerRefusing((r) => r.id === 'poison', '22P05');
    const reporter = new PostgresReporter(runner, 'origin', events);
    const ids = ['a', 'b', 'poison', 'c', 'd'];
    const outcomes = await Promise.allSettled(ids.map((id) => reporter.report(report(id))));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      'accepted',
      'accepted',
      'rejected',
      'accepted',
      'accepted',
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    expect(calls[0]).toEqual(ids);
    expect(calls.length).toBeLessThan(2 * ids.length);
  });

  it('fails the whole batch when the database is unreachable (an outage, not one report)', async () => {
    const { calls, runner } = runnerRefusing(() => true, 'ECONNRESET');
    const reporter = new PostgresReporter(runner, 'origin', events);
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((id) => reporter.report(report(id))));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });
});
