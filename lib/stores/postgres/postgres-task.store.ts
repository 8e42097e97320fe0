// Over ~250 lines on purpose: the ITaskStore facade, one short method per contract call, each delegating to the
// role files beside it (runner, adder, reporter, listener, maintenance); splitting it would scatter the contract.
import type { Pool, PoolConfig } from 'pg';
import type { TaskBacklog, TaskBacklogSource } from '../../interfaces/task-backlog.interface.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { PurgeQuery } from '../../interfaces/purge-query.interface.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import { isFinished, type TaskStatus } from '../../interfaces/task-status.js';
import type {
  ClaimBatch,
  ClaimRequest,
  ITaskStore,
  Lease,
  ListQuery,
  StoreInitContext,
  StoreSignal,
  TaskCounts,
} from '../../interfaces/task-store.interface.js';
import type { PauseState, WorkerRecord } from '../../interfaces/deployment-store.interface.js';
import { PostgresAdder } from './postgres-adder.js';
import { PostgresDeployments } from './postgres-deployments.js';
import { PostgresAnnouncer } from './postgres-announcer.js';
import { readBacklog } from './postgres-backlog.reader.js';
import { measureClockOffset } from '../shared/clock-offset.js';
import { connectionEvents } from '../shared/connection-events.js';
import { connectionConfig, describeTarget, listenConfig } from './postgres-connection.config.js';
import { loadPg } from './postgres-driver.loader.js';
import { describeError } from './postgres-error.classifier.js';
import { PostgresLeaseRecovery } from './postgres-lease-recovery.js';
import { PostgresListener } from './postgres-listener.js';
import { PostgresMaintenance } from './postgres-maintenance.js';
import { PostgresNames } from './postgres-names.js';
import { PostgresReporter } from './postgres-reporter.js';
import { PostgresMigrator } from './postgres-migrator.js';
import { endPool, openPool } from './postgres-pool.js';
import { PostgresRunner } from './postgres-runner.js';
import { resolvePostgresStoreOptions } from './postgres-store-options.js';
import { storableError, storableResult, storableRetryDelay } from '../shared/json-report.sanitizer.js';
import { LostLeaseLog } from '../shared/lost-lease.log.js';
import { StoreSignalBus } from '../shared/store-signal-bus.js';
import type { PostgresAddOptions, PostgresTaskStoreOptions } from './postgres-task-store-options.interface.js';
import { decodeRow, failureReport, successReport, type TaskReport, type TaskRow } from './postgres-task.codec.js';
import { PostgresMessages } from './postgres.messages.js';
import { PostgresQueries } from './postgres.queries.js';
import type { RecurringRecord, RecurringStep } from '../../interfaces/recurring-store.interface.js';
import { decodeSchedule, type ScheduleRow } from './postgres-recurring.codec.js';
import { encodeTasks } from './postgres-task.codec.js';

/**
 * How long after a lease's expiry its wake comes. More than Redis's 2 ms: a timer fires up to 1 ms early, and a
 * claim too early spends the lease recovery (run at most every min(1 s, leaseTime / 4)) on nothing, so the lease
 * waits that long. A late wake costs its ms.
 */
const LEASE_WAKE_MARGIN_MS = 5;

/** Finished tasks one purge statement deletes at most. */
const PURGE_BATCH = 1_000;

/**
 * A durable store on PostgreSQL, shared by workers in many processes. A claim is one statement
 * (`FOR UPDATE SKIP LOCKED`), every other change one SQL function call (postgres.migrations.ts); reports and
 * adds of one event-loop turn share a call. Workers are woken by LISTEN/NOTIFY; leases are fenced by a token;
 * a partition's order is kept by its row in `partitions`, locked by every transaction that changes it.
 */
export class PostgresTaskStore implements ITaskStore, TaskBacklogSource {
  readonly leaseTime: number;
  readonly serialization = 'json' as const;
  readonly supportsTransactions = true;
  readonly supportsDependencies = true;
  readonly supportsDeployments = true;
  readonly pollInterval: number;

  private readonly names: PostgresNames;
  private readonly queries: PostgresQueries;
  private readonly config: PoolConfig;
  /** The LISTEN connection's settings; undefined: none (behind a transaction-mode pooler, no direct string). */
  private readonly listenConfig: PoolConfig | undefined;
  private readonly runner: PostgresRunner;
  private readonly signals = new StoreSignalBus(LEASE_WAKE_MARGIN_MS);
  private readonly announcer: PostgresAnnouncer;
  private readonly reporter: PostgresReporter;
  private readonly adder: PostgresAdder;
  private readonly maintenance: PostgresMaintenance;
  private readonly migrator: PostgresMigrator;
  private readonly deployments: PostgresDeployments;
  private readonly leaseRecovery: PostgresLeaseRecovery;
  /** ms to add to this machine's times to get the database's (0 unless the clocks differ noticeably). */
  private readonly clock = { offset: 0 };
  private listener: PostgresListener | undefined;
  private logger: TaskQueueLogger | undefined;
  private readonly lostLeases = new LostLeaseLog(() => this.logger);
  private context: StoreInitContext | undefined;
  /** Tasks watch()ed here: without a LISTEN connection their finish here is signalled here (flows). */
  private readonly watching = new Set<string>();

  constructor(private readonly options: PostgresTaskStoreOptions) {
    const { schema, leaseTime, pollInterval, preparedStatements, listenConnectionString } =
      resolvePostgresStoreOptions(options);
    this.leaseTime = leaseTime;
    this.pollInterval = pollInterval;
    this.names = new PostgresNames(schema);
    this.queries = new PostgresQueries(this.names);
    this.config = connectionConfig(options);
    this.listenConfig = listenConfig(this.config, preparedStatements, listenConnectionString);
    this.runner = new PostgresRunner(this.queries, describeTarget(this.config), preparedStatements);
    const { origin } = this.signals;
    this.announcer = new PostgresAnnouncer(this.runner, this.names.channel, origin);
    this.reporter = new PostgresReporter(this.runner, origin, {
      finished: () => this.maintenance.markFinished(),
      wake: (inMs) => this.wake(inMs),
    });
    this.adder = new PostgresAdder(this.runner, origin, this.clock, (inMs) => this.wake(inMs));
    this.migrator = new PostgresMigrator(this.names, this.queries);
    this.deployments = new PostgresDeployments(this.runner, origin, this.clock, (inMs) => this.wake(inMs));
    this.leaseRecovery = new PostgresLeaseRecovery(this.runner, this.signals, this.leaseTime, (count) =>
      this.logger?.log(PostgresMessages.leasesRecovered(count)),
    );
    this.maintenance = new PostgresMaintenance(this.runner, () => this.context!.retention, this.pollInterval, {
      ping: async () => this.listener?.ping(),
      failed: (error) => this.logger?.warn(PostgresMessages.maintenanceFailed(describeError(error))),
    });
  }

  /** For the start-up log: host:port/database and schema; never the connection string, which may hold a password. */
  describe(): string {
    return `PostgreSQL at ${this.runner.target} schema ${this.names.schemaName}`;
  }

  /** Connects, migrates (unless `migrate: false`), and listens. Throws `StoreUnavailableError` if it cannot. */
  async init(context: StoreInitContext): Promise<void> {
    if (this.runner.pool !== undefined) return;
    this.context = context;
    this.logger = context.logger;
    const pg = await loadPg();
    const pool = openPool(pg, this.options, this.config);
    pool.on('error', this.onPoolError);
    try {
      await this.migrator.prepare(pool, this.options.migrate !== false, this.logger);
      const now = async () => (await this.runner.run<{ now: number }>('init', 'now', [], pool))[0]!.now;
      this.clock.offset = await measureClockOffset('PostgreSQL', now, this.logger);
      if (this.listenConfig === undefined) this.logger?.log(PostgresMessages.noListen(this.pollInterval));
      else {
        this.listener = new PostgresListener(pg, this.listenConfig, this.names.channelIdent, {
          notification: (payload) => this.signals.receive(payload),
          ...connectionEvents('PostgreSQL', describeTarget(this.listenConfig), this.signals, this.logger),
        });
        await this.listener.start();
      }
    } catch (error) {
      await this.listener?.close();
      this.listener = undefined;
      await this.release(pool);
      throw this.runner.unavailable('init', error);
    }
    this.runner.pool = pool;
    this.maintenance.start();
  }

  /**
   * Creates or upgrades the schema (idempotent; safe when several processes run it at once). `init()` runs it
   * unless `migrate: false`; call it yourself then, e.g. in a deploy step. Needs no `init()`.
   */
  async migrate(): Promise<void> {
    if (this.runner.pool !== undefined) return this.migrator.migrate(this.runner.pool, this.logger);
    const pool = openPool(await loadPg(), this.options, this.config, { max: 1 });
    try {
      await this.migrator.migrate(pool, this.logger);
    } catch (error) {
      throw this.runner.unavailable('migrate', error);
    } finally {
      await endPool(pool, this.options);
    }
  }

  /** Ends what the store opened (the listening connection; the pool unless it is yours). */
  async close(): Promise<void> {
    const pool = this.runner.pool;
    if (pool === undefined) return;
    await this.maintenance.stop();
    await Promise.all([this.reporter.drain(), this.adder.drain()]).catch(() => undefined);
    await this.announcer.drain();
    this.runner.pool = undefined;
    this.signals.close();
    await this.listener?.close();
    this.listener = undefined;
    await this.release(pool);
  }

  /**
   * Adds tasks. With `transaction` (a client inside your BEGIN), they are added by your transaction: they
   * exist, and workers hear of them, only once it commits.
   */
  async add(tasks: NewTask[], options: PostgresAddOptions = {}): Promise<boolean[]> {
    return tasks.length === 0 ? [] : this.adder.add(tasks, options.maxPending, options.transaction);
  }

  /** One call of the per-handler claim (sql/deployments.sql.ts); without `handlers`, of every handler. */
  async claim(request: ClaimRequest): Promise<ClaimBatch> {
    await this.leaseRecovery.beforeClaim();
    const { limit, workerId, handlers } = request;
    const values = [limit, this.leaseTime, workerId, handlers === undefined ? null : JSON.stringify(handlers)];
    const rows = await this.runner.run<TaskRow & { seq: number; next_due_ms: number | null }>('claim', 'claim', values);
    const nextDue = rows[0]?.next_due_ms ?? null;
    const claimed = rows.filter((row) => row.id !== null);
    claimed.sort((a, b) => b.priority - a.priority || a.run_at - b.run_at || a.seq - b.seq);
    const tasks = claimed.map((row) => decodeRow(row, this.clock.offset));
    return nextDue === null ? { tasks } : { tasks, nextDueInMs: nextDue };
  }

  /**
   * Returns the leases that are gone. A worker renews while its reports are on their way, so a lease that ended
   * by its own report (just now) is returned too but not warned about; one taken over or cancelled is.
   */
  async renew(leases: Lease[]): Promise<string[]> {
    if (leases.length === 0) return [];
    const values = [leases.map((lease) => lease.taskId), leases.map((lease) => lease.token), this.leaseTime];
    const rows = await this.runner.run<{ id: string; lease_token: string }>('renew', 'renew', values);
    const renewed = new Map(rows.map((row) => [row.id, row.lease_token]));
    const gone = leases.filter((lease) => renewed.get(lease.taskId) !== lease.token);
    for (const lease of gone) if (!this.reporter.reported(lease)) this.lostLeases.lostAtRenewal(lease);
    return gone.map((lease) => lease.taskId);
  }

  async complete(lease: Lease, result?: unknown): Promise<boolean> {
    return this.report(successReport(lease, storableResult(lease.taskId, result, this.logger)));
  }

  async fail(lease: Lease, error: TaskError, retryInMs: number | null): Promise<boolean> {
    return this.report(failureReport(lease, storableError(error), storableRetryDelay(retryInMs)));
  }

  async cancel(taskId: string): Promise<TaskRecord | undefined> {
    const [row] = await this.runner.run<TaskRow>('cancel', 'cancel', [taskId, this.signals.origin]);
    if (row === undefined) return undefined;
    const record = decodeRow(row, this.clock.offset);
    this.finishedHere(taskId);
    // Running (still leased): this process's workers abort it now; others hear the notification.
    if (record.leaseToken !== undefined) this.signals.cancel(taskId);
    else this.maintenance.markFinished();
    return record;
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const [row] = await this.runner.run<TaskRow>('get', 'get', [taskId]);
    return row === undefined ? undefined : decodeRow(row, this.clock.offset);
  }

  /** Newest first. Filtered by status or handler, it reads the table in created_at order (not indexed: an admin query). */
  async list(query: ListQuery = {}): Promise<TaskRecord[]> {
    const statuses = query.status === undefined ? null : [query.status].flat();
    const rows = await this.runner.run<TaskRow>('list', 'list', [
      statuses,
      query.handler ?? null,
      query.limit ?? 100,
      query.offset ?? 0,
    ]);
    return rows.map((row) => decodeRow(row, this.clock.offset));
  }

  async counts(): Promise<TaskCounts> {
    const counts: TaskCounts = { waiting: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const row of await this.runner.run<{ status: TaskStatus; n: number }>('counts', 'counts', []))
      counts[row.status] = row.n;
    return counts;
  }

  /** For metrics and health checks, from counters and indexes (see postgres-backlog.reader.ts). */
  async backlog(): Promise<TaskBacklog> {
    return readBacklog(this.runner, this.clock.offset);
  }

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    return this.signals.subscribe(listener);
  }

  // --- Operators (sql/operators.sql.ts) ---

  async retry(taskId: string): Promise<boolean> {
    const [row] = await this.runner.run<{ retried: boolean; wake_ms: number | null }>('retry', 'retry', [
      taskId,
      this.signals.origin,
    ]);
    this.wake(row!.wake_ms);
    return row!.retried;
  }

  async remove(taskId: string): Promise<boolean> {
    const [row] = await this.runner.run<{ removed: boolean; wake_ms: number | null }>('remove', 'remove', [
      taskId,
      this.signals.origin,
    ]);
    this.wake(row!.wake_ms);
    return row!.removed;
  }

  /** One statement (its own transaction) per PURGE_BATCH tasks, so no delete holds many row locks for long. */
  async purge(query: PurgeQuery): Promise<number> {
    const before = query.finishedBefore === undefined ? null : query.finishedBefore.getTime() + this.clock.offset;
    const values = [[query.status].flat(), query.handler ?? null, before, PURGE_BATCH];
    let total = 0;
    for (;;) {
      const [row] = await this.runner.run<{ removed: number }>('purge', 'purge', values);
      total += row!.removed;
      if (row!.removed < PURGE_BATCH) return total;
    }
  }

  async countsByHandler(): Promise<Record<string, Partial<TaskCounts>>> {
    const rows = await this.runner.run<{ handler: string; status: TaskStatus; n: number }>(
      'countsByHandler',
      'countsByHandler',
      [],
    );
    const counts: Record<string, Partial<TaskCounts>> = {};
    for (const row of rows) (counts[row.handler] ??= {})[row.status] = row.n;
    return counts;
  }

  // --- end of operators ---
  // --- Recurring schedules (sql/recurring.sql.ts): each call one statement ---

  async putRecurring(record: RecurringRecord): Promise<RecurringRecord> {
    const { key, handler, definition, fingerprint, nextRunAt } = record;
    const values = [key, handler, JSON.stringify(definition), fingerprint, nextRunAt];
    const [row] = await this.runner.run<ScheduleRow>('putRecurring', 'recurringPut', values);
    return decodeSchedule(row!);
  }

  async getRecurring(key: string): Promise<RecurringRecord | undefined> {
    const [row] = await this.runner.run<ScheduleRow>('getRecurring', 'recurringGet', [key]);
    return row === undefined ? undefined : decodeSchedule(row);
  }

  async listRecurring(): Promise<RecurringRecord[]> {
    return (await this.runner.run<ScheduleRow>('listRecurring', 'recurringList', [])).map(decodeSchedule);
  }

  async removeRecurring(key: string): Promise<RecurringRecord | undefined> {
    const [row] = await this.runner.run<ScheduleRow>('removeRecurring', 'recurringRemove', [key, this.signals.origin]);
    if (row === undefined) return undefined;
    this.maintenance.markFinished();
    return decodeSchedule(row);
  }

  async advanceRecurring(step: RecurringStep): Promise<boolean> {
    const values = [
      step.key,
      step.expectedNextRunAt,
      step.expectedLastTaskId ?? null,
      step.expectedLast === 'unstarted',
      step.cancelLast,
      step.task === undefined ? null : step.runAt,
      step.nextRunAt,
      step.task === undefined ? null : encodeTasks([step.task], this.clock.offset),
      this.signals.origin,
    ];
    const [row] = await this.runner.run<{ applied: boolean; wake_ms: number | null; cancelled: boolean }>(
      'advanceRecurring',
      'recurringAdvance',
      values,
    );
    if (row!.cancelled) this.maintenance.markFinished();
    this.wake(row!.wake_ms);
    return row!.applied;
  }

  // --- end of recurring schedules ---

  // --- deployments (issue 10): postgres-deployments.ts, sql/deployments.sql.ts ---

  postpone(lease: Lease, delayMs: number): Promise<boolean> {
    return this.deployments.postpone(lease, delayMs);
  }

  setPaused(handler: string | null, paused: boolean): Promise<void> {
    return this.deployments.setPaused(handler, paused);
  }

  getPaused(): Promise<PauseState> {
    return this.deployments.getPaused();
  }

  heartbeatWorker(worker: Omit<WorkerRecord, 'lastSeenAt'>, ttlMs: number): Promise<void> {
    return this.deployments.heartbeatWorker(worker, ttlMs);
  }

  removeWorker(workerId: string): Promise<void> {
    return this.deployments.removeWorker(workerId);
  }

  listWorkers(): Promise<WorkerRecord[]> {
    return this.deployments.listWorkers();
  }

  dueHandlers(): Promise<string[]> {
    return this.deployments.dueHandlers();
  }

  // --- end of deployments ---

  // --- flows (issue 12): sql/flows.sql.ts ---
  async watch(taskId: string): Promise<TaskRecord | undefined> {
    const [row] = await this.runner.run<TaskRow>('waitFor', 'watch', [taskId]);
    if (row === undefined) return undefined;
    const record = decodeRow(row, this.clock.offset);
    if (this.listener === undefined && !isFinished(record.status)) this.watching.add(taskId);
    return record;
  }

  /**
   * Without LISTEN, no NOTIFY reaches this store: a watched task it finished itself is signalled here (others are
   * found by waitFor's safety re-read every pollInterval).
   */
  private finishedHere(taskId: string): void {
    if (this.watching.size > 0 && this.watching.delete(taskId)) this.signals.finished(taskId);
  }

  async setProgress(lease: Lease, progress: unknown): Promise<boolean> {
    const rows = await this.runner.run('progress', 'progress', [lease.taskId, lease.token, JSON.stringify(progress)]);
    return rows.length === 1;
  }

  async getMany(taskIds: string[]): Promise<(TaskRecord | undefined)[]> {
    const rows = await this.runner.run<TaskRow>('getMany', 'getMany', [taskIds]);
    const byId = new Map(rows.map((row) => [row.id, decodeRow(row, this.clock.offset)]));
    return taskIds.map((id) => byId.get(id));
  }

  private async report(report: TaskReport): Promise<boolean> {
    const outcome = await this.reporter.report(report);
    if (outcome === 'accepted' && report.outcome !== 'retry') this.finishedHere(report.id);
    if (outcome === 'stale') this.lostLeases.reportRefused({ taskId: report.id, token: report.token });
    return outcome === 'accepted';
  }

  /** Work is due in `inMs` (null: none): this store's workers hear it now, other processes' by NOTIFY. */
  private wake(inMs: number | null): void {
    if (inMs === null) return;
    this.signals.wake(inMs);
    this.announcer.announce(inMs);
  }

  /** Stops listening for idle-connection errors and ends the pool if the store created it. */
  private async release(pool: Pool): Promise<void> {
    pool.off('error', this.onPoolError);
    await endPool(pool, this.options);
  }

  private readonly onPoolError = (error: Error): void => {
    this.logger?.warn(PostgresMessages.poolError(error.message));
  };
}
