import type { Pool, PoolClient, PoolConfig } from 'pg';
import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import { QueueFullError } from '../../errors/queue-full.error.js';
import { StoreUnavailableError } from '../../errors/store-unavailable.error.js';
import { TaskQueueError } from '../../errors/task-queue.error.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { TaskStatus } from '../../interfaces/task-status.js';
import type {
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
import { DEFAULT_RETENTION } from '../../task-queue.constants.js';
import { Messages } from '../../task-queue.messages.js';
import { PostgresBatcher } from './postgres-batcher.js';
import { connectionConfig, describeTarget, isConnectionError, isPool, isRetryable, loadPg } from './postgres-driver.js';
import { PostgresListener } from './postgres-listener.js';
import { PostgresMaintenance, TRIM_BATCH } from './postgres-maintenance.js';
import { isSchemaName, PostgresNames } from './postgres-names.js';
import { PostgresSignalBus } from './postgres-signal-bus.js';
import type { PostgresAddOptions, PostgresQueryable, PostgresTaskStoreOptions } from './postgres-task-store-options.interface.js';
import { decodeRow, encodeReports, encodeTasks, type TaskReport, type TaskRow } from './postgres-task.codec.js';
import { runMigrations, SCHEMA_VERSION } from './postgres.migrations.js';
import { PostgresMessages } from './postgres.messages.js';
import { PostgresQueries } from './postgres.queries.js';

type Statement = Exclude<keyof PostgresQueries, 'name'>;
interface AddCall {
  tasks: NewTask[];
  maxPending: number | undefined;
}
type ReportOutcome = 'accepted' | 'settled' | 'stale';

/** Clock differences below this are measuring noise and left alone. */
const SKEW_TOLERANCE_MS = 20;
const MAX_BATCH = 1_000;
/** Attempts of a statement that hit a deadlock or serialization failure (the database undid it whole). */
const MAX_ATTEMPTS = 5;
/** Notifications of adds made in a caller's transaction carry no origin: this store hears them too, at commit. */
const NO_ORIGIN = '';

/**
 * A durable store on PostgreSQL, shared by workers in many processes. Claims take due tasks with one
 * statement (`FOR UPDATE SKIP LOCKED`), other state changes are one SQL function call each; workers are
 * woken with LISTEN/NOTIFY; leases are fenced by a token. Partition order is kept by a `partitions` table
 * whose rows are locked in the transaction that changes a partition. See postgres.migrations.ts.
 */
export class PostgresTaskStore implements ITaskStore {
  readonly leaseTime: number;
  readonly serialization = 'json' as const;
  readonly supportsTransactions = true;
  readonly pollInterval: number;

  private readonly names: PostgresNames;
  private readonly queries: PostgresQueries;
  private readonly signals = new PostgresSignalBus();
  private readonly reports = new PostgresBatcher<TaskReport, ReportOutcome>((reports) => this.sendReports(reports), MAX_BATCH, 4);
  private readonly adds = new PostgresBatcher<AddCall, boolean[] | Error>((calls) => this.sendAdds(calls), MAX_BATCH, 2);
  private readonly maintenance: PostgresMaintenance;
  private readonly config: PoolConfig;
  private readonly target: string;
  private pool: Pool | undefined;
  private listener: PostgresListener | undefined;
  private logger: TaskQueueLogger | undefined;
  private retention: Required<RetentionOptions> = DEFAULT_RETENTION;
  /** ms to add to this machine's times to get the database's (0 unless the clocks differ noticeably). */
  private clockOffset = 0;
  private nextRecoveryAt = 0;
  /** The earliest wake-up not yet announced to other processes, and the announcement in flight. */
  private unannounced: number | undefined;
  private announcing: Promise<void> | undefined;

  constructor(private readonly options: PostgresTaskStoreOptions) {
    if ((options.connectionString === undefined) === (options.pool === undefined)) throw new InvalidTaskOptionsError(PostgresMessages.invalidConnection());
    const schema = options.schema ?? 'task_queue';
    if (!isSchemaName(schema)) throw new InvalidTaskOptionsError(Messages.invalidOption('schema', 'an unquoted PostgreSQL identifier of up to 49 characters', schema));
    const leaseTime = options.leaseTime ?? 30_000;
    if (!Number.isInteger(leaseTime) || leaseTime < 100) throw new InvalidTaskOptionsError(Messages.invalidOption('leaseTime', 'an integer from 100 up (ms)', leaseTime));
    const pollInterval = options.pollInterval ?? 5_000;
    if (!Number.isInteger(pollInterval) || pollInterval < 10) throw new InvalidTaskOptionsError(Messages.invalidOption('pollInterval', 'an integer from 10 up (ms)', pollInterval));
    this.leaseTime = leaseTime;
    this.pollInterval = pollInterval;
    this.names = new PostgresNames(schema);
    this.queries = new PostgresQueries(this.names);
    this.config = connectionConfig(options);
    this.target = describeTarget(this.config);
    this.maintenance = new PostgresMaintenance(
      {
        fold: async () => void (await this.query('maintenance', 'fold', [])),
        trim: async () => {
          const { maxCount, maxAge } = this.retention;
          const [row] = await this.query<{ removed: number }>('retention', 'trim', [Math.min(maxCount, 1e15), Math.min(maxAge, 1e15), TRIM_BATCH]);
          return row!.removed;
        },
        ping: async () => this.listener?.ping(),
        failed: (error) => this.logger?.warn(PostgresMessages.maintenanceFailed(describe(error))),
        recovered: () => undefined,
      },
      pollInterval,
    );
  }

  /** Connects, migrates (unless `migrate: false`), and listens. Throws `StoreUnavailableError` if it cannot. */
  async init(context: StoreInitContext): Promise<void> {
    if (this.pool !== undefined) return;
    this.retention = context.retention;
    this.logger = context.logger;
    const pg = await loadPg();
    const pool = isPool(this.options.pool) ? this.options.pool : new pg.Pool(this.config);
    pool.on('error', this.onPoolError);
    try {
      if (this.options.migrate === false) await this.checkVersion(pool);
      else await this.migrateWith(pool);
      this.clockOffset = await this.measureClockOffset(pool);
      this.listener = new PostgresListener(pg, this.config, this.names.channelIdent, {
        notification: (payload) => this.signals.receive(payload),
        lost: (reason) => this.logger?.warn(PostgresMessages.connectionLost(this.target, reason)),
        reconnected: () => {
          this.logger?.log(PostgresMessages.reconnected(this.target));
          this.signals.wake(0);
        },
      });
      await this.listener.start();
    } catch (error) {
      await this.listener?.close();
      this.listener = undefined;
      pool.off('error', this.onPoolError);
      if (pool !== this.options.pool) await pool.end().catch(() => undefined);
      throw this.unavailable('init', error);
    }
    this.pool = pool;
    this.maintenance.start();
  }

  /**
   * Creates or upgrades the schema (idempotent; safe when several processes run it at once). `init()` runs it
   * unless `migrate: false`; call it yourself then, e.g. in a deploy step. Needs no `init()`.
   */
  async migrate(): Promise<void> {
    if (this.pool !== undefined) return this.migrateWith(this.pool);
    const pg = await loadPg();
    const pool = isPool(this.options.pool) ? this.options.pool : new pg.Pool({ ...this.config, max: 1 });
    try {
      await this.migrateWith(pool);
    } catch (error) {
      throw this.unavailable('migrate', error);
    } finally {
      if (pool !== this.options.pool) await pool.end().catch(() => undefined);
    }
  }

  /** Ends what the store opened (the listening connection; the pool unless it is yours). */
  async close(): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) return;
    await this.maintenance.stop();
    await Promise.all([this.reports.drain(), this.adds.drain()]).catch(() => undefined);
    await this.announcing;
    this.pool = undefined;
    this.signals.close();
    await this.listener?.close();
    this.listener = undefined;
    pool.off('error', this.onPoolError);
    if (pool !== this.options.pool) await pool.end().catch(() => undefined);
  }

  /**
   * Adds tasks. With `transaction` (a client inside your BEGIN), they are added by your transaction: they
   * exist, and workers hear of them, only once it commits.
   */
  async add(tasks: NewTask[], options: PostgresAddOptions = {}): Promise<boolean[]> {
    if (tasks.length === 0) return [];
    const call: AddCall = { tasks, maxPending: options.maxPending };
    const added = options.transaction === undefined ? await this.adds.push(call) : (await this.addNow([call], options.transaction))[0]!;
    if (added instanceof Error) throw added;
    return added;
  }

  async claim(request: ClaimRequest): Promise<ClaimBatch> {
    if (Date.now() >= this.nextRecoveryAt) await this.recoverLeases();
    const rows = await this.query<TaskRow & { seq: number; next_due_ms: number | null }>('claim', 'claim', [request.limit, this.leaseTime, request.workerId]);
    const nextDue = rows[0]?.next_due_ms ?? null;
    const claimed = rows.filter((row) => row.id !== null);
    claimed.sort((a, b) => b.priority - a.priority || a.run_at - b.run_at || a.seq - b.seq);
    const tasks = claimed.map((row) => decodeRow(row, this.clockOffset));
    return nextDue === null ? { tasks } : { tasks, nextDueInMs: nextDue };
  }

  async renew(leases: Lease[]): Promise<string[]> {
    if (leases.length === 0) return [];
    const values = [leases.map((lease) => lease.taskId), leases.map((lease) => lease.token), this.leaseTime];
    const rows = await this.query<{ id: string; lease_token: string }>('renew', 'renew', values);
    const renewed = new Map(rows.map((row) => [row.id, row.lease_token]));
    const lost = leases.filter((lease) => renewed.get(lease.taskId) !== lease.token).map((lease) => lease.taskId);
    for (const taskId of lost) this.logger?.warn(Messages.leaseLost(taskId));
    return lost;
  }

  async complete(lease: Lease, result?: unknown): Promise<boolean> {
    return this.report({ id: lease.taskId, token: lease.token, outcome: 'succeeded', result, result_null: result === null || undefined });
  }

  async fail(lease: Lease, error: TaskError, retryInMs: number | null): Promise<boolean> {
    const outcome = retryInMs === null ? 'failed' : 'retry';
    return this.report({ id: lease.taskId, token: lease.token, outcome, error, retry_ms: retryInMs === null ? undefined : Math.max(0, retryInMs) });
  }

  async cancel(taskId: string): Promise<TaskRecord | undefined> {
    const [row] = await this.query<TaskRow>('cancel', 'cancel', [taskId, this.signals.origin]);
    if (row === undefined) return undefined;
    const record = decodeRow(row, this.clockOffset);
    // Running (still leased): this process's workers abort it now; others hear the notification.
    if (record.leaseToken !== undefined) this.signals.cancel(taskId);
    else this.maintenance.markFinished();
    return record;
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const [row] = await this.query<TaskRow>('get', 'get', [taskId]);
    return row === undefined ? undefined : decodeRow(row, this.clockOffset);
  }

  /** Newest first. Filtered by status or handler, it reads the table in created_at order (not indexed: an admin query). */
  async list(query: ListQuery = {}): Promise<TaskRecord[]> {
    const statuses = query.status === undefined ? null : [query.status].flat();
    const rows = await this.query<TaskRow>('list', 'list', [statuses, query.handler ?? null, query.limit ?? 100, query.offset ?? 0]);
    return rows.map((row) => decodeRow(row, this.clockOffset));
  }

  async counts(): Promise<TaskCounts> {
    const counts: TaskCounts = { pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const row of await this.query<{ status: TaskStatus; n: number }>('counts', 'counts', [])) counts[row.status] = row.n;
    return counts;
  }

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    return this.signals.subscribe(listener);
  }

  private async report(report: TaskReport): Promise<boolean> {
    const outcome = await this.reports.push(report);
    if (outcome === 'stale') this.logger?.warn(Messages.leaseLost(report.id));
    return outcome === 'accepted';
  }

  /** One function call per batch; a task reported twice in a batch goes in the next call (first report wins). */
  private async sendReports(reports: TaskReport[]): Promise<ReportOutcome[]> {
    const outcomes = new Array<ReportOutcome>(reports.length);
    let round = reports.map((_, i) => i);
    while (round.length > 0) {
      const seen = new Set<string>();
      const now: number[] = [];
      const later: number[] = [];
      for (const i of round) (seen.has(reports[i]!.id) ? later : now).push(i);
      for (const i of now) seen.add(reports[i]!.id);
      const json = encodeReports(
        now.map((i) => reports[i]!),
        (taskId, reason) => this.logger?.warn(PostgresMessages.resultDropped(taskId, reason)),
      );
      const [row] = await this.query<{ accepted: string[]; settled: string[]; wake_ms: number | null }>('complete/fail', 'finish', [json, this.signals.origin]);
      const accepted = new Set(row!.accepted);
      const settled = new Set(row!.settled);
      for (const i of now) outcomes[i] = accepted.has(reports[i]!.id) ? 'accepted' : settled.has(reports[i]!.id) ? 'settled' : 'stale';
      if (accepted.size > 0 || settled.size > 0) this.maintenance.markFinished();
      this.wake(row!.wake_ms);
      round = later;
    }
    return outcomes;
  }

  /**
   * Adds of one event-loop turn go in one call when they share `maxPending`. If together they would pass it,
   * each is tried alone, so each gets the answer it would have had alone.
   */
  private async sendAdds(calls: AddCall[]): Promise<(boolean[] | Error)[]> {
    const results: (boolean[] | Error)[] = [];
    for (let start = 0; start < calls.length; ) {
      let end = start + 1;
      while (end < calls.length && calls[end]!.maxPending === calls[start]!.maxPending) end++;
      const group = calls.slice(start, end);
      const together = await this.addNow(group);
      if (!(together[0] instanceof QueueFullError) || group.length === 1) results.push(...together);
      else for (const call of group) results.push(...(await this.addNow([call])));
      start = end;
    }
    return results;
  }

  /** Adds the calls' tasks in one statement; the first of a repeated id is the one added. */
  private async addNow(calls: AddCall[], transaction?: PostgresQueryable): Promise<(boolean[] | Error)[]> {
    const unique = new Map<string, NewTask>();
    for (const call of calls) for (const task of call.tasks) if (!unique.has(task.id)) unique.set(task.id, task);
    const maxPending = calls[0]!.maxPending;
    const origin = transaction === undefined ? this.signals.origin : NO_ORIGIN;
    const values = [encodeTasks([...unique.values()], this.clockOffset), maxPending ?? null, origin, transaction !== undefined];
    const [row] = await this.query<{ added: string[]; wake_ms: number | null; queue_full: boolean }>('add', 'add', values, transaction);
    if (row!.queue_full) return calls.map(() => new QueueFullError(Messages.queueFull(maxPending!)));
    // In a transaction nothing is due before the commit; its notification then wakes this store too.
    if (transaction === undefined) this.wake(row!.wake_ms);
    const added = new Set(row!.added);
    const firsts = new Set<NewTask>(unique.values());
    return calls.map((call) => call.tasks.map((task) => firsts.has(task) && added.has(task.id)));
  }

  /** Work is due in `inMs` (null: none): this store's workers hear it now, other processes' by NOTIFY. */
  private wake(inMs: number | null): void {
    if (inMs === null) return;
    this.signals.wake(inMs);
    this.unannounced = Math.min(this.unannounced ?? Infinity, inMs);
    this.announcing ??= this.announce().finally(() => (this.announcing = undefined));
  }

  /**
   * Notifies other processes, one notification at a time (wake-ups meanwhile are merged: the earliest counts),
   * in a transaction of its own that does not wait for the disk: a NOTIFY holds a database-wide lock through
   * its commit, and inside a durable commit it would make every process's commits wait in line.
   */
  private async announce(): Promise<void> {
    while (this.unannounced !== undefined && this.pool !== undefined) {
      const inMs = this.unannounced;
      this.unannounced = undefined;
      const payload = `${this.signals.origin}|w${inMs > 0 ? `|${Math.ceil(inMs)}` : ''}`;
      // A lost notification costs other processes at most a poll interval; nothing to report.
      await this.query('notify', 'notify', [this.names.channel, payload]).catch(() => undefined);
    }
  }

  /** Expired leases are recovered at most every min(1 s, leaseTime / 4), by the claims of any worker. */
  private async recoverLeases(): Promise<void> {
    this.nextRecoveryAt = Date.now() + Math.min(1_000, this.leaseTime / 4);
    const [row] = await this.query<{ recovered: number; wake_ms: number | null; next_expiry_ms: number | null }>('claim', 'recover', [this.signals.origin]);
    if (row!.recovered > 0) this.logger?.log(PostgresMessages.leasesRecovered(row!.recovered));
    this.signals.wake(row!.wake_ms);
    this.signals.watchLease(row!.next_expiry_ms);
  }

  /** Runs one of the store's statements (prepared, by name); a deadlock or serialization failure runs it again. */
  private async query<R>(operation: string, statement: Statement, values: unknown[], client?: PostgresQueryable): Promise<R[]> {
    const runner = client ?? this.pool;
    if (runner === undefined) throw new StoreUnavailableError(Messages.storeUnavailable(operation, PostgresMessages.notStarted()));
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await runner.query({ name: this.queries.name(statement), text: this.queries[statement], values });
        return result.rows as R[];
      } catch (error) {
        // In the caller's transaction a failed statement aborted the transaction: it is theirs to retry.
        if (client === undefined && attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
        throw this.unavailable(operation, error);
      }
    }
  }

  private async migrateWith(pool: Pool): Promise<void> {
    const client: PoolClient = await pool.connect();
    try {
      const { from, to } = await runMigrations(client, this.names);
      if (to > from) this.logger?.log(PostgresMessages.migrated(this.names.schemaName, from, to));
    } finally {
      client.release();
    }
  }

  private async checkVersion(pool: Pool): Promise<void> {
    let found = 0;
    try {
      found = Number((await pool.query(this.queries.version)).rows[0].version);
    } catch (error) {
      // 3F000: no such schema; 42P01: no such table. Anything else is a real failure.
      const code = (error as { code?: string }).code;
      if (code !== '3F000' && code !== '42P01') throw error;
    }
    if (found < SCHEMA_VERSION) throw new StoreUnavailableError(Messages.storeUnavailable('init', PostgresMessages.schemaOutdated(this.names.schemaName, found, SCHEMA_VERSION)));
    if (found > SCHEMA_VERSION) this.logger?.warn(PostgresMessages.schemaNewer(this.names.schemaName, found, SCHEMA_VERSION));
  }

  /** How far the database's clock is ahead of this machine's, if more than noise. */
  private async measureClockOffset(pool: Pool): Promise<number> {
    const before = Date.now();
    const { rows } = await pool.query(this.queries.now);
    const after = Date.now();
    const offset = Math.round(rows[0].now - (before + after) / 2);
    if (Math.abs(offset) <= SKEW_TOLERANCE_MS + (after - before)) return 0;
    this.logger?.warn(PostgresMessages.clockSkew(offset));
    return offset;
  }

  /** Any failure as a `StoreUnavailableError` that says what failed and why (our own errors pass through). */
  private unavailable(operation: string, error: unknown): TaskQueueError {
    if (error instanceof TaskQueueError) return error;
    const reason = describe(error);
    const where = isConnectionError(error) ? `PostgreSQL at ${this.target} is unreachable: ${reason}` : `PostgreSQL at ${this.target}: ${reason}`;
    return new StoreUnavailableError(Messages.storeUnavailable(operation, where), { cause: error });
  }

  private readonly onPoolError = (error: Error): void => {
    this.logger?.warn(PostgresMessages.poolError(error.message));
  };
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
