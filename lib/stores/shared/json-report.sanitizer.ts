import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { TaskError } from '../../interfaces/task-record.interface.js';
import { StoreMessages } from './store.messages.js';

/**
 * What a JSON store keeps of a worker's report, one rule for every such store, applied before the report joins
 * a batch: a report the store could not keep would fail the batch, and every task in it would run again.
 * Characters JSON stores do not keep: U+0000 and lone surrogates (not well-formed Unicode), which PostgreSQL's
 * jsonb refuses. Redis could keep them, but the rule is the same on every store, so an app behaves alike on each.
 */

/**
 * A result as the JSON text to store (undefined: none, as for undefined or a function). One the store cannot keep
 * is dropped with a warning naming the task, which still succeeds: JSON.stringify threw (a BigInt, a cycle), or
 * the text holds a character JSON stores do not keep.
 */
export function storableResult(
  taskId: string,
  result: unknown,
  logger: TaskQueueLogger | undefined,
): string | undefined {
  let json: string | undefined;
  let dropped: string | undefined;
  try {
    json = JSON.stringify(result);
    dropped = json === undefined ? undefined : refusedEscape(json);
  } catch (error) {
    dropped = error instanceof Error ? error.message : String(error);
  }
  if (dropped === undefined) return json;
  logger?.warn(StoreMessages.resultDropped(taskId, dropped));
  return undefined;
}

/** An error with the characters JSON stores do not keep replaced by U+FFFD: the failure is recorded all the same. */
export function storableError(error: TaskError): TaskError {
  const stored: TaskError = { name: wellFormed(String(error.name)), message: wellFormed(String(error.message)) };
  if (error.stack !== undefined) stored.stack = wellFormed(String(error.stack));
  return stored;
}

/** Retries further away than this (about 31,000 years) are due then: PostgreSQL's times end not far beyond. */
export const MAX_RETRY_DELAY_MS = 1e15;

export function storableRetryDelay(retryInMs: number | null): number | null {
  return retryInMs === null ? null : Math.min(Math.max(0, retryInMs), MAX_RETRY_DELAY_MS);
}

/**
 * JSON.stringify writes U+0000 as `\u0000` and a lone surrogate as `\udXXX` (a pair stays raw); `\\` is an
 * escaped backslash, matched first so that the text `\u0000` (a backslash, then "u0000") is not taken for one.
 */
const ESCAPES = /\\\\|\\u(?:0000|d[89a-f])/g;

function refusedEscape(json: string): string | undefined {
  if (!json.includes('\\u')) return undefined;
  for (const [escape] of json.matchAll(ESCAPES)) {
    if (escape === '\\u0000') return 'it holds the character U+0000, which JSON stores do not keep';
    if (escape !== '\\\\') return 'it holds a lone surrogate (not well-formed Unicode), which JSON stores do not keep';
  }
  return undefined;
}

// eslint-disable-next-line no-control-regex -- U+0000 is what it looks for
const UNKEPT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormed(text: string): string {
  return text.replace(UNKEPT, '\ufffd');
}
