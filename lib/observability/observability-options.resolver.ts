import {
  checkOptional,
  isFunction,
  isPositiveFinite,
  isPositiveInteger,
  type OptionPredicate,
} from '../validation/option.validator.js';
import { ObservabilityMessages as M } from './observability.messages.js';
import type {
  ResolvedObservabilityOptions,
  TaskQueueObservabilityOptions,
} from './task-queue-observability-options.interface.js';

const LEVELS = new Set<unknown>(['verbose', 'debug', 'log', 'warn', 'error', false]);
const PROMETHEUS_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const isOptionsObject: OptionPredicate = (v) => typeof v === 'object' && v !== null;
const isMetricPrefix: OptionPredicate = (v) => typeof v === 'string' && (v === '' || PROMETHEUS_NAME.test(v));
const isPositiveFiniteOrFalse: OptionPredicate = (v) => v === false || isPositiveFinite(v);
const isLogLevel: OptionPredicate = (v) => LEVELS.has(v);
const isIncreasingBuckets: OptionPredicate = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((b, i) => isPositiveFinite(b) && (i === 0 || b > v[i - 1]));

/** Checks the options and turns `true` into `{}`: the only place that does either. */
export function resolveObservabilityOptions(options: TaskQueueObservabilityOptions = {}): ResolvedObservabilityOptions {
  const resolved: ResolvedObservabilityOptions = {
    health: options.health ?? {},
    prometheus: feature('prometheus', options.prometheus),
    openTelemetryMetrics: feature('openTelemetryMetrics', options.openTelemetryMetrics),
    tracing: feature('tracing', options.tracing),
    logging: feature('logging', options.logging),
  };
  const { prometheus, openTelemetryMetrics: otel, logging, health } = resolved;
  if (prometheus !== undefined) {
    checkOptional('prometheus.prefix', prometheus.prefix, isMetricPrefix, M.metricPrefixExpected());
    checkMetrics('prometheus', prometheus);
  }
  if (otel !== undefined) checkMetrics('openTelemetryMetrics', otel);
  if (logging !== undefined) {
    checkOptional('logging.args', logging.args, isFunction, M.logArgsExpected());
    for (const [kind, level] of Object.entries(logging.levels ?? {})) {
      checkOptional(`logging.levels.${kind}`, level, isLogLevel, M.logLevelExpected());
    }
  }
  checkOptional('health.storeTimeout', health.storeTimeout, isPositiveFinite, M.msExpected());
  checkOptional('health.maxOldestDueAge', health.maxOldestDueAge, isPositiveFiniteOrFalse, M.msOrFalseExpected());
  checkOptional('health.maxClaimFailures', health.maxClaimFailures, isPositiveInteger, M.countFromOneExpected());
  return resolved;
}

type MetricsOptions = { durationBuckets?: number[]; latenessBuckets?: number[]; storeTimeout?: number };

/** A feature's value: off (`undefined`) when left out or `false`, its defaults (`{}`) when `true`. */
function feature<T extends object>(name: string, value: boolean | T | undefined): T | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {} as T;
  return checkOptional(name, value, isOptionsObject, M.featureExpected());
}

/** What Prometheus and OpenTelemetry metrics share: histogram buckets and the store's time to answer counts(). */
function checkMetrics(name: string, options: MetricsOptions): void {
  checkOptional(`${name}.durationBuckets`, options.durationBuckets, isIncreasingBuckets, M.bucketsExpected());
  checkOptional(`${name}.latenessBuckets`, options.latenessBuckets, isIncreasingBuckets, M.bucketsExpected());
  checkOptional(`${name}.storeTimeout`, options.storeTimeout, isPositiveFinite, M.msExpected());
}
