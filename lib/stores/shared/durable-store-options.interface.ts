/** The options every durable store (Redis, PostgreSQL) has. */
export interface DurableStoreOptions {
  /**
   * How long a claimed task stays leased without a renewal, ms. A dead worker's tasks run again after it.
   * Default 30,000.
   */
  leaseTime?: number;
  /**
   * How often idle workers claim anyway, ms: a safety net for a signal missed while the store reconnected to its
   * server. Signals and the due-time timer do the real work. Default 5,000.
   */
  pollInterval?: number;
}
