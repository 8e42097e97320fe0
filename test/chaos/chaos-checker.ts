import type { Disruption, RunEvent, ScheduledTask } from './chaos-log.js';

/** One run of a handler, from the run log. */
export interface Run {
  id: string;
  pid: number;
  attempt: number;
  start: number;
  /** When the run ended or was aborted, whichever came first; none: it never ended (killed, or still hung). */
  end?: number;
  ok: boolean;
}

export interface ChaosFacts {
  scheduled: ScheduledTask[];
  /** Ids the store holds as completed at the end. */
  completed: ReadonlySet<string>;
  events: RunEvent[];
  disruptions: Disruption[];
}

export interface ChaosVerdict {
  runs: number;
  /** Scheduled tasks not completed, or completed without a run that succeeded. */
  lost: string[];
  /** A run that started while an earlier run of the task still held its lease. */
  doubleRuns: { id: string; first: Run; second: Run }[];
  /** A partition's task that started before an earlier one finished, or an earlier one that started after it. */
  orderViolations: { partition: number; earlier: string; later: string; at: number }[];
  /** Per killed or paused run (no outage between): ms from the fault to the task's start on another worker. */
  takeOvers: number[];
  /** Per outage: ms from its end to the next run start. */
  recoveries: number[];
}

export function runsOf(events: RunEvent[]): Run[] {
  const runs = new Map<string, Run>();
  for (const event of events) {
    const key = `${event.pid}:${event.run}`;
    if (event.e === 'start') {
      runs.set(key, { id: event.id, pid: event.pid, attempt: event.attempt, start: event.t, ok: false });
      continue;
    }
    const run = runs.get(key);
    if (run === undefined) continue;
    run.end = Math.min(run.end ?? Infinity, event.t);
    if (event.e === 'end') run.ok = event.ok === true;
  }
  return [...runs.values()].sort((a, b) => a.start - b.start);
}

/**
 * Until when a run held its lease for certain: its end, or the first fault that could cost it the lease (its
 * process killed or paused, or the store out, after it started). Every fault of a chaos run outlasts the lease.
 */
export function leaseEnd(run: Run, disruptions: Disruption[]): number {
  let until = run.end ?? Infinity;
  for (const d of disruptions) {
    const hits = d.kind === 'outage' || d.pid === run.pid;
    if (hits && d.to >= run.start && d.from < until) until = Math.max(run.start, d.from);
  }
  return until;
}

export function checkChaos(facts: ChaosFacts): ChaosVerdict {
  const runs = runsOf(facts.events);
  const byTask = new Map<string, Run[]>();
  for (const run of runs) byTask.set(run.id, [...(byTask.get(run.id) ?? []), run]);
  const runsOfTask = (id: string) => byTask.get(id) ?? [];

  const lost = facts.scheduled
    .filter((task) => !facts.completed.has(task.id) || !runsOfTask(task.id).some((run) => run.ok))
    .map((task) => task.id);

  const doubleRuns: ChaosVerdict['doubleRuns'] = [];
  for (const [id, taskRuns] of byTask) {
    taskRuns.forEach((second, i) => {
      const first = taskRuns.slice(0, i).find((run) => second.start < leaseEnd(run, facts.disruptions));
      if (first !== undefined) doubleRuns.push({ id, first, second });
    });
  }

  return {
    runs: runs.length,
    lost,
    doubleRuns,
    orderViolations: orderViolations(facts.scheduled, runsOfTask),
    takeOvers: takeOvers(runs, runsOfTask, facts.disruptions),
    recoveries: facts.disruptions
      .filter((d) => d.kind === 'outage')
      .flatMap((d) => {
        const next = runs.find((run) => run.start >= d.to);
        return next === undefined ? [] : [next.start - d.to];
      }),
  };
}

/** Partition order: each task starts only after every earlier one succeeded, and no earlier one starts after it. */
function orderViolations(
  scheduled: ScheduledTask[],
  runsOfTask: (id: string) => Run[],
): ChaosVerdict['orderViolations'] {
  const partitions = new Map<number, ScheduledTask[]>();
  for (const task of scheduled) {
    if (task.partition !== undefined) partitions.set(task.partition, [...(partitions.get(task.partition) ?? []), task]);
  }
  const violations: ChaosVerdict['orderViolations'] = [];
  for (const [partition, tasks] of partitions) {
    tasks.sort((a, b) => a.seq! - b.seq!);
    let doneBy = -Infinity; // when every task so far had succeeded
    let lastStart = -Infinity; // the latest start of a task so far
    let lastId = '';
    for (const task of tasks) {
      const runs = runsOfTask(task.id);
      if (runs.length === 0) continue;
      const firstStart = runs[0]!.start;
      if (firstStart < doneBy || firstStart < lastStart) {
        violations.push({ partition, earlier: lastId, later: task.id, at: firstStart });
      }
      const succeeded = runs.filter((run) => run.ok).map((run) => run.end!);
      doneBy = Math.max(doneBy, succeeded.length > 0 ? Math.min(...succeeded) : Infinity);
      lastStart = Math.max(lastStart, ...runs.map((run) => run.start));
      lastId = task.id;
    }
  }
  return violations;
}

function takeOvers(runs: Run[], runsOfTask: (id: string) => Run[], disruptions: Disruption[]): number[] {
  const times: number[] = [];
  for (const d of disruptions) {
    if (d.kind === 'outage') continue;
    for (const run of runs) {
      // A killed process may start a run until its exit is seen; a paused one only until it is stopped.
      const lastStart = d.kind === 'kill' ? d.to : d.from;
      const open = run.pid === d.pid && run.start <= lastStart && (run.end === undefined || run.end > d.from);
      if (!open) continue;
      const next = runsOfTask(run.id).find((other) => other.pid !== run.pid && other.start > d.from);
      // After an outage too, the take-over waited for the store: that is a recovery time, not a take-over's.
      const outage = disruptions.some((o) => o.kind === 'outage' && o.from < (next?.start ?? 0) && o.to > d.from);
      if (next !== undefined && !outage) times.push(next.start - d.from);
    }
  }
  return times;
}
