import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ClaimRequest, Lease } from '../../interfaces/task-store.interface.js';
import type { WorkerRecord } from '../../interfaces/deployment-store.interface.js';
import type { TaskStatus } from '../../interfaces/task-status.js';

/** The hash fields of a record, in the order of the prelude's FIELDS. */
export const RECORD_FIELDS = ['d', 's', 'r', 'a', 'st', 'f', 't', 'e', 'x', 'h', 'p', 'k', 'rk'];
/** Values per task in claim replies: the id, then RECORD_FIELDS. */
export const RECORD_WIDTH = 1 + RECORD_FIELDS.length;
/** Values per task in get/list/cancel replies (appendRecord): RECORD_WIDTH, then progress and waitingFor JSON. */
export const READ_RECORD_WIDTH = RECORD_WIDTH + 2;

type Reply = string | number | null;

/**
 * The fields no script reads, as the `d` hash field keeps them: short keys, absent ones left out, so `d` stays
 * under Redis's 64-byte listpack limit for small args (the hash then stays compact; see lua/prelude.lua.ts).
 */
interface FixedFields {
  a: unknown;
  c: number;
  /** maxRetries, absent when 0. */
  m?: number;
  n?: string;
  o?: number;
  y?: TaskRecord['retryStrategy'];
  md?: Record<string, unknown>;
  /** retryBase, written by the retry script only (lua/operators.lua.ts). */
  rb?: number;
  /** dependsOn (flows). */
  dp?: string[];
  /** onDependencyFailure 'run' (absent: 'cancel', with dp). */
  of?: 'r';
}

/** A new task as the add script's 8 arguments. */
export function encodeTask(task: NewTask): string[] {
  const fixed: FixedFields = {
    a: task.args,
    c: task.createdAt,
    m: task.maxRetries === 0 ? undefined : task.maxRetries,
    n: task.name,
    o: task.timeout,
    y: task.retryStrategy,
    md: task.metadata,
  };
  let flow = '';
  if (task.dependsOn !== undefined) {
    fixed.dp = task.dependsOn;
    if (task.onDependencyFailure === 'run') fixed.of = 'r';
    flow = JSON.stringify([task.onDependencyFailure === 'run' ? 'r' : 'c', ...task.dependsOn]);
  }
  return [
    task.id,
    task.handler,
    String(task.priority),
    task.partitionKey ?? '',
    String(task.runAt),
    JSON.stringify(fixed),
    flow,
    task.rateLimitKey ?? '',
  ];
}

/** A success as the report script's 5 arguments; `result` is its JSON text (json-report.sanitizer.ts). */
export function completeArgs(lease: Lease, result: string | undefined): string[] {
  return ['c', lease.taskId, lease.token, result ?? '', ''];
}

/** A failure as the report script's 5 arguments: a retry in `retryInMs`, or (null) for good. */
export function failArgs(lease: Lease, error: TaskError, retryInMs: number | null): string[] {
  return [
    'f',
    lease.taskId,
    lease.token,
    JSON.stringify(error),
    retryInMs === null ? '' : String(Math.round(retryInMs)),
  ];
}

/** A postpone (RateLimitedError) as the report script's 5 arguments: pending again, and held, in `delayMs`. */
export function postponeArgs(lease: Lease, delayMs: number): string[] {
  return ['p', lease.taskId, lease.token, '', String(Math.max(0, Math.round(delayMs)))];
}

/** The claim script's arguments after the lease time: the worker, then its handlers and their limits (lua/claim.lua.ts). */
export function claimArgs(request: ClaimRequest, leaseTime: number): string[] {
  const args = [String(request.limit), String(leaseTime), request.workerId];
  if (request.handlers === undefined) return [...args, '0'];
  args.push('1');
  const text = (n: number | undefined): string => (n === undefined ? '' : String(n));
  for (const [name, limits] of Object.entries(request.handlers)) {
    const rate = limits.rateLimit;
    args.push(name, text(limits.limit), text(limits.globalConcurrency), text(rate?.limit), text(rate?.interval));
  }
  return args;
}

/** A worker's record as the heartbeat script keeps it: JSON without lastSeenAt (the script stamps it). */
export function encodeWorker(worker: Omit<WorkerRecord, 'lastSeenAt'>): string {
  const { hostname, pid, handlers, concurrency, running, startedAt } = worker;
  return JSON.stringify({ hostname, pid, handlers, concurrency, running, startedAt });
}

/** The live workers of the list script's reply (id, then 'lastSeenAt JSON'), by id. */
export function decodeWorkers(reply: string[], clockOffset: number): WorkerRecord[] {
  const workers: WorkerRecord[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const entry = reply[i + 1]!;
    const space = entry.indexOf(' ');
    const fields = JSON.parse(entry.slice(space + 1)) as Omit<WorkerRecord, 'id' | 'lastSeenAt'>;
    workers.push({ id: reply[i]!, ...fields, lastSeenAt: Number(entry.slice(0, space)) - clockOffset });
  }
  return workers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Decodes the records in a flat script reply, from `start`. Times Redis set are moved to this machine's
 * clock by `clockOffset` (Redis's clock minus ours; 0 unless they differ noticeably).
 */
export function decodeRecords(reply: Reply[], start: number, clockOffset: number): TaskRecord[] {
  const records: TaskRecord[] = [];
  for (let i = start; i + RECORD_WIDTH <= reply.length; i += RECORD_WIDTH)
    records.push(decodeRecord(reply, i, clockOffset));
  return records;
}

/** As decodeRecords, for replies of appendRecord (get, list, cancel): READ_RECORD_WIDTH values per task. */
export function decodeReadRecords(reply: Reply[], start: number, clockOffset: number): TaskRecord[] {
  const records: TaskRecord[] = [];
  for (let i = start; i + READ_RECORD_WIDTH <= reply.length; i += READ_RECORD_WIDTH)
    records.push(decodeReadRecord(reply, i, clockOffset));
  return records;
}

/** One record of appendRecord: the claim's fields, then progress and waitingFor. */
export function decodeReadRecord(reply: Reply[], at: number, clockOffset: number): TaskRecord {
  const record = decodeRecord(reply, at, clockOffset);
  const progress = reply[at + RECORD_WIDTH];
  const waitingFor = reply[at + RECORD_WIDTH + 1];
  if (progress !== null) record.progress = JSON.parse(progress as string);
  if (waitingFor !== null) record.waitingFor = JSON.parse(waitingFor as string);
  return record;
}

/** One record: reply[at] is the id, then d s r a st f t e x h p k rk. */
export function decodeRecord(reply: Reply[], at: number, clockOffset: number): TaskRecord {
  const fixed = JSON.parse(reply[at + 1] as string) as FixedFields;
  const record: TaskRecord = {
    id: reply[at] as string,
    handler: reply[at + 10] as string,
    args: fixed.a,
    status: reply[at + 2] as TaskStatus,
    priority: Number(reply[at + 11]),
    runAt: Number(reply[at + 3]) - clockOffset,
    createdAt: fixed.c,
    attempts: Number(reply[at + 4]),
    maxRetries: fixed.m ?? 0,
  };
  if (fixed.n !== undefined) record.name = fixed.n;
  if (reply[at + 12] !== null) record.partitionKey = reply[at + 12] as string;
  if (reply[at + 13] !== null) record.rateLimitKey = reply[at + 13] as string;
  if (fixed.o !== undefined) record.timeout = fixed.o;
  if (fixed.y !== undefined) record.retryStrategy = fixed.y;
  if (fixed.md !== undefined) record.metadata = fixed.md;
  if (fixed.rb !== undefined) record.retryBase = fixed.rb;
  if (fixed.dp !== undefined) {
    record.dependsOn = fixed.dp;
    record.onDependencyFailure = fixed.of === 'r' ? 'run' : 'cancel';
  }
  if (reply[at + 5] !== null) record.startedAt = Number(reply[at + 5]) - clockOffset;
  if (reply[at + 6] !== null) record.finishedAt = Number(reply[at + 6]) - clockOffset;
  if (reply[at + 7] !== null && reply[at + 7] !== '') record.leaseToken = String(reply[at + 7]);
  if (reply[at + 8] !== null) record.lastError = JSON.parse(reply[at + 8] as string);
  if (reply[at + 9] !== null) record.result = JSON.parse(reply[at + 9] as string);
  return record;
}

/**
 * The add script's reply for the groups it was sent (each group: maxPending, n, tasks...): per group, its
 * added flags, undefined if it would have exceeded maxPending, or `{ unknown }`: a dependency it does not know.
 */
export function decodeAddReply(
  reply: (number | string)[],
  groups: string[][],
): (boolean[] | undefined | { unknown: string })[] {
  const results: (boolean[] | undefined | { unknown: string })[] = [];
  let at = 1;
  for (const group of groups) {
    const n = Number(group[1]);
    const code = reply[at++];
    if (code === -2) results.push(undefined);
    else if (code === -3) results.push({ unknown: String(reply[at++]) });
    else {
      results.push(reply.slice(at, at + n).map((flag) => flag === 1));
      at += n;
    }
  }
  return results;
}
