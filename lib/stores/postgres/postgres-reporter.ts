import type { Lease } from '../../interfaces/task-store.interface.js';
import { isDataError } from './postgres-error.classifier.js';
import { CallBatcher } from '../shared/call-batcher.js';
import { PostgresRecentReports } from './postgres-recent-reports.js';
import type { PostgresRunner } from './postgres-runner.js';
import { encodeReports, type TaskReport } from './postgres-task.codec.js';

/** accepted: recorded; settled: the task was cancelled meanwhile (released, report refused); stale: lease lost. */
export type ReportOutcome = 'accepted' | 'settled' | 'stale';

export interface ReporterEvents {
  /** Tasks finished (or were released): retention has work. */
  finished(): void;
  /** Work became due (a partition's next task, a retry), in ms; null: none. */
  wake(inMs: number | null): void;
}

/** A report's answer in a batch: its outcome, or the failure that is its own (its data, refused alone). */
type Answer = ReportOutcome | { failed: unknown };
type FinishRow = { accepted: string[]; settled: string[]; wake_ms: number | null };

const MAX_BATCH = 1_000;
/** Report batches on their way at once: commits of parallel transactions share the disk flush. */
const MAX_IN_FLIGHT = 4;
/** How long a reported lease is remembered, for renewals (they run every leaseTime / 3). */
const REMEMBER_MS = 2_000;

/**
 * Records workers' reports (complete, fail), many per function call: the reports of one event-loop turn go
 * together, and while batches are on their way later reports gather for the next one.
 */
export class PostgresReporter {
  private readonly batcher = new CallBatcher<TaskReport, Answer>(
    { window: 'event-loop-turn', maxWeight: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT },
    (reports) => this.send(reports),
  );
  /** Reports on their way (lease keys), and leases whose report was recorded lately. */
  private readonly sending = new Set<string>();
  private readonly recent = new PostgresRecentReports(REMEMBER_MS);

  constructor(
    private readonly runner: PostgresRunner,
    private readonly origin: string,
    private readonly events: ReporterEvents,
  ) {}

  async report(report: TaskReport): Promise<ReportOutcome> {
    const key = `${report.id}\u0000${report.token}`;
    this.sending.add(key);
    try {
      const outcome = await this.batcher.push(report);
      if (typeof outcome === 'object') throw outcome.failed;
      if (outcome !== 'stale') this.recent.add(report.id, report.token);
      return outcome;
    } finally {
      this.sending.delete(key);
    }
  }

  /** Whether this lease's report is on its way or was just recorded (so its task is no longer leased by it). */
  reported(lease: Lease): boolean {
    return this.sending.has(`${lease.taskId}\u0000${lease.token}`) || this.recent.has(lease.taskId, lease.token);
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  /** One function call per batch; a task reported twice in a batch goes in the next call (first report wins). */
  private async send(reports: TaskReport[]): Promise<Answer[]> {
    const answers = new Array<Answer>(reports.length);
    let round = reports.map((_, i) => i);
    while (round.length > 0) {
      const seen = new Set<string>();
      const now: number[] = [];
      const later: number[] = [];
      for (const i of round) (seen.has(reports[i]!.id) ? later : now).push(i);
      for (const i of now) seen.add(reports[i]!.id);
      await this.finish(now, reports, answers);
      round = later;
    }
    return answers;
  }

  /**
   * Records the reports at `indexes` in one call. If the database refuses the batch's data, each half goes on its
   * own, down to a report alone, which then fails by itself: one task's report never fails another's.
   */
  private async finish(indexes: number[], reports: TaskReport[], answers: Answer[]): Promise<void> {
    let row: FinishRow;
    try {
      row = await this.call(indexes.map((i) => reports[i]!));
    } catch (error) {
      if (!isDataError((error as Error).cause)) throw error;
      if (indexes.length === 1) answers[indexes[0]!] = { failed: error };
      else {
        const half = Math.ceil(indexes.length / 2);
        await this.finish(indexes.slice(0, half), reports, answers);
        await this.finish(indexes.slice(half), reports, answers);
      }
      return;
    }
    const accepted = new Set(row.accepted);
    const settled = new Set(row.settled);
    for (const i of indexes) {
      const id = reports[i]!.id;
      answers[i] = accepted.has(id) ? 'accepted' : settled.has(id) ? 'settled' : 'stale';
    }
    if (accepted.size > 0 || settled.size > 0) this.events.finished();
    this.events.wake(row.wake_ms);
  }

  private async call(reports: TaskReport[]): Promise<FinishRow> {
    const [row] = await this.runner.run<FinishRow>('complete/fail', 'finish', [encodeReports(reports), this.origin]);
    return row!;
  }
}
