interface Queued<I, O> {
  item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: calls made while a batch is on its way to the database wait and go together in the next
 * one (and calls of one event-loop turn always go together), so under load a report or an add costs a
 * fraction of a round trip while a lone call waits no longer than one. Each caller gets its own answer.
 */
export class PostgresBatcher<I, O> {
  private queue: Queued<I, O>[] = [];
  private inFlight: Promise<void> | undefined;
  private scheduled = false;

  constructor(
    private readonly send: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight === undefined) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  /** Resolves when everything pushed so far has been answered. */
  async drain(): Promise<void> {
    while (this.inFlight !== undefined || this.queue.length > 0) {
      if (this.inFlight === undefined) this.flush();
      await this.inFlight;
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.inFlight !== undefined || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight = this.send(batch.map((queued) => queued.item)).then(
      (outputs) => batch.forEach((queued, i) => queued.resolve(outputs[i]!)),
      (error: unknown) => batch.forEach((queued) => queued.reject(error)),
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0) this.flush();
    });
  };
}
