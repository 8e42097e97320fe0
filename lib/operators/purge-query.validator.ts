import type { PurgeQuery } from '../interfaces/purge-query.interface.js';
import { FINISHED_STATUSES, type TaskStatus } from '../interfaces/task-status.js';
import { checkKnownKeys } from '../validation/known-keys.validator.js';
import { checkOptional, checkOption, isPlainObject, type OptionPredicate } from '../validation/option.validator.js';
import { checkText } from '../validation/text.validator.js';
import { OperatorMessages } from './operator.messages.js';

const isFinishedStatus = (v: unknown) => FINISHED_STATUSES.includes(v as TaskStatus);
const isStatuses: OptionPredicate = (v) =>
  Array.isArray(v) ? v.length > 0 && v.every(isFinishedStatus) : isFinishedStatus(v);
const isDate: OptionPredicate = (v) => v instanceof Date && !Number.isNaN(v.getTime());
const KNOWN: ReadonlySet<string> = new Set(['status', 'handler', 'finishedBefore']);

/** Throws `InvalidTaskOptionsError` unless the query names finished statuses (purge removes only finished tasks). */
export function checkPurgeQuery(query: PurgeQuery): PurgeQuery {
  checkOption('purge query', query, isPlainObject, 'an object ({ status, handler?, finishedBefore? })');
  checkKnownKeys('purge', query, KNOWN);
  checkOption('status', query.status, isStatuses, OperatorMessages.purgeStatus());
  checkOptional('handler', query.handler, (v) => typeof v === 'string', 'a string');
  if (query.handler !== undefined) checkText('handler', query.handler);
  checkOptional('finishedBefore', query.finishedBefore, isDate, 'a valid Date');
  return query;
}
