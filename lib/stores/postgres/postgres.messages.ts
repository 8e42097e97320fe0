/** What the PostgreSQL store logs or puts in its errors (besides the library's `Messages`). */
export const PostgresMessages = {
  notStarted: () => 'the store is not started: init() was not called, or close() was',
  invalidConnection: () => 'Give PostgresTaskStore either `connectionString` or `pool` (pg Pool options or a pg.Pool), not both and not neither.',
  connectionLost: (where: string, reason: string) =>
    `PostgreSQL at ${where} is unreachable (${reason}); operations fail with StoreUnavailableError until it is back. Reconnecting.`,
  reconnected: (where: string) => `Reconnected to PostgreSQL at ${where}; workers claim again.`,
  poolError: (reason: string) => `An idle PostgreSQL connection of the task store failed (${reason}); the pool replaces it.`,
  maintenanceFailed: (reason: string) => `Task store housekeeping (counts, retention) failed: ${reason}. It tries again every second.`,
  leasesRecovered: (count: number) => `${count} task(s) whose worker stopped renewing its lease are claimable again.`,
  resultDropped: (taskId: string, reason: string) => `Task ${taskId}: its result cannot be stored as JSON (${reason}); it is recorded without one.`,
  schemaOutdated: (schema: string, found: number, needed: number) =>
    `schema "${schema}" is at version ${found}, this version of nest-task-queue needs ${needed}: run store.migrate() (or start it with migrate: true)`,
  schemaNewer: (schema: string, found: number, known: number) =>
    `Schema "${schema}" is at version ${found}, newer than this version of nest-task-queue knows (${known}). Running anyway; upgrade every process.`,
  clockSkew: (skewMs: number) =>
    `This machine's clock is ${Math.abs(skewMs)} ms ${skewMs > 0 ? 'behind' : 'ahead of'} PostgreSQL's; runAt of scheduled tasks is shifted to the database's clock.`,
  migrated: (schema: string, from: number, to: number) => `Migrated schema "${schema}" from version ${from} to ${to}.`,
} as const;
