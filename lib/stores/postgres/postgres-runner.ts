import type { Pool } from 'pg';
import { StoreUnavailableError } from '../../errors/store-unavailable.error.js';
import { TaskQueueError } from '../../errors/task-queue.error.js';
import { Messages } from '../../task-queue.messages.js';
import {
  describeError,
  isConnectionError,
  isPreparedStatementClash,
  isRetryable,
} from './postgres-error.classifier.js';
import type { PostgresQueryable } from './postgres-task-store-options.interface.js';
import { storeNotStarted } from '../shared/store-not-started.js';
import { PostgresMessages } from './postgres.messages.js';
import type { PostgresQueries } from './postgres.queries.js';

export type Statement = Exclude<keyof PostgresQueries, 'name'>;

/** Attempts of a statement that hit a deadlock or serialization failure (the database undid it whole). */
const MAX_ATTEMPTS = 5;

/**
 * Runs the store's statements: as named prepared statements (parsed and planned once per connection) unless
 * `preparedStatements` is false (a transaction-mode pooler), again after a deadlock or serialization failure,
 * and with any failure turned into a `StoreUnavailableError` that says what failed and why.
 */
export class PostgresRunner {
  /** Set while the store is started. */
  pool: Pool | undefined;

  constructor(
    private readonly queries: PostgresQueries,
    /** host:port/database, for messages. */
    readonly target: string,
    private readonly preparedStatements: boolean,
  ) {}

  /** Runs a statement on the pool, or on `client` (a caller's transaction: never retried, it is theirs). */
  async run<R>(operation: string, statement: Statement, values: unknown[], client?: PostgresQueryable): Promise<R[]> {
    const runner = client ?? this.pool;
    if (runner === undefined) throw storeNotStarted(operation);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await runner.query({
          name: this.preparedStatements ? this.queries.name(statement) : undefined,
          text: this.queries[statement],
          values,
        });
        return result.rows as R[];
      } catch (error) {
        if (client === undefined && attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
        throw this.unavailable(operation, error);
      }
    }
  }

  /** Any failure as a `StoreUnavailableError` that says what failed and why (our own errors pass through). */
  unavailable(operation: string, error: unknown): TaskQueueError {
    if (error instanceof TaskQueueError) return error;
    const clash = this.preparedStatements && isPreparedStatementClash(error);
    const reason = clash
      ? `${describeError(error)}; ${PostgresMessages.preparedStatementsHint()}`
      : describeError(error);
    const where = isConnectionError(error)
      ? `PostgreSQL at ${this.target} is unreachable: ${reason}`
      : `PostgreSQL at ${this.target}: ${reason}`;
    return new StoreUnavailableError(Messages.storeUnavailable(operation, where), { cause: error });
  }
}
