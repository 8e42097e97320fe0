/**
 * Metric state for one label set, kept by the observer itself: recording is a few additions, no label
 * hashing or validation (prom-client's own inc/observe cost ~100x more). Scrapes read these.
 */
export class CounterSeries {
  /** Increments not yet handed to prom-client. */
  unflushed = 0;

  constructor(readonly labels: Readonly<Record<string, string>>) {}
}

/** One label set of a histogram. Bounds and observations share a unit (the Prometheus histogram's: ms). */
export class HistogramSeries {
  /** Observations per bucket (not cumulative); above the last bound only `count` has them. Small integers, never boxed. */
  readonly buckets: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.buckets[i]!++;
    this.sum += value;
    this.count++;
  }

  reset(): void {
    this.buckets.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}
