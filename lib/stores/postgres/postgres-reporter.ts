import type { Lease } from '../../interfaces/task-store.interface.js';
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
  /** A result JSON cannot hold was dropped from its report. */
  dropped(taskId: string, reason: string): void;
}

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
  private readonly batcher = new CallBatcher<TaskReport, ReportOutcome>(
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
  private async send(reports: TaskReport[]): Promise<ReportOutcome[]> {
    const outcomes = new Array<ReportOutcome>(reports.length);
    let round = reports.map((_, i) => i);
    while (round.length > 0) {
      const seen = new Set<string>();
      const now: number[] = [];
      const later: number[] = [];
      for (const i of round) (seen.has(reports[i]!.id) ? later : now).push(i);
      for (const i of now) seen.add(reports[i]!.id);
      const json = encodeReports(
        now.map((i) => reports[i]!),
        this.events.dropped,
      );
      const [row] = await this.runner.run<{ accepted: string[]; settled: string[]; wake_ms: number | null }>('complete/fail', 'finish', [json, this.origin]);
      const accepted = new Set(row!.accepted);
      const settled = new Set(row!.settled);
      for (const i of now) outcomes[i] = accepted.has(reports[i]!.id) ? 'accepted' : settled.has(reports[i]!.id) ? 'settled' : 'stale';
      if (accepted.size > 0 || settled.size > 0) this.events.finished();
      this.events.wake(row!.wake_ms);
      round = later;
    }
    return outcomes;
  }
}
