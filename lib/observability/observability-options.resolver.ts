import { isPositiveFinite, isPositiveInteger } from '../validation/option.validator.js';
import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { Messages } from '../task-queue.messages.js';
import type { ResolvedObservabilityOptions, TaskQueueObservabilityOptions } from './task-queue-observability-options.interface.js';

const LEVELS = new Set(['verbose', 'debug', 'log', 'warn', 'error', false]);
const PROMETHEUS_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Checks the options and turns `true` into `{}`: the only place that does either. */
export function resolveObservabilityOptions(options: TaskQueueObservabilityOptions = {}): ResolvedObservabilityOptions {
  const resolved: ResolvedObservabilityOptions = { health: options.health ?? {} };
  const feature = <T extends object>(name: keyof TaskQueueObservabilityOptions, value: boolean | T | undefined): T | undefined => {
    if (value === undefined || value === false) return undefined;
    if (value === true) return {} as T;
    check(name, value, (v) => typeof v === 'object' && v !== null, 'true, false or an options object');
    return value;
  };
  resolved.prometheus = feature('prometheus', options.prometheus);
  resolved.openTelemetryMetrics = feature('openTelemetryMetrics', options.openTelemetryMetrics);
  resolved.tracing = feature('tracing', options.tracing);
  resolved.logging = feature('logging', options.logging);

  const prometheus = resolved.prometheus;
  if (prometheus !== undefined) {
    check('prometheus.prefix', prometheus.prefix, (v) => typeof v === 'string' && (v === '' || PROMETHEUS_NAME.test(v)), 'a Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    checkBuckets('prometheus', prometheus);
    check('prometheus.storeTimeout', prometheus.storeTimeout, isPositiveFinite, 'a positive number of ms');
  }
  const otel = resolved.openTelemetryMetrics;
  if (otel !== undefined) {
    checkBuckets('openTelemetryMetrics', otel);
    check('openTelemetryMetrics.storeTimeout', otel.storeTimeout, isPositiveFinite, 'a positive number of ms');
  }
  const logging = resolved.logging;
  if (logging !== undefined) {
    check('logging.args', logging.args, (v) => typeof v === 'function', 'a function (args, task) => what to log');
    for (const [kind, level] of Object.entries(logging.levels ?? {})) {
      check(`logging.levels.${kind}`, level, (v) => LEVELS.has(v as string), "'verbose', 'debug', 'log', 'warn', 'error' or false");
    }
  }
  const { health } = resolved;
  check('health.storeTimeout', health.storeTimeout, isPositiveFinite, 'a positive number of ms');
  check('health.maxOldestDueAge', health.maxOldestDueAge, (v) => v === false || isPositiveFinite(v), 'a positive number of ms, or false');
  check('health.maxClaimFailures', health.maxClaimFailures, isPositiveInteger, 'an integer from 1 up');
  return resolved;
}

function checkBuckets(feature: string, options: { durationBuckets?: number[]; latenessBuckets?: number[] }): void {
  const increasing = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((b, i) => isPositiveFinite(b) && (i === 0 || b > v[i - 1]));
  check(`${feature}.durationBuckets`, options.durationBuckets, increasing, 'a non-empty array of increasing positive numbers (seconds)');
  check(`${feature}.latenessBuckets`, options.latenessBuckets, increasing, 'a non-empty array of increasing positive numbers (seconds)');
}

function check(name: string, value: unknown, valid: (v: unknown) => boolean, expected: string): void {
  if (value !== undefined && !valid(value)) throw new InvalidTaskOptionsError(Messages.invalidOption(name, expected, value));
}
