import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { Messages } from '../task-queue.messages.js';

/**
 * The longest `taskId` and `partitionKey`, in UTF-16 code units (`string.length`). Every store takes it:
 * PostgreSQL indexes both, and a btree entry holds about 2,700 bytes (512 units are 1,536 UTF-8 bytes at most).
 */
export const MAX_KEY_LENGTH = 512;

/**
 * What no store can keep in text: U+0000 (PostgreSQL's text and jsonb refuse it) and a lone surrogate (not
 * well-formed Unicode: PostgreSQL's jsonb refuses it, the Redis and pg drivers send it as U+FFFD, so two ids
 * could become one).
 */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A quick test first: most text has neither U+0000 nor any surrogate, and a plain class scans fastest. */
const SUSPECT = /[\0\ud800-\udfff]/;

/** Why no store can keep `text` (and where), or undefined if every store can. */
export function textProblem(text: string): string | undefined {
  if (!SUSPECT.test(text)) return undefined;
  const found = UNSTORABLE.exec(text);
  if (found === null) return undefined;
  if (found[0] === '\0') return `U+0000 at index ${found.index}`;
  const unit = found[0].charCodeAt(0).toString(16);
  return `a lone surrogate (\\u${unit}, not well-formed Unicode) at index ${found.index}`;
}

/** Throws `InvalidTaskOptionsError` naming `name` unless every store can keep `text` (and, with `maxLength`, fits). */
export function checkText(name: string, text: string, maxLength?: number): void {
  if (maxLength !== undefined && text.length > maxLength)
    throw new InvalidTaskOptionsError(Messages.textTooLong(name, maxLength, text.length));
  const problem = textProblem(text);
  if (problem !== undefined) throw new InvalidTaskOptionsError(Messages.textNotStorable(name, problem));
}

/**
 * No task has an id that schedule() refuses. Asking a store for one anyway fails on PostgreSQL for U+0000 (as an
 * outage), and finds the task whose id it is mangled into: the drivers send a lone surrogate as U+FFFD.
 */
export function canBeTaskId(taskId: string): boolean {
  return typeof taskId !== 'string' || textProblem(taskId) === undefined;
}
