// The public API of the PostgreSQL store, at `nest-task-queue/postgres` (and re-exported by the root). Its types
// are structural, so neither entry needs pg or @types/pg installed to type-check; pg is loaded when a store starts.
export { PostgresTaskStore } from './postgres-task.store.js';
export type {
  PostgresTaskStoreOptions,
  PostgresAddOptions,
  PostgresQueryable,
  PostgresPoolOptions,
  PostgresPoolLike,
} from './postgres-task-store-options.interface.js';
