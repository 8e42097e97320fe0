/** Validates a numeric strategy option in the house format. */
export function assertFiniteAtLeast(name: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`Expected \`${name}\` to be a finite number from ${min} up, got \`${String(value)}\``);
  }
  return value;
}
