interface Queued<I, O> {
  item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the calls of one event-loop turn go to the database together, and while `maxInFlight`
 * batches are on their way, later calls wait and go together in the next one. Under load a report or an add
 * costs a fraction of a round trip (and of a commit); a lone call waits no longer than one. Each caller gets
 * its own answer.
 */
export class PostgresBatcher<I, O> {
  private queue: Queued<I, O>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private scheduled = false;

  constructor(
    private readonly send: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
    private readonly maxInFlight: number,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight.size < this.maxInFlight) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  /** Resolves when everything pushed so far has been answered. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      this.flush();
      await Promise.all(this.inFlight);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    while (this.inFlight.size < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const sent: Promise<void> = this.send(batch.map((queued) => queued.item)).then(
        (outputs) => batch.forEach((queued, i) => queued.resolve(outputs[i]!)),
        (error: unknown) => batch.forEach((queued) => queued.reject(error)),
      );
      this.inFlight.add(sent);
      void sent.finally(() => {
        this.inFlight.delete(sent);
        this.flush();
      });
    }
  };
}
