import { checkOption, isFiniteBetween } from '../validation/option.validator.js';

/** Checks a numeric strategy option (a finite number from `min` to `max`); throws `InvalidTaskOptionsError`. */
export function assertFiniteAtLeast(name: string, value: number, min: number, max = Infinity): number {
  const expected = max === Infinity ? `a finite number from ${min} up` : `a finite number from ${min} to ${max}`;
  return checkOption(name, value, isFiniteBetween(min, max), expected);
}
