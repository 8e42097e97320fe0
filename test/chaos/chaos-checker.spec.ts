import { checkChaos, type ChaosFacts } from './chaos-checker.js';
import type { Disruption, RunEvent } from './chaos-log.js';

// The chaos run's checker on crafted logs: it must see each kind of failure it exists to catch, and excuse the
// overlaps a fault explains.
let runCounter = 0;
function run(id: string, pid: number, start: number, end: number | undefined, ok = true, attempt = 1): RunEvent[] {
  const r = ++runCounter;
  const events: RunEvent[] = [{ e: 'start', pid, run: r, id, attempt, t: start }];
  if (end !== undefined) events.push({ e: 'end', pid, run: r, id, attempt, t: end, ok });
  return events;
}

function facts(events: RunEvent[][], more: Partial<ChaosFacts> = {}): ChaosFacts {
  const flat = events.flat();
  const ids = [...new Set(flat.map((event) => event.id))];
  return {
    scheduled: ids.map((id) => ({ id })),
    completed: new Set(ids),
    events: flat,
    disruptions: [],
    ...more,
  };
}

describe('the chaos checker', () => {
  it('passes a clean log', () => {
    const verdict = checkChaos(facts([run('a', 1, 0, 10), run('b', 2, 5, 15)]));
    expect(verdict).toMatchObject({ runs: 2, lost: [], doubleRuns: [], orderViolations: [] });
  });

  it('finds a task that was never completed, or completed without a run that succeeded', () => {
    const log = facts([run('a', 1, 0, 10), run('b', 1, 0, 10, false)], { completed: new Set(['b']) });
    expect(checkChaos({ ...log, scheduled: [...log.scheduled, { id: 'c' }] }).lost).toEqual(['a', 'b', 'c']);
  });

  it('finds a second run that started while the first held its lease', () => {
    const verdict = checkChaos(facts([run('a', 1, 0, 100), run('a', 2, 50, 120, true, 2)]));
    expect(verdict.doubleRuns).toEqual([
      expect.objectContaining({ id: 'a', second: expect.objectContaining({ pid: 2 }) }),
    ]);
  });

  it('finds a stale run that starts while another worker holds the lease, after a pause of its own', () => {
    const pause: Disruption = { kind: 'pause', pid: 2, from: 10, to: 40 };
    const verdict = checkChaos(facts([run('a', 1, 20, 100), run('a', 2, 45, 60)], { disruptions: [pause] }));
    expect(verdict.doubleRuns).toHaveLength(1);
  });

  it('excuses an overlap after the first run was killed, paused or cut off from the store, and times the take-over', () => {
    const faults: Disruption[] = [
      { kind: 'kill', pid: 1, from: 10, to: 10 },
      { kind: 'pause', pid: 3, from: 210, to: 400 },
      { kind: 'outage', from: 410, to: 430 },
      { kind: 'kill', pid: 6, from: 610, to: 610 },
      { kind: 'outage', from: 620, to: 700 },
    ];
    const verdict = checkChaos(
      facts(
        [
          run('a', 1, 0, undefined),
          run('a', 2, 35, 50, true, 2),
          run('b', 3, 200, 420),
          run('b', 4, 250, 260, true, 2),
          run('c', 4, 400, 500),
          run('c', 5, 440, 450, true, 2),
          run('d', 6, 600, undefined),
          run('d', 7, 710, 720, true, 2),
        ],
        { disruptions: faults },
      ),
    );
    expect(verdict.doubleRuns).toEqual([]);
    expect(verdict.takeOvers).toEqual([25, 40]); // not d's: an outage came between, so that was a recovery
    expect(verdict.recoveries).toEqual([10, 10]);
  });

  it('counts a run the killed process started before its exit was seen as killed (its clock may pass the kill)', () => {
    const kill: Disruption = { kind: 'kill', pid: 1, from: 100, to: 103 };
    const verdict = checkChaos(
      facts([run('a', 1, 101, undefined), run('a', 2, 1_601, 1_650, true, 2)], { disruptions: [kill] }),
    );
    expect(verdict.doubleRuns).toEqual([]);
    expect(verdict.takeOvers).toEqual([1_501]);
  });

  it('finds a partition task that started before the one ahead of it succeeded', () => {
    const log = facts([run('p1', 1, 0, 50, false), run('p2', 2, 20, 30), run('p1', 1, 60, 70, true, 2)]);
    const scheduled = [
      { id: 'p1', partition: 7, seq: 1 },
      { id: 'p2', partition: 7, seq: 2 },
    ];
    expect(checkChaos({ ...log, scheduled }).orderViolations).toEqual([
      { partition: 7, earlier: 'p1', later: 'p2', at: 20 },
    ]);
  });

  it('finds a run of an earlier partition task that started after a later one', () => {
    const log = facts([run('p1', 1, 0, 10), run('p2', 2, 20, 30), run('p1', 3, 40, 45, true, 2)]);
    const scheduled = [
      { id: 'p1', partition: 7, seq: 1 },
      { id: 'p2', partition: 7, seq: 2 },
    ];
    expect(checkChaos({ ...log, scheduled }).orderViolations).toHaveLength(1);
  });

  it('keeps partitions apart and lets retries of a task precede the next one', () => {
    const log = facts([
      run('p1', 1, 0, 5, false),
      run('p1', 1, 10, 20, true, 2),
      run('p2', 2, 25, 30),
      run('q1', 3, 1, 2),
    ]);
    const scheduled = [
      { id: 'p1', partition: 1, seq: 1 },
      { id: 'p2', partition: 1, seq: 2 },
      { id: 'q1', partition: 2, seq: 1 },
    ];
    expect(checkChaos({ ...log, scheduled }).orderViolations).toEqual([]);
  });
});
