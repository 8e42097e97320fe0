/** One worker report for the report script: kind, id, token, payload, retry (see lua/report.lua.ts). */
export type ReportArgs = [kind: 'c' | 'f', taskId: string, token: string, payload: string, retryInMs: string];

interface QueuedReport {
  args: ReportArgs;
  resolve(outcome: number): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 500;

/**
 * Gathers the completions and failures reported during one turn of the event loop and records them in one
 * script call (a worker finishing a claimed batch reports many at once), so a report costs a fraction of a
 * round trip. Each caller still gets its own outcome.
 */
export class RedisReportBatcher {
  private queue: QueuedReport[] = [];
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly send: (args: string[]) => Promise<number[]>) {}

  push(args: ReportArgs): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves when every report pushed so far has been answered. */
  async drain(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    await Promise.all(this.inFlight);
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const sent = this.send(batch.flatMap((report) => report.args)).then(
        (outcomes) => batch.forEach((report, i) => report.resolve(outcomes[i]!)),
        (error: unknown) => batch.forEach((report) => report.reject(error)),
      );
      const tracked = sent.finally(() => this.inFlight.delete(tracked));
      this.inFlight.add(tracked);
    }
  }
}
