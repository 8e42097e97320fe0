import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { Messages } from '../task-queue.messages.js';

/**
 * The one way this library checks an option: a predicate and the phrase that says what was expected. Every
 * validator (schedule options, module options, observability, stores, retry strategies) goes through here, so
 * every message reads ``Expected `name` to be <expected>, got `value` `` and every error is InvalidTaskOptionsError.
 */
export type OptionPredicate = (value: unknown) => boolean;

/** Returns `value` if `valid(value)`, else throws `InvalidTaskOptionsError` naming the option. */
export function checkOption<T>(name: string, value: T, valid: OptionPredicate, expected: string): T {
  if (!valid(value)) throw new InvalidTaskOptionsError(Messages.invalidOption(name, expected, value));
  return value;
}

/** As `checkOption`, but `undefined` (the option left out) passes. */
export function checkOptional<T>(name: string, value: T, valid: OptionPredicate, expected: string): T {
  return value === undefined ? value : checkOption(name, value, valid, expected);
}

export const isPositiveInteger: OptionPredicate = (v) => Number.isInteger(v) && (v as number) >= 1;
export const isNonNegativeInteger: OptionPredicate = (v) => Number.isInteger(v) && (v as number) >= 0;
export const isPositiveFinite: OptionPredicate = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
export const isNonNegativeFinite: OptionPredicate = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
export const isNonEmptyString: OptionPredicate = (v) => typeof v === 'string' && v.length > 0;
export const isFunction: OptionPredicate = (v) => typeof v === 'function';
export const isPlainObject: OptionPredicate = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An integer from `min` up. */
export const isIntegerFrom =
  (min: number): OptionPredicate =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min;

/** A finite number from `min` up (to `max`, if given). */
export const isFiniteBetween =
  (min: number, max = Infinity): OptionPredicate =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

export const isRetryStrategy: OptionPredicate = (v) => typeof (v as { nextDelay?: unknown })?.nextDelay === 'function';
