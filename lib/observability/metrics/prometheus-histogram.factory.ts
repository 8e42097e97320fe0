import type * as PromClient from 'prom-client';
import { HistogramSeries } from './metric-series.js';

/**
 * A prom-client Histogram whose series are `HistogramSeries` the observer records into directly, in
 * milliseconds; it exports seconds, like every Prometheus duration (its buckets are given in seconds).
 */
export interface MillisecondHistogram extends PromClient.Histogram<string> {
  series(labels: Record<string, string>): HistogramSeries;
}

type HistogramData = Awaited<ReturnType<PromClient.Histogram['get']>>;
const classes = new WeakMap<object, new (config: PromClient.HistogramConfiguration<string>) => MillisecondHistogram>();

/**
 * A subclass of the given prom-client's Histogram that renders its `HistogramSeries` in the shape
 * prom-client's own histograms give (`get()`, and `getForPromString()`, which the registry prefers).
 * prom-client has no bulk update; this keeps `observe` off its label hashing. Made once per client module.
 */
export function millisecondHistogramClass(
  client: typeof PromClient,
): new (config: PromClient.HistogramConfiguration<string>) => MillisecondHistogram {
  let made = classes.get(client);
  if (made === undefined) {
    made = class extends client.Histogram<string> implements MillisecondHistogram {
      // Metric's constructor calls reset() before this field exists.
      private local?: HistogramSeries[];

      series(labels: Record<string, string>): HistogramSeries {
        const series = new HistogramSeries(
          labels,
          this.bounds().map((seconds) => seconds * 1000),
        );
        (this.local ??= []).push(series);
        return series;
      }

      override async get(): Promise<HistogramData> {
        return this.render();
      }

      async getForPromString(): Promise<HistogramData> {
        return this.render();
      }

      override reset(): void {
        super.reset();
        for (const series of this.local ?? []) series.reset();
      }

      private bounds(): readonly number[] {
        return (this as unknown as { upperBounds: readonly number[] }).upperBounds;
      }

      private render(): HistogramData {
        const { name, help, aggregator } = this as unknown as {
          name: string;
          help: string;
          aggregator: PromClient.Aggregator;
        };
        const bounds = this.bounds();
        const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
        for (const series of this.local ?? []) {
          let cumulative = 0;
          for (let i = 0; i < bounds.length; i++) {
            cumulative += series.buckets[i]!;
            values.push({
              labels: { ...series.labels, le: bounds[i]! },
              value: cumulative,
              metricName: `${name}_bucket`,
            });
          }
          values.push({ labels: { ...series.labels, le: '+Inf' }, value: series.count, metricName: `${name}_bucket` });
          values.push({ labels: series.labels, value: series.sum / 1000, metricName: `${name}_sum` });
          values.push({ labels: series.labels, value: series.count, metricName: `${name}_count` });
        }
        return { name, help, type: 'histogram', values, aggregator } as unknown as HistogramData;
      }
    };
    classes.set(client, made);
  }
  return made;
}
