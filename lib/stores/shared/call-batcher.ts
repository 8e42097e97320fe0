interface Queued<I, O> {
  item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/** When a batch is sent: once the current callback and its microtasks are done, or after the event loop's I/O. */
export type BatchWindow = 'microtasks' | 'event-loop-turn';

export interface CallBatcherOptions<I> {
  window: BatchWindow;
  /** The weight of a batch at most (a single item heavier than this still goes whole). */
  maxWeight: number;
  /** An item's weight; default 1 (then `maxWeight` counts items). */
  weight?: (item: I) => number;
  /** Batches on their way at once at most; later calls wait and go together when one lands. Default: no limit. */
  maxInFlight?: number;
}

/**
 * Group commit for a durable store: the calls of one batch window go to the server together, as one call
 * (a script, a function), and each caller gets its own answer. Under load an add or a report costs a fraction
 * of a round trip (and of a commit); a lone call waits no longer than its window.
 */
export class CallBatcher<I, O> {
  private queue: Queued<I, O>[] = [];
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly window: BatchWindow;
  private readonly maxWeight: number;
  private readonly weight: (item: I) => number;
  private readonly maxInFlight: number;

  /** `send` runs the items in order and returns one output per item. */
  constructor(
    options: CallBatcherOptions<I>,
    private readonly send: (items: I[]) => Promise<O[]>,
  ) {
    this.window = options.window;
    this.maxWeight = options.maxWeight;
    this.weight = options.weight ?? (() => 1);
    this.maxInFlight = options.maxInFlight ?? Infinity;
  }

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight.size < this.maxInFlight) {
        this.scheduled = true;
        if (this.window === 'microtasks') process.nextTick(this.flush);
        else setImmediate(this.flush);
      }
    });
  }

  /** Resolves when everything pushed so far (and meanwhile) has been answered. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      this.flush();
      await Promise.all(this.inFlight);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    while (this.inFlight.size < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchLength());
      const sent: Promise<void> = this.send(batch.map((queued) => queued.item)).then(
        (outputs) => batch.forEach((queued, i) => queued.resolve(outputs[i]!)),
        (error: unknown) => batch.forEach((queued) => queued.reject(error)),
      );
      this.inFlight.add(sent);
      void sent.finally(() => {
        this.inFlight.delete(sent);
        // Calls held back by maxInFlight go now; calls waiting for their window keep waiting for it.
        if (!this.scheduled && this.queue.length > 0) this.flush();
      });
    }
  };

  /** How many queued items the next batch takes: as many as fit in `maxWeight`, at least one. */
  private batchLength(): number {
    let weight = 0;
    let count = 0;
    while (count < this.queue.length) {
      const next = this.weight(this.queue[count]!.item);
      if (count > 0 && weight + next > this.maxWeight) break;
      weight += next;
      count++;
    }
    return count;
  }
}
