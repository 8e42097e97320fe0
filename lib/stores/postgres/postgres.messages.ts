/** What the PostgreSQL store logs or puts in its errors (besides `StoreMessages` and the library's `Messages`). */
export const PostgresMessages = {
  schemaExpected: () => 'an unquoted PostgreSQL identifier of up to 49 characters',
  invalidConnection: () =>
    'Give PostgresTaskStore either `connectionString` or `pool` (pg Pool options or a pg.Pool), not both and not neither.',
  poolError: (reason: string) =>
    `An idle PostgreSQL connection of the task store failed (${reason}); the pool replaces it.`,
  maintenanceFailed: (reason: string) =>
    `Task store housekeeping (counts, retention) failed: ${reason}. It tries again every second.`,
  leasesRecovered: (count: number) => `${count} task(s) whose worker stopped renewing its lease are claimable again.`,
  schemaOutdated: (schema: string, found: number, needed: number) =>
    `schema "${schema}" is at version ${found}, this version of nest-task-queue needs ${needed}: run store.migrate() (or start it with migrate: true)`,
  schemaNewer: (schema: string, found: number, known: number) =>
    `Schema "${schema}" is at version ${found}, newer than this version of nest-task-queue knows (${known}). Running anyway; upgrade every process.`,
  preparedStatementsHint: () =>
    'the server connection changed under a named prepared statement: is PostgreSQL behind a pooler in transaction mode (PgBouncer)? Then set `preparedStatements: false` (and `listenConnectionString`)',
  noListen: (pollInterval: number) =>
    `PostgreSQL: no LISTEN connection (preparedStatements: false and no listenConnectionString): tasks added and cancels made by other processes are seen only by the safety poll, every ${pollInterval} ms. Set listenConnectionString to a direct server connection to hear them at once.`,
  migrated: (schema: string, from: number, to: number) => `Migrated schema "${schema}" from version ${from} to ${to}.`,
} as const;
