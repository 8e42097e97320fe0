import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import type { RecurringInfo, RecurringOptions } from '../../interfaces/recurring-options.interface.js';
import type { RecurringRecord } from '../../interfaces/recurring-store.interface.js';
import type { NewTask } from '../../interfaces/task-record.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import type { RetryStrategyDescriptor } from '../../retry/retry-strategy.interface.js';
import { reviveRetryStrategy } from '../../retry/revive-retry-strategy.js';
import type { HandlerRegistry } from '../handler-registry.js';
import type { LevelLogger } from '../level-logger.js';
import type { HandlerReference, TaskBuilder } from '../task-builder.js';
import {
  fingerprintOf,
  occurrenceId,
  toDefinition,
  toRecurringInfo,
  type RecurringDefinition,
} from './recurring-definition.js';
import { RecurringMessages } from './recurring.messages.js';
import { checkRecurringKey, checkRecurringOptions } from './recurring-options.validator.js';
import { RecurringTicker, type RecurringStore } from './recurring.ticker.js';
import { RecurringTimeline } from './recurring-timeline.js';

/** A schedule declared with @Recurring(), upserted at start-up. */
interface DeclaredSchedule {
  handler: string;
  args: unknown;
  options: RecurringOptions;
  className: string;
}

export interface RecurringSchedulesHost {
  store: ITaskStore;
  registry: HandlerRegistry;
  builder: TaskBuilder;
  logger: LevelLogger;
  /** An occurrence was added: events and logs, as for any task. */
  added(task: NewTask): void;
  /** Store calls: failures as StoreUnavailableError. */
  call<T>(operation: string, run: () => Promise<T>): Promise<T>;
}

/**
 * The queue's recurring schedules: the API (schedule, remove, get, list), the declared ones, and the ticker that
 * adds each schedule's occurrences in processes whose worker runs.
 */
export class RecurringSchedules {
  readonly ticker: RecurringTicker;
  private readonly declared = new Map<string, DeclaredSchedule>();

  constructor(private readonly host: RecurringSchedulesHost) {
    this.ticker = new RecurringTicker({
      get store() {
        return host.store as RecurringStore;
      },
      registry: host.registry,
      logger: host.logger,
      occurrence: (record, at, runAt, now) => this.occurrence(record, at, runAt, now),
      added: (task) => host.added(task),
    });
  }

  async schedule(
    key: string,
    handler: HandlerReference,
    args: unknown,
    options: RecurringOptions,
    declared = false,
  ): Promise<RecurringInfo> {
    checkRecurringKey(key);
    checkRecurringOptions(options);
    const store = this.store();
    const name = this.host.builder.resolveHandler(handler).name;
    const definition = toDefinition(args, options, declared);
    const now = Date.now();
    // The occurrences' options and args, checked as schedule() checks a task's, before anything is stored.
    this.build(key, name, definition, now, now, now);
    const record: RecurringRecord = {
      key,
      handler: name,
      definition,
      fingerprint: fingerprintOf(definition),
      nextRunAt: new RecurringTimeline(definition).first(now),
    };
    const stored = await this.host.call('scheduleRecurring', () => store.putRecurring(record));
    await this.ticker.stepNow(stored);
    const current = await this.host.call('scheduleRecurring', () => store.getRecurring(key));
    return toRecurringInfo(current ?? stored, Date.now());
  }

  /** True if the schedule existed. Its next occurrence, if it has not started, is cancelled with it. */
  async remove(key: string): Promise<boolean> {
    if (typeof key !== 'string' || key === '') return false;
    const store = this.store();
    const removed = await this.host.call('removeRecurring', () => store.removeRecurring(key));
    this.ticker.forget(key);
    return removed !== undefined;
  }

  async get(key: string): Promise<RecurringInfo | undefined> {
    if (typeof key !== 'string' || key === '') return undefined;
    const store = this.store();
    const record = await this.host.call('getRecurring', () => store.getRecurring(key));
    return record === undefined ? undefined : toRecurringInfo(record, Date.now());
  }

  async list(): Promise<RecurringInfo[]> {
    const store = this.store();
    const now = Date.now();
    return (await this.host.call('listRecurring', () => store.listRecurring())).map((r) => toRecurringInfo(r, now));
  }

  /** Records a @Recurring() schedule (checked now: bad options fail the bootstrap), upserted by `upsertDeclared`. */
  declare(key: string | undefined, handler: string, args: unknown, options: RecurringOptions, className: string): void {
    const k = key ?? handler;
    checkRecurringKey(k);
    checkRecurringOptions(options);
    const existing = this.declared.get(k);
    if (existing !== undefined)
      throw new InvalidTaskOptionsError(RecurringMessages.duplicateKey(k, existing.className, className));
    this.build(k, handler, toDefinition(args, options, true), 0, 0, 0);
    this.declared.set(k, { handler, args, options, className });
  }

  /** At start-up, in every process: the declared schedules (idempotent), and with `prune` the undeclared removed. */
  async upsertDeclared(prune: boolean): Promise<void> {
    if (this.declared.size === 0 && !prune) return;
    for (const [key, d] of this.declared) await this.schedule(key, d.handler, d.args, d.options, true);
    if (!prune) return;
    const store = this.store();
    for (const record of await this.host.call('listRecurring', () => store.listRecurring())) {
      if (!(record.definition as RecurringDefinition).declared || this.declared.has(record.key)) continue;
      await this.remove(record.key);
      this.host.logger.log(RecurringMessages.pruned(record.key));
    }
  }

  /** Whether this process's store keeps schedules (the ticker runs only then). */
  get supported(): boolean {
    return hasRecurringMethods(this.host.store);
  }

  private occurrence(record: RecurringRecord, at: number, runAt: number, now: number): NewTask {
    return this.build(record.key, record.handler, record.definition as RecurringDefinition, at, runAt, now);
  }

  /** One occurrence's task, through the task builder (the checks, defaults and storability of schedule()). */
  private build(key: string, handler: string, d: RecurringDefinition, at: number, runAt: number, now: number): NewTask {
    const { task } = d;
    return this.host.builder.build(
      handler,
      d.args,
      {
        ...task,
        retryStrategy: reviveRetryStrategy(task.retryStrategy as RetryStrategyDescriptor | undefined),
        partitionKey: task.partitionKey ?? (d.overlap ? undefined : `recurring:${key}`),
        metadata: { ...task.metadata, recurringKey: key },
        taskId: occurrenceId(key, at),
        runAt: new Date(runAt),
      },
      now,
    );
  }

  private store(): RecurringStore {
    const { store } = this.host;
    if (!hasRecurringMethods(store)) {
      const name = store.constructor?.name ?? 'This store';
      throw new InvalidTaskOptionsError(RecurringMessages.unsupportedStore(name));
    }
    return store;
  }
}

function hasRecurringMethods(store: ITaskStore): store is RecurringStore {
  return (
    typeof store.putRecurring === 'function' &&
    typeof store.getRecurring === 'function' &&
    typeof store.listRecurring === 'function' &&
    typeof store.removeRecurring === 'function' &&
    typeof store.advanceRecurring === 'function'
  );
}
