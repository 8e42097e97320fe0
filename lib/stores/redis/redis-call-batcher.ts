interface Queued<T> {
  args: string[];
  resolve(result: T): void;
  reject(error: unknown): void;
}

/** Arguments per script call at most (a single item larger than this still goes whole). */
const MAX_ARGS = 20_000;

/** When a batch is sent: once the current callback and its microtasks are done, or after the event loop's I/O. */
export type BatchWindow = 'microtasks' | 'event-loop-turn';

/**
 * Gathers calls and sends them as one script call: the reports of a worker finishing a claimed batch (they
 * complete in one cascade of microtasks, and the worker waits for them: sent as soon as it ends), the
 * schedule() calls of concurrent requests (one turn of the event loop). Each item keeps its own atomicity
 * and its own result; a batch costs one round trip and one script run instead of one per item.
 */
export class RedisCallBatcher<T> {
  private queue: Queued<T>[] = [];
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  /** `send` runs the items in order and returns one result per item. */
  constructor(
    private readonly window: BatchWindow,
    private readonly send: (items: string[][]) => Promise<T[]>,
  ) {}

  push(args: string[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        if (this.window === 'microtasks') process.nextTick(this.flush);
        else setImmediate(this.flush);
      }
    });
  }

  /** Resolves when every item pushed so far has been answered. */
  async drain(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    await Promise.all(this.inFlight);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    while (this.queue.length > 0) {
      let size = 0;
      let count = 0;
      while (count < this.queue.length && (count === 0 || size + this.queue[count]!.args.length <= MAX_ARGS)) size += this.queue[count++]!.args.length;
      const batch = this.queue.splice(0, count);
      const sent = this.send(batch.map((item) => item.args)).then(
        (results) => batch.forEach((item, i) => item.resolve(results[i]!)),
        (error: unknown) => batch.forEach((item) => item.reject(error)),
      );
      const tracked = sent.finally(() => this.inFlight.delete(tracked));
      this.inFlight.add(tracked);
    }
  };
}
