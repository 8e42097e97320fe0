import { BadRequestException } from '@nestjs/common';
import { TaskStatus } from '../../interfaces/task-status.js';
import { MAX_KEY_LENGTH, textProblem } from '../../validation/text.validator.js';
import type { BulkFilter } from '../dashboard.actions.js';
import { DashboardMessages } from '../dashboard.messages.js';
import type { TaskListQuery } from '../dashboard.reader.js';

type Query = Record<string, unknown>;

const text = (query: Query, name: string): string | undefined => {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_KEY_LENGTH || textProblem(value) !== undefined)
    throw new BadRequestException(DashboardMessages.badQuery(name, `text of at most ${MAX_KEY_LENGTH} characters`));
  return value;
};

const integer = (query: Query, name: string, fallback: number, min: number, max: number): number => {
  const value = query[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new BadRequestException(DashboardMessages.badQuery(name, `an integer from ${min} to ${max}`));
  return n;
};

/** `GET {path}/api/tasks?status=&handler=&id=&limit=&offset=`. A status is a lower-case word (any the queue has). */
export function parseTaskListQuery(query: Query): TaskListQuery {
  const status = text(query, 'status');
  if (status !== undefined && !/^[a-z]+$/.test(status))
    throw new BadRequestException(DashboardMessages.badQuery('status', 'a task status such as failed'));
  return {
    status,
    handler: text(query, 'handler'),
    id: text(query, 'id'),
    limit: integer(query, 'limit', 50, 1, 500),
    offset: integer(query, 'offset', 0, 0, 1_000_000),
  };
}

/** The body of the bulk actions: `{ status: 'failed' | 'cancelled', handler?, finishedBefore? (ISO time) }`. */
export function parseBulkFilter(body: unknown): BulkFilter {
  const query = (typeof body === 'object' && body !== null ? body : {}) as Query;
  const status = query.status ?? TaskStatus.Failed;
  if (status !== TaskStatus.Failed && status !== TaskStatus.Cancelled)
    throw new BadRequestException(DashboardMessages.badQuery('status', "'failed' or 'cancelled'"));
  const filter: BulkFilter = { status, handler: text(query, 'handler') };
  const before = query.finishedBefore;
  if (before !== undefined) {
    const at = typeof before === 'string' ? new Date(before) : undefined;
    if (at === undefined || Number.isNaN(at.getTime()))
      throw new BadRequestException(DashboardMessages.badQuery('finishedBefore', 'an ISO 8601 time'));
    filter.finishedBefore = at;
  }
  return filter;
}

/** The body of pause/resume: `{ handler? }` (none: the whole queue). */
export function parseHandlerBody(body: unknown): string | undefined {
  return text((typeof body === 'object' && body !== null ? body : {}) as Query, 'handler');
}
