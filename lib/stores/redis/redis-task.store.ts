// Over ~250 lines on purpose: the ITaskStore facade, one short method per contract call, each delegating to the
// role files beside it (connection, scripts, codec, reporter); splitting it would scatter the contract.
import type { Redis } from 'ioredis';
import { QueueFullError } from '../../errors/queue-full.error.js';
import { StoreUnavailableError } from '../../errors/store-unavailable.error.js';
import type { TaskBacklog, TaskBacklogSource } from '../../interfaces/task-backlog.interface.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { PurgeQuery } from '../../interfaces/purge-query.interface.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import { TaskStatus } from '../../interfaces/task-status.js';
import type {
  AddOptions,
  ClaimBatch,
  ClaimRequest,
  ITaskStore,
  Lease,
  ListQuery,
  RetentionOptions,
  StoreInitContext,
  StoreSignal,
  TaskCounts,
} from '../../interfaces/task-store.interface.js';
import { DEFAULT_RETENTION } from '../../task-queue.defaults.js';
import { Messages } from '../../task-queue.messages.js';
import { CallBatcher } from '../shared/call-batcher.js';
import { measureClockOffset } from '../shared/clock-offset.js';
import { storableError, storableResult, storableRetryDelay } from '../shared/json-report.sanitizer.js';
import { storeNotStarted } from '../shared/store-not-started.js';
import {
  closeConnections,
  commandFailure,
  openConnections,
  readRedisTime,
  type RedisConnections,
} from './redis-connection.js';
import { monitorConnections } from './redis-connection-monitor.js';
import { LAYOUT_VERSION } from './lua/layout.lua.js';
import { RedisKeys } from './redis-keys.js';
import { batchedScriptCalls, type RedisScript } from './redis-script.js';
import { LostLeaseLog } from '../shared/lost-lease.log.js';
import { StoreSignalBus } from '../shared/store-signal-bus.js';
import type { PauseState, WorkerRecord } from '../../interfaces/deployment-store.interface.js';
import {
  claimArgs,
  completeArgs,
  decodeAddReply,
  decodeReadRecord,
  decodeReadRecords,
  decodeRecords,
  decodeWorkers,
  encodeTask,
  encodeWorker,
  failArgs,
  postponeArgs,
  READ_RECORD_WIDTH,
} from './redis-task.codec.js';
import { UnknownTaskError } from '../../errors/unknown-task.error.js';
import { FlowMessages } from '../../task-queue-flows.messages.js';
import type { RedisTaskStoreOptions } from './redis-task-store-options.interface.js';
import { RedisMessages } from './redis.messages.js';
import { RedisScripts } from './redis.scripts.js';
import { resolveRedisStoreOptions } from './redis-store-options.js';
import type { RecurringRecord, RecurringStep } from '../../interfaces/recurring-store.interface.js';
import { advanceArgs, decodeSchedules, putArgs } from './redis-recurring.codec.js';

type Reply = (string | number | null)[];
/** Whether each task of an add was added; undefined: the queue is full; unknown: a dependency it does not know. */
type Added = boolean[] | undefined | { unknown: string };

/**
 * How long after a lease's expiry its wake comes: the claim script compares whole ms of Redis's TIME, and Node's
 * timers may fire up to 1 ms early. An early wake costs one claim that recovers nothing; a late one, its ms.
 */
const LEASE_WAKE_MARGIN_MS = 2;

/** Finished tasks a purge script call looks at, so no script holds Redis for long. */
const PURGE_SCAN = 1_000;
/** Tasks a countsByHandler script call looks at. */
const BY_HANDLER_SCAN = 2_000;

/** Retention removals per trim call, so no script holds Redis for long. */
const TRIM_BUDGET = 1_000;

/**
 * A durable store on Redis, shared by workers in many processes and machines. Every state change is one
 * Lua script (atomic, nothing half-written), timed by Redis's clock; claims are leased and fenced by a
 * token; workers are woken through pub/sub. See lua/prelude.lua.ts for the keys.
 */
export class RedisTaskStore implements ITaskStore, TaskBacklogSource {
  readonly leaseTime: number;
  readonly serialization = 'json' as const;
  readonly pollInterval: number;
  readonly supportsDependencies = true;
  readonly supportsDeployments = true;

  private readonly keys: RedisKeys;
  private readonly prefix: string;
  private readonly signals = new StoreSignalBus(LEASE_WAKE_MARGIN_MS);
  /** complete() and fail() calls of one event-loop turn, recorded in one script call. */
  private readonly reports = new CallBatcher<string[], number>(batchedScriptCalls('microtasks'), async (items) => {
    const reply = (await this.run('complete/fail', RedisScripts.report, items.flat())) as number[];
    this.signals.wake(reply[0]!);
    return reply.slice(1);
  });
  /** add() calls of one event-loop turn (concurrent schedule() calls), added in one script call. */
  private readonly adds = new CallBatcher<string[], Added>(batchedScriptCalls('event-loop-turn'), async (groups) => {
    const reply = (await this.run('add', RedisScripts.add, [String(this.clockOffset)].concat(...groups))) as (
      number | string
    )[];
    this.signals.wake(reply[0] as number);
    return decodeAddReply(reply, groups);
  });
  /** Tasks whose complete() or fail() is on its way. */
  private readonly reporting = new Set<string>();
  private readonly lostLeases = new LostLeaseLog(() => this.logger);
  private connections: RedisConnections | undefined;
  private logger: TaskQueueLogger | undefined;
  private retention: Required<RetentionOptions> = DEFAULT_RETENTION;
  /** ms to add to this machine's times to get Redis's (0 unless the clocks differ noticeably). */
  private clockOffset = 0;

  constructor(private readonly options: RedisTaskStoreOptions) {
    const { prefix, leaseTime, pollInterval } = resolveRedisStoreOptions(options);
    this.keys = new RedisKeys(prefix);
    this.prefix = prefix;
    this.leaseTime = leaseTime;
    this.pollInterval = pollInterval;
  }

  /** For the start-up log: host:port (and database) and prefix; never the URL, which may hold a password. */
  describe(): string {
    return `Redis at ${this.connections?.where ?? '(not connected)'} prefix ${this.prefix}`;
  }

  async init(context: StoreInitContext): Promise<void> {
    this.retention = context.retention;
    this.logger = context.logger;
    const connections = await openConnections(this.options.connection);
    this.keys.useClientPrefix(connections.client.options.keyPrefix);
    monitorConnections(connections, this.signals, this.logger);
    try {
      await connections.subscriber.subscribe(this.keys.channel);
      this.clockOffset = await measureClockOffset('Redis', () => readRedisTime(connections.client), this.logger);
      await this.checkLayout(connections.client);
    } catch (error) {
      await closeConnections(connections);
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(
        Messages.storeUnavailable('init', error instanceof Error ? error.message : String(error)),
        { cause: error },
      );
    }
    this.connections = connections;
  }

  async close(): Promise<void> {
    const connections = this.connections;
    if (connections === undefined) return;
    await Promise.all([this.adds.drain(), this.reports.drain()]).catch(() => undefined);
    this.connections = undefined;
    this.signals.close();
    await closeConnections(connections);
  }

  async add(tasks: NewTask[], options: AddOptions = {}): Promise<boolean[]> {
    if (tasks.length === 0) return [];
    this.client('add');
    const group = [options.maxPending === undefined ? '' : String(options.maxPending), String(tasks.length)];
    for (const task of tasks) group.push(...encodeTask(task));
    const added = await this.adds.push(group);
    if (added === undefined) throw new QueueFullError(Messages.queueFull(options.maxPending!));
    if (!Array.isArray(added)) throw new UnknownTaskError(FlowMessages.unknownDependency(added.unknown));
    return added;
  }

  async claim(request: ClaimRequest): Promise<ClaimBatch> {
    const reply = (await this.run('claim', RedisScripts.claim, claimArgs(request, this.leaseTime))) as Reply;
    const [wakeIn, nextDueInMs, nextLeaseInMs, recovered] = reply as number[];
    if (recovered! > 0) this.logger?.warn(RedisMessages.leasesRecovered(recovered!));
    this.signals.watchLease(nextLeaseInMs!);
    this.signals.wake(wakeIn!);
    const tasks = decodeRecords(reply, 4, this.clockOffset);
    return nextDueInMs! < 0 ? { tasks } : { tasks, nextDueInMs };
  }

  async renew(leases: Lease[]): Promise<string[]> {
    const args = [String(this.leaseTime)];
    // A task whose report is on its way needs no renewal, and must not look lost when the report lands first.
    for (const lease of leases) if (!this.reporting.has(lease.taskId)) args.push(lease.taskId, lease.token);
    if (args.length === 1) return [];
    const lost = (await this.run('renew', RedisScripts.renew, args)) as string[];
    for (const taskId of lost) this.lostLeases.lostAtRenewal(leases.find((lease) => lease.taskId === taskId)!);
    return lost;
  }

  async complete(lease: Lease, result?: unknown): Promise<boolean> {
    return this.report(completeArgs(lease, storableResult(lease.taskId, result, this.logger)));
  }

  async fail(lease: Lease, error: TaskError, retryInMs: number | null): Promise<boolean> {
    return this.report(failArgs(lease, storableError(error), storableRetryDelay(retryInMs)));
  }

  async cancel(taskId: string): Promise<TaskRecord | undefined> {
    const reply = (await this.run('cancel', RedisScripts.cancel, [taskId])) as Reply;
    this.signals.wake(reply[0] as number);
    if (reply[1] === 0) return undefined;
    const record = decodeReadRecord(reply, 2, this.clockOffset);
    if (record.leaseToken !== undefined) this.signals.cancel(taskId);
    return record;
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const reply = (await this.run('get', RedisScripts.get, [taskId])) as Reply;
    return reply.length === 0 ? undefined : decodeReadRecord(reply, 0, this.clockOffset);
  }

  async list(query: ListQuery = {}): Promise<TaskRecord[]> {
    await this.trim('list');
    const statuses = query.status === undefined ? '' : `,${[query.status].flat().join(',')},`;
    const limit = query.limit ?? 100;
    // The insertion seq to walk down from (the newest first); the offset's tasks are skipped as the script walks.
    let cursor = Number.MAX_SAFE_INTEGER;
    let skip = query.offset ?? 0;
    const out: TaskRecord[] = [];
    while (out.length < limit && cursor >= 0) {
      const args = [
        String(cursor),
        String(skip),
        String(limit - out.length),
        statuses,
        query.handler === undefined ? '0' : '1',
        query.handler ?? '',
      ];
      const reply = (await this.run('list', RedisScripts.list, args)) as Reply;
      cursor = reply[0] as number;
      skip = reply[1] as number;
      out.push(...decodeReadRecords(reply, 2, this.clockOffset));
    }
    return out;
  }

  async counts(): Promise<TaskCounts> {
    const pairs = await this.trim('counts');
    const counts: TaskCounts = { waiting: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (let i = 0; i < pairs.length; i += 2) counts[pairs[i] as TaskStatus] = Number(pairs[i + 1]);
    return counts;
  }

  /** For metrics and the health check: answered from the priority queues' indexes. */
  async backlog(): Promise<TaskBacklog> {
    const [delayed, oldestDueAt] = (await this.run('backlog', RedisScripts.backlog, [])) as number[];
    return { delayed: delayed!, oldestDueAt: oldestDueAt! < 0 ? undefined : oldestDueAt! - this.clockOffset };
  }

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    return this.signals.subscribe(listener);
  }

  // --- Operators (lua/operators.lua.ts) ---

  async retry(taskId: string): Promise<boolean> {
    return this.operate('retry', RedisScripts.retry, [taskId]);
  }

  async remove(taskId: string): Promise<boolean> {
    return this.operate('remove', RedisScripts.remove, [taskId]);
  }

  /** One script call per PURGE_SCAN finished tasks looked at, so Redis is never held for long. */
  async purge(query: PurgeQuery): Promise<number> {
    const statuses = `,${[query.status].flat().join(',')},`;
    const before = query.finishedBefore === undefined ? '' : String(query.finishedBefore.getTime() + this.clockOffset);
    const filter = [statuses, query.handler === undefined ? '0' : '1', query.handler ?? '', before];
    let removed = 0;
    let cursor = '';
    do {
      const reply = (await this.run('purge', RedisScripts.purge, [...filter, cursor, String(PURGE_SCAN)])) as Reply;
      removed += reply[1] as number;
      cursor = reply[2] as string;
    } while (cursor !== '');
    return removed;
  }

  /** Walks every task, BY_HANDLER_SCAN a script call (after retention, as list() does). */
  async countsByHandler(): Promise<Record<string, Partial<TaskCounts>>> {
    await this.trim('countsByHandler');
    const counts: Record<string, Partial<TaskCounts>> = {};
    let cursor = Number.MAX_SAFE_INTEGER;
    while (cursor >= 0) {
      const reply = (await this.run('countsByHandler', RedisScripts.byHandler, [
        String(cursor),
        String(BY_HANDLER_SCAN),
      ])) as Reply;
      cursor = Number(reply[0]);
      for (let i = 1; i + 2 < reply.length; i += 3) {
        const of = (counts[reply[i] as string] ??= {});
        const status = reply[i + 1] as TaskStatus;
        of[status] = (of[status] ?? 0) + Number(reply[i + 2]);
      }
    }
    return counts;
  }

  private async operate(operation: string, script: RedisScript, args: string[]): Promise<boolean> {
    const reply = (await this.run(operation, script, args)) as number[];
    this.signals.wake(reply[0]!);
    return reply[1] === 1;
  }

  // --- end of operators ---
  // --- Recurring schedules (lua/recurring.lua.ts): each call one script ---

  async putRecurring(record: RecurringRecord): Promise<RecurringRecord> {
    return decodeSchedules(
      (await this.run('putRecurring', RedisScripts.recurringPut, putArgs(record))) as Reply,
      0,
    )[0]!;
  }

  async getRecurring(key: string): Promise<RecurringRecord | undefined> {
    return decodeSchedules((await this.run('getRecurring', RedisScripts.recurringGet, [key])) as Reply, 0)[0];
  }

  async listRecurring(): Promise<RecurringRecord[]> {
    return decodeSchedules((await this.run('listRecurring', RedisScripts.recurringList, [])) as Reply, 0);
  }

  async removeRecurring(key: string): Promise<RecurringRecord | undefined> {
    const reply = (await this.run('removeRecurring', RedisScripts.recurringRemove, [key])) as Reply;
    this.signals.wake(reply[0] as number);
    return reply[1] === 0 ? undefined : decodeSchedules(reply, 2)[0];
  }

  async advanceRecurring(step: RecurringStep): Promise<boolean> {
    const args = advanceArgs(step, this.clockOffset);
    const [wakeIn, applied] = (await this.run('advanceRecurring', RedisScripts.recurringAdvance, args)) as number[];
    this.signals.wake(wakeIn!);
    return applied === 1;
  }

  // --- end of recurring schedules ---

  // --- deployments (issue 10): lua/deployments.lua.ts; the limits are the claim script's ---
  async postpone(lease: Lease, delayMs: number): Promise<boolean> {
    return this.report(postponeArgs(lease, delayMs));
  }

  async setPaused(handler: string | null, paused: boolean): Promise<void> {
    const args = [handler === null ? '1' : '0', handler ?? '', paused ? '1' : '0'];
    const [wakeIn] = (await this.run('setPaused', RedisScripts.setPaused, args)) as number[];
    this.signals.wake(wakeIn!);
  }

  async getPaused(): Promise<PauseState> {
    const [queue, ...handlers] = (await this.run('getPaused', RedisScripts.getPaused, [])) as [number, ...string[]];
    return { queue: queue === 1, handlers };
  }

  async heartbeatWorker(worker: Omit<WorkerRecord, 'lastSeenAt'>, ttlMs: number): Promise<void> {
    const args = [worker.id, encodeWorker(worker), String(Math.max(1, Math.round(ttlMs)))];
    await this.run('heartbeatWorker', RedisScripts.heartbeat, args);
  }

  async removeWorker(workerId: string): Promise<void> {
    await this.run('removeWorker', RedisScripts.removeWorker, [workerId]);
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return decodeWorkers((await this.run('listWorkers', RedisScripts.listWorkers, [])) as string[], this.clockOffset);
  }

  async dueHandlers(): Promise<string[]> {
    return (await this.run('dueHandlers', RedisScripts.dueHandlers, [])) as string[];
  }

  // --- end of deployments ---

  // --- flows (issue 12): lua/flows.lua.ts ---
  async watch(taskId: string): Promise<TaskRecord | undefined> {
    const reply = (await this.run('waitFor', RedisScripts.watch, [taskId])) as Reply;
    return reply.length === 0 ? undefined : decodeReadRecord(reply, 0, this.clockOffset);
  }

  async setProgress(lease: Lease, progress: unknown): Promise<boolean> {
    const args = [lease.taskId, lease.token, JSON.stringify(progress)];
    return (await this.run('progress', RedisScripts.progress, args)) === 1;
  }

  async getMany(taskIds: string[]): Promise<(TaskRecord | undefined)[]> {
    const reply = (await this.run('getMany', RedisScripts.getMany, taskIds)) as Reply;
    const out: (TaskRecord | undefined)[] = [];
    for (let at = 0; at < reply.length;) {
      if (reply[at++] === 0) out.push(undefined);
      else {
        out.push(decodeReadRecord(reply, at, this.clockOffset));
        at += READ_RECORD_WIDTH;
      }
    }
    return out;
  }

  /** args: kind ('c' | 'f' | 'p'), task id, token, payload, retry in ms (see lua/report.lua.ts). */
  private async report(args: string[]): Promise<boolean> {
    this.client('complete/fail');
    const taskId = args[1]!;
    this.reporting.add(taskId);
    try {
      const outcome = await this.reports.push(args);
      if (outcome === 0) this.lostLeases.reportRefused({ taskId, token: args[2]! });
      return outcome === 1;
    } finally {
      this.reporting.delete(taskId);
    }
  }

  /** Refuses a prefix whose keys another layout wrote: read as this one, its tasks would be misread. */
  private async checkLayout(client: Redis): Promise<void> {
    const common = [this.keys.scriptBase, this.signals.origin, '0', '0', LAYOUT_VERSION];
    const found = String(await RedisScripts.layout.run(client, this.keys.counts, common));
    if (found === LAYOUT_VERSION) return;
    const reason = RedisMessages.layoutMismatch(this.keys.base, found, LAYOUT_VERSION);
    throw new StoreUnavailableError(Messages.storeUnavailable('init', reason));
  }

  /** Applies retention until done; returns the counts as field/value pairs. */
  private async trim(operation: string): Promise<Reply> {
    for (;;) {
      const reply = (await this.run(operation, RedisScripts.trim, [String(TRIM_BUDGET)])) as Reply;
      if (reply[0] === 0) return reply.slice(1);
    }
  }

  private async run(operation: string, script: RedisScript, args: string[]): Promise<unknown> {
    const client = this.client(operation);
    const { maxCount, maxAge } = this.retention;
    const common = [
      this.keys.scriptBase,
      this.signals.origin,
      String(Math.min(maxCount, 1e15)),
      String(Math.min(maxAge, 1e15)),
    ];
    return this.guard(operation, () => script.run(client, this.keys.counts, common.concat(args)));
  }

  private client(operation: string): Redis {
    return this.started(operation).client;
  }

  private started(operation: string): RedisConnections {
    if (this.connections === undefined) throw storeNotStarted(operation);
    return this.connections;
  }

  /** Runs a command, turning any failure into a StoreUnavailableError that says what failed. */
  private async guard<T>(operation: string, command: () => Promise<T>): Promise<T> {
    const connections = this.started(operation);
    try {
      return await command();
    } catch (error) {
      throw commandFailure(operation, connections, error);
    }
  }
}
