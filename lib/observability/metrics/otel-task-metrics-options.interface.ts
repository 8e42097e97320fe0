import type * as OtelApi from '@opentelemetry/api';

export interface OtelTaskMetricsOptions {
  /** Where the meter comes from. Default: the global one (`metrics.getMeterProvider()`), set by your SDK. */
  meterProvider?: OtelApi.MeterProvider;
  /** Bucket boundaries advised for the run duration histogram, in seconds. */
  durationBuckets?: number[];
  /** Bucket boundaries advised for the start lateness histogram, in seconds. */
  latenessBuckets?: number[];
  /** How long a collection waits for the store's counts, ms; then `store_up` is 0. Default 1,000. */
  storeTimeout?: number;
  /** The @opentelemetry/api module, to pass it rather than have it imported. */
  api?: typeof OtelApi;
}
