import { QueueFullError } from '../../errors/queue-full.error.js';
import { TaskArgsNotSerializableError } from '../../errors/task-args-not-serializable.error.js';
import type { NewTask } from '../../interfaces/task-record.interface.js';
import { Messages } from '../../task-queue.messages.js';
import { CallBatcher } from '../shared/call-batcher.js';
import { describeError, isRefusedData } from './postgres-error.classifier.js';
import type { PostgresRunner } from './postgres-runner.js';
import type { PostgresQueryable } from './postgres-task-store-options.interface.js';
import { encodeTasks } from './postgres-task.codec.js';
import { UnknownTaskError } from '../../errors/unknown-task.error.js';
import { FlowMessages } from '../../task-queue-flows.messages.js';

interface AddCall {
  tasks: NewTask[];
  maxPending: number | undefined;
}

const MAX_BATCH = 1_000;
/** Add batches on their way at once: later adds gather for the next one. */
const MAX_IN_FLIGHT = 2;
/** Notifications of adds made in a caller's transaction carry no origin: the adding store hears them too, at commit. */
const NO_ORIGIN = '';

/**
 * Adds tasks: one function call for the adds of one event-loop turn (when they share `maxPending`), or one in
 * the caller's transaction. Each call gets the answer it would have had alone: one whose data the database
 * refuses fails alone, with `TaskArgsNotSerializableError`, and the others of its turn are added.
 */
export class PostgresAdder {
  private readonly batcher = new CallBatcher<AddCall, boolean[] | Error>(
    { window: 'event-loop-turn', maxWeight: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT },
    (calls) => this.send(calls),
  );

  constructor(
    private readonly runner: PostgresRunner,
    private readonly origin: string,
    /** ms to add to this machine's times to get the database's. */
    private readonly clock: { offset: number },
    /** Work became due in ms (null: none): this store's workers and other processes are told. */
    private readonly wake: (inMs: number | null) => void,
  ) {}

  async add(
    tasks: NewTask[],
    maxPending: number | undefined,
    transaction: PostgresQueryable | undefined,
  ): Promise<boolean[]> {
    const call: AddCall = { tasks, maxPending };
    const added =
      transaction === undefined ? await this.batcher.push(call) : (await this.tryAdd([call], transaction))[0]!;
    if (added instanceof Error) throw added;
    return added;
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  /** If the calls of a turn would together pass `maxPending`, or one holds data refused, each is tried alone. */
  private async send(calls: AddCall[]): Promise<(boolean[] | Error)[]> {
    const results: (boolean[] | Error)[] = [];
    for (let start = 0; start < calls.length;) {
      let end = start + 1;
      while (end < calls.length && calls[end]!.maxPending === calls[start]!.maxPending) end++;
      const group = calls.slice(start, end);
      const together = await this.tryAdd(group);
      if (!isPerCall(together[0]) || group.length === 1) results.push(...together);
      else for (const call of group) results.push(...(await this.tryAdd([call])));
      start = end;
    }
    return results;
  }

  /** As `addNow`, with data the database refused as the calls' answer (nothing was added); an outage throws. */
  private async tryAdd(calls: AddCall[], transaction?: PostgresQueryable): Promise<(boolean[] | Error)[]> {
    try {
      return await this.addNow(calls, transaction);
    } catch (error) {
      const cause = (error as Error).cause;
      // Flows: add_tasks names a dependency it does not know (SQLSTATE NTQ01, see sql/add.sql.ts).
      if ((cause as { code?: unknown } | undefined)?.code === 'NTQ01') {
        const unknown = new UnknownTaskError(FlowMessages.unknownDependency((cause as Error).message));
        return calls.map(() => unknown);
      }
      if (!isRefusedData(cause)) throw error;
      const refused = new TaskArgsNotSerializableError(Messages.dataRefused('PostgreSQL', describeError(cause)), {
        cause,
      });
      return calls.map(() => refused);
    }
  }

  /** Adds the calls' tasks in one statement; the first of a repeated id is the one added. */
  private async addNow(calls: AddCall[], transaction?: PostgresQueryable): Promise<(boolean[] | Error)[]> {
    const unique = new Map<string, NewTask>();
    for (const call of calls) for (const task of call.tasks) if (!unique.has(task.id)) unique.set(task.id, task);
    const maxPending = calls[0]!.maxPending;
    // In a caller's transaction the function notifies, so that the signal goes out with the commit (if any).
    const inTransaction = transaction !== undefined;
    const values = [
      encodeTasks([...unique.values()], this.clock.offset),
      maxPending ?? null,
      inTransaction ? NO_ORIGIN : this.origin,
      inTransaction,
    ];
    const [row] = await this.runner.run<{ added: string[]; wake_ms: number | null; queue_full: boolean }>(
      'add',
      'add',
      values,
      transaction,
    );
    if (row!.queue_full) return calls.map(() => new QueueFullError(Messages.queueFull(maxPending!)));
    if (!inTransaction) this.wake(row!.wake_ms);
    const added = new Set(row!.added);
    const firsts = new Set<NewTask>(unique.values());
    return calls.map((call) => call.tasks.map((task) => firsts.has(task) && added.has(task.id)));
  }
}

/** A batch's failure that may be one call's doing: then each call is tried alone. */
function isPerCall(outcome: boolean[] | Error | undefined): boolean {
  return (
    outcome instanceof QueueFullError ||
    outcome instanceof TaskArgsNotSerializableError ||
    outcome instanceof UnknownTaskError
  );
}
