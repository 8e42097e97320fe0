import type * as PromClient from 'prom-client';

export interface PrometheusTaskMetricsOptions {
  /** Where the metrics are registered. Default: prom-client's default registry (`register`). */
  registry?: PromClient.Registry<PromClient.RegistryContentType>;
  /** Prefix of every metric name. Default `task_queue_`; another one lets two queues share a registry. */
  prefix?: string;
  /** Buckets of the run duration histogram, in seconds. */
  durationBuckets?: number[];
  /** Buckets of the start lateness histogram, in seconds. */
  latenessBuckets?: number[];
  /** How long a scrape waits for the store's counts, ms; then `store_up` is 0. Default 1,000. */
  storeTimeout?: number;
  /** The prom-client module, to pass it rather than have it imported (bundlers, a second copy). */
  client?: typeof PromClient;
}
