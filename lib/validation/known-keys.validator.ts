import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { Messages } from '../task-queue.messages.js';

/**
 * Refuses a key of `options` that is not in `known` (a typo such as `delayMs` would otherwise be ignored without a
 * word), suggesting the nearest known name. One pass over the keys and a Set lookup each: cheap enough for
 * `schedule()`; the suggestion is computed only when there is an unknown key.
 */
export function checkKnownKeys(where: string, options: object, known: ReadonlySet<string>): void {
  for (const key in options) {
    if (!known.has(key))
      throw new InvalidTaskOptionsError(Messages.unknownOption(where, key, nearest(key, known), known));
  }
}

/** The known name closest to `key` (case-insensitive edit distance), if it is close enough to be the one meant. */
export function nearest(key: string, known: Iterable<string>): string | undefined {
  const wanted = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const candidate = name.toLowerCase();
    // A known name inside the key (`delayMs`) or the key inside a known name (`retries`) is the likeliest meaning.
    const contained = wanted.includes(candidate) || (wanted.length >= 4 && candidate.includes(wanted));
    const distance = contained ? 0.5 : editDistance(wanted, candidate);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, substitution);
    }
    row = next;
  }
  return row[b.length]!;
}
